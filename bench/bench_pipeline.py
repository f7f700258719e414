"""Full `analyze` time versus bare spaCy parsing of the same texts, measured in one run.

    .venv/bin/python bench/bench_pipeline.py [FOLDER] [--repeat N] [--workers N] [--profile fast|accurate]

FOLDER defaults to ../shared/data/polnear/dev/text when present, else examples/sample.
Prints: words, bare nlp.pipe seconds and words/s, full analyze seconds and words/s, and the
ratio full/bare (the figure to track; absolute seconds depend on the machine's load), then
each storyline component's share of the full analyze time. With one worker it also prints
the same ratio in process CPU seconds (steadier than wall time on a shared machine) and the
split of the full run into the per-article stage and corpus linking. `--profile accurate` measures the
accurate profile (the MiniLM quote head; needs the accurate extra): run both profiles and
compare their ratios to bare parsing.
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("folder", nargs="?")
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--repeat", type=int, default=1, help="rounds of bare parsing then full analyze; the median "
                    "round's figures are printed")
    ap.add_argument("--profile", choices=["fast", "accurate"], default="fast")
    args = ap.parse_args()
    default = ROOT.parent / "shared" / "data" / "polnear" / "dev" / "text"
    folder = Path(args.folder) if args.folder else (default if default.exists() else ROOT / "examples" / "sample")

    import spacy

    from storyline.engine import analyze
    from storyline.ingest import iter_input_files, read_input
    from storyline.link import run_linkers
    from storyline.pipeline import MODEL, build_nlp
    from storyline.store import open_store

    texts = [a.text for f in iter_input_files([str(folder)]) for a in read_input(f) if not isinstance(a, Exception)]
    words = sum(len(t.split()) for t in texts)

    bare = spacy.load(MODEL)
    list(bare.pipe(texts[:2]))  # warm up
    nlp = build_nlp(profile=args.profile)
    list(nlp.pipe(texts[:2]))

    def bare_run() -> tuple[float, float]:
        t0, c0 = time.perf_counter(), time.process_time()
        for _ in bare.pipe(texts, batch_size=args.batch_size, n_process=args.workers):
            pass
        return time.perf_counter() - t0, time.process_time() - c0

    def full_run():
        with tempfile.TemporaryDirectory() as tmp:
            with open_store(str(Path(tmp) / "bench.db")) as store:
                # analyze(link=True) is analyze(link=False) then run_linkers: timed apart
                t0, c0 = time.perf_counter(), time.process_time()
                summary = analyze([str(folder)], store, nlp=nlp, n_process=args.workers,
                                  batch_size=args.batch_size, link=False)
                t_stage, c_stage = time.perf_counter() - t0, time.process_time() - c0
                run_linkers(store)
                return summary, t_stage, c_stage, time.perf_counter() - t0, time.process_time() - c0

    # rounds of bare then full: the machine's speed drifts by 10-15 % between minutes here, so
    # each round's ratio is taken within the round and the median round is reported
    rounds = []
    for r in range(args.repeat):
        t_bare, c_bare = bare_run()
        summary, t_stage, c_stage, t_full, c_full = full_run()
        rounds.append((c_full / c_bare if args.workers == 1 else t_full / t_bare,
                       (t_bare, c_bare, summary, t_stage, c_stage, t_full, c_full)))
        if args.repeat > 1:
            print(f"round {r + 1}: bare {c_bare:.2f} CPU s, full {c_full:.2f} (stage {c_stage:.2f}, linking "
                  f"{c_full - c_stage:.2f}); full/bare {rounds[-1][0]:.2f} ({'CPU' if args.workers == 1 else 'wall'})",
                  flush=True)
    rounds.sort(key=lambda r: r[0])
    t_bare, c_bare, summary, t_stage, c_stage, t_full, c_full = rounds[len(rounds) // 2][1]
    if args.repeat > 1:
        print(f"median round of {args.repeat} (by full/bare ratio) below")
    print(f"folder: {folder}")
    print(f"articles: {len(texts)} (processed {summary.processed}, failed {len(summary.failed)}), words: {words}")
    print(f"profile: {args.profile}; pipeline: {', '.join(nlp.pipe_names)}; workers: {args.workers}")
    print(f"bare spaCy nlp.pipe: {t_bare:.2f} s, {words / t_bare:,.0f} words/s")
    print(f"full analyze:        {t_full:.2f} s, {words / t_full:,.0f} words/s")
    print(f"ratio full/bare: {t_full / t_bare:.2f}")
    if args.workers == 1:  # worker processes' CPU is not this process's
        print(f"CPU seconds: bare {c_bare:.2f}, full {c_full:.2f} (per-article stage {c_stage:.2f},"
              f" linking {c_full - c_stage:.2f}); ratio full/bare {c_full / c_bare:.2f},"
              f" per-article stage/bare {c_stage / c_bare:.2f}")
    print(f"wall: per-article stage {t_stage:.2f} s, linking {t_full - t_stage:.2f} s")
    print("storyline components, CPU seconds and share of full analyze time (run one by one over the parsed docs):")
    full = c_full if args.workers == 1 else t_full
    times = component_times(nlp, texts, args.batch_size)
    for name, secs in times.items():
        print(f"  {name:<22} {secs:6.2f} s  {100 * secs / full:5.1f} %")
    print(f"  {'all':<22} {sum(times.values()):6.2f} s  {100 * sum(times.values()) / full:5.1f} %")


def component_times(nlp, texts: list[str], batch_size: int) -> dict[str, float]:
    """Each storyline component's own time: the model's components parse once, then each
    storyline component runs over every Doc in pipeline order."""
    model = [n for n in nlp.pipe_names if not n.startswith("storyline_")]
    ours = [n for n in nlp.pipe_names if n.startswith("storyline_")]
    with nlp.select_pipes(enable=model):
        docs = list(nlp.pipe(texts, batch_size=batch_size))
    times = {}
    for name in ours:
        proc = nlp.get_pipe(name)
        t0 = time.process_time()
        docs = [proc(d) for d in docs]
        times[name] = time.process_time() - t0
    return times


if __name__ == "__main__":
    main()
