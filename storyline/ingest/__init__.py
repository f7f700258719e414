"""Ingest: inputs (files, folders, stdin) to Articles with recovered metadata."""
from .article import Article, article_id
from .walk import DEFAULT_MAX_BYTES, MAX_ARTICLE_CHARS, InputFile, iter_input_files, read_input

__all__ = ["Article", "article_id", "InputFile", "iter_input_files", "read_input", "DEFAULT_MAX_BYTES",
           "MAX_ARTICLE_CHARS"]
