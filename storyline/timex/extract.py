"""Find and resolve the time expressions of one text.

`extract_timexes(text, published, doc=None)` returns records
`{text, span:{start,end,text}, type, value, precision, anchor[, mod, note, tense]}` in text
order (`tense`: past, future or by, the clause's tense as `tense.py` reads it; internal).
`published` is the report's ISO date (or None); `doc` is the parsed spaCy Doc of the same
text, used for the tense of each expression's clause (without it, tense is unknown).
"""
from __future__ import annotations

import re
from datetime import date
from typing import Optional

from . import calendar as cal
from .bounds import adjust
from .lexicon import MONTHS
from .patterns import COMPILED, MONTH_CONTEXT_BEFORE
from .resolve import EXPR, NONE, PUB, TEXT, Context, _shift, resolve
from .tense import tense_at
from ..text.spans import span_record

_DATE_KINDS = {"md", "mdy", "dm", "dmy", "iso", "numeric"}
_CLOCK_KINDS = {"time", "noon", "clock"}
_DAY_KINDS = {"weekday", "deictic", "md", "mdy", "dm", "dmy", "iso"}
_MOD_BEFORE = re.compile(
    r"(?P<m>(?:the\s+)?(?:very\s+)?(?P<w>beginning|start|end|middle|close)\s+of\s+(?:the\s+)?"
    r"|(?P<w2>early|late|mid|earlier|later)(?:\s+(?:in|on|this|that)\b)?[\s-]*"
    r"|(?P<w3>around|sometime|right)\s+)$", re.I)
_MODS = {"beginning": "START", "start": "START", "early": "START", "earlier": "START", "around": "APPROX",
         "sometime": "APPROX",
         "end": "END", "close": "END", "late": "END", "later": "END", "middle": "MID", "mid": "MID"}
_CAPITALISED = ("mon", "wd")
# Atom kinds whose value a modifier ("the end of", "early") can qualify.
_MODIFIABLE = {"month", "my", "year", "relunit", "relseason", "quarter", "qabbr", "fiscal", "md", "weekday",
               "deictic", "decade", "century", "theyear", "yearend", "ref"}


class Atom:
    __slots__ = ("kind", "start", "end", "g", "res")

    def __init__(self, kind, start, end, g):
        self.kind, self.start, self.end, self.g, self.res = kind, start, end, g, None


def _accept(kind: str, m: re.Match, text: str) -> bool:
    g = m.groupdict()
    for k in _CAPITALISED:
        if g.get(k) and not g[k][0].isupper():
            return False
    if kind == "month" and not g.get("rel"):
        before = text[max(0, m.start() - 30):m.start()]
        if g["mon"].rstrip(".") in ("May", "March", "Mar", "Jan", "Jun", "Jul", "Sept", "Sep", "Dec", "Oct", "Nov", "Aug", "Feb", "Apr") \
                and not MONTH_CONTEXT_BEFORE.search(before):
            return False
    if kind == "relseason" and g["season"].lower() == "fall" and not (g.get("rel") or g.get("year")):
        if not re.search(r"\b(?:in|this|last|next|early|late|the)\s+$", text[max(0, m.start() - 12):m.start()], re.I) \
                or m.group(0).lower().startswith("the"):
            return False
    if kind == "numeric" and not (1 <= int(g["month"]) <= 12):
        return False
    if kind in ("md", "dm") and not 1 <= int(g["day"]) <= 31:
        return False
    if kind in ("relunit", "deictic") and _title_word(text, m, g.get("unit") or g.get("deic")):
        return False  # a name: ABC's "This Week", "VOA Today"
    if kind == "set" and g["unit"].lower() in MONTHS and not g["unit"][0].isupper():
        return False  # "each may have": a verb
    if kind == "set" and g["every"].lower() == "a":
        before = text[max(0, m.start() - 25):m.start()]
        # a rate: "twice a week", "$2 million a year", "700 seats a week", "5% a year"
        if not re.search(r"(?:\b(?:once|twice|times|thrice|million|billion|thousand|hundred)|\d|%|percent|cents?|dollars?)"
                         r"(?:\s+[a-z]+)?\s*$", before, re.I):
            return False
    if kind == "duration" and (g.get("num") or "").lower() in ("a", "an") and g["unit"].lower() == "second":
        return False  # "a second session": an ordinal, not one second
    if kind == "duration" and ((g.get("adj") or "").lower() == "old"
                               or re.match(r"\s+old\b", text[m.end():m.end() + 6], re.I)):
        return False  # an age ("52 years old", "a 136-year-old bank"): TimeML leaves ages out
    if kind == "clock" and not g.get("tz"):
        return False
    return True


