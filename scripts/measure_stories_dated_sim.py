"""ECB+ with simulated dates: each sub-topic is a story running over SPREAD days (article day =
sub-topic base + uniform 0..SPREAD days); the two halves of a topic three years apart (or, with
`close`, 60-120 days apart); all topics share the same calendar, so many stories run at once.
A stand-in for dated gold stories, which the dev data lacks (docs/stories.md, bridging).

    .venv/bin/python scripts/measure_stories_dated_sim.py BRIDGE|none tune,validation [SPREAD] [close]
"""
import json
import random
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
import storyline.eval.stories as es  # noqa: E402
from storyline.eval.ecbplus import read_corpus  # noqa: E402
from storyline.link.cluster import Clusterer  # noqa: E402
from storyline.link.features import article_features  # noqa: E402

SPREAD = int(sys.argv[3]) if len(sys.argv) > 3 else 42
CLOSE = len(sys.argv) > 4 and sys.argv[4] == "close"


def days_for(docs, seed=99):
    rng = random.Random(seed)
    base = {}
    out = {}
    for d in sorted(docs, key=lambda d: d.name):
        if d.subtopic not in base:
            if CLOSE:
                t0 = base.setdefault(("t", d.topic), date(2008, 1, 1).toordinal() + rng.randint(0, 300))
                base[d.subtopic] = t0 + (0 if "plus" not in str(d.subtopic) else rng.randint(60, 120))
            else:
                year = 2008 if "plus" not in str(d.subtopic) else 2011
                base[d.subtopic] = date(year, 1, 1).toordinal() + rng.randint(0, 300)
        out[d.name] = base[d.subtopic] + rng.randint(0, SPREAD)
    return out


def make_cluster_docs(days):
    def cluster_docs(docs, seed=1, **params):
        order = list(docs)
        if seed is not None:
            random.Random(seed).shuffle(order)
        cl = Clusterer(**params)
        out = {}
        for d in order:
            out[d.name] = cl.add(article_features(d.text, None, None, days[d.name]), d.name)[0]
        return {k: cl.resolve(v) for k, v in out.items()}
    return cluster_docs


docs = read_corpus(str(ROOT.parent / "shared" / "data" / "ecbplus"))
print(sorted({str(d.subtopic) for d in docs})[:4])
days = days_for(docs)
es.cluster_docs = make_cluster_docs(days)
bridge = None if sys.argv[1] == "none" else float(sys.argv[1])
parts = es.split_docs(docs)
res = {}
for name in sys.argv[2].split(","):
    r = es.run_streams(parts[name], bridge=bridge)
    b = r["shuffled_streams"]["subtopics"]["b3"]
    res[name] = (b["precision"], b["recall"], b["f1"], b["f1_worst"], r["shuffled_streams"]["subtopics"]["clusters"])
print(bridge, SPREAD, json.dumps(res))
