"""The actors linker's fast path for records the merge has already placed (storyline/link/
actors.py, `_joins`): an arriving record whose signature and story are stored joins the
entity of those records, and a one-word person in a story without one full name of its
surname joins where the story's stored one-word people of that name went. After every batch
the store holds what a merge of everything gives, with the same ids (both stores)."""
from __future__ import annotations

import random

import pytest

from storyline.actors.merge import merge
from storyline.link.actors import link_actors
from storyline.store import open_store

from actor_records import actor as _actor, by_content as _by_content


def _check(store) -> None:
    """The store holds the merge of every stored record: same entities, members and ids."""
    entities, links = merge(list(store.records("actors")), store.stories.assignments())
    assert _by_content(store.actors.entities(), store.actors.links()) == _by_content(entities, links)
    assert {e["id"] for e in store.actors.entities()} == {e["id"] for e in entities}


def _save(store, aid: str, story, recs: list[dict]) -> None:
    store.save_article({"id": aid, "path": aid, "text": "t" * 400}, {"actors": recs})
    if story:
        store.stories.set_story(aid, story)


def _entity_of(store, aid: str, local: str) -> str:
    return store.actors.links()[(aid, local)]


def test_a_copy_joins_the_entity_of_its_story_not_of_its_signature(store_url):
    """"Varnholt" is Ilse Varnholt in one story and Anna Varnholt in another: one more
    "Varnholt" of the second story joins Anna (a record of the same signature in another
    story is someone else), and a full name joins its entity although that entity holds a
    surname slip, as long as its story is one the entity has."""
    with open_store(store_url) as store:
        _save(store, "v1", "s1", [_actor("a0", "Ilse Varnholt", "PERSON"),
                                  _actor("a1", "Varnholt", "PERSON", form="surname", start=40)])
        _save(store, "v2", "s2", [_actor("a0", "Anna Varnholt", "PERSON"),
                                  _actor("a1", "Varnholt", "PERSON", form="surname", start=40)])
        _save(store, "v3", "s3", [_actor("a0", "Tomas Halvik", "PERSON"),
                                  _actor("a1", "Halvik", "GPE", start=40)])  # a slip: joins Tomas Halvik
        link_actors(store)
        _check(store)
        assert _entity_of(store, "v3", "a1") == _entity_of(store, "v3", "a0")
        _save(store, "v4", "s2", [_actor("a0", "Varnholt", "PERSON", form="surname")])
        _save(store, "v5", "s3", [_actor("a0", "Tomas Halvik", "PERSON"), _actor("a1", "Halvik", "GPE", start=40)])
        stats = link_actors(store)
        _check(store)
        assert _entity_of(store, "v4", "a0") == _entity_of(store, "v2", "a0") != _entity_of(store, "v1", "a0")
        assert stats["joined"] == stats["records"] == 3  # no stored record read
        # Tomas Halvik in a new story is no copy: re-merged with his slip, not joined
        _save(store, "v6", "s4", [_actor("a0", "Tomas Halvik", "PERSON")])
        stats = link_actors(store)
        _check(store)
        assert stats["joined"] == 0


def test_a_one_word_person_follows_the_stored_ones_of_its_branch(store_url):
    """No full name "Osk" in the story: a one-word "Osk" with a role is an actor of its own,
    one without a role (nor pronoun or description) is the organisation Osk named elsewhere;
    new wordings of each (another signature) join the entity of the stored ones of their
    branch. With two full names of the surname, every one-word one goes together."""
    with open_store(store_url) as store:
        _save(store, "o1", "s1", [_actor("a0", "Osk", "PERSON", form="surname",
                                         roles=[{"role": "minister", "of": None}])])
        _save(store, "o2", "s2", [_actor(f"a{j}", "Osk", "ORG", start=20 * j) for j in range(3)])
        _save(store, "o3", "s1", [_actor("a0", "Osk", "PERSON", form="surname")])
        _save(store, "o4", "s5", [_actor("a0", "Ilse Varnholt", "PERSON"), _actor("a1", "Anna Varnholt", "PERSON", start=20),
                                  _actor("a2", "Varnholt", "PERSON", form="surname", start=40)])
        link_actors(store)
        _check(store)
        own, org = _entity_of(store, "o1", "a0"), _entity_of(store, "o2", "a0")
        assert own != org == _entity_of(store, "o3", "a0")
        _save(store, "o5", "s1", [_actor("a0", "Osk", "PERSON", names=["Osk"]),  # no role: the organisation
                                  _actor("a1", "Osk", "PERSON", form="surname", start=20, names=["Osk"],
                                         roles=[{"role": "envoy", "of": None}])])
        _save(store, "o6", "s5", [_actor("a0", "Varnholt", "PERSON", names=["Varnholt"])])
        stats = link_actors(store)
        _check(store)
        assert _entity_of(store, "o5", "a0") == _entity_of(store, "o2", "a0") == _entity_of(store, "o3", "a0")
        assert _entity_of(store, "o5", "a1") == _entity_of(store, "o1", "a0") == own
        assert _entity_of(store, "o6", "a0") == _entity_of(store, "o4", "a2")
        assert stats["joined"] == stats["records"] == 3  # no stored record read


NAMES = ["Ilse Varnholt", "Anna Varnholt", "Varnholt", "Tomas Halvik", "Halvik", "Osk", "Ferren", "Dalia Ferren",
         "Kessara", "Brisk", "Ellen Brisk"]


