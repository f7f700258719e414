"""Atom patterns: the regular expressions that find the pieces of time expressions.

Each atom is `(kind, regex)`. `extract.find_atoms` runs them all, keeps the longest
non-overlapping matches, and `extract` then joins neighbouring atoms ("midnight on Friday",
"the end of next month", "a day after March 3") before `resolve` gives each one a value.
"""
from __future__ import annotations

import re

from .lexicon import MONTH_ABBR_RE, NUMBER_RE, ORDINAL_RE, UNIT_RE, WEEKDAY_RE

_B = r"(?<![\w$£€/.-])"  # left word boundary that also refuses "$1990", "3/4", "1.5"
_E = r"(?![\w%/-]|\.\d|,\d)"  # right boundary: no "1990s"/"1990%"/"1,990"
_BM = r"(?<![\w$£€/.])"  # as _B, but "mid-March" may precede a month
DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
YEAR = r"(?P<year>1[6-9]\d\d|20\d\d)"
MON = r"(?P<mon>" + MONTH_ABBR_RE + r")"
PART = r"(?P<part>morning|afternoon|evening|night|overnight)"
REL = r"(?P<rel>last|next|this|coming|past|previous|current|following|the\s+(?:past|last|next|coming|previous|current|latest|following))"
SEASON = r"(?P<season>spring|summer|autumn|fall|winter)"
MOD_PRE = (r"(?P<mod>(?:the\s+)?(?:very\s+)?(?:beginning|start|end|middle|close|first\s+half|second\s+half)\s+of"
           r"|early|late|mid|earlier|later)")
DUR_MOD = (r"(?:(?P<dmod>about|around|roughly|approximately|some|nearly|almost|up\s+to|less\s+than|under"
           r"|more\s+than|at\s+least|at\s+most|no\s+more\s+than|fewer\s+than)\s+)?")
TZ = r"(?:\s*(?P<tz>EST|EDT|CST|CDT|PST|PDT|GMT|UTC|BST|CET|local\s+time))?"

