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
