"""The corpus linkers' tables on SQLite, one repository per linker.

Each repository is reached as an attribute of `SQLiteStore` (`store.link_state`,
`store.duplicates`, `store.stories`, `store.actors`) and writes inside whatever
transaction the caller holds (`with store.transaction():`), so a linker saves an article's
links and its own progress together.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime, timezone
from typing import Optional

from .sqlite_errors import Connection


class _Repository:
    def __init__(self, conn: Connection):
        self.conn = conn


class LinkState(_Repository):
    """How far each incremental linker has got, by article `seq`."""

    def last_seq(self, linker: str) -> int:
        row = self.conn.execute("SELECT last_seq FROM link_state WHERE linker=?", (linker,)).fetchone()
        return row[0] if row else 0

    def set_last_seq(self, linker: str, seq: int) -> None:
        self.conn.execute("INSERT INTO link_state (linker, last_seq) VALUES (?, ?) "
                          "ON CONFLICT(linker) DO UPDATE SET last_seq=excluded.last_seq", (linker, seq))

    def arrivals(self, since: int) -> list[tuple[str, int]]:
        """(id, seq) of the articles that arrived after `seq`, in order of arrival."""
        return [(r[0], r[1]) for r in self.conn.execute("SELECT id, seq FROM articles WHERE seq > ? ORDER BY seq",
                                                        (since,)).fetchall()]

    def mark_changed(self, linker: str, article_ids: Iterable[str]) -> None:
        """Note articles whose links another linker changed, for `linker` to redo."""
        self.conn.executemany("INSERT OR IGNORE INTO link_changes (linker, article) VALUES (?, ?)",
                              [(linker, a) for a in dict.fromkeys(article_ids)])

    def changed(self, linker: str) -> list[str]:
        """The articles noted for `linker` (see `mark_changed`)."""
        return [r[0] for r in self.conn.execute("SELECT article FROM link_changes WHERE linker=? ORDER BY article",
                                                (linker,)).fetchall()]

    def clear_changed(self, linker: str) -> None:
        self.conn.execute("DELETE FROM link_changes WHERE linker=?", (linker,))


class DuplicateBands(_Repository):
    """LSH bands of the duplicates linker (`dup_bands`) and `articles.duplicate_of`."""

    def candidates(self, keys: Iterable[tuple[int, int]]) -> set[str]:
        """Articles sharing at least one (band, hash) key."""
        keys = list(keys)
        if not keys:
            return set()
        # one statement, each branch a primary-key search (a row-value IN list scans instead)
        sql = " UNION ".join(["SELECT article FROM dup_bands WHERE band=? AND hash=?"] * len(keys))
        args = [x for k in keys for x in k]
        return {r[0] for r in self.conn.execute(sql, args)}

    def add(self, article_id: str, keys: Iterable[tuple[int, int]]) -> None:
        self.conn.executemany("INSERT OR IGNORE INTO dup_bands (band, hash, article) VALUES (?,?,?)",
                              [(b, h, article_id) for b, h in keys])

    def root_of(self, article_id: str) -> Optional[str]:
        """The original of the article's duplicate group (itself when it is one); None when
        the article is not stored."""
        row = self.conn.execute("SELECT duplicate_of FROM articles WHERE id=?", (article_id,)).fetchone()
        return None if row is None else (row[0] or article_id)

    def set_duplicate_of(self, article_id: str, root_id: Optional[str]) -> None:
        self.conn.execute("UPDATE articles SET duplicate_of=? WHERE id=?", (root_id, article_id))

    def copies_of(self, article_ids: Iterable[str]) -> list[str]:
        """Articles whose original (`duplicate_of`) is one of these."""
        from .sqlite_search import _chunks

        out: list[str] = []
        for part in _chunks(list(dict.fromkeys(article_ids))):
            out += [r[0] for r in self.conn.execute(
                f"SELECT id FROM articles WHERE duplicate_of IN ({','.join('?' * len(part))})", part)]
        return out

    def make_root(self, article_id: str, old_root: str) -> None:
        """The article becomes the original of `old_root`'s group: every member, and the
        old root itself, point at it."""
        self.conn.execute("UPDATE articles SET duplicate_of=? WHERE duplicate_of=?", (article_id, old_root))
        self.conn.execute("UPDATE articles SET duplicate_of=? WHERE id=?", (article_id, old_root))
        self.conn.execute("UPDATE articles SET duplicate_of=NULL WHERE id=?", (article_id,))


class StoryState(_Repository):
    """The stories linker: stories with their clusterer state, term document frequencies
    (`term_df`) and `articles.story`."""

    def term_df(self) -> dict[str, int]:
        return {term: df for term, df in self.conn.execute("SELECT term, df FROM term_df")}

    def count_terms(self, terms: Iterable[str]) -> None:
        """Add one document to the frequency of each term."""
        self.conn.executemany("INSERT INTO term_df (term, df) VALUES (?, 1) "
                              "ON CONFLICT(term) DO UPDATE SET df = df + 1", [(t,) for t in terms])

    def recent(self, limit: int) -> list[tuple[str, int, dict]]:
        """(id, size, state) of the `limit` most recently updated stories, latest first."""
        rows = self.conn.execute("SELECT id, size, state FROM stories ORDER BY updated_at DESC, seq DESC LIMIT ?",
                                 (limit,)).fetchall()
        return [(sid, size, json.loads(state)) for sid, size, state in rows]

    def save(self, story_id: str, title: Optional[str], size: int, state: dict, key_actors: list[str],
             created: bool) -> None:
        """Insert a new story (`created`) or update a stored one."""
        now = datetime.now(timezone.utc).isoformat(timespec="microseconds")
        state_json = json.dumps(state, ensure_ascii=False)
        actors = json.dumps(key_actors, ensure_ascii=False)
        if created:
            seq = self.conn.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM stories").fetchone()[0]
            self.conn.execute("INSERT INTO stories (id, seq, title, size, state, key_actors, updated_at) "
                              "VALUES (?,?,?,?,?,?,?)", (story_id, seq, title, size, state_json, actors, now))
        else:
            self.conn.execute("UPDATE stories SET title=?, size=?, state=?, key_actors=?, updated_at=? WHERE id=?",
                              (title, size, state_json, actors, now, story_id))

    def story_of(self, article_id: str) -> Optional[str]:
        row = self.conn.execute("SELECT story FROM articles WHERE id=?", (article_id,)).fetchone()
        return row[0] if row else None

    def set_story(self, article_id: str, story_id: Optional[str]) -> None:
        self.conn.execute("UPDATE articles SET story=? WHERE id=?", (story_id, article_id))

    def placed(self, article_ids: Iterable[str]) -> dict[str, tuple[int, Optional[str]]]:
        """article id -> (seq, story) for these articles (the stored ones)."""
        from .sqlite_search import _chunks

        out = {}
        for part in _chunks(list(dict.fromkeys(article_ids))):
            for aid, seq, sid in self.conn.execute(
                    f"SELECT id, seq, story FROM articles WHERE id IN ({','.join('?' * len(part))})", part):
                out[aid] = (seq, sid)
        return out

    def members(self, story_ids: Iterable[str]) -> dict[str, list[str]]:
        """story id -> its articles in order of arrival, for these stories."""
        from .sqlite_search import _chunks

        out: dict[str, list[str]] = {}
        for part in _chunks(list(dict.fromkeys(story_ids))):
            rows = self.conn.execute(f"SELECT story, id, seq FROM articles WHERE story IN ({','.join('?' * len(part))})",
                                     part).fetchall()
            for sid, aid, _seq in sorted(rows, key=lambda r: r[2]):
                out.setdefault(sid, []).append(aid)
        return out

    def assignments(self) -> dict[str, Optional[str]]:
        """Every stored article's story (None when it has none yet)."""
        return {aid: sid for aid, sid in self.conn.execute("SELECT id, story FROM articles")}

    def listing(self) -> list[dict]:
        """Stored stories in order of creation: {id, title, articles, key_actors}; members in
        order of arrival, stories without members left out."""
        members: dict[str, list[str]] = {}
        for aid, sid in self.conn.execute("SELECT id, story FROM articles WHERE story IS NOT NULL ORDER BY seq"):
            members.setdefault(sid, []).append(aid)
        out = []
        for sid, title, actors in self.conn.execute("SELECT id, title, key_actors FROM stories ORDER BY seq"):
            if members.get(sid):
                out.append({"id": sid, "title": title, "articles": members[sid],
                            "key_actors": json.loads(actors or "[]")})
        return out

    def count(self) -> int:
        return self.conn.execute("SELECT COUNT(*) FROM stories").fetchone()[0]

    def clear(self) -> None:
        """Forget every story, the term counts and each article's story."""
        self.conn.execute("DELETE FROM stories")
        self.conn.execute("DELETE FROM term_df")
        self.conn.execute("UPDATE articles SET story=NULL")


