"""Give one time-expression atom its TIMEX3 type, value, anchor and modifier.

`Context` carries what resolution may use: the publication date (`dct`, or None for an
undated report), the tense of the clause the expression sits in ("past", "future" or
None), and the last resolved date in the document (for "a year earlier"). Without a
publication date, relative expressions get value None and anchor "none": they are never
anchored to today or the file time.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Optional

from . import calendar as cal
from ..text.words import CARDINALS
from .lexicon import DAY_PARTS, MONTHS, SEASONS, UNITS, WEEKDAYS, number_value, unit_key

PUB, TEXT, EXPR, NONE = "publication", "text", "expression", "none"

# A date without a year is put in the publication year, unless the clause's tense says
# otherwise and the date is further than this many days on the wrong side of the report's
# date ("said on December 30" in a 2 January report). Chosen by hand: a report rarely
# mentions a date more than a month ahead in the past tense; not tuned on data.
TENSE_SLACK_DAYS = 31
# With no tense, the nearest year wins; days ahead of the report count FUTURE_WEIGHT times.
# Swept 1.0/1.5/2.0/3.0 on TimeBank (TempEval-3 dev): no gain from leaning to the past.
FUTURE_WEIGHT = 1.0

DUR_MODS = {"about": "APPROX", "around": "APPROX", "roughly": "APPROX", "approximately": "APPROX",
            "some": "APPROX", "nearly": "EQUAL_OR_LESS", "almost": "EQUAL_OR_LESS",
            "up to": "EQUAL_OR_LESS", "at most": "EQUAL_OR_LESS", "no more than": "EQUAL_OR_LESS",
            "less than": "LESS_THAN", "under": "LESS_THAN", "fewer than": "LESS_THAN",
            "more than": "MORE_THAN", "over": "MORE_THAN", "at least": "EQUAL_OR_MORE"}


@dataclass
class Context:
    dct: Optional[date] = None
    tense: Optional[str] = None  # past | future | None
    prev: Optional[str] = None  # last resolved DATE value in the document
    prev_quarter: Optional[str] = None  # last quarter value in the document (financial news)


def out(type_, value, anchor, mod=None, **extra) -> dict:
    d = {"type": type_, "value": value, "anchor": anchor if value is not None else NONE}
    if mod:
        d["mod"] = mod
    d.update(extra)
    return d


def _mon(g) -> int:
    return MONTHS[g["mon"].lower().rstrip(".")]


def year_for(month: int, day: Optional[int], ctx: Context) -> int:
    """The year of a month (and day) the text gives without one, from the report's date."""
    dct = ctx.dct
    y = dct.year
    cand = cal.safe_date(y, month, day or 15) or date(y, month, 28)
    if ctx.tense == "past" and cand > dct + timedelta(days=TENSE_SLACK_DAYS):
        return y - 1
    if ctx.tense == "future" and cand < dct - timedelta(days=TENSE_SLACK_DAYS):
        return y + 1
    if ctx.tense is None:  # nearest of last year, this year, next year (future counts more)
        def dist(yy):
            days = ((cal.safe_date(yy, month, day or 15) or date(yy, month, 28)) - dct).days
            return days * FUTURE_WEIGHT if days > 0 else -days
        return min((y - 1, y, y + 1), key=dist)
    return y


def resolve(kind: str, g: dict, ctx: Context) -> Optional[dict]:
    fn = RESOLVERS.get(kind)
    return fn(g, ctx) if fn else None


def r_full(g, ctx):
    y = int(g["year"])
    if len(g["year"]) == 2:
        y += 1900 if y >= 30 else 2000
    m = int(g["month"]) if g.get("month") else _mon(g)
    d = cal.safe_date(y, m, int(g["day"]))
    return out("DATE", d.isoformat(), TEXT) if d else None


def r_md(g, ctx):
    m, day = _mon(g), int(g["day"])
    if not 1 <= day <= 31 or cal.safe_date(2000, m, day) is None:
        return None
    if ctx.dct is None:
        return out("DATE", f"XXXX-{m:02d}-{day:02d}", NONE)
    y = year_for(m, day, ctx)
    d = cal.safe_date(y, m, day)
    return out("DATE", d.isoformat() if d else None, PUB)


