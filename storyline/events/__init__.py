"""Political events in PLOVER and CAMEO: pure domain logic over a parsed spaCy Doc.

`extract_events(doc, text=None, timexes=(), quotes=())` -> JSON-ready event records;
`group_events(events, articles)` -> event groups across the articles of a story.
No imports of storyline.components, storyline.store or storyline.link.
"""
from .extract import DEFAULT_THRESHOLD, extract_events
from .groups import group_events

__all__ = ["extract_events", "group_events", "DEFAULT_THRESHOLD"]
