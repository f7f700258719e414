"""One reader per input format: bytes in, Articles out (or a coded InputError)."""
from __future__ import annotations

import io
import json
import re
from typing import BinaryIO, Iterator, Optional, Union

from ..errors import Codes, InputError
from .article import Article, clean_text, scrub
from .dates import parse_date
from .decode import HEAD_BYTES, decode_bytes, decode_line, stream_encoding
from .text_meta import guess_language, recover

Result = Union[Article, InputError]
# Below this many words, what trafilatura keeps of a page is navigation or a cookie notice,
# not an article: nav-only test pages give 1-5 words, the shortest sample article ~200.
MIN_HTML_WORDS = 8
TOO_DEEP = "nested too deeply"


def article_from_text(text: str, path: str, fmt: str = "txt", encoding: Optional[str] = None,
                      given: Optional[dict] = None) -> Article:
    """Build an Article from plain text, recovering header metadata; `given` fields win."""
    given = {k: v for k, v in (given or {}).items() if v not in (None, "", [])}
    meta = recover(clean_text(text), known_title=given.get("title"))
    if not meta.body.strip():
        raise InputError(Codes.E102, "no text after the header lines", where=path)
    if not any(c.isalnum() for c in meta.body):  # e.g. a record whose text is a lone surrogate
        raise InputError(Codes.E102, "no letters or digits", where=path)
    published, precision = meta.published, meta.published_precision
    if given.get("published"):
        parsed = parse_date(str(given["published"])) or parse_date(str(given["published"]), whole=False)
        published, precision = parsed if parsed else (None, None)
    cites = list(meta.cites)
    source = given.get("source") or meta.dateline_agency or meta.byline_outlet
    if source:
        cites = [c for c in cites if c.lower() != source.lower()]
    return Article(
        text=meta.body, path=path, format=fmt, encoding=encoding,
        title=given.get("title") or meta.title,
        source=source,
        author=given.get("author") or meta.author,
        url=given.get("url"),
        published=published, published_precision=precision,
        dateline=meta.dateline,
        language=given.get("language") or guess_language(meta.body),
        cites=cites,
    )


def read_text(data: bytes, path: str) -> Iterator[Result]:
    text, enc = decode_bytes(data, where=path)
    yield article_from_text(text, path, "txt", enc)


