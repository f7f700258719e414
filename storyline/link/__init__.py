"""Corpus linking: work across articles (duplicates, lineage, stories, actors, groups).

Each linker is a function `(store)` declared by its extractor (`linker=` in
`storyline/extractors.py`) that updates the store incrementally after new articles arrive,
at a cost that follows what arrived, not the corpus; linkers run in declaration order.
`relink_all` (and `storyline recluster` for stories) is the only full recomputation.
"""
from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from .. import registry


def run_linkers(store, views: bool = True) -> None:
    """Every linker, in declaration order. `views=False` (a link pass during a run) leaves
    out the linkers whose product only readers use (`Extractor.view`: the briefs): no later
    linker reads it, its progress marker stays where it was, and the pass at the run's end
    brings it up to date at once, so a story that gained articles in every pass is
    briefed once, not once a pass."""
    with _heap_frozen():
        for ext in registry.linkers():
            if views or not ext.view:
                registry.resolve(ext.linker)(store)


@contextmanager
def _heap_frozen() -> Iterator[None]:
    """While the linkers run, the objects alive before them (the loaded spaCy pipeline, the
    engine's state) are left out of the cycle collector's full passes (`gc.freeze`), which
    otherwise walk them again each time the records the linkers decode pile up: about half
    of the collector's time during linking (0.16 -> 0.08 CPU s on 84 PolNeAR articles after
    parsing them). What the linkers make is collected as before; nothing changes but the
    time. Left alone when the process froze objects itself or turned the collector off."""
    if gc.get_freeze_count() or not gc.isenabled():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


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
