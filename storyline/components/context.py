"""Per-document context that components may read: what the article's metadata says.

Set by the engine before the Doc goes through the pipeline; a spaCy user running a
component on their own Doc may leave it unset (None).
"""
from spacy.tokens import Doc

for _name in ("article_id", "published", "published_precision"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


_LAST_TEXT: list = [None, ""]


def doc_text(doc: Doc) -> str:
    """`doc.text`, built once per Doc: spaCy joins every token on each access, which made
    per-mention slicing the costliest step of the entity and actor components (4,448
    rebuilds for 30 PolNeAR articles, 22 of 25 profiled seconds). The cache holds the last
    Doc only; a Doc's text never changes once made."""
    if _LAST_TEXT[0] is not doc:
        _LAST_TEXT[0], _LAST_TEXT[1] = doc, doc.text
    return _LAST_TEXT[1]


_LAST_ENTS: list = [None, ()]


def doc_ents(doc: Doc, fresh: bool = False) -> tuple:
    """`doc.ents`, built once: spaCy makes a new tuple of Spans on each access, which made
    speaker resolution quadratic in long articles. A component that reads entities many
    times calls `doc_ents(doc, fresh=True)` once at its start (entities may have changed
    since the last component), then `doc_ents(doc)`."""
    if fresh or _LAST_ENTS[0] is not doc:
        _LAST_ENTS[0], _LAST_ENTS[1] = doc, tuple(doc.ents)
    return _LAST_ENTS[1]


def span_record(doc: Doc, start: int, end: int) -> dict:
    """The one span schema: character offsets into doc.text plus the text itself."""
    return {"start": start, "end": end, "text": doc_text(doc)[start:end]}


if not Doc.has_extension("errors"):
    Doc.set_extension("errors", default=None)


def guarded(name: str, fn):
    """Wrap a component so an exception on one Doc is recorded on it (`doc._.errors`)
    instead of ending the whole batch; the engine reports that article as failed (E201)."""

    def component(doc: Doc) -> Doc:
        try:
            return fn(doc)
        except Exception as exc:  # one bad document never sinks the batch
            doc._.errors = (doc._.errors or []) + [f"{name}: {type(exc).__name__}: {exc}"]
            return doc

    return component
