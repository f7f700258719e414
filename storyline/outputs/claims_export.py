"""The `claims` and `claim_groups` export sections: every figure and deadline with its parts
and spans, and the groups that say which independent sources agree, conflict or update it."""
from __future__ import annotations

from ..link.claims import GROUP_KIND
from ..store.protocol import Store

CLAIM_KEYS = ("id", "article", "kind", "text", "span", "value", "qualifier", "qualifier_text", "unit",
              "unit_normalised", "subject", "attributed_to", "date")


def export_claims(store: Store) -> list[dict]:
    group_of = {cid: g["id"] for g in store.groups.list(GROUP_KIND) for cid in g.get("claims", [])}
    out = []
    for rec in store.records("claims"):
        row = {k: rec.get(k) for k in CLAIM_KEYS}
        row.update({k: v for k, v in rec.items() if k not in row})
        row["group"] = group_of.get(rec["id"])
        out.append(row)
    return out


def export_claim_groups(store: Store) -> list[dict]:
    return store.groups.list(GROUP_KIND)
