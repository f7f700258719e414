"""Time expressions: find them in text (`patterns`), resolve them TIMEX3-style against the
report's own date (`resolve`), estimate an undated report's window (`estimate`).

Pure functions over text and an optional spaCy Doc; no store, no CLI.
"""
from .dating import timex_for_span, timex_for_verb  # noqa: F401
from .extract import extract_timexes  # noqa: F401
