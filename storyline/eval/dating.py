"""`storyline eval dating PATH`: how well an undated report's publication window is estimated.

Takes dated articles, hides the date, runs the time component as on an undated report and
scores the estimate `{from, to, basis, confidence}` (storyline/timex/estimate.py) against
the hidden date. PATH is a TimeML folder (TimeBank: each `<DCT>` is the hidden date) or the
PolNeAR folder (`metadata.tsv`'s `publication_date` for the `dev` articles under
`dev/text/`).

Per split: `documents`, `windows` (estimates given), `coverage` (windows / documents),
`contains` (windows holding the true date / documents), `precision` (windows holding it /
windows), `mean_width_days` (to - from), `yearless` (windows
without a year; they count as holding the date when month and day fit), and the same
precision per `confidence` level. Splits (deterministic): name-sorted documents, even index
= `tune`, odd = `validation`, plus `all`.
"""
from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Optional

from ..timex.estimate import estimate_window

SPLITS = ("tune", "validation", "all")


def _docs(path: str, limit: Optional[int]) -> list[tuple[str, str, str]]:
    """(name, text, true ISO date), name-sorted."""
    root = Path(path)
    out = []
    meta = root / "metadata.tsv"
    if meta.exists():
        with open(meta, encoding="utf-8") as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                f = root / row["compartment"] / "text" / f"{row['filename']}.txt"
                if row["compartment"] == "dev" and f.exists() and len(row.get("publication_date") or "") == 10:
                    out.append((row["filename"], f.read_text("utf-8"), row["publication_date"]))
    else:
        from .timex import read_corpus

        out = [(d.name, d.text, d.dct) for d in read_corpus(path) if d.dct]
    out.sort()
    return out[:limit] if limit is not None else out


def _contains(est: dict, truth: str) -> bool:
    lo, hi = est["from"], est["to"]
    if not lo.startswith("XXXX"):
        return lo <= truth <= hi
    # a window without a year: month and day fit (it may wrap over the new year)
    md, lo_md, hi_md = truth[5:], lo[5:], hi[5:]
    return lo_md <= md <= hi_md if lo_md <= hi_md else (md >= lo_md or md <= hi_md)


def _width(est: dict) -> int:
    lo, hi = est["from"], est["to"]
    if lo.startswith("XXXX"):  # month and day only: measured in a leap year, over the new year
        lo, hi = "2000" + lo[4:], ("2000" if hi[5:] >= lo[5:] else "2001") + hi[4:]
    return (date.fromisoformat(hi) - date.fromisoformat(lo)).days


def score(rows: list[dict]) -> dict:
    n = len(rows)
    given = [r for r in rows if r["estimate"]]
    hits = [r for r in given if _contains(r["estimate"], r["truth"])]
    widths = [_width(r["estimate"]) for r in given]
    by_conf: dict = {}
    for r in given:
        c = r["estimate"].get("confidence", "unknown")
        b = by_conf.setdefault(c, {"windows": 0, "contains": 0})
        b["windows"] += 1
        b["contains"] += _contains(r["estimate"], r["truth"])
    for b in by_conf.values():
        b["precision"] = round(b["contains"] / b["windows"], 4)
    return {"documents": n, "windows": len(given), "coverage": round(len(given) / n, 4) if n else 0.0,
            "contains": round(len(hits) / n, 4) if n else 0.0,
            "precision": round(len(hits) / len(given), 4) if given else 0.0,
            "mean_width_days": round(sum(widths) / len(widths), 2) if widths else None,
            "yearless": sum(1 for r in given if r["estimate"]["from"].startswith("XXXX")),
            "by_confidence": dict(sorted(by_conf.items()))}


def eval_dating(path: str, limit: Optional[int] = None, details: bool = False, nlp=None, **_) -> dict:
    from ..timex.extract import extract_timexes

    docs = _docs(path, limit)
    if nlp is None:
        from ..pipeline import build_nlp

        nlp = build_nlp(components=[])
    rows = []
    for (name, text, truth), doc in zip(docs, nlp.pipe(t for _, t, _ in docs)):
        est = estimate_window(extract_timexes(text, None, doc))
        rows.append({"name": name, "truth": truth, "estimate": est})
    splits = {"tune": rows[0::2], "validation": rows[1::2], "all": rows}
    out = {"task": "dating", "data": str(path),
           "split": "name-sorted documents: even index = tune, odd index = validation",
           **{s: score(splits[s]) for s in SPLITS}}
    if details:
        out["errors"] = [r for r in rows if r["estimate"] and not _contains(r["estimate"], r["truth"])]
    return out

