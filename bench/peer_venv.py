"""A peer's own virtual environment for side-by-side benches (textacy, quantulum3), so its
pins never touch storyline's: built once from bench/requirements-<peer>.txt."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def ensure_venv(peer: str) -> Path:
    """The Python of the peer's venv ($STORYLINE_<PEER>_VENV, else ~/.cache/storyline/<peer>-venv)."""
    pins = ROOT / "bench" / f"requirements-{peer}.txt"
    default = Path.home() / ".cache" / "storyline" / f"{peer}-venv"
    venv = Path(os.environ.get(f"STORYLINE_{peer.upper()}_VENV", default))
    python = venv / "bin" / "python"
    if not python.exists():
        print(f"creating {venv} from {pins.relative_to(ROOT)} (once)", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "-r", str(pins)], check=True)
    return python
