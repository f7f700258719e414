"""The actors linker's fast path for one-word people whose story has no full name of their
surname (storyline/link/actors.py, `_joins`, stop 22): the plain ones (no role, pronoun or
description) join the cluster of the place or organisation of that name when the store holds
one, the rest form one new actor per story and name, without reading the stored actors of
that surname in other stories. Unsure cases (a NAME: key or a seat of government that may
make that name, a name only the batch makes, a split name or a moved article's one-word
person beside them) take the component path. After every batch the entities, links, ids and
summaries are a merge of everything's (both stores where a store fixture is used)."""
from __future__ import annotations

import random

import pytest

from storyline.actors.merge import merge, name_writes, probe_keys
from storyline.link.actors import link_actors
from storyline.store import open_store

from actor_records import actor as _actor, by_content as _by_content


def _check(store) -> None:
    summaries: dict = {}
    entities, links = merge(list(store.records("actors")), store.stories.assignments(), summaries)
    assert _by_content(store.actors.entities(), store.actors.links()) == _by_content(entities, links)
    assert {e["id"] for e in store.actors.entities()} == {e["id"] for e in entities}
    assert store.actors.summaries(summaries) == summaries


def _save(store, aid: str, story, recs: list[dict]) -> None:
    store.save_article({"id": aid, "path": aid, "text": "t" * 400}, {"actors": recs})
    if story:
        store.stories.set_story(aid, story)


def test_name_writes():
    assert name_writes(_actor("a", "Osk", "ORG", names=["Osk", "the Osk Guild"])) == ({"osk", "osk guild"}, set())
    assert name_writes(_actor("a", "Osk", "PERSON")) == (set(), set())
    assert name_writes(_actor("a", "Osk officials", "NORP", key="NAME:Osk#government")) == (set(), {"osk"})
    assert name_writes(_actor("a", "Velgrad", "GPE", seat_of="Dornland")) == ({"velgrad"}, {"dornland"})
    assert probe_keys(_actor("a", "France", "GPE", key="FRA")) == set()


def test_one_word_people_without_a_full_name_join_the_organisation_or_stand_alone(store_url):
    with open_store(store_url) as store:
        _save(store, "p1", "s1", [_actor("a0", "Osk", "ORG")])
        _save(store, "p2", "s2", [_actor("a0", "Tarrow", "PERSON", form="surname")])
        link_actors(store)
        _check(store)
        # two stories, each with one-word people and no full name of their surname
        _save(store, "p3", "s3", [_actor("a0", "Osk", "PERSON", form="surname"),
                                  _actor("a1", "Osk", "PERSON", form="pronoun", start=20),
                                  _actor("a2", "Brisk", "PERSON", form="surname", start=40)])
        _save(store, "p4", "s3", [_actor("a0", "Brisk", "PERSON", form="surname",
                                         roles=[{"role": "envoy", "of": None}])])
        _save(store, "p5", "s4", [_actor("a0", "Tarrow", "PERSON", form="surname")])
        stats = link_actors(store)
        _check(store)
        links = store.actors.links()
        assert links[("p3", "a0")] == links[("p1", "a0")] != links[("p3", "a1")]  # the plain one: the organisation
        assert links[("p3", "a2")] == links[("p4", "a0")]  # one actor of their own
        assert links[("p5", "a0")] != links[("p2", "a0")]  # another story's Tarrow is someone else
        assert stats["joined"] == stats["records"] == 5  # no stored record read


NAMES = ["Osk", "Brisk", "Halvik", "Tarrow", "Corrin"]


@pytest.mark.parametrize("seed", range(24))
def test_one_word_people_in_random_batches_end_as_a_merge(tmp_path, seed):
    """One-word people (plain, with a role, as a pronoun), places and organisations of the
    same names, NAME: keys and seats that may make those names, split names, a few full
    names, in a few stories, with story merges between batches."""
    _random_batches(tmp_path, seed)  # checks the store against a whole merge after each batch


def test_random_batches_take_the_join_path(tmp_path):
    """The batches above exercise the joins, not only the re-merge (a first run joins
    nothing: it merges everything)."""
    assert sum(_random_batches(tmp_path / str(seed), seed) for seed in range(4)) > 0


