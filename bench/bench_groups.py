"""Claim and event grouping inside one long story: blocked (the default) against the
all-pairs reference, as the story doubles (issue 15).

    .venv/bin/python bench/bench_groups.py [--db DB | --texts FOLDER] [--sizes 500,1000,2000,4000]
                                           [--before-max N] [--per-day 20]

The records come from a real analysis: the claims and events (actors resolved to entities,
at the report threshold) of an analysed store (`--db`), else of FOLDER analysed once into a
temporary store (default: examples/sample). One story of N articles is generated from them:
article k is base article k mod M (M base articles) in its (k div M)-th copy, published
k div `--per-day` days after the first (so a longer story spans more days), from one of
seven variants of its outlet; its claims' and events' day dates move with it; in odd copies
a figure grows with the story's age (a toll rising over the weeks). Each size is grouped
blocked and all-pairs (`exhaustive=True`, up to `--before-max` articles), the outputs are
compared, and the process CPU seconds printed, with the ratio per doubling (quadratic: 4,
linear: 2).
"""
from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DAY = re.compile(r"^(\d{4}-\d{2}-\d{2})(.*)$")


def _load(db: str) -> tuple[list[dict], list[dict], list[dict]]:
    from storyline.link.events import resolved_events
    from storyline.store import open_store

    with open_store(db) as store:
        arts = [{k: a.get(k) for k in ("id", "seq", "source", "published", "duplicate_of", "cites", "dateline")}
                for a in store.articles()]
        claims = list(store.records("claims"))
        events = resolved_events(store)
    arts.sort(key=lambda a: a["seq"])
    return arts, claims, events


def _analysed(texts: str) -> str:
    from storyline.engine import analyze
    from storyline.store import open_store

    db = str(Path(tempfile.mkdtemp(prefix="bench_groups_")) / "base.db")
    with open_store(db) as store:
        analyze([texts], store)
    return db


def _shift(value, days: int):
    m = DAY.match(str(value)) if isinstance(value, str) else None
    if not m:
        return value
    return (date.fromisoformat(m.group(1)) + timedelta(days=days)).isoformat() + m.group(2)


def long_story(n: int, arts: list[dict], claims: list[dict], events: list[dict],
               per_day: int = 20) -> tuple[list[dict], list[dict], list[dict]]:
    """One story of `n` articles generated from the base articles and their records."""
    start = min((date.fromisoformat(str(a["published"])[:10]) for a in arts
                 if a.get("published") and DAY.match(str(a["published"]))), default=date(2026, 3, 1))
    by_art_c: dict[str, list[dict]] = {}
    by_art_e: dict[str, list[dict]] = {}
    for c in claims:
        by_art_c.setdefault(c["article"], []).append(c)
    for e in events:
        by_art_e.setdefault(e["article"], []).append(e)
    out_a, out_c, out_e = [], [], []
    m = len(arts)
    for k in range(n):
        base, rep, day = arts[k % m], k // m, k // per_day
        aid = f"{base['id']}~{rep}"
        pub = base.get("published")
        shift = 0
        if pub and DAY.match(str(pub)):
            new_pub = start + timedelta(days=day)
            shift = (new_pub - date.fromisoformat(str(pub)[:10])).days
            pub = new_pub.isoformat()
        out_a.append({**base, "id": aid, "story": "long", "published": pub,
                      "source": f"{base.get('source') or 'unknown'} {rep % 7}",
                      "duplicate_of": f"{base['duplicate_of']}~{rep}" if base.get("duplicate_of") else None})
        for c in by_art_c.get(base["id"], ()):
            value = c.get("value")
            if c["kind"] == "numeric" and rep % 2 == 1 and isinstance(value, (int, float)) and value > 2:
                value = round(value * (1 + day / 100))
            out_c.append({**c, "id": f"{c.get('id')}~{rep}", "article": aid, "value": value,
                          "date": _shift(c.get("date"), shift)})
        for e in by_art_e.get(base["id"], ()):
            out_e.append({**e, "id": f"{e.get('id')}~{rep}", "article": aid, "date": _shift(e.get("date"), shift)})
    return out_a, out_c, out_e


def _cpu(fn, *args, **kw):
    t0 = time.process_time()
    out = fn(*args, **kw)
    return out, time.process_time() - t0


def _ratio(prev: tuple, cur: tuple, i: int) -> str:
    return "     -" if prev[i] is None or cur[i] is None or not prev[i] else f"{cur[i] / prev[i]:6.2f}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", help="an analysed store to take claims and events from")
    ap.add_argument("--texts", default=str(ROOT / "examples" / "sample"), help="else analyse this folder once")
    ap.add_argument("--sizes", default="500,1000,2000,4000")
    ap.add_argument("--before-max", type=int, default=4000, help="largest size to run all-pairs on")
    ap.add_argument("--per-day", type=int, default=20, help="articles a day in the generated story")
    args = ap.parse_args()

    from storyline.claims.groups import group_claims
    from storyline.events.groups import group_events

    db = args.db or _analysed(args.texts)
    arts, claims, events = _load(db)
    print(f"base: {len(arts)} articles, {len(claims)} claims, {len(events)} events (from {args.db or args.texts})")
    rows = []
    for n in (int(x) for x in args.sizes.split(",")):
        a, c, e = long_story(n, arts, claims, events, args.per_day)
        ev_arts = [{k: x.get(k) for k in ("id", "source", "duplicate_of", "story")} for x in a]
        cg, c_after = _cpu(group_claims, c, a)
        eg, e_after = _cpu(group_events, e, ev_arts)
        c_before = e_before = None
        if n <= args.before_max:
            cg0, c_before = _cpu(group_claims, c, a, exhaustive=True)
            eg0, e_before = _cpu(group_events, e, ev_arts, exhaustive=True)
            assert cg0 == cg, f"claim groups differ at {n} articles"
            assert eg0 == eg, f"event groups differ at {n} articles"
        rows.append((n, len(c), len(cg), c_before, c_after, len(e), len(eg), e_before, e_after))
        fmt = lambda x: "      -" if x is None else f"{x:7.2f}"  # noqa: E731
        print(f"{n:6d} articles: claims {len(c):6d} -> {len(cg):5d} groups  before {fmt(c_before)} s  after "
              f"{c_after:6.2f} s | events {len(e):6d} -> {len(eg):5d} groups  before {fmt(e_before)} s  after "
              f"{e_after:6.2f} s{'  (same groups)' if c_before is not None else ''}", flush=True)
    print("ratio per doubling (CPU; quadratic 4, linear 2):")
    for prev, cur in zip(rows, rows[1:]):
        if cur[0] != 2 * prev[0]:
            continue
        print(f"  {prev[0]:5d} -> {cur[0]:5d}: claims before {_ratio(prev, cur, 3)}  after {_ratio(prev, cur, 4)} | "
              f"events before {_ratio(prev, cur, 7)}  after {_ratio(prev, cur, 8)}")


if __name__ == "__main__":
    main()
