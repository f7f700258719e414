"""Shared fixtures: one spaCy pipeline per test run, the bundled sample corpus, and the
shared development data (tests that need it skip cleanly when the folder is absent)."""
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


# --- stores: every store-level test runs on SQLite and on a real PostgreSQL server -------
@pytest.fixture(scope="session")
def pg_server():
    """A throw-away PostgreSQL server on loopback (tests/pg_server.py), started once per run
    and stopped at the end; the tests that need it skip, with the reason, where it cannot."""
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
        return str(tmp_path / "t.db")
    return request.getfixturevalue("pg_server").new_database()