def _title_word(text: str, m: re.Match, word) -> bool:
    """A capitalised unit or day word ("Week", "Today") that does not open a sentence."""
    if not word or not word[0].isupper():
        return False
    before = text[:m.start()].rstrip(" \t")
    if re.search(r"(?:['\u2019]s?|[A-Z]\w*)\s*[\"\u201c]$|``$", before):
        return True  # a quoted title after a name or possessive: ABC News' "This Week"
    if not before or before[-1] in ".!?:;\n\"'\u201c\u2018(-\u2014_" or before.endswith("``"):
        return False
    return True


def find_atoms(text: str) -> list[Atom]:
    cands = []
    for order, (kind, rx) in enumerate(COMPILED):
        for m in rx.finditer(text):
            if m.end() > m.start() and _accept(kind, m, text):
                cands.append((m.end() - m.start(), -order, m.start(), kind, m))
    cands.sort(key=lambda c: (-c[0], -c[1], c[2]))
    taken: list[tuple[int, int]] = []
    atoms = []
    for _, _, start, kind, m in cands:
        end = m.end()
        # a match may end in spaces a lookahead left behind
        while end > start and text[end - 1].isspace():
            end -= 1
        if any(start < e and s < end for s, e in taken):
            continue
        taken.append((start, end))
        atoms.append(Atom(kind, start, end, m.groupdict()))
    atoms.sort(key=lambda a: a.start)
    return atoms


def _nonnumeric_year(doc, a: Atom) -> bool:
    """A bare 4-digit number that the parse reads as a count ("2000 troops")."""
    if doc is None or a.kind != "year":
        return False
    span = doc.char_span(a.start, a.end, alignment_mode="expand")
    if span is None:
        return False
    tok = span[-1]
    if not (tok.dep_ == "nummod" and tok.head.pos_ == "NOUN" and tok.head.lower_ not in ("year", "season", "fiscal")):
        return False
    # "2000 troops" is a count; "its 1990 invasion", "the 1987 crash" and "1996 campaign"
    # name a year: a singular head or a determiner/possessive before the number.
    before = doc[tok.i - 1] if tok.i > 0 else None
    if before is not None and (before.tag_ in ("DT", "PRP$", "POS") or before.lower_ in ("since", "in")):
        return False
    return tok.head.tag_ == "NNS"


def _dct(published) -> Optional[date]:
    if not published:
        return None
    try:
        return date.fromisoformat(str(published)[:10])
    except ValueError:
        return None


def extract_timexes(text: str, published=None, doc=None, records: Optional[list] = None) -> list[dict]:
    """Time expressions of `text` resolved against `published`. Without a parse (`doc`),
    `records` (this text's stored timex records) give each expression the tense the parse
    gave it when it was first read, and the expressions it kept (a bare number the parse read
    as a count is not a year)."""
    dct = _dct(published)
    atoms = [a for a in find_atoms(text) if not _nonnumeric_year(doc, a)]
    stored = None
    if doc is None and records is not None:
        stored = [((r.get("span") or {}).get("start", -1), (r.get("span") or {}).get("end", -1), r.get("tense"))
                  for r in records]
        atoms = [a for a in atoms if any(s < a.end and a.start < e for s, e, _ in stored)]
    prev = prev_q = None
    for a in atoms:
        if stored is not None:
            tense = next((t for s, e, t in stored if s < a.end and a.start < e), None)
        else:
            tense = tense_at(doc, text, a.start, a.end)
        a.res = resolve(a.kind, a.g, Context(dct=dct, tense=tense, prev=prev, prev_quarter=prev_q))
        if a.res is not None and tense:
            a.res["tense"] = tense  # kept on the record: dating an undated report reads it
        # Only dates the text or the report's date gives are reference points: "a year
        # earlier" after "a year ago" counts from the same date, not from the one before.
        if a.res and a.res["type"] == "DATE" and cal.precision_of(a.res["value"]) in ("day", "month", "quarter", "year") \
                and not (a.res["value"] or "").startswith("XXXX") and a.res.get("anchor") != EXPR:
            prev = a.res["value"]
            # a quarter still ahead of the report ("the third quarter of 1990") is not the
            # one that "a year ago" compares with: that is a reported, past quarter
            # (nor is the same quarter of an earlier year: "the 1988 quarter" after "the third
            # quarter" is the comparison, not a new reference)
            if cal.precision_of(prev) == "quarter" and (dct is None or prev <= "%d-Q%d" % cal.quarter_of(dct)) \
                    and not (prev_q and prev[-2:] == prev_q[-2:] and prev < prev_q):
                prev_q = prev
    atoms = [a for a in atoms if a.res is not None]
    atoms = _merge(text, atoms, dct)
    for a in atoms:
        a.start, a.end = adjust(text, a.kind, a.start, a.end, a.res)
    return [_record(text, a) for a in atoms]


