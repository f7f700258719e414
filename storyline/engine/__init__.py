"""Runs the per-article stage (ingest, parse, extract, store) and then corpus linking:
`local` (this process, or spaCy worker processes) or `dask` (Dask workers; imported on
demand, it needs the `scale` extra)."""
from .local import RunSummary, analyze

ENGINES = ("local", "dask")

__all__ = ["analyze", "RunSummary", "ENGINES"]