@pytest.mark.parametrize("seed", range(12))
def test_one_word_names_in_few_stories_end_as_a_merge(tmp_path, seed):
    """Random batches drawn from a small pool of one-word and full names, slips, roles and
    pronouns in a few stories: many arrive as copies of stored records (or beside the
    story's stored one-word names) and join without a re-merge; after each batch the store
    holds the merge of everything."""
    rng = random.Random(5000 + seed)
    pool = []
    for k in range(16):
        name = rng.choice(NAMES)
        rec = _actor(f"a{k}", name, rng.choice(["PERSON", "PERSON", "PERSON", "GPE", "ORG"]),
                     form=rng.choice(["name", "surname", "pronoun"]), start=k * 30,
                     names=rng.choice([[], [name]]))
        if rng.random() < 0.3:
            rec["roles"] = [{"role": "minister", "of": None}]
        pool.append(rec)
    joined = 0
    with open_store(str(tmp_path / "m.db")) as store:
        for batch in range(8):
            for i in range(rng.randint(1, 4)):
                recs = [dict(rng.choice(pool), local=f"a{j}") for j in range(rng.randint(1, 4))]
                _save(store, f"m{seed}-{batch}-{i}", rng.choice(["s1", "s2", "s3", None]), recs)
            joined += link_actors(store)["joined"]
            _check(store)
    assert joined > 0


MOVE_NAMES = ["Ilse Varnholt", "Varnholt", "Anna Varnholt", "Halvik", "Tomas Halvik", "Kessara", "Osk",
              "Harbour Party", "Varnholt Party"]
MOVE_KEYS = [None, None, None, None, "USA", "FRA#government", "FRA", "NAME:Kessaran#government", "NAME:Kessara"]


def _summaries_check(store) -> None:
    """Besides `_check`: every stored summary is the one a merge of everything computes."""
    want: dict = {}
    merge(list(store.records("actors")), store.stories.assignments(), want)
    assert store.actors.summaries(want) == want


@pytest.mark.parametrize("seed", range(16))
def test_story_merges_move_records_as_a_merge_would(tmp_path, seed):
    """Stories merge between batches (every article of one moves into another and is noted
    for the actors linker, as the stories linker does): records with a gazetteer key keep
    their entity unread (`merge.story_free`), the rest are merged again; after each batch
    the entities, links, ids and summaries are a merge of everything's."""
    rng = random.Random(7000 + seed)
    pool = []
    for k in range(18):
        name = rng.choice(MOVE_NAMES)
        rec = _actor(f"a{k}", name, rng.choice(["PERSON", "PERSON", "GPE", "ORG"]), key=rng.choice(MOVE_KEYS),
                     form=rng.choice(["name", "surname", "pronoun"]), start=k * 30, names=rng.choice([[], [name]]))
        if rng.random() < 0.2:
            rec["roles"] = [{"role": "minister", "of": None}]
        pool.append(rec)
    # a country's key; a demonym key whose place "Kessara" may be the surname slip of Lena
    # Kessara, as long as its cluster (with the demonym's records) spans one story
    pool[:4] = [_actor("a90", "United States", "GPE", key="USA"), _actor("a91", "Lena Kessara", "PERSON"),
                _actor("a92", "Kessara", "GPE", start=40),
                _actor("a93", "Kessaran officials", "NORP", key="NAME:Kessara#government", start=80)]
    stories: dict[str, str] = {}
    kept = 0
    with open_store(str(tmp_path / "m.db")) as store:
        for batch in range(8):
            for i in range(rng.randint(1, 4)):
                aid = f"m{seed}-{batch}-{i}"
                recs = [dict(rng.choice(pool), local=f"a{j}") for j in range(rng.choice([1, 1, 2, 4]))]
                stories[aid] = rng.choice(["s1", "s2", "s3", "s4"])
                _save(store, aid, stories[aid], recs)
            if batch and rng.random() < 0.6:  # a story merge: `gone` is absorbed into `into`
                gone, into = rng.sample(sorted(set(stories.values())), 2) if len(set(stories.values())) > 1 \
                    else (None, None)
                moved = [a for a, s in stories.items() if s == gone]
                for a in moved:
                    stories[a] = into
                    store.stories.set_story(a, into)
                store.link_state.mark_changed("actors", moved)
                kept += sum(1 for a in moved for r in store.records("actors", a) if r.get("key")
                            and not r["key"].startswith("NAME:"))
            link_actors(store)
            _check(store)
            _summaries_check(store)
    assert kept > 0  # records the new path keeps as they are


def test_a_moved_demonym_record_is_merged_again(store_url):
    """A NAME: key is not story-free: "Kessaran officials" (NAME:Kessara#government) joins the
    place "Kessara", whose cluster then spans two stories, so the place is no surname slip of
    Lena Kessara; once a story merge brings the demonym's article into Lena's story, the
    cluster spans one story and the place joins her. The country key of the same article
    keeps its entity unread."""
    with open_store(store_url) as store:
        _save(store, "k1", "s1", [_actor("a0", "Lena Kessara", "PERSON"), _actor("a1", "Kessara", "GPE", start=40)])
        _save(store, "k2", "s2", [_actor("a0", "Kessaran officials", "NORP", key="NAME:Kessara#government"),
                                  _actor("a1", "United States", "GPE", key="USA", start=40)])
        _save(store, "k3", "s3", [_actor("a0", "United States", "GPE", key="USA")])
        link_actors(store)
        _check(store)
        assert _entity_of(store, "k1", "a1") != _entity_of(store, "k1", "a0")
        usa = store.actors.summaries([_entity_of(store, "k2", "a1")])
        store.stories.set_story("k2", "s1")
        store.link_state.mark_changed("actors", ["k2"])
        stats = link_actors(store)
        _check(store)
        _summaries_check(store)
        assert _entity_of(store, "k1", "a1") == _entity_of(store, "k1", "a0") == _entity_of(store, "k2", "a0")
        assert store.actors.summaries(usa) == usa
        assert stats["records"] == 3  # the demonym and what it meets; the country record is kept unread
