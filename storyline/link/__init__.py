"""Corpus linking: work across articles (duplicates, lineage, stories, actors, groups).

Each linker is a function `(store)` declared by its extractor (`linker=` in
`storyline/extractors.py`) that updates the store incrementally after new articles arrive,
at a cost that follows what arrived, not the corpus; linkers run in declaration order.
`relink_all` (and `storyline recluster` for stories) is the only full recomputation.
"""
from __future__ import annotations

from .. import registry


def run_linkers(store) -> None:
    for ext in registry.linkers():
        registry.resolve(ext.linker)(store)


def relink_all(store) -> None:
    """Forget every corpus link and recompute them: after articles were removed (an edited
    input's old version), incremental state such as story centroids and term counts would
    still carry them. Every table a linker owns is emptied and every linker starts from the
    first article. O(corpus), like `storyline recluster`; edits to inputs are rare."""
    linkers = registry.linkers()
    tables = [t for e in linkers for t in e.tables]
    state = [e.link_state for e in linkers if e.link_state]
    store.reset_links(tables=list(dict.fromkeys(tables)), linkers=list(dict.fromkeys(state)))
    run_linkers(store)
