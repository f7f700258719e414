"""The `entities` export section: canonical actors across the corpus
(storyline/link/actors.py) with aliases, roles, actor type, affiliation and every mention.

A country named through its government or military ("Paris said", "French troops") is one
entity with `facets: [{sector, name, surface_forms, articles, mentions}]` (CAMEO's FRAGOV /
FRAMIL beside FRA), and those mentions carry `facet`; `facets` is [] for other actors.
"""
from __future__ import annotations

from ..link.actors import stored_entities

FIELDS = ("id", "name", "type", "actor_type", "affiliation", "aliases", "surface_forms", "roles",
          "articles", "mentions", "facets")


def export_entities(store) -> list[dict]:
    out = []
    for e in stored_entities(store):
        row = {k: e.get(k) for k in FIELDS}
        for k in ("aliases", "surface_forms", "roles", "articles", "mentions", "facets"):
            row[k] = row[k] or []
        row["mentions"] = [{"article": m["article"], "span": m["span"], "form": m.get("form"),
                            **({"facet": m["facet"]} if m.get("facet") else {})} for m in row["mentions"]]
        out.append(row)
    return out
