"""Coded errors: each message has a stable code shown the same in logs, CLI and web UI.

Input errors (E1xx) concern one input and never stop a batch; processing errors (E2xx)
concern one article; store errors (E3xx) and usage errors (E0xx) concern the whole run.
Each code is declared once, with its message, in `Codes` (spaCy's `Errors` class style);
`docs/errors.md` lists them all (a test checks it).
"""
from __future__ import annotations


class Code(str):
    """An error code: the code itself as a string ("E102"), with its one-line message."""

    message: str

    def __new__(cls, code: str, message: str) -> "Code":
        obj = super().__new__(cls, code)
        obj.message = message
        return obj


class Codes:
    E001 = Code("E001", "bad arguments")
    E002 = Code("E002", "unknown eval task")
    E003 = Code("E003", "the accurate profile needs the accurate extra: pip install 'storyline[accurate]'")
    E100 = Code("E100", "no such file or directory")
    E101 = Code("E101", "cannot read file")
    E102 = Code("E102", "empty input, no text")
    E103 = Code("E103", "binary file, not text")
    E104 = Code("E104", "cannot decode text (unknown encoding)")
    E105 = Code("E105", "input too large")
    E106 = Code("E106", "HTML page has no article text")
    E107 = Code("E107", "invalid JSON")
    E108 = Code("E108", "JSON record has no 'text'")
    E110 = Code("E110", "invalid WARC archive")
    E201 = Code("E201", "processing failed")
    E301 = Code("E301", "cannot open database")
    E302 = Code("E302", "database is busy")
    E303 = Code("E303", "database is damaged")
    E304 = Code("E304", "disk is full")
    E305 = Code("E305", "database is read-only")
    E306 = Code("E306", "another storyline run is writing to this database")
    E307 = Code("E307", "cannot write the output")
    E401 = Code("E401", "cannot start the web server")


# code -> message, for every declared code (derived: nothing is declared twice)
MESSAGES: dict[str, str] = {str(c): c.message for c in vars(Codes).values() if isinstance(c, Code)}


class StorylineError(Exception):
    """Base class: a typed error with a stable code and a one-line message."""

    def __init__(self, code: str, detail: str = "", where: str = ""):
        self.code = str(code)
        self.detail = detail
        self.where = where
        super().__init__(self.line())

    def line(self) -> str:
        base = MESSAGES.get(self.code, "error")
        msg = f"{self.code} {base}" + (f": {self.detail}" if self.detail else "")
        return f"{self.where}: {msg}" if self.where else msg


class InputError(StorylineError):
    """One input (file, record, stream) could not be turned into an article."""


class UsageError(StorylineError):
    """The command was called wrongly; exit code 2."""


class StoreError(StorylineError):
    """The database cannot be used."""
