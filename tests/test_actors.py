"""Within-article actors (storyline_actors), the cross-article merge and the resolver."""
from __future__ import annotations

import pytest

from storyline.actors.merge import merge
from storyline.link.actors import make_resolver


def _actor(doc, name):
    return next((a for a in doc._.storyline_actors if a["name"] == name), None)


def _forms(actor):
    return [(m["span"]["text"], m["form"]) for m in actor["mentions"]]


def test_full_name_surname_and_title_description(nlp):
    doc = nlp("Turkish President Recep Tayyip Erdogan said on Sunday that Turkey would keep troops in Kabul. "
              "Erdogan spoke after a cabinet meeting. The Turkish president did not say how many.")
    a = _actor(doc, "Recep Tayyip Erdogan")
    assert a["roles"] == [{"role": "president", "of": "Turkey"}]
    assert ("Erdogan", "surname") in _forms(a)
    assert ("The Turkish president", "description") in _forms(a)
    assert a["actor_type"] == "person" and a["affiliation"] == "Turkey"


@pytest.mark.parametrize("text, name, role", [
    ("Defense Minister Hulusi Akar visited the base on Monday. Akar said the talks went well.",
     "Hulusi Akar", {"role": "defense minister", "of": None}),
    ("Taliban spokesman Zabihullah Mujahid told VOA the group would decide.",
     "Zabihullah Mujahid", {"role": "spokesman", "of": "Taliban"}),
    ("Suhail Shaheen, the Taliban spokesman in Doha, said foreign forces must leave.",
     "Suhail Shaheen", {"role": "spokesman", "of": "Taliban"}),
    ("Jake Sullivan, national security adviser, said the plan was sound.",
     "Jake Sullivan", {"role": "national security adviser", "of": None}),
])
def test_roles_from_titles_and_appositions(nlp, text, name, role):
    a = _actor(nlp(text), name)
    assert a is not None
    assert role in a["roles"]


@pytest.mark.parametrize("text, surface, name, form", [
    ("Ankara said on Monday it was ready to help.", "Ankara", "Turkey's government", "metonym"),
    ("Washington agreed to the plan on Friday.", "Washington", "United States' government", "metonym"),
    ("The Kremlin said it was watching closely.", "Kremlin", "Russia's government", "metonym"),
    ("Officials said Turkish troops would stay at the airport.", "Turkish troops", "Turkey's military", "demonym"),
])
def test_metonymy_and_demonyms_resolve_to_actors(nlp, text, surface, name, form):
    a = _actor(nlp(text), name)
    assert a is not None, nlp(text)._.storyline_actors
    assert (surface, form) in _forms(a)
    assert a["actor_type"] in {"government", "military"}


def test_a_city_as_a_place_is_not_its_government(nlp):
    doc = nlp("Thousands of people crowded into Kabul on Monday.")
    assert _actor(doc, "Turkey's government") is None
    kabul = _actor(doc, "Kabul")
    assert kabul is not None and kabul["actor_type"] == "place"


def test_pronoun_links_only_when_clear(nlp):
    doc = nlp("Interior Minister Dalia Ferren visited the dam. She said it had failed.")
    assert ("She", "pronoun") in _forms(_actor(doc, "Dalia Ferren"))
    doc = nlp("Dalia Ferren met Kaspar Lind at the dam. She said it had failed.")
    assert all(m["form"] != "pronoun" for a in doc._.storyline_actors for m in a["mentions"])


def test_acronym_joins_its_organisation(nlp):
    doc = nlp("The Sarn Liberation Front rejected the draft. The SLF said it wanted changes.")
    a = _actor(doc, "Sarn Liberation Front")
    assert ("SLF", "acronym") in _forms(a)
    assert a["actor_type"] == "rebel group"


def test_actor_records_have_valid_spans(nlp):
    doc = nlp("Defense Minister Hulusi Akar said Ankara would decide. He spoke in the capital.")
    for a in doc._.storyline_actors:
        for m in a["mentions"] + [{"span": a["span"]}]:
            assert doc.text[m["span"]["start"]:m["span"]["end"]] == m["span"]["text"]


# --- cross-article merge --------------------------------------------------------------
def _rec(article, local, name, type_="PERSON", key=None, names=None, roles=None, forms=("name",)):
    return {"article": article, "local": local, "name": name, "type": type_, "key": key,
            "names": names or [name], "roles": roles or [], "actor_type": None,
            "mentions": [{"span": {"start": i, "end": i + 1, "text": "x"}, "form": f} for i, f in enumerate(forms)]}


