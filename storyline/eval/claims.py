"""`storyline eval claims PATH`: numeric claims against NewsQuant (CQE's news quantity set).

Reader: a JSON array of `{text, quantities[]}`; each quantity has `value` (a number as a string,
or `lo-hi` for a range), `change` (`=`, `~`, `>`, `<`, `up`, `down`), `unit`,
`normalized_unit` (`-` when none) and `referred_concepts` (comma-separated words, `-` when none).

Scoring, as the CQE paper (Almasian et al., EMNLP 2023) does, but one-to-one:
- in each sentence, each gold quantity is matched to at most one predicted claim whose value is
  equal (relative tolerance 1e-5; a range matches a range with both ends equal), preferring a
  prediction that also has the gold unit, then the gold change;
- `value`: matched pairs; `value+unit`: matched pairs whose normalised unit is equal (lower
  case; no unit = `-`); `value+change`: matched pairs with the same qualifier;
  `value+subject` (CQE's "value+concept, partial"): matched pairs whose subject shares at least
  one word (lower case, split on commas and spaces) with the gold concepts, or gold `-` and no
  predicted subject.
Precision divides by all predicted numeric claims, recall by all gold quantities.

CQE's own script lets one gold quantity count for change/concept against several predictions
with the same value; the one-to-one matching here is the stricter of the two.

Splits (deterministic): `tune` = sentences at even index in the file, `validation` = odd index,
`all` = every sentence. Rules were changed only when the validation half agreed.
"""
from __future__ import annotations

import json
import math
import re
import time
from pathlib import Path

from .metrics import prf

MEASURES = ("value", "value+unit", "value+change", "value+subject")
# CQE paper, NewsQuant (full set): the anchors the issue compares against.
ANCHORS = {"CQE": {"value": 0.919, "value+unit": 0.855, "value+change": 0.880, "value+subject": 0.759},
           "quantulum3": {"value": 0.731, "value+unit": 0.471},
           "GPT-3": {"value": 0.706, "value+unit": 0.591}}


def read_newsquant(path: str | Path) -> list[dict]:
    data = json.loads(Path(path).read_text("utf-8"))
    out = []
    for i, item in enumerate(data):
        golds = []
        for q in item.get("quantities", []):
            golds.append({"value": parse_gold_value(q["value"]), "change": q.get("change", "="),
                          "unit": (q.get("normalized_unit") or "-").strip().lower(),
                          "concepts": [w for w in re.split(r"[,\s]+", (q.get("referred_concepts") or "-").lower()) if w]})
        out.append({"index": i, "text": item["text"], "gold": golds})
    return out


def parse_gold_value(v: str):
    v = str(v).strip()
    if "-" in v[1:] and "e" not in v.lower():
        a, b = v[0] + v[1:].split("-", 1)[0], v[1:].split("-", 1)[1]
        return [float(a), float(b)]
    return float(v)


def split_of(index: int) -> str:
    return "tune" if index % 2 == 0 else "validation"


def values_match(gold, pred) -> bool:
    g_rng, p_rng = isinstance(gold, list), isinstance(pred, (list, tuple))
    if g_rng != p_rng:
        return False
    if g_rng:
        return all(math.isclose(float(a), float(b), rel_tol=1e-5, abs_tol=1e-8) for a, b in zip(gold, pred))
    return math.isclose(float(gold), float(pred), rel_tol=1e-5, abs_tol=1e-8)


def _subject_words(claim: dict) -> set[str]:
    subj = claim.get("subject")
    if not subj:
        return set()
    return {w for w in re.split(r"[,\s]+", subj["text"].lower()) if w}


