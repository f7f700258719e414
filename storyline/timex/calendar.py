"""Calendar arithmetic on TIMEX3 values (dates, weeks, months, quarters, seasons)."""
from __future__ import annotations

import re
from datetime import date, timedelta

SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 2)}


def add_months(d: date, k: int) -> tuple[int, int]:
    n = d.year * 12 + d.month - 1 + k
    return n // 12, n % 12 + 1


def ym(y: int, m: int) -> str:
    return f"{y:04d}-{m:02d}"


def week(d: date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y:04d}-W{w:02d}"


def quarter_of(d: date) -> tuple[int, int]:
    return d.year, (d.month - 1) // 3 + 1


def add_quarters(y: int, q: int, k: int) -> tuple[int, int]:
    n = y * 4 + q - 1 + k
    return n // 4, n % 4 + 1


def season_of(d: date) -> tuple[int, str]:
    m = d.month
    if m in (3, 4, 5):
        return d.year, "SP"
    if m in (6, 7, 8):
        return d.year, "SU"
    if m in (9, 10, 11):
        return d.year, "FA"
    return (d.year if m == 12 else d.year - 1), "WI"


def safe_date(y: int, m: int, d: int):
    try:
        return date(y, m, d)
    except ValueError:
        return None


def weekday_near(dct: date, wd: int, direction: int, strict: bool = False) -> date:
    """The weekday `wd` (0=Monday) on or before (direction -1) / on or after (+1) `dct`;
    `strict` skips `dct` itself."""
    delta = (wd - dct.weekday()) % 7 if direction > 0 else -((dct.weekday() - wd) % 7)
    if strict and delta == 0:
        delta = 7 * direction
    return dct + timedelta(days=delta)


_PREC = [
    (re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d"), "minute"),
    (re.compile(r"^\d{4}-\d\d-\d\dT\d\d"), "hour"),
    (re.compile(r"^\d{4}-\d\d-\d\dT[A-Z]{2}$"), "part_of_day"),
    (re.compile(r"^(\d{4}|XXXX)-\d\d-\d\d$"), "day"),
    (re.compile(r"^\d{4}-W\d\d-WE$"), "weekend"),
    (re.compile(r"^\d{4}-W\d\d$"), "week"),
    (re.compile(r"^(\d{4}|XXXX)-\d\d$"), "month"),
    (re.compile(r"^\d{4}-Q\d$"), "quarter"),
    (re.compile(r"^\d{4}-H\d$"), "half_year"),
    (re.compile(r"^\d{4}-(SP|SU|FA|WI)$"), "season"),
    (re.compile(r"^\d{4}$"), "year"),
    (re.compile(r"^\d{3}$"), "decade"),
    (re.compile(r"^\d{2}$"), "century"),
]


def precision_of(value) -> str | None:
    """How fine a resolved DATE/TIME value is: day, month, year, week, quarter, ...;
    None for durations, sets, PRESENT_REF-style references and unresolved values."""
    if not value:
        return None
    for pat, name in _PREC:
        if pat.match(value):
            return name
    return None


def value_bounds(value):
    """(first day, last day) covered by a DATE value, or None when it is not a period."""
    if not value:
        return None
    m = re.match(r"^(\d{4})(?:-(\d\d)(?:-(\d\d))?)?", value)
    if not m or re.match(r"^\d{4}-(W|Q|H|SP|SU|FA|WI)", value):
        m2 = re.match(r"^(\d{4})-Q(\d)$", value)
        if m2:
            y, q = int(m2.group(1)), int(m2.group(2))
            e = add_months(date(y, 3 * q, 1), 1)
            return date(y, 3 * q - 2, 1), date(e[0], e[1], 1) - timedelta(days=1)
        m3 = re.match(r"^(\d{4})-W(\d\d)", value)
        if m3:
            start = date.fromisocalendar(int(m3.group(1)), int(m3.group(2)), 1)
            return start, start + timedelta(days=6)
        return None
    y = int(m.group(1))
    if m.group(3):
        d = safe_date(y, int(m.group(2)), int(m.group(3)))
        return (d, d) if d else None
    if m.group(2):
        mo = int(m.group(2))
        ny, nm = add_months(date(y, mo, 1), 1)
        return date(y, mo, 1), date(ny, nm, 1) - timedelta(days=1)
    return date(y, 1, 1), date(y, 12, 31)
