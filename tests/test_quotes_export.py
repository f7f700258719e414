"""Quotes in the storyline/1 export and in the report, from the bundled sample corpus."""
from __future__ import annotations

from storyline.outputs.export import build_export
from storyline.outputs.report import write_report
from storyline.outputs.validate import validate_export
from storyline.store import open_store


def test_quotes_exported_with_spans_and_linked_speakers(sample_db):
    with open_store(str(sample_db)) as store:
        data = build_export(store)
    assert validate_export(data) == []
    quotes = data["quotes"]
    assert quotes, "the sample corpus has quotes"
    texts = {a["id"]: a["text"] for a in data["articles"]}
    for q in quotes:
        assert q["kind"] in ("direct", "indirect", "mixed")
        for key in ("span", "cue_span", "speaker_span", "told_span", "date_span"):
            sp = q.get(key)
            if sp:
                assert texts[q["article"]][sp["start"]:sp["end"]] == sp["text"], (key, q)
    kinds = {q["kind"] for q in quotes}
    assert {"direct", "indirect", "mixed"} <= kinds
    # at least one speaker is linked to a corpus entity that the entities section lists
    entity_ids = {e["id"] for e in data["entities"]}
    linked = [q for q in quotes if q["speaker"] and q["speaker"]["entity"]]
    assert linked and all(q["speaker"]["entity"] in entity_ids for q in linked)
    # a pronoun speaker resolved to a named person
    assert any(q.get("speaker_resolved") and q["speaker"]["text"].lower() in ("he", "she")
               and " " in q["speaker"]["name"] for q in quotes)
    # someone told an outlet or reporters something
    assert any(q.get("told") for q in quotes)


def test_report_groups_quotes_by_speaker(sample_db, tmp_path):
    with open_store(str(sample_db)) as store:
        data = build_export(store)
        paths = write_report(store, str(tmp_path))
    md = "\n".join(p.read_text("utf-8") for p in paths if p.suffix == ".md")
    assert "Who said what" in md
    names = {q["speaker"]["name"] for q in data["quotes"] if q["speaker"] and q["speaker"]["entity"]}
    assert any(f"### {n} (" in md for n in names)


def test_identical_quotes_of_copies_are_marked():
    from storyline.outputs.quotes_export import _mark_copies

    q = {"text": "“We will not wait,”", "speaker": {"entity": "e1", "name": "Halim Doresh"}}
    quotes = [{**q, "id": "q1", "article": "a1"}, {**q, "id": "q2", "article": "a2", "text": "\"We will not wait\""},
              {**q, "id": "q3", "article": "a3", "speaker": None},
              {**q, "id": "q4", "article": "a4", "speaker": None}, {"id": "q5", "article": "a1", "text": "Other words"}]
    _mark_copies(quotes, {"a1": "a1", "a2": "a1", "a3": "a1", "a4": "a4"})
    by_id = {x["id"]: x for x in quotes}
    assert [c["id"] for c in by_id["q1"]["copies"]] == ["q2", "q3"]
    assert [c["article"] for c in by_id["q3"]["copies"]] == ["a1", "a2"]
    assert "copies" not in by_id["q4"] and "copies" not in by_id["q5"]
