"""Direct-quote segments found from the quote marks in the raw text.

Double marks only (straight `"`, curly `“ ”`, and the typewriter pair `''` some papers use);
single marks (`‘ ’ '`) are apostrophes or
quotes nested inside a double-quoted segment and never open a segment of their own.

- A straight `"` opens when it follows the start of text, white space or an opening bracket
  and is followed by a non-space; otherwise it closes.
- Multi-paragraph quotes: a paragraph that ends inside an open quote continues when the next
  paragraph begins with an opening mark (the news convention: every paragraph reopens, only the
  last closes). The segment runs from the first opening mark to the last closing mark.
- Unbalanced marks never fail: a stray closing mark is ignored; an opening mark left open at
  the end of its paragraph (and not continued) gives a segment to that paragraph's end,
  flagged `closed=False`; a second opening mark inside an open segment restarts it there.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

OPENERS = "“"
CLOSERS = "”"
STRAIGHT = '"'
PARAGRAPH = re.compile(r"\n\s*\n|\n")
_MARK = re.compile("''|[" + OPENERS + CLOSERS + STRAIGHT + "]")


@dataclass(frozen=True)
class QuoteSegment:
    start: int  # offset of the opening mark
    end: int  # offset just past the closing mark (or the paragraph end when not closed)
    closed: bool = True
    paragraphs: int = 1


def _is_opening_straight(text: str, i: int, width: int = 1) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + width] if i + width < len(text) else " "
    return (before.isspace() or before in "([{—–-:") and not after.isspace()


def _paragraphs(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for m in PARAGRAPH.finditer(text):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, len(text)))
    return [(s, e) for s, e in out if text[s:e].strip()]


def _starts_with_opener(text: str, s: int, e: int) -> bool:
    para = text[s:e].lstrip()
    if para.startswith("''"):
        para = para[1:]
    return bool(para) and (para[0] in OPENERS or (para[0] == STRAIGHT and len(para) > 1 and not para[1].isspace()))


def quote_segments(text: str) -> list[QuoteSegment]:
    """All double-quoted segments of `text`, in order, never overlapping."""
    segments: list[QuoteSegment] = []
    paras = _paragraphs(text)
    open_at: int | None = None
    n_paras = 1
    for k, (ps, pe) in enumerate(paras):
        continuing = open_at is not None
        # the marks of the paragraph, left to right ("''" is one straight mark)
        for m in _MARK.finditer(text, ps, pe):
            i = m.start()
            ch, width = m.group(), m.end() - i
            if width == 2:
                ch = STRAIGHT
            opening = ch in OPENERS or (ch == STRAIGHT and _is_opening_straight(text, i, width))
            if open_at is None:
                if opening:
                    open_at, n_paras = i, 1
            elif continuing and opening and not text[ps:i].strip():
                pass  # the reopening mark of a continued paragraph
            elif opening and ch in OPENERS:
                open_at, n_paras = i, 1  # unclosed earlier mark: restart here
            else:
                segments.append(QuoteSegment(open_at, i + width, True, n_paras))
                open_at = None
            continuing = False
        if open_at is not None:
            nxt = paras[k + 1] if k + 1 < len(paras) else None
            if nxt is not None and _starts_with_opener(text, *nxt):
                n_paras += 1
                continue
            segments.append(QuoteSegment(open_at, pe, False, n_paras))
            open_at = None
    return segments
