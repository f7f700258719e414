"""Event groups: the same happening reported by several articles of a story is one group
with its independent-source count (storyline/events/groups.py decides what is the same).
Actors and recipients are first resolved to the corpus's canonical entities, so "Ankara"
and "Turkey" in two reports are one party.

Incremental, like claim groups: only the stories that gained an article, whose lineage
moved, or one of whose articles' canonical actors moved (noted by the actors linker) are
regrouped; the first run, a run after `relink`, and a run where some article has no story
group every story at once. The articles noted for it (story merges, moved actors) are passed
on to the briefing linker, which has no other way to know them; a regrouping of everything
sends the briefing linker over everything too."""
from __future__ import annotations

from typing import Callable, Iterable, Optional

from ..events.extract import DEFAULT_THRESHOLD
from ..events.groups import group_events
from ..store.protocol import Store
from .actors import actor_resolver
from .briefing import LINKER as BRIEFING
from .claims import dirty_stories, save_regrouped, with_originals

GROUP_KIND = "event"
LINKER = "events"


def resolved_events(store: Store, min_confidence: float = DEFAULT_THRESHOLD,
                    articles: Optional[Iterable[str]] = None) -> list[dict]:
    """Stored events (of `articles`, else of every article) at or above `min_confidence`,
    actor and recipient as `{entity, name, text, span}` where the actors linker knows the
    entity."""
    if articles is None:
        resolve, events = actor_resolver(store), store.records("events")
    else:
        ids = list(dict.fromkeys(articles))
        resolve, events = actor_resolver(store, ids), iter(store.browse.records("events", ids))
    return [_resolve_parties(e, resolve) for e in events if (e.get("confidence") or 0) >= min_confidence]


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


def link_events(store: Store) -> dict:
    """Linker: regroup the events of the stories that changed since the last run. Returns
    counts: `articles` (arrived), `stories` (regrouped; None when all were) and `events`
    (events read)."""
    last = store.link_state.last_seq(LINKER)
    arrived = store.link_state.arrivals(last)
    moved = store.link_state.changed(LINKER)
    if not arrived and not moved:
        return {"articles": 0, "stories": 0, "events": 0}
    stories = dirty_stories(store, [a for a, _ in arrived], moved) if last else None
    if stories is None:
        arts = [{k: a.get(k) for k in ("id", "source", "duplicate_of", "story")} for a in store.articles()]
        events = resolved_events(store)
    else:
        members = [a for ids in store.stories.members(stories).values() for a in ids]
        arts = [{k: a.get(k) for k in ("id", "source", "duplicate_of", "story")} for a in with_originals(store, members)]
        events = resolved_events(store, articles=members)
    groups = _group(events, {str(a["id"]): a for a in arts})
    # the briefing linker (after this one) hears of the articles whose actors or story moved
    save_regrouped(store, GROUP_KIND, LINKER, stories, groups, arrived, moved, downstream=BRIEFING)
    return {"articles": len(arrived), "stories": None if stories is None else len(stories), "events": len(events)}


def _group(events: list[dict], articles: dict[str, dict]) -> list[dict]:
    by_story: dict[str, list[dict]] = {}
    for ev in events:
        story = (articles.get(ev["article"]) or {}).get("story") or f"article:{ev['article']}"
        by_story.setdefault(story, []).append(ev)
    groups = []
    for story, evs in by_story.items():
        members = [articles[a] for a in {e["article"] for e in evs} if a in articles]
        for g in group_events(evs, members):
            g["story"] = None if story.startswith("article:") else story
            groups.append(g)
    return groups
