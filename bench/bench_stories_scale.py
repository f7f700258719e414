"""Scale of online story clustering: time and peak memory at 10k, 100k and 1M articles.

    .venv/bin/python bench/bench_stories_scale.py [--sizes 10000,100000,1000000] [--data DIR]

Synthetic articles are generated at run time from the development texts (ECB+ and PolNeAR
under ../shared/data; the sample corpus when absent), never stored. A stream keeps ~300
live stories: each story takes one real text as its base, three invented names and a start
date; each article of the story is a random 60-90% of the base's sentences with the story's
names woven in, plus one sentence from an unrelated text. A new story starts with
probability 0.1 per article (so ~10 articles per story) and the oldest live one ends.

Each size runs in its own process (clean peak memory). Printed per size: seconds spent in
feature extraction + clustering (text generation excluded), microseconds per article,
stories, peak RSS, and B3 F1 against the synthetic story labels as a sanity check; then the
ratio time(100k)/time(10k) (linear growth would be 10).
"""
from __future__ import annotations

import argparse
import json
import random
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SYL = ["ka", "ro", "mi", "tu", "zen", "dar", "vel", "os", "lin", "bra", "qui", "sa", "mor", "te", "ne",
       "gal", "fi", "har", "ul", "pe", "drom", "ya", "ix", "cor", "bel", "nu", "sho", "va", "ter", "lo"]


def load_texts(data: Path) -> list[list[str]]:
    texts = []
    ecb = data / "ecbplus"
    if ecb.is_dir():
        from storyline.eval.ecbplus import read_corpus

        texts += [d.text for d in read_corpus(str(ecb))]
    for split in ("train", "dev"):
        folder = data / "polnear" / split / "text"
        if folder.is_dir():
            texts += [f.read_text("utf-8", errors="replace") for f in sorted(folder.glob("*.txt"))]
    if not texts:
        texts = [f.read_text("utf-8", errors="replace") for f in sorted((ROOT / "examples" / "sample").glob("*.txt"))]
    split = re.compile(r"(?<=[.!?])\s+|\n+")
    return [s for s in ([x.strip() for x in split.split(t) if len(x.strip()) > 20] for t in texts) if len(s) >= 3]


def stream(n: int, bases: list[list[str]], seed: int = 1):
    rng = random.Random(seed)
    live: list[dict] = []
    next_id, day = 0, 738000

    def new_story():
        nonlocal next_id
        names = ["".join(rng.choice(SYL) for _ in range(3)).title() for _ in range(3)]
        st = {"id": next_id, "base": rng.randrange(len(bases)), "names": names, "day": day}
        next_id += 1
        return st

    for _ in range(300):
        live.append(new_story())
    for i in range(n):
        if i % 200 == 0:
            day += 1
        if rng.random() < 0.1:
            live.pop(0)
            live.append(new_story())
        st = rng.choice(live)
        base = bases[st["base"]]
        k = max(2, int(len(base) * rng.uniform(0.6, 0.9)))
        sents = [base[j] for j in sorted(rng.sample(range(len(base)), min(k, len(base))))]
        for name in st["names"]:
            pos = rng.randrange(len(sents))
            sents[pos] = f"{sents[pos]} {name} {rng.choice(['said', 'was there', 'confirmed it'])}."
        sents.append(rng.choice(bases[rng.randrange(len(bases))]))
        yield st["id"], " ".join(sents), day + rng.randint(0, 2)


def run_one(n: int, data: Path) -> dict:
    from storyline.eval.stories import bcubed
    from storyline.link.cluster import Clusterer
    from storyline.link.features import article_features

    bases = load_texts(data)
    cl = Clusterer()
    pred, gold = {}, {}
    spent, created = 0.0, 0
    for i, (label, text, day) in enumerate(stream(n, bases)):
        t0 = time.perf_counter()
        f = article_features(text, None, None, day)
        sid, _, new = cl.add(f, f"s{i}")
        created += new
        spent += time.perf_counter() - t0
        if i % 10 == 0:  # score a 10% sample (keeps the bench's own memory small)
            pred[i], gold[i] = sid, label
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"articles": n, "seconds": round(spent, 1), "us_per_article": round(spent / n * 1e6),
            "stories_created": created, "true_stories": label + 1,
            "active_stories": len(cl.stories), "vocabulary": len(cl.df),
            "peak_rss_mb": round(rss_mb), "b3_f1_sample": bcubed(pred, gold)["f1"]}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, Path(args.data))))
        return
    results = {}
    for n in [int(x) for x in args.sizes.split(",")]:
        out = subprocess.run([sys.executable, __file__, "--one", str(n), "--data", args.data],
                             capture_output=True, text=True)
        if out.returncode != 0:
            print(f"{n}: failed\n{out.stderr[-2000:]}")
            continue
        results[n] = json.loads(out.stdout.strip().splitlines()[-1])
        print(json.dumps(results[n]), flush=True)
    if 10000 in results and 100000 in results:
        print(f"time(100k)/time(10k) = {results[100000]['seconds'] / max(results[10000]['seconds'], 1e-9):.2f}"
              " (10 = linear; target <= 12)")
    if 100000 in results and 1000000 in results:
        print(f"time(1M)/time(100k) = {results[1000000]['seconds'] / max(results[100000]['seconds'], 1e-9):.2f}")


if __name__ == "__main__":
    main()
