"""Train the stories linker's join-or-new decision (storyline/link/models/story_join.json).

    .venv/bin/python scripts/train_story_model.py [../shared/data/ecbplus]

After Miranda et al. (2018): each article is compared with its candidate stories (the
clusterer's own shortlist) on per-feature similarities (`cluster.PAIR_FEATURES`: the
hand-tuned similarity, body terms, names, best member, title, places, report-year
clash, story size); a logistic regression says whether it belongs to the story. Examples
come from ECB+ **tune topics only** (1-25) streamed in eight seeded orders with the gold
sub-topics as stories (each article joins its gold story after being scored, so a candidate
is positive exactly when it is the article's sub-topic; an article whose sub-topic has no
story yet teaches "start a new one"). The join threshold on the probability is then swept on
the same tune topics with the real online clusterer (mean sub-topic B3 F1 over the eval's
four stream orders). Validation topics (26-35) are never read here; `storyline eval stories`
prints both halves. scikit-learn is used here only; the runtime scores the JSON in plain
Python. Deterministic: fixed seeds, liblinear solver.
"""
from __future__ import annotations

import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from storyline.eval.ecbplus import read_corpus, topic_split  # noqa: E402
from storyline.eval.stories import SEEDS, run_streams  # noqa: E402
from storyline.link.cluster import MODEL_PATH, PAIR_FEATURES, Clusterer, JoinModel, Story  # noqa: E402
from storyline.link.features import article_features  # noqa: E402

TRAIN_SEEDS = (11, 12, 13, 14, 15, 16, 17, 18)  # orders for the examples (not the eval's)
C = 1.0  # inverse regularisation strength (swept 0.1, 1, 10 on tune: within 0.002 F1)
THRESHOLDS = [0.2, 0.25, 0.3, 0.35]  # 0.1-0.7 swept first (steps 0.025-0.05): best 0.25, falling both ways


def examples(docs, seed: int):
    order = list(docs)
    random.Random(seed).shuffle(order)
    cl = Clusterer()
    X, y = [], []
    for d in order:
        f = article_features(d.text)
        dv, ev = cl.prepare(f)
        for _base, st in cl.shortlist(f, dv, ev):
            X.append(cl.pair_features(f, st, dv, ev))
            y.append(1 if st.id == d.subtopic else 0)
        st = cl.stories.get(d.subtopic)
        if st is None:
            st = cl.stories[d.subtopic] = Story(d.subtopic)
        cl.join(st, f, dv)
    return X, y


def main(path: str) -> None:
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    docs = [d for d in read_corpus(path) if topic_split(d.topic) == "tune"]
    X, y = [], []
    for seed in TRAIN_SEEDS:
        a, b = examples(docs, seed)
        X += a
        y += b
    X, y = np.asarray(X), np.asarray(y)
    mean, scale = X.mean(axis=0), X.std(axis=0)
    scale[scale == 0] = 1.0
    lr = LogisticRegression(C=C, solver="liblinear", random_state=0, max_iter=1000)
    lr.fit((X - mean) / scale, y)
    model = {"features": list(PAIR_FEATURES), "mean": [round(float(v), 6) for v in mean],
             "scale": [round(float(v), 6) for v in scale],
             "coef": [round(float(v), 6) for v in lr.coef_[0]],
             "intercept": round(float(lr.intercept_[0]), 6), "threshold": 0.5,
             "trained_on": f"ECB+ tune topics ({len(docs)} documents, {len(y)} article-story pairs, "
                           f"{int(y.sum())} positive; orders {list(TRAIN_SEEDS)})"}
    print("coef", dict(zip(PAIR_FEATURES, model["coef"])), "intercept", model["intercept"], file=sys.stderr)
    sweep = {}
    for t in THRESHOLDS:
        jm = JoinModel({**model, "threshold": t})
        res = run_streams(docs, SEEDS, model=jm)["shuffled_streams"]["subtopics"]["b3"]
        sweep[t] = res["f1"]
        print(f"threshold {t}: tune sub-topic B3 F1 {res['f1']} (worst {res['f1_worst']})", file=sys.stderr)
    best = max(THRESHOLDS, key=lambda t: (sweep[t], -abs(t - 0.5)))
    model["threshold"] = best
    model["threshold_sweep_tune_f1"] = {str(t): f for t, f in sweep.items()}
    MODEL_PATH.parent.mkdir(parents=True, exist_ok=True)
    MODEL_PATH.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {MODEL_PATH.relative_to(ROOT)} (threshold {best}, tune F1 {sweep[best]})")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else str(ROOT.parent / "shared" / "data" / "ecbplus"))