def read_html(data: bytes, path: str) -> Iterator[Result]:
    import trafilatura

    html, enc = decode_bytes(data, where=path)
    html = strip_scripts(html)
    try:
        doc = trafilatura.bare_extraction(
            html, with_metadata=True, include_comments=False, favor_recall=True,
            # only dates the page states in its metadata: never a guess from the text
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as exc:  # trafilatura raises assorted lxml errors on broken pages
        raise InputError(Codes.E106, f"HTML could not be parsed ({type(exc).__name__})", where=path) from None
    if doc is None or len((doc.text or "").split()) < MIN_HTML_WORDS:
        raise InputError(Codes.E106, where=path)
    body = doc.text
    title = doc.title
    first, _, rest = body.partition("\n")
    if title and first.strip() == title.strip() and rest.strip():
        body = rest  # trafilatura repeats the <h1> as the first line
    given = {"title": title, "author": doc.author or _meta_author(html), "url": doc.url,
             "source": doc.sitename, "published": doc.date, "language": doc.language}
    yield article_from_text(body.replace("\n", "\n\n"), path, "html", enc, given)


# Opening and closing tags of elements whose content is never article text. The attribute
# part is bounded so a page of unclosed "<script" costs linear time.
_HIDDEN_TAG = re.compile(r"<(/?)(script|style|noscript|template)\b[^<>]{0,2000}>", re.I)


def strip_scripts(html: str) -> str:
    """Remove script/style/noscript/template elements with their content, in one linear
    pass (an unclosed one runs to the end of the page, as in a browser). trafilatura keeps
    a script inside an <h1> in the title otherwise."""
    out, pos, inside = [], 0, None
    for m in _HIDDEN_TAG.finditer(html):
        tag = m.group(2).lower()
        if inside is None and not m.group(1):
            out.append(html[pos:m.start()])
            inside = tag
        elif inside == tag and m.group(1):
            pos, inside = m.end(), None
    if inside is None:
        out.append(html[pos:])
    return " ".join(out)


def _meta_author(html: str) -> Optional[str]:
    """<meta name="author">, which trafilatura drops when it looks like a user name."""
    from lxml import html as lxml_html

    try:
        tree = lxml_html.fromstring(html.encode("utf-8"))
    except Exception:  # unparsable markup: no author rather than no article
        return None
    for value in tree.xpath('//meta[translate(@name,"AUTHOR","author")="author"]/@content'):
        if value.strip():
            return value.strip()
    return None


def read_json_records(data: bytes, path: str, lines: bool) -> Iterator[Result]:
    if lines:
        yield from read_jsonl(io.BytesIO(data), path)
        return
    text, _ = decode_bytes(data, where=path)
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(Codes.E107, f"line {exc.lineno}: {exc.msg}", where=path) from None
    except RecursionError:
        raise InputError(Codes.E107, TOO_DEEP, where=path) from None
    items = obj if isinstance(obj, list) else obj.get("articles", [obj]) if isinstance(obj, dict) else [obj]
    for n, rec in enumerate(items, start=1):
        yield from _record_to_article(rec, f"{path}#{n}")


# A record of a streamed collection (one JSON line, one WARC response) is read up to this
# many bytes (or --max-bytes when larger); past it the record is E105 and the rest of it is
# skipped without being held. A JSON line carries its text escaped: the longest text an
# article may have (MAX_ARTICLE_CHARS, 100k characters) takes at most 1.2 MB even with every
# character a "\uXXXX" surrogate pair, and real HTML pages with inline scripts run to a few
# MB; 8 MB leaves room for both, and holding one such record costs tens of MB at most.
MAX_RECORD_BYTES = 8_000_000


def read_jsonl(fh: BinaryIO, path: str, record_cap: int = MAX_RECORD_BYTES) -> Iterator[Result]:
    """JSON Lines, one line at a time: memory holds one record whatever the file size, and
    each article is yielded as soon as its line is read. The encoding is chosen from the
    first bytes (decode.stream_encoding); each line is decoded on its own, so a bad line is
    one coded error (E107 with its line number, E108, E104, E105) and the next line goes on.
    Records are `path#N`, N the line number (blank lines count, as in an editor)."""
    head = read_head(fh)
    enc, skip = stream_encoding(head, where=path)
    raw = Rewound(head[skip:], fh)
    if enc.startswith(("utf-16", "utf-32")):
        stream = io.TextIOWrapper(io.BufferedReader(raw, STREAM_BUFFER), encoding=enc, newline="\n")
        lines = _lines(stream, record_cap, "\n", lambda line: line)
    else:
        stream = io.BufferedReader(raw, STREAM_BUFFER)
        lines = _lines(stream, record_cap, b"\n", lambda line: decode_line(line, enc))
    records = 0
    n = 0
    try:
        for n, line in lines:
            where = f"{path}#{n}"
            if isinstance(line, InputError):  # E105 (too long) or E104 (no encoding fits)
                records += 1
                yield InputError(line.code, line.detail, where=where)
                continue
            if not line.strip():
                continue
            records += 1
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                yield InputError(Codes.E107, f"line {n}: {exc.msg}", where=where)
                continue
            except RecursionError:
                yield InputError(Codes.E107, f"line {n}: {TOO_DEEP}", where=where)
                continue
            yield from _record_to_article(rec, where)
    except UnicodeDecodeError as exc:  # UTF-16/32 text mode: the stream cannot resync
        yield InputError(Codes.E104, f"bad {enc} ({exc.reason}); the rest is not read", where=f"{path}#{n + 1}")
        return
    if records == 0:
        raise InputError(Codes.E102, where=path)


# Read-ahead of a streamed input: large enough that reading costs few system calls, small
# next to one record's text.
STREAM_BUFFER = 1 << 20


def _lines(stream, cap: int, newline, decode) -> Iterator[tuple[int, object]]:
    """(line number, decoded line or the InputError of that line) for each line of `stream`,
    reading at most `cap` (+1) bytes or characters of a line; the rest of a longer line is
    read in bounded pieces and dropped."""
    n = 0
    while True:
        line = stream.readline(cap + 1)
        if not line:
            return
        n += 1
        if len(line) > cap and not line.endswith(newline):
            while True:
                rest = stream.readline(STREAM_BUFFER)
                if not rest or rest.endswith(newline):
                    break
            yield n, InputError(Codes.E105, f"line {n}: record over {cap / 1e6:.1f} MB")
            continue
        try:
            yield n, decode(line)
        except InputError as exc:
            yield n, exc


def read_head(fh) -> bytes:
    """The first HEAD_BYTES of a stream (fewer only at its end)."""
    parts, size = [], 0
    while size < HEAD_BYTES:
        chunk = fh.read(HEAD_BYTES - size)
        if not chunk:
            break
        parts.append(chunk)
        size += len(chunk)
    return b"".join(parts)


class Rewound(io.RawIOBase):
    """A stream whose first bytes were read already: those bytes, then the rest of it."""

    def __init__(self, head: bytes, rest):
        self._head = memoryview(head)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buf) -> int:
        if self._head.nbytes:
            n = min(len(buf), self._head.nbytes)
            buf[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._rest.read(len(buf))
        buf[:len(data)] = data
        return len(data)


def _record_to_article(rec, where: str) -> Iterator[Result]:
    if not isinstance(rec, dict) or not isinstance(rec.get("text"), str) or not rec["text"].strip():
        yield InputError(Codes.E108, where=where)
        return
    given = {
        "title": rec.get("title"), "author": rec.get("author") or rec.get("byline"),
        "url": rec.get("url"), "source": rec.get("source") or rec.get("outlet"),
        "published": rec.get("date") or rec.get("published"), "language": rec.get("language"),
    }
    given = {k: _field_text(v) for k, v in given.items()}
    try:
        yield article_from_text(rec["text"], where, "json", "utf-8", given)
    except InputError as exc:
        yield exc


def _field_text(value) -> Optional[str]:
    """A metadata field of a JSON record as text: strings and numbers as they are, an object
    by its "name" (or "title"), anything else (lists, booleans, nested data) dropped rather
    than stored as a Python repr."""
    if isinstance(value, str):
        return scrub(value).strip() or None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, dict):
        return _field_text(value.get("name") or value.get("title"))
    return None


