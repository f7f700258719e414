"""The time atoms' first-character lookaheads (storyline/timex/patterns.py FIRST_CHARS) change
no match: each class is the one the atom's own parse gives (every character a match can
start with), and the atoms with and without it find the same matches on the sample corpus,
on edge texts and on shuffled pieces of the sample texts."""
from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from storyline.timex.patterns import ATOMS, COMPILED, FIRST_CHARS

try:  # the regex parser (a private module, named sre_parse before Python 3.11)
    from re import _constants as C
    from re import _parser as P
except ImportError:  # pragma: no cover
    P = C = None

SAMPLE = Path(__file__).resolve().parents[1] / "examples" / "sample"
EDGES = [
    "2019 was the year", "mid-2019 and mid-2020", "$2019, 3/2019, 1.2019, -2019 2019-", "in 1990 1991 1992",
    "for years, within weeks or months, over the years ahead; in days ago", "in the day before, of the day",
    "later in the day.", "that year that month the same day that quarter", "in the morning in the evening of",
    "for the year ended, in the fiscal year, of the full year, throughout the calendar year earlier",
    "for the week's end, of the week. the week's news, the week\u2019s", "soon. as soon as, how soon, soon after soon",
    "\u00a0for\u00a0years\tin\nthe day\u2003soon", "Soon THAT YEAR For Years", "yearsoon thatyear 2019soon",
    "for centuries or decades ahead", "in the weeks of age", "for the yearly", "s\u017foon for \u017feconds",
    "Q3 2019, q4, the 1990s, '90s, mid-1990s, the 21st century", "12/31/2019 2019-12-31 10:30 GMT 3 p.m. EST",
    "two years ago, a year earlier, the year-ago quarter, the third quarter of fiscal 2019, first-half",
    "Monday, Tuesdays, this morning, last night, tonight's, every other week, twice a year, weekly",
    "in early March, the end of May 2019, May 3, 3 May, 3rd of June 2019, June, 2019, Sept. 11",
    "nineteen eighty-four, the year two thousand, currently, the near future, the coming weeks",
    "\u212aelvin \u0130stanbul \u0131 \u017f", "\uff11\uff19\uff19\uff10 \u0661\u0669\u0669\u0660",
]

_CATEGORIES = {} if C is None else {C.CATEGORY_DIGIT: r"\d", C.CATEGORY_WORD: r"\w", C.CATEGORY_SPACE: r"\s"}


def _first(items):
    """(class pieces, can match empty) of the first character of a parsed pattern, or None."""
    out = set()
    for op, av in items:
        got = _first_item(op, av)
        if got is None:
            return None
        out |= got[0]
        if not got[1]:
            return out, False
    return out, True


def _first_item(op, av):
    if op is C.LITERAL:
        return {re.escape(chr(av))}, False
    if op is C.IN:
        out = set()
        for o, a in av:
            if o is C.LITERAL:
                out.add(re.escape(chr(a)))
            elif o is C.RANGE:
                out.add(re.escape(chr(a[0])) + "-" + re.escape(chr(a[1])))
            elif o is C.CATEGORY and a in _CATEGORIES:
                out.add(_CATEGORIES[a])
            else:
                return None
        return out, False
    if op is C.BRANCH:
        out, empty = set(), False
        for alt in av[1]:
            got = _first(alt)
            if got is None:
                return None
            out |= got[0]
            empty = empty or got[1]
        return out, empty
    if op is C.SUBPATTERN:
        return _first(av[3])
    if op in (C.MAX_REPEAT, C.MIN_REPEAT):
        got = _first(av[2])
        return None if got is None else (got[0], got[1] or av[0] == 0)
    if op in (C.ASSERT, C.ASSERT_NOT, C.AT):  # zero-width: the next item consumes the first character
        return set(), True
    return None


@pytest.mark.skipif(P is None, reason="no re._parser in this Python")
def test_first_chars_are_the_atoms_own():
    assert set(FIRST_CHARS) <= {k for k, _ in ATOMS}
    for kind, pattern in ATOMS:
        got = _first(P.parse(pattern, re.I))
        if kind not in FIRST_CHARS:
            assert got is None or got[1], kind  # no class: the parse gives none
            continue
        assert got is not None and not got[1], kind
        assert FIRST_CHARS[kind] == "".join(sorted(got[0])), kind


def _texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(SAMPLE.iterdir()) if p.is_file()]
    rng = random.Random(7)
    words = " ".join(texts + EDGES).split(" ")
    shuffled = []
    for _ in range(150):
        k = rng.randrange(len(words) - 40)
        piece = words[k:k + rng.randrange(2, 40)]
        rng.shuffle(piece)
        shuffled.append(rng.choice([" ", "", "\n", "-", "(", "\u201c"]).join(piece))
    return texts + EDGES + shuffled + [" ".join(EDGES), "".join(EDGES)]


def test_lookaheads_change_no_match():
    texts = _texts()
    for (kind, rx), (_, pattern) in zip(COMPILED, ATOMS):
        plain = re.compile(pattern, re.I)
        for text in texts:
            want = [(m.span(), m.groupdict()) for m in plain.finditer(text)]
            assert [(m.span(), m.groupdict()) for m in rx.finditer(text)] == want, (kind, text)


def test_first_char_classes_fold_case_like_the_atoms():
    # a class letter matches every character (any code point) the same letter matches in an atom
    letters = sorted({c for v in FIRST_CHARS.values() for c in v if c.isalpha()})
    for c in letters:
        lit, cls = re.compile(re.escape(c), re.I), re.compile("[" + c + "]", re.I)
        for cp in list(range(0x250)) + [0x130, 0x131, 0x17F, 0x212A, 0x212B, 0x1E9E, 0xFB05, 0xFB06]:
            ch = chr(cp)
            if lit.fullmatch(ch):
                assert cls.fullmatch(ch), (c, hex(cp))
