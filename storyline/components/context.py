"""Doc extensions: every one storyline sets carries the `storyline_` prefix, so it never
silently shares a name with another library's extension.

The article's metadata (`storyline_article_id`, `storyline_published`,
`storyline_published_precision`) is set by the engine before the Doc goes through the
pipeline; a spaCy user running a component on their own Doc may leave it unset (None).
"""
from spacy.tokens import Doc

PREFIX = "storyline_"


def extension(name: str) -> str:
    """The Doc extension that holds `name` ("quotes" -> "storyline_quotes"): a record
    kind's records or an article field."""
    return PREFIX + name


def set_extensions(*names: str) -> None:
    """Register `doc._.storyline_<name>` (default None) for each name."""
    for name in names:
        if not Doc.has_extension(extension(name)):
            Doc.set_extension(extension(name), default=None)


set_extensions("article_id", "published", "published_precision")
