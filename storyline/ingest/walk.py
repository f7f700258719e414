"""Walk paths (files, folders, '-' for standard input) and read each input safely."""
from __future__ import annotations

import os
import stat
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Optional

from ..errors import Codes, InputError
from .formats import (MAX_RECORD_BYTES, READERS, STREAM_READERS, Result, Rewound, read_head, sniff_reader,
                      sniff_stream_reader, suffix_of)

# A news article is at most a few hundred kB of text; a 5 MB input is a dump or a log,
# and one spaCy parse of it would take minutes and gigabytes. Override with --max-bytes.
DEFAULT_MAX_BYTES = 5_000_000
# JSONL and WARC collections are read incrementally (formats.STREAM_READERS): no limit on the
# file, one on each record (formats.MAX_RECORD_BYTES, or --max-bytes when larger). A .json
# file is one JSON document, parsed whole: it is read up to this many bytes (held in memory).
COLLECTION_SUFFIXES = {".json"}
MAX_COLLECTION_BYTES = 512_000_000
# Longest article text parsed, in characters after decoding. Measured with the full pipeline
# on one shared core (tests/test_reliability_limits.py re-measures a small case): 20k
# characters 3.7 s / 235 MB peak, 100k 26 s / 518 MB, 300k 316 s / 1.17 GB (time grows
# faster than length), and issue 14's 1.9M-character article 7 min / 6.15 GB. The longest
# real long-reads are 60-80k characters, so 100k keeps them at under half a minute and
# half a gigabyte. Longer texts are refused (E105) before parsing, so spaCy's own limit
# (E088, `nlp.max_length`) is never reached.
MAX_ARTICLE_CHARS = 100_000


@dataclass
class InputFile:
    path: str  # as shown and stored: valid UTF-8 (undecodable bytes of a name as \xNN)
    size: int = 0
    mtime_ns: int = 0
    error: Optional[InputError] = None
    real: Optional[str] = None  # the name to open, when it differs from `path`

    @property
    def open_path(self) -> str:
        return self.real or self.path


def display_path(path: str) -> str:
    """A file name as text: names that are not valid UTF-8 (Python keeps their bytes as lone
    surrogates, which cannot be stored) show the odd bytes as \\xNN, the same on every run."""
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        return os.fsencode(path).decode("utf-8", "backslashreplace")


def iter_input_files(paths: Iterable[str]) -> Iterator[InputFile]:
    """Every input file under the given paths, in a stable (sorted) order."""
    for raw in paths:
        if raw == "-":
            yield InputFile("-")
            continue
        p = Path(raw)
        if p.is_dir():
            for root, dirs, files in os.walk(p, onerror=None):
                dirs.sort()
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                for name in sorted(files):
                    if name.startswith(".") or suffix_of(name) not in READERS:
                        continue
                    yield _stat(os.path.join(root, name))
        elif p.exists() or p.is_symlink():
            yield _stat(str(p))
        else:
            yield InputFile(display_path(str(p)), error=InputError(Codes.E100, where=display_path(str(p))))


def _stat(path: str) -> InputFile:
    shown = display_path(path)
    real = path if shown != path else None
    try:
        st = os.stat(path)
    except OSError as exc:
        return InputFile(shown, real=real, error=InputError(Codes.E101, exc.strerror or str(exc), where=shown))
    if not stat.S_ISREG(st.st_mode):  # a FIFO would hang the run, /dev/zero never ends
        kind = "a directory" if stat.S_ISDIR(st.st_mode) else "not a regular file (FIFO, device or socket)"
        return InputFile(shown, real=real, error=InputError(Codes.E101, kind, where=shown))
    return InputFile(shown, st.st_size, st.st_mtime_ns, real=real)


def _read_capped(fh, cap: int, where: str) -> bytes:
    """At most `cap` bytes, or E105: the cap holds while reading, whatever the size said."""
    data = fh.read(cap + 1)
    if len(data) > cap:
        raise InputError(Codes.E105, f"more than {cap / 1e6:.1f} MB", where=where)
    return data


