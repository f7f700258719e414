"""Read paths for the web UI on SQLite: full-text search (FTS5, migration 5) and the
lookups that build one page from the rows it needs, never from the whole corpus.

`store.search` queries the index that triggers keep up to date as articles are saved and
removed (see `migrations.full_text_search`); `store.browse` reads one story, one entity or
a set of articles with their records through indexed lookups, so a page costs the same on
100 articles as on 100,000.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Optional

from .sqlite_errors import Connection

# Markers around matched words in snippets; the caller escapes the text, then turns them into
# <mark>. Control characters never occur in stored article text (ingest normalises it).
MARK_START, MARK_END = "\x02", "\x03"
SNIPPET_TOKENS = 16
MAX_TERMS = 12
_TERM = re.compile(r"\w+", re.UNICODE)
# An entity's JSON without the lists that grow with the corpus: the copy the actors linker
# writes (migration 6), else cut from `data` in SQLite (which parses all of it).
_LIGHT = "COALESCE(light, json_remove(data, '$.mentions', '$.articles'))"
# An entity in at least 1/DENSE of the articles has its latest articles found by walking
# back from the newest (about DENSE articles read per article shown); a rarer one by
# sorting its own articles (fewer than articles/DENSE).
DENSE = 20
# SQLite's default limit on host parameters is 32,766; stay well below it per statement.
_CHUNK = 900


def fts_query(text: str) -> Optional[str]:
    """A user's words as a safe FTS5 query: each word quoted (FTS5 operators and column
    filters in the input are plain text), all words required, the last one as a prefix so
    a half-typed word still finds. None when there is no word to look for."""
    terms = _TERM.findall(text or "")[:MAX_TERMS]
    if not terms:
        return None
    quoted = ['"' + t.replace('"', '""') + '"' for t in terms]
    quoted[-1] += "*"
    return " ".join(quoted)


def _chunks(items: list, n: int = _CHUNK):
    for i in range(0, len(items), n):
        yield items[i:i + n]


class _Repository:
    def __init__(self, conn: Connection):
        self.conn = conn


class SearchIndex(_Repository):
    """Full-text search over article titles and text, quotes and claims."""

    def query(self, text: str, limit: int = 20) -> dict[str, list[dict]]:
        """Best matches (BM25) of each kind: {"articles": [...], "quotes": [...], "claims": [...]}.
        Each hit: {id, article, title, snippet} with the matched words between MARK_START
        and MARK_END in `snippet` (plain, unescaped text)."""
        q = fts_query(text)
        out: dict[str, list[dict]] = {"articles": [], "quotes": [], "claims": []}
        if q is None:
            return out
        rows = self.conn.execute(
            "SELECT a.id, a.title, a.source, a.published, "
            f"snippet(articles_fts, -1, ?, ?, '…', {SNIPPET_TOKENS}) "
            "FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid "
            "WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?", (MARK_START, MARK_END, q, limit)).fetchall()
        out["articles"] = [{"id": r[0], "article": r[0], "title": r[1], "source": r[2], "published": r[3],
                            "snippet": r[4]} for r in rows]
        for kind in ("quotes", "claims"):
            rows = self.conn.execute(
                "SELECT r.id, r.article, a.title, a.source, a.published, r.start, r.\"end\", "
                f"snippet(records_fts, 0, ?, ?, '…', {SNIPPET_TOKENS}) "
                "FROM records_fts JOIN records r ON r.rowid = records_fts.rowid "
                "JOIN articles a ON a.id = r.article "
                "WHERE records_fts MATCH ? AND records_fts.kind = ? ORDER BY rank LIMIT ?",
                (MARK_START, MARK_END, q, kind, limit)).fetchall()
            out[kind] = [{"id": r[0], "article": r[1], "title": r[2], "source": r[3], "published": r[4],
                          "start": r[5], "end": r[6], "snippet": r[7]} for r in rows]
        return out

    def rebuild(self) -> None:
        """Re-index every row (after a VACUUM, which may renumber the rowids the index uses)."""
        self.conn.execute("INSERT INTO articles_fts (articles_fts) VALUES ('rebuild')")
        self.conn.execute("DELETE FROM records_fts")
        self.conn.execute("INSERT INTO records_fts (rowid, text, kind) SELECT rowid, json_extract(data, '$.text'), "
                          "kind FROM records WHERE kind IN ('quotes', 'claims')")


class Browse(_Repository):
    """Indexed lookups that build one page: a story, an entity, a set of articles."""

    def story(self, story_id: str) -> Optional[dict]:
        """{id, title, key_actors, articles} (members in order of arrival) or None."""
        row = self.conn.execute("SELECT id, title, key_actors FROM stories WHERE id=?", (story_id,)).fetchone()
        if row is None:
            return None
        ids = [r[0] for r in self.conn.execute("SELECT id FROM articles WHERE story=? ORDER BY seq", (story_id,))]
        return {"id": row[0], "title": row[1], "key_actors": json.loads(row[2] or "[]"), "articles": ids}

    def story_index(self, limit: int = 200, offset: int = 0) -> list[dict]:
        """Stories with members, latest activity first: {id, title, key_actors, n_articles,
        first, last (publication dates, or None), sources[] (outlets, most frequent first)}."""
        rows = self.conn.execute(
            "SELECT s.id, s.title, s.key_actors, COUNT(a.id), MIN(a.published), MAX(a.published), "
            "json_group_array(a.source) FROM stories s JOIN articles a ON a.story = s.id "
            "GROUP BY s.id ORDER BY MAX(a.seq) DESC LIMIT ? OFFSET ?", (limit, offset)).fetchall()
        out = []
        for sid, title, actors, n, first, last, sources in rows:
            counts: dict[str, int] = {}
            for s in json.loads(sources):
                if s:
                    counts[s] = counts.get(s, 0) + 1
            out.append({"id": sid, "title": title, "key_actors": json.loads(actors or "[]"), "n_articles": n,
                        "first": first, "last": last,
                        "sources": sorted(counts, key=lambda k: (-counts[k], k))})
        return out

    def count_stories(self) -> int:
        return self.conn.execute("SELECT COUNT(DISTINCT story) FROM articles WHERE story IS NOT NULL").fetchone()[0]

    def unassigned_articles(self, limit: int = 200) -> list[str]:
        """Ids of articles in no story (before the stories linker has run), in order of arrival."""
        return [r[0] for r in self.conn.execute("SELECT id FROM articles WHERE story IS NULL ORDER BY seq LIMIT ?",
                                                (limit,))]

    def articles(self, ids: Iterable[str]) -> list[dict]:
        """The articles with these ids, in order of arrival (JSON fields decoded)."""
        from .sqlite import SQLiteStore

        ids = list(dict.fromkeys(ids))
        rows = []
        for part in _chunks(ids):
            rows += self.conn.execute(f"SELECT * FROM articles WHERE id IN ({','.join('?' * len(part))})",
                                      part).fetchall()
        rows.sort(key=lambda r: r["seq"])
        return [SQLiteStore._article(r) for r in rows]

    def records(self, kind: str, article_ids: Iterable[str]) -> list[dict]:
        """Records of one kind of these articles, in order of arrival and position."""
        ids = list(dict.fromkeys(article_ids))
        rows = []
        for part in _chunks(ids):
            rows += self.conn.execute(
                "SELECT r.id, r.article, r.data, a.seq, r.start FROM records r JOIN articles a ON a.id = r.article "
                f"WHERE r.kind=? AND r.article IN ({','.join('?' * len(part))})", [kind, *part]).fetchall()
        rows.sort(key=lambda r: (r[3], r[4] if r[4] is not None else -1, r[0]))
        out = []
        for rid, art, data, _seq, _start in rows:
            rec = json.loads(data)
            rec["id"] = rid
            rec["article"] = art
            out.append(rec)
        return out

    def entity(self, entity_id: str) -> Optional[dict]:
        """The entity without its corpus-wide `mentions` and `articles` (a capital's run to
        every article; `entity_articles` and the articles' records give them per page)."""
        row = self.conn.execute(f"SELECT {_LIGHT} FROM entities WHERE id=?", (entity_id,)).fetchone()
        return json.loads(row[0]) if row else None

    def entity_links(self, article_ids: Iterable[str]) -> dict[tuple[str, str], str]:
        """(article, local id) -> entity id, for these articles."""
        ids = list(dict.fromkeys(article_ids))
        out = {}
        for part in _chunks(ids):
            for a, loc, e in self.conn.execute(
                    f"SELECT article, local, entity FROM entity_links WHERE article IN ({','.join('?' * len(part))})",
                    part):
                out[(a, loc)] = e
        return out

    def entities(self, entity_ids: Iterable[str]) -> list[dict]:
        """These entities as the actors linker saved them, in order of insertion, without
        `mentions` and `articles` (see `entity`; `store.actors.entities()` assembles them)."""
        ids = list(dict.fromkeys(entity_ids))
        rows = []
        for part in _chunks(ids):
            rows += self.conn.execute(
                f"SELECT rowid, {_LIGHT} FROM entities WHERE id IN ({','.join('?' * len(part))})",
                part).fetchall()
        return [json.loads(r[1]) for r in sorted(rows, key=lambda r: r[0])]

    def entity_articles(self, entity_id: str, limit: int = 200, offset: int = 0) -> tuple[list[str], int]:
        """(ids of the articles that mention the entity, latest first, `offset` of them
        skipped and at most `limit` given, returned latest last; how many in all)."""
        n = self.conn.execute("SELECT COUNT(DISTINCT article) FROM entity_links WHERE entity=?",
                              (entity_id,)).fetchone()[0]
        newest = self.conn.execute("SELECT MAX(seq) FROM articles").fetchone()[0] or 0
        if n * DENSE >= newest:  # named everywhere: walk back from the newest article (index on seq)
            sql = ("SELECT a.id FROM articles a WHERE EXISTS (SELECT 1 FROM entity_links l WHERE l.entity=? "
                   "AND l.article = a.id) ORDER BY a.seq DESC LIMIT ? OFFSET ?")
        else:
            sql = ("SELECT DISTINCT l.article, a.seq FROM entity_links l JOIN articles a ON a.id = l.article "
                   "WHERE l.entity=? ORDER BY a.seq DESC LIMIT ? OFFSET ?")
        ids = [r[0] for r in self.conn.execute(sql, (entity_id, limit, max(0, offset)))]
        return ids[::-1], n

    def groups(self, kind: str, story_ids: Iterable[str]) -> list[dict]:
        """Groups of `kind` (claim groups, event groups) of these stories."""
        ids = list(dict.fromkeys(s for s in story_ids if s))
        rows = []
        for part in _chunks(ids):
            rows += self.conn.execute(
                f"SELECT rowid, data FROM groups WHERE kind=? AND story IN ({','.join('?' * len(part))})",
                [kind, *part]).fetchall()
        return [json.loads(r[1]) for r in sorted(rows, key=lambda r: r[0])]
