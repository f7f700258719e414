"""Shared fixtures: one spaCy pipeline per test run, the bundled sample corpus, and the
shared development data (tests that need it skip cleanly when the folder is absent).

Two passes over one suite (`make test`): the default runs on SQLite; with
`STORYLINE_TEST_STORE=postgresql` a throw-away PostgreSQL server is started
(tests/pg_server.py) and `STORYLINE_TEST_PG_FILES` makes every database file a test opens,
itself or through a CLI run it starts, a database on that server (`storyline.store.open_store`).
Tests that are about SQLite files themselves are skipped in that pass (`SQLITE_ONLY`, with
the reason); when no server can start, the pass prints why and runs nothing (exit 0)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "examples" / "sample"
# Gold metadata for the sample corpus (outside the input folder, so it is not read as input)
SAMPLE_GOLD = ROOT / "examples" / "sample-gold.json"
SHARED_DATA = Path(os.environ.get("STORYLINE_DATA", ROOT.parent / "shared" / "data"))


@pytest.fixture(scope="session")
def nlp():
    from storyline.pipeline import build_nlp

    return build_nlp()


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    return SAMPLE


@pytest.fixture(scope="session")
def sample_gold() -> dict:
    import json

    return json.loads(SAMPLE_GOLD.read_text("utf-8"))


def shared_data(*parts: str) -> Path:
    """Path into ../shared/data, or skip the test when it is not there."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"development data not found: {path}")
    return path


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory, nlp):
    """The sample corpus analysed once into a database shared by read-only tests."""
    from storyline.engine import analyze
    from storyline.store import open_store

    db = tmp_path_factory.mktemp("sample") / "sample.db"
    with open_store(str(db)) as store:
        summary = analyze([str(SAMPLE)], store, nlp=nlp)
    assert summary.failed == [], summary.lines()
    return db


# --- the web UI (tests/test_web.py, tests/test_web_browser.py) ---------------------------
HOSTILE = {
    "title": "<script>alert('title')</script> Harbour <b>bold</b> claim",
    "source": "<img src=x onerror=alert('source')>",
    "url": "javascript:alert('url')",
    "date": "2026-03-15",
    "text": ("<script>alert('text')</script> PORT ELSWICK - The dock union said on Friday that "
             "<img src=x onerror=alert('img')> 1,200 workers had joined the strike. "
             "\"We will not go back <a href=\"javascript:alert('link')\">click here</a> until the deal is signed,\" "
             "union leader Marta Quillan told reporters. "
             "<style>body{display:none}</style> Shipping Minister Oren Halvik said talks would resume on Monday."),
}


@pytest.fixture(scope="session")
def web_db(tmp_path_factory, nlp, sample_dir):
    """The sample corpus plus one hostile article, analysed once."""
    import json

    from storyline.engine import analyze
    from storyline.store import open_store

    root = tmp_path_factory.mktemp("web")
    extra = root / "extra"
    extra.mkdir()
    (extra / "hostile.jsonl").write_text(json.dumps(HOSTILE) + "\n", "utf-8")
    db = root / "web.db"
    with open_store(str(db)) as store:
        summary = analyze([str(sample_dir), str(extra)], store, nlp=nlp)
    assert summary.failed == [], summary.lines()
    return db


# --- stores: the suite runs on SQLite, then again on a real PostgreSQL server ------------
PASS_ENV = "STORYLINE_TEST_STORE"  # "sqlite" (default) or "postgresql"
PG_SERVER = pytest.StashKey[object]()
PG_DROPPED = pytest.StashKey[int]()
# Tests about SQLite files themselves, skipped in the PostgreSQL pass (file:test -> why).
SQLITE_ONLY = {
    "test_store_and_resume.py::test_migrations_are_recorded":
        "reads SQLite's journal mode (test_postgres_store checks PostgreSQL's migrations)",
    "test_store_and_resume.py::test_sigkill_mid_run_then_resume":
        "watches and checks the SQLite file with sqlite3 (test_postgres_store kills a run on PostgreSQL)",
    "test_kill_resume.py::test_sigkill_in_analyze_and_link_then_resume_gives_the_same_export":
        "watches and checks the SQLite file with sqlite3 (test_postgres_store kills a run on PostgreSQL)",
    "test_streaming_input.py::test_sigkill_mid_file_resumes_without_duplicates_or_losses":
        "watches and checks the SQLite file with sqlite3 (test_postgres_store kills a run on PostgreSQL)",
    "test_store_protocol.py::test_a_file_that_is_not_a_database_is_e301":
        "a file of junk bytes given as a SQLite database",
    "test_store_protocol.py::test_a_held_write_lock_is_e302":
        "holds SQLite's file lock with sqlite3 (test_postgres_store holds a PostgreSQL lock)",
    "test_reliability_store.py::test_export_reads_one_snapshot":
        "writes to the SQLite file with sqlite3 (test_postgres_store checks a PostgreSQL snapshot)",
    "test_reliability_store.py::test_a_damaged_database_is_one_coded_line":
        "scribbles over the pages of a SQLite file",
    "test_reliability_store.py::test_a_full_disk_is_one_coded_line_and_keeps_the_earlier_export":
        "fills the disk under a SQLite file",
    "test_reliability_store.py::test_a_read_only_place_is_one_coded_line":
        "puts a SQLite file on a read-only mount",
}


