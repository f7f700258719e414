"""PostgreSQL behind the same `Store` (issue 15): on a real server started by the tests
(`pg_server` in conftest.py). The store-level tests shared with SQLite run on both through
the `store_url` fixture (test_store_protocol.py, test_store_and_resume.py); these are the
PostgreSQL-only ones: migrations, coded errors, concurrent writers, and an end-to-end run
whose export equals SQLite's."""
from __future__ import annotations

import threading

import pytest

from storyline.cli import main
from storyline.engine import analyze
from storyline.errors import Codes, StoreError
from storyline.outputs.export import build_export
from storyline.store import migrations, open_store
from storyline.store.postgres_dialect import to_postgres
from storyline.store.postgres_migrations import MIGRATIONS
from test_kill_resume import _normal  # the export without timestamps

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