def r_my(g, ctx):
    return out("DATE", cal.ym(int(g["year"]), _mon(g)), TEXT)


def r_month(g, ctx):
    m, rel = _mon(g), (g.get("rel") or "").lower()
    if ctx.dct is None:
        return out("DATE", None, NONE)
    dct = ctx.dct
    if rel in ("last", "past", "previous"):
        y = dct.year if m < dct.month else dct.year - 1
    elif rel in ("next", "coming"):
        y = dct.year if m > dct.month else dct.year + 1
    elif rel == "this":
        y = dct.year
    else:  # as a date without a year: tense with a month's slack, else the nearest
        y = year_for(m, None, ctx)
    return out("DATE", cal.ym(y, m), PUB)


def r_year(g, ctx):
    return out("DATE", g["year"], TEXT)


def r_decade(g, ctx):
    d = g["decade"].lstrip("'")
    if len(d) == 2:
        d = "19" + d
    return out("DATE", d[:3], TEXT, "MID" if g.get("mid") else None)


def r_century(g, ctx):
    return out("DATE", f"{int(g['cent']) - 1:02d}", TEXT)


def _with_part(d: Optional[date], part: Optional[str]):
    if d is None:
        return None, "TIME" if part else "DATE"
    if part:
        return f"{d.isoformat()}T{DAY_PARTS[part.lower()]}", "TIME"
    return d.isoformat(), "DATE"


def weekday_date(wd: int, rel: str, ctx: Context) -> Optional[date]:
    dct = ctx.dct
    if dct is None:
        return None
    if rel in ("last", "past", "previous"):
        return cal.weekday_near(dct, wd, -1, strict=True)
    if rel in ("next", "coming"):
        return cal.weekday_near(dct, wd, +1, strict=True)
    if rel == "this":
        return dct + timedelta(days=wd - dct.weekday())
    # Same weekday as the report: the report's own day (current wire style: "on Saturday"
    # in a Saturday report; TimeBank agrees on 5 of 6 such cases). Otherwise the tense
    # decides; with no tense, news reports mostly look back.
    return cal.weekday_near(dct, wd, +1 if ctx.tense == "future" else -1)


def r_weekday(g, ctx):
    wd = WEEKDAYS[g["wd"].lower()]
    d = weekday_date(wd, (g.get("rel") or "").lower(), ctx)
    value, t = _with_part(d, g.get("part"))
    return out(t, value, PUB)


def r_weekday_set(g, ctx):
    wd = WEEKDAYS[g["wd"].lower()] + 1
    part = g.get("part") or g.get("part2")
    code = DAY_PARTS.get((part or "").lower().rstrip("s")) if part else None
    return out("SET", f"XXXX-WXX-{wd}" + (f"T{code}" if code else ""), TEXT)


def r_deictic(g, ctx):
    word = g["deic"].lower()
    if word == "tonight":
        return out("TIME", f"{ctx.dct.isoformat()}TNI" if ctx.dct else None, PUB)
    if ctx.dct is None:
        return out("TIME" if g.get("part") else "DATE", None, NONE)
    d = ctx.dct + timedelta(days={"today": 0, "yesterday": -1, "tomorrow": 1}[word])
    value, t = _with_part(d, g.get("part"))
    return out(t, value, PUB)


def r_daypart(g, ctx):
    if ctx.dct is None:
        return out("TIME", None, NONE)
    rel, part = g["rel"].lower(), g["part"].lower()
    shift = {"this": 0, "last": -1 if part in ("night", "evening") else 0, "yesterday": -1, "tomorrow": 1}[rel]
    value, t = _with_part(ctx.dct + timedelta(days=shift), part)
    return out(t, value, PUB)


def _rel_shift(rel: str) -> Optional[int]:
    rel = rel.lower().replace("the ", "").strip()
    return {"last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1, "following": 1,
            "this": 0, "current": 0, "latest": -1}.get(rel)