def pg_pass(config) -> bool:
    """Whether this run is the PostgreSQL pass."""
    return config.stash.get(PG_SERVER, None) is not None


def pytest_configure(config):
    config.addinivalue_line("markers", "sqlite_only(reason): about SQLite files; skipped in the PostgreSQL pass")
    store = os.environ.get(PASS_ENV, "sqlite")
    if store not in ("sqlite", "postgresql"):
        raise pytest.UsageError(f"{PASS_ENV}={store}: use sqlite or postgresql")
    from storyline.store import TEST_PG_FILES

    if store == "sqlite":
        os.environ.pop(TEST_PG_FILES, None)  # the SQLite pass is SQLite whatever the shell says
        return
    import pg_server as pg

    try:
        server = pg.start()
    except pg.Unavailable as exc:
        pytest.exit(f"PostgreSQL pass skipped: {exc}", returncode=0)
    config.stash[PG_SERVER] = server
    os.environ[TEST_PG_FILES] = server.url  # CLI runs the tests start inherit it

    def stop():
        os.environ.pop(TEST_PG_FILES, None)
        server.stop()

    config.add_cleanup(stop)


def pytest_report_header(config):
    if pg_pass(config):
        return [f"store: PostgreSQL (database files are databases on {config.stash[PG_SERVER].url})"]
    return ["store: SQLite"]


def pytest_collection_modifyitems(config, items):
    if not pg_pass(config):
        return
    for item in items:
        mark = item.get_closest_marker("sqlite_only")
        why = SQLITE_ONLY.get(f"{Path(str(item.fspath)).name}::{item.originalname}")
        if mark or why:
            reason = why or (mark.args[0] if mark and mark.args else "about SQLite files")
            item.add_marker(pytest.mark.skip(reason=f"SQLite only: {reason}"))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """In the PostgreSQL pass, drop the databases of a test's own files (under its
    `tmp_path`) once it is done: each is a few MB of catalogs on the server's disk."""
    tmp = getattr(item, "funcargs", {}).get("tmp_path") if pg_pass(item.config) else None
    names = []
    if tmp is not None:
        import pg_server as pg

        names = pg.stand_ins(str(tmp))
    try:
        return (yield)
    finally:
        if names:
            item.config.stash[PG_SERVER].drop_databases(names)
            item.config.stash[PG_DROPPED] = item.config.stash.get(PG_DROPPED, 0) + len(names)


def pytest_terminal_summary(terminalreporter, config):
    if pg_pass(config):
        import psycopg

        try:
            with psycopg.connect(config.stash[PG_SERVER].url) as conn:
                left = conn.execute("SELECT count(*) FROM pg_database WHERE NOT datistemplate "
                                    "AND datname <> 'postgres'").fetchone()[0]
        except psycopg.Error as exc:
            left = f"? ({str(exc).strip().splitlines()[0]})"
        terminalreporter.write_line(f"PostgreSQL pass: {config.stash.get(PG_DROPPED, 0)} test databases dropped "
                                    f"after their tests, {left} left until the server stops")


@pytest.fixture(scope="session")
def pg_server(request):
    """A throw-away PostgreSQL server on loopback (tests/pg_server.py), started once per run
    and stopped at the end (in the PostgreSQL pass, that pass's server); the tests that need
    it skip, with the reason, where it cannot start."""
    if pg_pass(request.config):
        yield request.config.stash[PG_SERVER]
        return
    import pg_server as pg

    try:
        server = pg.start()
    except pg.Unavailable as exc:
        print(f"\nPostgreSQL tests skipped: {exc}")
        pytest.skip(f"PostgreSQL unavailable: {exc}")
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path) -> str:
    """`--db` for a new, empty store: a SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        if pg_pass(request.config):
            pytest.skip("the PostgreSQL pass makes a file path a PostgreSQL database: the same as [postgresql]")
        return str(tmp_path / "t.db")
    return request.getfixturevalue("pg_server").new_database()
