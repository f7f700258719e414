"""The Dask engine (issue 15) on a real LocalCluster of 2 worker processes: the same results
as the local engine, and a worker killed mid-run loses nothing and writes nothing twice."""
from __future__ import annotations

import json
import os
import signal
import threading
import time

import pytest

from storyline.outputs.export import build_export
from storyline.store import open_store

pytest.importorskip("distributed")
from storyline.engine import dask as dask_engine  # noqa: E402


@pytest.fixture(scope="module")
def client():
    """2 worker processes, one thread each, the pipeline loaded once on each."""
    with dask_engine.connect(n_workers=2) as c:
        c.wait_for_workers(2, timeout=120)
        yield c


def _housekeeping(dask_worker=None) -> tuple:
    import dask

    return "profile" in dask_worker.periodic_callbacks, dask.config.get("distributed.admin.tick.interval")


def test_local_cluster_workers_do_not_profile_and_tick_slower(client):
    """Dask's statistical profiler (every 10 ms on the worker's event loop, holding the GIL
    while spaCy parses) is off on the workers `connect` starts, and its housekeeping runs
    less often; Dask's own defaults in this process are left alone."""
    import dask

    assert dask.config.get("distributed.worker.profile.enabled")
    assert dask.config.get("distributed.admin.tick.interval") == "20ms"
    got = client.run(_housekeeping)
    assert len(got) == 2 and set(got.values()) == {(False, "500ms")}


def _normal(data: dict) -> str:
    return json.dumps({k: v for k, v in data.items() if k != "generated"}, sort_keys=True)


def test_dask_gives_what_the_local_engine_gives(client, sample_dir, sample_db, tmp_path):
    with open_store(str(tmp_path / "d.db")) as store:
        summary = dask_engine.analyze([str(sample_dir)], store, client=client, batch_size=4)
        assert summary.failed == [] and summary.processed > 0
        again = dask_engine.analyze([str(sample_dir)], store, client=client)
        assert again.processed == 0 and again.unchanged_inputs > 0
        with store.snapshot():
            got = build_export(store)
    with open_store(str(sample_db)) as ref, ref.snapshot():
        assert _normal(got) == _normal(build_export(ref))


def _reports(d, n: int) -> None:
    d.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (d / f"r{i:03d}.txt").write_text(
            f"Report {i}\n\nKESSARA - Officials said on Friday that {i} families had been moved from the river "
            f"towns, and the mayor, Ilse Varnow, told reporters that the army would send {i + 3} boats.\n")


def test_a_worker_killed_mid_run_loses_nothing_and_writes_nothing_twice(client, tmp_path):
    n = 40
    _reports(tmp_path / "in", n)
    db = str(tmp_path / "k.db")
    before = set(client.run(os.getpid).values())
    box: dict = {}

    def run():
        with open_store(db) as store:
            box["summary"] = dask_engine.analyze([str(tmp_path / "in")], store, client=client, batch_size=2,
                                                 link=False)

    t = threading.Thread(target=run)
    t.start()
    victim = sorted(before)[0]
    deadline = time.time() + 60
    killed = False
    while time.time() < deadline and t.is_alive():
        if os.path.exists(db):
            with open_store(db) as peek:
                stored = peek.count("articles")
            if stored >= 4:  # batches are in flight on both workers now
                os.kill(victim, signal.SIGKILL)
                killed = True
                break
        time.sleep(0.05)
    t.join(120)
    assert killed, "the run ended before a worker could be killed"
    assert not t.is_alive()
    summary = box["summary"]
    assert summary.failed == [], summary.lines()
    assert summary.processed == n
    with open_store(db) as store:
        assert store.count("articles") == n and store.count("inputs") == n
        ids = [r["id"] for r in store.records("mentions")]
        assert len(ids) == len(set(ids)) > n
        per_article = {a["id"]: len(list(store.records("mentions", article=a["id"]))) for a in store.articles()}
        assert all(v > 0 for v in per_article.values())
    client.wait_for_workers(2, timeout=120)  # the nanny restarted the killed one
    assert victim not in set(client.run(os.getpid).values())
    assert set(client.run(_housekeeping).values()) == {(False, "500ms")}  # the restarted one too


