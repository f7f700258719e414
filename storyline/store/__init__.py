"""Storage behind one interface (`Store`): SQLite is the embedded default, PostgreSQL the
shared one (`postgresql://` URLs; needs the `scale` extra: psycopg).

Test seam: with `STORYLINE_TEST_PG_FILES` set to a PostgreSQL server's admin URL, every
SQLite file path given to `open_store` stands for its own database on that server
(`postgres.file_database`), so the same tests, and the CLI runs they start, run on
PostgreSQL unchanged (`make test`'s second pass; tests/conftest.py sets it). Not for use
outside the tests: the file is replaced by a small stand-in that names the database.
"""
from __future__ import annotations

import os

from .protocol import Store
from .sqlite import DEFAULT_DB, SQLiteStore

SCHEMES = ("postgresql://", "postgres://")
TEST_PG_FILES = "STORYLINE_TEST_PG_FILES"


def is_url(path: str) -> bool:
    """Whether `--db` names a PostgreSQL server rather than a SQLite file."""
    return path.startswith(SCHEMES)


def open_store(path: str = DEFAULT_DB) -> SQLiteStore:
    """The store at `path`: a SQLite file, or a PostgreSQL database for a `postgresql://` URL
    (`PostgresStore`, a `SQLiteStore` over another connection)."""
    server = "" if is_url(path) or path == ":memory:" else os.environ.get(TEST_PG_FILES, "")
    if is_url(path) or server:
        try:
            from .postgres import PostgresStore, file_database
        except ImportError as exc:
            from ..errors import Codes, StoreError

            raise StoreError(Codes.E301, f"PostgreSQL needs psycopg ({exc.name} is not installed): "
                                         "pip install 'storyline[scale]'", where=path.split("@")[-1]) from None
        url = file_database(path, server) if server else path
        if url is not None:
            return PostgresStore(url)
    return SQLiteStore(path)


__all__ = ["open_store", "is_url", "Store", "SQLiteStore", "DEFAULT_DB", "TEST_PG_FILES"]
