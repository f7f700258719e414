"""Issue 15: every linker costs what arrived. The actor merge, claim groups and event groups
are updated from the articles of a batch (and what they reach), and a run over batches ends
where `relink` (the one full recomputation) ends: same entities, links, facets and groups,
compared by content."""
from __future__ import annotations

import json
import random
import shutil

import pytest

from storyline.actors.merge import merge, touch_keys
from storyline.engine import analyze
from storyline.link import relink_all
from storyline.link.actors import link_actors
from storyline.link.claims import link_claims
from storyline.link.duplicates import link_duplicates
from storyline.link.events import link_events
from storyline.link.stories import link_stories
from storyline.link.story_dating import link_story_dates
from storyline.store import open_store


def _links(store) -> dict:
    """The actors linker's result by content: entity (without its id) -> sorted members."""
    by_entity: dict[str, list] = {}
    for (art, local), eid in store.actors.links().items():
        by_entity.setdefault(eid, []).append([art, local])
    out = {}
    for e in store.actors.entities():
        key = json.dumps({k: v for k, v in e.items() if k != "id"}, sort_keys=True)
        out[key] = sorted(by_entity.get(e["id"], []))
    return out


def _state(store) -> dict:
    return {"entities": sorted(json.dumps(e, sort_keys=True) for e in store.actors.entities()),
            "links": sorted(store.actors.links().items()),
            "claim": sorted(json.dumps(g, sort_keys=True) for g in store.groups.list("claim")),
            "event": sorted(json.dumps(g, sort_keys=True) for g in store.groups.list("event"))}


# --- the actor merge on synthetic records: every rule of `merge`, random batches -------------

NAMES = ["Ilse Varnholt", "Varnholt", "Anna Varnholt", "Dalia Ferren", "Ferren", "Mira Dalia Ferren",
         "Vell Valley Water Authority", "VVWA", "Kessara", "Kessaran", "Brannock", "Osk", "Halvik",
         "Tomas Halvik", "Police", "the Police", "Corrin", "Ellen Brisk", "Brisk"]
KEYS = [None] * 6 + ["USA", "FRA#government", "NAME:Kessaran#government", "NAME:Kessara#military",
                     "NAME:Brannock#government", "NAME:Dornland#government"]
TYPES = ["PERSON", "PERSON", "ORG", "GPE", "NORP", "LOC"]
FORMS = ["name", "surname", "acronym", "pronoun", "description", "metonym"]


def _record(rng: random.Random, local: int) -> dict:
    name = rng.choice(NAMES)
    rec = {"local": f"a{local}", "name": name, "type": rng.choice(TYPES), "key": rng.choice(KEYS),
           "names": rng.sample(NAMES, rng.randint(0, 2)), "roles": [],
           "mentions": [{"span": {"start": local * 40 + j * 10, "end": local * 40 + j * 10 + 5,
                                  "text": rng.choice([name, *NAMES[:3]])}, "form": rng.choice(FORMS)}
                        for j in range(rng.randint(1, 3))]}
    rec["span"] = rec["mentions"][0]["span"]
    if rng.random() < 0.08:
        rec.update(type="GPE", key=None, name="Brannock", seat_of="Dornland")
    if rng.random() < 0.08:
        rec["split_name"] = "Ilse Varnholt"
    if rng.random() < 0.1:
        rec["roles"] = [{"role": "spokesman", "of": "Vell Valley Water Authority"}]
    return rec


