"""The Article: one news report as storyline stores it."""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from typing import Optional


@dataclass
class Article:
    text: str
    path: str
    title: Optional[str] = None
    source: Optional[str] = None  # outlet that published it
    author: Optional[str] = None
    url: Optional[str] = None
    published: Optional[str] = None  # ISO date stated by the input; never guessed
    published_precision: Optional[str] = None  # day | month | year
    published_estimate: Optional[dict] = None  # {from, to, basis} when inferred
    dateline: Optional[str] = None
    language: Optional[str] = None
    cites: list = field(default_factory=list)
    format: str = "txt"
    encoding: Optional[str] = None
    id: str = ""

    def __post_init__(self):
        if not self.id:
            self.id = article_id(self.text, self.source, self.url, self.title)

    def to_dict(self) -> dict:
        return asdict(self)


_WS = re.compile(r"\s+")


def normalise_for_id(text: str) -> str:
    return _WS.sub(" ", unicodedata.normalize("NFC", text)).strip().lower()


def article_id(text: str, source: Optional[str] = None, url: Optional[str] = None,
               title: Optional[str] = None) -> str:
    """Stable id from the normalised text, plus outlet/url/title when the input states them.

    Two outlets printing the same wire copy verbatim are two articles (duplicates of each
    other, found later), while re-reading the same input always gives the same id.
    """
    h = hashlib.sha256()
    for part in (text, source or "", url or "", title or ""):
        h.update(normalise_for_id(scrub(part)).encode("utf-8"))
        h.update(b"\x1f")
    return "a" + h.hexdigest()[:15]


def scrub(s: str) -> str:
    """Replace lone surrogates (JSON's "\\ud83d" escapes decode to them) with U+FFFD:
    they cannot be encoded, hashed, parsed or stored as UTF-8."""
    try:
        s.encode("utf-8")
        return s
    except UnicodeEncodeError:
        return s.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


def clean_text(text: str) -> str:
    """Normalise newlines and unicode form; strip BOM and trailing spaces on lines."""
    text = scrub(text).replace("\ufeff", "").replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    text = re.sub(r"\n{3,}", "\n\n", text)
    text = _PUNCT_RUN.sub(_break_run, text)
    return text.strip()


# spaCy's tokenizer strips prefix and suffix punctuation one character at a time, re-matching
# the rest each time: quadratic in the length of a space-free run of punctuation (10,000
# quote marks took 98 s). Runs longer than this get a space every MAX_PUNCT_RUN characters;
# no real text has 64 punctuation marks in a row.
MAX_PUNCT_RUN = 64
_PUNCT_RUN = re.compile(r"[^\w\s]{%d,}" % (MAX_PUNCT_RUN + 1))


def _break_run(m: re.Match) -> str:
    run = m.group(0)
    return " ".join(run[i:i + MAX_PUNCT_RUN] for i in range(0, len(run), MAX_PUNCT_RUN))


def input_of(path: str) -> str:
    """The input file of an article path ('feed.jsonl#3' -> 'feed.jsonl')."""
    return path.split("#", 1)[0]


def salted_id(article_id_: str, path: str) -> str:
    """The id of an article whose text and stated metadata equal those of an article from
    another input (two files, one text): its own id, derived from the first one and its
    path, so that each input stays an article (the duplicates linker then marks it
    `duplicate_of` the first) and a re-run derives the same id again."""
    h = hashlib.sha256(f"{article_id_}\x1f{path}".encode("utf-8", "surrogatepass"))
    return "a" + h.hexdigest()[:15]
