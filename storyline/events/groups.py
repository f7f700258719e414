"""Event groups across articles: the same happening reported by several articles of a story is
one group, with the number of independent sources behind it.

Two events are the same happening when they have the same PLOVER type, the same polarity
(negated, hypothetical), compatible dates (equal, one a prefix of the other, or one unknown)
and actors that match by name (equal after normalisation, or one name's words contained in the
other's: "Turkey" / "Turkey's defence ministry") and recipients that match the same way or are
missing on one side. Events of one article never merge with each other unless they match too.
"""
from __future__ import annotations

import hashlib
import re

from scipy.cluster.hierarchy import DisjointSet

_WORD = re.compile(r"[a-z0-9]+")
_STOP = {"the", "a", "an", "of", "s", "and", "its", "their", "his", "her"}


def _names(party) -> set[str]:
    if not party:
        return set()
    name = party.get("name") or party.get("text") or ""
    return {w for w in _WORD.findall(name.lower()) if w not in _STOP}


def _party_match(a, b, required: bool) -> bool:
    na, nb = _names(a), _names(b)
    if not na or not nb:
        return not required or (not na and not nb)
    ea, eb = (a or {}).get("entity"), (b or {}).get("entity")
    if ea and eb:
        return ea == eb
    return na <= nb or nb <= na


def _dates_ok(a, b) -> bool:
    if not a or not b:
        return True
    a, b = str(a), str(b)
    return a.startswith(b) or b.startswith(a)


def same_happening(a: dict, b: dict) -> bool:
    return (a.get("type") == b.get("type")
            and bool(a.get("negated")) == bool(b.get("negated"))
            and bool(a.get("hypothetical")) == bool(b.get("hypothetical"))
            and _dates_ok(a.get("date"), b.get("date"))
            and _party_match(a.get("actor"), b.get("actor"), required=True)
            and _party_match(a.get("recipient"), b.get("recipient"), required=False))


def group_events(events: list[dict], articles: list[dict]) -> list[dict]:
    """Groups of events (each with `article` and `id`) over the articles of a story.

    `articles`: records with `id`, `source` (outlet) and `duplicate_of`. Returns groups with
    `id` ("eg" + hash of member ids), `type`, `events[]` (ids), `articles[]`, and
    `independent_sources`: outlets among the articles that are not duplicates of another,
    each outlet counted once (an article without an outlet counts as its own source)."""
    arts = {a["id"]: a for a in articles}
    n = len(events)
    sets = DisjointSet(range(n))
    # dates known in each group (by root): an undated event must not bridge two conflicting dates
    dates = {i: {str(e["date"])} if e.get("date") else set() for i, e in enumerate(events)}
    for i in range(n):
        for j in range(i + 1, n):
            if same_happening(events[i], events[j]):
                ri, rj = sets[i], sets[j]
                if ri != rj and all(_dates_ok(a, b) for a in dates[ri] for b in dates[rj]):
                    sets.merge(ri, rj)
                    dates[sets[ri]] = dates.pop(ri) | dates.pop(rj)
    members: dict[int, list[int]] = {}
    for i in range(n):
        members.setdefault(sets[i], []).append(i)
    groups = []
    for idx in members.values():
        evs = [events[i] for i in idx]
        art_ids = sorted({e["article"] for e in evs if e.get("article") is not None})
        sources = set()
        for aid in art_ids:
            a = arts.get(aid, {"id": aid})
            if a.get("duplicate_of"):
                continue
            sources.add((a.get("source") or "").strip().lower() or f"article:{aid}")
        ids = [str(e.get("id", i)) for e, i in zip(evs, idx)]
        gid = "eg" + hashlib.sha1("|".join(sorted(ids)).encode()).hexdigest()[:12]
        best = max(evs, key=lambda e: e.get("confidence") or 0)
        groups.append({"id": gid, "type": best.get("type"), "events": ids, "articles": art_ids,
                       "independent_sources": len(sources),
                       "actor": best.get("actor"), "recipient": best.get("recipient"),
                       "date": next((e.get("date") for e in evs if e.get("date")), None),
                       "confidence": max((e.get("confidence") or 0) for e in evs)})
    groups.sort(key=lambda g: (-len(g["articles"]), g["id"]))
    return groups
