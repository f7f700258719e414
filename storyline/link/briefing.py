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
READ_ARTICLES = 256  # stories read together up to about this many articles (memory bound)
_KINDS = ("quotes", "claims", "events", "timexes", "actors")  # the records a summary and a timeline read
_GROUP_KINDS = ("claim", "event")


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
        briefs = []
        for part in _read_parts(dirty[i:i + BATCH], members):
            reads = StoryReads(store, {sid: [a for a, _ in members[sid]] for sid in part})
            briefs += [brief(reads, sid, [a for a, _ in members[sid]], fps[sid]) for sid in part]
        with store.transaction():
            store.briefs.save(briefs)


def _read_parts(stories: list[str], members: dict) -> list[list[str]]:
    """`stories` cut into runs of about `READ_ARTICLES` articles (a larger story alone)."""
    parts: list[list[str]] = []
    size = READ_ARTICLES
    for sid in stories:
        n = len(members[sid])
        if size + n > READ_ARTICLES:
            parts.append([])
            size = 0
        parts[-1].append(sid)
        size += n
    return parts


class StoryReads:
    """What the briefs of some stories read (`outputs.summary.story_summary` through
    `.browse`, `timeline.build_timeline` through `article` and `records`), read from the
    store once for all of them: one query per kind instead of one per story (summary) and
    per article and kind (timeline), each record decoded once. Every answer is the store's
    own for the same question, in the same order (a subset of one ordered read keeps its
    order), so the briefs are the same as over the store. Read-only; the records are shared
    between the two readers, which copy what they change."""

    def __init__(self, store: Store, stories: dict[str, list[str]]):
        ids = list(dict.fromkeys(a for ms in stories.values() for a in ms))
        b = store.browse
        self._store = store
        self._arts = b.articles(ids)
        self._by_id = {a["id"]: a for a in self._arts}
        self._pos = {a["id"]: i for i, a in enumerate(self._arts)}
        self._of_article: dict[str, dict[str, list[dict]]] = {}  # kind -> article -> its records in order
        for kind in _KINDS:
            per: dict[str, list[dict]] = defaultdict(list)
            for r in b.records(kind, ids):
                per[r["article"]].append(r)
            self._of_article[kind] = per
        self._links: dict[str, dict] = defaultdict(dict)  # article -> its (article, local) -> entity
        for key, eid in b.entity_links(ids).items():
            self._links[key[0]][key] = eid
        story_ids = {a.get("story") for a in self._arts}
        self._stories = {s for s in story_ids if s}
        self._groups: dict[str, dict[str, list[dict]]] = {}  # kind -> story -> its groups in the store's order
        for kind in _GROUP_KINDS:
            groups: dict[str, list[dict]] = defaultdict(list)
            for g in b.groups(kind, story_ids):
                groups[g.get("story")].append(g)
            self._groups[kind] = groups
        self.browse = _Browse(self)

    def ordered(self, ids: set) -> list[dict]:
        """These (read) articles in order of arrival; their records in that order are the
        store's order (by arrival, then position)."""
        return sorted((self._by_id[a] for a in ids), key=lambda a: self._pos[a["id"]])

    def article(self, article_id: str) -> Optional[dict]:
        if article_id in self._by_id:
            return self._by_id[article_id]
        return self._store.article(article_id)

    def records(self, kind: str, article: Optional[str] = None):
        if kind in self._of_article and article is not None and article in self._by_id:
            return iter(self._of_article[kind].get(article, []))
        return self._store.records(kind, article)


class _Browse:
    """`store.browse` over a `StoryReads` (the calls `story_summary` makes)."""

    def __init__(self, reads: StoryReads):
        self._r = reads

    def articles(self, ids) -> list[dict]:
        want = set(ids)
        if not want <= self._r._by_id.keys():
            return self._r._store.browse.articles(ids)
        return self._r.ordered(want)

    def records(self, kind: str, article_ids) -> list[dict]:
        want = set(article_ids)
        if kind not in self._r._of_article or not want <= self._r._by_id.keys():
            return self._r._store.browse.records(kind, article_ids)
        per = self._r._of_article[kind]
        return [r for a in self._r.ordered(want) for r in per.get(a["id"], ())]

    def entity_links(self, article_ids) -> dict:
        want = set(article_ids)
        if not want <= self._r._by_id.keys():
            return self._r._store.browse.entity_links(article_ids)
        out: dict = {}
        for a in want:
            out.update(self._r._links.get(a, {}))
        return out

    def groups(self, kind: str, story_ids) -> list[dict]:
        want = list(dict.fromkeys(s for s in story_ids if s))
        if kind not in self._r._groups or not set(want) <= self._r._stories:
            return self._r._store.browse.groups(kind, story_ids)
        if len(want) == 1:
            return list(self._r._groups[kind].get(want[0], ()))
        return self._r._store.browse.groups(kind, want)  # not what a summary asks
