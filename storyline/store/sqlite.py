"""The SQLite store: one file, WAL, one transaction per article.

Lock and file errors surface as `StoreError` (E302 busy, E301 cannot open); the corpus
linkers' tables are behind the repositories in `sqlite_links`.
"""
from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
from contextlib import contextmanager
from functools import cached_property
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator, Optional

from ..errors import Codes, StoreError
from .migrations import migrate
from .sqlite_errors import Connection
from .sqlite_links import ActorTables, DuplicateBands, GroupTable, LinkState, StoryBriefs, StoryState
from .sqlite_search import Browse, SearchIndex

ARTICLE_FIELDS = ("id", "path", "text", "title", "source", "author", "url", "published",
                  "published_precision", "published_estimate", "dateline", "language",
                  "cites", "format", "encoding", "duplicate_of", "story")
JSON_FIELDS = {"cites", "published_estimate"}
DEFAULT_DB = "storyline.db"
# Tables that hold the articles and the run's bookkeeping: never a linker's to reset.
CORE_TABLES = frozenset({"articles", "records", "inputs", "failures", "link_state", "schema_migrations"})


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


# Record id prefixes, one per kind, so ids never collide across kinds and say what they
# are (entity ids start "e", stories "s", claim groups "cg", event groups "eg").
ID_PREFIXES = {"mentions": "m", "actors": "a", "timexes": "t", "quotes": "q", "claims": "cl", "events": "ev"}


def record_id(article: str, kind: str, start, end, data: dict) -> str:
    return _record_id(article, kind, start, end, _record_json(data))


