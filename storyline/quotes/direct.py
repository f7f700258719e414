"""Attributions anchored on quote marks: a quote segment next to its attributing clause
("“…,” he said" / "He said: “…”" / "“…,” he said. “…”"), a quote signed with a dash
("“…” ― Veronica Cruz"), and "Name: …" lines (headlines, transcripts)."""
from __future__ import annotations

import bisect
import re

from spacy.tokens import Doc, Token

from .cues import CUE_LEMMAS
from .marks import QuoteSegment
from .spans import Attribution, balance, only_glue, trim

def _sentence_lead(doc: Doc, text: str, pos: int) -> int | None:
    """Start of the sentence holding `pos` when words come before `pos` in it, else None."""
    span = doc.char_span(pos, pos + 1, alignment_mode="expand")  # the token at pos, no scan
    if span is None or not len(span):
        return None
    sent_start = span[0].sent.start_char
    lead = text[sent_start:pos]
    if "\n" in lead or not any(ch.isalpha() for ch in lead):
        return None
    return sent_start


def has_cue(doc: Doc, start: int, end: int, cue_lemmas) -> bool:
    span = doc.char_span(start, end, alignment_mode="expand")
    return span is not None and any(t.pos_ == "VERB" and t.lemma_.lower() in cue_lemmas for t in span)


def adjacent_segment(doc: Doc, text: str, verb: Token, source: Token | None, segments: list[QuoteSegment],
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
                and not inside_any(child.idx, segments) and child.right_edge.idx < doc[-1].idx + 1:
            if not any(g.start <= child.right_edge.idx < g.end for g in segments):
                hi = max(hi, child.right_edge.i)
    clause_end = doc[hi].idx + len(doc[hi])
    k = bisect.bisect_left([g.end for g in segments], clause_start - 3)
    for j in range(max(0, k - 1), min(len(segments), k + 3)):
        seg = segments[j]
        if seg.end <= clause_start and only_glue(text, seg.end, clause_start) and "\n" not in text[seg.end:clause_start] \
                and not (_ends_sentence(text, seg) and _takes_object(verb) and "," not in text[seg.end:clause_start]):
            # (a comma after the closing mark, even a stray one after a space as in
            # '“… 2026.” , Ilse Varnholt told Reuters.', ties the quote to this clause)
            start, end = seg.start, seg.end
            lead = _sentence_lead(doc, text, seg.start)
            if lead is not None and not has_cue(doc, lead, seg.start, cue_lemmas):
                start = lead  # mixed: 'The answers are "not meeting the demand," says X
            nxt = segments[j + 1] if j + 1 < len(segments) else None
            if nxt is not None and nxt.start >= clause_end:
                between = text[clause_end:nxt.start]
                if len(between) < 3 and between.strip() in ("", ".", ",", ":") or \
                        len(between) < 120 and "\n" not in between and between.rstrip()[-1:] in (".", ",") \
                        and not has_cue(doc, clause_end, nxt.start, cue_lemmas):
                    end = nxt.end
            return start, end
        if seg.start >= clause_end and only_glue(text, clause_end, seg.start):
            return seg.start, seg.end
    return None


def _ends_sentence(text: str, seg: QuoteSegment) -> bool:
    """The quote closes its own sentence ("… donors are.” McConnell said …")."""
    inner = text[seg.start:seg.end].rstrip("”\"'")
    return inner[-1:] in (".", "?", "!")


def _takes_object(verb: Token) -> bool:
    return any(c.i > verb.i and c.dep_ in ("dobj", "ccomp", "xcomp") for c in verb.children)


def inside_any(pos: int, segments: list[QuoteSegment]) -> bool:
    k = bisect.bisect_right(segments, pos, key=lambda g: g.start) - 1
    return k >= 0 and segments[k].start < pos < segments[k].end - 1


DASH = re.compile(r"\s*([―—–]|--)\s*")


def dash_attributions(doc: Doc, text: str, ents: tuple, segments: list[QuoteSegment],
                      found: list[Attribution]) -> list[Attribution]:
    """A quote signed with a dash and a name: "“…” ― Veronica Cruz"."""
    out = []
    starts = {ent.start_char: ent for ent in ents if ent.label_ in ("PERSON", "ORG")}
    for seg in segments:
        m = DASH.match(text, seg.end)
        if m is None or m.end() not in starts:
            continue
        if any(a.content[0] <= seg.start and seg.end <= a.content[1] for a in found):
            continue
        ent = starts.get(m.end())
        if ent is not None:
            source = (ent.start_char, ent.end_char)
        else:  # a signature the NER missed: a few capitalised words to the end of the line
            sig = SIGNATURE.match(text, m.end())
            if sig is None:
                continue
            source = trim(text, m.end(), sig.end())
        out.append(Attribution((m.start(1), m.end(1)), (seg.start, seg.end), source, quoted=True))
    return out


SIGNATURE = re.compile(r"(?:[A-Z][\w.'’-]*[ \t\xa0]*){1,4}(?=\s*(?:\n|$))")
# "Pat Caddell: Democrat Voters Worried …", "WALLACE: Let's start …": a short name, a colon,
# and the rest of the line.
LABEL = re.compile(r"(?m)^[\"“]?((?:[A-Z][\w.'’-]*[ \xa0]?){1,4}):[ \xa0]+(?=\S)")


def label_attributions(doc: Doc, text: str, found: list[Attribution]) -> list[Attribution]:
    out = []
    for m in LABEL.finditer(text):
        end = text.find("\n", m.end())
        end = len(text) if end < 0 else end
        content = trim(text, m.end(), end)
        if content[1] - content[0] < 3 or any(a.content[0] <= m.start(1) < a.content[1] for a in found):
            continue
        words = doc.char_span(m.start(1), m.end(1), alignment_mode="expand")
        if words is None or any(t.pos_ in ("VERB", "AUX") for t in words):
            continue
        src = trim(text, m.start(1), m.end(1))
        out.append(Attribution((m.end(1), m.end(1) + 1), balance(text, *content), src))
    return out
