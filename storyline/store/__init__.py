"""Storage behind one interface; SQLite is the embedded default."""
from .sqlite import DEFAULT_DB, SQLiteStore


def open_store(path: str = DEFAULT_DB) -> SQLiteStore:
    return SQLiteStore(path)


__all__ = ["open_store", "SQLiteStore", "DEFAULT_DB"]