def _record_json(data: dict) -> str:
    """A record as stored: keys sorted, so the same text is its id's hash input."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False)


def _record_id(article: str, kind: str, start, end, body: str) -> str:
    """The record's id from its stored JSON `body`: the hash of `[article, kind, start, end,
    data]` with sorted keys, built without serialising the record a second time (the same
    bytes as `json.dumps` of that list; ids never change)."""
    key = json.dumps([article, kind, start, end], ensure_ascii=False)[:-1] + ", " + body + "]"
    prefix = ID_PREFIXES.get(kind) or f"x{kind[:3]}"
    return prefix + hashlib.sha256(key.encode("utf-8")).hexdigest()[:15]


class SQLiteStore:
    def __init__(self, path: str = DEFAULT_DB):
        self.path = path
        try:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            self.conn = sqlite3.connect(path, isolation_level=None, timeout=30, factory=Connection)
            self.conn.where = path
            self.conn.row_factory = sqlite3.Row
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.execute("PRAGMA foreign_keys=ON")
            self.version = migrate(self.conn)
        except (sqlite3.DatabaseError, OSError) as exc:  # locks are already E302
            raise StoreError(Codes.E301, str(exc).splitlines()[0] if str(exc) else type(exc).__name__,
                             where=path) from None
        self.link_state = LinkState(self.conn)
        self.duplicates = DuplicateBands(self.conn)
        self.stories = StoryState(self.conn)
        self.actors = ActorTables(self.conn)
        self.groups = GroupTable(self.conn)
        self.search = SearchIndex(self.conn)
        self.browse = Browse(self.conn)

    @cached_property
    def briefs(self) -> StoryBriefs:
        """The briefing linker's stored story products (made on first use, so a subclass
        over another connection, e.g. PostgreSQL's, gets its own)."""
        return StoryBriefs(self.conn)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One atomic write (the connection is in autocommit mode). Inside another
        transaction it joins that one."""
        if self.conn.in_transaction:
            yield
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Read everything inside from one snapshot of the database (one read transaction):
        an export taken while `analyze` writes never mixes two states. Inside another
        transaction it joins that one."""
        if self.conn.in_transaction:
            yield
            return
        self.conn.execute("BEGIN")
        try:
            self.conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()  # pins the snapshot
            yield
        finally:
            if self.conn.in_transaction:
                self.conn.execute("COMMIT")

    @contextmanager
    def writer(self, wait_s: float = 0.0) -> Iterator[None]:
        """Hold the database's writer lock while a run writes (analyze, recluster): a second
        writer waits up to `wait_s` seconds, then gets E306 instead of racing the first one.
        The lock is an advisory `flock` on the database file itself, independent of SQLite's
        own locks, released by the kernel when the process dies (a SIGKILL leaves none)."""
        try:
            import fcntl
        except ImportError:  # not POSIX: SQLite's own locking is all there is
            yield
            return
        try:
            fd = os.open(self.path, os.O_RDONLY)
        except OSError:  # ":memory:", or a file SQLite itself opened elsewhere
            yield
            return
        try:
            deadline = time.monotonic() + max(0.0, wait_s)
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except OSError:
                    if time.monotonic() >= deadline:
                        raise StoreError(Codes.E306, "wait for it to finish, or pass --wait SECONDS",
                                         where=self.path) from None
                    time.sleep(0.2)
            yield
        finally:
            os.close(fd)

    # --- writing -------------------------------------------------------------------
    def has_article(self, article_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM articles WHERE id=?", (article_id,)).fetchone() is not None

    def save_article(self, article: dict, records: dict[str, list[dict]]) -> bool:
        """Store an article with all its records in one transaction. False if already there."""
        with self.transaction():
            if self.has_article(article["id"]):
                return False
            seq = self.conn.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM articles").fetchone()[0]
            values = [json.dumps(article.get(f) or ([] if f == "cites" else None), ensure_ascii=False)
                      if f in JSON_FIELDS else article.get(f) for f in ARTICLE_FIELDS]
            self.conn.execute(
                f"INSERT INTO articles ({', '.join(ARTICLE_FIELDS)}, seq, processed_at) "
                f"VALUES ({', '.join('?' * len(ARTICLE_FIELDS))}, ?, ?)", values + [seq, _now()])
            rows = []
            for kind, items in records.items():
                for rec in items or []:
                    span = rec.get("span") or {}
                    body = _record_json(rec)  # serialised once: the row's data and its id's hash input
                    rid = rec.get("id") or _record_id(article["id"], kind, span.get("start"), span.get("end"), body)
                    rows.append((rid, article["id"], kind, span.get("start"), span.get("end"), body))
            self.conn.executemany('INSERT OR IGNORE INTO records (id, article, kind, start, "end", data) VALUES (?,?,?,?,?,?)', rows)
            self.conn.execute("DELETE FROM failures WHERE path=?", (article["path"],))
        return True

    def update_records(self, kind: str, records: list[dict]) -> int:
        """Rewrite stored records of one kind, matched by `id` (a linker adding what only the
        corpus knows: a timex anchored on its story). Span and article stay. Returns the count."""
        n = 0
        with self.transaction():
            for rec in records:
                data = json.dumps({k: v for k, v in rec.items() if k not in ("id", "article")}, ensure_ascii=False)
                n += self.conn.execute("UPDATE records SET data=? WHERE id=? AND kind=?", (data, rec["id"], kind)).rowcount
        return n

    def input_unchanged(self, path: str, size: int, mtime_ns: int) -> bool:
        row = self.conn.execute("SELECT size, mtime_ns FROM inputs WHERE path=?", (path,)).fetchone()
        return row is not None and row["size"] == size and row["mtime_ns"] == mtime_ns

    def mark_input_done(self, path: str, size: int, mtime_ns: int, article_ids: list[str]) -> None:
        self.conn.execute("INSERT OR REPLACE INTO inputs VALUES (?,?,?,?,?)",
                          (path, size, mtime_ns, json.dumps(article_ids), _now()))

    def input_paths(self) -> list[str]:
        """Every input recorded as done, in path order."""
        return [r[0] for r in self.conn.execute("SELECT path FROM inputs ORDER BY path").fetchall()]

    def forget_input(self, path: str) -> int:
        """Drop a gone input: its row, its failures and the articles no other input holds.
        Returns how many articles were removed."""
        ids = self.input_articles(path)
        with self.transaction():
            self.conn.execute("DELETE FROM inputs WHERE path=?", (path,))
            self.clear_failures(path)
            return self.remove_articles(ids)

    def set_article_path(self, article_id: str, path: str) -> None:
        """Where an unchanged article now sits (an edited JSONL moves records to new lines)."""
        self.conn.execute("UPDATE articles SET path=? WHERE id=? AND path<>?", (path, article_id, path))

    def input_articles(self, path: str) -> list[str]:
        """Article ids an input yielded when it was last read completely."""
        row = self.conn.execute("SELECT articles FROM inputs WHERE path=?", (path,)).fetchone()
        return json.loads(row[0]) if row else []

    def remove_articles(self, ids: list[str]) -> int:
        """Delete articles (an edited input's old version) with everything that hangs on
        them (records, duplicate bands, actor links cascade), in one transaction. Articles
        that another input still yields are kept. Returns how many were removed."""
        if not ids:
            return 0
        with self.transaction():
            held = set()
            for (arts,) in self.conn.execute("SELECT articles FROM inputs"):
                held.update(json.loads(arts))
            gone = [i for i in ids if i not in held]
            for i in gone:
                self.conn.execute("UPDATE articles SET duplicate_of=NULL WHERE duplicate_of=?", (i,))
                self.conn.execute("DELETE FROM articles WHERE id=?", (i,))
        return len(gone)

    def clear_failures(self, path: str) -> None:
        """Forget the recorded failures of an input and its records before re-reading it."""
        self.conn.execute("DELETE FROM failures WHERE path=? OR substr(path, 1, ?)=?",
                          (path, len(path) + 1, path + "#"))

    def record_failure(self, path: str, code: str, message: str) -> None:
        self.conn.execute("INSERT OR REPLACE INTO failures VALUES (?,?,?,?)", (path, code, message, _now()))

    def reset_links(self, tables: list[str], linkers: list[str]) -> None:
        """Forget every corpus link, in one transaction: delete the rows of the named
        link-owned tables, clear each article's `duplicate_of` and `story`, and set each
        named linker's progress back to the start. Raises ValueError for a core table or
        one that does not exist."""
        known = {r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        bad = [t for t in tables if t in CORE_TABLES or t not in known]
        if bad:
            raise ValueError(f"not a link table: {', '.join(bad)}")
        with self.transaction():
            for table in tables:
                self.conn.execute(f'DELETE FROM "{table}"')
            self.conn.execute("UPDATE articles SET duplicate_of=NULL, story=NULL")
            for linker in linkers:
                self.link_state.set_last_seq(linker, 0)

    # --- reading -------------------------------------------------------------------
    def articles(self) -> Iterator[dict]:
        for row in self.conn.execute("SELECT * FROM articles ORDER BY seq"):
            yield self._article(row)

    def articles_since(self, seq: int) -> Iterator[dict]:
        """Articles that arrived after `seq`, in order of arrival. The ids are read first,
        so the caller may write while iterating."""
        ids = [r[0] for r in self.conn.execute("SELECT id FROM articles WHERE seq > ? ORDER BY seq", (seq,)).fetchall()]
        for aid in ids:
            art = self.article(aid)
            if art is not None:
                yield art

    def article(self, article_id: str) -> Optional[dict]:
        row = self.conn.execute("SELECT * FROM articles WHERE id=?", (article_id,)).fetchone()
        return self._article(row) if row else None

    @staticmethod
    def _article(row: sqlite3.Row) -> dict:
        d = dict(row)
        for f in JSON_FIELDS:
            d[f] = json.loads(d[f]) if d.get(f) else ([] if f == "cites" else None)
        return d

    def records(self, kind: str, article: Optional[str] = None) -> Iterator[dict]:
        """Records of one kind (of one article), in order of arrival and position; a kind
        never stored yields nothing."""
        sql = "SELECT r.id, r.article, r.data FROM records r JOIN articles a ON a.id = r.article WHERE r.kind=?"
        args: list = [kind]
        if article:
            sql += " AND r.article=?"
            args.append(article)
        sql += " ORDER BY a.seq, r.start, r.id"
        for row in self.conn.execute(sql, args):
            rec = json.loads(row["data"])
            rec["id"] = row["id"]
            rec["article"] = row["article"]
            yield rec

    def failures(self) -> list[dict]:
        return [dict(r) for r in self.conn.execute("SELECT * FROM failures ORDER BY path")]

    def count(self, table: str) -> int:
        assert table in {"articles", "records", "inputs", "failures"}
        return self.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