def r_relunit(g, ctx):
    rel = " ".join(g["rel"].lower().split())
    unit = g["unit"].lower().split()[-1]
    if rel in ("the following", "the previous") and ctx.prev and unit in ("year", "month", "week", "day"):
        # "the following year": one unit on from the date the text last gave (TimeML DATE)
        v = _shift(_coarsen(ctx.prev, unit), 1, unit, 1 if rel.endswith("following") else -1)
        if v:
            return out("DATE", v, EXPR)
    if rel.startswith("the ") and rel not in ("the current", "the latest") and unit in ("year", "month", "week", "quarter", "decade", "century"):
        # "the past year", "the next month": a period measured from now (TimeML duration)
        code, is_time = UNITS[unit]
        return out("DURATION", f"P1{code}", PUB)
    k = _rel_shift(rel)
    if ctx.dct is None or k is None:
        return out("DATE", None, NONE)
    dct = ctx.dct
    if unit == "week":
        return out("DATE", cal.week(dct + timedelta(days=7 * k)), PUB)
    if unit == "weekend":
        return out("DATE", cal.week(dct + timedelta(days=7 * k)) + "-WE", PUB)
    if unit == "month":
        return out("DATE", cal.ym(*cal.add_months(dct, k)), PUB)
    if unit == "quarter":
        y, q = cal.add_quarters(*cal.quarter_of(dct), k)
        return out("DATE", f"{y:04d}-Q{q}", PUB)
    if unit == "decade":
        return out("DATE", str(dct.year // 10 + k), PUB)
    if unit == "century":
        return out("DATE", f"{dct.year // 100 + k:02d}", PUB)
    return out("DATE", str(dct.year + k), PUB)


def _coarsen(value: str, unit: str) -> str:
    """A date value cut to the precision of `unit` ("1995-04-12", "year" -> "1995")."""
    if unit == "year":
        return value[:4]
    if unit == "month" and cal.precision_of(value) == "day":
        return value[:7]
    return value


def r_relseason(g, ctx):
    code = SEASONS[g["season"].lower()]
    if g.get("year"):
        return out("DATE", f"{g['year']}-{code}", TEXT)
    if ctx.dct is None:
        return out("DATE", None, NONE)
    rel = " ".join((g.get("rel") or "").lower().split())
    y = ctx.dct.year
    cur_y, cur = cal.season_of(ctx.dct)
    order = ["WI", "SP", "SU", "FA"]
    before = order.index(code) < order.index(cur) if code != "WI" else False
    if rel in ("last", "the past"):
        y = y if before else y - 1
    elif rel in ("next", "the coming"):
        y = y + 1 if (before or code == cur) else y
    elif code == "WI" and cur == "WI":
        y = cur_y
    elif rel == "this":
        y = y  # this year's season, whatever the tense
    elif ctx.tense == "past" and not before and code != cur:
        y = y - 1
    return out("DATE", f"{y}-{code}", PUB)


def _shift(value: str, n, unit: str, sign: int) -> Optional[str]:
    """Shift a DATE value by n units, keeping the value's granularity where it is coarser."""
    prec = cal.precision_of(value)
    if prec == "quarter" and unit in ("year", "quarter"):
        y, q = int(value[:4]), int(value[-1])
        y, q = cal.add_quarters(y, q, sign * n * (4 if unit == "year" else 1))
        return f"{y:04d}-Q{q}"
    bounds = cal.value_bounds(value)
    if bounds is None:
        return None
    d = bounds[0]
    if unit in ("day", "week", "fortnight"):
        days = n * {"day": 1, "week": 7, "fortnight": 14}[unit] * sign
        nd = d + timedelta(days=days)
        return nd.isoformat() if prec == "day" or unit == "day" else cal.week(nd)
    if unit == "month":
        y, m = cal.add_months(d, sign * n)
        return f"{y:04d}-{m:02d}-{d.day:02d}" if prec == "day" and cal.safe_date(y, m, d.day) else cal.ym(y, m)
    if unit == "year":
        y = d.year + sign * n
        if prec == "day":
            nd = cal.safe_date(y, d.month, d.day)
            return nd.isoformat() if nd else None
        if prec == "month":
            return cal.ym(y, d.month)
        return str(y)
    if unit == "decade":
        return str(d.year + sign * 10 * n)
    return None


def r_ago(g, ctx):
    n = number_value(g["num"])
    unit = unit_key(g["unit"])
    direction = " ".join(g["dir"].lower().split())
    if n is None and unit in UNITS and direction in ("ago", "from now", "hence"):
        # "several years ago": only the direction is known
        return out("DATE", "PAST_REF" if direction == "ago" else "FUTURE_REF", PUB if ctx.dct else NONE)
    if n is None or not isinstance(n, int) or unit not in UNITS:
        return out("DATE", None, NONE)
    sign = 1 if direction in ("later", "after", "from now", "hence") else -1
    if unit in ("hour", "minute", "second"):
        return out("TIME", None, NONE) if ctx.dct is None else out("TIME", ctx.dct.isoformat(), PUB)
    if unit in ("year", "quarter") and ctx.prev_quarter and direction in ("ago", "earlier"):
        # financial news: "a year ago" is the same quarter a year before
        return out("DATE", _shift(ctx.prev_quarter, n, unit, -1), EXPR)
    relative_to_text = direction in ("earlier", "later", "before", "after")
    if relative_to_text and ctx.prev:
        v = _shift(ctx.prev, n, unit, sign)
        if v:
            return out("DATE", v, EXPR)
    if ctx.dct is None:
        return out("DATE", None, NONE)
    base = ctx.dct.isoformat()
    if unit == "year":
        return out("DATE", str(ctx.dct.year + sign * n), PUB)
    if unit == "month":
        return out("DATE", cal.ym(*cal.add_months(ctx.dct, sign * n)), PUB)
    if unit in ("week", "fortnight") and n >= 1:
        return out("DATE", cal.week(ctx.dct + timedelta(days=sign * 7 * n * (2 if unit == "fortnight" else 1))), PUB)
    return out("DATE", _shift(base, n, unit, sign), PUB)


def duration_value(num, unit: str) -> Optional[str]:
    n = number_value(num) if isinstance(num, str) else num
    code, is_time = UNITS[unit]
    if unit == "fortnight":
        n = None if n is None else n * 2
    if unit == "weekend":
        return None
    if n == 0.5:
        half = {"hour": "PT30M", "day": "PT12H", "year": "P6M", "month": "P2W", "minute": "PT30S"}
        return half.get(unit)
    nv = "X" if n is None else (str(int(n)) if float(n).is_integer() else str(n))
    return ("PT" if is_time else "P") + nv + code


def r_duration(g, ctx):
    unit = unit_key(g["unit"])
    if unit not in UNITS:
        return None
    v = duration_value(g["num"], unit)
    mod = DUR_MODS.get(" ".join((g.get("dmod") or "").lower().split()))
    if (g["num"] or "").lower() in ("a couple of", "couple of", "some", "several", "a few", "few") and mod is None:
        mod = "APPROX" if "couple" in g["num"].lower() else None
    return out("DURATION", v, TEXT, mod)


def r_plural(g, ctx):
    unit = unit_key(g["unit"])
    return out("DURATION", duration_value("several", unit), TEXT)


def _clock(g) -> Optional[str]:
    h = int(g["hour"])
    mi = int(g.get("min") or 0)
    ampm = (g.get("ampm") or "").lower().replace(".", "").replace(" ", "")
    if ampm:
        if not 1 <= h <= 12:
            return None
        h = h % 12 + (12 if ampm.startswith("p") else 0)
    if h > 23:
        return None
    return f"{h:02d}:{mi:02d}"


def r_time(g, ctx):
    t = _clock(g)
    if t is None:
        return None
    if ctx.dct is None:
        return out("TIME", None, NONE)
    mod = "APPROX" if g.get("approx") else None
    return out("TIME", f"{ctx.dct.isoformat()}T{t}", PUB, mod)


def r_noon(g, ctx):
    t = {"noon": "12:00", "midday": "12:00", "midnight": "24:00"}[g["noon"].lower()]
    return out("TIME", f"{ctx.dct.isoformat()}T{t}" if ctx.dct else None, PUB)


def r_ref(g, ctx):
    w = " ".join(g["ref"].lower().split())
    if w in ("now", "currently", "nowadays", "at present", "these days", "the present"):
        v = "PRESENT_REF"
    elif "future" in w or "term" in w or "later" in w or w == "soon":
        v = "FUTURE_REF"
    else:
        v = "PAST_REF"
    return out("DATE", v, PUB if ctx.dct else NONE)


def r_set(g, ctx):
    every = g["every"].lower()
    unit = g["unit"].lower()
    if unit in WEEKDAYS:
        return out("SET", f"XXXX-WXX-{WEEKDAYS[unit] + 1}", TEXT)
    if unit.rstrip(".") in MONTHS:  # "each July"
        return out("SET", f"XXXX-{MONTHS[unit.rstrip('.')]:02d}", TEXT)
    code, is_time = UNITS[unit]
    n = 2 if g.get("other") else 1
    quant = "EVERY" if every in ("every", "each") else None
    return out("SET", ("PT" if is_time else "P") + f"{n}{code}", TEXT, None, **({"quant": quant} if quant else {}))


def r_set_adv(g, ctx):
    adv = g["adv"].lower()
    v = {"daily": "P1D", "nightly": "P1D", "weekly": "P1W", "biweekly": "P2W", "monthly": "P1M",
         "quarterly": "P3M", "annually": "P1Y", "yearly": "P1Y", "hourly": "PT1H"}[adv]
    return out("SET", v, TEXT)


def r_fiscal(g, ctx):
    return out("DATE", g["year"], TEXT)


def r_ref_recent(g, ctx):
    """'recent weeks', 'coming months': TimeML reads a span of unknown length (PXW, PXM)."""
    unit = unit_key(g["unit"])
    w = " ".join(g["ref"].lower().split())
    if w.startswith("the last"):
        return out("DATE", "PAST_REF", PUB if ctx.dct else NONE)
    return out("DURATION", duration_value("several", unit), TEXT)


def r_yearend(g, ctx):
    unit = g["unit"].lower()
    g2 = {"rel": "this", "unit": unit}
    r = r_relunit(g2, ctx)
    if r:
        r["mod"] = "END"
    return r


def r_endof(g, ctx):
    r = r_relunit({"rel": "this", "unit": g["unit"].lower()}, ctx)
    if r:
        r["mod"] = {"end": "END", "close": "END", "middle": "MID"}.get(g["w"].lower(), "START")
    return r


def r_weekend(g, ctx):
    if ctx.dct is None:
        return out("DATE", None, NONE)
    d = ctx.dct
    if ctx.tense == "future":
        d = d + timedelta(days=7) if d.weekday() == 6 else d
    elif d.weekday() < 5:
        d = d - timedelta(days=7)
    return out("DATE", cal.week(d) + "-WE", PUB)


def r_spelled_year(g, ctx):
    words = g["spelled"].lower().replace("-", " ").replace(" and ", " ").split()
    if words[:2] == ["two", "thousand"]:
        y = 2000 + sum(CARDINALS.get(w, 0) for w in words[2:])
    else:
        y = CARDINALS[words[0]] * 100 + sum(CARDINALS.get(w, 0) for w in words[1:])
    return out("DATE", str(y), TEXT)


RESOLVERS = {
    "iso": r_full, "numeric": r_full, "mdy": r_full, "dmy": r_full, "md": r_md, "dm": r_md,
    "my": r_my, "month": r_month, "year": r_year, "fiscal": r_fiscal, "decade": r_decade,
    "century": r_century, "weekday": r_weekday, "weekday_set": r_weekday_set,
    "deictic": r_deictic, "daypart": r_daypart, "relunit": r_relunit, "relseason": r_relseason,
    "ago": r_ago,
    "duration": r_duration, "plural": r_plural, "time": r_time, "clock": r_time, "noon": r_noon,
    "ref": r_ref, "ref_recent": r_ref_recent, "yearend": r_yearend, "endof": r_endof,
    "weekend": r_weekend, "spelled_year": r_spelled_year, "set": r_set, "set_adv": r_set_adv,
}

from .periods import RESOLVERS as _PERIODS  # noqa: E402  (these import `out` from here)
from .quarters import RESOLVERS as _QUARTERS  # noqa: E402

RESOLVERS.update(_PERIODS)
RESOLVERS.update(_QUARTERS)
