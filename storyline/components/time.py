"""Time expressions, resolved against the report's own date (`doc._.storyline_published`).

Assigns `doc._.storyline_timexes`: records `{text, span, type, value, precision, anchor[, mod,
note]}` (TIMEX3 type and value; value None when it cannot be resolved). For an undated
report it also sets `doc._.storyline_published_estimate = {from, to, basis}` from the
absolute dates it mentions. Relative expressions in an undated report stay unresolved
(anchor "none"); they are never anchored to today or to the file time.

Config: `estimate_window_days`, the length of an undated report's estimated publication
window (storyline/timex/estimate.py).

Later components find the expression that dates words with
`storyline.timex.timex_for_span(doc, start, end)` or a verb with `timex_for_verb`.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..timex.dating import timex_for_span  # noqa: F401  (re-exported)
from ..timex.estimate import WINDOW_DAYS, estimate_window
from ..timex.extract import extract_timexes
from .context import set_extensions

set_extensions("timexes", "published_estimate")


def doc_timexes(doc: Doc) -> list[dict]:
    return extract_timexes(doc.text, doc._.storyline_published, doc)


class TimeExpressions:
    def __init__(self, estimate_window_days: int):
        self.window_days = estimate_window_days

    def __call__(self, doc: Doc) -> Doc:
        doc._.storyline_timexes = doc_timexes(doc)
        if not doc._.storyline_published:
            doc._.storyline_published_estimate = estimate_window(doc._.storyline_timexes, self.window_days)
        return doc


@Language.factory("storyline_time", default_config={"estimate_window_days": WINDOW_DAYS},
                  requires=["token.dep", "token.tag"],
                  assigns=["doc._.storyline_timexes", "doc._.storyline_published_estimate"])
def make_time(nlp: Language, name: str, estimate_window_days: int) -> TimeExpressions:
    return TimeExpressions(estimate_window_days)
