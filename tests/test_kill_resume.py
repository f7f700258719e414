"""Issue 14: SIGKILL at random points of analyze, link and report over a copy of the sample
corpus; the database stays whole and the re-run's export equals an uninterrupted run's.
N is kept small (each kill pays a model load): 3 kills of analyze/link and 1 of report."""
from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from storyline.engine import analyze
from storyline.outputs.export import build_export
from storyline.store import open_store

CMD = [sys.executable, "-m", "storyline"]


def _normal(data: dict) -> str:
    def strip(x):
        if isinstance(x, dict):
            return {k: strip(v) for k, v in x.items() if not k.endswith("_at") and k != "generated"}
        if isinstance(x, list):
            return [strip(v) for v in x]
        return x
    return json.dumps(strip(data), sort_keys=True)


def _count(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=1) as c:
            return c.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    except sqlite3.Error:
        return -1


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, sample_dir, nlp):
    d = tmp_path_factory.mktemp("kill") / "in"
    shutil.copytree(sample_dir, d)
    ref = d.parent / "ref.db"
    with open_store(str(ref)) as store:
        analyze([str(d)], store, nlp=nlp)
        expected = _normal(build_export(store))
    return d, ref, expected


def test_sigkill_in_analyze_and_link_then_resume_gives_the_same_export(corpus, tmp_path):
    d, _, expected = corpus
    rng = random.Random(14)
    n_files = len(list(d.iterdir()))
    survived = identical = 0
    # kill points: after k articles are stored (analyze), and a random delay after the last
    # one is stored (linking runs then)
    for target in (rng.randint(1, n_files // 2), rng.randint(n_files // 2, n_files - 1), n_files):
        db = tmp_path / f"k{target}.db"
        proc = subprocess.Popen(CMD + ["analyze", str(d), "--db", str(db), "--quiet", "--batch-size", "1"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 120
        while time.time() < deadline and proc.poll() is None and _count(db) < target:
            time.sleep(0.05)
        if target == n_files:
            time.sleep(rng.uniform(0.0, 0.5))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        with sqlite3.connect(db) as c:
            assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        survived += 1
        done = subprocess.run(CMD + ["analyze", str(d), "--db", str(db), "--quiet"], capture_output=True,
                              text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        with open_store(str(db)) as store:
            assert _normal(build_export(store)) == expected
        identical += 1
    print(f"\nkills survived {survived}, exports identical after resume {identical}")


def test_sigkill_in_report_leaves_the_earlier_report_whole(corpus, tmp_path):
    _, ref, _ = corpus
    out = tmp_path / "rep"
    assert subprocess.run(CMD + ["report", "--db", str(ref), "-o", str(out)], capture_output=True).returncode == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    proc = subprocess.Popen(CMD + ["report", "--db", str(ref), "-o", str(out)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(random.Random(3).uniform(1.0, 3.0))
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    after = {p.name: p.read_bytes() for p in out.iterdir()}
    assert after == before  # same report: every file whole, old or rewritten identically
    assert subprocess.run(CMD + ["report", "--db", str(ref), "-o", str(out)], capture_output=True).returncode == 0


def _children(pid: int) -> list[int]:
    out = []
    for p in Path("/proc").iterdir():
        if p.name.isdigit():
            try:
                stat = (p / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(p.name))
    return out


@pytest.mark.skipif(not Path("/proc").exists(), reason="needs /proc to find worker processes")
def test_killing_the_parent_leaves_no_workers(corpus, tmp_path):
    d, _, _ = corpus
    proc = subprocess.Popen(CMD + ["analyze", str(d), "--db", str(tmp_path / "w.db"), "--quiet", "--workers", "2",
                                   "--batch-size", "1"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 90
    kids: list[int] = []
    while time.time() < deadline and proc.poll() is None and len(kids) < 2:
        time.sleep(0.1)
        kids = _children(proc.pid)
    assert len(kids) >= 2, "workers did not start"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.time() + 10
    while time.time() < deadline and any(Path(f"/proc/{k}").exists() for k in kids):
        time.sleep(0.1)
    alive = [k for k in kids if Path(f"/proc/{k}").exists() and "Z" not in (Path(f"/proc/{k}/stat").read_text().rsplit(")", 1)[1].split()[:1])]
    for k in alive:
        os.kill(k, signal.SIGKILL)  # our own leftovers
    assert not alive
