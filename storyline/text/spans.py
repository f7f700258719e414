"""The span record: character offsets into the article text plus the words themselves."""
from __future__ import annotations


def span_record(text: str, start: int, end: int) -> dict:
    """`{start, end, text}` for text[start:end]; `text` is the whole article (read once: a
    spaCy Doc rebuilds `doc.text` on every access)."""
    return {"start": start, "end": end, "text": text[start:end]}
