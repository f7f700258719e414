"""An undated report's publication window, estimated from the dates it mentions.

A report is published on or after the days it speaks of as past, and before the days it
looks ahead to ("until March 20", "will meet on May 11"): an expression the parse puts in
the future (record `tense` future/by) is a deadline ahead, never the latest past.

News writes the year out for dates of other years and leaves it off for recent ones, so:
- the latest past day written without a year ("said on March 12") opens the window, which
  runs `WINDOW_DAYS` on (or to the first day looked ahead to, if sooner); the window has no
  year (`XXXX-03-12`), the year being unknown from the text alone;
- days written with their year ("April 6, 1994") are mostly history: on the dev sets 3 of
  15 reports whose latest past day carries a year were published within 62 days of it
  (`storyline eval dating`), so they give no window.
Every estimate says how sure it is (`confidence`, with the measured hit rate in `basis`);
it never becomes the article's `published`. Inside a story with dated reports the story
linker (storyline/link/story_dating.py) adds the year.
"""
from __future__ import annotations

from datetime import timedelta
from typing import Optional

from . import calendar as cal

# Swept on the tune halves (TimeBank even-indexed documents, PolNeAR dev even-indexed) for
# the latest yearless past day: the window held the true date for 0/29 and 3/9 at 7 days,
# 3/29 and 6/9 at 14, 10/29 and 7/9 at 31, 16/29 and 7/9 at 62; 31 days is where PolNeAR
# stops gaining. Validation halves agree (0/25 5/8; 4/25 5/8; 8/25 5/8; 10/25 5/8).
WINDOW_DAYS = 31
AHEAD = ("future", "by")
# Share of windows that held the true date on the validation halves (see docs/time.md);
# quoted in the basis so a reader knows how far to trust the window.
MEASURED = "1 in 3 (TimeBank) to 2 in 3 (PolNeAR) on the validation halves"


def _days(timexes: list[dict]) -> tuple[list[tuple[str, str]], list[str]]:
    past, ahead = [], []
    for t in timexes:
        v = (t.get("value") or "")[:10]
        if t.get("type") not in ("DATE", "TIME") or t.get("anchor") == "expression" or t.get("mod"):
            continue
        if cal.precision_of(v) != "day" or t.get("note") or not v.startswith("XXXX"):
            continue
        if t.get("tense") in AHEAD:
            ahead.append(v)
        else:
            past.append((v, t["text"]))
    return past, ahead


def estimate_window(timexes: list[dict], window_days: int = WINDOW_DAYS) -> Optional[dict]:
    """`{from, to, basis, confidence}` or None when the text gives nothing to go on."""
    past, ahead = _days(timexes)
    if not past:
        return None
    v, s = max(past)
    start = _md_date(v)
    end = start + timedelta(days=window_days)
    later = sorted(d for d in (_md_date(a) for a in ahead) if start <= d < end)
    cut = ""
    if later:
        end = later[0]
        cut = f", cut at the first day it looks ahead to ({end.month:02d}-{end.day:02d})"
    return {"from": v, "to": f"XXXX-{end.month:02d}-{end.day:02d}", "confidence": "low",
            "basis": f"estimate: latest past date mentioned is '{s}' (year not stated); "
                     f"window of {window_days} days after it{cut}; such windows held the date {MEASURED}"}


def _md_date(v: str):
    """A yearless XXXX-MM-DD as a date in a fixed leap year (so 02-29 exists)."""
    return cal.safe_date(2000, int(v[5:7]), int(v[8:10]))
