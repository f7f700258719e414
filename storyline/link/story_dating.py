"""Story-level dating: an undated report takes the year of its yearless dates from its story.

A report without a date says "Tuesday (May 19)" or "on May 29": alone, the year is unknown
(`XXXX-05-19`, anchor none). Inside a story whose other reports are dated, the story's span
(its dated reports' days, widened by `SPAN_MARGIN_DAYS` each side) gives the year: the one
year in the span where the day falls (and, when the text names a weekday with it, where
the weekday fits). The record gets that value with anchor `story`, so the story timeline
picks it up; it is never the report's publication date. With no single year, it stays as it was.

Runs as the `time` extractor's linker after stories; every run re-dates the undated reports
of every story (cheap: only their yearless records are read).
"""
from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Optional

from ..store.protocol import Store
from ..timex.calendar import safe_date
from ..timex.lexicon import WEEKDAY_RE, WEEKDAYS

# A story develops over weeks: an undated report may come a little before the first dated
# one or after the last. 60 days keeps the span under a year, so a day falls in it at most
# once or twice, and a weekday then picks one year.
SPAN_MARGIN_DAYS = 60
_WEEKDAY = re.compile(WEEKDAY_RE, re.I)


def story_year(value: str, text: str, lo: date, hi: date) -> Optional[str]:
    """`XXXX-MM-DD[...]` -> the value with the one year that puts the day in [lo, hi] (and on
    the weekday `text` names, if any); None when no single year fits."""
    wd = _WEEKDAY.search(text)
    want = WEEKDAYS[wd.group(0).lower()] if wd else None
    fits = []
    for y in range(lo.year, hi.year + 1):
        d = safe_date(y, int(value[5:7]), int(value[8:10]))
        if d and lo <= d <= hi and (want is None or d.weekday() == want):
            fits.append(y)
    return f"{fits[0]:04d}{value[4:]}" if len(fits) == 1 else None


def link_story_dates(store: Store) -> None:
    by_story: dict[str, list[str]] = {}
    for aid, sid in store.stories.assignments().items():
        if sid:
            by_story.setdefault(sid, []).append(aid)
    for ids in by_story.values():
        arts = [a for a in (store.article(i) for i in ids) if a]
        days = [date.fromisoformat(a["published"][:10]) for a in arts
                if a.get("published") and a.get("published_precision") == "day"]
        if not days:
            continue
        lo, hi = min(days) - timedelta(days=SPAN_MARGIN_DAYS), max(days) + timedelta(days=SPAN_MARGIN_DAYS)
        for art in arts:
            if art.get("published"):
                continue
            changed = []
            for r in store.records("timexes", art["id"]):
                v = r.get("value") or ""
                if not v.startswith("XXXX-") or len(v) < 10 or r.get("anchor") not in ("none", "text"):
                    continue
                value = story_year(v, r.get("text", ""), lo, hi)
                if value:
                    changed.append(dict(r, value=value, anchor="story",
                                        basis=f"year from the story's dated reports ({min(days)} to {max(days)})"))
            if changed:
                store.update_records("timexes", changed)
