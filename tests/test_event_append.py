"""Event groups of a story updated from what arrived (`link/events.py: _plan`): after every
batch the store holds exactly what regrouping every touched story whole gives (same
groups, ids, counts, and the order readers see them in), whether the batch adds to a
story, starts one, merges two stories, moves a lineage or moves an actor; with dates that make the grouping refuse merges; and an increment to a long story
reads only the components its events reach."""
from __future__ import annotations

import json
import random

import pytest

from storyline.events.groups import UnionFind, connect, group_events, signature, signature_key
from storyline.link.claims import dirty_stories, save_regrouped, with_originals
from storyline.link.events import ARTICLE_KEYS, link_events, resolved_events
from storyline.store import open_store

TYPES = ["ASSAULT", "ASSAULT", "PROTEST"]
# (party text, entity it links to or None): "Turkey" and "Ankara" are one entity, the
# unlinked ones match by name words
PARTIES = [("Turkey", "e-tr"), ("Ankara", "e-tr"), ("Turkish army", "e-army"), ("the rebels", None),
           ("rebels", None), ("rebel fighters", None), ("police", "e-pol"), ("riot police", None), (None, None)]
NAMES = {"e-tr": "Turkey", "e-army": "Turkish Armed Forces", "e-pol": "Police", "e-x": "Rebels"}
DATES = [None, None, "2020", "2020-03", "2020-03-05", "2020-03-06", "2020-04"]


def _event(rng: random.Random, start: int, actors: list) -> dict:
    ev = {"type": rng.choice(TYPES), "negated": rng.random() < 0.08, "hypothetical": rng.random() < 0.05,
          "date": rng.choice(DATES), "confidence": rng.choice([0.9, 0.8, 0.8, 0.7, 0.5]),
          "span": {"start": start, "end": start + 90}, "text": "s", "trigger": {"text": "t"}}
    for key in ("actor", "recipient"):
        text, entity = rng.choice(PARTIES if key == "actor" else PARTIES + [(None, None)] * 3)
        if text is None:
            ev[key] = None
            continue
        span = {"start": start + (0 if key == "actor" else 40), "end": start + (0 if key == "actor" else 40) + len(text)}
        ev[key] = {"text": text, "span": span}
        actors.append((text, span, entity))
    return ev


def _expected(store) -> list[dict]:
    """Every story regrouped whole."""
    return _regroup(resolved_events(store), {str(a["id"]): {k: a.get(k) for k in ARTICLE_KEYS}
                                             for a in store.articles()})


def _key(groups: list[dict]) -> list[str]:
    return sorted(json.dumps(g, sort_keys=True) for g in groups)