ATOMS: list[tuple[str, str]] = [
    ("iso", _B + r"(?P<year>1[6-9]\d\d|20\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)" + _E),
    ("numeric", _B + r"(?P<month>[01]?\d)/(?P<day>[0-3]?\d)/(?P<year>(?:19|20)?\d\d)" + _E),
    ("mdy", _BM + MON + r"\s+" + DAY + r"(?:\s*,\s*|\s+)" + YEAR + _E),
    ("dmy", _BM + DAY + r"\s+(?:of\s+)?" + MON + r",?\s+" + YEAR + _E),
    ("md", _BM + MON + r"\s+" + DAY + r"(?!\w|:\d|\s*,\s*\d|\.\d)"),
    ("dm", _BM + DAY + r"\s+(?:of\s+)?" + MON + r"\b"),
    ("my", _BM + MON + r",?\s+(?:of\s+)?" + YEAR + _E),
    ("month", _BM + r"(?:(?P<rel>last|next|this|coming|past|previous)\s+)?" + MON + r"(?!\w)"),
    ("fiscal", _B + r"(?P<fiscal>fiscal(?:\s+year)?)\s+" + YEAR + _E),
    ("year", r"(?:" + _B + r"|(?<=mid-))(?:the\s+year\s+)?" + YEAR + _E),
    ("decade", _B + r"(?:the\s+)?(?P<mid>mid-?)?(?P<decade>1[6-9]\d0|20\d0|'\d0)'?s" + r"(?!\w)"),
    ("century", _B + r"(?:the\s+)?(?P<cent>\d{1,2})(?:st|nd|rd|th)[ -]century\b"),
    ("weekday", _B + r"(?:(?P<rel>last|next|this|coming|past|previous)\s+)?(?P<wd>" + WEEKDAY_RE
     + r")(?:'s)?(?:\s+" + PART + r")?(?!\w)"),
    # "Mondays", "Tuesday nights", "Sundays mornings": recurring (SET)
    ("weekday_set", _B + r"(?P<wd>" + WEEKDAY_RE + r")(?:s(?:\s+(?P<part>(?:morning|afternoon|evening|night)s?))?"
     r"|\s+(?=\w+s\b)(?P<part2>(?:morning|afternoon|evening|night)s))\b"),
    ("deictic", _B + r"(?:(?P<deic>today|tonight|yesterday|tomorrow)(?:'s)?(?:\s+" + PART + r")?)\b"),
    ("daypart", _B + r"(?P<rel>this|last|tomorrow|yesterday)\s+" + PART + r"\b"),
    ("relunit", _B + REL + r"\s+(?P<unit>week|month|year|quarter|weekend|decade|century|fiscal\s+year)\b"),
    ("relseason", _B + r"(?:(?P<rel>last|next|this|the\s+past|the\s+coming)\s+|the\s+)?" + SEASON
     + r"(?:\s+(?:of\s+)?" + YEAR + r")?\b"),
    ("ago", _B + r"(?:(?:about|nearly|almost|some|roughly|more\s+than|over|less\s+than)\s+)?(?P<num>" + NUMBER_RE + r")[\s-]+(?P<unit>" + UNIT_RE + r")\s+(?P<dir>ago|earlier|later|before|after|from\s+now|hence|since)\b"),
    ("yearago", _B + r"(?:the\s+)?(?P<dir>year-earlier|year-ago|year\s+earlier|year\s+ago|prior-year|previous-year|a\s+year\s+ago|a\s+year\s+earlier)"
     + r"(?:\s+(?:(?P<qord>" + ORDINAL_RE + r")[\s-])?(?P<unit>quarter|period|month|level|figure|results?))?\b"),
    ("quarter", _B + r"(?:(?P<det>the|this|its|a)\s+)?(?:(?P<qyear>year's|this\s+year's|last\s+year's|next\s+year's)\s+|(?P<year2>1[6-9]\d\d|20\d\d)\s+)?(?:(?P<fiscal>fiscal)\s+)?"
     + r"(?:(?P<ord>" + ORDINAL_RE + r"|latest|last|current|next|previous|past|recent|same|comparable|year-earlier|year-ago|first-half|second-half)[\s-]+)?"
     + r"(?:(?P<fiscal2>fiscal)\s+)?(?P<unit>quarter|(?:(?<=first )|(?<=second )|(?<=first-)|(?<=second-))half)(?:\s+(?:of\s+)?(?:fiscal\s+)?" + YEAR + r")?(?!-\w)\b"),
    ("period", _B + r"the\s+(?:(?P<ord>latest|year-earlier|year-ago)|" + YEAR + r")\s+period\b"),
    ("halfyear", _B + r"the\s+(?P<half>first|second|last|latter)\s+half\s+of\s+" + YEAR + _E),
    ("qabbr", _B + r"Q(?P<ordn>[1-4])(?:\s+" + YEAR + r")?\b"),
    ("set", _B + r"(?P<every>every|each|per|a)\s+(?:(?P<other>other)\s+)?(?P<unit>second|minute|hour|day|week|month|year|quarter|"
     r"(?:(?<=every\s)|(?<=each\s))(?:January|February|March|April|May|June|July|August|September|October|November|December)|"
     + WEEKDAY_RE + r")\b"),
    ("set_adv", _B + r"(?P<adv>weekly|monthly|yearly|hourly|nightly|biweekly)\b"),
    ("duration", _B + DUR_MOD + r"(?:(?P<ddet>the|a|an)\s+)?(?:(?P<drel>past|last|next|first|coming|previous|following|final|remaining|recent|latest|year-earlier|year-ago)\s+)?"
     + r"(?P<num>" + NUMBER_RE + r")[\s-]+(?P<unit>" + UNIT_RE + r")(?:-(?P<adj>long|old))?\b"),
    ("plural", _B + r"(?:(?P<ddet>the)\s+)?(?P<drel>past|last|next|previous|following)\s+(?P<unit>(?:second|minute|hour|day|week|month|year|decade)s|centuries)\b"),
    ("time", _B + r"(?:(?P<approx>about|around|at\s+about)\s+)?(?P<hour>[01]?\d)(?:[:.](?P<min>[0-5]\d))?\s*(?P<ampm>[ap]\.\s?m\.|[ap]m\b)" + TZ),
    ("clock", _B + r"(?P<hour>[0-2]?\d):(?P<min>[0-5]\d)" + TZ + r"(?!\d)"),
    ("noon", _B + r"(?P<noon>noon|midnight|midday)\b"),
    ("ref", _B + r"(?P<ref>now|currently|nowadays|at\s+present|these\s+days|recently|the\s+past|the\s+future|in\s+future|lately|the\s+present|the\s+(?:near|foreseeable|immediate)\s+(?:future|term)|the\s+short\s+term|a\s+later\s+date)\b"),
    ("ref_recent", _B + r"(?P<ref>recent|coming|the\s+coming|the\s+last\s+few)\s+(?P<unit>years|months|weeks|days|decades|quarters)\b"),
    # a bare plural unit after a preposition: "for centuries", "within weeks or months",
    # "over the years", "the first time in years", "in the weeks ahead" (TimeML: PX<unit>)
    ("plural_bare", r"(?:(?<=\bfor\s)|(?<=\bwithin\s)|(?<=\bin\s)|(?<=\bover\s)|(?<=\bafter\s))(?:the\s+)?"
     r"(?P<unit>(?:minute|hour|day|week|month|year|decade)s|centuries)"
     r"(?:\s+(?:or|and)\s+(?:minute|hour|day|week|month|year|decade)s)?(?:\s+ahead)?"
     r"(?!\s+(?:ago|old|earlier|later|before|after|since|of\s+age)\b)(?![\w'-])"),
    # "later in the day": the report's day; "that year", "that quarter": the last date given
    ("theday", r"(?:(?<=\bin\s)|(?<=\bof\s))the\s+day\b(?!\s+(?:before|after|of|when|that)\b)(?![\w'-])"),
    ("that", r"\b(?:that|the\s+same)\s+(?P<unit>year|month|day|quarter)\b(?![\w'-])"),
    # "in the morning": the report's day (TimeML TIME)
    ("thepart", r"(?<=\bin\s)the\s+(?P<part>morning|afternoon|evening)\b(?!\s+(?:of|before|after)\b)"),
    ("yearend", _B + r"(?:the\s+)?(?P<unit>year|month|week)(?:-end\b|\s+end\b|'s\s+end\b)"),
    ("endof", _B + r"(?:the\s+)?(?P<w>end|beginning|start|middle|close)\s+of\s+the\s+(?P<unit>year|month|week|decade|century)\b"),
    ("weekend", _B + r"the\s+weekend\b"),
    # "for the year", "in the fiscal year ended March 31", "for the full year", "the week's"
    ("theyear", r"(?:(?<=\bfor\s)|(?<=\bin\s)|(?<=\bof\s)|(?<=\bthroughout\s))the\s+(?:(?:fiscal|full|calendar)\s+)?year"
     r"(?=(?P<ended>\s+(?:ended|ending))?)(?![\w-]|\s+(?:ago|earlier|before|after|later)\b)"),
    ("theweek", r"(?:(?<=\bfor\s)|(?<=\bof\s))the\s+week(?=['\u2019]s\b|[.,;])|\bthe\s+week(?=['\u2019]s\b)"),
    ("soon", r"(?<!\bas\s)(?<!\bhow\s)\bsoon\b(?!\s+(?:after|before|as|thereafter|afterwards?)\b)"),
    ("current", r"(?<![\w-])(?P<then>then[\s-])?current(?=\s+[a-z])(?!\s+(?:account|affairs|events|assets|liabilities|"
     r"year|quarter|month|week|fiscal|period|season|decade|century)\b)"),
    ("spelled_year", _B + r"(?:the\s+year\s+)?(?P<spelled>(?:nineteen|twenty)[\s-](?:ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine))?)|two\s+thousand(?:\s+(?:and\s+)?(?:one|two|three|four|five|six|seven|eight|nine|ten))?)\b"),
]

