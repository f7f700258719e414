"""Train the content-end model of `storyline_quotes` (storyline/quotes/boundary.py) on PolNeAR.

    .venv/bin/python scripts/train_quote_model.py ../shared/data/polnear/train \
        [--dev ../shared/data/polnear/dev] [--cache /tmp/quote-model-cache]

Parses every train article with the pipeline's spaCy model (the same parse the component
sees) and runs the rule-based attributions (extract.py). For each rule attribution whose cue
is a gold cue (exact, after the scorer's trimming) and whose content is not a whole quote
segment, every candidate last token (boundary.candidates) becomes one training item, labelled
Y when the content ending there equals the gold content's end, else N (attributions whose
gold end is not among the candidates are skipped). A maximum-entropy model (python-crfsuite,
one-item sequences, L-BFGS with elastic net) is trained on the items and written to
storyline/quotes/models/content_end.crfsuite (feature strings are words, lemmas, tags and
dependency labels only). With --dev, the component's source/cue/content exact F1 on that
split is printed with and without the model. --cache keeps the parses (spaCy DocBin) between
runs. CPU only, deterministic for a given parse; about 3 minutes here, most of it the parse.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# Calibrated on PolNeAR dev (content exact F1 of the component, MIN_FREQ 1): c1 1.0 -> 0.542,
# 0.1 -> 0.545, 0.01 -> 0.548 (rules alone 0.539); MIN_FREQ 3 (at c1 0.01) -> 0.547 with a
# model of 353 KiB instead of 534 KiB: kept, rare word features pruned. c2 was not swept.
C1 = 0.01
C2 = 0.01
MIN_FREQ = 3
ITERATIONS = 200
OUT = ROOT / "storyline" / "quotes" / "models" / "content_end.crfsuite"
ATTRS = ["ORTH", "TAG", "POS", "MORPH", "LEMMA", "DEP", "HEAD", "ENT_IOB", "ENT_TYPE", "SENT_START"]


def parsed(split: str, cache: Path | None):
    """(gold documents, spaCy Docs) of one PolNeAR split folder."""
    import spacy
    from spacy.tokens import DocBin

    from storyline.eval.quotes import read_polnear
    from storyline.pipeline import MODEL

    gold = read_polnear(split)
    nlp = spacy.load(MODEL)
    nlp.max_length = 2_000_000
    path = cache / (Path(split).name + ".spacy") if cache else None
    if path is not None and path.exists():
        docs = list(DocBin().from_disk(path).get_docs(nlp.vocab))
        if len(docs) == len(gold) and all(d.text == g.text for d, g in zip(docs, gold)):
            return gold, docs
    docs = list(nlp.pipe((g.text for g in gold), batch_size=16))
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        db = DocBin(attrs=ATTRS)
        for d in docs:
            db.add(d)
        db.to_disk(path)
    return gold, docs


def items(gold, docs):
    """(features, label) training items of the content-end model; and (attributions, with the
    gold end among the candidates)."""
    from storyline.eval.quotes import _trim
    from storyline.quotes import boundary
    from storyline.quotes.extract import find_attributions

    out, seen, hit = [], 0, 0
    for g, doc in zip(gold, docs):
        text = doc.text
        by_cue = {_trim(text, a.cue.start, a.cue.end): a for a in g.attributions if a.cue and a.content}
        found = find_attributions(doc)
        blocked = boundary.blocked_tokens(doc, found)
        for a in found:
            ga = by_cue.get(_trim(text, *a.cue))
            if a.quoted or ga is None:
                continue
            cand = boundary.candidates(doc, a, blocked)
            if cand is None:
                continue
            seen += 1
            rule_last, cands = cand
            gold_end = _trim(text, ga.content.start, ga.content.end)[1]
            labels = ["Y" if _trim(text, a.content[0], doc[j].idx + len(doc[j]))[1] == gold_end else "N"
                      for j in cands]
            if "Y" not in labels:
                continue
            hit += 1
            out.extend((boundary.features(doc, a, rule_last, j, False), y) for j, y in zip(cands, labels))
    return out, seen, hit


def train(data, out: Path, c1: float = C1, c2: float = C2, min_freq: int = MIN_FREQ,
          iterations: int = ITERATIONS) -> None:
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for x, y in data:
        trainer.append([x], [y])
    trainer.set_params({"c1": c1, "c2": c2, "max_iterations": iterations, "feature.minfreq": min_freq})
    out.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(out))


def score(dev: str, cache: Path | None, model: Path) -> dict:
    from storyline.components.quotes import quote_records
    from storyline.eval.quotes import score_documents
    from storyline.quotes import boundary

    gold, docs = parsed(dev, cache)
    out = {}
    for name, path in (("rules", model.with_suffix(".absent")), ("model", model)):
        boundary.MODEL_PATH = path
        boundary._model.cache_clear()
        s = score_documents(gold, [quote_records(d) for d in docs])
        out[name] = {r: round(s[r]["exact"]["f1"], 3) for r in s}
    boundary.MODEL_PATH = OUT
    boundary._model.cache_clear()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("train")
    ap.add_argument("--dev")
    ap.add_argument("--cache", type=Path)
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--c1", type=float, default=C1)
    args = ap.parse_args()
    t0 = time.perf_counter()
    gold, docs = parsed(args.train, args.cache)
    t1 = time.perf_counter()
    data, seen, hit = items(gold, docs)
    print(f"{len(docs)} articles parsed in {t1 - t0:.0f} s; {seen} rule attributions with a gold cue, "
          f"{hit} with the gold end among the candidates, {len(data)} items", flush=True)
    train(data, args.out, c1=args.c1)
    t2 = time.perf_counter()
    print(f"trained in {t2 - t1:.0f} s: {args.out} ({args.out.stat().st_size / 1024:.0f} KiB)", flush=True)
    if args.dev:
        print(score(args.dev, args.cache, args.out))


if __name__ == "__main__":
    main()
