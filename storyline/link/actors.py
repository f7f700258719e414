"""Corpus linker: canonical actors across articles, and the resolver that maps a span in
an article (a quote's speaker, an event's actor) to its canonical entity.

The merge (storyline/actors/merge.py) reads only the per-article `actors` records, never
the text, so re-running it after new articles arrive costs one pass over those records;
entity ids are hashes of the canonical key, so they stay stable across runs as long as the
evidence for an actor does not change.
"""
from __future__ import annotations

from typing import Callable, Optional

from ..actors.merge import facet_of, merge
from ..store.protocol import Store


def link_actors(store: Store) -> None:
    """Linker: merge every article's actors into canonical entities (all at once)."""
    records = list(store.records("actors"))
    entities, links = merge(records, store.stories.assignments())
    with store.transaction():
        store.actors.replace(entities, links)


def stored_entities(store: Store) -> list[dict]:
    return store.actors.entities()


def actor_resolver(store: Store) -> Callable[[str, int, int], Optional[dict]]:
    """A function `(article_id, start, end) -> {"entity": id, "name": canonical} | None`.

    A span resolves to the entity of the actor mention it overlaps most, people before
    organisations and places: a speaker span "Taliban spokesman Zabihullah Mujahid" or
    "Hanna Brisk, a spokeswoman for the Emergency Service" finds the person, not the
    group named in the role; "he" finds the pronoun mention when the actors component
    linked it."""
    names = store.actors.names()
    links = store.actors.links()
    spans: dict[str, list[tuple]] = {}
    for rec in store.records("actors"):
        eid = links.get((rec["article"], rec["local"]))
        if eid is None:
            continue
        person = rec.get("type") == "PERSON" or rec.get("actor_type") == "person"
        sector = facet_of(rec["key"])[1] if rec.get("key") else None
        for m in rec["mentions"]:
            spans.setdefault(rec["article"], []).append((m["span"]["start"], m["span"]["end"], eid, person, sector))
    for v in spans.values():
        v.sort()
    return make_resolver(spans, names)


def make_resolver(spans: dict, names: dict) -> Callable[[str, int, int], Optional[dict]]:
    """`spans`: article -> [(start, end, entity id[, is_person[, sector]])] sorted by start;
    `names`: id -> name. People rank before other actors, then the larger overlap wins. A
    mention of a country's sector ("Paris said") also gives `facet` ("government")."""

    def resolve(article: str, start: int, end: int) -> Optional[dict]:
        items = spans.get(article)
        if not items or end <= start:
            return None
        best, best_rank, sector = None, (False, 0), None
        for s, e, eid, *rest in items:
            if s >= end:
                break
            overlap = min(e, end) - max(s, start)
            rank = (bool(rest and rest[0]), overlap)
            if overlap > 0 and rank > best_rank:
                best, best_rank, sector = eid, rank, rest[1] if len(rest) > 1 else None
        if best is None:
            return None
        out = {"entity": best, "name": names.get(best, "")}
        if sector:
            out["facet"] = sector
        return out

    return resolve
