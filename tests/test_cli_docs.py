"""Docs that are tested: every command and option appears in docs/cli.md as --help prints it,
and every error code has a line in docs/errors.md."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_cli_reference_is_current():
    res = subprocess.run([sys.executable, str(ROOT / "scripts" / "cli_docs.py"), "--check"], cwd=ROOT)
    assert res.returncode == 0, "docs/cli.md is out of date: run .venv/bin/python scripts/cli_docs.py"


def test_every_error_code_is_documented():
    from storyline.errors import MESSAGES

    doc = (ROOT / "docs" / "errors.md").read_text()
    missing = [code for code in MESSAGES if f"`{code}`" not in doc]
    assert not missing, missing