class _Future:
    """A finished task as `RemotePipeline.pipe` sees it: its result (or exception) read
    once, then released."""

    def __init__(self, client: "_Client", key: int, items: list):
        self.client, self.key, self.items = client, key, items
        self.reads = 0
        self.released = False

    def result(self):
        self.reads += 1
        assert self.reads == 1 and not self.released, "a batch's result is read once, before release"
        ids = [ext["storyline_article_id"] for _text, ext in self.items]
        if len(ids) > 1 and any(i in self.client.poison for i in ids):
            raise RuntimeError("KilledWorker")  # Dask gave up on the batch
        if any(i in self.client.poison for i in ids):
            raise RuntimeError(f"still failing: {ids[0]}")
        return [(i, {"storyline_test": i.upper()}) for i in ids], []

    def release(self):
        self.released = True


class _Client:
    """Submits nothing: records every batch; `as_completed` hands the futures back newest
    first, the order that blocks an in-order reader most."""

    def __init__(self, poison=()):
        self.futures: list[_Future] = []
        self.poison = set(poison)
        self.most_out = 0

    def submit(self, fn, items, wanted, pure=True):
        assert fn is dask_engine.parse_batch and pure is False
        self.futures.append(_Future(self, len(self.futures), items))
        self.most_out = max(self.most_out, self.out())
        return self.futures[-1]

    def out(self) -> int:
        return sum(1 for f in self.futures if not f.released)


class _AsCompleted:
    def __init__(self):
        self.pending: list[_Future] = []

    def add(self, future):
        self.pending.append(future)

    def __next__(self):
        return self.pending.pop()  # the newest first


def _remote(monkeypatch, client: _Client, n_workers: int = 2):
    monkeypatch.setattr(dask_engine, "as_completed", _AsCompleted)
    remote = dask_engine.RemotePipeline(client, [], 1_000_000, n_workers)
    remote.wanted = ["storyline_test"]
    return remote


def _stream(n: int):
    for i in range(n):
        doc = dask_engine.RemoteDoc(f"text {i}")
        doc._.storyline_article_id = f"a{i:03d}"
        yield doc, i


def test_results_come_back_in_input_order_whatever_order_batches_finish_in(monkeypatch):
    client = _Client()
    remote = _remote(monkeypatch, client)
    got = []
    for doc, ctx in remote.pipe(_stream(50), batch_size=3):
        got.append(ctx)
        assert doc._.storyline_test == f"A{ctx:03d}"
        # bounded: never more than IN_FLIGHT_PER_WORKER batches per worker out at once
        assert client.out() <= dask_engine.IN_FLIGHT_PER_WORKER * 2
    assert got == list(range(50))
    assert len(client.futures) == 17 and all(f.reads == 1 and f.released for f in client.futures)
    assert client.most_out == dask_engine.IN_FLIGHT_PER_WORKER * 2  # the window was used


def test_a_slow_first_batch_does_not_stop_the_others_going_out(monkeypatch):
    """The reader waits for the oldest batch, but new batches go out as later ones finish
    (up to AHEAD_PER_WORKER per worker not yielded)."""
    client = _Client()
    remote = _remote(monkeypatch, client)
    first = next(remote.pipe(_stream(200), batch_size=2))
    assert first[1] == 0
    # as_completed never handed back batch 0 before the buffer was full: all others
    # submitted meanwhile were fetched and wait behind it
    assert len(client.futures) == dask_engine.AHEAD_PER_WORKER * 2
    assert sum(f.reads for f in client.futures) == len(client.futures)


def test_a_batch_that_keeps_failing_is_retried_one_by_one(monkeypatch):
    client = _Client(poison={"a004"})
    remote = _remote(monkeypatch, client)
    reported = []
    remote.default_error_handler = lambda name, _p, docs, exc: reported.append(
        (name, docs[0]._.storyline_article_id, type(exc).__name__, str(exc)))
    got = [ctx for _doc, ctx in remote.pipe(_stream(12), batch_size=3)]
    assert got == [i for i in range(12) if i != 4]
    assert reported == [("dask", "a004", "RuntimeError", "still failing: a004")]
    retried = [f.items[0][1]["storyline_article_id"] for f in client.futures if len(f.items) == 1]
    assert retried == ["a003", "a004", "a005"]
    assert all(f.reads == 1 and f.released for f in client.futures)
