"""One declaration per extractor, iterated by the pipeline, the engine, the export, the eval
harness, relinking and the docs.

An `Extractor` names everything one extractor brings: the spaCy factory that finds its
records in a Doc, the record kind the store keeps them under, the export sections it fills,
its `storyline eval` tasks, the corpus linker that works across articles, and the tables
that linker owns (cleared when the corpus is relinked). Functions are given as
`"module:function"` strings and imported only when used, so reading the registry is cheap
and imports nothing heavy (the CLI's `--help` stays fast; the store never sees spaCy).

The built-in extractors are declared in `storyline/extractors.py`; other packages can add
theirs with `register(Extractor(...))`, or through the `storyline_extractors` entry point
group (a catalogue registry, the way spaCy registers factories).
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

import catalogue

EXTENSION_PREFIX = "storyline_"

_extractors = catalogue.create("storyline", "extractors", entry_points=True)


@dataclass(frozen=True)
class Extractor:
    name: str
    # spaCy factory (registered by `component` on import) that assigns Doc._.storyline_<records>
    factory: Optional[str] = None
    component: Optional[str] = None
    records: Optional[str] = None  # record kind in the store
    sections: dict[str, str] = field(default_factory=dict)  # export section -> "module:fn(store)"
    eval_tasks: dict[str, str] = field(default_factory=dict)  # task -> "module:fn(path, **options)"
    linker: Optional[str] = None  # "module:fn(store)", run after new articles arrive
    link_state: Optional[str] = None  # the linker's progress marker, reset on relink
    tables: tuple[str, ...] = ()  # link-owned tables, emptied on relink
    # a linker whose product only readers use (no later linker reads it: the briefs): the
    # link passes during a run leave it out, and the pass at the run's end catches it up
    view: bool = False
    description: str = ""

    @property
    def extension(self) -> Optional[str]:
        """The Doc extension holding this extractor's records."""
        return EXTENSION_PREFIX + self.records if self.records else None


def register(extractor: Extractor) -> Extractor:
    """Add (or replace) an extractor; later ones run after earlier ones."""
    _extractors.register(extractor.name, func=extractor)
    return extractor


def unregister(name: str) -> None:
    """Remove an extractor (tests that register a temporary one clean up with this)."""
    catalogue._remove(("storyline", "extractors", name))  # catalogue has no public remove


def extractors() -> list[Extractor]:
    """Every declared extractor, in declaration order (built-ins first)."""
    importlib.import_module("storyline.extractors")
    return list(_extractors.get_all().values())


def get(name: str) -> Extractor:
    return _extractors.get(name)


def resolve(ref: str) -> Callable[..., Any]:
    """`"package.module:function"` -> the function."""
    module, _, attr = ref.partition(":")
    return getattr(importlib.import_module(module), attr)


# --- views each consumer iterates -----------------------------------------------------
def components() -> list[Extractor]:
    return [e for e in extractors() if e.factory]


def linkers() -> list[Extractor]:
    return [e for e in extractors() if e.linker]


def section_builders() -> dict[str, str]:
    out: dict[str, str] = {}
    for e in extractors():
        out.update(e.sections)
    return out


def eval_tasks() -> dict[str, str]:
    out: dict[str, str] = {}
    for e in extractors():
        out.update(e.eval_tasks)
    return out


def link_tables() -> list[str]:
    return [t for e in extractors() for t in e.tables]
