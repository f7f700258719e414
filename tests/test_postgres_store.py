"""PostgreSQL behind the same `Store` (issue 15): on a real server started by the tests
(`pg_server` in conftest.py). The store-level tests shared with SQLite run on both through
the `store_url` fixture (test_store_protocol.py, test_store_and_resume.py); these are the
PostgreSQL-only ones: migrations, coded errors, concurrent writers, a run killed and resumed,
and an end-to-end run whose export equals SQLite's. The rest of the suite runs on PostgreSQL
in `make test`'s second pass (tests/conftest.py)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from storyline.cli import main
from storyline.engine import analyze
from storyline.errors import Codes, StoreError
from storyline.outputs.export import build_export
from storyline.store import migrations, open_store
from storyline.store.postgres_dialect import to_postgres
from storyline.store.postgres_migrations import MIGRATIONS
from test_kill_resume import _normal  # the export without timestamps
from test_store_and_resume import write_reports

TEXT = ("The river broke through the dam above the town of Kessara on Friday night, and the army "
        "moved two thousand families to the hills before the water reached the valley. ")


def _article(i: int) -> dict:
    return {"id": f"a{i:03d}", "path": f"r{i:03d}.txt", "text": f"Report {i}. " + TEXT}


def test_every_sqlite_migration_has_a_postgres_translation(pg_server):
    assert [v for v, _ in MIGRATIONS] == [v for v, _ in migrations.MIGRATIONS]
    url = pg_server.new_database()
    with open_store(url) as store:
        assert store.version == max(v for v, _ in migrations.MIGRATIONS)
        rows = store.conn.execute("SELECT version FROM schema_migrations ORDER BY version").fetchall()
        assert [r[0] for r in rows] == [v for v, _ in MIGRATIONS]
    with open_store(url) as again:  # re-opening applies nothing twice
        assert again.version == store.version


def test_sqlite_idioms_become_postgres():
    assert to_postgres("INSERT OR IGNORE INTO dup_bands (band, hash, article) VALUES (?,?,?)") == (
        "INSERT INTO dup_bands (band, hash, article) VALUES (%s,%s,%s) ON CONFLICT DO NOTHING")
    assert to_postgres("INSERT OR REPLACE INTO failures VALUES (?,?,?,?)").endswith(
        'ON CONFLICT (path) DO UPDATE SET "code" = EXCLUDED."code", "message" = EXCLUDED."message", '
        '"at" = EXCLUDED."at"')
    assert to_postgres("INSERT INTO term_df (term, df) VALUES (?, 1) ON CONFLICT(term) DO UPDATE SET df = df + 1"
                       ).endswith("SET df = term_df.df + 1")
    assert to_postgres("SELECT json_remove(data, '$.mentions', '$.articles') FROM e WHERE x LIKE '%?'") == (
        "SELECT (data::jsonb - 'mentions' - 'articles')::text FROM e WHERE x LIKE '%%?'")


def test_an_unreachable_server_is_e301(capsys):
    url = "postgresql://nobody@127.0.0.1:1/none"
    with pytest.raises(StoreError) as err:
        open_store(url)
    assert err.value.code == Codes.E301
    assert main(["export", "--db", url]) == 1
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and "E301" in lines[0], lines


def test_a_password_never_shows_in_errors(capsys):
    url = "postgresql://someone:s3cret@127.0.0.1:1/none"
    assert main(["export", "--db", url]) == 1
    assert "s3cret" not in capsys.readouterr().err


def test_a_held_lock_is_e302_and_the_transaction_rolls_back(pg_server):
    import psycopg

    url = pg_server.new_database()
    with open_store(url) as store:
        store.conn.execute("SET lock_timeout = '50ms'")
        with psycopg.connect(url) as other:  # a transaction holding the table
            other.execute("LOCK TABLE link_state IN ACCESS EXCLUSIVE MODE")
            with pytest.raises(StoreError) as err:
                with store.transaction():
                    store.link_state.set_last_seq("stories", 1)
            assert err.value.code == Codes.E302 and "\n" not in err.value.line()
            other.rollback()
        assert store.link_state.last_seq("stories") == 0
        store.link_state.set_last_seq("stories", 2)  # the lock is gone: it works again
        assert store.link_state.last_seq("stories") == 2


def test_concurrent_writers_number_articles_without_gaps_or_twins(pg_server):
    url = pg_server.new_database()
    open_store(url).close()
    errors = []

    def write(offset: int) -> None:
        try:
            with open_store(url) as store:
                for i in range(offset, 60, 3):
                    store.save_article(_article(i), {"quotes": [{"text": "x", "span": {"start": 0, "end": 6,
                                                                                       "text": "Report"}}]})
                    store.save_article(_article((i + 1) % 60), {})  # the same article from two writers
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(k,)) for k in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    with open_store(url) as store:
        seqs = sorted(a["seq"] for a in store.articles())
        assert seqs == list(range(1, 61))
        assert len({a["id"] for a in store.articles()}) == 60


def test_one_writer_at_a_time_and_a_waiting_writer_goes_on(pg_server):
    url = pg_server.new_database()
    with open_store(url) as first, open_store(url) as second:
        with first.writer():
            with pytest.raises(StoreError) as err:
                with second.writer():
                    pass
            assert err.value.code == Codes.E306
        with second.writer(wait_s=1):
            pass


def test_a_snapshot_does_not_see_later_writes(pg_server):
    url = pg_server.new_database()
    with open_store(url) as writer, open_store(url) as reader:
        writer.save_article(_article(1), {})
        with reader.snapshot():
            before = reader.count("articles")
            writer.save_article(_article(2), {})
            assert reader.count("articles") == before == 1
            assert [a["id"] for a in reader.articles()] == ["a001"]
        assert reader.count("articles") == 2


def test_the_sample_analysed_into_postgres_exports_as_on_sqlite(pg_server, sample_db, sample_dir, nlp):
    url = pg_server.new_database()
    with open_store(url) as store:
        summary = analyze([str(sample_dir)], store, nlp=nlp)
        assert summary.failed == [] and summary.processed > 0
        again = analyze([str(sample_dir)], store, nlp=nlp)
        assert again.processed == 0
        with store.snapshot():
            pg = build_export(store)
        hits = store.search.query("strike")
    with open_store(str(sample_db)) as lite, lite.snapshot():
        ref = build_export(lite)
        ref_hits = lite.search.query("strike")
    for section in ref:
        if isinstance(ref[section], list):
            assert [r.get("id") for r in pg[section]] == [r.get("id") for r in ref[section]], section
    assert _normal(pg) == _normal(ref)
    assert {h["id"] for h in hits["articles"]} == {h["id"] for h in ref_hits["articles"]}
    assert {h["id"] for h in hits["quotes"]} == {h["id"] for h in ref_hits["quotes"]}


def test_sigkill_mid_run_then_resume_gives_an_uninterrupted_runs_export(pg_server, tmp_path, nlp):
    """The PostgreSQL side of test_store_and_resume's and test_kill_resume's SIGKILL tests
    (they watch the SQLite file itself): a run killed after 10 articles leaves whole
    articles, no writer lock, and a re-run ends where an uninterrupted run ends."""
    d = tmp_path / "in"
    write_reports(d, 150)
    url = pg_server.new_database()
    cmd = [sys.executable, "-m", "storyline", "analyze", str(d), "--db", url, "--quiet", "--batch-size", "4"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline, stored = time.time() + 120, 0
        while time.time() < deadline and proc.poll() is None and stored < 10:
            time.sleep(0.2)
            try:
                with open_store(url) as store:
                    stored = store.count("articles")
            except StoreError:  # the run is still creating the schema
                continue
        assert proc.poll() is None, "run finished before it could be killed; use more input"
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    with open_store(url) as store:
        with store.writer():  # the killed run's lock went with its connection
            pass
        partial = store.count("articles")
        assert 0 < partial < 150
        assert store.count("inputs") <= partial
        seqs = [a["seq"] for a in store.articles()]
        assert seqs == list(range(1, partial + 1))
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    ref = pg_server.new_database()
    with open_store(ref) as store:
        analyze([str(d)], store, nlp=nlp)
        expected = _normal(build_export(store))
    with open_store(url) as store:
        assert (store.count("articles"), store.count("inputs")) == (150, 150)
        dup = store.conn.execute('SELECT COUNT(*) FROM (SELECT article, kind, start, "end", data, COUNT(*) AS n '
                                 'FROM records GROUP BY article, kind, start, "end", data HAVING COUNT(*) > 1) d'
                                 ).fetchone()[0]
        assert dup == 0
        assert _normal(build_export(store)) == expected


def test_a_read_only_database_is_one_coded_line_e305(pg_server, tmp_path, capsys):
    """The PostgreSQL side of test_reliability_store's read-only mount: a database the
    server makes read-only (a standby, a read-only role) refuses the run with one E305
    line and stores nothing, and still opens for reading (export)."""
    import psycopg

    d = tmp_path / "in"
    write_reports(d, 2)
    url = pg_server.new_database()
    open_store(url).close()
    with psycopg.connect(pg_server.url, autocommit=True) as admin:
        admin.execute(f'ALTER DATABASE "{url.rsplit("/", 1)[1]}" SET default_transaction_read_only = on')
    assert main(["analyze", str(d), "--db", url, "--quiet"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "E305" in err[0] and "Traceback" not in err[0], err
    with open_store(url) as store:
        assert store.count("articles") == 0
    assert main(["export", "--db", url, "--format", "json"]) == 0
    assert '"articles": []' in capsys.readouterr().out


@pytest.mark.parametrize("error, code", [("DiskFull", "E304"), ("OutOfMemory", "E304"), ("DataCorrupted", "E303"),
                                         ("IndexCorrupted", "E303"), ("ReadOnlySqlTransaction", "E305"),
                                         ("LockNotAvailable", "E302"), ("SerializationFailure", "E302"),
                                         ("DeadlockDetected", "E302"), ("AdminShutdown", "E301")])
def test_server_faults_that_cannot_be_caused_here_map_to_their_codes(error, code):
    """A full disk or damaged pages cannot be made on a test server: their SQLSTATEs are
    checked against the codes the SQLite tests see for the same faults."""
    import psycopg

    from storyline.store.postgres_errors import store_error

    err = store_error(getattr(psycopg.errors, error)("the server's words"), "db")
    assert err is not None and err.code == code and "the server's words" in err.line()


def test_a_statement_bug_is_not_a_store_fault():
    import psycopg

    from storyline.store.postgres_errors import store_error

    assert store_error(psycopg.errors.UndefinedColumn("no such column")) is None


def test_a_nul_character_in_a_json_record_is_stored_as_a_replacement_character(pg_server, tmp_path, nlp):
    """PostgreSQL text cannot hold U+0000 (SQLite's can): a JSONL record carrying `\\u0000`
    is stored with U+FFFD in its place, one character for one, so spans still match, and
    the run, search and export go on (before: a psycopg DataError traceback)."""
    import json

    d = tmp_path / "in"
    d.mkdir()
    text = "KESSARA - The mayor said\x00 on Monday that \"the river will not wait\", and the army moved boats."
    (d / "feed.jsonl").write_text(json.dumps({"title": "Flood\x00 update", "source": "Valley\x00 Post", "text": text})
                                  + "\n")
    with open_store(pg_server.new_database()) as store:
        s = analyze([str(d)], store, nlp=nlp)
        assert s.processed == 1 and s.failed == []
        (art,) = list(store.articles())
        assert art["text"] == text.replace("\x00", "\ufffd") and art["title"] == "Flood\ufffd update"
        for kind in ("mentions", "quotes"):
            for rec in store.records(kind):
                span = rec["span"]
                assert art["text"][span["start"]:span["end"]] == span["text"]
        assert store.search.query("river")["articles"]
        with store.snapshot():
            assert build_export(store)["articles"][0]["source"] == "Valley\ufffd Post"


def test_the_test_seam_maps_database_files_to_databases(pg_server, tmp_path, monkeypatch):
    """`STORYLINE_TEST_PG_FILES` (the PostgreSQL pass of the suite): a file path is its own
    database on the server; deleting the file empties it, copying it copies it, a real
    SQLite file stays SQLite, and another process finds the same database."""
    import shutil

    from storyline.store import TEST_PG_FILES, SQLiteStore
    from storyline.store.postgres import PostgresStore

    monkeypatch.setenv(TEST_PG_FILES, pg_server.url)
    db = tmp_path / "a.db"
    with open_store(str(db)) as store:
        assert isinstance(store, PostgresStore)
        store.save_article(_article(1), {})
    assert db.is_file() and db.stat().st_size < 200
    shutil.copy(db, tmp_path / "b.db")
    with open_store(str(tmp_path / "b.db")) as copy:  # copied when first opened
        copy.save_article(_article(3), {})
    with open_store(str(db)) as store:
        store.save_article(_article(2), {})
    with open_store(str(tmp_path / "b.db")) as copy:
        assert [a["id"] for a in copy.articles()] == ["a001", "a003"]
    out = subprocess.run([sys.executable, "-m", "storyline", "export", "--db", str(db), "--format", "csv",
                          "--section", "articles"], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and "a002" in out.stdout, out.stderr
    db.unlink()
    with open_store(str(db)) as store:
        assert store.count("articles") == 0
    monkeypatch.delenv(TEST_PG_FILES)
    lite = tmp_path / "lite.db"
    open_store(str(lite)).close()
    monkeypatch.setenv(TEST_PG_FILES, pg_server.url)
    with open_store(str(lite)) as store:
        assert type(store) is SQLiteStore
