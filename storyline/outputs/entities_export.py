"""The `entities` export section: canonical actors across the corpus
(storyline/link/actors.py) with aliases, roles, actor type, affiliation and every mention.
"""
from __future__ import annotations

from ..link.actors import stored_entities

FIELDS = ("id", "name", "type", "actor_type", "affiliation", "aliases", "surface_forms", "roles",
          "articles", "mentions")


def export_entities(store) -> list[dict]:
    out = []
    for e in stored_entities(store):
        row = {k: e.get(k) for k in FIELDS}
        for k in ("aliases", "surface_forms", "roles", "articles", "mentions"):
            row[k] = row[k] or []
        row["mentions"] = [{"article": m["article"], "span": m["span"], "form": m.get("form")}
                           for m in row["mentions"]]
        out.append(row)
    return out
