"""House rules checked on every `make test`: lint (ruff), types on the store and the
components (mypy), and the layering contracts in pyproject.toml (import-linter:
components never import the store, CLI or linking; the store and linking know no spaCy;
the domain packages never import components)."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _tool(name: str) -> str:
    path = BIN / name
    if path.exists():
        return str(path)
    found = shutil.which(name)
    if not found:
        pytest.skip(f"{name} is not installed (it comes with the `test` extra)")
    return found


def _run(*cmd: str) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_ruff_clean():
    res = _run(_tool("ruff"), "check", "storyline", "tests", "bench", "scripts")
    assert res.returncode == 0, res.stdout[-4000:] + res.stderr[-2000:]


def test_layering_contracts():
    res = _run(_tool("lint-imports"), "--no-cache")
    assert res.returncode == 0, res.stdout[-4000:] + res.stderr[-2000:]


def test_mypy_store_and_components():
    res = _run(_tool("mypy"), "--no-incremental", "storyline/store", "storyline/components")
    assert res.returncode == 0, res.stdout[-4000:] + res.stderr[-2000:]
