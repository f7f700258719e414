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


# --- blocking (issue 15): the blocked grouping gives what the all-pairs reference gives ----------

PARTIES = ["the Taliban", "Taliban", "Turkey", "Turkey's defence ministry", "Turkish troops", "the army", "army",
           "", None, "Israeli army", "Israeli police"]


def _party(rng):
    text = rng.choice(PARTIES)
    if text is None:
        return None
    party = {"text": text}
    if rng.random() < 0.5:
        party["entity"] = rng.choice([None, None, "E1", "E2", "E3"])
    if rng.random() < 0.2:
        party["name"] = rng.choice(PARTIES[:4])
    return party


def test_blocked_grouping_equals_all_pairs_on_random_events():
    """Random events whose names overlap in part, with and without entities, missing parties,
    dates of every precision (and ones that only look like dates), both polarities: the
    order-dependent joins (an undated event joins the first compatible group) included."""
    import random

    joined = 0
    for seed in range(400):
        rng = random.Random(seed)
        evs = [{"id": f"ev{i}", "article": f"a{rng.randrange(4) + 1}", "type": rng.choice(["THREATEN", "ASSAULT", None]),
                "actor": _party(rng), "recipient": _party(rng) if rng.random() < 0.7 else None,
                "date": rng.choice([None, None, "2021", "2021-06", "2021-06-18", "2021-06-19", "2021-06-18TA",
                                    "2021-07", "", "P2Y"]),
                "negated": rng.random() < 0.1, "hypothetical": rng.random() < 0.1, "confidence": rng.random()}
               for i in range(rng.randint(1, 80))]
        fast = group_events(evs, ARTS)
        assert fast == group_events(evs, ARTS, exhaustive=True), seed
        joined += sum(len(g["events"]) > 2 for g in fast)
    assert joined > 100


def test_blocked_grouping_equals_all_pairs_on_the_sample_and_a_long_story(sample_db):
    """The sample's events (actors resolved to entities) as the events linker groups them,
    then one long story of 12 copies of the sample, dates a day apart every 3 articles."""
    import datetime as dt

    from storyline.link.events import resolved_events
    from storyline.store import open_store

    with open_store(str(sample_db)) as store:
        events = resolved_events(store)
        arts = [{k: a.get(k) for k in ("id", "source", "duplicate_of", "story", "published")} for a in store.articles()]
    assert group_events(events, arts) == group_events(events, arts, exhaustive=True)
    long_evs, long_arts, k = [], [], 0
    for rep in range(12):
        for a in arts:
            day = dt.date(2026, 3, 1) + dt.timedelta(days=k // 3)
            k += 1
            aid = f"{a['id']}~{rep}"
            long_arts.append({**a, "id": aid, "source": f"{a['source']} {rep % 7}",
                              "duplicate_of": f"{a['duplicate_of']}~{rep}" if a["duplicate_of"] else None})
            for e in events:
                if e["article"] == a["id"]:
                    date = e.get("date")
                    if isinstance(date, str) and len(date) >= 10 and date[:4].isdigit():
                        date = day.isoformat() + date[10:]
                    long_evs.append({**e, "id": f"{e['id']}~{rep}", "article": aid, "date": date})
    fast = group_events(long_evs, long_arts)
    assert fast == group_events(long_evs, long_arts, exhaustive=True)
    assert len(long_evs) > 800 and max(len(g["events"]) for g in fast) > 20
