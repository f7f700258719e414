"""Claim groups on the bundled sample corpus, as a careful reader would line the figures up
(examples/sample/README.md lists the traps): the Vell valley toll rising from nine to 14 and
then disputed at 19 is a conflict that also moved, the evacuee figure is confirmed by two outlets while the blog repost adds no
source, the ceasefire deadlines conflict, and every group rests on claims in the export."""
from __future__ import annotations

import pytest

from storyline.outputs.export import build_export
from storyline.store import open_store


@pytest.fixture(scope="module")
def export(sample_db):
    with open_store(str(sample_db)) as store:
        return build_export(store)


def _file(export, article_id: str) -> str:
    return next(a["path"] for a in export["articles"] if a["id"] == article_id).rsplit("/", 1)[-1]


def _groups_with(export, prefix: str) -> list[dict]:
    return [g for g in export["claim_groups"] if any(_file(export, a).startswith(prefix) for a in g["articles"])]


def _story_groups(export, prefix: str) -> list[dict]:
    story = next(a["story"] for a in export["articles"] if a["path"].rsplit("/", 1)[-1].startswith(prefix))
    return [g for g in export["claim_groups"] if g["story"] == story]


def test_every_claim_has_a_group_and_every_group_its_claims(export):
    ids = {c["id"] for c in export["claims"]}
    assert export["claims"] and export["claim_groups"]
    assert all(c["group"] for c in export["claims"])
    for g in export["claim_groups"]:
        assert set(g["claims"]) <= ids and g["independent_sources"] >= 1


def test_toll_rising_then_disputed(export):
    """Nine dead on Tuesday, 14 on Wednesday (an update), then the Brannock council puts it
    at 19, "five more than the national figure": the conflict is shown, and the values keep
    the order of the days they refer to."""
    toll = [g for g in _groups_with(export, "01_") if 14 in [v["value"] for v in g["values"]]]
    assert toll, "the Meridian toll of nine and Northgate's 14 are one figure"
    g = toll[0]
    assert g["status"] == "conflicting" and g["moved"]
    seq = [v["value"] for v in g["values"]]
    assert seq.index(9) < seq.index(14) < seq.index(19)
    assert {_file(export, a)[:3] for a in g["articles"]} >= {"01_", "03_", "05_"}


def test_syndicated_copy_adds_no_source(export):
    evacuees = [g for g in _groups_with(export, "04_") if 12000 in [v["value"] for v in g["values"]]]
    assert evacuees
    g = evacuees[0]
    files = {_file(export, a)[:3] for a in g["articles"]}
    assert {"01_", "03_", "04_"} <= files  # Meridian, Northgate and the blog's repost of Northgate
    assert g["independent_sources"] == 2 and g["status"] == "corroborated"


def test_conflicting_deadlines_are_shown(export):
    ceasefire = [g for g in _story_groups(export, "07_") if g["kind"] == "dated"]
    assert any(g["status"] == "conflicting" and g["independent_sources"] >= 2 for g in ceasefire), \
        [(g["description"], g["status"], [v["value"] for v in g["values"]]) for g in ceasefire]


def test_figure_agreed_by_several_outlets_is_corroborated(export):
    agreed = [g for g in export["claim_groups"] if g["status"] == "corroborated" and g["independent_sources"] >= 3]
    assert agreed, "the '60 vessels' figure is stated by three outlets"


def test_a_figure_moving_over_days_is_marked_moved(export):
    """The dam toll rises 9 -> 14 -> 19 over three days (and is disputed: 'five more than the
    national figure'), so its group is conflicting and `moved`; any updated group moved too.
    (The sample's only `updated` group used to be two days on which a spokesman *said*
    something, not a figure: those are no dated claims any more.)"""
    toll = [g for g in export["claim_groups"]
            if {9, 14, 19} <= {v["value"] for v in g["values"] if isinstance(v["value"], (int, float))}]
    assert toll and all(g["moved"] for g in toll), [(g["description"], g["status"]) for g in toll]
    days = {v["value"]: v["as_of"] for v in toll[0]["values"] if v["value"] in (9, 14, 19)}
    assert days[9] < days[14] < days[19]
    assert all(g["moved"] for g in export["claim_groups"] if g["status"] == "updated")


def test_days_of_sayings_are_no_dated_claims(export):
    """'said on Friday that it planned …' and 'rejected the plan on May 29' date a saying or
    an act, not a date set for something: no dated claim."""
    text = {a["id"]: a["text"] for a in export["articles"]}
    sayings = [(c["text"], text[c["article"]][max(0, c["span"]["start"] - 40):c["span"]["end"]])
               for c in export["claims"] if c["kind"] == "dated"
               and text[c["article"]][:c["span"]["start"]].rstrip().endswith((" said", "rejected the plan"))]
    # one parse attaches "said on Wednesday it would press ahead" to "press": allowed once
    assert len(sayings) <= 1, sayings