@pytest.mark.parametrize("seed", range(40))
def test_incremental_merge_equals_merge_of_everything(tmp_path, seed):
    rng = random.Random(seed)
    with open_store(str(tmp_path / "s.db")) as store:
        stored = []
        for batch in range(4):
            for i in range(rng.randint(2, 6)):
                aid = f"a{seed}-{batch}-{i}"
                recs = [_record(rng, k) for k in range(rng.randint(1, 4))]
                store.save_article({"id": aid, "path": f"{aid}.txt", "text": "x" * 400}, {"actors": recs})
                story = rng.choice([None, "s1", "s2", "s3"])
                if story:
                    store.stories.set_story(aid, story)
                stored.append(aid)
            link_actors(store)
            records = list(store.records("actors"))
            entities, links = merge(records, store.stories.assignments())
            by_entity: dict[str, list] = {}
            for (art, local), eid in links.items():
                by_entity.setdefault(eid, []).append([art, local])
            want = {json.dumps({k: v for k, v in e.items() if k != "id"}, sort_keys=True): sorted(by_entity[e["id"]])
                    for e in entities}
            assert _links(store) == want, f"batch {batch}"
            assert {e["id"] for e in store.actors.entities()} == {e["id"] for e in entities}


def _want(store) -> dict:
    entities, links = merge(list(store.records("actors")), store.stories.assignments())
    by_entity: dict[str, list] = {}
    for (art, local), eid in links.items():
        by_entity.setdefault(eid, []).append([art, local])
    return {json.dumps({k: v for k, v in e.items() if k != "id"}, sort_keys=True): sorted(by_entity[e["id"]])
            for e in entities}, {e["id"] for e in entities}


@pytest.mark.parametrize("seeds", [range(0, 10), range(10, 20), range(20, 30)])
def test_repeated_actors_join_stored_entities_as_a_merge_would(tmp_path, seeds):
    """Hub actors: records drawn from a small pool (the same names again and again, in
    random stories), so many arrive at an entity already stored and join its summary
    without a re-merge (`joined`); after every batch the store holds the merge of everything."""
    joined = 0
    for seed in seeds:
        rng = random.Random(1000 + seed)
        pool = [_record(rng, k) for k in range(14)]
        with open_store(str(tmp_path / f"s{seed}.db")) as store:
            for batch in range(8):
                for i in range(rng.randint(1, 5)):
                    aid = f"h{seed}-{batch}-{i}"
                    recs = [dict(rng.choice(pool), local=f"a{k}") for k in range(rng.randint(1, 4))]
                    store.save_article({"id": aid, "path": f"{aid}.txt", "text": "x" * 400}, {"actors": recs})
                    story = rng.choice([None, "s1", "s2", "s3", "s4"])
                    if story:
                        store.stories.set_story(aid, story)
                joined += link_actors(store)["joined"]
                want, ids = _want(store)
                assert _links(store) == want, f"seed {seed} batch {batch}"
                assert {e["id"] for e in store.actors.entities()} == ids
    assert joined >= 20  # the path under test is taken


def _actor(local: str, name: str, type_: str, key=None, form="name", start=0, **extra) -> dict:
    span = {"start": start, "end": start + len(name), "text": name}
    return {"local": local, "name": name, "type": type_, "key": key, "names": [name] if form == "name" else [],
            "roles": [], "mentions": [{"span": span, "form": form}], "span": span, **extra}


def test_a_hub_actor_is_joined_not_re_merged(store_url):
    """A country, its government and a person named in every article of many batches: each
    new article's records join the stored entities' summaries (none of their stored records
    is read again) and the store ends where a merge of everything ends, with the same ids."""
    ids_seen: dict[str, str] = {}
    with open_store(store_url) as store:
        for batch in range(6):
            for i in range(4):
                aid = f"hub-{batch}-{i}"
                recs = [_actor("a0", "France", "GPE", key="FRA", start=0),
                        _actor("a1", "Paris", "GPE", key="FRA#government", form="metonym", start=20,
                               actor_type="government"),
                        _actor("a2", "Ilse Varnholt", "PERSON", start=40, actor_type="person"),
                        _actor("a3", "Varnholt", "PERSON", form="surname", start=80,
                               roles=[{"role": "minister", "of": None}]),
                        _actor("a4", f"Wharf Guild{batch}x{i}", "ORG", start=120)]
                store.save_article({"id": aid, "path": aid, "text": "t" * 400}, {"actors": recs})
                store.stories.set_story(aid, f"s{(batch * 4 + i) % 3}")
            stats = link_actors(store)
            want, ids = _want(store)
            assert _links(store) == want, f"batch {batch}"
            ents = {e["name"]: e for e in store.actors.entities()}
            for name in ("France", "Ilse Varnholt"):
                assert ids_seen.setdefault(name, ents[name]["id"]) == ents[name]["id"]  # stable ids
            assert len(ents["France"]["articles"]) == 4 * (batch + 1)
            assert ents["France"]["facets"][0]["name"] == "France's government"
            if batch:
                # France, its government and Ilse Varnholt join; the new guilds are merged alone
                assert stats["joined"] >= 4 * 3
                assert stats["records"] - stats["joined"] <= 4 * 2
    assert set(ids_seen) == {"France", "Ilse Varnholt"}


