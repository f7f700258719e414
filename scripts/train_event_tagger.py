"""Train the events source/target tagger (a CRF, storyline/events/tagger.py) on ConfliBERT
cameo_ner and write the shipped model storyline/events/models/source_target.json.gz.

    .venv/bin/python scripts/train_event_tagger.py [../shared/data/conflibert/cameo_ner/train.txt]

Parses the sentences with the pipeline's spaCy model on the data's own tokens (as the eval
does), anchors each sentence on its best rule event (parse-only score, no classifier), and
trains python-crfsuite (L-BFGS, elastic net; training.TAGGER_CONFIG). The file holds the
non-zero state weights per feature string and the transitions (JSON, rounded to 3 decimals),
decoded by Viterbi in numpy at run time. Deterministic: the same data and parse give the same
bytes (gzip mtime 0, sorted keys). About 40 s here, most of it the parse.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from storyline.events.tagger import MODEL_PATH  # noqa: E402

DEFAULT = ROOT.parent / "shared" / "data" / "conflibert" / "cameo_ner" / "train.txt"


def main(argv: list[str]) -> int:
    from storyline.eval.events import _nlp, parse_conll, read_conll
    from storyline.events.training import fit_tagger, tagger_items

    path = Path(argv[0]) if argv else DEFAULT
    sents = read_conll(path)
    docs = parse_conll(sents, _nlp())
    seqs = [(f, y) for f, y, _ in tagger_items(docs, [t for _, t in sents])]
    model = fit_tagger(seqs)
    model["data_sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    MODEL_PATH.parent.mkdir(parents=True, exist_ok=True)
    raw = json.dumps(model, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
    with open(MODEL_PATH, "wb") as fh, gzip.GzipFile(fileobj=fh, mode="wb", mtime=0, filename="") as gz:
        gz.write(raw)
    nw = sum(len(r) for r in model["state"])
    print(f"wrote {MODEL_PATH} ({MODEL_PATH.stat().st_size} bytes, {len(model['attributes'])} attributes, "
          f"{nw} weights)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
