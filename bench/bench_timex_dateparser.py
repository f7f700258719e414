"""storyline's time expressions vs dateparser's `search_dates` on TempEval-3 TimeBank.

Both read the same documents with each document's <DCT> as the reference date
(dateparser: settings RELATIVE_BASE). Prints TempEval-3 style scores for both, then the
time each takes and the ratios, measured in this one run.

dateparser returns a datetime and no granularity or type, so it is scored leniently: its
value counts as right when the gold value (a day, month or year) is that datetime written
at the gold's own granularity, and its type is always DATE.

    .venv/bin/python bench/bench_timex_dateparser.py [PATH] [--limit N]
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
import warnings
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from storyline.eval.timex import read_corpus, score  # noqa: E402


def dateparser_predict(docs):
    from dateparser.search import search_dates

    out = []
    for d in docs:
        base = datetime.fromisoformat(d.dct) if d.dct else datetime(2000, 1, 1)
        found = search_dates(d.text, languages=["en"], settings={"RELATIVE_BASE": base}) or []
        preds, pos = [], 0
        for s, dt in found:
            i = d.text.find(s, pos)
            if i < 0:
                continue
            pos = i + len(s)
            preds.append({"text": s, "span": {"start": i, "end": i + len(s)}, "type": "DATE", "value": None, "_dt": dt})
        out.append(preds)
    return out


def lenient_values(docs, predicted):
    """Write each dateparser datetime at the granularity of the gold value it overlaps."""
    for d, preds in zip(docs, predicted):
        for p in preds:
            dt = p.pop("_dt")
            g = next((g for g in d.timexes if g["start"] < p["span"]["end"] and p["span"]["start"] < g["end"]), None)
            gv = (g or {}).get("value") or ""
            if re.fullmatch(r"\d{4}", gv):
                p["value"] = f"{dt.year:04d}"
            elif re.fullmatch(r"\d{4}-\d\d", gv):
                p["value"] = f"{dt.year:04d}-{dt.month:02d}"
            else:
                p["value"] = dt.date().isoformat()
    return predicted


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("path", nargs="?", default=str(ROOT.parent / "shared" / "data" / "tempeval3" / "TimeBank"))
    ap.add_argument("--limit", type=int, default=None)
    args = ap.parse_args(argv)
    docs = read_corpus(args.path, args.limit)
    if not docs:
        print(f"no TimeML documents under {args.path}")
        return 1
    from storyline.components.time import doc_timexes
    from storyline.pipeline import build_nlp

    nlp = build_nlp(components=[])
    t0 = time.perf_counter()
    parsed = list(nlp.pipe(d.text for d in docs))
    t_parse = time.perf_counter() - t0
    t0 = time.perf_counter()
    ours = []
    for d, doc in zip(docs, parsed):
        doc._.storyline_published = d.dct
        ours.append(doc_timexes(doc))
    t_ours = time.perf_counter() - t0
    warnings.simplefilter("ignore")
    t0 = time.perf_counter()
    dp = dateparser_predict(docs)
    t_dp = time.perf_counter() - t0
    dp = lenient_values(docs, dp)
    s_ours, s_dp = score(docs, ours), score(docs, dp)
    n_chars = sum(len(d.text) for d in docs)

    def row(name, s):
        return (f"{name:<22} strict F1 {s['strict']['f1']:.3f}  relaxed F1 {s['relaxed']['f1']:.3f}  "
                f"type acc {s['type_accuracy']:.3f}  value F1 {s['value']['f1']:.3f}  "
                f"(predicted {s['relaxed']['predicted']}, gold {s['relaxed']['gold']})")

    print(f"TimeBank: {len(docs)} documents, {n_chars} characters, {s_ours['relaxed']['gold']} gold TIMEX3")
    print(row("storyline", s_ours))
    print(row("dateparser (lenient)", s_dp))
    print(f"seconds: spaCy parse {t_parse:.2f}, storyline time expressions on the parsed docs {t_ours:.2f}, "
          f"dateparser search_dates {t_dp:.2f}")
    print(f"ratios: dateparser / storyline-timex-only {t_dp / t_ours:.1f}x; "
          f"dateparser / (parse + storyline) {t_dp / (t_parse + t_ours):.2f}x; "
          f"value F1 storyline - dateparser {s_ours['value']['f1'] - s_dp['value']['f1']:+.3f}")
    print(json.dumps({"storyline": s_ours, "dateparser": s_dp,
                      "seconds": {"parse": round(t_parse, 2), "storyline": round(t_ours, 2), "dateparser": round(t_dp, 2)}}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
