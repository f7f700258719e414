"""Recover the metadata that plain-text news usually carries in its first and last lines.

Header lines (a date line, a headline, a byline, "Posted on ... by ..." repost lines) and
trailer lines ("Source: X") are taken out of the body; the dateline ("ISLAMABAD -",
"WASHINGTON (Reuters) -") stays in the body, since it is part of the first paragraph, and is
recorded. What the text does not state stays None: a publication date is never invented.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from ..text.datelines import DATELINE_HEADER
from .dates import parse_date
from .outlets import find_cited_outlets, is_outlet, longest_outlet_prefix

HEADER_SCAN_LINES = 8  # header fields sit in the first few non-empty lines
DATELINE_SCAN_PARAGRAPHS = 3  # a repost's introduction is one or two paragraphs

_DATE_LINE = re.compile(r"^(?:date[d]?|published(?: on)?|updated(?: on)?|posted(?: on)?)\s*[:\-]?\s*(?P<d>.+)$", re.I)
_POSTED = re.compile(r"^posted\s+(?:on\s+)?(?P<d>.+?)(?:\s+by\s+(?P<by>[^|]+?))?\s*$", re.I)
_BYLINE = re.compile(r"^(?:by|written by|author\s*:|authors?\s*:|reporting by)\s+(?P<by>.+)$", re.I)
_SOURCE_LINE = re.compile(r"^(?:source|sources|via|originally published (?:by|in|at))\s*:\s*(?P<o>.+?)\s*\.?$", re.I)
_PERSON_NAME = re.compile(r"^[A-Z][\w.'\-]+(?:\s+(?:[A-Z][\w.'\-]+|van|von|de|al|bin|ibn|da|di|le|la)){0,4}$")


@dataclass
class TextMeta:
    body: str
    title: Optional[str] = None
    author: Optional[str] = None
    published: Optional[str] = None
    published_precision: Optional[str] = None
    dateline: Optional[str] = None
    dateline_agency: Optional[str] = None
    byline_outlet: Optional[str] = None
    source: Optional[str] = None
    cites: list = field(default_factory=list)
    reposted: bool = False


def _fold(s: str) -> str:
    return re.sub(r"\W+", " ", s).strip().lower()


def _split_byline(by: str) -> tuple[Optional[str], Optional[str]]:
    """'Jane Doe, Reuters' -> ('Jane Doe', 'Reuters'); 'Jane Doe and John Roe' kept whole."""
    by = by.strip().strip("|").strip()
    parts = [p.strip() for p in re.split(r"\s*[,|;]\s*|\s+(?:for|of)\s+(?=[A-Z])", by) if p.strip()]
    if not parts:
        return None, None
    outlet = next((longest_outlet_prefix(p) for p in parts[1:] if longest_outlet_prefix(p)), None)
    names = [p for p in parts if not is_outlet(p)]
    return (names[0] if names else None), outlet


def _is_headline(line: str, next_lines: list[str]) -> bool:
    if not next_lines or len(line) > 200 or DATELINE_HEADER.match(line):
        return False
    words = line.split()
    if len(words) > 30:
        return False
    # headlines do not end like a sentence; a following "Source:" line is no body
    if line.endswith((".", ",", ";", ":")):
        return False
    return any(l.strip() and not _SOURCE_LINE.match(l.strip()) for l in next_lines)


def recover(text: str, known_title: Optional[str] = None) -> TextMeta:
    """Split header/trailer metadata from the body. `known_title` (from HTML or a JSON
    record) is dropped where the text repeats it, and no other line is taken as the title."""
    lines = text.split("\n")
    meta = TextMeta(body=text)
    known = _fold(known_title) if known_title else None
    drop: set[int] = set()
    nonempty = [i for i, l in enumerate(lines) if l.strip()]

    # header: first few non-empty lines
    title_seen = known is not None
    for pos, i in enumerate(nonempty[:HEADER_SCAN_LINES]):
        line = lines[i].strip()
        if known is not None and _fold(line) == known:
            drop.add(i)
            continue
        later = [lines[j] for j in nonempty[pos + 1:pos + 3]]
        posted = _POSTED.match(line)
        if posted and parse_date(posted.group("d")):
            meta.published, meta.published_precision = parse_date(posted.group("d"))
            if posted.group("by"):
                meta.author = posted.group("by").strip()
            meta.reposted = True
            drop.add(i)
            continue
        dl = _DATE_LINE.match(line)
        date_only = parse_date(line)
        if date_only or (dl and parse_date(dl.group("d"))):
            if meta.published is None:
                meta.published, meta.published_precision = date_only or parse_date(dl.group("d"))
            drop.add(i)
            continue
        by = _BYLINE.match(line)
        if by and len(line) < 120:
            name, outlet = _split_byline(by.group("by"))
            if name and _PERSON_NAME.match(name) or outlet:
                meta.author = meta.author or name
                if outlet:
                    meta.byline_outlet = outlet
                    if outlet not in meta.cites:
                        meta.cites.append(outlet)
                drop.add(i)
                continue
        if _SOURCE_LINE.match(line):
            continue  # handled with the trailer
        if not title_seen and _is_headline(line, later):
            meta.title = line
            title_seen = True
            drop.add(i)
            continue
        break  # the body has begun

    # trailer: "Source: X" lines anywhere in the last lines, or anywhere in the header
    for i in nonempty[-4:] + nonempty[:HEADER_SCAN_LINES]:
        m = _SOURCE_LINE.match(lines[i].strip())
        if m:
            outlet = longest_outlet_prefix(m.group("o")) or m.group("o").strip()
            if len(outlet) <= 60 and outlet not in meta.cites:
                meta.cites.append(outlet)
            drop.add(i)

    body = "\n".join(l for i, l in enumerate(lines) if i not in drop).strip()
    body = re.sub(r"\n{3,}", "\n\n", body)
    meta.body = body

    # the dateline opens the first paragraph; a blog or aggregator may put a short
    # introduction before the reposted copy, so look at the first few paragraphs
    m = None
    for para in [p for p in body.split("\n") if p.strip()][:DATELINE_SCAN_PARAGRAPHS]:
        m = DATELINE_HEADER.match(para.strip())
        if m:
            break
    if m:
        meta.dateline = m.group("place").strip()
        agency = m.group("agency")
        if agency:
            outlet = longest_outlet_prefix(agency) or (agency.strip() if is_outlet(agency) else None)
            if outlet:
                meta.dateline_agency = outlet
                if outlet not in meta.cites:
                    meta.cites.insert(0, outlet)
    for outlet in find_cited_outlets(body):
        if outlet not in meta.cites:
            meta.cites.append(outlet)
    return meta


_EN_STOPWORDS = set("the of and to in a is that for on was with he it as at by said from his be have has are an which were this not but they had their its or who been will would".split())


def guess_language(text: str) -> Optional[str]:
    """'en' when English function words dominate, else None (unknown). English only for now."""
    words = re.findall(r"[a-zA-Z]+", text[:5000].lower())
    if len(words) < 5:
        return None
    share = sum(1 for w in words if w in _EN_STOPWORDS) / len(words)
    # English news prose: 0.3-0.45 of tokens are these words; other Latin-script
    # languages stay under 0.1.
    return "en" if share >= 0.15 else None
