"""The SQLite cursor turns the database's own faults into coded `StoreError`s on every path
(statement, fetch, row iteration) and lets everything else through unchanged."""
from __future__ import annotations

import sqlite3

import pytest

from storyline.errors import Codes, StoreError
from storyline.store.sqlite_errors import Connection


def _conn() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:", factory=Connection)
    conn.where = "test.db"

    def fail(x):
        if x == 3:
            raise ValueError("boom")
        return x

    conn.create_function("fail", 1, fail)
    conn.execute("CREATE TABLE t (x INTEGER)")
    conn.executemany("INSERT INTO t VALUES (?)", [(i,) for i in range(5)])
    return conn


def test_row_iteration_statements_and_fetches_raise_coded_errors(monkeypatch):
    conn = _conn()
    # a user function that raises makes SQLite raise OperationalError at the row it reaches:
    # dress it as a lock to see the translation on each path
    import storyline.store.sqlite_errors as errs

    real = errs.store_error
    monkeypatch.setattr(errs, "store_error",
                        lambda exc, where="": real(sqlite3.OperationalError("database is locked"), where)
                        if "user-defined function raised exception" in str(exc) else real(exc, where))
    rows = conn.execute("SELECT fail(x) FROM t")
    got = []
    with pytest.raises(StoreError) as err:
        for row in rows:  # the fault comes from a row fetch, after the first rows
            got.append(row)
    assert got and got == [(i,) for i in range(len(got))]
    assert err.value.code == Codes.E302 and "test.db" in str(err.value.line())
    with pytest.raises(StoreError):
        conn.execute("SELECT fail(x) FROM t").fetchall()
    with pytest.raises(StoreError):
        conn.execute("SELECT fail(3)")


def test_errors_that_are_not_the_database_s_pass_through_unchanged():
    conn = _conn()
    with pytest.raises(sqlite3.OperationalError, match="no such table"):
        conn.execute("SELECT * FROM missing")
    rows = conn.execute("SELECT fail(x) FROM t")
    with pytest.raises(sqlite3.OperationalError, match="user-defined function"):
        list(rows)
    assert list(conn.execute("SELECT x FROM t WHERE x < 2 ORDER BY x")) == [(0,), (1,)]
