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
from .dates import numeric_readings, parse_date, parse_date_prefix
from .outlets import find_cited_outlets, is_outlet, longest_outlet_prefix

HEADER_SCAN_LINES = 8  # header fields sit in the first few non-empty lines
DATELINE_SCAN_PARAGRAPHS = 3  # a repost's introduction is one or two paragraphs

_DATE_LINE = re.compile(r"^(?:date[d]?|published(?: on)?|updated(?: on)?|posted(?: on)?)\s*[:\-]?\s*(?P<d>.+)$", re.I)
_POSTED = re.compile(r"^posted\s+(?:on\s+)?(?P<d>.+?)(?:\s+by\s+(?P<by>[^|]+?))?\s*$", re.I)
# a repost line whose date the crawler lost ("Posted on by valleywatcher")
_POSTED_NO_DATE = re.compile(r"^posted(?:\s+on)?\s+by\s+(?P<by>[^|]{1,60}?)\s*$", re.I)
# a field name before a date that runs on into other words on the same line
_DATE_FIELD = re.compile(r"^(?:date[d]?|published(?: on)?|updated(?: on)?)\s*[:\-]?\s*", re.I)
# an author line in the trailer ("Author: Name"), followed by the author's bio
_TRAILER_AUTHOR = re.compile(r"^(?:authors?\s*:|written by|reporting by|about the author\s*:?)\s*(?P<by>.+)$", re.I)
_CAPS_RUN = re.compile(r"(?:[Tt]he\s+)?[A-Z][\w&\-]*(?:\s+[A-Z][\w&\-]*)*")
# words after an outlet's name in a byline that name its staff, not a person
_DESK = re.compile(r"(?:(?:World|Foreign|Home|National|Politics|Business|News|City|Metro|Online|Digital|Web)\s+)*"
                   r"(?:Desk|Staff|Team|Newsroom|Editors|Reporters|Correspondents?)", re.I)
TRAILER_SCAN_LINES = 4  # trailer fields sit in the last few non-empty lines
BIO_MAX_LINES = 2  # what follows an author line at the end is the author's bio
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
    desk = longest_outlet_prefix(parts[0])
    if desk and _DESK.fullmatch(parts[0][len(desk):].strip()):  # "Harbour Ledger World Desk"
        return None, outlet or desk
    names = [p for p in parts if not is_outlet(p)]
    return (names[0] if names else None), outlet


def _split_leading_date(line: str, meta: TextMeta) -> Optional[str]:
    """A line that starts with a date field ("date 2026-03-10 ...", "Published March 3,
    2026 ..."): record the date and return the rest of the line ("" when nothing follows);
    None when the line does not start so."""
    field = _DATE_FIELD.match(line)
    if not field:
        return None
    parsed = parse_date_prefix(line[field.end():])
    if parsed is None:
        return None
    value, precision, end = parsed
    if meta.published is None:
        meta.published, meta.published_precision = value, precision
    return line[field.end() + end:].strip(" \t|,;")


def _author_trailer(lines: list[str], nonempty: list[int], drop: set, meta: TextMeta) -> None:
    """An `Author: Name` line among the last lines, with the author's one- or two-line bio
    after it: both are footer, not body (else the bio would read as the author's words)."""
    tail = nonempty[-TRAILER_SCAN_LINES:]
    for k, i in enumerate(tail):
        m = _TRAILER_AUTHOR.match(lines[i].strip())
        if not m or len(tail) - k - 1 > BIO_MAX_LINES or len(lines[i].strip()) > 120:
            continue
        name, outlet = _split_byline(m.group("by"))
        if not (name and _PERSON_NAME.match(name)):
            continue
        meta.author = meta.author or name
        # "Jane Roe is the Northgate Times' defence correspondent": the bio names the outlet
        for j in tail[k + 1:]:
            for run in _CAPS_RUN.finditer(lines[j]):
                outlet = outlet or longest_outlet_prefix(run.group(0))
        if outlet:
            meta.byline_outlet = meta.byline_outlet or outlet
        drop.update(tail[k:])
        return


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
    pos = 0
    header = nonempty[:HEADER_SCAN_LINES]
    body_from = len(header)  # position in `nonempty` of the body's first line
    while pos < len(header):
        i = header[pos]
        pos += 1
        line = lines[i].strip()
        if known is not None and _fold(line) == known:
            drop.add(i)
            continue
        later = [lines[j] for j in nonempty[pos:pos + 2]]
        rest = _split_leading_date(line, meta)
        if rest is not None:  # a date field that runs on into the next field or the body
            if rest:
                lines[i] = rest
                pos -= 1  # look at what follows the date as a line of its own
            else:
                drop.add(i)
            continue
        readings = numeric_readings(line)
        if readings:  # a bare 14/03/2026: take it when only one reading is a day
            if meta.published is None and len(readings) == 1:
                meta.published, meta.published_precision = readings[0], "day"
            drop.add(i)
            continue
        posted_nd = _POSTED_NO_DATE.match(line)
        if posted_nd:
            meta.author = meta.author or posted_nd.group("by").strip()
            meta.reposted = True
            drop.add(i)
            continue
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
        body_from = pos - 1
        break  # the body has begun

    _author_trailer(lines, nonempty[body_from + 1:], drop, meta)  # never the header's lines

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
    intro: list[str] = []
    for para in [p for p in body.split("\n") if p.strip()][:DATELINE_SCAN_PARAGRAPHS]:
        m = DATELINE_HEADER.match(para.strip())
        if m:
            break
        intro.append(para)
    if m and meta.reposted and not meta.byline_outlet:
        # a repost's own introduction names its publisher ("here at Valley Dispatch Blog");
        # the outlet it copies is named by its "Source:" line (already in cites)
        found = [o for p in intro for r in _CAPS_RUN.finditer(p) if (o := longest_outlet_prefix(r.group(0)))]
        own = [o for o in found if o not in meta.cites]
        if own:
            meta.byline_outlet = own[0]
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