class ActorTables(_Repository):
    """The actors linker: canonical entities and which article-local actor is which.

    An entity row holds the entity without its `mentions` and `articles` (`data`, `light`)
    and the summary it is computed from (`summary`, migration 8); `entities()` assembles
    the mentions from `entity_links` and the `actors` records. Rows written before
    migration 8 hold their mentions and no summary."""

    def replace(self, entities: list[dict], links: dict[tuple[str, str], str],
                summaries: Optional[dict] = None) -> None:
        """Replace every entity and link; `links`: (article, local id) -> entity id."""
        self.conn.execute("DELETE FROM entity_links")
        self.conn.execute("DELETE FROM entities")
        self._insert(entities, links, summaries or {})

    def update(self, removed: Iterable[str], entities: list[dict], links: dict[tuple[str, str], str],
               summaries: Optional[dict] = None) -> None:
        """Replace some entities: delete `removed` (and any stored entity with the id of a new
        one), insert `entities`, and point each (article, local) of `links` at its entity.
        `summaries`: entity id -> its summary."""
        from .sqlite_search import _chunks

        gone = list(dict.fromkeys([*removed, *(e["id"] for e in entities)]))
        for part in _chunks(gone):
            marks = ",".join("?" * len(part))
            self.conn.execute(f"DELETE FROM entity_links WHERE entity IN ({marks})", part)
            self.conn.execute(f"DELETE FROM entities WHERE id IN ({marks})", part)
        self._insert(entities, links, summaries or {})

    def amend(self, entities: list[dict], links: dict[tuple[str, str], str], summaries: dict) -> None:
        """Rewrite stored entities in place (their links stay; a new id is inserted) and add
        links: an article joining an actor it names, the actor's other rows untouched."""
        from .sqlite_search import _chunks

        ids = [e["id"] for e in entities]
        have: set[str] = set()
        for part in _chunks(ids):
            have.update(r[0] for r in self.conn.execute(
                f"SELECT id FROM entities WHERE id IN ({','.join('?' * len(part))})", part))
        rows = [self._row(e, summaries) for e in entities]
        self.conn.executemany("UPDATE entities SET name=?, type=?, actor_type=?, data=?, light=?, summary=? WHERE id=?",
                              [(*r[1:], r[0]) for r in rows if r[0] in have])
        self.conn.executemany("INSERT INTO entities (id, name, type, actor_type, data, light, summary) "
                              "VALUES (?,?,?,?,?,?,?)", [r for r in rows if r[0] not in have])
        self.conn.executemany("INSERT OR REPLACE INTO entity_links (article, local, entity) VALUES (?,?,?)",
                              [(a, loc, eid) for (a, loc), eid in links.items()])

    @staticmethod
    def _row(e: dict, summaries: dict) -> tuple:
        light = json.dumps({k: v for k, v in e.items() if k not in ("mentions", "articles")}, ensure_ascii=False)
        summary = summaries.get(e["id"])
        return (e["id"], e["name"], e["type"], e.get("actor_type"), light, light,
                json.dumps(summary, ensure_ascii=False) if summary is not None else None)

    def _insert(self, entities: list[dict], links: dict[tuple[str, str], str], summaries: dict) -> None:
        self.conn.executemany(
            "INSERT INTO entities (id, name, type, actor_type, data, light, summary) VALUES (?,?,?,?,?,?,?)",
            [self._row(e, summaries) for e in entities])
        self.conn.executemany("INSERT OR REPLACE INTO entity_links (article, local, entity) VALUES (?,?,?)",
                              [(a, loc, eid) for (a, loc), eid in links.items()])

    def summaries(self, entity_ids: Iterable[str]) -> dict[str, Optional[dict]]:
        """entity id -> its summary (None for a row written before migration 8), for the
        stored ones of these entities."""
        from .sqlite_search import _chunks

        out: dict[str, Optional[dict]] = {}
        for part in _chunks(list(dict.fromkeys(entity_ids))):
            for eid, summary in self.conn.execute(
                    f"SELECT id, summary FROM entities WHERE id IN ({','.join('?' * len(part))})", part):
                out[eid] = json.loads(summary) if summary else None
        return out

    def entity_of(self, keys: Iterable[str]) -> dict[str, str]:
        """key -> the entity of one stored actor indexed under it (one index probe a key,
        however many actors hold it), for the keys some linked actor holds."""
        out = {}
        for key in dict.fromkeys(keys):
            row = self.conn.execute(
                "SELECT l.entity FROM actor_keys k JOIN entity_links l ON l.article = k.article AND l.local = k.local "
                "WHERE k.key=? LIMIT 1", (key,)).fetchone()
            if row:
                out[key] = row[0]
        return out

    def holders_in_story(self, keys: Iterable[str], story: str) -> set[tuple[str, str]]:
        """(article, local) of the stored actors of one story indexed under one of these keys
        (the story's articles, then one index probe each)."""
        from .sqlite_search import _chunks

        out: set[tuple[str, str]] = set()
        for part in _chunks(list(dict.fromkeys(keys))):
            out.update((a, loc) for a, loc in self.conn.execute(
                "SELECT k.article, k.local FROM articles a JOIN actor_keys k ON k.article = a.id "
                f"WHERE a.story=? AND k.key IN ({','.join('?' * len(part))})", [story, *part]))
        return out

    def index_keys(self, rows: Iterable[tuple[str, str, str]]) -> None:
        """Remember (key, article, local): the keys through which an actor can meet others."""
        self.conn.executemany("INSERT OR IGNORE INTO actor_keys (key, article, local) VALUES (?,?,?)", list(rows))

    def holders(self, keys: Iterable[str]) -> set[tuple[str, str]]:
        """(article, local) of every stored actor indexed under one of these keys."""
        from .sqlite_search import _chunks

        out: set[tuple[str, str]] = set()
        for part in _chunks(list(dict.fromkeys(keys))):
            out.update((a, loc) for a, loc in self.conn.execute(
                f"SELECT article, local FROM actor_keys WHERE key IN ({','.join('?' * len(part))})", part))
        return out

    def entities(self) -> list[dict]:
        """Stored entities in order of insertion, whole: with `articles` and `mentions`
        (assembled from the links and the `actors` records for rows that do not hold them,
        in corpus order: article, position, record id; a mention of a country's sector
        carries `facet`)."""
        ents = [json.loads(r[0]) for r in self.conn.execute("SELECT data FROM entities ORDER BY rowid").fetchall()]
        need = {e["id"]: e for e in ents if "mentions" not in e}
        if not need:
            return ents
        for e in need.values():
            e["articles"], e["mentions"] = [], []
        links = self.links()
        rows = self.conn.execute(
            "SELECT r.id, r.article, r.data, a.seq, r.start FROM records r JOIN articles a ON a.id = r.article "
            "WHERE r.kind='actors'").fetchall()
        rows.sort(key=lambda r: (r[3], r[4] if r[4] is not None else -1, r[0]))
        for _rid, art, data, _seq, _start in rows:
            rec = json.loads(data)
            e = need.get(links.get((art, rec.get("local"))))  # type: ignore[arg-type]
            if e is None or not rec.get("mentions"):
                continue
            if not e["articles"] or e["articles"][-1] != art:
                e["articles"].append(art)
            sector = (rec.get("key") or "").partition("#")[2]
            for m in rec["mentions"]:
                mention = {"article": art, "span": m["span"], "form": m.get("form")}
                if sector:
                    mention["facet"] = sector
                e["mentions"].append(mention)
        order = ("id", "name", "type", "actor_type", "aliases", "roles", "affiliation", "articles", "mentions")
        return [{**{k: e[k] for k in order if k in e}, **e} if e["id"] in need else e for e in ents]

    def names(self) -> dict[str, str]:
        """entity id -> canonical name."""
        return {r[0]: r[1] for r in self.conn.execute("SELECT id, name FROM entities")}

    def links(self) -> dict[tuple[str, str], str]:
        """(article, local id) -> entity id."""
        return {(a, loc): e for a, loc, e in self.conn.execute("SELECT article, local, entity FROM entity_links")}


