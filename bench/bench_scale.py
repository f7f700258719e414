"""Scale-out (issue 15): engines side by side, and the store at growing sizes.

    .venv/bin/python bench/bench_scale.py engines [--n 200] [--data DIR]
    .venv/bin/python bench/bench_scale.py store [--sizes 10000,100000] [--backends sqlite,postgresql]

Articles are generated at run time from the development texts (bench_stories_scale.stream:
ECB+ and PolNeAR under ../shared/data, the sample corpus when absent), never stored.

`engines`: the per-article stage (parse, extract, store; linking off) of the same N articles
with the local engine on 1 process, on 2 processes (spaCy `n_process`), and on a 2-worker
Dask LocalCluster. Model loading is excluded (the pipeline / the workers are warm before the
clock starts). Prints seconds, words per second per core, and speed-up ratios over 1 process.

`store`: the single writer alone. A few hundred generated articles are parsed once; then N
articles (generated texts, the parsed records re-used round-robin) are saved one
transaction each, as the engine does, into SQLite and into PostgreSQL (a throw-away server
started as the tests do). Each size runs in its own process. Prints seconds, articles per
second, peak RSS and database size per size, and time ratios between sizes (linear = size
ratio). This is the ceiling of one writer, whatever the number of parsing workers.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))

from bench_stories_scale import load_texts, stream  # noqa: E402


def write_corpus(folder: Path, n: int, data: Path) -> int:
    """N generated articles as one JSONL file; returns the number of words."""
    folder.mkdir(parents=True, exist_ok=True)
    words = 0
    with open(folder / "articles.jsonl", "w", encoding="utf-8") as fh:
        for i, (_story, text, _day) in enumerate(stream(n, load_texts(data))):
            fh.write(json.dumps({"title": f"Generated report {i}", "text": text}) + "\n")
            words += len(text.split())
    return words


def bench_engines(n: int, data: Path, batch_size: int) -> None:
    from storyline.engine import analyze
    from storyline.engine import dask as dask_engine
    from storyline.pipeline import build_nlp
    from storyline.store import open_store

    tmp = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    words = write_corpus(tmp / "in", n, data)
    nlp = build_nlp()
    nlp("warm up the pipeline.")
    runs = {}

    def timed(name, fn):
        db = str(tmp / f"{name}.db")
        t = time.perf_counter()
        with open_store(db) as store:
            s = fn(store)
        runs[name] = time.perf_counter() - t
        assert s.processed == n, s.lines()
        print(f"{name:>10}: {runs[name]:7.1f} s  {words / runs[name]:8.0f} words/s", flush=True)

    timed("local-1", lambda st: analyze([str(tmp / "in")], st, nlp=nlp, batch_size=batch_size, link=False))
    timed("local-2", lambda st: analyze([str(tmp / "in")], st, nlp=nlp, n_process=2, batch_size=batch_size,
                                        link=False))
    with dask_engine.connect(n_workers=2) as client:
        dask_engine.RemotePipeline.start(client)  # load the pipeline on the workers before the clock
        timed("dask-2", lambda st: dask_engine.analyze([str(tmp / "in")], st, client=client,
                                                       batch_size=batch_size, link=False))
    base = runs["local-1"]
    print(f"articles {n}, words {words}, cores {os.cpu_count()}, load average {os.getloadavg()[0]:.1f}")
    print(f"words/s/core (local-1): {words / base:.0f}")
    print(f"speed-up local-2 / local-1: {base / runs['local-2']:.2f}")
    print(f"speed-up dask-2  / local-1: {base / runs['dask-2']:.2f}")
    print(f"dask-2 time / local-2 time: {runs['dask-2'] / runs['local-2']:.2f}")


def store_one(n: int, url: str, data: Path, parsed: int) -> dict:
    """In a child process: save N generated articles with re-used parsed records into `url`."""
    from storyline.ingest.article import article_id
    from storyline import registry
    from storyline.components.context import extension
    from storyline.pipeline import build_nlp
    from storyline.store import open_store

    nlp = build_nlp()
    kinds = [e.records for e in registry.components() if e.factory in nlp.pipe_names and e.records]
    texts = list(stream(max(parsed, 1), load_texts(data), seed=7))
    samples = []
    for doc in nlp.pipe([t for _s, t, _d in texts[:parsed]], batch_size=16):
        samples.append({k: getattr(doc._, extension(k)) or [] for k in kinds})
    t = time.perf_counter()
    with open_store(url) as store:
        for i, (_story, text, _day) in enumerate(stream(n, load_texts(data), seed=11)):
            text = f"{text} (item {i})"
            aid = article_id(text)
            store.save_article({"id": aid, "path": f"gen.jsonl#{i + 1}", "text": text, "title": f"Report {i}"},
                               samples[i % len(samples)])
        seconds = time.perf_counter() - t
        records = store.count("records")
    return {"n": n, "seconds": seconds, "records": records,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def db_size(url: str, path: str) -> int:
    if url.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(url) as c:
            return c.execute("SELECT pg_database_size(current_database())").fetchone()[0]
    return sum(os.path.getsize(p) for p in (path, path + "-wal") if os.path.exists(p))


def bench_store(sizes: list[int], backends: list[str], data: Path, parsed: int) -> None:
    server = None
    tmp = Path(tempfile.mkdtemp(prefix="bench-store-"))
    if "postgresql" in backends:
        import pg_server

        try:
            server = pg_server.start()
        except pg_server.Unavailable as exc:
            print(f"postgresql skipped: {exc}")
            backends = [b for b in backends if b != "postgresql"]
    try:
        for backend in backends:
            results = []
            for n in sizes:
                path = str(tmp / f"{backend}-{n}.db")
                url = server.new_database("bench") if backend == "postgresql" else path
                out = subprocess.run([sys.executable, __file__, "_store_one", str(n), url, str(data), str(parsed)],
                                     capture_output=True, text=True)
                if out.returncode != 0:
                    print(f"{backend} {n}: failed: {out.stderr.strip().splitlines()[-1:]}")
                    break
                r = json.loads(out.stdout.strip().splitlines()[-1])
                r["db_mb"] = db_size(url, path) / 1e6
                results.append(r)
                print(f"{backend:>10} {n:>8}: {r['seconds']:8.1f} s  {n / r['seconds']:7.0f} articles/s  "
                      f"records {r['records']:>9}  peak RSS {r['peak_rss_mb']:6.0f} MB  db {r['db_mb']:8.1f} MB",
                      flush=True)
            for a, b in zip(results, results[1:]):
                print(f"{backend:>10} time({b['n']})/time({a['n']}) = {b['seconds'] / a['seconds']:.2f} "
                      f"(linear: {b['n'] / a['n']:.1f})")
    finally:
        if server:
            server.stop()


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "_store_one":
        n, url, data, parsed = sys.argv[2:6]
        print(json.dumps(store_one(int(n), url, Path(data), int(parsed))))
        return
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("what", choices=["engines", "store"])
    ap.add_argument("--n", type=int, default=200, help="engines: articles")
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--sizes", default="10000,100000", help="store: articles per run")
    ap.add_argument("--backends", default="sqlite,postgresql")
    ap.add_argument("--parsed", type=int, default=200, help="store: articles parsed once for their records")
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    args = ap.parse_args()
    if args.what == "engines":
        bench_engines(args.n, Path(args.data), args.batch_size)
    else:
        bench_store([int(s) for s in args.sizes.split(",")], args.backends.split(","), Path(args.data), args.parsed)


if __name__ == "__main__":
    main()
