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
- full-text search is `tsvector` (`postgres_search.SearchIndex`);
- text cannot hold a NUL character: it is stored as U+FFFD (`without_nul`).

`file_database` is the test seam behind `STORYLINE_TEST_PG_FILES` (see `open_store`): a
SQLite file path stands for its own database on a PostgreSQL server, so the whole test
suite runs a second time on PostgreSQL without a test knowing.
"""
from __future__ import annotations

import contextlib
import hashlib
import os
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
FILES_LOCK = (LOCK_NS, 4)  # on the server's admin database: one stand-in file is mapped at a time
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
    """Apply pending PostgreSQL migrations under an advisory lock; returns the version.
    An up-to-date database is only read, so a read-only one (a standby, a read-only role)
    opens for reading, as a read-only SQLite file does."""
    latest = max(v for v, _ in MIGRATIONS)
    if conn.execute("SELECT to_regclass('schema_migrations') IS NOT NULL").fetchone()[0]:
        version = conn.execute("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").fetchone()[0]
        if version >= latest:
            return version
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


# First bytes of a stand-in file (`file_database`); the database's name follows.
STAND_IN = b"storyline stand-in for PostgreSQL database "
COPY_WAIT_S = 10.0  # how long copying a database waits for its last sessions to end


def database_name(path: str) -> str:
    """The name of the database that stands for the file `path` (`file_database`)."""
    return "f_" + hashlib.sha256(os.path.abspath(path).encode("utf-8")).hexdigest()[:24]


def file_database(path: str, server: str) -> Optional[str]:
    """Test seam (`STORYLINE_TEST_PG_FILES`, see `open_store`): the URL of the database on
    `server` (an admin URL) that stands for the SQLite file `path`, or None when `path` is a
    real file (not empty, not a stand-in), which SQLite opens as it is.

    The file becomes a small stand-in naming its database (`f_` and a hash of the absolute
    path), so what tests do to database files carries over: a path with no file (never made,
    or deleted) gets a new, empty database; a stand-in copied or moved to another path is a
    copy of the database (`CREATE DATABASE ... TEMPLATE`), taken when the copy is first
    opened, not when the file was copied; checks that the file exists hold;
    another process (a CLI run a test starts) opening the same path finds the same database."""
    import psycopg
    from urllib.parse import urlsplit, urlunsplit

    name = database_name(path)
    where = f"{path} (on {redacted(server)})"
    if os.path.exists(path) and not os.path.isfile(path):
        return None  # a folder, a FIFO: SQLite says what is wrong with it
    try:
        head = b""
        if os.path.isfile(path):
            with open(path, "rb") as f:
                head = f.read(len(STAND_IN) + 64)
    except OSError as exc:
        raise StoreError(Codes.E301, str(exc), where=path) from None
    if head and not head.startswith(STAND_IN):
        return None
    named = head[len(STAND_IN):].decode("ascii", "replace").strip() or None
    try:
        with psycopg.connect(server, autocommit=True, connect_timeout=10) as admin:
            admin.execute("SELECT pg_advisory_lock(%s, %s)", FILES_LOCK)

            def exists(db: str) -> bool:
                return admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (db,)).fetchone() is not None

            if named != name or not exists(name):
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                if named and named != name and exists(named):
                    _copy_database(admin, named, name)
                else:
                    admin.execute(f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8'")
                _write_stand_in(path, name)
    except psycopg.Error as exc:
        from .postgres_errors import store_error

        raise (store_error(exc, where) or StoreError(Codes.E301, str(exc).strip().splitlines()[0], where=where)
               ) from None
    parts = urlsplit(server)
    return urlunsplit(parts._replace(path="/" + name))


def _copy_database(admin, source: str, target: str) -> None:
    """CREATE DATABASE target as a copy of source; PostgreSQL refuses while a session is on
    source, so wait (a closed store's session ends a moment after it closes)."""
    import psycopg

    deadline = time.monotonic() + COPY_WAIT_S
    while True:
        try:
            admin.execute(f'CREATE DATABASE "{target}" TEMPLATE "{source}"')
            return
        except psycopg.errors.ObjectInUse:
            if time.monotonic() >= deadline:
                raise
            time.sleep(0.1)


def _write_stand_in(path: str, name: str) -> None:
    try:
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        tmp = f"{path}.{os.getpid()}.tmp"
        with open(tmp, "wb") as f:
            f.write(STAND_IN + name.encode("ascii") + b"\n")
        os.replace(tmp, path)
    except OSError as exc:
        raise StoreError(Codes.E301, str(exc), where=path) from None


NUL_STAND_IN = "\ufffd"  # PostgreSQL text cannot hold U+0000


def without_nul(value):
    """`value` (str, or dicts and lists of them) with every NUL character replaced by U+FFFD:
    PostgreSQL's text (and jsonb) cannot hold U+0000, which SQLite stores and a JSON record
    may carry (`\\u0000`). One character for one, so record spans still point at the same
    text."""
    if isinstance(value, str):
        return value.replace("\x00", NUL_STAND_IN) if "\x00" in value else value
    if isinstance(value, dict):
        return {without_nul(k): without_nul(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(without_nul(v) for v in value)
    return value


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
        articles one after another, in the order they commit. A NUL character (a JSON
        record's `\\u0000`) is stored as U+FFFD (`without_nul`)."""
        if without_nul(article) != article:
            article, records = without_nul(article), without_nul(records)
        with self.transaction():
            self.conn.execute("SELECT pg_advisory_xact_lock(?, ?)", SEQ_LOCK)
            return super().save_article(article, records)

    def update_records(self, kind: str, records: list[dict]) -> int:
        return super().update_records(kind, without_nul(records))

    def record_failure(self, path: str, code: str, message: str) -> None:
        super().record_failure(without_nul(path), code, without_nul(message))

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
