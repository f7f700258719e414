"""Actors within one article: each entity mention, surname, title description ("the
minister"), clear pronoun and metonym ("Ankara said") linked to one local entity, with
roles and an actor type. Assigns `doc._.storyline_actors`: one record per local entity, its
`span` being its first mention; the corpus linker (storyline/link/actors.py) merges them
across articles into canonical actors.

No settings: the gazetteer is package data (storyline/data/gazetteer_*.json).
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..actors.gazetteer import load
from ..actors.linking import link_article
from .context import set_extensions

set_extensions("actors")


class LocalActors:
    def __init__(self):
        self.gaz = load()

    def __call__(self, doc: Doc) -> Doc:
        doc._.storyline_actors = link_article(doc, doc._.storyline_mentions or [], self.gaz)
        return doc


@Language.factory("storyline_actors", default_config={},
                  requires=["doc._.storyline_mentions", "token.dep", "doc.sents"],
                  assigns=["doc._.storyline_actors"])
def make_actors(nlp: Language, name: str) -> LocalActors:
    return LocalActors()
