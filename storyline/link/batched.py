"""Linkers that walk the articles that arrived, one at a time, commit in batches."""
from __future__ import annotations

from itertools import islice
from typing import Callable, Iterable

from ..store.protocol import Store

BATCH = 32  # articles per transaction


def in_transactions(store: Store, items: Iterable[dict], handle: Callable[[dict], None], size: int = BATCH) -> None:
    """`handle` each item, `size` of them per transaction. `handle` notes the linker's
    progress with the item's own changes, so a kill loses at most one batch, which the next
    run redoes (a commit per article cost a third of the stories linker's CPU)."""
    it = iter(items)
    while True:
        with store.transaction():
            n = 0
            for item in islice(it, size):
                n += 1
                handle(item)
        if n < size:
            return
