"""Financial periods: quarters and halves ("the third quarter", "third-quarter", "Q3 1990",
"the first half"), "the latest period", and year-ago comparisons ("a year ago" after quarter
talk is the same quarter a year before). Registered into `resolve.RESOLVERS`."""
from __future__ import annotations

from . import calendar as cal
from .lexicon import ORDINALS
from .resolve import EXPR, NONE, PUB, TEXT, _shift, out


def r_yearago(g, ctx):
    unit = (g.get("unit") or "").lower()
    if g.get("qord") and unit == "quarter":  # "the year-ago third quarter"
        q = ORDINALS[g["qord"].lower()]
        if ctx.dct is None:
            return out("DATE", None, NONE)
        y = ctx.dct.year - 1 if q <= cal.quarter_of(ctx.dct)[1] else ctx.dct.year - 2
        return out("DATE", f"{y}-Q{q}", PUB)
    if ctx.prev_quarter and unit in ("quarter", "period", ""):
        return out("DATE", _shift(ctx.prev_quarter, 1, "year", -1), EXPR)
    if ctx.prev and cal.precision_of(ctx.prev) in ("quarter", "month", "day", "year") and (unit in ("quarter", "period") or not unit):
        v = _shift(ctx.prev, 1, "year", -1)
        if v:
            return out("DATE", v, EXPR)
    if ctx.dct is None:
        return out("DATE", None, NONE)
    if unit in ("quarter", "period"):
        y, q = cal.add_quarters(*cal.quarter_of(ctx.dct), -5)
        return out("DATE", f"{y:04d}-Q{q}", PUB)
    return out("DATE", str(ctx.dct.year - 1), PUB)



def r_quarter(g, ctx):
    unit = g["unit"].lower()
    ordw = (g.get("ord") or "").lower()
    year = g.get("year") or g.get("year2")
    if unit == "half":
        n = {"first": 1, "second": 2, "1st": 1, "2nd": 2}.get(ordw)
        if n is None:
            return out("DURATION", "P6M", TEXT) if not ordw else out("DATE", None, NONE)
        if year:
            return out("DATE", f"{year}-H{n}", TEXT)
        if ctx.dct is None:
            return out("DATE", None, NONE)
        return out("DATE", f"{ctx.dct.year}-H{n}", PUB)
    if ordw in ORDINALS:
        q = ORDINALS[ordw]
        if year:
            return out("DATE", f"{year}-Q{q}", TEXT)
        if ctx.dct is None:
            return out("DATE", None, NONE)
        y = ctx.dct.year
        qy = g.get("qyear") or ""
        if qy.lower().startswith("last"):
            y -= 1
        elif qy.lower().startswith("next"):
            y += 1
        elif ctx.tense == "past" and q > cal.quarter_of(ctx.dct)[1] and not qy:
            y -= 1
        return out("DATE", f"{y}-Q{q}", PUB)
    if ctx.dct is None:
        return out("DATE", None, NONE)
    cy, cq = cal.quarter_of(ctx.dct)
    if ordw in ("year-earlier", "year-ago"):
        base = ctx.prev_quarter or "%d-Q%d" % cal.add_quarters(cy, cq, -1)
        return out("DATE", _shift(base, 1, "year", -1), EXPR if base == ctx.prev_quarter else PUB)
    if ordw in ("same", "comparable"):
        return out("DATE", None, NONE)
    if ordw in ("current", "this") or (g.get("det") or "").lower() == "this":
        return out("DATE", f"{cy}-Q{cq}", PUB)
    if ordw == "next":
        y, q = cal.add_quarters(cy, cq, 1)
        return out("DATE", f"{y}-Q{q}", PUB)
    # "the quarter", "the latest quarter", "last quarter": in news, the last quarter that has
    # ended by the report's date (the one being reported on).
    if ordw in ("", "latest", "last", "previous", "past", "recent"):
        if (g.get("det") or "").lower() == "a" and not ordw:
            return out("DURATION", "P3M", TEXT)
        y, q = cal.add_quarters(cy, cq, -1)
        qy = (g.get("qyear") or "").lower()
        if year or qy.startswith("last"):
            # "the 1988 quarter", "last year's quarter": the quarter under discussion, in that year
            if ctx.prev_quarter:
                q = int(ctx.prev_quarter[-1])
            return out("DATE", f"{year or ctx.dct.year - 1}-Q{q}", TEXT if year else PUB)
        return out("DATE", f"{y}-Q{q}", PUB)
    return out("DATE", None, NONE)



def r_period(g, ctx):
    """'the latest period', 'the year-ago period': financial reporting periods (quarters)."""
    return r_quarter({"ord": g.get("ord"), "year": g.get("year"), "unit": "quarter", "det": "the"}, ctx)


def r_halfyear(g, ctx):
    """'the last half of 1989' -> 1989-H2."""
    return out("DATE", f"{g['year']}-H{1 if g['half'].lower() == 'first' else 2}", TEXT)



def r_qabbr(g, ctx):
    q = int(g["ordn"])
    if g.get("year"):
        return out("DATE", f"{g['year']}-Q{q}", TEXT)
    return out("DATE", f"{ctx.dct.year}-Q{q}" if ctx.dct else None, PUB)


RESOLVERS = {"yearago": r_yearago, "halfyear": r_halfyear, "quarter": r_quarter, "qabbr": r_qabbr, "period": r_period}
