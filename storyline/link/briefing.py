"""Story briefings: each story's summary and timeline, computed once when the story changes
and stored (`store.briefs`), so the web UI's story page, the report and the export read them
instead of recomputing them on every request (about 100 ms a story).

Runs last, after the stories, actors, time, claims and events linkers, because a summary
rests on all of them. A story is recomputed when its *fingerprint* changes: the hash of its
member articles (in order of arrival), each member's original (`duplicate_of`, which decides
its independent source) and the canonical entity of each of its article-local actors (which
decides which mentions are one actor). Everything else a summary or timeline reads is fixed
per article (its text, its records) or follows from those (claim and event groups, story
dates). So after a batch only the stories that gained an article, or whose lineage or
actors moved, are recomputed; stories that left (a merge, a recluster) lose their brief.

Incremental: a run reads only those stories (the stories of the articles that arrived since
its `link_state` marker, of the articles now copies of one of them, and of the articles the
events linker passed on: a story merge moved them or their actors moved), compares their
fingerprints and recomputes the changed ones. A full pass, over every article's story, is
made when the marker is 0: the first run, after `relink_all` (which empties the table), and
whenever the events linker regrouped every story (after a recluster, or an article without a
story), which sets the marker back to 0.

Readers (`outputs.stories_export`) use a brief only when its `articles` are the story's
current members, and compute the summary otherwise, so a brief that a recluster or a
removal has outdated is never shown before this linker runs again.
"""
from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from typing import Optional

from ..store.protocol import Store
from .claims import dirty_stories

LINKER = "briefing"
BATCH = 50  # stories per transaction: a kill loses at most one batch, redone on the next run


def fingerprint(members: list[tuple[str, Optional[str]]], actor_links: dict[str, list]) -> str:
    """The state a story's brief rests on: [(article, duplicate_of)] in order of arrival and
    each article's sorted [(local actor id, entity id)]."""
    key = [[aid, dup, actor_links.get(aid, [])] for aid, dup in members]
    return hashlib.sha256(json.dumps(key, ensure_ascii=False).encode("utf-8")).hexdigest()[:32]


def brief(store: Store, story_id: str, article_ids: list[str], fp: str) -> dict:
    """The stored products of one story."""
    from ..outputs.summary import story_summary  # outputs imports link: import when run
    from .timeline import build_timeline

    return {"story": story_id, "fingerprint": fp, "articles": list(article_ids),
            "summary": story_summary(store, article_ids), "timeline": build_timeline(store, article_ids)}


def link_briefing(store: Store) -> None:
    """Linker: recompute the brief of every story whose fingerprint changed, reading only the
    stories that can have changed since the last run (see the module doc)."""
    last = store.link_state.last_seq(LINKER)
    if not last:
        _link_all(store)
        return
    arrived = store.link_state.arrivals(last)
    moved = store.link_state.changed(LINKER)
    if not arrived and not moved:
        return
    stories = dirty_stories(store, [a for a, _ in arrived], moved)
    if stories is None:  # an article without a story: look at everything
        _link_all(store)
        return
    rows = store.briefs.members_of(stories)
    members, fps = _fingerprints(rows, store.browse.entity_links([aid for aid, *_ in rows]))
    stored = store.briefs.fingerprints_of(fps)
    _save([sid for sid, fp in fps.items() if stored.get(sid) != fp], members, fps, store)
    with store.transaction():
        store.briefs.drop_orphans()  # a story merged into one of these
        store.link_state.clear_changed(LINKER)
        if arrived:
            store.link_state.set_last_seq(LINKER, arrived[-1][1])


def _link_all(store: Store) -> None:
    """Every story's fingerprint against its stored brief."""
    rows = store.briefs.members()
    top = rows[-1][1] if rows else 0
    members, fps = _fingerprints(rows, store.actors.links())
    stored = store.briefs.fingerprints()
    _save([sid for sid, fp in fps.items() if stored.get(sid) != fp], members, fps, store)
    with store.transaction():
        store.briefs.remove([sid for sid in stored if sid not in fps])
        store.link_state.clear_changed(LINKER)
        store.link_state.set_last_seq(LINKER, top)


def _fingerprints(rows, links: dict) -> tuple[dict[str, list[tuple[str, Optional[str]]]], dict[str, str]]:
    """story -> [(article, duplicate_of)] in order of arrival, and story -> fingerprint, from
    `briefs.members()` rows and the actor links of their articles."""
    members: dict[str, list[tuple[str, Optional[str]]]] = defaultdict(list)
    for aid, _seq, sid, dup in rows:
        if sid:
            members[sid].append((aid, dup))
    actor_links: dict[str, list] = defaultdict(list)
    for (aid, local), eid in links.items():
        actor_links[aid].append([local, eid])
    for pairs in actor_links.values():
        pairs.sort()
    return members, {sid: fingerprint(ms, actor_links) for sid, ms in members.items()}


def _save(dirty: list[str], members: dict, fps: dict[str, str], store: Store) -> None:
    for i in range(0, len(dirty), BATCH):
        briefs = [brief(store, sid, [a for a, _ in members[sid]], fps[sid]) for sid in dirty[i:i + BATCH]]
        with store.transaction():
            store.briefs.save(briefs)
