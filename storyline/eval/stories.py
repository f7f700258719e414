"""`storyline eval stories PATH`: online story clustering on ECB+.

Articles of the ECB+ folder are streamed through the online clusterer, with the same
features the stories linker uses (content words, capitalised names, years, numbers, places,
report year), in four seeded random orders (a real stream interleaves stories; online
clustering depends on the order) and in corpus order; then the clusters are scored against the
gold topics and sub-topics (the `ecb` and `ecbplus` halves of a topic are two different events
of the same kind, e.g. two different earthquakes): B-cubed precision/recall/F1 and pairwise F1.

Splits (issue 10): `tune` = topics 1-25 streamed alone, `validation` = topics 26-35 streamed
alone, `all` = every topic in one stream (the figure reported before the split). The learned
join-or-new model (scripts/train_story_model.py, trained on tune topics only) is scored with
`evaluate(path, learned=True)`; it is not the shipped decision (validation did not agree).
"""
from __future__ import annotations

import random
from collections import Counter
from itertools import combinations
from typing import Optional

from pathlib import Path

from ..errors import Codes, UsageError
from .metrics import prf


def bcubed(pred: dict, gold: dict) -> dict:
    """B-cubed over items: pred and gold map item -> cluster label."""
    pc, gc = Counter(pred.values()), Counter(gold.values())
    both = Counter((pred[i], gold[i]) for i in pred)
    p = sum(both[(pred[i], gold[i])] / pc[pred[i]] for i in pred) / len(pred)
    r = sum(both[(pred[i], gold[i])] / gc[gold[i]] for i in pred) / len(pred)
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def pairwise(pred: dict, gold: dict) -> dict:
    def pairs(labels):
        by: dict = {}
        for i, c in labels.items():
            by.setdefault(c, []).append(i)
        return {frozenset(p) for ids in by.values() for p in combinations(sorted(ids), 2)}

    pp, gp = pairs(pred), pairs(gold)
    return prf(len(pp & gp), len(pp), len(gp))


def score(pred: dict, gold: dict) -> dict:
    return {"b3": bcubed(pred, gold), "pairwise": pairwise(pred, gold), "clusters": len(set(pred.values())),
            "gold_clusters": len(set(gold.values()))}


def cluster_docs(docs, seed: Optional[int] = 1, **params) -> dict:
    """Run the online clusterer over EcbDocs; returns doc name -> story id. `params` go to
    `Clusterer` (e.g. `model=None` for the hand-tuned similarity)."""
    from ..link.cluster import Clusterer
    from ..link.features import article_features

    order = list(docs)
    if seed is not None:
        random.Random(seed).shuffle(order)
    cl = Clusterer(**params)
    out = {}
    for d in order:
        f = article_features(d.text)
        out[d.name] = cl.add(f, d.name)[0]
    # a later article may have merged two stories (bridging): name each doc's final story
    return {name: cl.resolve(story) for name, story in out.items()}


SEEDS = (1, 2, 3, 7)  # stream orders scored; the figures are their mean (and worst)


def _mean(results: list[dict]) -> dict:
    def avg(path):
        vals = [r for r in results]
        for p in path:
            vals = [v[p] for v in vals]
        return round(sum(vals) / len(vals), 4)

    out = {}
    for metric, keys in (("b3", ("precision", "recall", "f1")), ("pairwise", ("precision", "recall", "f1"))):
        out[metric] = {k: avg((metric, k)) for k in keys}
    out["b3"]["f1_worst"] = min(r["b3"]["f1"] for r in results)
    out["clusters"] = avg(("clusters",))
    out["gold_clusters"] = results[0]["gold_clusters"]
    return out


def run_streams(docs, seeds=SEEDS, **params) -> dict:
    """Shuffled streams (mean over seeds) and the corpus order, scored on sub-topics and topics."""
    sub = {d.name: d.subtopic for d in docs}
    top = {d.name: d.topic for d in docs}
    runs = {seed: cluster_docs(docs, seed=seed, **params) for seed in seeds}
    in_order = cluster_docs(docs, seed=None, **params)
    return {"shuffled_streams": {"seeds": list(seeds),
                                 "subtopics": _mean([score(p, sub) for p in runs.values()]),
                                 "topics": _mean([score(p, top) for p in runs.values()])},
            "corpus_order": {"subtopics": score(in_order, sub), "topics": score(in_order, top)},
            "_runs": runs}


def split_docs(docs) -> dict:
    from .ecbplus import topic_split

    halves = {"tune": [d for d in docs if topic_split(d.topic) == "tune"],
              "validation": [d for d in docs if topic_split(d.topic) == "validation"]}
    return {k: v for k, v in halves.items() if v}


def evaluate(path: str, limit: Optional[int] = None, details: bool = False, learned: bool = False) -> dict:
    """`learned=True` scores the learned join-or-new model instead of the shipped hand-tuned decision."""
    from .ecbplus import TUNE_TOPICS, read_corpus

    if not Path(path).is_dir():
        raise UsageError(Codes.E001, f"no ECB+ folder at {path}")
    docs = read_corpus(path, limit=limit)
    if not docs:
        raise UsageError(Codes.E001, f"no ECB+ topic folders (1, 2, ...) under {path}")
    params = {"model": "learned"} if learned else {}
    every = run_streams(docs, **params)
    runs = every.pop("_runs")
    out = {"task": "stories", "documents": len(docs), "decision": "learned" if learned else "hand-tuned",
           **every,
           "split": f"tune = topics {TUNE_TOPICS[0]}-{TUNE_TOPICS[1]}, validation = the later topics; "
                    "each streamed alone; all = the figures above (every topic in one stream)",
           "splits": {}}
    for name, part in split_docs(docs).items():
        res = run_streams(part, **params)
        res.pop("_runs")
        out["splits"][name] = {"documents": len(part),
                               "subtopics_b3": res["shuffled_streams"]["subtopics"]["b3"],
                               "topics_b3": res["shuffled_streams"]["topics"]["b3"],
                               "corpus_order_subtopics_b3": res["corpus_order"]["subtopics"]["b3"]}
    out["splits"]["all"] = {"documents": len(docs),
                            "subtopics_b3": every["shuffled_streams"]["subtopics"]["b3"],
                            "topics_b3": every["shuffled_streams"]["topics"]["b3"],
                            "corpus_order_subtopics_b3": every["corpus_order"]["subtopics"]["b3"]}
    if details:
        by: dict = {}
        for name, sid in runs[SEEDS[0]].items():
            by.setdefault(sid, []).append(name)
        out["clusters_found"] = sorted(sorted(v) for v in by.values())
    return out
