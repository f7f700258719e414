"""Train the events sentence classifier (CAMEO pentaclass) and write the shipped model.

    .venv/bin/python scripts/train_event_classifier.py [../shared/data/conflibert/cameo_class/train.tsv]

Deterministic: fixed folds (for the softmax temperature), LinearSVC with random_state=0, stable
feature ranking. Needs scikit-learn (`pip install -e .[train]`); the runtime does not.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from storyline.events.classifier import MODEL_PATH  # noqa: E402
from storyline.events.training import train_default  # noqa: E402

DEFAULT = ROOT.parent / "shared" / "data" / "conflibert" / "cameo_class" / "train.tsv"


def main(argv: list[str]) -> int:
    path = Path(argv[0]) if argv else DEFAULT
    model = train_default(path)
    model["data_sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    MODEL_PATH.parent.mkdir(parents=True, exist_ok=True)
    raw = json.dumps(model, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
    # mtime=0: the same data gives the same bytes
    with open(MODEL_PATH, "wb") as fh, gzip.GzipFile(fileobj=fh, mode="wb", mtime=0, filename="") as gz:
        gz.write(raw)
    nfeat = sum(len(v["vocab"]) for v in model["vectorizers"])
    print(f"wrote {MODEL_PATH} ({MODEL_PATH.stat().st_size} bytes, {nfeat} features, "
          f"temperature {model['temperature']})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
