"""Event groups: the same happening reported by several articles of a story is one group
with its independent-source count (storyline/events/groups.py decides what is the same).
Actors and recipients are first resolved to the corpus's canonical entities, so "Ankara"
and "Turkey" in two reports are one party. Recomputed after each batch, like claim groups."""
from __future__ import annotations

from typing import Callable, Optional

from ..events.extract import DEFAULT_THRESHOLD
from ..events.groups import group_events
from ..store.protocol import Store
from .actors import actor_resolver

GROUP_KIND = "event"


def resolved_events(store: Store, min_confidence: float = DEFAULT_THRESHOLD) -> list[dict]:
    """Stored events at or above `min_confidence`, actor and recipient as `{entity, name,
    text, span}` where the actors linker knows the entity."""
    resolve = actor_resolver(store)
    return [_resolve_parties(e, resolve) for e in store.records("events")
            if (e.get("confidence") or 0) >= min_confidence]


def _resolve_parties(event: dict, resolve: Callable[[str, int, int], Optional[dict]]) -> dict:
    out = dict(event)
    for key in ("actor", "recipient"):
        party = event.get(key)
        if not party or not party.get("span"):
            continue
        found = resolve(event["article"], party["span"]["start"], party["span"]["end"])
        out[key] = {"entity": (found or {}).get("entity"), "name": (found or {}).get("name") or party.get("text"),
                    **party}
    return out


def link_events(store: Store) -> None:
    articles = {a["id"]: {"id": a["id"], "source": a.get("source"), "duplicate_of": a.get("duplicate_of"),
                          "story": a.get("story")} for a in store.articles()}
    by_story: dict[str, list[dict]] = {}
    for ev in resolved_events(store):
        story = (articles.get(ev["article"]) or {}).get("story") or f"article:{ev['article']}"
        by_story.setdefault(story, []).append(ev)
    groups = []
    for story, events in by_story.items():
        members = [articles[a] for a in {e["article"] for e in events} if a in articles]
        for g in group_events(events, members):
            g["story"] = None if story.startswith("article:") else story
            groups.append(g)
    with store.transaction():
        store.groups.replace(GROUP_KIND, groups)
