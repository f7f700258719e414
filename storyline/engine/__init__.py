"""Runs the per-article stage (ingest, parse, extract, store) and then corpus linking."""
from .local import RunSummary, analyze

__all__ = ["analyze", "RunSummary"]