def test_country_aliases_are_one_actor():
    recs = [_rec("a1", "a0", "United States", "GPE", "USA", ["US"]),
            _rec("a2", "a0", "United States", "GPE", "USA", ["U.S."]),
            _rec("a3", "a0", "United States", "GPE", "USA", ["America"])]
    ents, links = merge(recs)
    assert len(ents) == 1
    assert set(ents[0]["aliases"]) >= {"US", "U.S.", "America"}
    assert len(set(links.values())) == 1


def test_same_surname_people_stay_apart():
    recs = [_rec("a1", "a0", "John Smith"), _rec("a2", "a0", "Mary Smith"), _rec("a3", "a0", "Smith")]
    ents, _ = merge(recs, {"a1": "s1", "a2": "s1", "a3": "s1"})
    assert sorted(e["name"] for e in ents) == ["John Smith", "Mary Smith", "Smith"]
    # with one Smith in the story, the surname joins that person
    ents, links = merge(recs, {"a1": "s1", "a2": "s2", "a3": "s1"})
    assert links[("a3", "a0")] == links[("a1", "a0")] != links[("a2", "a0")]


def test_same_role_different_people_stay_apart():
    role = [{"role": "spokesman", "of": "Taliban"}]
    recs = [_rec("a1", "a0", "Zabihullah Mujahid", roles=role), _rec("a2", "a0", "Suhail Shaheen", roles=role),
            _rec("a3", "a0", "Bilal Karimi", roles=role)]
    assert len(merge(recs)[0]) == 3


def test_headline_name_joins_the_clean_name():
    recs = [_rec("a1", "a0", "Ellen DeGeneres"), _rec("a2", "a0", "Comedian Ellen DeGeneres"),
            _rec("a3", "a0", "Ellen DeGeneres")]
    ents, _ = merge(recs)
    assert [e["name"] for e in ents] == ["Ellen DeGeneres"]


def test_entity_ids_are_stable():
    recs = [_rec("a1", "a0", "NATO", "ORG", "IGO:NATO"), _rec("a2", "a0", "Halim Doresh")]
    assert [e["id"] for e in merge(recs)[0]] == [e["id"] for e in merge(list(reversed(recs)))[0]][::-1]


def test_resolver_picks_the_most_overlapping_mention():
    resolve = make_resolver({"a1": [(0, 10, "e1"), (12, 20, "e2")]}, {"e1": "One", "e2": "Two"})
    assert resolve("a1", 11, 20) == {"entity": "e2", "name": "Two"}
    assert resolve("a1", 30, 40) is None
    assert resolve("nope", 0, 5) is None


def test_airport_in_full_and_as_city_airport_is_one_actor(nlp):
    texts = ["Turkey has offered to guard Kabul's Hamid Karzai International Airport after the withdrawal.",
             "Turkish troops will stay at Kabul airport, officials said."]
    recs = [{**r, "article": str(i)} for i, t in enumerate(texts) for r in nlp(t)._.storyline_actors]
    ents, _ = merge(recs)
    airport = next(e for e in ents if e["name"] == "Hamid Karzai International Airport")
    assert airport["articles"] == ["0", "1"] and "Kabul airport" in airport["aliases"]
    assert airport["type"] == "FAC"
    assert next(e for e in ents if e["name"] == "Kabul")["articles"] == ["0"]


# --- issue 10: one actor per country, surnames, split names, speaking descriptions ------
def test_country_government_and_military_are_facets_of_one_actor():
    recs = [_rec("a1", "a0", "France", "GPE", "FRA"),
            _rec("a2", "a0", "France's government", "ORG", "FRA#government", forms=("metonym",)),
            _rec("a3", "a0", "France's military", "ORG", "FRA#military", forms=("demonym",)),
            _rec("a3", "a1", "Paris", "GPE", "FRA:capital")]
    ents, links = merge(recs)
    france = next(e for e in ents if e["name"] == "France")
    assert france["type"] == "GPE" and france["actor_type"] == "government"
    assert [f["sector"] for f in france["facets"]] == ["government", "military"]
    assert france["facets"][0]["name"] == "France's government"
    assert {m.get("facet") for m in france["mentions"]} == {None, "government", "military"}
    assert links[("a1", "a0")] == links[("a2", "a0")] == links[("a3", "a0")] != links[("a3", "a1")]


def test_a_government_named_only_by_its_capital_takes_the_country_name():
    ents, _ = merge([_rec("a1", "a0", "Turkey's government", "ORG", "TUR#government", forms=("metonym",))])
    assert ents[0]["name"] == "Turkey" and ents[0]["facets"][0]["name"] == "Turkey's government"