class GroupTable(_Repository):
    """Corpus-level groups (claim groups, event groups) that a linker recomputes."""

    def replace(self, kind: str, groups: list[dict]) -> None:
        """Replace every group of `kind`; each group has an `id` and may name its `story`."""
        self.conn.execute("DELETE FROM groups WHERE kind=?", (kind,))
        self.conn.executemany("INSERT INTO groups (id, kind, story, data) VALUES (?,?,?,?)",
                              [(g["id"], kind, g.get("story"), json.dumps(g, ensure_ascii=False)) for g in groups])

    def replace_stories(self, kind: str, story_ids: Iterable[str], groups: list[dict]) -> None:
        """Replace the groups of `kind` of these stories only (the ones whose articles moved)."""
        from .sqlite_search import _chunks

        for part in _chunks(list(dict.fromkeys(story_ids))):
            self.conn.execute(f"DELETE FROM groups WHERE kind=? AND story IN ({','.join('?' * len(part))})",
                              [kind, *part])
        self.conn.executemany("INSERT INTO groups (id, kind, story, data) VALUES (?,?,?,?)",
                              [(g["id"], kind, g.get("story"), json.dumps(g, ensure_ascii=False)) for g in groups])

    def drop_orphans(self, kind: str) -> None:
        """Delete the groups of `kind` whose story has no article any more (merged into
        another): one index probe per stored group of the kind, no group data is read."""
        self.conn.execute("DELETE FROM groups WHERE kind=? AND story IS NOT NULL "
                          "AND NOT EXISTS (SELECT 1 FROM articles WHERE articles.story = groups.story)", (kind,))

    def list(self, kind: str, story: Optional[str] = None) -> list[dict]:
        sql, args = "SELECT data FROM groups WHERE kind=?", [kind]
        if story is not None:
            sql += " AND story=?"
            args.append(story)
        return [json.loads(r[0]) for r in self.conn.execute(sql + " ORDER BY rowid", args).fetchall()]


