"""The `stories` export section: one object per story with its members, timeline, key
actors and the number of independent sources its articles rest on."""
from __future__ import annotations

from collections import Counter

from ..store.protocol import Store
from .summary import story_summary

ACTOR_LABELS = ("PERSON", "ORG", "NORP")
PLACE_LABELS = ("GPE",)
KEY_ACTORS = 5


def _timeline(store: Store, article_ids: list[str]) -> list:
    try:
        from ..link.timeline import build_timeline
    except ImportError:  # the timeline linker is not there yet
        return []
    return build_timeline(store, article_ids)


def _key_actors(by_article: dict, ids: list[str], fallback: list[str]) -> list[str]:
    """Names of the actors (people, organisations, groups) most of the story's articles
    mention; places only when there are too few actors."""
    counts: Counter = Counter()
    for aid in ids:
        counts.update(by_article.get(aid, ()))
    ranked = sorted(counts.items(), key=lambda kv: (kv[0][0], -kv[1], kv[0][1]))  # (is_place, name)
    return [name for (_, name), _ in ranked[:KEY_ACTORS]] or fallback


def _names_by_article(store: Store) -> dict:
    """article id -> {(is_place, name)}: the canonical entities of the actors linker when
    the store has them, else the raw NER mentions."""
    out: dict[str, set] = {}
    for e in store.actors.entities():
        typ = e.get("type")
        if typ not in ACTOR_LABELS and typ not in PLACE_LABELS:
            continue
        place = e.get("actor_type") == "place" or typ in PLACE_LABELS
        for aid in e.get("articles") or []:
            out.setdefault(aid, set()).add((place, e["name"]))
    if out:
        return out
    for m in store.records("mentions"):
        if m.get("text") and (m.get("label") in ACTOR_LABELS or m.get("label") in PLACE_LABELS):
            out.setdefault(m["article"], set()).add((m["label"] in PLACE_LABELS, m["text"]))
    return out


def export_stories(store: Store) -> list[dict]:
    """One object per story. The summary and timeline are the ones the briefing linker
    stored (storyline/link/briefing.py) when they were computed from the story's current
    articles; otherwise (no brief yet, or a recluster since) they are computed here."""
    from ..link.lineage import independent_sources
    from ..link.stories import stories

    by_article = _names_by_article(store)
    listing = stories(store)
    briefs = store.briefs.get([st["id"] for st in listing])
    out = []
    for st in listing:
        ids = st["articles"]
        brief = briefs.get(st["id"])
        if brief is None or brief.get("articles") != ids:
            brief = {"timeline": _timeline(store, ids), "summary": story_summary(store, ids)}
        out.append({
            "id": st["id"],
            "title": st["title"],
            "articles": ids,
            "timeline": brief["timeline"],
            "summary": brief["summary"],
            "independent_sources": independent_sources(store, ids),
            "key_actors": _key_actors(by_article, ids, st["key_actors"]),
        })
    return out
