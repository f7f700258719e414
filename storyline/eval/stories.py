"""`storyline eval stories PATH`: online story clustering on ECB+.

All articles of the ECB+ folder are streamed through the online clusterer (in a seeded
random order by default: a real stream interleaves stories; `order="corpus"` keeps topic
order), then the clusters are scored against the gold topics and sub-topics (the `ecb` and
`ecbplus` halves of a topic are two different events of the same kind, e.g. two different
earthquakes): B-cubed precision/recall/F1 and pairwise F1.
"""
from __future__ import annotations

import random
from collections import Counter
from itertools import combinations
from typing import Optional

from .metrics import prf
from .registry import task


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


def cluster_docs(docs, seed: Optional[int] = 7, mentions: Optional[dict] = None, **params) -> dict:
    """Run the online clusterer over EcbDocs; returns doc name -> story id."""
    from ..link.cluster import Clusterer
    from ..link.features import article_features

    order = list(docs)
    if seed is not None:
        random.Random(seed).shuffle(order)
    cl = Clusterer(**params)
    out = {}
    for d in order:
        f = article_features(d.text, None, (mentions or {}).get(d.name))
        out[d.name] = cl.add(f, d.name)[0]
    return out


def ner_mentions(docs) -> dict:
    """NER mentions of each doc from the storyline pipeline's entity component."""
    from ..pipeline import build_nlp

    nlp = build_nlp()
    out = {}
    for d, doc in zip(docs, nlp.pipe((d.text for d in docs), batch_size=32)):
        out[d.name] = getattr(doc._, "mentions", None) or [{"label": e.label_, "text": e.text} for e in doc.ents]
    return out


@task("stories")
def evaluate(path: str, limit: Optional[int] = None, details: bool = False, seed: Optional[int] = 7,
             entities: str = "ner") -> dict:
    """`entities`: "ner" (the pipeline's named entities, as `storyline analyze` stores them)
    or "names" (capitalised names in the text; no spaCy)."""
    from .ecbplus import read_corpus

    docs = read_corpus(path, limit=limit)
    mentions = ner_mentions(docs) if entities == "ner" else None
    pred = cluster_docs(docs, seed=seed, mentions=mentions)
    out = {"task": "stories", "documents": len(docs), "order": "shuffled" if seed is not None else "corpus",
           "seed": seed, "entities": entities,
           "subtopics": score(pred, {d.name: d.subtopic for d in docs}),
           "topics": score(pred, {d.name: d.topic for d in docs})}
    if details:
        by: dict = {}
        for name, sid in pred.items():
            by.setdefault(sid, []).append(name)
        out["clusters_found"] = sorted(sorted(v) for v in by.values())
    return out
