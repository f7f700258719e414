"""Relative expressions of an undated report, resolved against a window of publication days.

An undated report's "on Tuesday" or "last month" has no value: the report's day is unknown.
When something narrows that day to a window with a year (storyline/link/story_dating.py:
the report's estimated window, storyline/timex/estimate.py, with the year its story's
dated reports give), an expression gets a value only when every day of the window gives it
the same one: "last year", "this month", "next September" often do, "on Tuesday" does only
in a window shorter than a week. A resolved expression is then right whenever the window
holds the true day. Resolution is monotone in the report's day (each rule counts forward or
back from it), so the first and last day agreeing means every day between agrees; the middle
day is checked as well.
"""
from __future__ import annotations

from datetime import date
from typing import Optional

from .extract import extract_timexes


def _unresolved(r: dict) -> bool:
    return r.get("type") in ("DATE", "TIME") and r.get("value") is None and r.get("anchor") in (None, "none")


def resolve_in_window(text: str, records: list[dict], first: date, last: date) -> dict[str, dict]:
    """{record id: resolution} for the unresolved DATE/TIME records of `text` (its stored
    timex records, which give each expression its tense) that resolve to one value for every
    publication day in [first, last]. A resolution holds `value`, `precision` and `mod` as the
    report's own date would give them."""
    targets = [r for r in records if _unresolved(r) and r.get("id")]
    if not targets or last < first:
        return {}
    mid = date.fromordinal((first.toordinal() + last.toordinal()) // 2)
    seen: dict[str, set] = {r["id"]: set() for r in targets}
    got: dict[str, dict] = {}
    for day in dict.fromkeys((first, mid, last)):
        by_span = {((x.get("span") or {}).get("start"), (x.get("span") or {}).get("end")): x
                   for x in extract_timexes(text, day.isoformat(), None, records)}
        for r in targets:
            span = r.get("span") or {}
            x: Optional[dict] = by_span.get((span.get("start"), span.get("end")))
            value = x.get("value") if x else None
            seen[r["id"]].add(value)
            if x and value:
                got[r["id"]] = {k: x.get(k) for k in ("value", "precision", "mod") if x.get(k) is not None}
    return {rid: got[rid] for rid, values in seen.items() if len(values) == 1 and None not in values}
