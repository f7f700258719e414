"""Scale-out (issue 15): engines side by side, and the store at growing sizes.

    .venv/bin/python bench/bench_scale.py engines [--n 200] [--data DIR]
    .venv/bin/python bench/bench_scale.py store [--sizes 10000,100000] [--backends sqlite,postgresql]
        [--no-link] [--keep] [--profile PREFIX]
    .venv/bin/python bench/bench_scale.py increment --db DB [--n 50]

Articles are generated at run time from the development texts (bench_stories_scale.stream:
ECB+ and PolNeAR under ../shared/data, the sample corpus when absent), never stored.

`engines`: the per-article stage (parse, extract, store; linking off) of the same N articles
with the local engine on 1 process, on 2 processes (spaCy `n_process`), and on a 2-worker
Dask LocalCluster. Model loading is excluded (the pipeline / the workers are warm before the
clock starts). Prints seconds, words per second per core, and speed-up ratios over 1 process.

`increment --db DB --n 50`: a database a `store` run left gets N more articles; prints what
each linker then costs (and the counts the incremental linkers return).

`store`: the single writer and the linkers. A few dozen generated articles are parsed once;
then N articles (generated texts with a publication day, the parsed records re-used
round-robin, plus two actors of each article's generated story) are saved `WRITE_BATCH`
per transaction, as the engine does, into SQLite and into PostgreSQL (a throw-away server
started as the tests do); then every linker runs once over them, as at the end of one
`analyze` run (`--no-link`: the writer alone). Each size runs in its own process. Prints
seconds and articles per second for writing, linking and both, each linker's seconds, peak
RSS, database size, and time ratios between sizes (linear = size ratio). This is the
ceiling of one writer, whatever the number of parsing workers. On PostgreSQL the server's
CPU seconds (its process tree, from /proc) are printed beside the client's. The databases
are removed at the end unless `--keep`; `--profile PREFIX` writes a CPU-time cProfile of
each write loop to PREFIX.BACKEND-N and prints its dearest functions.
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


def story_actors(story: int, text: str) -> list[dict]:
    """Two actors of the generated article's own story (a person and an organisation whose
    names the story id decides), so the actors linker meets a realistic spread of actors:
    many stories, each with its own, beside the re-used records' common ones."""
    out = []
    for j, name in enumerate((f"Person{story} Surname{story}", f"Agency{story}")):
        span = {"start": 0, "end": min(len(text), len(name)), "text": name}
        out.append({"local": f"g{j}", "name": name, "type": "PERSON" if j == 0 else "ORG",
                    "actor_type": "person" if j == 0 else "organisation", "key": None, "names": [name],
                    "roles": [], "affiliation": None, "mentions": [{"span": span, "form": "name"}], "span": span})
    return out


