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
        for key in ("span", "cue_span", "speaker_span", "told_span", "via_span", "date_span"):
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


def test_a_government_speaker_is_the_country_with_its_facet(sample_db):
    """"Dornland's government said", "Velgrad said": the speaker is the canonical actor
    Dornland, the government shown as its facet (issue 10)."""
    with open_store(str(sample_db)) as store:
        data = build_export(store)
    gov = [q for q in data["quotes"] if (q["speaker"] or {}).get("text") == "Dornland's government"]
    assert gov and all(q["speaker"]["name"] == "Dornland" and q["speaker"]["facet"] == "government" for q in gov)
    assert not [q for q in data["quotes"] if (q["speaker"] or {}).get("name", "").endswith("'s government")]
    ministry = [q for q in data["quotes"] if (q["speaker"] or {}).get("text") == "the ministry"]
    assert ministry and all(q["speaker"]["name"] == "Dornland" and q["speaker"]["facet"] == "government"
                            for q in ministry)
    cited = [q for q in data["quotes"] if q.get("via")]
    assert cited and all(q["via"] == "Reuters" and q["speaker"]["name"] == "Kasim Darrel" for q in cited)


ENTITIES = [
    {"id": "p1", "name": "Mara Holt", "type": "PERSON", "aliases": ["Holt"], "articles": ["a1", "a2"],
     "roles": [{"role": "spokesman", "of": "Dock Workers Union"}]},
    {"id": "p2", "name": "Ilan Roe", "type": "PERSON", "aliases": ["Roe"], "articles": ["a1"],
     "roles": [{"role": "minister", "of": "defence"}]},
    {"id": "o1", "name": "Dock Workers Union", "type": "ORG", "aliases": [], "articles": ["a1", "a2"]},
    {"id": "g1", "name": "Velmora", "type": "GPE", "aliases": [], "articles": ["a1", "a2"],
     "facets": [{"sector": "government", "articles": ["a2"]}]},
    {"id": "g2", "name": "Ostria", "type": "GPE", "aliases": [], "articles": ["a3"],
     "facets": [{"sector": "government", "articles": ["a3"]}]},
]


def test_story_actors_resolve_what_the_article_leaves_open():
    from storyline.outputs.quotes_export import StoryActors

    find = StoryActors(ENTITIES, {"a1": "s1", "a2": "s1", "a3": "s2"}).find
    # a role description: the one person of the story holding that role, "of" agreeing
    assert find("a2", "the spokesman of the union", "the spokesman of the union")["entity"] == "p1"
    assert find("a2", "the spokesman of the army", "") is None
    assert find("a2", "the spokesmen", "") is None  # a plural is a group, not the person
    # an organisation description, and a government noun with no ministry named
    assert find("a1", "The union", "")["entity"] == "o1"
    assert find("a2", "the ministry", "") == {"entity": "g1", "name": "Velmora", "facet": "government"}
    assert find("a1", "the ministry", "") is None  # no government speaks in a1
    # a name the component resolved; a name of another story is not found
    assert find("a2", "he", "Ilan Roe")["entity"] == "p2"
    # the component named "the ministry" after the country: the country, its government speaking
    assert find("a2", "the ministry", "Velmora") == {"entity": "g1", "name": "Velmora", "facet": "government"}
    assert find("a2", "Velmora", "Velmora") == {"entity": "g1", "name": "Velmora"}
    assert find("a3", "he", "Ilan Roe") is None
    assert find("a2", "The Velmora ministry", "") is None  # a name inside: not a description
