"""Definite periods and references named without a number: "for the year", "the full
year", "the week's", "later in the day", "in the morning", "soon", "current" (adjective),
"for centuries", "that year".

TimeML conventions (TimeBank, TempEval-3): "for the year" in a report is the report's year
(DATE); "the year ended March 31" is a one-year period (DURATION P1Y), its end date a
separate expression; "for the week" is the report's week; "soon" is FUTURE_REF and
"current" before a noun is PRESENT_REF; "for centuries", "within weeks" are durations of
unknown length (PXCE, PXW); "in the morning" is the report's morning; "that year" is the
year of the last date the text gave. Registered into `resolve.RESOLVERS`.
"""
from __future__ import annotations

from . import calendar as cal
from .lexicon import DAY_PARTS
from .resolve import EXPR, NONE, PUB, TEXT, out, r_plural


def r_theyear(g, ctx):
    if g.get("ended"):
        return out("DURATION", "P1Y", TEXT)
    if ctx.dct is None:
        return out("DATE", None, NONE)
    return out("DATE", str(ctx.dct.year), PUB)


def r_theweek(g, ctx):
    if ctx.dct is None:
        return out("DATE", None, NONE)
    return out("DATE", cal.week(ctx.dct), PUB)


def r_soon(g, ctx):
    return out("DATE", "FUTURE_REF", PUB if ctx.dct else NONE)


def r_current(g, ctx):
    return out("DATE", "PAST_REF" if g.get("then") else "PRESENT_REF", PUB if ctx.dct else NONE)


def r_plural_bare(g, ctx):
    unit = g["unit"].lower().split()[0]
    return r_plural({"unit": unit}, ctx)


def r_thepart(g, ctx):
    if ctx.dct is None:
        return out("TIME", None, NONE)
    return out("TIME", f"{ctx.dct.isoformat()}T{DAY_PARTS[g['part'].lower()]}", PUB)


def r_theday(g, ctx):
    return out("DATE", ctx.dct.isoformat() if ctx.dct else None, PUB)


def r_that(g, ctx):
    """'that year': the year of the date the text last gave (TimeML resolves the anaphor)."""
    unit, prev = g["unit"].lower(), ctx.prev_quarter if g["unit"].lower() == "quarter" else ctx.prev
    prec = cal.precision_of(prev) if prev else None
    need = {"year": ("year", "quarter", "month", "day"), "month": ("month", "day"), "day": ("day",),
            "quarter": ("quarter",)}[unit]
    if prec not in need:
        return out("DATE", None, NONE)
    return out("DATE", prev[:{"year": 4, "month": 7}.get(unit, len(prev))], EXPR)


RESOLVERS = {"theyear": r_theyear, "theweek": r_theweek, "soon": r_soon, "current": r_current,
             "plural_bare": r_plural_bare, "thepart": r_thepart, "theday": r_theday, "that": r_that}
