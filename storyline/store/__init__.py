"""Storage behind one interface (`Store`); SQLite is the embedded default."""
from .protocol import Store
from .sqlite import DEFAULT_DB, SQLiteStore


def open_store(path: str = DEFAULT_DB) -> SQLiteStore:
    return SQLiteStore(path)


__all__ = ["open_store", "Store", "SQLiteStore", "DEFAULT_DB"]
