"""Absolute dates as news headers write them. Relative dates are not resolved here."""
from __future__ import annotations

import re
from datetime import date
from typing import Optional

from ..text.words import MONTHS

_MON = r"(?P<mon>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_WEEKDAY = r"(?:(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?\.?,?\s+)?"
_TIME = r"(?:[T ,]+(?:at\s+)?\d{1,2}[:.]\d{2}(?::\d{2})?(?:\.\d+)?\s*(?:[ap]\.?m\.?|Z|[+-]\d{2}:?\d{2}|GMT|UTC|[A-Z]{2,4})?)?"

DATE_PATTERNS = [
    re.compile(r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})" + _TIME, re.I),
    re.compile(_WEEKDAY + _MON + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})" + _TIME, re.I),
    re.compile(_WEEKDAY + r"(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+" + _MON + r",?\s+(?P<y>\d{4})" + _TIME, re.I),
    re.compile(_MON + r"\s+(?P<y>\d{4})", re.I),
]


def parse_date(s: str, whole: bool = True) -> Optional[tuple[str, str]]:
    """Parse an absolute date. Returns (iso value, precision) or None.

    With ``whole`` the string must be the date and nothing else (a header line).
    """
    s = s.strip()
    for pat in DATE_PATTERNS:
        m = pat.fullmatch(s) if whole else pat.search(s)
        if not m:
            continue
        g = m.groupdict()
        year = int(g["y"])
        month = int(g["m"]) if g.get("m") else MONTHS[g["mon"].lower()[:3]]
        if not (1800 <= year <= 2200 and 1 <= month <= 12):
            continue
        if g.get("d") is None:
            return f"{year:04d}-{month:02d}", "month"
        try:
            d = date(year, month, int(g["d"]))
        except ValueError:
            continue
        return d.isoformat(), "day"
    return None


_NUMERIC = re.compile(r"(?P<a>\d{1,2})[/.\-](?P<b>\d{1,2})[/.\-](?P<y>\d{4})")


def numeric_readings(s: str) -> list[str]:
    """The ISO days a bare `a/b/yyyy` date can be: day-first and month-first readings that
    are real days (`14/03/2026` has one, `11/05/2026` two). Empty when `s` is not one."""
    m = _NUMERIC.fullmatch(s.strip())
    if not m:
        return []
    a, b, y = int(m["a"]), int(m["b"]), int(m["y"])
    out = []
    for d, mo in ((a, b), (b, a)):
        try:
            v = date(y, mo, d).isoformat()
        except ValueError:
            continue
        if 1800 <= y <= 2200 and v not in out:
            out.append(v)
    return out


def parse_date_prefix(s: str) -> Optional[tuple[str, str, int]]:
    """An absolute date at the start of `s` followed by other words (a header line that runs
    on into the next field or the body: "2026-03-10 BRANNOCK – Officials said ...").
    Returns (iso value, precision, end offset in `s`) or None."""
    for pat in DATE_PATTERNS:
        m = pat.match(s)
        if not m or (m.end() < len(s) and s[m.end()].isalnum()):
            continue
        parsed = parse_date(m.group(0))
        if parsed:
            return parsed[0], parsed[1], m.end()
    return None
