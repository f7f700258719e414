"""An undated report's publication window, estimated from the absolute dates it mentions.

A report is published on or after the latest day it mentions as past ("said on March 12"),
so the window runs from that day to `WINDOW_DAYS` later. Without a stated year the window
is given as `XXXX-MM-DD` (TIMEX3's unknown year) and the basis says so. The result is
always labelled an estimate; it never becomes the article's `published`.
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import Optional

from . import calendar as cal

# News reports mention the days they report on within about a week of publication; the
# window is a plain assumption (not fitted), documented in docs/time.md.
WINDOW_DAYS = 7


def estimate_window(timexes: list[dict], window_days: int = WINDOW_DAYS) -> Optional[dict]:
    days = []
    for t in timexes:
        v = t.get("value") or ""
        if t.get("type") not in ("DATE", "TIME") or t.get("anchor") == "expression" or t.get("mod"):
            continue
        if cal.precision_of(v[:10]) != "day" or t.get("note"):
            continue
        days.append((v[:10], any(c.isdigit() for c in t["text"]), t["text"]))
    if not days:
        return None
    # the latest day; of several expressions for it, the one that writes the date out
    full = [x for x in days if not x[0].startswith("XXXX")]
    if full:
        v, _, s = max(full)
        d = date.fromisoformat(v)
        return {"from": d.isoformat(), "to": (d + timedelta(days=window_days)).isoformat(),
                "basis": f"estimate: latest date mentioned is '{s}' ({v}); window of {window_days} days after it"}
    v, _, s = max(days)
    m, dd = int(v[5:7]), int(v[8:10])
    end = cal.safe_date(2001 if (m, dd) != (2, 29) else 2000, m, dd) + timedelta(days=window_days)
    return {"from": v, "to": f"XXXX-{end.month:02d}-{end.day:02d}",
            "basis": f"estimate: latest date mentioned is '{s}' (year not stated); window of {window_days} days after it"}