def _gap(text: str, a: Atom, b: Atom) -> str:
    return text[a.end:b.start]


def _merge(text: str, atoms: list[Atom], dct) -> list[Atom]:
    # 1. weekday + date: "Tuesday, July 13" (one expression) / "Tuesday (July 13)" (two, linked)
    for a, b in zip(atoms, atoms[1:]):
        if a.kind == "weekday" and b.kind in _DATE_KINDS and b.res.get("value"):
            gap = _gap(text, a, b)
            if re.fullmatch(r"\s*[,(]\s*", gap) or re.fullmatch(r"\s+", gap):
                _link_weekday(a, b, dct)
    out: list[Atom] = []
    i = 0
    while i < len(atoms):
        a = atoms[i]
        b = atoms[i + 1] if i + 1 < len(atoms) else None
        if b is not None and a.kind == "weekday" and a.res.get("linked") and re.fullmatch(r"\s*,\s*|\s+", _gap(text, a, b)):
            merged = Atom("weekday", a.start, b.end, a.g)
            merged.res = dict(b.res)
            merged.res.update({k: a.res[k] for k in ("note",) if k in a.res})
            atoms[i + 1] = merged
            i += 1
            continue
        # month or season + its year: "June last year", "January nineteen ninety-seven",
        # "the winter of nineteen ninety-four" (one expression)
        if b is not None and a.kind in ("month", "relseason") and not a.g.get("rel") \
                and _year_of(b) and re.fullmatch(r"\s+(?:of\s+)?", _gap(text, a, b)):
            merged = Atom("my", a.start, b.end, a.g)
            from .lexicon import MONTHS, SEASONS

            suffix = (f"-{MONTHS[a.g['mon'].lower().rstrip('.')]:02d}" if a.kind == "month"
                      else "-" + SEASONS[a.g["season"].lower()])
            merged.res = dict(a.res, value=_year_of(b) + suffix, anchor=b.res.get("anchor"))
            atoms[i + 1] = merged
            i += 1
            continue
        # 2. clock time + day: "midnight on Friday", "noon Thursday", "Friday at 3 p.m."
        if b is not None and a.kind in _CLOCK_KINDS and b.kind in _DAY_KINDS \
                and re.fullmatch(r"\s*(?:,|on|of)?\s*", _gap(text, a, b)):
            atoms[i + 1] = _timed(a, b, a.start, b.end)
            i += 1
            continue
        if b is not None and a.kind in _DAY_KINDS and b.kind in _CLOCK_KINDS \
                and re.fullmatch(r"\s*(?:,|at)?\s*", _gap(text, a, b)):
            atoms[i + 1] = _timed(b, a, a.start, b.end)
            i += 1
            continue
        # 3. "a day after March 3": an offset from another expression
        if b is not None and a.kind == "ago" and a.g["dir"].lower() in ("after", "before") \
                and b.res.get("type") == "DATE" and re.fullmatch(r"\s*(?:the\s+)?", _gap(text, a, b)):
            merged = Atom("offset", a.start, b.end, a.g)
            merged.res = _offset(a, b)
            atoms[i + 1] = merged
            i += 1
            continue
        if a.kind == "ago" and a.g["dir"].lower() in ("after", "before", "since"):
            a = _as_duration(text, a)
        out.append(a)
        i += 1
    for a in out:
        _modifier(text, a)
        if a.res["type"] == "DURATION" and re.search(r"\bwithin\s+(?:the\s+)?$", text[max(0, a.start - 12):a.start], re.I):
            a.res.setdefault("mod", "EQUAL_OR_LESS")
    return out


def _year_of(b: Atom) -> Optional[str]:
    """The year an atom names, when it names only a year ("last year", "1997", "nineteen
    ninety-seven")."""
    v = (b.res or {}).get("value") or ""
    if b.kind in ("relunit", "spelled_year", "year") and re.fullmatch(r"\d{4}", v) and b.res.get("type") == "DATE":
        return v
    return None


