"""psycopg errors become the store's coded errors where they are raised, as
`sqlite_errors` does for SQLite, and statements in the SQLite dialect run on PostgreSQL.

`Connection` wraps one psycopg connection (autocommit; transactions are explicit) with the
`execute` / `executemany` / `in_transaction` surface the SQLite repositories use: each
statement goes through `postgres_dialect.to_postgres`, rows answer both `row[0]` and
`row["name"]` like `sqlite3.Row`, and a server that cannot be reached (E301), a lock held
too long, a deadlock or a serialisation failure (E302), a full disk (E304), a read-only
server (E305) or damaged data (E303) surface as `StoreError`. Other errors (a wrong
statement, a constraint) are bugs and propagate unchanged.
"""
from __future__ import annotations

import itertools
from contextlib import contextmanager
from functools import lru_cache
from typing import Iterator, Optional

import psycopg

from ..errors import Codes, StoreError
from .postgres_dialect import to_postgres

_BUSY = {"55P03", "40001", "40P01"}  # lock not available, serialization failure, deadlock
_DAMAGED = {"XX001", "XX002"}  # data corrupted, index corrupted
_CURSOR_NAMES = itertools.count(1)  # server-side cursors need a name unique in the session
_CANNOT_OPEN = {"3D000", "57P01", "57P02", "57P03"}  # no such database, server shutting down / starting


def store_error(exc: psycopg.Error, where: str = "") -> Optional[StoreError]:
    """The coded error for a psycopg exception, or None when it is not the database's fault."""
    detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    state = getattr(exc, "sqlstate", None) or ""
    if state in _BUSY or (state == "57014" and "lock timeout" in detail.lower()):
        code = Codes.E302
    elif state.startswith("53"):  # insufficient resources: disk full, out of memory
        code = Codes.E304
    elif state == "25006":  # read-only transaction (a standby, default_transaction_read_only)
        code = Codes.E305
    elif state in _DAMAGED:
        code = Codes.E303
    elif state.startswith(("08", "28")) or state in _CANNOT_OPEN or (
            isinstance(exc, (psycopg.OperationalError, psycopg.InterfaceError)) and not state):
        code = Codes.E301  # connection failures, authentication, a closed connection
    else:
        return None
    return StoreError(code, detail, where=where)


@contextmanager
def translated(where: str = "") -> Iterator[None]:
    """Re-raise psycopg connection, lock and resource errors raised inside as `StoreError`."""
    try:
        yield
    except psycopg.Error as exc:
        err = store_error(exc, where)
        if err is None:
            raise
        raise err from None


class Row(tuple):
    """A result row read by position or by column name, like `sqlite3.Row`."""

    _index: dict[str, int] = {}

    def __getitem__(self, key):
        if isinstance(key, str):
            return tuple.__getitem__(self, self._index[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._index)


@lru_cache(maxsize=256)
def _row_class(names: tuple[str, ...]) -> type:
    return type("Row", (Row,), {"_index": {n: i for i, n in enumerate(names)}})


def _rows(cursor):
    """psycopg row factory: `Row`s named after the result's columns."""
    if cursor.description is None:
        return tuple
    return _row_class(tuple(c.name for c in cursor.description))


class Connection:
    """One autocommit psycopg connection speaking the SQLite store's dialect."""

    def __init__(self, url: str, where: str, connect_timeout: int = 10):
        self.where = where
        with translated(where):
            self.raw = psycopg.connect(url, autocommit=True, row_factory=_rows, connect_timeout=connect_timeout)

    @property
    def in_transaction(self) -> bool:
        return self.raw.info.transaction_status != psycopg.pq.TransactionStatus.IDLE

    def execute(self, sql: str, parameters=()):
        with translated(self.where):
            return self.raw.execute(to_postgres(sql), tuple(parameters))

    def executemany(self, sql: str, seq_of_parameters):
        rows = [tuple(p) for p in seq_of_parameters]
        with translated(self.where):
            cur = self.raw.cursor()
            if rows:
                cur.executemany(to_postgres(sql), rows)
            return cur

    def script(self, sql: str) -> None:
        """Several statements without parameters (a migration), as they are."""
        with translated(self.where):
            self.raw.execute(sql.encode("utf-8"))

    def stream(self, sql: str, parameters=(), size: int = 2000) -> Iterator:
        """Rows of a query fetched `size` at a time through a server-side cursor, so a scan
        of every record holds one page in memory, not the table. Outside a transaction the
        cursor is `WITH HOLD` (the caller may write between rows)."""
        with translated(self.where):
            cur = self.raw.cursor(name=f"storyline_{next(_CURSOR_NAMES)}", withhold=not self.in_transaction)
            cur.itersize = size
            try:
                cur.execute(to_postgres(sql), tuple(parameters))
                while True:
                    page = cur.fetchmany(size)
                    if not page:
                        break
                    yield from page
            finally:
                if not self.raw.closed:
                    cur.close()

    @contextmanager
    def transaction(self, isolation: Optional[str] = None) -> Iterator[None]:
        """One transaction; COMMIT at the end, ROLLBACK when the body raises."""
        with translated(self.where):
            with self.raw.transaction():
                if isolation:
                    self.raw.execute(f"SET TRANSACTION ISOLATION LEVEL {isolation}")
                yield

    def close(self) -> None:
        self.raw.close()