class _Corpus:
    """The same articles saved into two stores: `store` links as built (updating stories
    from what arrived), `ref` as before (`_link_whole`)."""

    def __init__(self, rng, store, ref):
        self.rng, self.stores, self.n = rng, (store, ref), 0
        self.by_story: dict[str, list[str]] = {}
        self.links: dict[tuple[str, str], str] = {}
        self.names = dict(NAMES)  # entity -> its name now
        self.stories = 3

    def article(self, story: str) -> str:
        rng = self.rng
        self.n += 1
        aid = f"a{self.n:03d}-{rng.randrange(10**6):06d}"  # ids in no order of arrival
        actors: list = []
        starts = [200 * k for k in range(rng.randint(0, 4))]
        events = [_event(rng, s, actors) for s in starts for _ in range(rng.choice([1, 1, 2]))]
        records, links = [], {}
        for k, (text, span, entity) in enumerate(actors):
            records.append({"local": f"L{k}", "type": "GPE", "text": text, "mentions": [{"span": span, "text": text}]})
            if entity and rng.random() < 0.9:
                links[(aid, f"L{k}")] = entity
        source = rng.choice(["meridian", "northgate", "coastline", None])
        for s in self.stores:
            s.save_article({"id": aid, "path": aid, "text": "t" * 900, "source": source,
                            "published": "2020-03-10", "published_precision": "day"},
                           {"events": events, "actors": records})
            s.stories.set_story(aid, story)
            s.actors.amend([{"id": e, "name": self.names[e], "type": "GPE"} for e in sorted(set(links.values()))],
                           links, {})
        self.links.update(links)
        self.by_story.setdefault(story, []).append(aid)
        return aid

    def some_story(self) -> str:
        return self.rng.choice(sorted(self.by_story) or ["s1"])

    def batch(self, kind: str) -> None:
        rng = self.rng
        if kind == "add":
            for _ in range(rng.randint(1, 4)):
                self.article(rng.choice([f"s{k}" for k in range(1, self.stories + 1)]))
        elif kind == "new story":
            self.stories += 1
            self.article(f"s{self.stories}")
        elif kind == "merge":  # a story merge, as the stories linker does it
            src = self.some_story()
            dst = rng.choice([s for s in [f"s{k}" for k in range(1, self.stories + 1)] if s != src])
            moved = self.by_story.pop(src)
            for s in self.stores:
                for a in moved:
                    s.stories.set_story(a, dst)
                s.link_state.mark_changed("events", moved)
            self.by_story.setdefault(dst, []).extend(moved)
            self.article(dst)
        elif kind == "lineage":  # an older article becomes a copy of a new one
            old = rng.choice(self.by_story[self.some_story()])
            new = self.article(self.some_story())
            for s in self.stores:
                s.duplicates.set_duplicate_of(old, new)
        elif kind == "actor":  # the actors linker moves a party to another entity, or renames one
            if rng.random() < 0.5 and self.links:
                pair = rng.choice(sorted(self.links))
                self.links[pair] = rng.choice(sorted(NAMES))
                for s in self.stores:
                    s.actors.amend([{"id": self.links[pair], "name": self.names[self.links[pair]], "type": "GPE"}],
                                   {pair: self.links[pair]}, {})
                    s.link_state.mark_changed("events", [pair[0]])
            else:
                entity = rng.choice(sorted(NAMES))
                name = rng.choice(["Rebel Army", "Turkish Police", "Ankara Government", "Riot Police"])
                touched = sorted({a for (a, _loc), e in self.links.items() if e == entity})
                self.names[entity] = name
                for s in self.stores:
                    s.actors.amend([{"id": entity, "name": name, "type": "GPE"}], {}, {})
                    s.link_state.mark_changed("events", touched)
            if rng.random() < 0.5:
                self.article(self.some_story())


def _regroup(events: list[dict], arts: dict[str, dict]) -> list[dict]:
    by_story: dict[str, list[dict]] = {}
    for ev in events:
        by_story.setdefault(arts[ev["article"]]["story"], []).append(ev)
    out = []
    for story, evs in by_story.items():
        for g in group_events(evs, [arts[a] for a in {e["article"] for e in evs}]):
            g["story"] = story
            out.append(g)
    return out


def _link_whole(store) -> None:
    """The reference: the linker before stop 22, which regroups every touched story whole
    (from its articles' records, actors resolved again) and writes its groups last."""
    last = store.link_state.last_seq("events")
    arrived = store.link_state.arrivals(last)
    moved = store.link_state.changed("events")
    if not arrived and not moved:
        return
    stories = dirty_stories(store, [a for a, _ in arrived], moved) if last else None
    if stories is None:
        arts, events = list(store.articles()), resolved_events(store)
    else:
        members = [a for ids in store.stories.members(stories).values() for a in ids]
        arts, events = with_originals(store, members), resolved_events(store, articles=members)
    groups = _regroup(events, {str(a["id"]): {k: a.get(k) for k in ARTICLE_KEYS} for a in arts})
    save_regrouped(store, "event", "events", stories, groups, arrived, moved, downstream="briefing")


KINDS = ["add"] * 6 + ["new story", "merge", "lineage", "actor", "actor"]


@pytest.mark.parametrize("seed", range(12))
def test_updating_equals_regrouping_whole(tmp_path, seed):
    rng = random.Random(seed)
    appended = members = 0
    with open_store(str(tmp_path / "a.db")) as store, open_store(str(tmp_path / "b.db")) as ref:
        corpus = _Corpus(rng, store, ref)
        for i in range(16):
            kind = "add" if i < 2 else rng.choice(KINDS)
            corpus.batch(kind)
            stats = link_events(store)
            _link_whole(ref)
            appended += stats["appended"]
            members += stats["members"]
            got = store.groups.list("event")
            assert got == ref.groups.list("event"), f"batch {i} ({kind})"  # order as readers see it, too
            stories = sorted(corpus.by_story)
            assert store.browse.groups("event", stories) == ref.browse.groups("event", stories)
            assert _key(got) == _key(_expected(store)), f"batch {i} ({kind})"
    assert appended >= 5 and members > 0  # the path under test is taken


