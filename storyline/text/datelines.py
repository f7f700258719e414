"""Dateline patterns: "KABUL (Reuters) -", "BRANNOCK —", "WASHINGTON, March 3 (AP) -".

The one home of every dateline regex. Each reader needs a slightly different cut of the same
shape, so each has its own named pattern here (their exact forms are calibrated: changing
one moves the entity, quote or metadata figures).
"""
from __future__ import annotations

import re

# A line of the text that opens with a capitalised place (optionally ", COUNTRY") followed
# by "(Outlet)" or a dash; group `place`. Scanned over a whole text (multi-line): the
# entity ruler makes the place a GPE.
DATELINE_PLACE = re.compile(r"^[ \t]*(?P<place>[A-Z][A-Z'\.\-]+(?:[ \t]+[A-Z][A-Z'\.\-]+){0,3})"
                            r"(?:,[ \t]*[A-Z][A-Za-z\.]+(?:[ \t]+[A-Z][A-Za-z\.]+)?)?[ \t]*(?:\(|[-–—])", re.M)

# A dateline at the very start of a paragraph, with its optional date and agency; groups
# `place`, `date`, `agency`. Ingest records it as the article's dateline.
DATELINE_HEADER = re.compile(
    r"^(?P<place>[A-Z][A-Z'.\-]{2,}(?:[ /][A-Z][A-Z'.\-]+){0,3}(?:,\s*[A-Z][A-Za-z.]+(?:\s[A-Z][a-z]+)?)?)"
    r"(?:,\s*(?P<date>[A-Z][a-z]{2,8}\.?\s+\d{1,2}))?"
    r"\s*(?:\((?P<agency>[^()\n]{2,40})\))?"
    r"\s*(?:[-\u2013\u2014]{1,2}|:)\s+"
)

# The dateline prefix of a span, up to and including the dash and the spaces after it (used
# with `.match(text, start, end)`): quote content never includes the writer's dateline.
DATELINE_PREFIX = re.compile(r"[A-Z][A-Z.,' ]+(?:\([^)\n]{1,60}\))?\s*(?:[—–]|--?)\s+")

# A dateline crediting a wire agency ("WASHINGTON (Reuters) -"); group `a`, the agency.
# For the copy lineage linker (storyline/link/lineage.py keeps its own copy until it
# switches to this one).
WIRE_DATELINE = re.compile(r"^\s*[A-Z][A-Za-z .,'/\-]{1,60}?\s*\((?P<a>[^()\n]{2,40})\)\s*(?:[-\u2013\u2014]{1,2}|:)\s")