def _random_batches(tmp_path, seed: int) -> int:
    """Eight random batches into a new store, checked after each; returns the records joined."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    rng = random.Random(9000 + seed)

    def record(j: int) -> dict:
        name = rng.choice(NAMES)
        roll = rng.random()
        if roll < 0.45:
            rec = _actor(f"a{j}", name, "PERSON", form=rng.choice(["surname", "surname", "pronoun", "description"]),
                         start=j * 30, names=rng.choice([[], [name]]))
            if rng.random() < 0.2:
                rec["roles"] = [{"role": "minister", "of": None}]
            if rng.random() < 0.05:
                rec["split_name"] = f"Ilse {name}"
        elif roll < 0.65:
            rec = _actor(f"a{j}", name, rng.choice(["ORG", "GPE", "FAC"]), start=j * 30,
                         names=rng.choice([[name], [name, f"{name} Guild"], []]))
        elif roll < 0.72:
            rec = _actor(f"a{j}", f"{name}i officials", "NORP", key=f"NAME:{name}#government", start=j * 30)
        elif roll < 0.76:
            rec = _actor(f"a{j}", "Velgrad", "GPE", start=j * 30, seat_of=name)
        elif roll < 0.84:
            rec = _actor(f"a{j}", f"{rng.choice(['Ilse', 'Anna'])} {name}", "PERSON", start=j * 30)
        else:
            rec = _actor(f"a{j}", f"{name} Guild", "ORG", start=j * 30)
        return rec

    stories: dict[str, str] = {}
    joined = 0
    with open_store(str(tmp_path / "c.db")) as store:
        for batch in range(8):
            for i in range(rng.randint(1, 4)):
                aid = f"c{seed}-{batch}-{i}"
                stories[aid] = rng.choice(["s1", "s2", "s3", "s4", "s5"])
                _save(store, aid, stories[aid], [record(j) for j in range(rng.randint(1, 4))])
            if batch and rng.random() < 0.3 and len(set(stories.values())) > 1:
                gone, into = rng.sample(sorted(set(stories.values())), 2)
                moved = [a for a, s in stories.items() if s == gone]
                for a in moved:
                    stories[a] = into
                    store.stories.set_story(a, into)
                store.link_state.mark_changed("actors", moved)
            joined += link_actors(store)["joined"]
            _check(store)
    return joined


def test_migration_10_links_the_actors_again_with_the_probe_keys(store_url):
    """A store linked before migration 10 holds no `nw`/`nx` keys: the migration empties the
    actors linker's keys and sets its progress back (readers still see the entities), and the
    next run merges everything again, with the keys (without them an arriving plain "Osk"
    would stand alone, not join the organisation), and notes no article as changed."""
    with open_store(store_url) as store:
        _save(store, "q1", "s1", [_actor("a0", "Osk", "ORG")])
        _save(store, "q2", "s2", [_actor("a0", "Halvik", "PERSON", form="surname")])
        link_actors(store)
        before = store.actors.entities()
        store.conn.execute("DELETE FROM actor_keys WHERE key LIKE 'nw%' OR key LIKE 'nx%'")  # as rows of before
        store.conn.execute("DELETE FROM schema_migrations WHERE version = 10")
    with open_store(store_url) as store:
        assert store.actors.entities() == before and store.link_state.last_seq("actors") == 0
        stats = link_actors(store)
        assert stats["articles"] == 2 and store.actors.entities() == before and stats["changed"] == 0
        _check(store)
        _save(store, "q3", "s3", [_actor("a0", "Osk", "PERSON", form="surname")])
        assert link_actors(store)["joined"] == 1
        _check(store)
        assert store.actors.links()[("q3", "a0")] == store.actors.links()[("q1", "a0")]


def test_a_run_from_the_first_article_notes_the_articles_whose_entity_moved(store_url):
    """After migration 10 every article arrives again for the actors linker, but the later
    linkers saw them before: an article whose stored link the new merge moves is noted for
    the event groups (here a link made stale by hand), the others are not."""
    with open_store(store_url) as store:
        _save(store, "m1", "s1", [_actor("a0", "Osk", "ORG")])
        _save(store, "m2", "s2", [_actor("a0", "Brisk", "ORG")])
        link_actors(store)
        links = store.actors.links()
        store.conn.execute("UPDATE entity_links SET entity=? WHERE article=?", (links[("m1", "a0")], "m2"))
        store.conn.execute("DELETE FROM schema_migrations WHERE version = 10")
    with open_store(store_url) as store:
        stats = link_actors(store)
        assert stats["changed"] == 1 and store.link_state.changed("events") == ["m2"]
        _check(store)


def test_a_slip_whose_cluster_spans_two_stories_joins_though_its_entity_holds_a_person(store_url):
    """A one-word place "Halvik" named in two stories is no surname slip any more; its entity
    also holds a plain one-word person "Halvik" (the merge's "Osk" rule). One more "Halvik" in
    a third story joins that entity without a re-merge. In one story only, with Tomas Halvik
    there, the place is his slip; a copy in a second story takes it away from him (re-merged)."""
    with open_store(store_url) as store:
        _save(store, "h1", "s1", [_actor("a0", "Halvik", "GPE")])
        _save(store, "h2", "s2", [_actor("a0", "Halvik", "GPE")])
        _save(store, "h3", "s3", [_actor("a0", "Halvik", "PERSON", form="surname")])
        _save(store, "t1", "s5", [_actor("a0", "Tomas Halvik", "PERSON"), _actor("a1", "Kessara", "GPE", start=20)])
        _save(store, "t2", "s5", [_actor("a0", "Tomas Halvik", "PERSON"), _actor("a1", "Brannock", "GPE", start=20)])
        _save(store, "t3", "s6", [_actor("a0", "Ilse Tessek", "PERSON"), _actor("a1", "Tessek", "ORG", start=20)])
        _save(store, "t5", "s6", [_actor("a0", "Ilse Tessek", "PERSON"), _actor("a1", "Ilse Tessek", "PERSON", start=20)])
        link_actors(store)
        _check(store)
        links = store.actors.links()
        assert links[("h3", "a0")] == links[("h1", "a0")] == links[("h2", "a0")]
        assert links[("t3", "a1")] == links[("t3", "a0")]  # the ORG Tessek: Ilse Tessek's slip
        _save(store, "h4", "s4", [_actor("a0", "Halvik", "GPE")])
        stats = link_actors(store)
        _check(store)
        assert store.actors.links()[("h4", "a0")] == links[("h1", "a0")]
        assert stats["joined"] == stats["records"] == 1
        _save(store, "t4", "s7", [_actor("a0", "Tessek", "ORG")])  # Ilse's slip spans two stories now
        stats = link_actors(store)
        _check(store)
        assert stats["joined"] == 0
        assert store.actors.links()[("t3", "a1")] != store.actors.links()[("t3", "a0")]
