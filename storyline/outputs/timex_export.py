"""The `timexes` export section: every time expression with its span and resolution."""
from __future__ import annotations


TIMEX_KEYS = ("id", "article", "text", "span", "type", "value", "precision", "anchor")
OPTIONAL_KEYS = ("mod", "note", "quant", "basis")


def export_timexes(store) -> list[dict]:
    out = []
    for r in store.records("timexes"):
        row = {k: r.get(k) for k in TIMEX_KEYS}
        row["anchor"] = row["anchor"] or "none"
        row.update({k: r[k] for k in OPTIONAL_KEYS if r.get(k)})
        out.append(row)
    return out
