"""spaCy pipeline components. Each module registers one factory; each factory reads the
parsed Doc and assigns one `Doc._` extension holding a list of JSON-ready records, each with
`span = {start, end, text}` character offsets into `doc.text`.

`COMPONENTS` is the order the storyline pipeline adds them in, with the extension that
holds each one's records (the store persists those under the same kind name).
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ComponentSpec:
    factory: str  # registered spaCy factory name
    module: str  # module that registers it (imported before the pipeline is built)
    records: str  # Doc._ extension holding its records; also the store's record kind


COMPONENTS = [
    ComponentSpec("storyline_entities", "storyline.components.entities", "mentions"),
    ComponentSpec("storyline_actors", "storyline.components.actors", "actors"),
    ComponentSpec("storyline_time", "storyline.components.time", "timexes"),
    ComponentSpec("storyline_quotes", "storyline.components.quotes", "quotes"),
]
