"""The entity ruler and gazetteer over the model's NER (storyline_entities)."""
from __future__ import annotations

import pytest

from storyline.actors.gazetteer import load


def _mention(doc, text):
    return next((m for m in doc._.storyline_mentions if m["text"] == text), None)


@pytest.mark.parametrize("text, surface, label", [
    ("Crowds gathered outside Hamid Karzai International Airport on Monday.", "Hamid Karzai International Airport", "FAC"),
    ("Turkey offered to run Kabul airport after the withdrawal.", "Kabul airport", "FAC"),
    ("KABUL (Reuters) - The Taliban said on Friday it would not allow foreign troops.", "KABUL", "GPE"),
    ("We are counting slowly, Ferren told Meridian Wire on Thursday.", "Meridian Wire", "ORG"),
    ("An official told Reuters the deadline would not move.", "Reuters", "ORG"),
    ("The U.S. and NATO agreed on the plan.", "U.S.", "GPE"),
    ("The U.S. and NATO agreed on the plan.", "NATO", "ORG"),
    ("Residents of the town of Osk said they heard shelling.", "Osk", "GPE"),
])
def test_ruler_fixes_labels(nlp, text, surface, label):
    doc = nlp(text)
    m = _mention(doc, surface)
    assert m is not None, doc._.storyline_mentions
    assert m["label"] == label
    assert doc.text[m["span"]["start"]:m["span"]["end"]] == m["span"]["text"]


def test_gazetteer_keys_and_dateline_flag(nlp):
    doc = nlp("KABUL (Reuters) - America and the United States are one country, Ankara said.")
    assert _mention(doc, "KABUL").get("dateline") is True
    assert _mention(doc, "Reuters")["key"] == "MEDIA:Reuters"
    assert _mention(doc, "America")["key"] == _mention(doc, "United States")["key"] == "USA" \
        if _mention(doc, "United States") else _mention(doc, "America")["key"] == "USA"
    assert _mention(doc, "Ankara")["kind"] == "capital"


def test_surname_relabelled_person(nlp):
    doc = nlp("Union leader Marta Quillan said the strike would go on. Quillan said members would vote.")
    labels = {m["text"]: m["label"] for m in doc._.storyline_mentions}
    assert labels.get("Quillan") == "PERSON"


def test_doc_ents_carry_the_fixes(nlp):
    doc = nlp("Crowds gathered outside Hamid Karzai International Airport on Monday.")
    assert [(e.text, e.label_) for e in doc.ents if e.text.startswith("Hamid")] == [("Hamid Karzai International Airport", "FAC")]


@pytest.mark.parametrize("text", ["", "\"", "“ ” ‘ ’ « »", "KABUL (", "(((((", "-- -- --\n\n\n", "the the the"])
def test_odd_text_never_fails(nlp, text):
    doc = nlp(text)
    assert isinstance(doc._.storyline_mentions, list)


def test_gazetteer_data():
    gaz = load()
    for surface, key in [("US", "USA"), ("U.S.", "USA"), ("United States", "USA"), ("America", "USA"),
                         ("Britain", "GBR"), ("NATO", "IGO:NATO"), ("the United Nations", "IGO:UN"),
                         ("Associated Press", "MEDIA:AP")]:
        assert gaz.lookup(surface).entry.key == key, surface
    assert gaz.lookup("Ankara").kind == "capital"
    assert gaz.lookup("Turkish").kind == "demonym"
    assert gaz.lookup("the Kremlin").actor == "government"
    assert gaz.lookup("Tarrow") is None  # invented places are not in it
