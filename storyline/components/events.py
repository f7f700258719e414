"""Political events coded in PLOVER (with CAMEO root code and quad class): who did what to
whom, when and where, with negation, conditionals, intent and the speaker when the event is
reported inside a quote (storyline/events/, described in docs/events.md).

Assigns `doc._.storyline_events`. Reads the time component's expressions (the event's date)
and the quotes component's records (`source_quote`). Every event is kept with its
`confidence`; exports and the report show those at or above `DEFAULT_THRESHOLD`.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..events.extract import extract_events
from .context import set_extensions

set_extensions("events")


class Events:
    def __call__(self, doc: Doc) -> Doc:
        doc._.storyline_events = extract_events(doc, timexes=doc._.storyline_timexes or (),
                                                quotes=doc._.storyline_quotes or ())
        return doc


@Language.factory("storyline_events", default_config={},
                  requires=["doc._.storyline_timexes", "doc._.storyline_quotes", "token.dep", "doc.sents", "doc.ents"],
                  assigns=["doc._.storyline_events"])
def make_events(nlp: Language, name: str) -> Events:
    return Events()
