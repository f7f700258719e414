"""Latency of the web UI's story, entity and search pages on a large database.

    .venv/bin/python bench/bench_web.py [--articles 100000] [--seed-docs 60] [--db PATH] [--requests 200]

1. Seed: the first `--seed-docs` ECB+ dev articles (../shared/data/ecbplus, topics 1-35)
   analysed by the real pipeline and linked (stories, actors, claims, events) into a seed
   database.
2. Scale: the seed's articles are copied, with all their records, into a new database
   through the store's `save_article` fast path (1,000 articles per transaction) until it
   holds `--articles` articles. Copy k of article A gets new ids; the text gets a suffix
   naming the copy (so search has distinct documents), its story becomes copy k of A's
   story and its actors copy k of A's actors, so stories and entities keep their seed size.
   One seed entity (the most mentioned) is shared by every copy: the "hot" entity that a
   real corpus has (a capital, a head of state), to show the entity page's cap.
3. Brief: the briefing linker (storyline/link/briefing.py) computes and stores every
   story's summary and timeline, as `analyze` does after linking (`brief_s`; a no-op on a
   `--reuse`d database that is up to date).
4. Measure in-process (FastAPI's TestClient: routing, store reads, export builders and
   templates, no network): p50/p95/max of `--requests` requests each to random story pages,
   random entity pages, the hot entity's first page, a page of its older articles
   (`?page=20`) and searches for random words of the seed
   vocabulary (two words, the second as a prefix).
Prints one JSON object. The goal (issue 13) is p95 under 100 ms.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data" / "ecbplus"


def seed_db(path: Path, n_docs: int) -> None:
    from storyline.engine import analyze
    from storyline.eval.ecbplus import read_corpus

    docs = read_corpus(str(DATA), topics=[str(t) for t in range(1, 36)])[:n_docs]
    src = path.parent / "seed-input"
    src.mkdir(parents=True, exist_ok=True)
    with open(src / "ecb.jsonl", "w", encoding="utf-8") as f:
        for d in docs:
            f.write(json.dumps({"text": d.text, "title": d.text.split("\n", 1)[0][:120], "source": f"Outlet {d.topic}",
                                "date": "2026-03-%02d" % (1 + int(d.name.split("_")[1].rstrip("ecbplus")) % 28)})
                    + "\n")
    from storyline.store import open_store

    with open_store(str(path)) as store:
        analyze([str(src)], store, progress=False)


def _new_id(old: str, k: int) -> str:
    return old[0] + hashlib.sha256(f"{old}/{k}".encode()).hexdigest()[:15]


def scale(seed: Path, out: Path, n_articles: int) -> float:
    from storyline.store import open_store

    t0 = time.perf_counter()
    with open_store(str(seed)) as s:
        arts = list(s.articles())
        recs = {a["id"]: {} for a in arts}
        for kind in ("mentions", "actors", "timexes", "quotes", "claims", "events"):
            for r in s.records(kind):
                recs[r["article"]].setdefault(kind, []).append(r)
        entities = s.actors.entities()
        links = s.actors.links()
        stories = s.stories.listing()
    hot = max(entities, key=lambda e: len(e.get("mentions") or []))["id"] if entities else None
    story_of = {aid: st["id"] for st in stories for aid in st["articles"]}
    titles = {st["id"]: st["title"] for st in stories}
    all_entities: dict[str, dict] = {}
    all_links: dict = {}
    saved: set = set()
    with open_store(str(out)) as store:
        k, n = 0, 0
        while n < n_articles:
            with store.transaction():
                for a in arts:
                    if n >= n_articles:
                        break
                    aid = _new_id(a["id"], k)
                    art = dict(a, id=aid, path=f"{a['path']}#copy{k}", text=a["text"] + f"\n\n(copy {k})",
                               duplicate_of=_new_id(a["duplicate_of"], k) if a.get("duplicate_of") else None,
                               story=None)
                    records = {kind: [{kk: vv for kk, vv in dict(r, id=_new_id(r["id"], k)).items() if kk != "article"}
                                      for r in rs] for kind, rs in recs[a["id"]].items()}
                    store.save_article(art, records)
                    saved.add(aid)
                    if a["id"] in story_of:
                        store.stories.set_story(aid, _new_id(story_of[a["id"]], k))
                    n += 1
            for sid, title in titles.items():
                store.stories.save(_new_id(sid, k), title, 0, {}, [], created=True)
            for e in entities:
                eid = e["id"] if e["id"] == hot else _new_id(e["id"], k)
                copy = all_entities.setdefault(eid, dict(e, id=eid, articles=[], mentions=[]))
                copy["articles"] += [_new_id(x, k) for x in e.get("articles") or [] if _new_id(x, k) in saved]
                copy["mentions"] += [dict(m, article=_new_id(m["article"], k)) for m in e.get("mentions") or []
                                     if _new_id(m["article"], k) in saved]
            for (art_id, local), eid in links.items():
                if _new_id(art_id, k) in saved:
                    all_links[(_new_id(art_id, k), local)] = eid if eid == hot else _new_id(eid, k)
            k += 1
        with store.transaction():
            store.actors.replace(list(all_entities.values()), all_links)
    return time.perf_counter() - t0


def brief(db: Path) -> float:
    from storyline.link.briefing import link_briefing
    from storyline.store import open_store

    t0 = time.perf_counter()
    with open_store(str(db)) as store:
        link_briefing(store)
    return time.perf_counter() - t0


def _pct(xs: list[float]) -> dict:
    xs = sorted(xs)
    return {"p50_ms": round(statistics.median(xs) * 1000, 1),
            "p95_ms": round(xs[min(len(xs) - 1, int(0.95 * len(xs)))] * 1000, 1),
            "max_ms": round(xs[-1] * 1000, 1), "n": len(xs)}


def measure(db: Path, n_requests: int) -> dict:
    from fastapi.testclient import TestClient

    from storyline.store import open_store
    from storyline.web.app import create_app

    rnd = random.Random(1)
    with open_store(str(db)) as s:
        n_articles = s.count("articles")
        story_ids = [r[0] for r in s.conn.execute("SELECT id FROM stories ORDER BY random() LIMIT ?", (n_requests,))]
        ent = s.conn.execute("SELECT id, data FROM entities").fetchall()
        sample = rnd.sample(range(min(3000, n_articles)), min(200, n_articles))
        words = set()
        for i, a in enumerate(s.articles()):
            if i in sample:
                words.update(w.lower() for w in re.findall(r"[A-Za-z]{5,}", a["text"]))
            if i > 3000:
                break
    sizes = [(len(json.loads(d).get("articles") or []), eid) for eid, d in ent]
    hot = max(sizes)[1]
    entity_ids = [eid for _, eid in rnd.sample(sizes, min(n_requests, len(sizes))) if eid != hot]
    words = sorted(words)
    client = TestClient(create_app(str(db)))
    client.get("/")  # warm: imports, templates, the connection
    out: dict = {"articles": n_articles}
    for name, urls in (
            ("story", [f"/stories/{i}" for i in story_ids]),
            ("entity", [f"/entities/{i}" for i in entity_ids]),
            ("entity_hot", [f"/entities/{hot}"] * min(30, n_requests)),
            ("entity_hot_page20", [f"/entities/{hot}?page=20"] * min(30, n_requests)),
            ("search", [f"/search?q={rnd.choice(words)}+{rnd.choice(words)[:4]}" for _ in range(n_requests // 2)]
             + [f"/search?q={rnd.choice(words)}" for _ in range(n_requests // 2)])):
        times = []
        for u in urls:
            t = time.perf_counter()
            r = client.get(u)
            times.append(time.perf_counter() - t)
            assert r.status_code == 200, (u, r.status_code)
        out[name] = _pct(times)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--seed-docs", type=int, default=60)
    ap.add_argument("--db", default="/tmp/storyline-bench-web/web.db")
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--reuse", action="store_true", help="measure an existing --db")
    ap.add_argument("--seed", help="an analysed seed database to scale (instead of analysing --seed-docs)")
    args = ap.parse_args()
    db = Path(args.db)
    result: dict = {}
    if not args.reuse:
        db.parent.mkdir(parents=True, exist_ok=True)
        seed = Path(args.seed) if args.seed else db.parent / "seed.db"
        for p in (db,) if args.seed else (db, seed):
            for suffix in ("", "-wal", "-shm"):
                Path(str(p) + suffix).unlink(missing_ok=True)
        t = time.perf_counter()
        if not args.seed:
            seed_db(seed, args.seed_docs)
        result["seed_s"] = round(time.perf_counter() - t, 1)
        result["build_s"] = round(scale(seed, db, args.articles), 1)
        result["db_mb"] = round(db.stat().st_size / 2**20)
    result["brief_s"] = round(brief(db), 1)
    result.update(measure(db, args.requests))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
