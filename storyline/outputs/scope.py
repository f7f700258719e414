"""A store seen through a set of articles, so the export builders make one page's data.

`build_export(ScopedStore(store, ids))` runs the same registered section builders as the
full export, but every read they make (`articles()`, `records(kind)`, the actors, stories
and groups repositories) is limited to those articles through the store's indexed
`browse` lookups. The web UI builds a story, entity or article page this way: the records
it shows are exactly the exported ones, and a page costs the same on a large corpus as on a
small one. Anything the builders ask that is not scoped here goes to the real store.
Read-only: writing through a scoped store is an error.
"""
from __future__ import annotations

from typing import Iterable, Iterator, Optional

from ..store.protocol import Store


class _ScopedActors:
    def __init__(self, scope: "ScopedStore"):
        self._scope = scope
        self._links: Optional[dict] = None
        self._entities: Optional[list] = None

    def links(self) -> dict[tuple[str, str], str]:
        if self._links is None:
            self._links = self._scope._store.browse.entity_links(self._scope.ids)
        return self._links

    def entities(self) -> list[dict]:
        """The entities named in the scope, each with the `articles` and `mentions` of the
        scope only (from the scope's `actors` records), so a page never reads an entity's
        corpus-wide lists."""
        if self._entities is None:
            links = self.links()
            ents = self._scope._store.browse.entities(sorted(set(links.values())))
            articles: dict[str, list] = {e["id"]: [] for e in ents}
            mentions: dict[str, list] = {e["id"]: [] for e in ents}
            for rec in self._scope.records("actors"):
                eid = links.get((rec["article"], rec.get("local")))
                if eid not in articles:
                    continue
                if rec["article"] not in articles[eid]:
                    articles[eid].append(rec["article"])
                mentions[eid] += [dict(m, article=rec["article"]) for m in rec.get("mentions") or []]
            self._entities = [dict(e, articles=articles[e["id"]], mentions=mentions[e["id"]]) for e in ents]
        return self._entities

    def names(self) -> dict[str, str]:
        return {e["id"]: e["name"] for e in self.entities()}

    def replace(self, *_args, **_kw):
        raise TypeError("a scoped store is read-only")


class _ScopedStories:
    def __init__(self, scope: "ScopedStore"):
        self._scope = scope

    def assignments(self) -> dict[str, Optional[str]]:
        return {a["id"]: a.get("story") for a in self._scope.articles()}

    def story_of(self, article_id: str) -> Optional[str]:
        return self.assignments().get(article_id)

    def listing(self) -> list[dict]:
        out = []
        idset = set(self._scope.ids)
        for sid in self._scope.story_ids():
            st = self._scope._store.browse.story(sid)
            if st:
                st["articles"] = [a for a in st["articles"] if a in idset]
                out.append(st)
        return out

    def count(self) -> int:
        return len(self._scope.story_ids())


class _ScopedGroups:
    def __init__(self, scope: "ScopedStore"):
        self._scope = scope

    def list(self, kind: str, story: Optional[str] = None) -> list[dict]:
        stories = [story] if story is not None else self._scope.story_ids()
        return self._scope._store.browse.groups(kind, stories)

    def replace(self, *_args, **_kw):
        raise TypeError("a scoped store is read-only")


class _ScopedBrowse:
    """The store's `browse`, with `records` of the scope's articles served from the scope's
    cache (the `stories` section's summary reads them again)."""

    def __init__(self, scope: "ScopedStore"):
        self._scope = scope

    def records(self, kind: str, article_ids: Iterable[str]) -> list[dict]:
        ids = list(article_ids)
        if set(ids) <= set(self._scope.ids):
            wanted = set(ids)
            return [r for r in self._scope.records(kind) if r["article"] in wanted]
        return self._scope._store.browse.records(kind, ids)

    def articles(self, ids: Iterable[str]) -> list[dict]:
        ids = list(ids)
        if set(ids) <= set(self._scope.ids):
            wanted = set(ids)
            return [dict(a) for a in self._scope._articles if a["id"] in wanted]
        return self._scope._store.browse.articles(ids)

    def __getattr__(self, name):
        return getattr(self._scope._store.browse, name)


class ScopedStore:
    """`store` limited to the articles `article_ids` (in order of arrival)."""

    def __init__(self, store: Store, article_ids: Iterable[str]):
        self._store = store
        self._articles = store.browse.articles(article_ids)
        self.ids = [a["id"] for a in self._articles]
        self._records: dict[str, list[dict]] = {}
        self.actors = _ScopedActors(self)
        self.stories = _ScopedStories(self)
        self.groups = _ScopedGroups(self)
        self.browse = _ScopedBrowse(self)
        self.path = store.path
        self.version = store.version

    def story_ids(self) -> list[str]:
        return list(dict.fromkeys(a["story"] for a in self._articles if a.get("story")))

    def articles(self) -> Iterator[dict]:
        return iter([dict(a) for a in self._articles])

    def article(self, article_id: str) -> Optional[dict]:
        return self._store.article(article_id)

    def records(self, kind: str, article: Optional[str] = None) -> Iterator[dict]:
        if kind not in self._records:
            self._records[kind] = self._store.browse.records(kind, self.ids)
        rows = self._records[kind]
        return iter([dict(r) for r in rows if article is None or r["article"] == article])

    def transaction(self):
        raise TypeError("a scoped store is read-only")

    def save_article(self, *_args, **_kw):
        raise TypeError("a scoped store is read-only")

    def __getattr__(self, name):  # anything else: the real store
        return getattr(self._store, name)


def scoped_export(store: Store, article_ids: Iterable[str], sections: Optional[Iterable[str]] = None) -> dict:
    """The export of these articles only: the full `build_export` (all sections) when
    `sections` is None, else only the named sections (the rest empty)."""
    from ..registry import resolve, section_builders
    from .export import SCHEMA, build_export, export_articles

    scoped = ScopedStore(store, article_ids)
    if sections is None:
        return build_export(scoped)
    builders = section_builders()
    data: dict = {"schema": SCHEMA, "articles": export_articles(scoped)}
    for name in builders:
        data[name] = resolve(builders[name])(scoped) if name in set(sections) else []
    for name in ("entities", "quotes", "timexes", "claims", "claim_groups", "events", "stories"):
        data.setdefault(name, [])
    return data
