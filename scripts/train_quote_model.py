"""Train the attribution tagger of `storyline_quotes` (storyline/quotes/tagger.py) on PolNeAR.

    .venv/bin/python scripts/train_quote_model.py ../shared/data/polnear/train \
        [--dev ../shared/data/polnear/dev] [--cache /tmp/quote-model-cache]

Parses every train article with the pipeline's spaCy model (the same parse the component
sees), runs the rule-based attributions (their decisions are features), labels every token
with the gold BIO tag (S = source, C = cue, Q = content; PolNeAR gives one label per token)
and trains a linear-chain CRF (python-crfsuite, L-BFGS, elastic net) over whole articles.
Features seen fewer than MIN_FREQ times are dropped and the L1 term prunes most of the rest,
which keeps the model file small. Writes storyline/quotes/models/attribution.crfsuite; with
--dev, scores the tagger (grouped as the component groups it) on that split, which is how the
constants below were chosen. --cache keeps the parses (spaCy DocBin) between runs.
CPU only; deterministic for a given parse.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# Calibrated on PolNeAR dev (exact F1 of source/cue/content after grouping); swept
# c1 in {0.05, 0.1, 0.3, 1.0}, MIN_FREQ in {1, 3, 5}: see docs/quotes.md.
C1 = 0.1
C2 = 0.01
MIN_FREQ = 3
ITERATIONS = 150
ALGORITHM = "lbfgs"
OUT = ROOT / "storyline" / "quotes" / "models" / "attribution.crfsuite"
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


def gold_tags(doc, attributions) -> list[str]:
    tags = ["O"] * len(doc)
    for a in attributions:
        for role, span in (("Q", a.content), ("S", a.source), ("C", a.cue)):
            if span is None:
                continue
            for s, e in span.fragments:
                sp = doc.char_span(s, e, alignment_mode="expand")
                if sp is None:
                    continue
                for t in sp:
                    tags[t.i] = ("B-" if t.i == sp.start else "I-") + role
    return tags


def sequences(gold, docs):
    from storyline.quotes.extract import find_attributions
    from storyline.quotes.features import token_features

    for g, d in zip(gold, docs):
        if len(d):
            yield token_features(d, find_attributions(d)), gold_tags(d, g.attributions)


def train(xy, out: Path, c1: float, c2: float, min_freq: int, iterations: int, algorithm: str = ALGORITHM) -> None:
    import pycrfsuite

    trainer = pycrfsuite.Trainer(algorithm=algorithm, verbose=False)
    for x, y in xy:
        trainer.append(x, y)
    params = {"max_iterations": iterations, "feature.minfreq": min_freq,
              "feature.possible_transitions": True}
    if algorithm == "lbfgs":
        params.update({"c1": c1, "c2": c2})
    trainer.set_params(params)
    out.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(out))


def score(dev: str, cache: Path | None, model: Path) -> dict:
    from storyline.eval.quotes import score_documents
    from storyline.quotes import tagger
    from storyline.quotes.extract import find_attributions

    tagger.MODEL_PATH = model
    tagger._tagger.cache_clear()
    gold, docs = parsed(dev, cache)
    preds = []
    for d in docs:
        found = tagger.group(d, tagger.tag(d, find_attributions(d)) or ["O"] * len(d))
        preds.append([{"span": {"start": a.content[0], "end": a.content[1]},
                       "cue_span": {"start": a.cue[0], "end": a.cue[1]},
                       "speaker_span": {"start": a.source[0], "end": a.source[1]} if a.source else None}
                      for a in found])
    s = score_documents(gold, preds)
    return {r: {m: round(s[r][m]["f1"], 3) for m in ("exact", "overlap", "tokens")} for r in s}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("train")
    ap.add_argument("--dev")
    ap.add_argument("--cache", type=Path)
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--c1", type=float, default=C1)
    ap.add_argument("--c2", type=float, default=C2)
    ap.add_argument("--min-freq", type=int, default=MIN_FREQ)
    ap.add_argument("--iterations", type=int, default=ITERATIONS)
    ap.add_argument("--algorithm", default=ALGORITHM)
    args = ap.parse_args()
    t0 = time.perf_counter()
    gold, docs = parsed(args.train, args.cache)
    xy = list(sequences(gold, docs))
    t1 = time.perf_counter()
    print(f"{len(xy)} articles, {sum(len(y) for _, y in xy)} tokens, features in {t1 - t0:.0f} s", flush=True)
    train(xy, args.out, args.c1, args.c2, args.min_freq, args.iterations, args.algorithm)
    t2 = time.perf_counter()
    print(f"trained in {t2 - t1:.0f} s: {args.out} ({args.out.stat().st_size / 1024:.0f} KiB)", flush=True)
    if args.dev:
        print(score(args.dev, args.cache, args.out))


if __name__ == "__main__":
    main()
