"""Corpus linker: canonical actors across articles, and the resolver that maps a span in
an article (a quote's speaker, an event's actor) to its canonical entity.

The merge (storyline/actors/merge.py) reads only the per-article `actors` records, never
the text, so re-running it after new articles arrive costs one pass over those records;
entity ids are hashes of the canonical key, so they stay stable across runs as long as the
evidence for an actor does not change.
"""
from __future__ import annotations

import json
from typing import Callable, Optional

from ..actors.merge import merge


def link_actors(store) -> None:
    records = list(store.records("actors"))
    story_of = {a: s for a, s in store.conn.execute("SELECT id, story FROM articles")}
    entities, links = merge(records, story_of)
    conn = store.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute("DELETE FROM entity_links")
        conn.execute("DELETE FROM entities")
        conn.executemany("INSERT INTO entities (id, name, type, actor_type, data) VALUES (?,?,?,?,?)",
                         [(e["id"], e["name"], e["type"], e.get("actor_type"), json.dumps(e, ensure_ascii=False))
                          for e in entities])
        conn.executemany("INSERT OR REPLACE INTO entity_links (article, local, entity) VALUES (?,?,?)",
                         [(a, loc, eid) for (a, loc), eid in links.items()])
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def stored_entities(store) -> list[dict]:
    rows = store.conn.execute("SELECT data FROM entities ORDER BY rowid").fetchall()
    return [json.loads(r[0]) for r in rows]


def actor_resolver(store) -> Callable[[str, int, int], Optional[dict]]:
    """A function `(article_id, start, end) -> {"entity": id, "name": canonical} | None`.

    A span resolves to the entity of the actor mention it overlaps most, people before
    organisations and places: a speaker span "Taliban spokesman Zabihullah Mujahid" or
    "Hanna Brisk, a spokeswoman for the Emergency Service" finds the person, not the
    group named in the role; "he" finds the pronoun mention when the actors component
    linked it."""
    names = {r[0]: r[1] for r in store.conn.execute("SELECT id, name FROM entities")}
    links = {(a, loc): e for a, loc, e in store.conn.execute("SELECT article, local, entity FROM entity_links")}
    spans: dict[str, list[tuple[int, int, str]]] = {}
    for rec in store.records("actors"):
        eid = links.get((rec["article"], rec["local"]))
        if eid is None:
            continue
        person = rec.get("type") == "PERSON" or rec.get("actor_type") == "person"
        for m in rec["mentions"]:
            spans.setdefault(rec["article"], []).append((m["span"]["start"], m["span"]["end"], eid, person))
    for v in spans.values():
        v.sort()
    return make_resolver(spans, names)


def make_resolver(spans: dict, names: dict) -> Callable[[str, int, int], Optional[dict]]:
    """`spans`: article -> [(start, end, entity id[, is_person])] sorted by start;
    `names`: id -> name. People rank before other actors, then the larger overlap wins."""

    def resolve(article: str, start: int, end: int) -> Optional[dict]:
        items = spans.get(article)
        if not items or end <= start:
            return None
        best, best_rank = None, (False, 0)
        for s, e, eid, *rest in items:
            if s >= end:
                break
            overlap = min(e, end) - max(s, start)
            rank = (bool(rest and rest[0]), overlap)
            if overlap > 0 and rank > best_rank:
                best, best_rank = eid, rank
        if best is None:
            return None
        return {"entity": best, "name": names.get(best, "")}

    return resolve
