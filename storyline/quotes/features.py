"""Token features for the attribution tagger (tagger.py): one list of `name=value` strings per
token of the Doc, from the one spaCy parse and the rule-based attributions (extract.py).

The rules' own source/cue/content decision for each token is a feature (a stacked hybrid):
the tagger learns where to trust them and where the parse says otherwise. Only word forms,
lemmas, tags and labels go into features, never longer text.
"""
from __future__ import annotations

from spacy.tokens import Doc

from .cues import CUE_LEMMAS
from .marks import quote_segments
from .spans import Attribution

QUOTE_CHARS = set('"“”‘’\'«»')
ROLES = ("S", "C", "Q")
KID_DEPS = {"ccomp", "xcomp", "nsubj", "nsubjpass", "dobj", "agent", "prep", "mark", "advcl", "parataxis"}  # source, cue, content (quotation)


def rule_tags(doc: Doc, found: list[Attribution]) -> list[str]:
    """BIO tags of the rules' attributions; where they overlap, cue beats source beats content."""
    tags = ["O"] * len(doc)
    spans = []
    for a in found:
        spans.append(("Q", a.content))
        if a.source is not None:
            spans.append(("S", a.source))
        spans.append(("C", a.cue))
    for role, (s, e) in spans:  # later roles overwrite: content < source < cue
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is None:
            continue
        for t in span:
            tags[t.i] = ("B-" if t.i == span.start else "I-") + role
    return tags


def _in_quote(doc: Doc) -> list[bool]:
    inside = [False] * len(doc)
    segs = quote_segments(doc.text)
    if not segs:
        return inside
    j = 0
    for t in doc:
        while j < len(segs) and segs[j].end <= t.idx:
            j += 1
        if j < len(segs) and segs[j].start <= t.idx < segs[j].end:
            inside[t.i] = True
    return inside


def _cue_ancestor(tok) -> str:
    """The dependency under which the token hangs from the nearest cue-lexicon verb."""
    child = tok
    for _ in range(8):
        head = child.head
        if head is child:
            return "none"
        if head.lemma_.lower() in CUE_LEMMAS and head.pos_ in ("VERB", "AUX"):
            return child.dep_
        child = head
    return "none"


def token_features(doc: Doc, found: list[Attribution]) -> list[list[str]]:
    rules = rule_tags(doc, found)
    quoted = _in_quote(doc)
    base = []
    for t in doc:
        lem = t.lemma_.lower()
        head = t.head
        f = [
            "w=" + t.lower_, "l=" + lem, "p=" + t.pos_, "t=" + t.tag_, "d=" + t.dep_,
            "sh=" + t.shape_[:4], "suf=" + t.lower_[-3:],
            "hl=" + head.lemma_.lower(), "hd=" + head.dep_, "hp=" + head.pos_,
            "d|hd=" + t.dep_ + "|" + head.dep_,
            "dir=" + ("L" if head.i > t.i else "R" if head.i < t.i else "0"),
            "e=" + (t.ent_type_ or "-"), "r=" + rules[t.i], "q=" + str(quoted[t.i]),
            "cue=" + str(lem in CUE_LEMMAS and t.pos_ in ("VERB", "AUX")),
            "anc=" + _cue_ancestor(t),
            "hcue=" + str(head.lemma_.lower() in CUE_LEMMAS),
        ]
        kids = sorted({c.dep_ for c in t.children if c.dep_ in KID_DEPS})
        if kids:
            f.append("kids=" + ",".join(kids))
            f.append("l|kids=" + lem + "|" + ",".join(kids))
        subj = next((c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is not None:
            f.append("subj_e=" + (subj.ent_type_ or subj.lower_ if subj.pos_ == "PRON" else subj.ent_type_ or "-"))
        f.append("l|d=" + lem + "|" + t.dep_)
        f.append("hl|d=" + head.lemma_.lower() + "|" + t.dep_)
        if t.is_sent_start:
            f.append("sent_start")
        if t.i + 1 == len(doc) or doc[t.i + 1].is_sent_start:
            f.append("sent_end")
        if t.i == head.right_edge.i:
            f.append("head_right_edge")
        if t.i == head.left_edge.i:
            f.append("head_left_edge")
        if t.i == t.right_edge.i and t.i == t.left_edge.i:
            f.append("leaf")
        if "\n" in t.text or (t.i and "\n" in doc[t.i - 1].whitespace_ + doc[t.i - 1].text):
            f.append("para")
        if t.text in QUOTE_CHARS:
            f.append("qmark")
        base.append(f)
    out = []
    n = len(doc)
    for i, t in enumerate(doc):
        f = ["bias"] + base[i]
        for k in (-2, -1, 1, 2):
            j = i + k
            if 0 <= j < n:
                o = doc[j]
                f += [f"{k}w=" + o.lower_, f"{k}p=" + o.pos_, f"{k}r=" + rules[j]]
                if abs(k) == 1:
                    f += [f"{k}d=" + o.dep_, f"{k}l=" + o.lemma_.lower(), f"{k}q=" + str(quoted[j])]
            else:
                f.append(f"{k}pad")
        f.append("r|-1r=" + rules[i] + "|" + (rules[i - 1] if i else "^"))
        f.append("r|+1r=" + rules[i] + "|" + (rules[i + 1] if i + 1 < n else "$"))
        out.append(f)
    return out
