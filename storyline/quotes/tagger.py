"""The trained attribution tagger: a linear-chain CRF (python-crfsuite) that labels every token
source / cue / content (BIO), stacked on the rules (their decisions are features,
features.py), then groups the labelled spans into attributions.

PolNeAR is univocal (each token has one label and belongs to at most one attribution), so a
tag sequence represents it fully. Grouping: each cue is an anchor; a source or content span
goes to the cue its parse head chain reaches (subject, complement, "according to X", a
parenthetical "he said" hanging off the content's verb), else to an adjacent cue (only
sources, punctuation and quote marks between), else to the nearest cue in the same sentence.
Several content fragments of one cue ("“A,” he said. “B.”") give their hull, as PolNeAR's
discontinuous contents are scored. The model file ships as package data
(models/attribution.crfsuite, trained by scripts/train_quote_model.py); without it, or
without pycrfsuite, `tag` returns None and the component keeps the rules' output.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from spacy.tokens import Doc

from .features import token_features
from .spans import Attribution, tokens_span, trim

MODEL_PATH = Path(__file__).parent / "models" / "attribution.crfsuite"
GAP_OK = set(",:;—–-()\"“”‘’'")
HOPS = 4  # head-chain steps from a span's root looking for its cue


@lru_cache(maxsize=1)
def _tagger():
    try:
        import pycrfsuite
    except ImportError:
        return None
    if not MODEL_PATH.exists():
        return None
    tagger = pycrfsuite.Tagger()
    tagger.open(str(MODEL_PATH))
    return tagger


def available() -> bool:
    return _tagger() is not None


def tag(doc: Doc, found: list[Attribution]) -> list[str] | None:
    tagger = _tagger()
    if tagger is None or not len(doc):
        return None
    return tagger.tag(token_features(doc, found))


def decode(labels: list[str]) -> list[tuple[str, int, int]]:
    """(role, first token, end token exclusive) runs; an I- after another role opens a span."""
    out: list[list] = []
    for i, lab in enumerate(labels):
        if lab == "O":
            continue
        bio, role = lab.split("-", 1)
        if bio == "I" and out and out[-1][0] == role and out[-1][2] == i:
            out[-1][2] = i + 1
        else:
            out.append([role, i, i + 1])
    return [tuple(s) for s in out]


def _root(doc: Doc, s: int, e: int):
    for t in doc[s:e]:
        if not (s <= t.head.i < e) or t.head is t:
            return t
    return doc[s]


def _reaches(doc: Doc, tok, owner: list[int]) -> int | None:
    """The cue (index) owning a token on the head chain from `tok`, within HOPS steps."""
    for _ in range(HOPS):
        if owner[tok.i] >= 0:
            return owner[tok.i]
        if tok.head is tok:
            return None
        tok = tok.head
    return owner[tok.i] if owner[tok.i] >= 0 else None


def _gap_ok(doc: Doc, labels: list[str], a: int, b: int, allow: str) -> bool:
    """Tokens a..b-1 are only `allow` roles, punctuation or quote marks, in one paragraph."""
    for t in doc[a:b]:
        if labels[t.i][2:] in allow:
            continue
        if t.text in GAP_OK or t.is_space:
            continue
        return False
    return not any("\n\n" in t.text_with_ws for t in doc[a:b])


def group(doc: Doc, labels: list[str]) -> list[Attribution]:
    text = doc.text
    spans = decode(labels)
    cues = [s for s in spans if s[0] == "C"]
    if not cues:
        return []
    cue_of_token = [-1] * len(doc)
    for k, (_, s, e) in enumerate(cues):
        for i in range(s, e):
            cue_of_token[i] = k
    sources: dict[int, list] = {}
    contents: dict[int, list] = {}
    for role, s, e in spans:
        if role == "C":
            continue
        k = _assign(doc, labels, cues, cue_of_token, role, s, e)
        if k is not None:
            (sources if role == "S" else contents).setdefault(k, []).append((s, e))
    out = []
    for k, (_, cs, ce) in enumerate(cues):
        parts = contents.get(k)
        if not parts:
            continue
        content = trim(text, *tokens_span(doc, min(p[0] for p in parts), max(p[1] for p in parts) - 1))
        source = None
        if sources.get(k):
            s, e = min(sources[k], key=lambda p: min(abs(p[0] - ce), abs(cs - p[1])))
            source = trim(text, *tokens_span(doc, s, e - 1))
        verb = _root(doc, cs, ce)
        cue = tokens_span(doc, cs, ce - 1)  # kept whole: a ":" alone is a cue
        if content[0] >= content[1]:
            continue
        out.append(Attribution(cue, content, source if source and source[0] < source[1] else None,
                               None, verb.i, False, source_extent=source))
    return out


def _assign(doc, labels, cues, cue_of_token, role, s, e) -> int | None:
    root = _root(doc, s, e)
    k = _reaches(doc, root, cue_of_token)
    if k is not None:
        return k
    if role == "Q":  # a parenthetical cue hanging off the content: "…, he said, …"
        for k, (_, cs, ce) in enumerate(cues):
            head = _root(doc, cs, ce).head
            for _ in range(HOPS):
                if s <= head.i < e:
                    return k
                if head.head is head:
                    break
                head = head.head
    nxt = next((k for k, c in enumerate(cues) if c[1] >= e), None)
    prv = next((k for k in range(len(cues) - 1, -1, -1) if cues[k][2] <= s), None)
    if nxt is not None and _gap_ok(doc, labels, e, cues[nxt][1], "S"):
        return nxt
    if prv is not None and _gap_ok(doc, labels, cues[prv][2], s, "S"):
        return prv
    sent = doc[s].sent
    near = [k for k in (prv, nxt) if k is not None and doc[cues[k][1]].sent == sent]
    if near:
        return min(near, key=lambda k: min(abs(cues[k][1] - e), abs(s - cues[k][2])))
    return None
