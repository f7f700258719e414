"""Numeric and dated claims: every quantity with its value, qualifier, unit, subject, who
says so and the time it refers to; deadlines and announced dates with their resolved date
(storyline/claims/, described in docs/claims.md).

Assigns `doc._.storyline_claims`. Reads the time component's expressions (dates are not
claims; a deadline's date comes from them) and the quotes component's records (a figure
inside a quote belongs to its speaker). No settings.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..claims.extract import extract_claims
from .context import set_extensions

set_extensions("claims")


class Claims:
    def __call__(self, doc: Doc) -> Doc:
        doc._.storyline_claims = extract_claims(doc, timexes=doc._.storyline_timexes or (),
                                                quotes=doc._.storyline_quotes or ())
        return doc


@Language.factory("storyline_claims", default_config={},
                  requires=["doc._.storyline_timexes", "doc._.storyline_quotes", "token.dep", "doc.sents"],
                  assigns=["doc._.storyline_claims"])
def make_claims(nlp: Language, name: str) -> Claims:
    return Claims()
