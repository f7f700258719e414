"""Attributions (source, cue, content) read off the dependency parse and the quote marks.

One `Attribution` per cue: a reporting verb from the cue lexicon, or "according to". Content
is, in order of preference, an adjacent direct-quote segment ("“…,” he said" / "He said:
“…”"), the verb's clausal complement(s) ("X said that …", "…, X said."), the rest of the
sentence around "according to X", or, when the parse attached nothing, the clause before
the comma that ends in "…, X told VOA." Cues inside another attribution's content are
dropped (the outer attribution keeps the words, as PolNeAR's one-label-per-token scheme does).
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from .cues import ADDRESSEE_VERBS, CUE_LEMMAS
from .marks import QuoteSegment, quote_segments

SUBJECTS = ("nsubj", "nsubjpass", "csubj")
# Dependents right before the cue verb that belong to the cue span. Calibrated on PolNeAR dev
# (cue exact F1): none 0.570, aux+neg 0.625, +auxpass 0.629, +advmod 0.667 (kept).
CUE_LEFT = ("aux", "auxpass", "neg", "advmod")
# Clauses cut off the end of a content when set off by a comma.
TRAILING = ("relcl", "acl", "advcl")
# Nouns of the channel a statement went out on: "denied it in a statement", "said on Twitter".
MEDIUM = {"statement", "interview", "tweet", "post", "letter", "email", "release", "briefing",
          "conference", "speech", "television", "radio", "twitter", "facebook", "rally", "call"}
# Raising cues: "X is expected to …", "X seems to …" report X's prospect, not X's words.
RAISING = {"seem", "appear", "expect", "likely"}
OBJECT_PREPS = ("for", "on", "about", "to")
PHRASAL_CUES = {"call", "point", "refer", "speak", "respond", "reply", "allude"}
COMPLEMENTS = ("ccomp", "xcomp")
# Dependents of a cue verb that carry on its subject ("…, adding that …", "went on to say").
INHERITS_SUBJECT = ("advcl", "xcomp", "conj", "pcomp")
EDGE_PUNCT = " \t\r\n,;:—–-"
# Characters allowed between a quote segment and the clause that attributes it.
GLUE = set(" \t\r\n,:;—–-")


@dataclass
class Attribution:
    cue: tuple[int, int]  # char span
    content: tuple[int, int]  # char span
    source: tuple[int, int] | None = None  # char span
    told: tuple[int, int] | None = None  # char span of the addressee ("told Reuters")
    verb: int | None = None  # token index of the cue verb (None for "according to")
    quoted: bool = False  # content is a whole direct-quote segment


def _trim(text: str, start: int, end: int, extra: str = "") -> tuple[int, int]:
    chars = EDGE_PUNCT + extra
    while start < end and (text[start] in chars or text[start].isspace()):
        start += 1
    while end > start and (text[end - 1] in chars or text[end - 1].isspace()):
        end -= 1
    return start, end


def _tokens_span(doc: Doc, first: int, last: int) -> tuple[int, int]:
    return doc[first].idx, doc[last].idx + len(doc[last])


def _subtree_chars(tok: Token) -> tuple[int, int]:
    return _tokens_span(tok.doc, tok.left_edge.i, tok.right_edge.i)


def _subject(verb: Token, depth: int = 0) -> Token | None:
    for child in verb.children:
        if child.dep_ == "agent":
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    return pobj
    for child in verb.children:
        if child.dep_ in SUBJECTS:
            return child
    head = verb.head
    if head.lower_ == "as" and head.head.lemma_ == "quote":  # "media quoted X as saying"
        return next((c for c in head.head.children if c.dep_ == "dobj"), None)
    if depth < 3 and verb.dep_ in INHERITS_SUBJECT and head is not verb:
        return _subject(head, depth + 1)
    return None


DATELINE = re.compile(r"[A-Z][A-Z.,' ]+(?:\([^)\n]{1,60}\))?\s*(?:[—–]|--?)\s+")


def _strip_dateline(text: str, start: int, end: int) -> tuple[int, int]:
    """"BRANNOCK — The number …" / "KESSARA (Meridian Wire) - …": the dateline is the
    writer's, not the speaker's."""
    m = DATELINE.match(text, start, end)
    return (m.end(), end) if m else (start, end)


def _balance(text: str, start: int, end: int) -> tuple[int, int]:
    """Take in a closing mark that follows the content when the content opened a quote."""
    opened = text.count("“", start, end) - text.count("”", start, end)
    straight = text.count('"', start, end) % 2
    if opened > 0 or straight:
        j = end
        while j < len(text) and text[j] in ".,;:!? ":
            j += 1
        if j < len(text) and text[j] in '”"' and j - end <= 2:
            return start, j + 1
    return start, end


def _sentence_lead(doc: Doc, text: str, pos: int) -> int | None:
    """Start of the sentence holding `pos` when words come before `pos` in it, else None."""
    k = bisect.bisect_right([t.idx for t in doc], pos) - 1
    if k < 0:
        return None
    sent_start = doc[k].sent.start_char
    lead = text[sent_start:pos]
    if "\n" in lead or not any(ch.isalpha() for ch in lead):
        return None
    return sent_start


def _has_cue(doc: Doc, start: int, end: int, cue_lemmas) -> bool:
    span = doc.char_span(start, end, alignment_mode="expand")
    return span is not None and any(t.pos_ == "VERB" and t.lemma_.lower() in cue_lemmas for t in span)


def _adjacent_segment(doc: Doc, text: str, verb: Token, source: Token | None, segments: list[QuoteSegment],
                      cue_lemmas=CUE_LEMMAS):
    """(start, end) of the quote segment(s) this cue attributes: one right before the
    attributing clause ("“…,” he said") possibly continued by one right after it ("“…,” he
    said. “…”"), or one right after the cue ("He said: “…”")."""
    own = source is not None and source.head == verb  # not inherited ("…, adding")
    lo = min([verb.i] + ([source.left_edge.i] if own else []))
    clause_start = doc[lo].idx
    hi = max([verb.i] + ([source.right_edge.i] if own else []))
    for child in verb.children:  # "told Reuters", "said in a statement", "said on Friday"
        if child.i > verb.i and child.dep_ in ("dobj", "dative", "prep", "npadvmod", "advmod", "advcl") \
                and not _inside_any(child.idx, segments) and child.right_edge.idx < doc[-1].idx + 1:
            if not any(g.start <= child.right_edge.idx < g.end for g in segments):
                hi = max(hi, child.right_edge.i)
    clause_end = doc[hi].idx + len(doc[hi])
    k = bisect.bisect_left([g.end for g in segments], clause_start - 3)
    for j in range(max(0, k - 1), min(len(segments), k + 3)):
        seg = segments[j]
        if seg.end <= clause_start and set(text[seg.end:clause_start]) <= GLUE:
            start, end = seg.start, seg.end
            lead = _sentence_lead(doc, text, seg.start)
            if lead is not None and not _has_cue(doc, lead, seg.start, cue_lemmas):
                start = lead  # mixed: 'The answers are "not meeting the demand," says X
            nxt = segments[j + 1] if j + 1 < len(segments) else None
            if nxt is not None and nxt.start >= clause_end:
                between = text[clause_end:nxt.start]
                if len(between) < 3 and between.strip() in ("", ".", ",", ":") or \
                        len(between) < 120 and "\n" not in between and between.rstrip()[-1:] in (".", ",") \
                        and not _has_cue(doc, clause_end, nxt.start, cue_lemmas):
                    end = nxt.end
            return start, end
        if seg.start >= clause_end and set(text[clause_end:seg.start]) <= GLUE:
            return seg.start, seg.end
    return None


def _inside_any(pos: int, segments: list[QuoteSegment]) -> bool:
    k = bisect.bisect_right([g.start for g in segments], pos) - 1
    return k >= 0 and segments[k].start < pos < segments[k].end - 1


def _complement(verb: Token, cue_lemmas=CUE_LEMMAS) -> tuple[int, int] | None:
    comps = [c for c in verb.children if c.dep_ in COMPLEMENTS]
    if not comps:
        return None
    if min(c.left_edge.i for c in comps) < verb.i < max(c.right_edge.i for c in comps):
        comps = [c for c in comps if (c.i < verb.i) == (comps[0].i < verb.i)]  # keep one side
    first = min(c.left_edge.i for c in comps)
    last = max(c.right_edge.i for c in comps)
    for c in comps:  # "said it was opposed and warned X to …": "warned" is its own cue
        for conj in c.children:
            if conj.dep_ == "conj" and conj.pos_ == "VERB" and conj.lemma_.lower() in cue_lemmas \
                    and not any(g.dep_ in SUBJECTS for g in conj.children):
                cut = conj.left_edge.i - 1
                while cut > c.i and verb.doc[cut].dep_ in ("cc", "punct"):
                    cut -= 1
                last = min(last, cut)
    return _tokens_span(verb.doc, first, _cut_trailing_clause(verb.doc, first, last))


def _cut_trailing_clause(doc: Doc, first: int, last: int) -> int:
    """End the content before a trailing ", which …" / ", known as …" / ", citing …" clause:
    the writer's aside, not the reported words."""
    for t in doc[first:last + 1]:
        if t.dep_ in TRAILING and t.left_edge.i > first and doc[t.left_edge.i - 1].text == "," \
                and t.right_edge.i >= last - 1:
            return t.left_edge.i - 2
    return last


def _parataxis(verb: Token) -> tuple[int, int] | None:
    """", he said," inside or after the main clause: the content is the rest of the head
    (the hull of both sides when the cue sits inside it: "Acts of protest, Mr. Obama said,
    are acts of patriotism")."""
    if verb.dep_ != "parataxis":
        return None
    head = verb.head
    left, right = head.left_edge.i, head.right_edge.i
    if verb.left_edge.i > left:
        if verb.right_edge.i < right - 1 and any(t.is_alpha for t in verb.doc[verb.right_edge.i + 1:right + 1]):
            return _tokens_span(verb.doc, left, right)
        return _tokens_span(verb.doc, left, verb.left_edge.i - 1)
    if verb.right_edge.i < right:
        return _tokens_span(verb.doc, verb.right_edge.i + 1, right)
    return None


def _clause_before_comma(verb: Token, source: Token | None) -> tuple[int, int] | None:
    """"If the foreign forces want …, be it Turkey …, Mujahid told VOA." when the parse gave
    no complement: the sentence up to the comma that opens the attributing clause."""
    doc, sent = verb.doc, verb.sent
    lo = min([verb.i] + ([source.left_edge.i] if source is not None else []))
    if lo - 1 <= sent.start or doc[lo - 1].text not in (",", "—"):
        return None
    if any(t.is_alpha for t in doc[verb.i + 1:sent.end] if t.dep_ not in ("dobj", "dative", "prep", "pobj", "npadvmod", "compound", "det", "amod", "advmod")):
        return None
    return _tokens_span(doc, sent.start, lo - 2)


def _object(verb: Token) -> tuple[int, int] | None:
    """What was criticised / called for / announced: the direct object, or the object of
    the verb's first preposition ("called for X")."""
    if verb.lemma_.lower() in ADDRESSEE_VERBS:
        return None
    for child in verb.children:
        if child.dep_ == "dobj" and child.i > verb.i:
            last = child.right_edge.i  # "invited X to the stage": the object and what follows
            for more in verb.children:
                if more.i > child.i and more.dep_ in ("prep", "xcomp", "oprd") and more.lower_ != "as" \
                        and not any(t.ent_type_ in ("DATE", "TIME") or t.lemma_.lower() in MEDIUM
                                    for t in more.subtree):
                    last = max(last, more.right_edge.i)
            return _tokens_span(verb.doc, child.left_edge.i, _cut_trailing_clause(verb.doc, child.i, last))
    for child in verb.children:
        if child.dep_ == "prep" and child.i == verb.i + 1 and child.lower_ in OBJECT_PREPS:
            pobj = next((c for c in child.children if c.dep_ in ("pobj", "pcomp")), None)
            if pobj is not None:
                return _subtree_chars(pobj)
    return None


def _cue_chars(verb: Token) -> tuple[int, int]:
    """The verb with its auxiliaries and adverbs right before it ("has also said") and its
    particle or object preposition right after ("pointed out", "called for")."""
    doc = verb.doc
    first = verb.i
    while first > 0 and doc[first - 1].head == verb and doc[first - 1].dep_ in CUE_LEFT:
        first -= 1
    last = verb.i
    if last + 1 < len(doc) and doc[last + 1].head == verb and (
            doc[last + 1].dep_ == "prt" or doc[last + 1].dep_ == "prep" and doc[last + 1].lower_ in OBJECT_PREPS
            and verb.lemma_.lower() in PHRASAL_CUES):
        last += 1
    return _tokens_span(doc, first, last)


def _according_to(tok: Token):
    """("according to", X) -> (cue chars, source token, content chars)."""
    doc = tok.doc
    if tok.lower_ != "according" or tok.i + 1 >= len(doc) or doc[tok.i + 1].lower_ != "to":
        return None
    to = doc[tok.i + 1]
    pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
    sent = tok.sent
    phrase_first = tok.i
    phrase_last = pobj.right_edge.i if pobj is not None else to.i
    if phrase_first > sent.start + 1:
        content = _tokens_span(doc, sent.start, phrase_first - 1)
    elif phrase_last + 1 < sent.end:
        content = _tokens_span(doc, phrase_last + 1, sent.end - 1)
    else:
        return None
    return _tokens_span(doc, tok.i, to.i), pobj, content


def find_attributions(doc: Doc, cue_lemmas: frozenset[str] = CUE_LEMMAS) -> list[Attribution]:
    text = doc.text
    segments = quote_segments(text)
    found: list[Attribution] = []
    for tok in doc:
        if _inside_any(tok.idx, segments):
            continue
        acc = _according_to(tok)
        if acc is not None:
            cue, src, content = acc
            content = _strip_dateline(text, *_balance(text, *_trim(text, *content)))
            if any(ch.isalpha() for ch in text[content[0]:content[1]]):
                found.append(Attribution(cue, content, _src_chars(text, src)))
            continue
        if tok.pos_ not in ("VERB", "AUX") or tok.lemma_.lower() not in cue_lemmas:
            continue
        if tok.pos_ == "AUX" and tok.dep_ != "ROOT":
            continue
        if any(c.lower_ == "as" and any(g.dep_ == "pcomp" for g in c.children) for c in tok.children):
            continue  # "quoted X as saying …": the attribution is X's, on "saying"
        subj = _subject(tok)
        quoted = False
        if tok.lemma_.lower() in RAISING and subj is not None and subj.head == tok:
            xcomp = next((c for c in tok.children if c.dep_ == "xcomp" and c.i > tok.i), None)
            if xcomp is not None:
                content = _trim(text, *_tokens_span(doc, subj.left_edge.i, xcomp.right_edge.i))
                found.append(Attribution(_cue_chars(tok), content, None, None, tok.i, False))
                continue
        seg = _adjacent_segment(doc, text, tok, subj, segments, cue_lemmas)
        comp = _complement(tok, cue_lemmas)
        if seg is not None and comp is not None and (comp[1] <= seg[0] or comp[0] >= seg[1]):
            seg = None  # "“…” Clinton says Trump's tweets are lies": the complement wins
        if seg is not None:
            content, quoted = seg, True
        else:
            content = comp or _parataxis(tok) or _clause_before_comma(tok, subj) or _object(tok)
            if content is None:
                continue
            content = _balance(text, *_trim(text, *content))
        content = _strip_dateline(text, *content)
        if not any(ch.isalpha() for ch in text[content[0]:content[1]]):
            continue
        told = None
        if tok.lemma_.lower() in ADDRESSEE_VERBS:
            obj = next((c for c in tok.children if c.dep_ in ("dobj", "dative")), None)
            if obj is not None:
                told = _trim(text, *_subtree_chars(obj))
        else:  # "said to Reuters"
            for prep in tok.children:
                if prep.dep_ == "prep" and prep.lower_ == "to":
                    pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
                    if pobj is not None and pobj.ent_type_ in ("ORG", "PERSON", "NORP", "GPE"):
                        told = _trim(text, *_subtree_chars(pobj))
        found.append(Attribution(_cue_chars(tok), content, _src_chars(text, subj),
                                 told, tok.i, quoted))
    found.extend(_dash_attributions(doc, text, segments, found))
    return _one_per_content(_drop_nested(found))


def _one_per_content(found: list[Attribution]) -> list[Attribution]:
    """Two cues claiming the same words ("Officials said: “…” … the official added"): the
    first cue keeps them."""
    seen, out = set(), []
    for a in sorted(found, key=lambda a: a.cue[0]):
        if a.content in seen:
            continue
        seen.add(a.content)
        out.append(a)
    return out


DASH = re.compile(r"\s*([―—–]|--)\s*")


def _dash_attributions(doc: Doc, text: str, segments: list[QuoteSegment], found: list[Attribution]) -> list[Attribution]:
    """A quote signed with a dash and a name: "“…” ― Veronica Cruz"."""
    out = []
    starts = {ent.start_char: ent for ent in doc.ents if ent.label_ in ("PERSON", "ORG")}
    for seg in segments:
        m = DASH.match(text, seg.end)
        if m is None or m.end() not in starts:
            continue
        if any(a.content[0] <= seg.start and seg.end <= a.content[1] for a in found):
            continue
        ent = starts[m.end()]
        out.append(Attribution((m.start(1), m.end(1)), (seg.start, seg.end), (ent.start_char, ent.end_char),
                               quoted=True))
    return out


def _src_chars(text: str, tok: Token | None) -> tuple[int, int] | None:
    """The source's words: the subject's whole subtree. (Cutting relative/participial
    clauses off it, or replacing a relative pronoun by its antecedent, both lowered source
    exact F1 on PolNeAR dev: 0.708 -> 0.693 / 0.698.)"""
    if tok is None:
        return None
    span = _trim(text, *_subtree_chars(tok))
    return span if any(ch.isalpha() for ch in text[span[0]:span[1]]) else None


def _drop_nested(found: list[Attribution]) -> list[Attribution]:
    """Keep an attribution only if its cue is not inside another one's content."""
    out = []
    for a in found:
        if any(b is not a and b.content[0] <= a.cue[0] and a.cue[1] <= b.content[1] for b in found):
            continue
        out.append(a)
    return out


def sentence_of(doc: Doc, char: int) -> Span | None:
    for sent in doc.sents:
        if sent.start_char <= char < sent.end_char:
            return sent
    return None
