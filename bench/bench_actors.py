"""Cost of the entity ruler and the actors component over the bare model, one run.

    .venv/bin/python bench/bench_actors.py [FOLDER]

FOLDER defaults to ../shared/data/polnear/dev/text when present, else examples/sample.
Prints words, bare `nlp.pipe` seconds, seconds with storyline_entities + storyline_actors,
the ratio (the figure to track), and the cross-article merge time for the actors found.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    default = ROOT.parent / "shared" / "data" / "polnear" / "dev" / "text"
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else (default if default.exists() else ROOT / "examples" / "sample")
    import spacy

    from storyline.actors.merge import merge
    from storyline.ingest import iter_input_files, read_input
    from storyline.pipeline import MODEL, build_nlp

    texts = [a.text for f in iter_input_files([str(folder)]) for a in read_input(f) if hasattr(a, "text")]
    words = sum(len(t.split()) for t in texts)
    bare = spacy.load(MODEL)
    ours = build_nlp(["storyline_entities", "storyline_actors"])
    list(bare.pipe(texts[:2]))
    list(ours.pipe(texts[:2]))
    t0 = time.perf_counter()
    list(bare.pipe(texts, batch_size=16))
    t_bare = time.perf_counter() - t0
    t0 = time.perf_counter()
    records = []
    for i, doc in enumerate(ours.pipe(texts, batch_size=16)):
        records += [{**r, "article": str(i)} for r in doc._.storyline_actors or []]
    t_ours = time.perf_counter() - t0
    t0 = time.perf_counter()
    entities, _ = merge(records)
    t_merge = time.perf_counter() - t0
    print(f"folder: {folder}  articles: {len(texts)}  words: {words}")
    print(f"bare nlp.pipe: {t_bare:.2f} s ({words / t_bare:,.0f} words/s)")
    print(f"with entities+actors: {t_ours:.2f} s ({words / t_ours:,.0f} words/s)")
    print(f"ratio entities+actors / bare: {t_ours / t_bare:.2f}")
    print(f"merge: {len(records)} local entities -> {len(entities)} actors in {t_merge:.3f} s")


if __name__ == "__main__":
    main()