def read_input(f: InputFile, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Result]:
    """Articles (or InputErrors) from one input, as they are read; never raises for bad
    input. JSONL and WARC inputs (and standard input that starts like them) stream: memory
    holds one record at a time, whatever the input's size."""
    if f.error:
        yield f.error
        return
    record_cap = max(max_bytes, MAX_RECORD_BYTES)
    try:
        if f.path == "-":
            src = sys.stdin.buffer
            head = read_head(src)
            stream = sniff_stream_reader(head)
            if stream is not None:
                yield from _guarded(stream(Rewound(head, src), "-", record_cap), "-", max_bytes)
                return
            cap = max(max_bytes, MAX_COLLECTION_BYTES)
            data = head + _read_capped(src, cap - len(head), "-")
            reader = sniff_reader(data)
        else:
            suffix = suffix_of(f.path)
            stream = STREAM_READERS.get(suffix)
            cap = max(max_bytes, MAX_COLLECTION_BYTES) if suffix in COLLECTION_SUFFIXES else max_bytes
            if stream is None and f.size > cap:
                yield InputError(Codes.E105, f"{f.size / 1e6:.1f} MB > {cap / 1e6:.1f} MB limit (--max-bytes)", where=f.path)
                return
            with _open_regular(f) as fh:
                if stream is not None:  # read while the file is open, one record at a time
                    yield from _guarded(stream(fh, f.path, record_cap), f.path, max_bytes)
                    return
                data = _read_capped(fh, cap, f.path)
            reader = READERS.get(suffix) or sniff_reader(data)
    except InputError as exc:
        yield exc
        return
    except IsADirectoryError:
        yield InputError(Codes.E101, "is a directory", where=f.path)
        return
    except OSError as exc:
        yield InputError(Codes.E101, exc.strerror or str(exc), where=f.path)
        return
    except MemoryError:
        yield InputError(Codes.E105, "out of memory while reading", where=f.path)
        return
    yield from _guarded(reader(data, f.path), f.path, max_bytes)


def _open_regular(f: InputFile):
    """The input opened for reading; E101 when it is not a regular file (any more)."""
    # O_NONBLOCK: should a FIFO replace the file after the walk, opening it never hangs
    fd = os.open(f.open_path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    fh = os.fdopen(fd, "rb")
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        fh.close()
        raise InputError(Codes.E101, "not a regular file", where=f.path)
    return fh


def _guarded(items: Iterator[Result], path: str, max_bytes: int) -> Iterator[Result]:
    """A reader's items with the per-article limits applied; whatever the reader raises
    becomes one coded line (a reader bug on one odd input must not sink the batch)."""
    try:
        for item in items:
            if not isinstance(item, InputError):
                item = _within_limits(item, max_bytes)
            yield item
    except InputError as exc:
        yield exc
    except RecursionError:
        yield InputError(Codes.E107, "nested too deeply", where=path)
    except MemoryError:
        yield InputError(Codes.E105, "out of memory while reading", where=path)
    except OSError as exc:  # the file went away or failed while it was read
        yield InputError(Codes.E101, exc.strerror or str(exc), where=path)
    except Exception as exc:
        yield InputError(Codes.E201, f"reading failed ({type(exc).__name__}: {exc})"[:200], where=path)


def _within_limits(item, max_bytes: int):
    if len(item.text) > MAX_ARTICLE_CHARS:
        return InputError(Codes.E105, f"{len(item.text):,} characters > {MAX_ARTICLE_CHARS:,} per article; "
                          "split it into parts", where=item.path)
    if len(item.text.encode("utf-8")) > max_bytes:
        return InputError(Codes.E105, f"record text over {max_bytes / 1e6:.1f} MB limit", where=item.path)
    return item
