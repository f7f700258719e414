"""`storyline eval timex PATH`: TempEval-3 task A on TimeML (.tml) files.

Each document's `<DCT>` is its publication date. Scores, as TempEval-3 reports them:
extraction strict (exact span) and relaxed (overlap) precision/recall/F1, type accuracy
(over relaxed matches), and type and value F1 (a relaxed match with the right attribute
counts as a hit; P over our expressions, R over the gold ones). The top-level figures are
all documents; `tune` and `validation` are the halves (name-sorted, even/odd index).
"""
from __future__ import annotations

import re
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from .metrics import prf


@dataclass
class TimeMLDoc:
    name: str
    text: str
    dct: Optional[str]
    timexes: list = field(default_factory=list)  # dicts: start, end, text, type, value


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def read_timeml(path: Path) -> TimeMLDoc:
    """Plain text of <TEXT> with the character offsets of its TIMEX3 elements."""
    root = ET.parse(path).getroot()
    dct = None
    for el in root.iter():
        if _local(el.tag) == "DCT":
            for t in el.iter():
                if _local(t.tag) == "TIMEX3" and t.get("value"):
                    dct = t.get("value")[:10]
    text_el = next((el for el in root.iter() if _local(el.tag) == "TEXT"), None)
    parts: list[str] = []
    timexes = []
    pos = 0

    def walk(el):
        nonlocal pos
        start = pos
        if el.text:
            parts.append(el.text)
            pos += len(el.text)
        for child in el:
            walk(child)
            if child.tail:
                parts.append(child.tail)
                pos += len(child.tail)
        if _local(el.tag) == "TIMEX3" and el is not text_el:
            timexes.append({"start": start, "end": pos, "type": el.get("type"), "value": el.get("value")})

    if text_el is not None:
        walk(text_el)
    text = "".join(parts)
    for t in timexes:
        t["text"] = text[t["start"]:t["end"]]
    timexes.sort(key=lambda t: t["start"])
    if dct and not re.match(r"^\d{4}-\d\d-\d\d$", dct):
        dct = None
    return TimeMLDoc(path.stem, text, dct, timexes)


def read_corpus(root: str, limit: Optional[int] = None) -> list[TimeMLDoc]:
    """Every readable .tml file under `root`, in name order (macOS `._*` forks and files
    that are not well-formed XML are skipped)."""
    files = sorted(Path(root).glob("**/*.tml")) if Path(root).is_dir() else [Path(root)]
    files = [p for p in files if p.is_file() and not p.name.startswith("._")]
    docs = []
    for p in files:
        if limit is not None and len(docs) >= limit:
            break
        try:
            docs.append(read_timeml(p))
        except ET.ParseError:
            continue
    return docs


def norm_value(v) -> str:
    return (v or "").strip().upper()


def score(docs: list[TimeMLDoc], predicted: list[list[dict]], details: bool = False) -> dict:
    n_pred = n_gold = strict = relaxed = type_ok = value_ok = 0
    errors = []
    for doc, preds in zip(docs, predicted):
        gold = doc.timexes
        n_pred += len(preds)
        n_gold += len(gold)
        used = set()
        for p in preds:
            ps, pe = p["span"]["start"], p["span"]["end"]
            match = None
            for j, g in enumerate(gold):  # exact span first, then any overlap
                if j not in used and g["start"] == ps and g["end"] == pe:
                    match = j
                    break
            if match is None:
                for j, g in enumerate(gold):
                    if j not in used and g["start"] < pe and ps < g["end"]:
                        match = j
                        break
            if match is None:
                if details:
                    errors.append({"doc": doc.name, "kind": "spurious", "text": p["text"], "value": p["value"]})
                continue
            used.add(match)
            g = gold[match]
            relaxed += 1
            strict += g["start"] == ps and g["end"] == pe
            type_ok += g["type"] == p["type"]
            value_ok += norm_value(g["value"]) == norm_value(p["value"])
            if details and norm_value(g["value"]) != norm_value(p["value"]):
                errors.append({"doc": doc.name, "kind": "value", "text": p["text"], "gold_text": g["text"],
                               "value": p["value"], "gold": g["value"], "dct": doc.dct})
        if details:
            errors += [{"doc": doc.name, "kind": "missed", "gold_text": g["text"], "gold": g["value"]}
                       for j, g in enumerate(gold) if j not in used]
    out = {
        "documents": len(docs),
        "strict": prf(strict, n_pred, n_gold),
        "relaxed": prf(relaxed, n_pred, n_gold),
        "type_accuracy": round(type_ok / relaxed, 4) if relaxed else 0.0,
        "type": prf(type_ok, n_pred, n_gold),
        "value_accuracy": round(value_ok / relaxed, 4) if relaxed else 0.0,
        "value": prf(value_ok, n_pred, n_gold),
    }
    if details:
        out["errors"] = errors
    return out


def predict(docs: list[TimeMLDoc], nlp=None) -> list[list[dict]]:
    from ..components.time import doc_timexes

    if nlp is None:
        from ..pipeline import build_nlp

        nlp = build_nlp(components=[])
    out = []
    for tdoc, doc in zip(docs, nlp.pipe(d.text for d in docs)):
        doc._.storyline_published = tdoc.dct
        out.append(doc_timexes(doc))
    return out


def eval_timex(path: str, limit: Optional[int] = None, details: bool = False, nlp=None, **_) -> dict:
    docs = read_corpus(path, limit)
    t0 = time.perf_counter()
    predicted = predict(docs, nlp)
    elapsed = time.perf_counter() - t0
    result = {"task": "timex", "data": str(path), **score(docs, predicted, details)}
    # halves (issue 10): name-sorted documents, even index tunes, odd index validates; the
    # top-level figures are `all`
    result["split"] = "name-sorted documents: even index = tune, odd index = validation"
    for name, sl in (("tune", slice(0, None, 2)), ("validation", slice(1, None, 2))):
        result[name] = score(docs[sl], predicted[sl])
    result["seconds"] = round(elapsed, 2)
    return result
