"""Scale-out (issue 15): engines side by side, and the store at growing sizes.

    .venv/bin/python bench/bench_scale.py engines [--n 200] [--repeat R] [--data DIR]
    .venv/bin/python bench/bench_scale.py store [--sizes 10000,100000] [--backends sqlite,postgresql]
        [--no-link] [--link-every N] [--keep] [--profile PREFIX]
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


def bench_engines(n: int, data: Path, batch_size: int, repeat: int = 1) -> None:
    """local-1 once, then `repeat` rounds of local-2 and dask-2 (alternating which goes
    first), each on a fresh store; prints every run with the load average and the CPU
    seconds of every process involved, then medians. Dask: a fresh 2-worker LocalCluster
    each round (not forked from: spaCy's `n_process` forks this process), its workers warm
    before the clock; the scheduler and nannies run on this process's event-loop thread."""
    import shutil
    import statistics

    import psutil
    from distributed import get_task_stream

    from storyline.engine import analyze
    from storyline.engine import dask as dask_engine
    from storyline.pipeline import build_nlp
    from storyline.store import open_store

    tmp = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    words = write_corpus(tmp / "in", n, data)
    nlp = build_nlp()
    nlp("warm up the pipeline.")
    me = psutil.Process()
    runs: dict[str, list[dict]] = {}

    def cpu_now() -> tuple[dict, dict, float]:
        """(live children's CPU s by pid, this process's threads' CPU s by id, reaped children's CPU s)"""
        kids = {}
        for p in me.children(recursive=True):
            try:
                t = p.cpu_times()
                kids[p.pid] = t.user + t.system
            except psutil.Error:
                pass
        threads = {t.id: t.user_time + t.system_time for t in me.threads()}
        r = resource.getrusage(resource.RUSAGE_CHILDREN)
        return kids, threads, r.ru_utime + r.ru_stime

    def timed(name: str, fn, client=None) -> None:
        db = tmp / f"{name}.db"
        a = cpu_now()
        t = time.perf_counter()
        if client is not None:
            with get_task_stream(client) as ts, open_store(str(db)) as store:
                s = fn(store)
        else:
            with open_store(str(db)) as store:
                s = fn(store)
        wall = time.perf_counter() - t
        b = cpu_now()
        assert s.processed == n, s.lines()
        r = {"s": wall, "load": os.getloadavg()[0],
             "main": b[1].get(me.pid, 0.0) - a[1].get(me.pid, 0.0),
             "threads": sum(v - a[1].get(k, 0.0) for k, v in b[1].items() if k != me.pid),
             "children": sum(v - a[0].get(k, 0.0) for k, v in b[0].items()) + b[2] - a[2]}
        r["cpu"] = r["main"] + r["threads"] + r["children"]
        busy = ""
        if client is not None:  # workers' compute time, from the scheduler's task stream
            per: dict[str, float] = {}
            for task in ts.data:
                for ss in task.get("startstops", []):
                    if ss["action"] == "compute":
                        per[task["worker"]] = per.get(task["worker"], 0.0) + ss["stop"] - ss["start"]
            r["idle"] = sum(max(wall - v, 0.0) for v in per.values()) / max(len(per), 1)
            busy = ", workers busy " + "/".join(f"{100 * v / wall:.0f}%" for v in sorted(per.values()))
        runs.setdefault(name, []).append(r)
        shutil.rmtree(db, ignore_errors=True) if db.is_dir() else db.unlink(missing_ok=True)
        print(f"{name:>10}: {wall:7.1f} s  {words / wall:8.0f} words/s  (load average {r['load']:.1f}; CPU s: "
              f"parent {r['main']:.1f} + its other threads {r['threads']:.1f} + child processes "
              f"{r['children']:.1f} = {r['cpu']:.1f}{busy})", flush=True)

    def local2() -> None:
        timed("local-2", lambda st: analyze([str(tmp / "in")], st, nlp=nlp, n_process=2, batch_size=batch_size,
                                            link=False))

    def dask2() -> None:
        with dask_engine.connect(n_workers=2) as client:
            dask_engine.RemotePipeline.start(client)  # load the pipeline on the workers before the clock
            timed("dask-2", lambda st: dask_engine.analyze([str(tmp / "in")], st, client=client,
                                                           batch_size=batch_size, link=False), client)

    timed("local-1", lambda st: analyze([str(tmp / "in")], st, nlp=nlp, batch_size=batch_size, link=False))
    for i in range(repeat):
        for run in ((local2, dask2) if i % 2 == 0 else (dask2, local2)):
            run()
    shutil.rmtree(tmp, ignore_errors=True)

    def med(name: str, key: str) -> float:
        return statistics.median(r[key] for r in runs[name])

    base = med("local-1", "s")
    ratios = [d["s"] / loc["s"] for loc, d in zip(runs["local-2"], runs["dask-2"])]
    print(f"articles {n}, words {words}, cores {os.cpu_count()}, rounds {repeat}, load average now "
          f"{os.getloadavg()[0]:.1f}" + (" (figures below: medians)" if repeat > 1 else ""))
    for name in runs:
        print(f"{name:>10}: {med(name, 's'):7.1f} s  {words / med(name, 's'):8.0f} words/s  CPU {med(name, 'cpu'):.1f} s"
              f" (parent {med(name, 'main'):.1f}, its other threads {med(name, 'threads'):.1f}, child processes "
              f"{med(name, 'children'):.1f})" + (f", worker idle {med(name, 'idle'):.1f} s" if name == "dask-2" else ""))
    print(f"words/s/core (local-1): {words / base:.0f}")
    print(f"speed-up local-2 / local-1: {base / med('local-2', 's'):.2f}")
    print(f"speed-up dask-2  / local-1: {base / med('dask-2', 's'):.2f}")
    print(f"dask-2 time / local-2 time: {med('dask-2', 's') / med('local-2', 's'):.2f} (median of the rounds' ratios "
          f"{statistics.median(ratios):.2f}: {', '.join(f'{x:.2f}' for x in ratios)})")
    print(f"dask-2 CPU / local-2 CPU: {med('dask-2', 'cpu') / med('local-2', 'cpu'):.2f}")


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
              server_pid: int = 0, link_every: int = 0, records_by: str = "article") -> dict:
    """In a child process: save N generated articles with re-used parsed records into `url`,
    WRITE_BATCH articles per transaction as the engine saves them; then run every linker
    once over them (one `analyze` run's linking), each timed. `profile`: a file for the
    cProfile stats of the write loop, timed in CPU seconds (its dearest functions go to stderr). `server_pid`:
    the PostgreSQL postmaster, whose process tree's CPU seconds are taken beside ours.
    `link_every`: run the linkers after every that many articles as well (as `analyze
    --link-every` does; their CPU is then counted as linking, not writing; as there, the
    passes before the last run the view linkers, the briefs, only every `VIEW_EVERY`-th time). `records_by`: whose
    parsed records a generated article re-uses: "article" (the i-th article the (i mod
    `parsed`)-th parse's, whatever its story) or "story" (every article of a story the same
    parse's, as a story's reports name the same actors; a parse is shared by every
    `parsed`-th story, so its actors are also hubs across stories)."""
    import cProfile
    import pstats
    from datetime import date

    from storyline import registry
    from storyline.components.context import extension
    from storyline.engine.local import VIEW_EVERY, WRITE_BATCH
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
    peak = PeakRss()  # overall, and during each linker of a pass
    linkers: dict[str, float] = {}
    linkers_cpu: dict[str, float] = {}
    linkers_server: dict[str, float] = {}
    prof = cProfile.Profile(time.process_time) if profile else None  # CPU time: the machine is shared
    with open_store(url) as store:
        t, c, s = time.perf_counter(), _cpu(), _server_cpu(server_pid)  # after open: migrations not timed
        if prof:
            prof.enable()
        batch: list[tuple[dict, dict]] = []
        passes = 0  # link passes before the last
        in_loop = [0.0, 0.0, 0.0]  # wall, CPU and server CPU of linking passes inside the write loop

        def flush() -> None:
            with store.transaction():
                for art, recs in batch:
                    store.save_article(art, recs)
            batch.clear()

        def link_pass(done: int, final: bool) -> None:
            nonlocal passes
            passes += 0 if final else 1
            t1, c1, s1 = time.perf_counter(), _cpu(), _server_cpu(server_pid)
            each, counts, peaks = [], [], []
            for ext in registry.linkers():
                if ext.view and not final and passes % VIEW_EVERY:  # as `analyze` does (the briefs)
                    continue
                peak.start()
                t0, c0, s0 = time.perf_counter(), _cpu(), _server_cpu(server_pid)
                stats = registry.resolve(ext.linker)(store)
                if peak.windows:
                    peaks.append(f"{ext.name} {peak.window():.0f}")
                if isinstance(stats, dict):  # what an incremental linker read: records, stories, ...
                    counts.append(f"{ext.name} " + " ".join(f"{k}={v}" for k, v in stats.items()))
                linkers[ext.name] = linkers.get(ext.name, 0.0) + time.perf_counter() - t0
                linkers_cpu[ext.name] = linkers_cpu.get(ext.name, 0.0) + _cpu() - c0
                linkers_server[ext.name] = linkers_server.get(ext.name, 0.0) + _server_cpu(server_pid) - s0
                each.append(f"{ext.name} {_cpu() - c0:.1f}" + (f"+{_server_cpu(server_pid) - s0:.1f}" if server_pid else ""))
            spent = [time.perf_counter() - t1, _cpu() - c1, _server_cpu(server_pid) - s1]
            for k in range(3):
                in_loop[k] += spent[k]
            rss = peak.overall()
            print(f"  linked at {done}: {spent[0]:.1f} s, CPU {spent[1]:.1f} s"
                  + (f", server CPU {spent[2]:.1f} s" if server_pid else "") + f"; peak RSS so far {rss:.0f} MB, now {_rss_now_mb():.0f} MB"
                  + f"\n    CPU s{' (+ server)' if server_pid else ''}: " + ", ".join(each)
                  + ("\n    read: " + "; ".join(counts) if counts else "")
                  + ("\n    peak RSS during each linker, MB: " + ", ".join(peaks) if peaks else ""),
                  file=sys.stderr, flush=True)

        for i, (story, text, day) in enumerate(stream(n, bases, seed=11)):
            text = f"{text} (item {i})"
            recs = samples[(story if records_by == "story" else i) % len(samples)]
            recs = {**recs, "actors": [*recs.get("actors", []), *story_actors(story, text)]}
            batch.append(({"id": article_id(text), "path": f"gen.jsonl#{i + 1}", "text": text,
                           "title": f"Report {i}", "published": date.fromordinal(day).isoformat(),
                           "published_precision": "day"}, recs))
            if len(batch) >= WRITE_BATCH:
                flush()
            if link and link_every and (i + 1) % link_every == 0 and i + 1 < n:
                if batch:
                    flush()
                link_pass(i + 1, final=False)
            if (i + 1) % max(n // 10, 1) == 0:  # progress on stderr: the rate as the store grows
                server = f", server CPU {_server_cpu(server_pid) - s - in_loop[2]:.1f} s" if server_pid else ""
                print(f"  saved {i + 1}: {time.perf_counter() - t - in_loop[0]:.1f} s, CPU {_cpu() - c - in_loop[1]:.1f} s"
                      f"{server} (writing only)", file=sys.stderr, flush=True)
        if batch:
            flush()
        if prof:
            prof.disable()
        write_s, write_cpu = time.perf_counter() - t - in_loop[0], _cpu() - c - in_loop[1]
        s1 = _server_cpu(server_pid)
        server_write = s1 - s - in_loop[2]
        rss_write = peak.overall()
        if prof:
            prof.dump_stats(profile)
            pstats.Stats(prof, stream=sys.stderr).sort_stats("tottime").print_stats(30)
            pstats.Stats(prof, stream=sys.stderr).sort_stats("cumulative").print_stats(40)
        if link:
            link_pass(n, final=True)
        link_cpu, server_link = in_loop[1], in_loop[2]  # every pass, the last one included
        records = store.count("records")
    return {"n": n, "link_every": link_every, "records_by": records_by, "write_s": write_s, "link_s": sum(linkers.values()), "linkers": linkers,
            "write_cpu": write_cpu, "link_cpu": link_cpu, "linkers_cpu": linkers_cpu,
            "server_write_cpu": server_write, "server_link_cpu": server_link, "linkers_server_cpu": linkers_server,
            "seconds": time.perf_counter() - t, "records": records, "peak_rss_write_mb": rss_write,
            "peak_rss_mb": peak.overall()}


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


def _rss_now_mb() -> float:
    """This process's resident memory now (Linux; 0 elsewhere)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * resource.getpagesize() / 2 ** 20
    except OSError:
        return 0.0


class PeakRss:
    """Peak RSS overall and in windows (one per linker): Linux's clear_refs 5 resets the
    kernel's high-water mark (VmHWM, which getrusage's ru_maxrss then follows too), so the
    overall peak is kept here, from each window's before it is reset. Elsewhere no windows:
    `overall` is ru_maxrss."""

    def __init__(self):
        self.seen = 0.0
        self.windows = os.path.exists("/proc/self/clear_refs")

    def window(self) -> float:
        """The peak since the last `start`, in MB."""
        if self.windows:
            with open("/proc/self/status") as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1]) / 1024
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    def start(self) -> None:
        """A new window; what the last one reached counts for the overall peak."""
        self.seen = max(self.seen, self.window())
        if self.windows:
            try:
                with open("/proc/self/clear_refs", "w") as f:
                    f.write("5")
            except OSError:
                self.windows = False

    def overall(self) -> float:
        return max(self.seen, self.window())


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
                profile: str = "", keep: bool = False, link_every: int = 0, records_by: str = "article") -> None:
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
                                      "1" if link else "0", prof, str(postmaster), str(link_every), records_by],
                                     stdout=subprocess.PIPE, text=True)
                if out.returncode != 0:  # its stderr (progress, traceback) went to ours
                    print(f"{backend} {n}: failed (exit {out.returncode})")
                    break
                r = json.loads(out.stdout.strip().splitlines()[-1])
                r["db_mb"] = db_size(url, path) / 1e6
                results.append(r)
                print(f"{backend:>10} {n:>8}: write {r['write_s']:8.1f} s ({n / r['write_s']:5.0f} articles/s)  "
                      f"link {r['link_s']:8.1f} s  total {r['seconds']:8.1f} s ({n / r['seconds']:5.0f} articles/s)  "
                      f"records {r['records']:>9}  peak RSS " + (
                          f"{r['peak_rss_mb']:5.0f} MB writing and linking every {r['link_every']}"
                          if r.get("link_every") else
                          f"{r['peak_rss_write_mb']:5.0f} MB writing, {r['peak_rss_mb']:5.0f} MB linking")
                      + f"  db {r['db_mb']:8.1f} MB", flush=True)
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
        n, url, data, parsed, link, profile, server_pid, link_every, records_by = sys.argv[2:11]
        print(json.dumps(store_one(int(n), url, Path(data), int(parsed), link == "1", profile, int(server_pid),
                                   int(link_every), records_by)))
        return
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("what", choices=["engines", "store", "increment"])
    ap.add_argument("--db", help="increment: a database a `store` run left")
    ap.add_argument("--n", type=int, default=200, help="engines: articles")
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--repeat", type=int, default=1, help="engines: rounds of local-2 and dask-2, alternated "
                    "(medians printed)")
    ap.add_argument("--sizes", default="10000,100000", help="store: articles per run")
    ap.add_argument("--backends", default="sqlite,postgresql")
    ap.add_argument("--parsed", type=int, default=200, help="store: articles parsed once for their records")
    ap.add_argument("--no-link", action="store_true", help="store: the writer alone, no linking")
    ap.add_argument("--link-every", type=int, default=0, help="store: also run the linkers after every N articles, "
                    "as `analyze --link-every N` does (0: once, after the last)")
    ap.add_argument("--records-by", choices=["article", "story"], default="article",
                    help="store: whose parse a generated article's records come from: the i-th parse cycled over "
                    "the articles (every story mixes the actors of many parses), or its story's (a story's reports "
                    "name the same actors)")
    ap.add_argument("--profile", default="", help="store: cProfile the write loop into PREFIX.BACKEND-N "
                    "(its dearest functions printed; the CPU figures then include the profiler's overhead)")
    ap.add_argument("--keep", action="store_true", help="store: keep the databases (SQLite files) after the run")
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    args = ap.parse_args()
    if args.what == "increment":
        bench_increment(args.db, args.n, Path(args.data), args.parsed)
    elif args.what == "engines":
        bench_engines(args.n, Path(args.data), args.batch_size, args.repeat)
    else:
        bench_store([int(s) for s in args.sizes.split(",")], args.backends.split(","), Path(args.data), args.parsed,
                    not args.no_link, args.profile, args.keep, args.link_every, args.records_by)


if __name__ == "__main__":
    main()
