"""Event groups across articles (storyline/events/groups.py)."""
from __future__ import annotations

from storyline.events import group_events


def _ev(i, art, typ="THREATEN", actor="the Taliban", rec="Turkey", date=None, **kw):
    return {"id": f"ev{i}", "article": art, "type": typ, "actor": {"text": actor},
            "recipient": {"text": rec} if rec else None, "date": date, "negated": False,
            "hypothetical": False, "confidence": 0.7, **kw}


ARTS = [{"id": "a1", "source": "VOA", "duplicate_of": None},
        {"id": "a2", "source": "Reuters", "duplicate_of": None},
        {"id": "a3", "source": "blog", "duplicate_of": "a2"},
        {"id": "a4", "source": "VOA", "duplicate_of": None}]


def test_same_happening_in_several_articles_is_one_group():
    evs = [_ev(1, "a1", date="2021-06-18"), _ev(2, "a2", actor="Taliban", rec="Turkey's government",
                                                date="2021-06"),
           _ev(3, "a3", actor="The Taliban"), _ev(4, "a4", actor="the Taliban")]
    groups = group_events(evs, ARTS)
    assert len(groups) == 1
    g = groups[0]
    assert g["id"].startswith("eg") and sorted(g["events"]) == ["ev1", "ev2", "ev3", "ev4"]
    assert g["articles"] == ["a1", "a2", "a3", "a4"]
    # a3 is a duplicate of a2 (adds nothing); a1 and a4 are the same outlet (count once)
    assert g["independent_sources"] == 2


def test_different_type_actor_date_or_polarity_stay_apart():
    evs = [_ev(1, "a1"), _ev(2, "a2", typ="ASSAULT"), _ev(3, "a2", actor="Turkish troops"),
           _ev(4, "a4", date="2021-06-18"), _ev(5, "a1", date="2021-07-01"),
           _ev(6, "a2", negated=True)]
    groups = group_events(evs, ARTS)
    by = {tuple(sorted(g["events"])): g for g in groups}
    assert ("ev2",) in by and ("ev3",) in by and ("ev6",) in by
    # ev1 (no date) is compatible with both dated events, but ev4 and ev5 conflict: ev1 joins
    # the first match; the two dated ones never share a group
    assert not any({"ev4", "ev5"} <= set(g["events"]) for g in groups)


def test_group_ids_are_stable():
    evs = [_ev(1, "a1"), _ev(2, "a2")]
    assert group_events(evs, ARTS)[0]["id"] == group_events(list(reversed(evs)), ARTS)[0]["id"]
