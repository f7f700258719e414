"""Actors within one article: each entity mention, surname, title description ("the
minister"), clear pronoun and metonym ("Ankara said") linked to one local entity, with
roles and an actor type. Assigns `doc._.actors`: one record per local entity, its `span`
being its first mention; the corpus linker (storyline/link/actors.py) merges them across
articles into canonical actors.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..actors.gazetteer import load
from ..actors.linking import link_article
from .context import guarded

if not Doc.has_extension("actors"):
    Doc.set_extension("actors", default=None)


@Language.factory("storyline_actors", requires=["doc._.mentions", "token.dep", "doc.sents"],
                  assigns=["doc._.actors"])
def make_actors(nlp: Language, name: str):
    gaz = load()

    def component(doc: Doc) -> Doc:
        doc._.actors = link_article(doc, doc._.mentions or [], gaz)
        return doc

    return guarded(name, component)
