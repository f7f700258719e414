"""Storage behind one interface (`Store`): SQLite is the embedded default, PostgreSQL the
shared one (`postgresql://` URLs; needs the `scale` extra: psycopg)."""
from __future__ import annotations

from .protocol import Store
from .sqlite import DEFAULT_DB, SQLiteStore

SCHEMES = ("postgresql://", "postgres://")


def is_url(path: str) -> bool:
    """Whether `--db` names a PostgreSQL server rather than a SQLite file."""
    return path.startswith(SCHEMES)


def open_store(path: str = DEFAULT_DB) -> SQLiteStore:
    """The store at `path`: a SQLite file, or a PostgreSQL database for a `postgresql://` URL
    (`PostgresStore`, a `SQLiteStore` over another connection)."""
    if is_url(path):
        try:
            from .postgres import PostgresStore
        except ImportError as exc:
            from ..errors import Codes, StoreError

            raise StoreError(Codes.E301, f"PostgreSQL needs psycopg ({exc.name} is not installed): "
                                         "pip install 'storyline[scale]'", where=path.split("@")[-1]) from None
        return PostgresStore(path)
    return SQLiteStore(path)


__all__ = ["open_store", "is_url", "Store", "SQLiteStore", "DEFAULT_DB"]