def match_sentence(gold: list[dict], preds: list[dict]) -> list[tuple[dict, dict]]:
    """One-to-one pairs (gold, predicted claim) with equal values (see module doc)."""
    free = [p for p in preds if p.get("kind", "numeric") == "numeric"]
    pairs = []
    open_gold = list(gold)
    # pass 1: value and unit; pass 2: value alone
    for need_unit in (True, False):
        for g in list(open_gold):
            cands = [p for p in free if values_match(g["value"], p["value"])
                     and (not need_unit or (p.get("unit_normalised") or "-").lower() == g["unit"])]
            if not cands:
                continue
            cands.sort(key=lambda p: p.get("qualifier") != g["change"])
            free.remove(cands[0])
            open_gold.remove(g)
            pairs.append((g, cands[0]))
    return pairs


def score_sentences(items: list[dict], predictions: list[list[dict]], details: bool = False) -> dict:
    tp = dict.fromkeys(MEASURES, 0)
    n_pred = n_gold = 0
    errors = []
    for item, preds in zip(items, predictions):
        numeric = [p for p in preds if p.get("kind", "numeric") == "numeric"]
        n_pred += len(numeric)
        n_gold += len(item["gold"])
        pairs = match_sentence(item["gold"], numeric)
        for g, p in pairs:
            tp["value"] += 1
            unit_ok = (p.get("unit_normalised") or "-").lower() == g["unit"]
            tp["value+unit"] += unit_ok
            tp["value+change"] += p.get("qualifier") == g["change"]
            words = _subject_words(p)
            subj_ok = bool(words & set(g["concepts"])) or (g["concepts"] == ["-"] and not words)
            tp["value+subject"] += subj_ok
            if details and not (unit_ok and p.get("qualifier") == g["change"] and subj_ok):
                errors.append({"index": item["index"], "text": item["text"], "gold": g,
                               "pred": {k: p.get(k) for k in ("text", "value", "qualifier", "unit_normalised")}
                               | {"subject": (p.get("subject") or {}).get("text")}})
        if details:
            matched_g = [id(g) for g, _ in pairs]
            matched_p = [id(p) for _, p in pairs]
            for g in item["gold"]:
                if id(g) not in matched_g:
                    errors.append({"index": item["index"], "text": item["text"], "missed": g})
            for p in numeric:
                if id(p) not in matched_p:
                    errors.append({"index": item["index"], "text": item["text"],
                                   "spurious": {k: p.get(k) for k in ("text", "value", "unit_normalised")}})
    out = {m: prf(tp[m], n_pred, n_gold) for m in MEASURES}
    if details:
        out["errors"] = errors
    return out


def predict(items: list[dict], nlp=None) -> list[list[dict]]:
    from ..claims import extract_claims

    from ..components.context import extension

    if nlp is None:  # the claims extractor as the pipeline runs it: after the time expressions
        from ..pipeline import build_nlp

        nlp = build_nlp(components=["storyline_time"])
    preds = []
    for doc in nlp.pipe(it["text"] for it in items):
        timexes = getattr(doc._, extension("timexes"), None) if doc.has_extension(extension("timexes")) else None
        preds.append(extract_claims(doc, timexes=timexes or ()))
    return preds


def score_splits(items: list[dict], predictions: list[list[dict]], details: bool = False) -> dict:
    out = {}
    for name in ("tune", "validation"):
        idx = [i for i, it in enumerate(items) if split_of(it["index"]) == name]
        out[name] = score_sentences([items[i] for i in idx], [predictions[i] for i in idx])
    out["all"] = score_sentences(items, predictions, details)
    return out


def eval_claims(path: str, limit: int | None = None, details: bool = False, nlp=None, **_) -> dict:
    items = read_newsquant(path)
    if limit is not None:
        items = items[:limit]
    t0 = time.perf_counter()
    preds = predict(items, nlp)
    elapsed = time.perf_counter() - t0
    result = {"task": "claims", "data": "NewsQuant", "sentences": len(items),
              "quantities": sum(len(it["gold"]) for it in items),
              "split": "tune = even index in the file, validation = odd index",
              **score_splits(items, preds, details), "anchors": ANCHORS, "seconds": round(elapsed, 2)}
    return result