def test_a_merged_story_s_groups_come_back_under_the_survivor(store_url):
    """A story merge moves every article of the absorbed story into the surviving one; the
    claims linker then regroups the survivor, and a group made of the same claims has the
    same id as the absorbed story's stored group. That one goes first (it raised a unique
    constraint error when a 20,000-article run linked every 5,000)."""
    from storyline.link.claims import save_regrouped

    with open_store(store_url) as store:
        for aid, sid in (("m-1", "s-absorbed"), ("m-2", "s-survivor")):
            store.save_article({"id": aid, "path": aid, "text": "t" * 40}, {})
            store.stories.set_story(aid, sid)
        old = [{"id": "cg-same", "story": "s-absorbed", "claims": ["m-1:0"]},
               {"id": "cg-other", "story": "s-survivor", "claims": ["m-2:0"]}]
        save_regrouped(store, "claim", "claims", None, old, [])
        store.stories.set_story("m-1", "s-survivor")  # the merge
        new = [{"id": "cg-same", "story": "s-survivor", "claims": ["m-1:0"]},
               {"id": "cg-other", "story": "s-survivor", "claims": ["m-2:0"]}]
        save_regrouped(store, "claim", "claims", ["s-survivor"], new, [])
        assert store.groups.list("claim") == new


def test_a_new_alias_bridges_two_stored_actors(store_url):
    """"VVWA" and "Vell Valley Water Authority" are two actors until an article ties the
    acronym to the name; then they are one, and the old entities are gone (both stores)."""
    def org(local, name, names, start=0):
        span = {"start": start, "end": start + len(name), "text": name}
        return {"local": local, "name": name, "type": "ORG", "key": None, "names": names,
                "mentions": [{"span": span, "form": "name"}], "span": span}

    with open_store(store_url) as store:
        store.save_article({"id": "x1", "path": "x1", "text": "t" * 200}, {"actors": [org("a0", "VVWA", ["VVWA"])]})
        store.save_article({"id": "x2", "path": "x2", "text": "t" * 200},
                           {"actors": [org("a0", "Vell Valley Water Authority", ["Vell Valley Water Authority"])]})
        store.save_article({"id": "x9", "path": "x9", "text": "t" * 200},
                           {"actors": [org("a0", "Harbour Guild", ["Harbour Guild"])]})
        link_actors(store)
        assert len(store.actors.entities()) == 3
        untouched = [e for e in store.actors.entities() if e["name"] == "Harbour Guild"]
        store.save_article({"id": "x3", "path": "x3", "text": "t" * 200},
                           {"actors": [org("a0", "Vell Valley Water Authority", ["Vell Valley Water Authority", "VVWA"])]})
        stats = link_actors(store)
        assert stats["articles"] == 1 and stats["records"] == 3  # the new one and the two it bridges
        ents = store.actors.entities()
        assert len(ents) == 2
        bridged = next(e for e in ents if e["name"] == "Vell Valley Water Authority")
        assert set(bridged["articles"]) == {"x1", "x2", "x3"}
        assert [e for e in ents if e["name"] == "Harbour Guild"] == untouched
        assert len(set(store.actors.links().values())) == 2
        assert stats["changed"] == 1  # x1 moved entity (x2's keeps its id and name): its events are redone


