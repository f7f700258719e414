"""storyline: evidence-backed analysis of many news reports about developing stories."""

__version__ = "0.1.0"
