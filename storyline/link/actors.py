"""Corpus linker: canonical actors across articles, and the resolver that maps a span in
an article (a quote's speaker, an event's actor) to its canonical entity.

The merge (storyline/actors/merge.py) reads only the per-article `actors` records, never
the text. It is incremental: the records of the articles that arrived since the last run
are merged together with the stored records they can meet (`merge.touch_keys`, indexed in
the store: every record sharing a key with them, then every record sharing a key with
those, until nothing new is reached), and only the entities of those records are
rewritten. Records that share no key with what arrived are not read. The result is the
merge over the whole corpus restricted to those records, so a run over batches ends with
the entities a `relink` computes at once (tests/test_incremental_linking.py). An actor
mentioned in many articles (a country) is re-merged whole whenever a new article mentions
it: the cost is the size of the actors that arrived, not of the corpus.

Entity ids are hashes of the canonical key, so they stay stable across runs as long as the
evidence for an actor does not change. Articles whose entity (or entity name) moved are
noted for the event groups (`store.link_state.mark_changed("events", ...)`). Articles
another linker noted for this one (`changed("actors")`: a story merge moved them, and the
surname rules read stories) are merged again like new ones.
"""
from __future__ import annotations

from typing import Callable, Iterable, Optional

from ..actors.merge import facet_of, merge, touch_keys
from ..store.protocol import Store

LINKER = "actors"


def link_actors(store: Store) -> dict:
    """Linker: merge the actors of the articles that arrived since the last run into the
    canonical entities. Returns counts of the work done: `articles` (arrived), `records`
    (actor records merged: the arrived ones and the stored ones they reach), `entities`
    (entities written) and `changed` (articles whose entity links moved)."""
    arrived = store.link_state.arrivals(store.link_state.last_seq(LINKER))
    moved = store.link_state.changed(LINKER)  # articles another linker moved (a story merge)
    stats = {"articles": len(arrived), "records": 0, "entities": 0, "changed": 0}
    if not arrived and not moved:
        return stats
    seeds = [*(a for a, _ in arrived), *moved]
    new = {(r["article"], r["local"]): r for r in store.browse.records("actors", seeds) if r.get("mentions")}
    recs = dict(new)
    seen: set[str] = set()
    frontier = set().union(*(touch_keys(r) for r in new.values())) if new else set()
    while frontier:
        seen |= frontier
        reach = store.actors.holders(frontier) - recs.keys()
        if not reach:
            break
        found = [r for r in store.browse.records("actors", {a for a, _ in reach}) if (r["article"], r["local"]) in reach]
        recs.update(((r["article"], r["local"]), r) for r in found)
        frontier = set().union(*(touch_keys(r) for r in found)) - seen if found else set()
    placed = store.stories.placed({a for a, _ in recs})
    ordered = sorted(recs.values(), key=lambda r: (placed[r["article"]][0], _start(r), r["id"]))
    entities, links = merge(ordered, {a: sid for a, (_seq, sid) in placed.items()})
    old_links = {k: v for k, v in store.browse.entity_links({a for a, _ in recs}).items() if k in recs}
    old_names = {e["id"]: e["name"] for e in store.browse.entities(set(old_links.values()), full=False)}
    new_names = {e["id"]: e["name"] for e in entities}
    changed = {a for (a, loc), eid in links.items()
               if old_links.get((a, loc)) != eid or old_names.get(eid) != new_names.get(eid)}
    changed -= {a for a, _ in arrived}
    with store.transaction():
        store.actors.update(set(old_links.values()), entities, links)
        store.actors.index_keys((k, a, loc) for (a, loc), r in new.items() for k in touch_keys(r))
        if changed:
            store.link_state.mark_changed("events", changed)
        store.link_state.clear_changed(LINKER)
        if arrived:
            store.link_state.set_last_seq(LINKER, arrived[-1][1])
    stats.update(records=len(recs), entities=len(entities), changed=len(changed))
    return stats


def _start(rec: dict) -> int:
    start = (rec.get("span") or {}).get("start")
    return -1 if start is None else start


def stored_entities(store: Store) -> list[dict]:
    return store.actors.entities()


def actor_resolver(store: Store, articles: Optional[Iterable[str]] = None) -> Callable[[str, int, int], Optional[dict]]:
    """A function `(article_id, start, end) -> {"entity": id, "name": canonical} | None`.

    A span resolves to the entity of the actor mention it overlaps most, people before
    organisations and places: a speaker span "Taliban spokesman Zabihullah Mujahid" or
    "Hanna Brisk, a spokeswoman for the Emergency Service" finds the person, not the
    group named in the role; "he" finds the pronoun mention when the actors component
    linked it. With `articles`, only spans in those articles resolve (and only their
    actors are read)."""
    if articles is None:
        names = store.actors.names()
        links = store.actors.links()
        recs: Iterable[dict] = store.records("actors")
    else:
        ids = list(dict.fromkeys(articles))
        links = store.browse.entity_links(ids)
        names = {e["id"]: e["name"] for e in store.browse.entities(set(links.values()), full=False)}
        recs = store.browse.records("actors", ids)
    spans: dict[str, list[tuple]] = {}
    for rec in recs:
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
