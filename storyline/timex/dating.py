"""Which time expression dates given words: a span (`timex_for_span`, the nearest
expression in its sentence) or a verb (`timex_for_verb`, an expression among the verb's own
dependents: "said on Friday", "a statement issued on Sunday said")."""
from __future__ import annotations

from typing import Optional

from spacy.tokens import Token

from ..text.spans import span_record

# Dependents of a verb that may carry its date ("said on Friday", "said Friday", "said
# late on Friday, when ...").
DATING_DEPS = ("prep", "npadvmod", "advmod", "obl", "tmod", "advcl")


def timex_for_span(doc_or_records, start: int, end: int, max_gap: int = 60) -> Optional[dict]:
    """The time expression that dates the words at [start, end) (e.g. a speech verb).

    Takes a Doc (reads `doc._.storyline_timexes`) or a list of timex records. Prefers a DATE/TIME
    expression inside the same sentence, nearest to the span; with a Doc, only
    expressions in the span's sentence count. Returns the record or None."""
    records = doc_or_records
    sent_bounds = None
    if hasattr(doc_or_records, "_"):
        doc = doc_or_records
        records = getattr(doc._, "storyline_timexes", None) or []
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None and doc.has_annotation("SENT_START"):
            s = span.sent
            sent_bounds = (s.start_char, s.end_char)
    best, best_d = None, None
    for t in records:
        if t.get("type") not in ("DATE", "TIME") or t.get("value") in (None, "PRESENT_REF", "PAST_REF", "FUTURE_REF"):
            continue
        ts, te = t["span"]["start"], t["span"]["end"]
        if sent_bounds and not (sent_bounds[0] <= ts and te <= sent_bounds[1]):
            continue
        dist = 0 if ts < end and start < te else (ts - end if ts >= end else start - te)
        if sent_bounds is None and dist > max_gap:
            continue
        if best_d is None or dist < best_d:
            best, best_d = t, dist
    return best


def timex_for_verb(verb: Token, timexes: list[dict], ents: tuple, text: str,
                   exclude: Optional[tuple[int, int]] = None,
                   include: Optional[tuple[int, int]] = None) -> Optional[dict]:
    """The time expression attached to a verb: the first DATE/TIME record (in text order)
    inside one of the verb's adverbial dependents that does not overlap `exclude` (a
    quote's content), or inside `include` (its source's words: "said a press release issued
    by the Taliban on Sunday"). Without such a record, a DATE/TIME entity of the parse in
    the same place comes back as `{"type", "value": None, "precision": None, "span"}`.

    `timexes` are the time component's records; `ents` and `text` are doc.ents and
    doc.text, read once by the caller."""
    region = set()
    for child in verb.children:
        if child.dep_ in DATING_DEPS:
            lo, hi = child.left_edge.idx, child.right_edge.idx + len(child.right_edge)
            if exclude is None or lo >= exclude[1] or hi <= exclude[0]:
                region.add((lo, hi))
    if include is not None:
        region.add(include)
    if not region:
        return None

    def inside(s, e):
        return any(lo <= s and e <= hi for lo, hi in region)

    for t in timexes or []:
        sp = t.get("span") or {}
        if inside(sp.get("start", -1), sp.get("end", -1)) and t.get("type") in ("DATE", "TIME"):
            return t
    for ent in ents:
        if ent.label_ in ("DATE", "TIME") and inside(ent.start_char, ent.end_char):
            return {"type": ent.label_, "value": None, "precision": None,
                    "span": span_record(text, ent.start_char, ent.end_char)}
    return None
