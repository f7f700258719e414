"""Story-level dating: an undated report takes the year of its yearless dates, and the value
of relative expressions its story narrows enough, from its story.

A report without a date says "Tuesday (May 19)" or "on May 29": alone, the year is unknown
(`XXXX-05-19`, anchor none). Inside a story whose other reports are dated, the story's span
(its dated reports' days, widened by `SPAN_MARGIN_DAYS` each side) gives the year: the one
year in the span where the day falls (and, when the text names a weekday with it, where
the weekday fits). The record gets that value with anchor `story`, so the story timeline
picks it up; it is never the report's publication date. With no single year, it stays as it was.
Relative expressions ("last month", "the end of June") are resolved against the report's
estimated window placed in the story's year, only when every day of the window gives the
same value (`date_from_story`).

Runs as the `time` extractor's linker after stories and re-dates the undated reports of a
story from their own readings (their records, and three re-readings of the text without a
parse when a window has a year). Incremental: only the stories that can have changed are
re-dated, the stories of the articles that arrived or that a story merge moved. The time
extractor keeps no progress marker of its own: this linker runs right before the claims
linker, whose pending work is exactly that (its arrivals since its marker, the articles
noted for it, `dirty_stories`), and reads it without changing it. Every story is re-dated
when that marker is 0: the first run, after `relink_all`, after a recluster.
"""
from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Optional

from ..store.protocol import Store
from ..timex.calendar import safe_date
from ..timex.lexicon import WEEKDAY_RE, WEEKDAYS
from .claims import LINKER as FOLLOWS
from .claims import dirty_stories

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


def story_span(articles) -> Optional[tuple[date, date, date, date]]:
    """(lo, hi, first, last): the story's dated reports' first and last day, and the span
    widened by `SPAN_MARGIN_DAYS` each side; None when no report has a day date."""
    days = [date.fromisoformat(a["published"][:10]) for a in articles
            if a.get("published") and a.get("published_precision", "day") in ("day", None)
            and len(str(a["published"])) >= 10]
    if not days:
        return None
    first, last = min(days), max(days)
    return first - timedelta(days=SPAN_MARGIN_DAYS), last + timedelta(days=SPAN_MARGIN_DAYS), first, last


def story_window(estimate: Optional[dict], lo: date, hi: date) -> Optional[tuple[date, date]]:
    """An undated report's estimated window (`XXXX-MM-DD` bounds, storyline/timex/estimate.py)
    with the one year that puts its start inside the story's span; None when there is no
    window or no single year."""
    if not estimate or not str(estimate.get("from") or "").startswith("XXXX-"):
        return None
    start = story_year(str(estimate["from"])[:10], "", lo, hi)
    if not start:
        return None
    a = date.fromisoformat(start)
    to = str(estimate.get("to") or "")
    b = safe_date(a.year, int(to[5:7]), int(to[8:10])) if re.match(r"^XXXX-\d\d-\d\d", to) else None
    if b is None:
        return a, a
    if b < a:  # the window runs into the next year
        b = safe_date(a.year + 1, b.month, b.day) or b
    return a, b


_OWN_KEYS = ("value", "anchor", "precision", "mod")


def _own(r: dict) -> dict:
    """The record as the report alone read it (before any story dating)."""
    if not r.get("story_from"):
        return r
    base = {k: v for k, v in r.items() if k not in (*_OWN_KEYS, "story_from", "basis")}
    return {**base, **{k: v for k, v in r["story_from"].items() if v is not None}}


def date_from_story(art: dict, records: list[dict], span: Optional[tuple]) -> list[dict]:
    """The records of one undated report as its story dates them (only those that change):
    - a yearless day ("Tuesday (May 19)") takes the one year that fits the story's span;
    - a relative expression ("last month", "next September", "the end of June") takes the
      value that every day of the report's estimated window gives it, the window's year
      from the story (storyline/timex/window.py); "on Tuesday" in a 31-day window gives
      several values and stays unresolved. Measured with the dating data (docs/time.md):
      the value was the one the true publication date gives in 119 of 119 (TimeBank) and
      8 of 10 (PolNeAR dev) cases.
    Each changed record gets anchor `story`, a `basis`, and `story_from` (its own reading);
    a record whose story no longer dates it goes back to its own reading."""
    own = [_own(r) for r in records]
    window = story_window(art.get("published_estimate"), span[0], span[1]) if span else None
    in_window: dict = {}
    if window:
        from ..timex.window import resolve_in_window

        in_window = resolve_in_window(art.get("text") or "", own, window[0], window[1])
    changed = []
    for r, o in zip(records, own):
        mine = {k: o.get(k) for k in _OWN_KEYS}
        v = o.get("value") or ""
        new = None
        if span and v.startswith("XXXX-") and len(v) >= 10 and o.get("anchor") in ("none", "text"):
            value = story_year(v, o.get("text", ""), span[0], span[1])
            if value:
                new = dict(o, value=value, anchor="story", story_from=mine,
                           basis=f"year from the story's dated reports ({span[2]} to {span[3]})")
        elif o.get("id") in in_window:
            new = dict(o, **in_window[o["id"]], anchor="story", story_from=mine,
                       basis=f"resolved against the report's estimated publication window ({window[0]} to "
                             f"{window[1]}, year from the story's dated reports): every day of it gives this value")
        if new is None:
            new = o
        if new != r:
            changed.append(new)
    return changed


def link_story_dates(store: Store) -> None:
    """Date the yearless and relative expressions of each story's undated reports from the
    story (`date_from_story`). Idempotent and follows story changes: every run starts again
    from each record's own reading, so a report that left its story (a merge, a relink) or
    whose story lost its dated reports goes back to it. Only the stories that can have
    changed since the last run are read (see the module doc)."""
    stories = _dirty(store)
    if stories is None:
        by_story: dict[str, list[str]] = {}
        for aid, sid in store.stories.assignments().items():
            if sid:
                by_story.setdefault(sid, []).append(aid)
    else:
        by_story = store.stories.members(stories) if stories else {}
    for ids in by_story.values():
        arts = [a for a in (store.article(i) for i in ids) if a]
        span = story_span(arts)
        for art in arts:
            if art.get("published"):
                continue
            changed = date_from_story(art, list(store.records("timexes", art["id"])), span)
            if changed:
                store.update_records("timexes", changed)


def _dirty(store: Store) -> Optional[list[str]]:
    """The stories to re-date: those the claims linker will regroup (see the module doc);
    None for every story."""
    last = store.link_state.last_seq(FOLLOWS)
    if not last:
        return None
    arrived = [a for a, _ in store.link_state.arrivals(last)]
    moved = store.link_state.changed(FOLLOWS)
    if not arrived and not moved:
        return []
    return dirty_stories(store, arrived, moved)
