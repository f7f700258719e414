"""The learned content end (storyline/quotes/boundary.py): shipped, small, loads without a
download, and only ever moves a content's end to a valid span."""
from __future__ import annotations

from storyline.quotes import boundary
from storyline.quotes.extract import find_attributions

TEXT = (
    "The governor said the bridge would reopen next week, but officials at the transport "
    "ministry would not confirm the date. “We are checking the cables,” an engineer told "
    "Coastline Radio. The mayor warned that traffic would rise during the holiday.\n\n"
    "A stray ” mark and an open “ quote said nothing, the clerk added"
)


def test_model_ships_small_and_loads():
    assert boundary.MODEL_PATH.exists()
    assert boundary.MODEL_PATH.stat().st_size < 1_000_000
    assert boundary._model() is not None


def test_refine_keeps_valid_spans(nlp):
    doc = nlp(TEXT)
    rules = find_attributions(doc)
    before = [(a.cue, a.content[0]) for a in rules]
    refined = boundary.refine(doc, find_attributions(doc))
    assert [(a.cue, a.content[0]) for a in refined] == before  # cue and start are the rules'
    for a in refined:
        s, e = a.content
        assert 0 <= s < e <= len(TEXT) and TEXT[s:e].strip() == TEXT[s:e]
        assert not (s <= a.cue[0] < e)  # the end never swallows the attribution's own cue


def test_candidates_include_rule_end_and_stop_at_paragraph(nlp):
    doc = nlp(TEXT)
    found = find_attributions(doc)
    blocked = boundary.blocked_tokens(doc, found)
    para = TEXT.index("\n\n")
    for a in found:
        cand = boundary.candidates(doc, a, blocked)
        assert cand is not None
        rule_last, cands = cand
        assert rule_last in cands
        if a.content[1] <= para:
            assert all(doc[j].idx < para for j in cands)


def test_without_model_the_rules_stay(nlp, monkeypatch, tmp_path):
    monkeypatch.setattr(boundary, "MODEL_PATH", tmp_path / "absent.crfsuite")
    boundary._model.cache_clear()
    try:
        doc = nlp(TEXT)
        rules = [a.content for a in find_attributions(doc)]
        assert [a.content for a in boundary.refine(doc, find_attributions(doc))] == rules
    finally:
        monkeypatch.undo()
        boundary._model.cache_clear()
