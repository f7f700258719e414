"""Claims: numeric and dated statements in an article, and how they line up across sources.

Pure domain logic: `extract_claims` reads a parsed spaCy Doc (plus optional timex and quote
records), `group_claims` works on plain claim and article records. No store, no components.
"""
from .extract import extract_claims
from .groups import group_claims
from .numbers import parse_number

__all__ = ["extract_claims", "group_claims", "parse_number"]
