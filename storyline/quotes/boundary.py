"""Learned content end: where a rule-found content span stops.

The rules (extract.py) find the content's start well and its end less well: PolNeAR contents
often run on past a ", but …" coordination, a relative clause or into the next sentence,
and stop before a trailing "during the primaries" that belongs to the cue. For each rule
attribution we list candidate last tokens (the rules' own end, every token before a
punctuation mark, a clause or phrase boundary, or a sentence end, from the content's start up
to the end of the next sentence, not crossing another attribution's words or a paragraph
break) and a maximum-entropy classifier (python-crfsuite on one-item sequences, trained by
scripts/train_quote_model.py) scores each; the best-scoring one wins. Without the model file
the rules' end stays.
"""
from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Doc

from ..text.tokens import TokenTable
from .cues import CUE_LEMMAS
from .reported import MEDIUM
from .spans import Attribution, balance, trim

MODEL_PATH = Path(__file__).parent / "models" / "content_end.crfsuite"
# Dependencies whose subtree, starting right after a token, may be cut off the content.
CUT_DEPS = {"cc", "conj", "prep", "advcl", "relcl", "acl", "npadvmod", "advmod", "mark", "punct", "agent",
            "appos", "dobj", "pobj", "ccomp", "xcomp", "parataxis", "nsubj", "dative", "attr", "oprd"}
# How many sentences past the rules' end a content may run. Swept 0 / 1 / 2 on PolNeAR dev
# (content exact F1 0.546 / 0.548 / 0.548).
MAX_SENTENCES = 1
MAX_CANDIDATES = 60
_LOCK = threading.Lock()  # a crfsuite Tagger holds the item being scored


def open_model(path):
    """The content-end classifier at `path`, or None (no file, or python-crfsuite absent)."""
    try:
        import pycrfsuite
    except ImportError:
        return None
    if not path or not Path(path).exists():
        return None
    tagger = pycrfsuite.Tagger()
    tagger.open(str(path))
    return tagger


@lru_cache(maxsize=1)
def _model():
    return open_model(MODEL_PATH)


def _tokens(doc: Doc, span: tuple[int, int]):
    sp = doc.char_span(span[0], span[1], alignment_mode="expand")
    return (sp.start, sp.end) if sp is not None and len(sp) else None


def _medium(tok, verb: int | None) -> bool:
    """"denied the report | in a statement": the channel of the cue is never content."""
    return (verb is not None and tok.head.i == verb and tok.dep_ == "prep"
            and any(c.dep_ == "pobj" and c.lemma_.lower() in MEDIUM for c in tok.children))


def candidates(doc: Doc, a: Attribution, blocked: set[int], max_sentences: int = MAX_SENTENCES,
               max_candidates: int = MAX_CANDIDATES, table: TokenTable | None = None) -> tuple[int, list[int]] | None:
    """(the rules' last token, candidate last tokens) for one attribution's content. `table`:
    the Doc's TokenTable (storyline/text/tokens.py) when the caller has one."""
    toks = _tokens(doc, a.content)
    if toks is None:
        return None
    tb = table if table is not None else TokenTable(doc)
    first, end = toks
    rule_last = end - 1
    sent_ends = 0
    out = []
    j = first
    n = len(doc)
    # (a Token's whitespace_ is "" or one space: a line break is a token of its own)
    while j < n and len(out) < max_candidates:
        if j > rule_last and (j in blocked or "\n" in tb.text[j] or (
                a.verb is not None and tb.head[j] == a.verb and tb.dep[j] == "prep" and _medium(doc[j], a.verb))):
            break
        sent_end = j + 1 >= n or tb.sent_start[j + 1]
        if not tb.is_punct[j] and not tb.is_space[j] and (
                j == rule_last or sent_end or tb.is_punct[j + 1] or tb.dep[j + 1] in CUT_DEPS):
            out.append(j)
        if j > rule_last and sent_end:
            sent_ends += 1
            if sent_ends > max_sentences:
                break
        j += 1
    if rule_last not in out:
        out.append(rule_last)
    return rule_last, out


