"""Corpus linking: work across articles (duplicates, lineage, stories, groups, timelines).

Each linker is a function `(store) -> None` that updates the store incrementally after new
articles arrive. Later work registers its linkers in `LINKERS`, in the order they depend
on each other.
"""
from __future__ import annotations

from typing import Callable

from .actors import link_actors
from .duplicates import link_duplicates
from .stories import link_stories

LINKERS: list[Callable] = [link_duplicates, link_stories, link_actors]


def run_linkers(store) -> None:
    for linker in LINKERS:
        linker(store)


def relink_all(store) -> None:
    """Forget every corpus link and recompute them: after articles were removed (an edited
    input's old version), incremental state such as story centroids and term counts would
    still carry them. O(corpus), like `storyline recluster`; edits to inputs are rare."""
    from .state import set_last_seq, transaction

    with transaction(store) as conn:
        conn.execute("DELETE FROM dup_bands")
        conn.execute("DELETE FROM stories")
        conn.execute("DELETE FROM term_df")
        conn.execute("UPDATE articles SET duplicate_of=NULL, story=NULL")
        set_last_seq(store, "duplicates", 0)
        set_last_seq(store, "stories", 0)
    run_linkers(store)
