"""Learn the cue-verb lexicon of `storyline_quotes` from PolNeAR train.

    .venv/bin/python scripts/train_quote_cues.py ../shared/data/polnear/train

Parses every train article with the same spaCy model the pipeline uses, takes the syntactic
head of each gold Cue span (the token of the span whose head lies outside it) and counts its
lemma; counts every occurrence of the same lemmas as a verb; writes every lemma seen as a cue
at least MIN_COUNT times with a cue rate (cue uses / verb uses) of at least MIN_RATE to
storyline/quotes/lexicon_data.py (a plain dict literal: lemma -> [cue count, verb count]), so
the result ships as code, is small and is ours. The thresholds the component applies on top
(storyline/quotes/cues.py MIN_COUNT / MIN_RATE) are chosen there, so they can be swept without
re-running this. CPU only, about two minutes here.
"""
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# Loose on purpose: the export keeps candidates, storyline/quotes/cues.py filters them.
MIN_COUNT = 3
MIN_RATE = 0.05
OUT = ROOT / "storyline" / "quotes" / "lexicon_data.py"


def main(path: str, min_count: int = MIN_COUNT, min_rate: float = MIN_RATE) -> None:
    import spacy

    from storyline.eval.quotes import read_polnear
    from storyline.pipeline import MODEL

    docs = read_polnear(path)
    nlp = spacy.load(MODEL, disable=["ner"])
    nlp.max_length = 2_000_000
    cue = Counter()
    verb = Counter()
    for gold, doc in zip(docs, nlp.pipe((d.text for d in docs), batch_size=16)):
        for a in gold.attributions:
            if a.cue is None:
                continue
            span = doc.char_span(a.cue.start, a.cue.end, alignment_mode="expand")
            if span is None or not len(span):
                continue
            heads = [t for t in span if not (span.start <= t.head.i < span.end) or t.head == t]
            head = next((t for t in heads if t.pos_ in ("VERB", "AUX")), heads[0] if heads else span.root)
            if head.pos_ in ("VERB", "AUX"):
                cue[head.lemma_.lower()] += 1
        for t in doc:
            if t.pos_ in ("VERB", "AUX"):
                verb[t.lemma_.lower()] += 1
    keep = {lem: [n, verb[lem]] for lem, n in cue.most_common()
            if n >= min_count and verb[lem] and n / verb[lem] >= min_rate}
    lines = ['"""Cue-verb lexicon learned from PolNeAR train by scripts/train_quote_cues.py',
             f'(MIN_COUNT={min_count}, MIN_RATE={min_rate}). Generated: do not edit by hand.',
             'lemma -> [times the head of a gold cue, times seen as a verb]."""', "", "CUE_COUNTS = {"]
    for lem, (n, v) in sorted(keep.items(), key=lambda kv: -kv[1][0]):
        lines.append(f"    {lem!r}: [{n}, {v}],")
    lines.append("}")
    OUT.write_text("\n".join(lines) + "\n", "utf-8")
    print(f"{len(keep)} cue lemmas written to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    args = sys.argv[1:]
    if not args:
        sys.exit("usage: train_quote_cues.py POLNEAR_TRAIN_DIR [MIN_COUNT MIN_RATE]")
    main(args[0], *(int(args[1]), float(args[2])) if len(args) > 2 else ())