def _cut(doc: Doc, j: int):
    """The largest subtree that starts right after token j (its head token), or None."""
    if j + 1 >= len(doc):
        return None
    t = doc[j + 1]
    while t.head.i != t.i and t.head.left_edge.i == j + 1:
        t = t.head
    return t


def features(doc: Doc, a: Attribution, rule_last: int, j: int, quoted: bool,
             table: TokenTable | None = None) -> list[str]:
    tb = table if table is not None else TokenTable(doc)
    n = len(doc)
    lower, pos, dep, starts = tb.lower, tb.pos, tb.dep, tb.sent_start
    has_nxt, has_nxt2 = j + 1 < n, j + 2 < n
    rel = "at" if j == rule_last else "before" if j < rule_last else "after"
    sent_off = int(any(starts[k] for k in range(rule_last + 1, j + 1)))
    verb = a.verb
    cut_tok = _cut(doc, j)
    cut = cut_tok.dep_ if cut_tok is not None else "END"
    dist = abs(j - rule_last)
    bucket = "0" if dist == 0 else "1-2" if dist <= 2 else "3-6" if dist <= 6 else "7-15" if dist <= 15 else "16+"
    nw = lower[j + 1] if has_nxt else "$"
    f = ["rel=" + rel, "soff=" + str(sent_off), "dist=" + bucket, "rel|dist=" + rel + bucket,
         "cut=" + cut, "rel|cut=" + rel + "|" + cut,
         "w=" + lower[j], "p=" + pos[j], "d=" + dep[j],
         "nw=" + nw, "np=" + (pos[j + 1] if has_nxt else "$"),
         "nd=" + (dep[j + 1] if has_nxt else "$"), "n2w=" + (lower[j + 2] if has_nxt2 else "$"),
         "rel|nw=" + rel + "|" + nw,
         "q=" + str(quoted), "after_cue=" + str(verb is not None and verb < j),
         "cue=" + (tb.lemma[verb].lower() if verb is not None else "-")]
    if not has_nxt or starts[j + 1]:
        f.append("sent_end")
        f.append("sent_end|rel=" + rel)
    if verb is not None:
        f.append("cut_head_is_cue=" + str(has_nxt and tb.head[j + 1] == verb))
        if rule_last < j and rule_last < verb <= j:
            f.append("spans_cue")
    if j > rule_last and any(tb.lemma[k].lower() in CUE_LEMMAS and pos[k] == "VERB"
                             for k in range(rule_last + 1, j + 1)):
        f.append("adds_cue_word")
    return f


def blocked_tokens(doc: Doc, found: list[Attribution]) -> set[int]:
    out = set()
    for a in found:
        for span in (a.cue, a.source):
            toks = _tokens(doc, span) if span else None
            if toks:
                out.update(range(*toks))
    return out


def refine(doc: Doc, found: list[Attribution], model=None, text: str | None = None,
           max_sentences: int = MAX_SENTENCES, max_candidates: int = MAX_CANDIDATES,
           table: TokenTable | None = None) -> list[Attribution]:
    """Move each non-quoted content's end to the best-scoring candidate (in place).

    `model` is an open classifier (`open_model`), by default the shipped one; `text` is
    doc.text and `table` the Doc's TokenTable when the caller has them already."""
    model = _model() if model is None else model
    if model is None:
        return found
    blocked = blocked_tokens(doc, found)
    text = doc.text if text is None else text
    table = TokenTable(doc) if table is None else table
    for a in found:
        if a.quoted:
            continue
        cand = candidates(doc, a, blocked, max_sentences, max_candidates, table)
        if cand is None:
            continue
        rule_last, cands = cand
        best, best_p = rule_last, -1.0
        with _LOCK:
            for j in cands:
                model.set([features(doc, a, rule_last, j, a.quoted, table)])
                p = model.marginal("Y", 0)
                if p > best_p:
                    best, best_p = j, p
        if best != rule_last:
            t = doc[best]
            new = balance(text, *trim(text, a.content[0], t.idx + len(t)))
            if new[1] > new[0]:
                a.content = new
    return found
