"""Walk paths (files, folders, '-' for standard input) and read each input safely."""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Optional

from ..errors import Codes, InputError
from .formats import READERS, Result, sniff_reader, suffix_of

# A news article is at most a few hundred kB of text; a 5 MB input is a dump or a log,
# and one spaCy parse of it would take minutes and gigabytes. Override with --max-bytes.
DEFAULT_MAX_BYTES = 5_000_000
# JSONL collections hold many articles: their limit applies per record, not per file.
COLLECTION_SUFFIXES = {".jsonl", ".ndjson", ".json", ".warc", ".warc.gz"}


@dataclass
class InputFile:
    path: str
    size: int = 0
    mtime_ns: int = 0
    error: Optional[InputError] = None


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
            yield InputFile(str(p), error=InputError(Codes.E100, where=str(p)))


def _stat(path: str) -> InputFile:
    try:
        st = os.stat(path)
    except OSError as exc:
        return InputFile(path, error=InputError(Codes.E101, exc.strerror or str(exc), where=path))
    return InputFile(path, st.st_size, st.st_mtime_ns)


def read_input(f: InputFile, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Result]:
    """Articles (or InputErrors) from one input; never raises for bad input."""
    if f.error:
        yield f.error
        return
    try:
        if f.path == "-":
            data = sys.stdin.buffer.read()
            reader = sniff_reader(data)
        else:
            suffix = suffix_of(f.path)
            if f.size > max_bytes and suffix not in COLLECTION_SUFFIXES:
                yield InputError(Codes.E105, f"{f.size / 1e6:.1f} MB > {max_bytes / 1e6:.1f} MB limit (--max-bytes)", where=f.path)
                return
            with open(f.path, "rb") as fh:
                data = fh.read()
            reader = READERS.get(suffix) or sniff_reader(data)
    except IsADirectoryError:
        yield InputError(Codes.E101, "is a directory", where=f.path)
        return
    except OSError as exc:
        yield InputError(Codes.E101, exc.strerror or str(exc), where=f.path)
        return
    try:
        for item in reader(data, f.path):
            if not isinstance(item, InputError) and len(item.text.encode("utf-8")) > max_bytes:
                item = InputError(Codes.E105, f"record text over {max_bytes / 1e6:.1f} MB limit", where=item.path)
            yield item
    except InputError as exc:
        yield exc
    except Exception as exc:  # a reader bug on one odd input must not sink the batch
        yield InputError(Codes.E201, f"reading failed ({type(exc).__name__}: {exc})"[:200], where=f.path)
