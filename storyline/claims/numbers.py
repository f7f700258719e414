"""Numbers in news text: digits, words and vague amounts -> a value or a [lo, hi] range.

`parse_number("3,500") == 3500`, `parse_number("1.2 million") == 1_200_000`,
`parse_number("two dozen") == 24`, `parse_number("a few hundred") == [200, 900]`,
`parse_number("tens of thousands") == [10_000, 100_000]`, `parse_number("half") == 0.5`.
Vague plurals ("dozens", "hundreds", "millions") become the range NewsQuant annotates for them:
from one unit of the word to ten ("dozens" -> [12, 120], "millions" -> [1e6, 1e7]).
Returns None for anything that is not a number.
"""
from __future__ import annotations

import re

from ..text.words import CARDINALS

UNITS = {"zero": 0, **{w: n for w, n in CARDINALS.items() if n < 20}}
TENS = {w: n for w, n in CARDINALS.items() if n >= 20}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
          "trillion": 1_000_000_000_000}
# Abbreviated scales written after digits ("$1.2bn", "25k", "PS2.7m", "$13.6M").
SCALE_ABBR = {"k": 1_000, "m": 1_000_000, "mn": 1_000_000, "mln": 1_000_000, "bn": 1_000_000_000,
              "b": 1_000_000_000, "tn": 1_000_000_000_000, "trn": 1_000_000_000_000}
FRACTIONS = {"half": 0.5, "a half": 0.5, "one half": 0.5, "a third": 1 / 3, "one third": 1 / 3,
             "two thirds": 2 / 3, "two-thirds": 2 / 3, "a quarter": 0.25, "one quarter": 0.25,
             "three quarters": 0.75, "three-quarters": 0.75, "a fifth": 0.2, "one fifth": 0.2,
             "a tenth": 0.1, "one tenth": 0.1}
DOZEN = {"a dozen": 12, "dozen": 12, "half a dozen": 6, "a couple of": 2, "a couple": 2,
         "a pair of": 2}
# Vague multiples: "dozens" .. "billions" -> [unit, 10 * unit] (NewsQuant's convention).
VAGUE = {"dozens": 12, "scores": 20, "hundreds": 100, "thousands": 1_000, "millions": 1_000_000,
         "billions": 1_000_000_000}
# "a few" / "several" before a scale word: 2..9 of that scale ("a few hundred" -> [200, 900]).
FEW = {"a few": (2, 9), "few": (2, 9), "several": (3, 9)}

WORD = set(UNITS) | set(TENS) | set(SCALES) | {"dozen", "a", "and"}
_DIGITS = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?$")


def parse_digits(s: str) -> float | int | None:
    """'3,500' -> 3500, '1.25' -> 1.25, '.500' -> 0.5; None if not plain digits."""
    s = s.strip()
    if not s or not _DIGITS.match(s) or s == ".":
        return None
    v = float(s.replace(",", ""))
    return int(v) if v.is_integer() and "." not in s else v


def _words_value(words: list[str]) -> float | int | None:
    """'two hundred fifty thousand' -> 250000; 'twenty-five' -> 25."""
    total, current, seen = 0, 0, False
    for w in words:
        if w in ("and", "a") and seen is False and w == "and":
            return None
        if w == "and":
            continue
        if w == "a" and not seen:
            current, seen = 1, True
            continue
        if w in UNITS:
            current += UNITS[w]
        elif w in TENS:
            current += TENS[w]
        elif w == "dozen":
            current = (current or 1) * 12
        elif w in SCALES:
            scale = SCALES[w]
            if scale == 100:
                current = (current or 1) * 100
            else:
                total += (current or 1) * scale
                current = 0
        else:
            d = parse_digits(w)
            if d is None:
                return None
            current += d
        seen = True
    return total + current if seen else None


def parse_number(text: str):
    """A number, a [lo, hi] range for vague amounts, or None."""
    s = re.sub(r"\s+", " ", text.strip().lower()).replace("-", " ")
    if not s:
        return None
    d = parse_digits(s)
    if d is not None:
        return d
    key = s.replace(" ", "-") if s.replace(" ", "-") in FRACTIONS else s
    if key in FRACTIONS:
        return FRACTIONS[key]
    if s in DOZEN:
        return DOZEN[s]
    if s in VAGUE:
        return [VAGUE[s], VAGUE[s] * 10]
    m = re.match(r"^(tens|hundreds) of (thousands|millions|billions)$", s)
    if m:
        lo = (10 if m[1] == "tens" else 100) * VAGUE[m[2]]
        return [lo, lo * 10]
    m = re.match(r"^(a few|few|several) (hundred|thousand|million|billion)$", s)
    if m:
        lo, hi = FEW[m[1]]
        return [lo * SCALES[m[2]], hi * SCALES[m[2]]]
    m = re.match(r"^(\S+) (dozen|hundred|thousand|million|billion|trillion)$", s)
    if m and parse_digits(m[1]) is not None:
        v = parse_digits(m[1]) * (12 if m[2] == "dozen" else SCALES[m[2]])
        return _tidy(v)
    m = re.match(r"^(\S+?) ?(k|m|mn|mln|bn|b|tn|trn)$", s)
    if m and parse_digits(m[1]) is not None:
        return _tidy(parse_digits(m[1]) * SCALE_ABBR[m[2]])
    words = s.split(" ")
    if all(w in WORD or parse_digits(w) is not None for w in words) and words != ["a"]:
        v = _words_value(words)
        return _tidy(v) if v is not None else None
    return None


def _tidy(v):
    if isinstance(v, float):
        r = round(v, 6)
        return int(r) if r.is_integer() else r
    return v


def as_range(value) -> tuple[float, float]:
    """A value or [lo, hi] as a (lo, hi) pair, lo <= hi."""
    if isinstance(value, (list, tuple)):
        lo, hi = float(value[0]), float(value[1])
        return (lo, hi) if lo <= hi else (hi, lo)
    return float(value), float(value)
