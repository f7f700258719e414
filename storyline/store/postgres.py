"""The PostgreSQL store (`--db postgresql://...`): the same `Store` as SQLite for a team that
shares one database, or runs many writers.

It is `SQLiteStore` over another connection: every statement is the SQLite store's own,
rewritten by `postgres_dialect.to_postgres`, and the linker repositories are the same
classes (`sqlite_links`, `sqlite_search.Browse`). What differs is what the two databases do
differently, all of it here:

- transactions are explicit on an autocommit connection; `snapshot()` is one REPEATABLE
  READ transaction;
- the writer lock (`writer()`, E306) is a session advisory lock, released by the server
  when the connection ends (a SIGKILLed run leaves none);
- concurrent writers are safe by design: `save_article` takes a transaction advisory lock
  before it numbers the article (`seq`), so arrival order has no gaps or twins and an
  incremental linker that has passed `seq` N never later meets an article numbered below N;
  two processes opening a new database apply the migrations once (an advisory lock);
- scans of every article or record read through a server-side cursor, a page at a time;
- records with no span sort first, as on SQLite (`NULLS FIRST`);
- full-text search is `tsvector` (`postgres_search.SearchIndex`).
"""
from __future__ import annotations

import contextlib
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Iterator, Optional

from ..errors import Codes, StoreError
from .postgres_errors import Connection
from .postgres_migrations import MIGRATIONS
from .postgres_search import SearchIndex
from .sqlite import SQLiteStore
from .sqlite_links import ActorTables, DuplicateBands, GroupTable, LinkState, StoryState
from .sqlite_search import Browse

# Advisory lock keys (namespace, key): one database's locks never meet another's.
LOCK_NS = 0x5354  # "ST"
WRITER_LOCK = (LOCK_NS, 1)  # held for a whole run (analyze, recluster)
SEQ_LOCK = (LOCK_NS, 2)  # held by the transaction that saves one article
MIGRATE_LOCK = (LOCK_NS, 3)
# How long a statement waits for a row or table lock before E302 (SQLite's busy timeout is 30 s).
LOCK_TIMEOUT = "30s"


def redacted(url: str) -> str:
    """The URL without its password, for messages."""
    import psycopg
    from psycopg.conninfo import conninfo_to_dict

    try:
        info = conninfo_to_dict(url)
    except psycopg.ProgrammingError:  # a URL psycopg cannot parse: shown without its user part
        return url.split("://", 1)[0] + "://" + url.rsplit("@", 1)[-1]
    user = str(info.get("user") or "")
    host = info.get("host") or "localhost"
    port = f":{info['port']}" if info.get("port") else ""
    return f"postgresql://{user + '@' if user else ''}{host}{port}/{info.get('dbname') or ''}"


def migrate(conn: Connection) -> int:
    """Apply pending PostgreSQL migrations under an advisory lock; returns the version."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(?, ?)", MIGRATE_LOCK)
        conn.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)")
        version = conn.execute("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").fetchone()[0]
        for v, fn in MIGRATIONS:
            if v <= version:
                continue
            conn.script(fn())
            conn.execute("INSERT INTO schema_migrations VALUES (?, ?)",
                         (v, datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S")))
            version = v
    return version


class PostgresStore(SQLiteStore):
    conn: Connection  # type: ignore[assignment]
    search: SearchIndex  # type: ignore[assignment]

    def __init__(self, url: str):
        self.path = url
        self.where = redacted(url)
        self.conn = Connection(url, self.where)
        try:
            self.conn.execute(f"SET lock_timeout = '{LOCK_TIMEOUT}'")
            self.version = migrate(self.conn)
        except BaseException:
            self.conn.close()
            raise
        self.link_state = LinkState(self.conn)  # type: ignore[arg-type]
        self.duplicates = DuplicateBands(self.conn)  # type: ignore[arg-type]
        self.stories = StoryState(self.conn)  # type: ignore[arg-type]
        self.actors = ActorTables(self.conn)  # type: ignore[arg-type]
        self.groups = GroupTable(self.conn)  # type: ignore[arg-type]
        self.search = SearchIndex(self.conn)
        self.browse = Browse(self.conn)  # type: ignore[arg-type]

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One atomic write. Inside another transaction it joins that one."""
        if self.conn.in_transaction:
            yield
            return
        with self.conn.transaction():
            yield

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Read everything inside from one snapshot (a REPEATABLE READ transaction)."""
        if self.conn.in_transaction:
            yield
            return
        with self.conn.transaction("REPEATABLE READ"):
            yield

    @contextmanager
    def writer(self, wait_s: float = 0.0) -> Iterator[None]:
        """Hold the database's writer lock while a run writes: a second writer waits up to
        `wait_s` seconds, then gets E306. A session advisory lock: the server drops it when
        the connection ends, however the process ended."""
        deadline = time.monotonic() + max(0.0, wait_s)
        while not self.conn.execute("SELECT pg_try_advisory_lock(?, ?)", WRITER_LOCK).fetchone()[0]:
            if time.monotonic() >= deadline:
                raise StoreError(Codes.E306, "wait for it to finish, or pass --wait SECONDS", where=self.where)
            time.sleep(0.2)
        try:
            yield
        finally:
            with contextlib.suppress(StoreError):  # a lost connection has released it already
                self.conn.execute("SELECT pg_advisory_unlock(?, ?)", WRITER_LOCK)

    def save_article(self, article: dict, records: dict[str, list[dict]]) -> bool:
        """`SQLiteStore.save_article` under the sequence lock: concurrent writers number
        articles one after another, in the order they commit."""
        with self.transaction():
            self.conn.execute("SELECT pg_advisory_xact_lock(?, ?)", SEQ_LOCK)
            return super().save_article(article, records)

    def articles(self) -> Iterator[dict]:
        for row in self.conn.stream("SELECT * FROM articles ORDER BY seq"):
            yield self._article(row)

    def records(self, kind: str, article: Optional[str] = None) -> Iterator[dict]:
        """Records of one kind (of one article), in order of arrival and position; a kind
        never stored yields nothing. Read a page at a time."""
        import json

        sql = "SELECT r.id, r.article, r.data FROM records r JOIN articles a ON a.id = r.article WHERE r.kind=?"
        args: list = [kind]
        if article:
            sql += " AND r.article=?"
            args.append(article)
        for row in self.conn.stream(sql + " ORDER BY a.seq, r.start NULLS FIRST, r.id", args):
            rec = json.loads(row[2])
            rec["id"] = row[0]
            rec["article"] = row[1]
            yield rec