class StoryBriefs(_Repository):
    """The briefing linker: each story's summary and timeline with the fingerprint of the
    story state they were computed from (`story_briefs`)."""

    def members(self) -> list[tuple[str, int, Optional[str], Optional[str]]]:
        """(id, seq, story, duplicate_of) of every article, in order of arrival."""
        return [tuple(r) for r in self.conn.execute("SELECT id, seq, story, duplicate_of FROM articles ORDER BY seq")]

    def fingerprints(self) -> dict[str, str]:
        """story id -> the fingerprint of its stored brief."""
        return {r[0]: r[1] for r in self.conn.execute("SELECT story, fingerprint FROM story_briefs")}

    def members_of(self, story_ids: Iterable[str]) -> list[tuple[str, int, Optional[str], Optional[str]]]:
        """`members()` of these stories only (an index search per story)."""
        from .sqlite_search import _chunks

        rows: list = []
        for part in _chunks(list(dict.fromkeys(story_ids))):
            rows += self.conn.execute("SELECT id, seq, story, duplicate_of FROM articles "
                                      f"WHERE story IN ({','.join('?' * len(part))})", part).fetchall()
        return sorted((tuple(r) for r in rows), key=lambda r: r[1])

    def fingerprints_of(self, story_ids: Iterable[str]) -> dict[str, str]:
        """`fingerprints()` of these stories only."""
        from .sqlite_search import _chunks

        out = {}
        for part in _chunks(list(dict.fromkeys(story_ids))):
            out.update({r[0]: r[1] for r in self.conn.execute(
                f"SELECT story, fingerprint FROM story_briefs WHERE story IN ({','.join('?' * len(part))})", part)})
        return out

    def drop_orphans(self) -> None:
        """Delete the briefs of stories that have no article any more (merged into another):
        one index probe per stored brief, no brief data is read."""
        self.conn.execute("DELETE FROM story_briefs WHERE NOT EXISTS "
                          "(SELECT 1 FROM articles WHERE articles.story = story_briefs.story)")

    def save(self, briefs: list[dict]) -> None:
        """Store (or replace) briefs; each has `story` and `fingerprint`, the rest is data."""
        self.remove([b["story"] for b in briefs])
        self.conn.executemany("INSERT INTO story_briefs (story, fingerprint, data) VALUES (?,?,?)",
                              [(b["story"], b["fingerprint"], json.dumps(
                                  {k: v for k, v in b.items() if k not in ("story", "fingerprint")}, ensure_ascii=False))
                               for b in briefs])

    def remove(self, story_ids: Iterable[str]) -> None:
        from .sqlite_search import _chunks

        for part in _chunks(list(story_ids)):
            self.conn.execute(f"DELETE FROM story_briefs WHERE story IN ({','.join('?' * len(part))})", part)

    def get(self, story_ids: Iterable[str]) -> dict[str, dict]:
        """story id -> {story, fingerprint, articles, summary, timeline} for the stories that
        have a stored brief."""
        from .sqlite_search import _chunks

        out = {}
        for part in _chunks(list(dict.fromkeys(story_ids))):
            for sid, fp, data in self.conn.execute(
                    f"SELECT story, fingerprint, data FROM story_briefs WHERE story IN ({','.join('?' * len(part))})",
                    part):
                out[sid] = {**json.loads(data), "story": sid, "fingerprint": fp}
        return out
