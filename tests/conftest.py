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