# The characters each atom's matches can start with (case-insensitive, like the atoms; what
# precedes the first consumed character is only looked at, so it does not count).
# `find_atoms` compiles each atom behind a lookahead for them: the regex engine tries an atom
# at every position of the text, and a position whose character cannot start it now fails
# at one character test instead of the atom's leading lookbehind and word alternatives (1.9
# CPU seconds for the atoms over the PolNeAR dev texts, 1.2 with the lookaheads; same
# matches). tests/test_timex_first_chars.py derives them from the atoms again.
FIRST_CHARS = {
    "iso": r"12", "numeric": r"01\d", "mdy": r"ADFJMNOS", "dmy": r"0-3\d", "md": r"ADFJMNOS", "dm": r"0-3\d",
    "my": r"ADFJMNOS", "month": r"ADFJMNOSclnpt", "fiscal": r"f", "year": r"12t", "decade": r"'12mt",
    "century": r"\dt", "weekday": r"FMSTWclnpt", "weekday_set": r"FMSTW", "deictic": r"ty", "daypart": r"lty",
    "relunit": r"cflnpt", "relseason": r"aflnstw", "ago": r"\dacefhlmnorst", "yearago": r"apty",
    "quarter": r"1234acfhilnpqrsty", "period": r"t", "halfyear": r"t", "qabbr": r"Q", "set": r"aep",
    "set_adv": r"bhmnwy", "duration": r"\dacefhlmnoprstuy", "plural": r"flnpt", "time": r"01\da",
    "clock": r"0-2\d", "noon": r"mn", "ref": r"acilnrt", "ref_recent": r"crt", "plural_bare": r"cdhmtwy",
    "theday": r"t", "that": r"t", "thepart": r"t", "yearend": r"mtwy", "endof": r"bcemst", "weekend": r"t",
    "theyear": r"t", "theweek": r"t", "soon": r"s", "current": r"ct", "spelled_year": r"nt",
}


def compiled(kind: str, pattern: str) -> re.Pattern:
    """The atom's regex, behind the lookahead for its first characters when it has them."""
    if kind in FIRST_CHARS:
        pattern = "(?=[" + FIRST_CHARS[kind] + "])(?:" + pattern + ")"
    return re.compile(pattern, re.I)


# All case-insensitive; months and weekdays must still be capitalised ("may", "march" and
# "sun" are words too): `extract.find_atoms` checks the `mon`/`wd` groups.
COMPILED = [(k, compiled(k, p)) for k, p in ATOMS]

# Words after a month that make a lone "May"/"March" a month and not a verb or noun.
MONTH_CONTEXT_BEFORE = re.compile(
    r"(?:\b(?:in|of|since|until|till|by|last|next|this|early|late|mid|before|after|during|from|through|between"
    r"|and|to|on|for|past|coming|end|start|beginning|middle|throughout|as\s+of)\s+|mid-)$", re.I)