def test_updating_on_postgresql_equals_regrouping_whole(store_url, tmp_path):
    """The same on the store under test (PostgreSQL where it runs), against a SQLite
    reference that regroups whole."""
    rng = random.Random(99)
    appended = 0
    with open_store(store_url) as store, open_store(str(tmp_path / "ref.db")) as ref:
        corpus = _Corpus(rng, store, ref)
        for i, kind in enumerate(["add", "add", "add", "new story", "add", "merge", "add", "lineage", "actor",
                                  "add", "actor", "add"]):
            corpus.batch(kind)
            appended += link_events(store)["appended"]
            _link_whole(ref)
            assert store.groups.list("event") == ref.groups.list("event"), f"batch {i} ({kind})"
        assert _key(store.groups.list("event")) == _key(_expected(store))
    assert appended >= 5


def _assault(start: int, actor: str, date) -> dict:
    return {"type": "ASSAULT", "confidence": 0.9, "date": date, "span": {"start": start, "end": start + 50},
            "actor": {"text": actor, "span": {"start": start, "end": start + len(actor)}}, "recipient": None}


def test_an_increment_to_a_long_story_reads_only_the_components_it_reaches(store_url):
    """A story of 60 articles with 4 events each by 40 different actors, each actor's on
    two conflicting dates (two groups); one more article reports one actor undated: it
    joins that actor's two groups in one component (one merge refused), whose 6 events
    alone are grouped again, read as stored; only the new article's events are read from
    the records."""
    actors = [f"brigade{k}" for k in range(40)]
    with open_store(store_url) as store:
        for i in range(60):
            aid = f"long-{i:02d}"
            events = [_assault(100 * k, actors[(4 * i + k) % 40], "2020-05" if (i // 10) % 2 else "2020-06")
                      for k in range(4)]
            store.save_article({"id": aid, "path": aid, "text": "t" * 600, "source": f"outlet{i % 5}",
                                "published": "2020-04-01"}, {"events": events})
            store.stories.set_story(aid, "s-long")
        first = link_events(store)
        assert first["stories"] is None and first["events"] == 240
        before = {g["id"]: g for g in store.groups.list("event")}
        assert len(before) == 80  # each actor's dates conflict: two groups per component
        store.save_article({"id": "long-new", "path": "n", "text": "t" * 600, "source": "outlet9",
                            "published": "2020-05-01"}, {"events": [_assault(0, actors[7], None)]})
        store.stories.set_story("long-new", "s-long")
        stats = link_events(store)
        assert stats["appended"] == 1 and stats["stories"] == 0
        assert stats["events"] == 1 and stats["members"] == 6
        after = store.groups.list("event")
        assert _key(after) == _key(_expected(store))
        changed = [g for g in after if g["id"] not in before]
        assert len(changed) == 1 and "long-new" in changed[0]["articles"]
        assert len([g for g in after if g["id"] in before]) == 79


def test_a_storys_groups_are_each_components_groups():
    """What the update rests on: grouping a story gives the groups of each component of
    its same-happening graph grouped alone in order, refused merges included (200 random
    stories; some components hold two groups)."""
    split = 0
    for seed in range(200):
        rng = random.Random(seed)
        events = [{**_event(rng, 10 * i, []), "id": f"ev{i:03d}", "article": f"a{i % 7}"}
                  for i in range(rng.randint(1, 50))]
        keys = [signature_key(signature(e)) for e in events]
        uf = UnionFind()
        connect(uf, {k: signature(e) for k, e in zip(keys, events)})
        comps: dict = {}
        for e, k in zip(events, keys):
            comps.setdefault(uf.find(k), []).append(e)
        parts = []
        for evs in comps.values():
            groups = group_events(evs, [], exhaustive=rng.random() < 0.5)
            split += len(groups) > 1
            parts += groups
        assert _key(parts) == _key(group_events(events, [])), seed
    assert split >= 20  # components where the date gate refused a merge
