"""Coded errors: each message has a stable code shown the same in logs, CLI and web UI.

Input errors (E1xx) concern one input and never stop a batch; processing errors (E2xx)
concern one article; store errors (E3xx) and usage errors (E0xx) concern the whole run.
"""
from __future__ import annotations


class Codes:
    E001 = "E001"  # usage: bad arguments
    E002 = "E002"  # usage: unknown eval task
    E100 = "E100"  # no such file or directory
    E101 = "E101"  # cannot read (permissions, I/O)
    E102 = "E102"  # empty input
    E103 = "E103"  # binary, not text
    E104 = "E104"  # cannot decode text
    E105 = "E105"  # too large
    E106 = "E106"  # HTML with no article text
    E107 = "E107"  # invalid JSON
    E108 = "E108"  # JSON record without usable text
    E110 = "E110"  # invalid WARC archive
    E201 = "E201"  # NLP processing failed for one article
    E301 = "E301"  # database cannot be opened or is not a storyline database
    E302 = "E302"  # database busy (another process holds the write lock)


MESSAGES = {
    Codes.E100: "no such file or directory",
    Codes.E101: "cannot read file",
    Codes.E102: "empty input, no text",
    Codes.E103: "binary file, not text",
    Codes.E104: "cannot decode text (unknown encoding)",
    Codes.E105: "input too large",
    Codes.E106: "HTML page has no article text",
    Codes.E107: "invalid JSON",
    Codes.E108: "JSON record has no 'text'",
    Codes.E110: "invalid WARC archive",
    Codes.E201: "processing failed",
    Codes.E301: "cannot open database",
    Codes.E302: "database is busy",
}


class StorylineError(Exception):
    """Base class: a typed error with a stable code and a one-line message."""

    def __init__(self, code: str, detail: str = "", where: str = ""):
        self.code = code
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
