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

    def entity_in_story(self, keys: Iterable[str], story: str) -> dict[str, str]:
        """key -> the entity of one stored, linked actor of this story indexed under it (the
        story's articles, then one index probe per article and key), for the keys some such
        actor holds."""
        from .sqlite_search import _chunks

        out: dict[str, str] = {}
        for part in _chunks(list(dict.fromkeys(keys))):
            for key, entity in self.conn.execute(
                    "SELECT k.key, l.entity FROM articles a JOIN actor_keys k ON k.article = a.id "
                    "JOIN entity_links l ON l.article = k.article AND l.local = k.local "
                    f"WHERE a.story=? AND k.key IN ({','.join('?' * len(part))})", [story, *part]):
                out.setdefault(key, entity)
        return out

    def records(self, pairs: Iterable[tuple[str, str]]) -> list[dict]:
        """The actor records (article, local) of these pairs, in corpus order (article, position,
        record id): only those rows are parsed, not every record of their articles."""
        from .sqlite_search import _CHUNK

        wanted = set(pairs)
        by_article: dict[str, list[str]] = {}
        for art, loc in wanted:
            by_article.setdefault(art, []).append(loc)
        parts: list[tuple[list, list]] = [([], [])]  # (articles, "article|local" keys): _CHUNK values at most
        for art in sorted(by_article):
            if parts[-1][0] and len(parts[-1][0]) + len(parts[-1][1]) + 1 + len(by_article[art]) > _CHUNK:
                parts.append(([], []))
            parts[-1][0].append(art)
            parts[-1][1].extend(f"{art}|{loc}" for loc in by_article[art])
        rows: list = []
        for arts, keys in parts:
            if arts:
                rows += self.conn.execute(
                    "SELECT r.id, r.article, r.data, a.seq, r.start FROM records r JOIN articles a ON a.id = r.article "
                    f"WHERE r.kind='actors' AND r.article IN ({','.join('?' * len(arts))}) "
                    f"AND (r.article || '|' || json_extract(r.data, '$.local')) IN ({','.join('?' * len(keys))})",
                    [*arts, *keys]).fetchall()
        rows.sort(key=lambda r: (r[3], r[4] if r[4] is not None else -1, r[0]))
        out = []
        for rid, art, data, _seq, _start in rows:
            rec = json.loads(data)
            if (art, rec.get("local")) in wanted:  # the text match is a superset
                rec["id"], rec["article"] = rid, art
                out.append(rec)
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
    """Corpus-level groups (claim groups, event groups) that a linker recomputes.

    Readers see groups in the order they were written (`rowid`): a regrouped story's come
    last. A linker that keeps its clustering state (claim groups: `state`, see
    `replace_stories`) can later update a story from what arrived (`clusters`,
    `members_from`, `blocks`, `at`, `member_records`, `update_story`). Event groups keep
    their components in the same tables (`members_in`, `blocks`, `update_components`); their
    rows reuse the claim columns: `group_members.claim` the event id, `published` its place
    in the order, `dated` what grouping reads of it; `group_blocks.stance` the signature's
    key (docs/events.md)."""

    def _insert(self, kind: str, groups: list[dict], state: Optional[dict]) -> None:
        pos = {gid: p for st in (state or {}).values() for gid, p in st["pos"].items()}
        self.conn.executemany("INSERT INTO groups (id, kind, story, data, pos) VALUES (?,?,?,?,?)",
                              [(g["id"], kind, g.get("story"), json.dumps(g, ensure_ascii=False), pos.get(g["id"]))
                               for g in groups])
        for story, st in (state or {}).items():
            self._write_state(kind, story, st)

    def _write_state(self, kind: str, story: str, st: dict) -> None:
        self.conn.execute("INSERT INTO group_stories (kind, story, clusters) VALUES (?,?,?)",
                          (kind, story, st["clusters"]))
        self.conn.executemany("INSERT INTO group_members (kind, story, published, article, start, claim, cl, opens, "
                              "dated) VALUES (?,?,?,?,?,?,?,?,?)", [(kind, story, *m) for m in st["members"]])
        self.conn.executemany("INSERT INTO group_blocks (kind, story, block, cl, stance, published, article, rep) "
                              "VALUES (?,?,?,?,?,?,?,?)", [(kind, story, *b) for b in st["blocks"]])

    def _drop_state(self, kind: str, story_ids: list[str]) -> None:
        from .sqlite_search import _chunks

        for part in _chunks(story_ids):
            marks = ",".join("?" * len(part))
            for table in ("group_stories", "group_members", "group_blocks"):
                self.conn.execute(f"DELETE FROM {table} WHERE kind=? AND story IN ({marks})", [kind, *part])

    def replace(self, kind: str, groups: list[dict], state: Optional[dict] = None) -> None:
        """Replace every group of `kind`; each group has an `id` and may name its `story`.
        `state`: the clustering state of each story (see `replace_stories`)."""
        self.conn.execute("DELETE FROM groups WHERE kind=?", (kind,))
        for table in ("group_stories", "group_members", "group_blocks"):
            self.conn.execute(f"DELETE FROM {table} WHERE kind=?", (kind,))
        self._insert(kind, groups, state)

    def replace_stories(self, kind: str, story_ids: Iterable[str], groups: list[dict],
                        state: Optional[dict] = None) -> None:
        """Replace the groups of `kind` of these stories only (the ones whose articles moved),
        and their clustering state: without `state` they have none (a later update regroups
        them whole); `state`: story -> {clusters: count, pos: group id -> its cluster,
        members: rows (published, article, start, claim, cluster, opens, dated), blocks: rows
        (block, cluster, stance, published, article, rep)}."""
        from .sqlite_search import _chunks

        ids = list(dict.fromkeys(story_ids))
        for part in _chunks(ids):
            self.conn.execute(f"DELETE FROM groups WHERE kind=? AND story IN ({','.join('?' * len(part))})",
                              [kind, *part])
        self._drop_state(kind, ids)
        self._insert(kind, groups, state)

    def drop_orphans(self, kind: str) -> None:
        """Delete the groups of `kind` whose story has no article any more (merged into
        another), and those stories' clustering state: one index probe per stored group
        of the kind and per story with a state, no group data is read."""
        self.conn.execute("DELETE FROM groups WHERE kind=? AND story IS NOT NULL "
                          "AND NOT EXISTS (SELECT 1 FROM articles WHERE articles.story = groups.story)", (kind,))
        gone = [r[0] for r in self.conn.execute(
            "SELECT story FROM group_stories WHERE kind=? "
            "AND NOT EXISTS (SELECT 1 FROM articles WHERE articles.story = group_stories.story)", (kind,)).fetchall()]
        if gone:
            self._drop_state(kind, gone)

    # --- updating a story from what arrived ------------------------------------------------

    def clusters(self, kind: str, story_ids: Iterable[str]) -> dict[str, int]:
        """story -> its count of clusters, for the stories with a stored clustering state."""
        from .sqlite_search import _chunks

        out = {}
        for part in _chunks(list(dict.fromkeys(story_ids))):
            out.update(self.conn.execute(f"SELECT story, clusters FROM group_stories WHERE kind=? AND story IN "
                                         f"({','.join('?' * len(part))})", [kind, *part]).fetchall())
        return out

    def members_from(self, kind: str, story: str, published: str) -> list[tuple]:
        """The story's members (published, article, start, claim, cluster, opens) published
        on or after `published`, in clustering order."""
        return [tuple(r) for r in self.conn.execute(
            "SELECT published, article, start, claim, cl, opens FROM group_members "
            "WHERE kind=? AND story=? AND published >= ? ORDER BY published, article, start, claim",
            (kind, story, published)).fetchall()]

    def dated_members(self, kind: str, story: str) -> list[tuple[str, str]]:
        """(article, dated) of the story's members grouped with a date their story gave them."""
        return [(r[0], r[1]) for r in self.conn.execute(
            "SELECT article, dated FROM group_members WHERE kind=? AND story=? AND dated IS NOT NULL",
            (kind, story)).fetchall()]

    def clusters_of(self, kind: str, story: str, articles: Iterable[str]) -> set[int]:
        """The clusters of the story holding a claim of these articles."""
        from .sqlite_search import _chunks

        out: set[int] = set()
        for part in _chunks(sorted(set(articles))):
            out.update(r[0] for r in self.conn.execute(
                f"SELECT DISTINCT cl FROM group_members WHERE kind=? AND article IN ({','.join('?' * len(part))}) "
                "AND story=?", [kind, *part, story]).fetchall())
        return out

    def blocks(self, kind: str, story: str, blocks: Iterable[str]) -> list[tuple]:
        """The story's block rows (block, cluster, stance, published, article, rep) of these blocks."""
        from .sqlite_search import _chunks

        out: list[tuple] = []
        for part in _chunks(sorted(set(blocks))):
            out += [tuple(r) for r in self.conn.execute(
                "SELECT block, cl, stance, published, article, rep FROM group_blocks WHERE kind=? AND story=? "
                f"AND block IN ({','.join('?' * len(part))})", [kind, story, *part]).fetchall()]
        return out

    def at(self, kind: str, story: str, positions: Iterable[int]) -> dict[int, dict]:
        """The story's groups of these clusters: cluster -> group."""
        from .sqlite_search import _chunks

        out = {}
        for part in _chunks(sorted(set(positions))):
            for pos, data in self.conn.execute(
                    f"SELECT pos, data FROM groups WHERE kind=? AND story=? AND pos IN ({','.join('?' * len(part))})",
                    [kind, story, *part]).fetchall():
                out[pos] = json.loads(data)
        return out

    def member_records(self, record_kind: str, ids: Iterable[str]) -> list[dict]:
        """The records (of `record_kind`: "claims") with these ids, the members of groups
        being updated: read by id, not with every record of their articles."""
        from .sqlite_search import _chunks

        out = []
        for part in _chunks(sorted(set(ids))):
            # by the primary key (a condition on `kind` would let the planner take the kind index)
            for rid, art, kind, data in self.conn.execute(
                    f"SELECT id, article, kind, data FROM records WHERE id IN ({','.join('?' * len(part))})",
                    part).fetchall():
                if kind != record_kind:
                    continue
                rec = json.loads(data)
                rec["id"] = rid
                rec["article"] = art
                out.append(rec)
        return out

    def update_story(self, kind: str, story: str, clusters: int, groups: dict[int, dict],
                     drop_members: list[tuple], members: list[tuple],
                     drop_blocks: list[tuple], blocks: list[tuple]) -> None:
        """Update one story's groups and clustering state from what arrived: `groups`
        (cluster -> its group) replace those clusters' groups, the groups of clusters from
        `clusters` on go, and the story's groups are written again last, in order of their
        clusters, as a regrouping of the story writes them (the unchanged ones as stored,
        not decoded); `drop_members` (published, article, start, claim) and `drop_blocks`
        (block, cluster, stance) rows go, `members` and `blocks` rows (as in
        `replace_stories`) come."""
        rows = [(pos, gid, data) for gid, data, pos in self.conn.execute(
            "SELECT id, data, pos FROM groups WHERE kind=? AND story=?", (kind, story)).fetchall()
            if pos is not None and pos < clusters and pos not in groups]
        rows += [(pos, g["id"], json.dumps(g, ensure_ascii=False)) for pos, g in groups.items()]
        self.conn.execute("DELETE FROM groups WHERE kind=? AND story=?", (kind, story))
        self.conn.executemany("INSERT INTO groups (id, kind, story, data, pos) VALUES (?,?,?,?,?)",
                              [(gid, kind, story, data, pos) for pos, gid, data in sorted(rows)])
        self.conn.execute("UPDATE group_stories SET clusters=? WHERE kind=? AND story=?", (clusters, kind, story))
        self.conn.executemany("DELETE FROM group_members WHERE kind=? AND story=? AND published=? AND article=? "
                              "AND start=? AND claim=?", [(kind, story, *m) for m in drop_members])
        self.conn.executemany("INSERT INTO group_members (kind, story, published, article, start, claim, cl, opens, "
                              "dated) VALUES (?,?,?,?,?,?,?,?,?)", [(kind, story, *m) for m in members])
        self.conn.executemany("DELETE FROM group_blocks WHERE kind=? AND story=? AND block=? AND cl=? AND stance=?",
                              [(kind, story, *b) for b in drop_blocks])
        self.conn.executemany("INSERT INTO group_blocks (kind, story, block, cl, stance, published, article, rep) "
                              "VALUES (?,?,?,?,?,?,?,?)", [(kind, story, *b) for b in blocks])

    # --- event groups: a story's components of the same-happening graph (link/events.py) ----
    # `groups.pos` holds the group's count of articles (readers' order: most articles first,
    # then id); `group_members.cl` and `group_blocks.cl` a component; see `update_components`.

    def members_in(self, kind: str, story: str, clusters: Iterable[int]) -> list[tuple]:
        """The story's members (published, article, start, member id, cluster, dated) in these
        clusters."""
        from .sqlite_search import _chunks

        out: list[tuple] = []
        for part in _chunks(sorted(set(clusters))):
            out += [tuple(r) for r in self.conn.execute(
                "SELECT published, article, start, claim, cl, dated FROM group_members WHERE kind=? AND story=? "
                f"AND cl IN ({','.join('?' * len(part))})", [kind, story, *part]).fetchall()]
        return out

    def first_members(self, kind: str, story_ids: Iterable[str]) -> dict[str, str]:
        """story -> the `published` of its first member in order, for the stories with members."""
        from .sqlite_search import _chunks

        out = {}
        for part in _chunks(list(dict.fromkeys(story_ids))):
            out.update(self.conn.execute(f"SELECT story, MIN(published) FROM group_members WHERE kind=? AND story IN "
                                         f"({','.join('?' * len(part))}) GROUP BY story", [kind, *part]).fetchall())
        return out

    def member_stories(self, kind: str, articles: Iterable[str]) -> dict[str, str]:
        """article -> the story whose stored state holds its members, for these articles."""
        from .sqlite_search import _chunks

        out = {}
        for part in _chunks(sorted(set(articles))):
            out.update(self.conn.execute(f"SELECT DISTINCT article, story FROM group_members WHERE kind=? AND article IN "
                                         f"({','.join('?' * len(part))})", [kind, *part]).fetchall())
        return out

    def article_sources(self, ids: Iterable[str]) -> dict[str, dict]:
        """id -> {id, source, duplicate_of} of these articles (what a group's count of
        independent sources reads), without the rest of the article."""
        from .sqlite_search import _chunks

        out = {}
        for part in _chunks(sorted(set(ids))):
            for aid, source, dup in self.conn.execute(
                    f"SELECT id, source, duplicate_of FROM articles WHERE id IN ({','.join('?' * len(part))})", part):
                out[aid] = {"id": aid, "source": source, "duplicate_of": dup}
        return out

    def forget(self, kind: str, story_ids: Iterable[str]) -> None:
        """Drop these stories' clustering state, keeping their groups (their next update
        regroups them whole)."""
        self._drop_state(kind, list(dict.fromkeys(story_ids)))

    def update_components(self, kind: str, story: str, clusters: int, drop_ids: Iterable[str],
                          groups: list[dict], drop_members: list[tuple], members: list[tuple],
                          drop_blocks: list[tuple], blocks: list[tuple]) -> None:
        """Update one story's event groups and components from what arrived: the groups
        `drop_ids` go, `groups` come (`pos` their count of articles), and the story's groups
        are written again last, most articles first then by id, as a regrouping of the
        story writes them (the others as stored, not decoded); `drop_members` (published,
        article, start, member id) and `drop_blocks` (block, cluster, signature key) rows go,
        `members` and `blocks` rows (as in `replace_stories`) come; `clusters`: the story's
        next free cluster number."""
        drop = set(drop_ids)
        rows = [(gid, data, pos) for gid, data, pos in self.conn.execute(
            "SELECT id, data, pos FROM groups WHERE kind=? AND story=?", (kind, story)).fetchall() if gid not in drop]
        rows += [(g["id"], json.dumps(g, ensure_ascii=False), len(g["articles"])) for g in groups]
        rows.sort(key=lambda r: (-r[2], r[0]))
        self.conn.execute("DELETE FROM groups WHERE kind=? AND story=?", (kind, story))
        self.conn.executemany("INSERT INTO groups (id, kind, story, data, pos) VALUES (?,?,?,?,?)",
                              [(gid, kind, story, data, pos) for gid, data, pos in rows])
        self.conn.execute("UPDATE group_stories SET clusters=? WHERE kind=? AND story=?", (clusters, kind, story))
        self.conn.executemany("DELETE FROM group_members WHERE kind=? AND story=? AND published=? AND article=? "
                              "AND start=? AND claim=?", [(kind, story, *m) for m in drop_members])
        self.conn.executemany("INSERT INTO group_members (kind, story, published, article, start, claim, cl, opens, "
                              "dated) VALUES (?,?,?,?,?,?,?,?,?)", [(kind, story, *m) for m in members])
        self.conn.executemany("DELETE FROM group_blocks WHERE kind=? AND story=? AND block=? AND cl=? AND stance=?",
                              [(kind, story, *b) for b in drop_blocks])
        self.conn.executemany("INSERT INTO group_blocks (kind, story, block, cl, stance, published, article, rep) "
                              "VALUES (?,?,?,?,?,?,?,?)", [(kind, story, *b) for b in blocks])

    # last: below it, `list` in an annotation would be this method
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