def test_touch_keys_cover_the_merge_rules():
    assert "key\x1fUSA" in touch_keys({"name": "U.S.", "key": "USA", "type": "GPE"})
    person = touch_keys({"name": "Recep Tayyip Erdogan", "type": "PERSON"})
    assert {"person\x1ftayyip erdogan", "person\x1frecep tayyip erdogan", "surname\x1ferdogan"} <= person
    assert "surname\x1fhalvik" in touch_keys({"name": "Halvik", "type": "GPE"})
    demonym = touch_keys({"name": "Kessaran officials", "key": "NAME:Kessaran#government", "type": "NORP"})
    assert "pfx\x1fKess" in demonym and "pfx\x1fKess" in touch_keys({"name": "Kessara", "type": "GPE"})


# --- the sample corpus in three batches, then whole, against relink ---------------------------

@pytest.fixture(scope="module")
def batched(tmp_path_factory, sample_dir, nlp):
    d = tmp_path_factory.mktemp("incr") / "in"
    shutil.copytree(sample_dir, d)
    files = sorted(p for p in d.iterdir() if p.name != "README.md")
    db = str(d.parent / "batched.db")
    with open_store(db) as store:
        for part in (files[:6], files[6:12], files[12:]):
            analyze([str(p) for p in part], store, nlp=nlp)
        analyze([str(d)], store, nlp=nlp)
        state = _state(store)
    return d, db, state, nlp


def test_batches_then_whole_equal_relink(batched):
    _d, db, state, _nlp = batched
    assert state["entities"] and state["claim"] and state["event"]
    with open_store(db) as store:
        relink_all(store)
        again = _state(store)
    assert again == state


def test_linking_during_a_run_ends_where_linking_at_its_end_does(batched, tmp_path):
    """`analyze(link_every=N)` runs the linkers after every N stored articles (bounded
    memory on a large input); the run ends with the same state as linking once."""
    d, _db, state, nlp = batched
    with open_store(str(tmp_path / "every4.db")) as store:
        summary = analyze([str(d)], store, nlp=nlp, link_every=4, batch_size=4)
        assert summary.link_passes == summary.processed // 4 >= 3  # batches are stored as parsed
        assert _state(store) == state


def test_a_small_batch_touches_only_its_own_story_and_actors(batched, tmp_path):
    d, db, _state0, nlp = batched
    work = tmp_path / "w.db"
    shutil.copy(db, work)
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "plimsk.txt").write_text(
        "PLIMSK GUILD REPORT\n\nQuorvath Zellin, head of the Plimsk Barge Guild, said on Monday that "
        "the guild had moved 40 barges of grain through the Tessel locks since Friday. "
        "Zellin said the Plimsk Barge Guild would add 12 more barges next week.\n", "utf-8")
    with open_store(str(work)) as store:
        before = {e["id"]: e for e in store.actors.entities()}
        claims_before = {g["id"]: g for g in store.groups.list("claim")}
        total_actor_records = store.count("records")
        analyze([str(extra)], store, nlp=nlp, link=False)
        new_id = store.link_state.arrivals(store.link_state.last_seq("actors"))[0][0]
        own = [r for r in store.records("actors", new_id) if r.get("mentions")]
        link_duplicates(store)
        link_stories(store)
        stats = link_actors(store)
        assert stats["articles"] == 1
        assert stats["records"] == len(own)  # shares no key with any stored actor: nothing else read
        assert stats["records"] < total_actor_records
        after = {e["id"]: e for e in store.actors.entities()}
        assert all(after.get(k) == v for k, v in before.items())  # stored actors untouched
        link_story_dates(store)
        c = link_claims(store)
        assert c["articles"] == 1 and c["stories"] == 1
        assert c["claims"] == len(list(store.records("claims", new_id)))
        assert all(g in store.groups.list("claim") for g in claims_before.values())
        e = link_events(store)
        assert e["stories"] == 1 and e["events"] <= len(list(store.records("events", new_id)))
        # nothing arrived: nothing is read
        assert link_actors(store)["records"] == 0
        assert link_claims(store)["claims"] == 0 and link_events(store)["events"] == 0
