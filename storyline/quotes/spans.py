"""Shared pieces of attribution extraction: the Attribution record and character-span
helpers (trimming, datelines, closing a quote mark the content opened)."""
from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from ..text.datelines import DATELINE_PREFIX

EDGE_PUNCT = " \t\r\n,;:—–-"
# Characters allowed between a quote segment and the clause that attributes it.
GLUE_CHARS = " \t\r\n,:;—–-"
GLUE = set(GLUE_CHARS)


def only_glue(text: str, start: int, end: int) -> bool:
    """`set(text[start:end]) <= GLUE`, without hashing every character of a long stretch."""
    return not text[start:end].lstrip(GLUE_CHARS)


@dataclass
class Attribution:
    cue: tuple[int, int]  # char span
    content: tuple[int, int]  # char span
    source: tuple[int, int] | None = None  # char span
    told: tuple[int, int] | None = None  # char span of the addressee ("told Reuters")
    verb: int | None = None  # token index of the cue verb (None for "according to")
    quoted: bool = False  # content is a whole direct-quote segment
    source_extent: tuple[int, int] | None = None  # the subject's whole subtree (dates hide there)
    lemma: str = ""  # the cue verb's lemma ("" for "according to", dashes, labels)
    via: tuple[int, int] | None = None  # char span of the outlet it was reported by ("…, according to Reuters")


def trim(text: str, start: int, end: int, extra: str = "") -> tuple[int, int]:
    chars = EDGE_PUNCT + extra
    while start < end and (text[start] in chars or text[start].isspace()):
        start += 1
    while end > start and (text[end - 1] in chars or text[end - 1].isspace()):
        end -= 1
    return start, end


def tokens_span(doc: Doc, first: int, last: int) -> tuple[int, int]:
    return doc[first].idx, doc[last].idx + len(doc[last])


def subtree_chars(tok: Token) -> tuple[int, int]:
    return tokens_span(tok.doc, tok.left_edge.i, tok.right_edge.i)


def strip_dateline(text: str, start: int, end: int) -> tuple[int, int]:
    """"BRANNOCK — The number …" / "KESSARA (Meridian Wire) - …": the dateline is the
    writer's, not the speaker's."""
    m = DATELINE_PREFIX.match(text, start, end)
    return (m.end(), end) if m else (start, end)


def balance(text: str, start: int, end: int) -> tuple[int, int]:
    """Take in a closing mark that follows the content when the content opened a quote."""
    opened = text.count("“", start, end) - text.count("”", start, end)
    straight = text.count('"', start, end) % 2
    if opened > 0 or straight:
        j = end
        while j < len(text) and text[j] in ".,;:!? ":
            j += 1
        if j < len(text) and text[j] in '”"' and j - end <= 2:
            return start, j + 1
    return start, end
