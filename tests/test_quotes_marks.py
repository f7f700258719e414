"""Quote-mark segmentation: pure text, no model."""
from __future__ import annotations

import pytest

from storyline.quotes.marks import quote_segments


def texts(text):
    return [text[s.start:s.end] for s in quote_segments(text)]


@pytest.mark.parametrize("text, expected", [
    ('He said "we will stay" and left.', ['"we will stay"']),
    ("He said “we will stay” and left.", ["“we will stay”"]),
    ("“One,” she said. “Two.”", ["“One,”", "“Two.”"]),
    # nested single marks stay inside the double-quoted segment
    ("“He told me ‘we are not leaving’ and walked out,” said Wali.", ["“He told me ‘we are not leaving’ and walked out,”"]),
    # typewriter pairs used by some papers
    ("''It has the virtue of being responsible,'' Burman said.", ["''It has the virtue of being responsible,''"]),
    # apostrophes are not marks
    ("The Taliban's spokesman didn't comment.", []),
])
def test_segments(text, expected):
    assert texts(text) == expected


def test_multi_paragraph_quote_reopens_each_paragraph():
    text = ("The minister said: “The airport must stay open.\n\n"
            "“Without it, no aid can arrive.\n\n"
            "“We will keep it running.”\n\nTalks resume on Monday.")
    segs = quote_segments(text)
    assert len(segs) == 1
    assert segs[0].paragraphs == 3 and segs[0].closed
    assert text[segs[0].start:segs[0].end].endswith("running.”")
    assert text[segs[0].start] == "“"


@pytest.mark.parametrize("text", [
    "A stray ” closing mark and then nothing.",
    "“Never closed here.\nNext paragraph without a mark.",
    '"',
    "“",
    "”“”“",
    "",
    '5\'10" tall, "he said',
])
def test_unbalanced_marks_never_fail(text):
    segs = quote_segments(text)
    for s in segs:
        assert 0 <= s.start < s.end <= len(text)


def test_unclosed_quote_recovered_to_paragraph_end():
    text = "He said “we will never leave the airport.\nThe next paragraph."
    segs = quote_segments(text)
    assert len(segs) == 1 and not segs[0].closed
    assert text[segs[0].start:segs[0].end] == "“we will never leave the airport."
