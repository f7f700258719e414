"""How well an undated report's relative dates resolve inside its story-dated window (docs/time.md).

    .venv/bin/python scripts/measure_story_window.py ../shared/data/tempeval3/... [-v]

Dated dev articles with their date hidden: the estimated window gets its year from a simulated
story (the true date +- 60 days); relative expressions are resolved in the window
(storyline.timex.window) and compared with the value the true date gives and, for TimeBank,
with the gold value. Prints tune / validation / all.
"""
import json
import sys
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from storyline.eval.dating import _docs  # noqa: E402
from storyline.link.story_dating import story_window  # noqa: E402
from storyline.pipeline import build_nlp  # noqa: E402
from storyline.timex.estimate import estimate_window  # noqa: E402
from storyline.timex.extract import extract_timexes  # noqa: E402
from storyline.timex.window import resolve_in_window  # noqa: E402

path = sys.argv[1]
docs = _docs(path, None)
gold = {}
if "tempeval" in path or "TimeBank" in path:
    from storyline.eval.timex import read_corpus, norm_value
    gold = {d.name: d.timexes for d in read_corpus(path)}
nlp = build_nlp(components=[])
rows = []
for (name, text, truth), doc in zip(docs, nlp.pipe(t for _, t, _ in docs)):
    recs = extract_timexes(text, None, doc)
    for i, r in enumerate(recs):
        r["id"] = str(i)
    t = date.fromisoformat(truth)
    est = estimate_window(recs)
    win = story_window(est, t - timedelta(days=60), t + timedelta(days=60)) if est else None
    row = {"name": name, "window": bool(win), "unresolved": sum(1 for r in recs if r.get("type") in ("DATE", "TIME") and r.get("value") is None),
           "resolved": 0, "same_as_true_date": 0, "gold_matched": 0, "gold_ok": 0, "contains": False, "width": None}
    if win:
        row["contains"] = win[0] <= t <= win[1]
        row["width"] = (win[1] - win[0]).days
        got = resolve_in_window(text, recs, win[0], win[1])
        ref = {(x["span"]["start"], x["span"]["end"]): x.get("value") for x in extract_timexes(text, truth, doc)}
        for rid, res in got.items():
            r = recs[int(rid)]
            s, e = r["span"]["start"], r["span"]["end"]
            row["resolved"] += 1
            row["same_as_true_date"] += res["value"] == ref.get((s, e))
            g = next((g for g in gold.get(name, []) if g["start"] < e and s < g["end"]), None)
            if g is not None:
                row["gold_matched"] += 1
                row["gold_ok"] += norm_value(g["value"]) == norm_value(res["value"])
            if "-v" in sys.argv:
                print(name, truth, win, r["text"], res["value"], ref.get((s, e)), g and g["value"])
    rows.append(row)



def agg(rs):
    w = [r for r in rs if r["window"]]

    def tot(k):
        return sum(r[k] for r in rs)
    return {"documents": len(rs), "windows_with_year": len(w), "window_holds_date": sum(r["contains"] for r in w),
            "mean_width": round(sum(r["width"] for r in w) / len(w), 1) if w else None,
            "unresolved_in_windowed_docs": sum(r["unresolved"] for r in w),
            "resolved": tot("resolved"), "same_as_true_date": tot("same_as_true_date"),
            "gold_matched": tot("gold_matched"), "gold_value_ok": tot("gold_ok")}


print(json.dumps({"tune": agg(rows[0::2]), "validation": agg(rows[1::2]), "all": agg(rows)}, indent=1))
