"""Where a time expression starts and ends, by the TimeML (TIMEX3) span conventions.

The atom patterns match generously; these rules trim or widen an expression's span once it
is resolved (the value does not change):

- a possessive clitic is not part of the expression: "Friday's" -> "Friday";
- a determiner or possessive before an expression used as a modifier stays out:
  "a third-quarter loss" -> "third-quarter", "its fourth quarter" -> "fourth quarter",
  "a five year plan" / "the 30-day period" -> "five year" / "30-day"; a noun phrase keeps
  its article ("the third quarter", "the nine months");
- "the" before "early"/"late"/"mid" + decade or season belongs in: "the late 1970s";
- "the" before "previous"/"following" + weekday belongs in: "the previous Friday";
- "the year-ago results" is the expression "year-ago" modifying "results";
- a trailing "or so" belongs in: "the next year or so".

Each rule was checked against the TimeBank part of TempEval-3 (development data): every
one turns more boundary mismatches into exact matches than it breaks.
"""
from __future__ import annotations

import re

_POSSESSIVE = re.compile(r"['\u2019]s$")
_DET = re.compile(r"^(?:a|an|the|its|their|his|her|our)\s+", re.I)
_NOUN_DET = re.compile(r"^(?:its|their|his|her|our)\s+", re.I)
# A count and a unit written as an adjective: "two-week", "10-year", "five year" (singular
# unit after a count other than one), "third-quarter".
_ADJ_DURATION = re.compile(r"^\S+-(?:second|minute|hour|day|week|month|quarter|year|decade)\b"
                           r"|^(?!(?:a|an|one)\s)\S+\s+(?:second|minute|hour|day|week|month|year|decade)$", re.I)
_HYPHEN_QUARTER = re.compile(r"-(?:quarter|half)$", re.I)
_THE_BEFORE = re.compile(r"\bthe\s+$", re.I)
_OR_SO = re.compile(r"\s+or\s+so\b", re.I)
_YEARAGO_NOUN = re.compile(r"^(?:the\s+)?(year-earlier|year-ago|prior-year|previous-year)\s+"
                           r"(?:results?|level|figures?)$", re.I)


def adjust(text: str, kind: str, start: int, end: int, res: dict) -> tuple[int, int]:
    """The (start, end) of an expression found at [start, end) as `kind`."""
    span = text[start:end]
    m = _POSSESSIVE.search(span)
    if m and kind in ("weekday", "deictic", "timed"):
        end -= len(m.group(0))
        span = text[start:end]
    if kind == "duration":
        m = _DET.match(span)
        if m and _ADJ_DURATION.search(span[m.end():]):
            start += m.end()
    elif kind == "quarter":
        m = _DET.match(span)
        if m and (_HYPHEN_QUARTER.search(span) or m.group(0).lower().strip() in ("a", "an")
                  or _NOUN_DET.match(span)):
            start += m.end()
    elif kind in ("yearago", "period"):
        m = _YEARAGO_NOUN.match(span)
        if m:
            start, end = start + m.start(1), start + m.end(1)
    m = _OR_SO.match(text, end)
    if m and kind in ("duration", "relunit", "year"):
        end = m.end()  # "the next year or so": the hedge is part of the expression
    before = text[max(0, start - 5):start]
    if kind in ("decade", "relseason", "weekday") and _THE_BEFORE.search(before):
        if (kind != "weekday" and res.get("mod") in ("START", "END", "MID")
                and re.match(r"(?:early|late|mid)\b", span, re.I)) \
                or (kind == "weekday" and re.match(r"(?:previous|following)\s", span, re.I)):
            start -= len(_THE_BEFORE.search(before).group(0))
    return start, end
