"""Name normalisation: one way to compare actor names ("the Taliban's" and "Taliban").

Used by the gazetteer lookup, the entity ruler, within-article linking and the cross-article
merge. Plain strings only: no spaCy (the corpus linker imports the merge).
"""
from __future__ import annotations

import re

_SPACE = re.compile(r"\s+")
_POSSESSIVE = re.compile(r"['’]s$")
_ARTICLE = re.compile(r"^(?:[Tt]he) ")


def collapse(text: str) -> str:
    """Runs of white space as one space, ends trimmed."""
    return _SPACE.sub(" ", text).strip()


def drop_possessive(text: str) -> str:
    """ "Turkey's" -> "Turkey"."""
    return _POSSESSIVE.sub("", text)


def drop_article(text: str) -> str:
    """ "The Kremlin" -> "Kremlin"."""
    return _ARTICLE.sub("", text)


def possessive(name: str) -> str:
    """ "France" -> "France's", "United States" -> "United States'"."""
    return name + ("'" if name.endswith("s") else "'s")


def norm(text: str) -> str:
    """A name as compared within an article: no leading "the", no possessive, no edge
    punctuation; case kept."""
    return drop_article(drop_possessive(collapse(text))).strip(" .,;:")


def norm_key(text: str) -> str:
    """A name as compared across articles: `norm`, lower case."""
    return norm(text).lower()


def contains(words: list[str], part: list[str]) -> bool:
    """`part` occurs as a contiguous run of `words`."""
    n = len(part)
    return 0 < n <= len(words) and any(words[i:i + n] == part for i in range(len(words) - n + 1))
