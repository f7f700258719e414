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
