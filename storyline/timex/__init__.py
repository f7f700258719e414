"""Time expressions: find them in text (`patterns`), resolve them TIMEX3-style against the
report's own date (`resolve`), estimate an undated report's window (`estimate`).

Pure functions over text and an optional spaCy Doc; no store, no CLI.
"""
from .extract import extract_timexes, timex_for_span  # noqa: F401
