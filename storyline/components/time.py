"""Time expressions, resolved against the report's own date (`Doc._.published`).

Assigns `doc._.timexes`: records `{text, span, type, value, precision, anchor[, mod, note]}`
(TIMEX3 type and value; value None when it cannot be resolved). For an undated report it
also sets `doc._.published_estimate = {from, to, basis}` from the absolute dates it
mentions. Relative expressions in an undated report stay unresolved (anchor "none"); they
are never anchored to today or to the file time.

Later components find the expression that dates a verb with
`storyline.timex.timex_for_span(doc, start, end)`.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..timex.estimate import estimate_window
from ..timex.extract import extract_timexes, timex_for_span  # noqa: F401  (re-exported)
from .context import guarded

for _name in ("timexes", "published_estimate"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


def doc_timexes(doc: Doc) -> list[dict]:
    return extract_timexes(doc.text, doc._.published, doc)


@Language.factory("storyline_time", requires=["token.dep", "token.tag"],
                  assigns=["doc._.timexes", "doc._.published_estimate"])
def make_time(nlp: Language, name: str):
    def component(doc: Doc) -> Doc:
        doc._.timexes = doc_timexes(doc)
        if not doc._.published:
            doc._.published_estimate = estimate_window(doc._.timexes)
        return doc

    return guarded(name, component)