def _link_weekday(a: Atom, b: Atom, dct: Optional[date]) -> None:
    from .lexicon import WEEKDAYS

    wd = WEEKDAYS[a.g["wd"].lower()]
    v = b.res["value"]
    d = cal.safe_date(int(v[:4]), int(v[5:7]), int(v[8:10])) if v[:4].isdigit() else None
    if d is None:
        # no year: the weekday pins nothing without a report date; carry the month and day
        a.res = dict(a.res, value=v, anchor=TEXT if v else NONE, linked=True)
        return
    if d.weekday() != wd and b.kind in ("md", "dm") and b.res.get("anchor") == PUB:
        # the year was inferred: a neighbouring year where the weekday fits wins
        for y in (d.year - 1, d.year + 1):
            d2 = cal.safe_date(y, d.month, d.day)
            if d2 and d2.weekday() == wd and dct and abs((d2 - dct).days) <= 183:
                d = d2
                b.res = dict(b.res, value=d.isoformat(), anchor=TEXT)
                break
    if d.weekday() != wd:
        a.res = dict(a.res, value=d.isoformat(), anchor=TEXT, linked=True,
                     note=f"weekday {a.g['wd']} does not match {d.isoformat()} ({d.strftime('%A')})")
        b.res = dict(b.res, note=a.res["note"])
        return
    part = a.res["value"][10:] if a.res.get("value") and "T" in a.res["value"] else ""
    a.res = dict(a.res, value=d.isoformat() + part, anchor=TEXT, linked=True)


def _timed(clock: Atom, day: Atom, start: int, end: int) -> Atom:
    merged = Atom("timed", start, end, clock.g)
    dv = day.res.get("value")
    cv = clock.res.get("value")
    if dv and cal.precision_of(dv) in ("day", "part_of_day") and cv:
        merged.res = dict(clock.res, type="TIME", value=dv[:10] + cv[10:], anchor=day.res["anchor"])
    elif dv and dv.startswith("XXXX") and cv is None:
        merged.res = dict(clock.res, type="TIME", value=None, anchor=NONE)
    else:
        merged.res = dict(clock.res, type="TIME", value=None, anchor=NONE)
        for k in ("value", "anchor"):
            merged.res[k] = day.res.get(k) if day.res.get("value") else merged.res[k]
        if merged.res["value"] and cv:
            merged.res["value"] = merged.res["value"][:10] + cv[10:]
    if "note" in day.res:
        merged.res["note"] = day.res["note"]
    return merged


def _offset(a: Atom, b: Atom) -> dict:
    from .lexicon import number_value, unit_key

    n, unit = number_value(a.g["num"]), unit_key(a.g["unit"])
    sign = 1 if a.g["dir"].lower() == "after" else -1
    v = _shift(b.res["value"], n, unit, sign) if b.res.get("value") and isinstance(n, int) else None
    if v is None:
        return {"type": "DATE", "value": None, "anchor": NONE}
    return {"type": "DATE", "value": v, "anchor": EXPR}


def _as_duration(text: str, a: Atom) -> Atom:
    """'two days after the attack': no date to count from, so only the duration is known."""
    from .resolve import r_duration

    m = re.match(r".*?\S(?=\s+(?:after|before|since)\b)", text[a.start:a.end], re.I | re.S)
    end = a.start + m.end() if m else a.end
    d = Atom("duration", a.start, end, {"num": a.g["num"], "unit": a.g["unit"], "dmod": None})
    d.res = r_duration(d.g, None)
    return d


def _modifier(text: str, a: Atom) -> None:
    if a.kind not in _MODIFIABLE or a.res.get("type") not in ("DATE", "TIME"):
        return
    m = _MOD_BEFORE.search(text[max(0, a.start - 30):a.start])
    if not m:
        return
    word = (m.group("w") or m.group("w2") or m.group("w3") or "").lower()
    if word == "right" and a.kind != "ref":
        return  # "right now" only
    a.res.setdefault("mod", _MODS.get(word))
    a.start -= len(m.group("m"))


def _record(text: str, a: Atom) -> dict:
    r = a.res
    rec = {"text": text[a.start:a.end], "span": span_record(text, a.start, a.end),
           "type": r["type"], "value": r.get("value"),
           "precision": cal.precision_of(r.get("value")) if r["type"] in ("DATE", "TIME") else None,
           "anchor": r.get("anchor") if r.get("value") is not None else NONE}
    for k in ("mod", "note", "quant", "tense"):
        if r.get(k):
            rec[k] = r[k]
    return rec
