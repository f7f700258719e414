"""spaCy pipeline components, one module per extractor. Each registers a factory (with a
`default_config` holding its calibrated settings, and the `requires`/`assigns` it reads and
writes) that assigns `doc._.storyline_<kind>`: a list of JSON-ready records, each with
`span = {start, end, text}` character offsets into `doc.text`. Which components the
pipeline adds, in which order, and under which record kind the store keeps their output is
declared once per extractor in storyline/extractors.py.

Components never import the store, linking, outputs or the CLI; they read the article's
metadata from `doc._.storyline_published` (set by the engine), never from the clock.
"""