def store_one(n: int, url: str, data: Path, parsed: int, link: bool = True, profile: str = "",
              server_pid: int = 0) -> dict:
    """In a child process: save N generated articles with re-used parsed records into `url`,
    WRITE_BATCH articles per transaction as the engine saves them; then run every linker
    once over them (one `analyze` run's linking), each timed. `profile`: a file for the
    cProfile stats of the write loop, timed in CPU seconds (its dearest functions go to stderr). `server_pid`:
    the PostgreSQL postmaster, whose process tree's CPU seconds are taken beside ours."""
    import cProfile
    import pstats
    from datetime import date

    from storyline import registry
    from storyline.components.context import extension
    from storyline.engine.local import WRITE_BATCH
    from storyline.ingest.article import article_id
    from storyline.pipeline import build_nlp
    from storyline.store import open_store

    nlp = build_nlp()
    kinds = [e.records for e in registry.components() if e.factory in nlp.pipe_names and e.records]
    bases = load_texts(data)  # read before the clock starts (ECB+ XML: seconds)
    texts = list(stream(max(parsed, 1), bases, seed=7))
    samples = []
    for doc in nlp.pipe([t for _s, t, _d in texts[:parsed]], batch_size=16):
        samples.append({k: getattr(doc._, extension(k)) or [] for k in kinds})
    del nlp
    linkers: dict[str, float] = {}
    linkers_cpu: dict[str, float] = {}
    linkers_server: dict[str, float] = {}
    prof = cProfile.Profile(time.process_time) if profile else None  # CPU time: the machine is shared
    with open_store(url) as store:
        t, c, s = time.perf_counter(), _cpu(), _server_cpu(server_pid)  # after open: migrations not timed
        if prof:
            prof.enable()
        batch: list[tuple[dict, dict]] = []

        def flush() -> None:
            with store.transaction():
                for art, recs in batch:
                    store.save_article(art, recs)
            batch.clear()

        for i, (story, text, day) in enumerate(stream(n, bases, seed=11)):
            text = f"{text} (item {i})"
            recs = samples[i % len(samples)]
            recs = {**recs, "actors": [*recs.get("actors", []), *story_actors(story, text)]}
            batch.append(({"id": article_id(text), "path": f"gen.jsonl#{i + 1}", "text": text,
                           "title": f"Report {i}", "published": date.fromordinal(day).isoformat(),
                           "published_precision": "day"}, recs))
            if len(batch) >= WRITE_BATCH:
                flush()
            if (i + 1) % max(n // 10, 1) == 0:  # progress on stderr: the rate as the store grows
                server = f", server CPU {_server_cpu(server_pid) - s:.1f} s" if server_pid else ""
                print(f"  saved {i + 1}: {time.perf_counter() - t:.1f} s, CPU {_cpu() - c:.1f} s{server}",
                      file=sys.stderr, flush=True)
        if batch:
            flush()
        if prof:
            prof.disable()
        write_s, write_cpu = time.perf_counter() - t, _cpu() - c
        s1 = _server_cpu(server_pid)
        server_write = s1 - s
        rss_write = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        if prof:
            prof.dump_stats(profile)
            pstats.Stats(prof, stream=sys.stderr).sort_stats("tottime").print_stats(30)
            pstats.Stats(prof, stream=sys.stderr).sort_stats("cumulative").print_stats(40)
        c1 = _cpu()
        if link:
            for ext in registry.linkers():
                t0, c0, s0 = time.perf_counter(), _cpu(), _server_cpu(server_pid)
                registry.resolve(ext.linker)(store)
                linkers[ext.name] = time.perf_counter() - t0
                linkers_cpu[ext.name] = _cpu() - c0
                linkers_server[ext.name] = _server_cpu(server_pid) - s0
                server = f", server CPU {linkers_server[ext.name]:.1f} s" if server_pid else ""
                print(f"  linked {ext.name}: {linkers[ext.name]:.1f} s, CPU {linkers_cpu[ext.name]:.1f} s{server}",
                      file=sys.stderr, flush=True)
        link_cpu = _cpu() - c1
        server_link = _server_cpu(server_pid) - s1
        records = store.count("records")
    return {"n": n, "write_s": write_s, "link_s": sum(linkers.values()), "linkers": linkers,
            "write_cpu": write_cpu, "link_cpu": link_cpu, "linkers_cpu": linkers_cpu,
            "server_write_cpu": server_write, "server_link_cpu": server_link, "linkers_server_cpu": linkers_server,
            "seconds": time.perf_counter() - t, "records": records, "peak_rss_write_mb": rss_write,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def bench_increment(db: str, n: int, data: Path, parsed: int) -> None:
    """A linked store (one `store` run's database) gets `n` more generated articles, saved as
    in `store`, then every linker runs once: what one small batch costs each linker at that
    size of store (incremental linking: it should not grow with the store)."""
    from datetime import date

    from storyline import registry
    from storyline.components.context import extension
    from storyline.ingest.article import article_id
    from storyline.pipeline import build_nlp
    from storyline.store import open_store

    nlp = build_nlp()
    kinds = [e.records for e in registry.components() if e.factory in nlp.pipe_names and e.records]
    texts = list(stream(max(parsed, 1), load_texts(data), seed=7))
    samples = [{k: getattr(doc._, extension(k)) or [] for k in kinds}
               for doc in nlp.pipe([t for _s, t, _d in texts[:parsed]], batch_size=16)]
    del nlp
    with open_store(db) as store:
        size = store.count("articles")
        with store.transaction():
            for i, (_story, text, day) in enumerate(stream(n, load_texts(data), seed=size)):
                text = f"{text} (extra {size} {i})"
                recs = samples[i % len(samples)]
                recs = {**recs, "actors": [*recs.get("actors", []), *story_actors(100_000_000 + i // 5, text)]}
                store.save_article({"id": article_id(text), "path": f"extra.jsonl#{i + 1}", "text": text,
                                    "title": f"Extra {i}", "published": date.fromordinal(day).isoformat(),
                                    "published_precision": "day"}, recs)
        print(f"store of {size} articles, {n} more:")
        for ext in registry.linkers():
            t0, c0 = time.perf_counter(), _cpu()
            stats = registry.resolve(ext.linker)(store)
            print(f"  {ext.name:>10}: {time.perf_counter() - t0:7.2f} s, CPU {_cpu() - c0:7.2f} s"
                  + (f"  {stats}" if isinstance(stats, dict) else ""), flush=True)


def _cpu() -> float:
    """CPU seconds of this process (user + system): on a shared machine, what the work cost
    apart from waiting for a core."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _server_cpu(pid: int) -> float:
    """CPU seconds of a PostgreSQL server so far (0 without one): the postmaster's own and
    its reaped children's (backends that ended, autovacuum workers), plus its live children's
    (our backend, checkpointer, WAL writer), from /proc (Linux; root or the server's user)."""
    if not pid:
        return 0.0
    tick = os.sysconf("SC_CLK_TCK")

    def stat(p: str) -> list[str]:
        with open(f"/proc/{p}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()  # fields from the state on (the name may hold spaces)

    total = 0
    for p in os.listdir("/proc"):
        if not p.isdigit():
            continue
        try:
            f = stat(p)
        except OSError:  # ended meanwhile
            continue
        if p == str(pid):
            total += sum(int(x) for x in f[11:15])  # utime, stime, cutime, cstime
        elif f[1] == str(pid):
            total += sum(int(x) for x in f[11:15])
    return total / tick


def db_size(url: str, path: str) -> int:
    if url.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(url) as c:
            return c.execute("SELECT pg_database_size(current_database())").fetchone()[0]
    return sum(os.path.getsize(p) for p in (path, path + "-wal") if os.path.exists(p))


def bench_store(sizes: list[int], backends: list[str], data: Path, parsed: int, link: bool = True,
                profile: str = "", keep: bool = False) -> None:
    import shutil

    server = None
    tmp = Path(tempfile.mkdtemp(prefix="bench-store-"))
    print(f"databases under {tmp}" + (" (kept)" if keep else " (removed at the end; --keep keeps them)"), flush=True)
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
                postmaster = 0
                if backend == "postgresql" and server.datadir:  # a server we started: its CPU is ours to count
                    postmaster = int(Path(server.datadir, "postmaster.pid").read_text().split()[0])
                prof = f"{profile}.{backend}-{n}" if profile else ""
                out = subprocess.run([sys.executable, __file__, "_store_one", str(n), url, str(data), str(parsed),
                                      "1" if link else "0", prof, str(postmaster)], stdout=subprocess.PIPE, text=True)
                if out.returncode != 0:  # its stderr (progress, traceback) went to ours
                    print(f"{backend} {n}: failed (exit {out.returncode})")
                    break
                r = json.loads(out.stdout.strip().splitlines()[-1])
                r["db_mb"] = db_size(url, path) / 1e6
                results.append(r)
                print(f"{backend:>10} {n:>8}: write {r['write_s']:8.1f} s ({n / r['write_s']:5.0f} articles/s)  "
                      f"link {r['link_s']:8.1f} s  total {r['seconds']:8.1f} s ({n / r['seconds']:5.0f} articles/s)  "
                      f"records {r['records']:>9}  peak RSS {r['peak_rss_write_mb']:5.0f} MB writing, "
                      f"{r['peak_rss_mb']:5.0f} MB linking  db {r['db_mb']:8.1f} MB", flush=True)
                print(" " * 21 + f"CPU: write {r['write_cpu']:.1f} s ({n / max(r['write_cpu'], 1e-9):.0f} articles/s), "
                      f"link {r['link_cpu']:.1f} s; load average {os.getloadavg()[0]:.1f}", flush=True)
                if r.get("server_write_cpu") or r.get("server_link_cpu"):
                    print(" " * 21 + f"server CPU: write {r['server_write_cpu']:.1f} s, link {r['server_link_cpu']:.1f} s;"
                          f" client + server: write {r['write_cpu'] + r['server_write_cpu']:.1f} s, "
                          f"link {r['link_cpu'] + r['server_link_cpu']:.1f} s", flush=True)
                if r["linkers"]:
                    print(" " * 21 + "linkers (wall / CPU s): " + ", ".join(
                        f"{k} {v:.1f} / {r.get('linkers_cpu', {}).get(k, 0):.1f}" for k, v in r["linkers"].items()),
                        flush=True)
                    if r.get("server_link_cpu"):
                        print(" " * 21 + "linkers server CPU s: " + ", ".join(
                            f"{k} {v:.1f}" for k, v in r["linkers_server_cpu"].items()), flush=True)
            for a, b in zip(results, results[1:]):
                linked = f", link {b['link_s'] / max(a['link_s'], 1e-9):.2f}" if link else ""
                linked_cpu = f", link {b['link_cpu'] / max(a['link_cpu'], 1e-9):.2f}" if link else ""
                print(f"{backend:>10} time({b['n']})/time({a['n']}): write {b['write_s'] / a['write_s']:.2f}"
                      f"{linked}, total {b['seconds'] / a['seconds']:.2f} (linear: {b['n'] / a['n']:.1f}); "
                      f"CPU: write {b['write_cpu'] / a['write_cpu']:.2f}{linked_cpu}")
                if a.get("server_write_cpu") and b.get("server_write_cpu"):
                    both = [(x["write_cpu"] + x["server_write_cpu"], x["link_cpu"] + x["server_link_cpu"]) for x in (a, b)]
                    linked_both = f", link {both[1][1] / max(both[0][1], 1e-9):.2f}" if link else ""
                    print(" " * 11 + f"client + server CPU: write {both[1][0] / both[0][0]:.2f}{linked_both}")
    finally:
        if server:
            server.stop()
        if not keep:
            shutil.rmtree(tmp, ignore_errors=True)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "_store_one":
        n, url, data, parsed, link, profile, server_pid = sys.argv[2:9]
        print(json.dumps(store_one(int(n), url, Path(data), int(parsed), link == "1", profile, int(server_pid))))
        return
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("what", choices=["engines", "store", "increment"])
    ap.add_argument("--db", help="increment: a database a `store` run left")
    ap.add_argument("--n", type=int, default=200, help="engines: articles")
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--sizes", default="10000,100000", help="store: articles per run")
    ap.add_argument("--backends", default="sqlite,postgresql")
    ap.add_argument("--parsed", type=int, default=200, help="store: articles parsed once for their records")
    ap.add_argument("--no-link", action="store_true", help="store: the writer alone, no linking")
    ap.add_argument("--profile", default="", help="store: cProfile the write loop into PREFIX.BACKEND-N "
                    "(its dearest functions printed; the CPU figures then include the profiler's overhead)")
    ap.add_argument("--keep", action="store_true", help="store: keep the databases (SQLite files) after the run")
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    args = ap.parse_args()
    if args.what == "increment":
        bench_increment(args.db, args.n, Path(args.data), args.parsed)
    elif args.what == "engines":
        bench_engines(args.n, Path(args.data), args.batch_size)
    else:
        bench_store([int(s) for s in args.sizes.split(",")], args.backends.split(","), Path(args.data), args.parsed,
                    not args.no_link, args.profile, args.keep)


if __name__ == "__main__":
    main()
