"""Store: migrations, idempotent re-runs, incremental adds, and kill-and-resume."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from storyline.engine import analyze
from storyline.store import open_store
from storyline.store.migrations import MIGRATIONS


def write_reports(d: Path, n: int, start: int = 0) -> None:
    d.mkdir(parents=True, exist_ok=True)
    for i in range(start, start + n):
        (d / f"r{i:04d}.txt").write_text(
            f"Report {i}\n\nKESSARA - Officials said on Friday that {i} families had been moved from the river towns, "
            f"and that the army would send more boats to the valley before the weekend.\n")


def test_migrations_are_recorded(tmp_path):
    with open_store(str(tmp_path / "t.db")) as store:
        assert store.version == max(v for v, _ in MIGRATIONS)
        rows = store.conn.execute("SELECT version FROM schema_migrations ORDER BY version").fetchall()
        assert [r[0] for r in rows] == sorted(v for v, _ in MIGRATIONS)
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_rerun_does_no_work_and_adding_files_processes_only_new(tmp_path, nlp, store_url):
    d = tmp_path / "in"
    write_reports(d, 5)
    with open_store(store_url) as store:
        s1 = analyze([str(d)], store, nlp=nlp)
        assert (s1.processed, s1.unchanged, s1.unchanged_inputs) == (5, 0, 0)
        s2 = analyze([str(d)], store, nlp=nlp)
        assert (s2.processed, s2.unchanged_inputs) == (0, 5)
        write_reports(d, 2, start=5)
        s3 = analyze([str(d)], store, nlp=nlp)
        assert (s3.processed, s3.unchanged_inputs) == (2, 5)
        # same content under a new name: its own article, a duplicate of the first (each
        # input is an article or a coded error, never nothing)
        (d / "copy.txt").write_text((d / "r0000.txt").read_text())
        s4 = analyze([str(d)], store, nlp=nlp)
        assert (s4.processed, s4.unchanged) == (1, 0)
        assert store.count("articles") == 8
        arts = {a["path"].rsplit("/", 1)[-1]: a for a in store.articles()}
        assert arts["copy.txt"]["duplicate_of"] == arts["r0000.txt"]["id"]
        s5 = analyze([str(d)], store, nlp=nlp)  # and re-runs stay idempotent
        assert (s5.processed, s5.unchanged_inputs) == (0, 8) and store.count("articles") == 8


def test_records_are_stored_with_matching_spans(sample_db):
    with open_store(str(sample_db)) as store:
        texts = {a["id"]: a["text"] for a in store.articles()}
        mentions = list(store.records("mentions"))
        assert mentions
        for m in mentions:
            span = m["span"]
            assert texts[m["article"]][span["start"]:span["end"]] == span["text"]


def test_sigkill_mid_run_then_resume(tmp_path):
    d = tmp_path / "in"
    write_reports(d, 150)
    db = tmp_path / "t.db"
    cmd = [sys.executable, "-m", "storyline", "analyze", str(d), "--db", str(db), "--quiet", "--batch-size", "4"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    stored = 0
    while time.time() < deadline and proc.poll() is None:
        time.sleep(0.2)
        if db.exists():
            try:
                with sqlite3.connect(db, timeout=1) as c:
                    stored = c.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
            except sqlite3.Error:
                continue
            if stored >= 10:
                break
    assert proc.poll() is None, "run finished before it could be killed; use more input"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with sqlite3.connect(db) as c:
        assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        partial = c.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    assert 0 < partial < 150
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(db) as c:
        assert c.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 150
        assert c.execute("SELECT COUNT(DISTINCT path) FROM articles").fetchone()[0] == 150
        assert c.execute("SELECT COUNT(*) FROM inputs").fetchone()[0] == 150
        dup = c.execute("SELECT COUNT(*) FROM (SELECT article, kind, start, \"end\", COUNT(*) n FROM records "
                        "GROUP BY article, kind, start, \"end\", data HAVING n > 1)").fetchone()[0]
        assert dup == 0


def test_a_run_stopped_before_linking_is_linked_by_the_rerun(nlp, sample_dir, store_url):
    with open_store(store_url) as store:
        analyze([str(sample_dir)], store, nlp=nlp, link=False)  # as if killed right after storing
        assert all(a["story"] is None for a in store.articles())
        s = analyze([str(sample_dir)], store, nlp=nlp)
        assert s.processed == 0
        assert all(a["story"] for a in store.articles())


def test_an_edited_input_replaces_its_old_version(tmp_path, nlp, sample_dir, sample_gold, store_url):
    import shutil

    d = tmp_path / "in"
    shutil.copytree(sample_dir, d)
    target = d / "01_meridian_dam_breach.txt"
    with open_store(store_url) as store:
        analyze([str(d)], store, nlp=nlp)
        before = {a["id"] for a in store.articles()}
        old_id = next(a["id"] for a in store.articles() if a["path"] == str(target))
        target.write_text(target.read_text() + "\n\nOfficials said on Wednesday that the reservoir was falling.\n")
        s = analyze([str(d)], store, nlp=nlp)
        assert s.processed == 1 and s.removed == 1
        arts = list(store.articles())
        assert len(arts) == len(before)
        mine = [a for a in arts if a["path"] == str(target)]
        assert len(mine) == 1 and mine[0]["id"] != old_id and mine[0]["duplicate_of"] is None
        assert not list(store.records("mentions", article=old_id))
        assert all(a["story"] for a in arts)
        assert len({a["story"] for a in arts}) == len({g["story"] for g in sample_gold.values()})
        # a copy of a file under a second name is its own article: editing the first
        # replaces the first only
        (d / "copy.txt").write_text((d / "02_harbourledger_port_strike_begins.txt").read_text())
        analyze([str(d)], store, nlp=nlp)
        copy_id = next(a["id"] for a in store.articles() if a["path"] == str(d / "copy.txt"))
        p2 = d / "02_harbourledger_port_strike_begins.txt"
        p2.write_text(p2.read_text() + "\n\nThe union said talks would resume on Monday.\n")
        s = analyze([str(d)], store, nlp=nlp)
        assert s.removed == 1 and s.processed == 1
        assert store.article(copy_id) is not None
