"""`storyline eval metadata PATH [--gold FILE]`: metadata recovery against gold metadata.

The gold file (default: `PATH-gold.json` beside the folder, e.g. examples/sample-gold.json) maps each file name (or `name.jsonl#N` for the N-th record) to the fields a careful
reader recovers: title, source, author, published, dateline, cites. The bundled sample corpus
carries one. Scores are per-field accuracy (exact match after trimming and case-folding;
cites as a set) over the gold entries; `tune` and `validation` score the halves of the
name-sorted entries (even/odd index), the top level all of them.
"""
from __future__ import annotations

import json
from pathlib import Path

from ..ingest import iter_input_files, read_input

FIELDS = ("title", "source", "author", "published", "dateline", "cites")


def _norm(field: str, v):
    if field == "cites":
        return sorted({str(c).strip().lower() for c in (v or [])})
    return None if v in (None, "") else str(v).strip().lower()


def eval_metadata(path: str, details: bool = False, gold: str | None = None, **_) -> dict:
    root = Path(path)
    gold_path = Path(gold) if gold else root.parent / f"{root.name}-gold.json"
    gold = json.loads(gold_path.read_text("utf-8"))
    found = {}
    for f in iter_input_files([str(root)]):
        for item in read_input(f):
            if hasattr(item, "code"):
                continue
            key = Path(item.path.split("#")[0]).name + ("#" + item.path.split("#")[1] if "#" in item.path else "")
            found[key] = item
    errors: list = []
    keys = sorted(gold)
    out = {"task": "metadata", "documents": len(keys), "missing": sorted(set(gold) - set(found)),
           **_score(keys, gold, found, errors),
           "split": "name-sorted gold entries: even index = tune, odd index = validation"}
    out["tune"] = _score(keys[0::2], gold, found, [])
    out["validation"] = _score(keys[1::2], gold, found, [])
    if details:
        out["errors"] = errors
    return out


def _score(keys: list[str], gold: dict, found: dict, errors: list) -> dict:
    scores = {f: 0 for f in FIELDS}
    for key in keys:
        g, art = gold[key], found.get(key)
        for field in FIELDS:
            got = getattr(art, field) if art else None
            if _norm(field, got) == _norm(field, g.get(field)):
                scores[field] += 1
            else:
                errors.append({"file": key, "field": field, "gold": g.get(field), "got": got})
    n = len(keys)
    acc = {f: round(scores[f] / n, 4) if n else 0.0 for f in FIELDS}
    return {"documents": n, "accuracy": acc, "accuracy_mean": round(sum(acc.values()) / len(FIELDS), 4)}
