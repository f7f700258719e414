"""Words for time: months, weekdays, units, number words, seasons, parts of the day."""
from __future__ import annotations

from ..text.words import MONTHS, NUMBER_WORDS  # noqa: F401  (re-exported: timex reads them here)

# Full names first so the regex alternation prefers the longest form.
MONTH_RE = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
            r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)")
MONTH_ABBR_RE = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
                 r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)")

WEEKDAYS = {d: i for i, d in enumerate(
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])}
WEEKDAY_RE = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"

# TIMEX3 codes for parts of the day and seasons.
DAY_PARTS = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "tonight": "NI",
             "overnight": "NI", "midday": "MI"}
SEASONS = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}

# unit word -> (TIMEX3 duration code, is a time unit (PT...))
UNITS = {"second": ("S", True), "minute": ("M", True), "hour": ("H", True), "day": ("D", False),
         "week": ("W", False), "fortnight": ("W", False), "month": ("M", False),
         "quarter": ("Q", False), "year": ("Y", False), "decade": ("DE", False),
         "century": ("CE", False), "weekend": ("WE", False)}
UNIT_RE = r"(?:second|minute|hour|day|week|fortnight|month|quarter|year|decade|centur(?:y|ie))s?"

# Vague quantities: the count is unknown (TIMEX3 "X").
VAGUE = {"several", "few", "a few", "some", "many", "a couple of", "couple of", "the next few",
         "a number of"}
_NUM_WORD = (r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?"
             r"|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
             r"|one|two|three|four|five|six|seven|eight|nine|ten|a hundred|hundred|half an?|an?)")
NUMBER_RE = r"(?:\d+(?:\.\d+)?|" + _NUM_WORD + r"|several|a few|few|a couple of|couple of|some|many)"

ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
ORDINAL_RE = r"(?:first|second|third|fourth|1st|2nd|3rd|4th)"


def number_value(s: str):
    """'twenty four' -> 24, '3' -> 3, 'several' -> None (vague), 'a couple of' -> 2."""
    s = s.lower().strip().replace("-", " ")
    if s in ("a couple of", "couple of"):
        return 2
    if s in VAGUE or not s:
        return None
    try:
        v = float(s)
        return int(v) if v.is_integer() else v
    except ValueError:
        pass
    if s in NUMBER_WORDS:
        return NUMBER_WORDS[s]
    parts = s.split()
    if len(parts) == 2 and parts[0] in NUMBER_WORDS and parts[1] in NUMBER_WORDS:
        return NUMBER_WORDS[parts[0]] + NUMBER_WORDS[parts[1]]
    return None


def unit_key(s: str) -> str:
    s = s.lower()
    if s.startswith("centur"):
        return "century"
    return s[:-1] if s.endswith("s") and s[:-1] in UNITS else s