def read_warc(data: bytes, path: str) -> Iterator[Result]:
    yield from read_warc_stream(io.BytesIO(data), path)


def read_warc_stream(fh: BinaryIO, path: str, record_cap: int = MAX_RECORD_BYTES) -> Iterator[Result]:
    """HTML responses in a WARC (or .warc.gz) file, one article each, read record by record
    (warcio streams; a payload is read up to `record_cap` bytes, E105 past it). The record's
    crawl date is not a publication date and is not used as one."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    n = 0
    try:
        for record in ArchiveIterator(fh):
            if record.rec_type is None:
                yield InputError(Codes.E110, "damaged record", where=path)
                return
            if record.rec_type not in ("response", "resource"):
                continue
            ctype = (record.http_headers.get_header("Content-Type") if record.http_headers else
                     record.rec_headers.get_header("Content-Type")) or ""
            if "html" not in ctype.lower():
                continue
            n += 1
            where = f"{path}#{n}"
            url = record.rec_headers.get_header("WARC-Target-URI")
            payload = record.content_stream().read(record_cap + 1)
            if len(payload) > record_cap:  # the iterator skips the rest of the record
                yield InputError(Codes.E105, f"record {n} over {record_cap / 1e6:.1f} MB", where=where)
                continue
            if getattr(record.raw_stream, "limit", 0) > 0:  # the file ends inside this record
                yield InputError(Codes.E110, f"truncated in record {n} (its start is not kept)", where=where)
                return
            try:
                for art in read_html(payload, where):
                    art.url = art.url or url
                    art.id = ""
                    art.__post_init__()
                    yield art
            except InputError as exc:
                yield exc
    except (ArchiveLoadFailed, ValueError, OSError, EOFError, AttributeError, TypeError) as exc:
        # warcio raises AttributeError/TypeError on records cut inside their headers
        yield InputError(Codes.E110, str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__, where=path)
        return
    if n == 0:
        yield InputError(Codes.E106, "no HTML responses in the archive", where=path)


READERS = {
    ".txt": read_text, ".text": read_text,
    ".html": read_html, ".htm": read_html, ".xhtml": read_html,
    ".json": lambda d, p: read_json_records(d, p, lines=False),
    ".jsonl": lambda d, p: read_json_records(d, p, lines=True),
    ".ndjson": lambda d, p: read_json_records(d, p, lines=True),
    ".warc": read_warc, ".warc.gz": read_warc,
}
# Collections read incrementally from an open binary file (`reader(fh, path, record_cap)`):
# no size limit on the file, one on each record (MAX_RECORD_BYTES).
STREAM_READERS = {
    ".jsonl": read_jsonl, ".ndjson": read_jsonl,
    ".warc": read_warc_stream, ".warc.gz": read_warc_stream,
}


def suffix_of(path: str) -> str:
    """The reader key of a file name: '.warc.gz' for compressed WARC, else the last suffix."""
    name = path.lower()
    return ".warc.gz" if name.endswith(".warc.gz") else ("." + name.rsplit(".", 1)[-1] if "." in name.rsplit("/", 1)[-1] else "")


def sniff_stream_reader(head: bytes):
    """For standard input: the stream reader its first bytes call for (JSON Lines: an
    object, then a line that starts another; a WARC), or None to read it whole."""
    head = head.lstrip()
    if head.startswith(b"{") and b"\n{" in head.rstrip():
        return read_jsonl
    if head.startswith(b"WARC/"):
        return read_warc_stream
    return None


def sniff_reader(data: bytes):
    """For standard input and unknown extensions: pick a reader from the content."""
    head = data[:2048].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")) or b"<body" in head:
        return read_html
    if head.startswith(b"{"):
        return lambda d, p: read_json_records(d, p, lines=b"\n{" in data.strip())
    if head.startswith(b"["):
        return lambda d, p: read_json_records(d, p, lines=False)
    return read_text
