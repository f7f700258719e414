"""Bookkeeping for incremental linkers: how far each linker has got (by article `seq`)."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator


def get_last_seq(store, linker: str) -> int:
    row = store.conn.execute("SELECT last_seq FROM link_state WHERE linker=?", (linker,)).fetchone()
    return row[0] if row else 0


def set_last_seq(store, linker: str, seq: int) -> None:
    store.conn.execute("INSERT INTO link_state (linker, last_seq) VALUES (?, ?) "
                       "ON CONFLICT(linker) DO UPDATE SET last_seq=excluded.last_seq", (linker, seq))


def new_articles(store, after_seq: int) -> Iterator[dict]:
    """Articles that arrived after `after_seq`, in order of arrival."""
    rows = store.conn.execute("SELECT id FROM articles WHERE seq > ? ORDER BY seq", (after_seq,)).fetchall()
    for (aid,) in rows:
        art = store.article(aid)
        if art is not None:
            yield art


@contextmanager
def transaction(store):
    """One atomic write (the store's connection is in autocommit mode)."""
    conn = store.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
