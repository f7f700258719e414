"""Story summaries: storyline's coverage selection against two baselines.

    .venv/bin/python bench/bench_summary.py [--ecb-topics 1-10]

For each story, three selections of the same number of sentences (the number storyline's
method chose, 5-8) from the same candidate sentences (outputs/summary.py `candidates`):
- `storyline`: greedy coverage of claim groups, quotes, events, actors and dates weighted by
  independent sources, with a source-diversity bonus and a quality factor;
- `lead`: the first sentences of the earliest report (the classic news baseline);
- `centroid_mmr`: TF-IDF centroid relevance with maximal marginal relevance (lambda 0.7).
Scores, macro-averaged over stories: the share of the story's claim groups, quotes (one per
wording), event groups and sources (independent origins) that at least one chosen sentence
carries (a record counts when its span overlaps the sentence), and how many chosen pairs
repeat each other (word Jaccard >= 0.5).

Corpora: the bundled sample corpus (its three stories, as the stories linker found them) and
ECB+ dev topics (../shared/data/ecbplus; each gold sub-topic is one story; ECB+ names no
outlet, so each article is its own source).
Prints one JSON object.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from statistics import mean

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
ECB = ROOT.parent / "shared" / "data" / "ecbplus"


def _units(data: dict, ids: set) -> dict[str, dict[str, list]]:
    """kind -> unit -> [(article, span)] for the story's records."""
    from storyline.outputs.summary import _quote_key

    out: dict[str, dict[str, list]] = {"claim_groups": {}, "quotes": {}, "events": {}}
    for c in data["claims"]:
        if c["article"] in ids and c.get("span"):
            out["claim_groups"].setdefault(c.get("group") or c["id"], []).append((c["article"], c["span"]))
    for q in data["quotes"]:
        if q["article"] in ids and q.get("span"):
            out["quotes"].setdefault(_quote_key(q.get("text") or ""), []).append((q["article"], q["span"]))
    for e in data["events"]:
        if e["article"] in ids and e.get("span"):
            out["events"].setdefault(e.get("group") or e["id"], []).append((e["article"], e["span"]))
    return out


def _score(chosen: list[dict], units: dict, origins: dict) -> dict:
    from storyline.outputs.summary import REPEAT_JACCARD, jaccard

    res = {}
    for kind, table in units.items():
        if not table:
            continue
        hit = sum(any(any(c["article"] == a and sp["start"] < c["end"] and sp["end"] > c["start"] for c in chosen)
                      for a, sp in members) for members in table.values())
        res[kind] = hit / len(table)
    all_origins = set(origins.values())
    res["sources"] = len({origins[c["article"]] for c in chosen}) / len(all_origins) if all_origins else 0.0
    res["repeats"] = sum(jaccard(a["words"], b["words"]) >= REPEAT_JACCARD
                         for i, a in enumerate(chosen) for b in chosen[i + 1:])
    return res


def evaluate(data: dict, stories: list[list[str]], origin_fn) -> dict:
    from storyline.outputs.summary import candidates, centroid_mmr, lead_baseline, select_summary

    arts = {a["id"]: a for a in data["articles"]}
    per: dict[str, list[dict]] = {"storyline": [], "lead": [], "centroid_mmr": []}
    for ids in stories:
        origins = origin_fn(ids)
        cands = candidates(data, ids, origins)
        ours = select_summary(cands)
        if not ours:
            continue
        k = len(ours)
        units = _units(data, set(ids))
        for name, chosen in (("storyline", ours), ("lead", lead_baseline(cands, arts, k)),
                             ("centroid_mmr", centroid_mmr(cands, k))):
            per[name].append(_score(chosen, units, origins))
    out = {}
    for name, rows in per.items():
        keys = sorted({k for r in rows for k in r})
        out[name] = {k: round(mean(r[k] for r in rows if k in r), 3) for k in keys}
        out[name]["stories_scored"] = {k: sum(1 for r in rows if k in r) for k in keys if k not in ("repeats",)}
    return out


def _analyse(paths: list[str], db: str) -> dict:
    from storyline.engine import analyze
    from storyline.outputs.export import build_export
    from storyline.store import open_store

    with open_store(db) as store:
        analyze(paths, store, progress=False)
        return build_export(store)


def sample(tmp: Path) -> dict:
    from storyline.link.lineage import origins

    data = _analyse([str(ROOT / "examples" / "sample")], str(tmp / "sample.db"))
    arts = {a["id"]: a for a in data["articles"]}
    return evaluate(data, [s["articles"] for s in data["stories"]], lambda ids: origins(arts, ids))


def ecb(tmp: Path, topics: list[str]) -> dict:
    from storyline.eval.ecbplus import read_corpus

    docs = read_corpus(str(ECB), topics=topics)
    src = tmp / "ecb"
    src.mkdir()
    with open(src / "ecb.jsonl", "w", encoding="utf-8") as f:
        for d in docs:
            f.write(json.dumps({"text": d.text, "title": d.name, "url": f"ecb:{d.name}"}) + "\n")
    data = _analyse([str(src)], str(tmp / "ecb.db"))
    by_name = {a["title"]: a["id"] for a in data["articles"]}
    stories: dict[str, list[str]] = {}
    for d in docs:
        if d.name in by_name:
            stories.setdefault(d.subtopic, []).append(by_name[d.name])
    res = evaluate(data, [ids for ids in stories.values() if len(ids) >= 2], lambda ids: {a: a for a in ids})
    res["stories"] = sum(1 for ids in stories.values() if len(ids) >= 2)
    res["articles"] = len(docs)
    return res


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--ecb-topics", default="1-10", help="dev topics, e.g. 1-10 (topics 36-45 are held out)")
    args = ap.parse_args()
    lo, _, hi = args.ecb_topics.partition("-")
    topics = [str(t) for t in range(int(lo), int(hi or lo) + 1)]
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as d:
        out = {"sample": sample(Path(d))}
        if ECB.exists():
            out["ecbplus"] = ecb(Path(d), topics)
            out["ecbplus"]["topics"] = args.ecb_topics
    out["seconds"] = round(time.perf_counter() - t0, 1)
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