def test_invented_country_and_its_government_are_one_actor():
    ents, _ = merge([_rec("a1", "a0", "Kessara", "GPE"),
                     _rec("a2", "a0", "Kessaran government", "ORG", "NAME:Kessaran#government")])
    assert [e["name"] for e in ents] == ["Kessara"] and ents[0]["facets"][0]["sector"] == "government"


def test_surname_typed_as_a_place_joins_the_person_of_the_story():
    recs = [_rec("a1", "a0", "Oren Halvik", roles=[{"role": "shipping minister", "of": None}]),
            _rec("a2", "a0", "Halvik", "GPE"), _rec("a3", "a0", "Oren Halvik")]
    ents, links = merge(recs, {"a1": "s1", "a2": "s1", "a3": "s1"})
    assert len(set(links.values())) == 1 and ents[0]["name"] == "Oren Halvik"
    # a place name that another story uses too stays a place
    recs += [_rec("a4", "a0", "Halvik", "GPE")]
    ents, links = merge(recs, {"a1": "s1", "a2": "s1", "a3": "s1", "a4": "s2"})
    assert links[("a1", "a0")] != links[("a2", "a0")] == links[("a4", "a0")]


def test_name_split_across_a_sentence_break_joins_the_full_name():
    recs = [_rec("a1", "a0", "Petra Holm"),
            {**_rec("a2", "a0", "Petra", "ORG"), "split_name": "Petra Holm"},
            {**_rec("a2", "a1", "Holm"), "split_name": "Petra Holm"},
            {**_rec("a3", "a0", "Anna", "ORG"), "split_name": "Anna Berg"}]
    ents, links = merge(recs)
    assert links[("a1", "a0")] == links[("a2", "a0")] == links[("a2", "a1")] != links[("a3", "a0")]


def test_split_name_recorded_within_an_article(nlp):
    doc = nlp("The dam could fail, said Petra. Holm told Reuters the town was safe.")
    assert {a.get("split_name") for a in doc._.storyline_actors if a["name"] in {"Petra", "Holm"}} == {"Petra Holm"}


def test_speaking_description_gives_the_named_speaker_its_role(nlp):
    doc = nlp("The rebel spokesman in Tarrow replied that the offer came too late. "
              "Later on Monday, Halim Doresh told Reuters that they would not wait.")
    a = _actor(doc, "Halim Doresh")
    assert {"role": "spokesman", "of": "rebel"} in a["roles"]
    assert ("The rebel spokesman", "description") in _forms(a)


def test_description_far_from_a_name_gives_no_role(nlp):
    doc = nlp("The rebel spokesman replied that the offer came too late.\n\n"
              "Halim Doresh, a farmer, told Reuters that he would not leave.")
    a = _actor(doc, "Halim Doresh")
    assert a is None or not a["roles"] or all(r["role"] != "spokesman" for r in a["roles"])


def test_possessive_country_government_is_a_facet(nlp):
    doc = nlp("France's government said nothing on Monday.")
    assert ("France's government", "demonym") in _forms(_actor(doc, "France's government"))


def test_shared_demonym_belongs_to_the_country_not_a_territory():
    from storyline.actors.gazetteer import load

    gaz = load()
    assert gaz.lookup("French").entry.key == "FRA"
    assert gaz.lookup("American").entry.key == "USA"
    assert gaz.lookup("British").entry.key == "GBR"


def test_resolver_names_the_facet_of_a_sector_mention():
    resolve = make_resolver({"a1": [(0, 5, "e1", False, "government"), (10, 16, "e1", False, None)]},
                            {"e1": "France"})
    assert resolve("a1", 0, 5) == {"entity": "e1", "name": "France", "facet": "government"}
    assert resolve("a1", 10, 16) == {"entity": "e1", "name": "France"}


def test_the_movement_is_the_organisation_named_so(nlp):
    doc = nlp("The Varro Liberation Movement did not answer. Last year the movement said it would fight on. "
              "The movement of troops continued.")
    a = _actor(doc, "Varro Liberation Movement")
    assert ("the movement", "description") in _forms(a)
    assert ("The movement", "description") not in _forms(a)  # "the movement of troops" is no actor


def test_the_ministry_is_the_one_government_speaking(nlp):
    doc = nlp("Velmora's government said on Friday that it would close the border. Defence Minister Ilan Roe "
              "met the governors on Thursday, the ministry said.")
    gov = next(a for a in doc._.storyline_actors if (a["key"] or "").endswith("#government"))
    assert ("the ministry", "description") in _forms(gov)
    doc = nlp("Velmora's government and Ostria's government met. The ministry said nothing.")
    assert not [a for a in doc._.storyline_actors if ("The ministry", "description") in _forms(a)]
