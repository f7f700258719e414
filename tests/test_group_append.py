"""Claim groups of a story updated from what arrived (`link/claims.py: _append_plan`,
`claims/groups.py: replay_story`): after every batch the store holds exactly what
regrouping every touched story whole gives (same groups, ids, statuses, and the order
readers see them in), whether the batch comes after the stored claims, among them, merges
two stories, moves a lineage or re-dates a claim through its story; and an increment to a
long story reads only the groups it changes."""
from __future__ import annotations

import json
import random

import pytest

import storyline.link.claims as claims_linker
from storyline.claims.groups import group_claims
from storyline.link.claims import ARTICLE_KEYS, link_claims
from storyline.store import open_store

SUBJECTS = ["the toll", "death toll", "troops", "the troops", "workers", "wages", "the deadline", "barges",
            "the dam", "evacuees", None]
UNITS = [None, "people", "percent", "barge"]
LEMMAS = [None, None, "demand", "offer", "kill", "say", "reject"]
QUALIFIERS = ["=", "=", "~", ">", "<", "up", "down"]
DATES = [None, None, "2020", "2020-03-05", "2020-03-06", "XXXX-03"]


def _claim(rng: random.Random, start: int) -> dict:
    kind = "dated" if rng.random() < 0.15 else "numeric"
    subj = rng.choice(SUBJECTS)
    text = f"{subj or 'it'} {rng.randint(1, 99)}"
    claim = {"kind": kind, "text": text, "span": {"start": start, "end": start + 8},
             "subject": {"text": subj} if subj else None,
             "predicate": {"lemma": rng.choice(LEMMAS), "text": "said"},
             "qualifier": rng.choice(QUALIFIERS), "sentence": {"text": text, "start": start}}
    if kind == "dated":
        claim.update(value=rng.choice(["2020-04-01", "2020-05-01", None]),
                     event={"text": rng.choice(["withdraw", "vote", "talks"])})
    else:
        unit = rng.choice(UNITS)
        claim.update(value=rng.choice([rng.randint(10, 14), [10, 12]]), unit=unit, unit_normalised=unit,
                     date=rng.choice(DATES))
        if claim["date"] == "XXXX-03":
            claim["date_span"] = {"start": start + 1, "end": start + 4}
    if rng.random() < 0.2:
        claim["attributed_to"] = {"text": "according to Reuters"}
    return claim


def _expected(store) -> list[dict]:
    claims = [claims_linker._story_dated(c, store, {}) for c in store.records("claims")]
    articles = [{k: a.get(k) for k in ARTICLE_KEYS} for a in store.articles()]
    return group_claims(claims, articles)


def _key(groups: list[dict]) -> list[str]:
    return sorted(json.dumps(g, sort_keys=True) for g in groups)


class _Corpus:
    """The same articles saved into two stores: `store` links as built (appending), `ref`
    regroups every touched story whole (the append path switched off)."""

    def __init__(self, rng, store, ref):
        self.rng, self.stores, self.n, self.day = rng, (store, ref), 0, 10
        self.by_story: dict[str, list[str]] = {}

    def article(self, story: str, day: int) -> str:
        self.n += 1
        aid = f"a{self.n:03d}-{self.rng.randrange(10**6):06d}"  # ids in no order of arrival
        claims = [_claim(self.rng, 100 * k) for k in range(self.rng.randint(0, 4))]
        timexes = [{"span": c["date_span"], "value": self.rng.choice(["2020-03", "2021-03"]), "anchor": "story",
                    "text": "March"} for c in claims if c.get("date_span")]
        source = self.rng.choice(["meridian", "northgate", "coastline"])
        for s in self.stores:
            s.save_article({"id": aid, "path": aid, "text": "t" * 600, "source": source, "cites": ["Reuters"],
                            "published": f"2020-03-{day:02d}", "published_precision": "day"},
                           {"claims": claims, "timexes": timexes})
            s.stories.set_story(aid, story)
        self.by_story.setdefault(story, []).append(aid)
        return aid

    def batch(self, kind: str) -> None:
        rng = self.rng
        if kind == "in order":
            self.day += 1
            for _ in range(rng.randint(1, 4)):
                self.article(rng.choice(["s1", "s2", "s3"]), self.day + rng.randint(0, 1))
        elif kind == "out of order":
            for _ in range(rng.randint(1, 3)):
                self.article(rng.choice(["s1", "s2", "s3"]), rng.randint(1, self.day))
        elif kind == "merge":  # a story merge, as the stories linker does it
            src, dst = rng.sample(["s1", "s2", "s3"], 2)
            moved = self.by_story.pop(src, [])
            for s in self.stores:
                for a in moved:
                    s.stories.set_story(a, dst)
                s.link_state.mark_changed("claims", moved)
            self.by_story.setdefault(dst, []).extend(moved)
            self.article(dst, self.day)
        elif kind == "lineage":  # an older article becomes a copy of a new one
            story = rng.choice(sorted(self.by_story))
            old = rng.choice(self.by_story[story])
            new = self.article(rng.choice(["s1", "s2", "s3"]), self.day)
            for s in self.stores:
                s.duplicates.set_duplicate_of(old, new)
        elif kind == "redate":  # story dating gives a yearless date another year
            for s in self.stores:
                for a in [a for ids in self.by_story.values() for a in ids]:
                    recs = list(s.records("timexes", a))
                    if recs:
                        s.update_records("timexes", [{**r, "value": "2022-03"} for r in recs])
                        break
            self.day += 1
            self.article(rng.choice(["s1", "s2", "s3"]), self.day)


def _link_whole(store) -> dict:
    keep = claims_linker._append_plan
    claims_linker._append_plan = lambda *a, **k: None  # every touched story regrouped whole
    try:
        return link_claims(store)
    finally:
        claims_linker._append_plan = keep


@pytest.mark.parametrize("seed", range(12))
def test_appending_equals_regrouping_whole(tmp_path, seed):
    rng = random.Random(seed)
    appended = 0
    with open_store(str(tmp_path / "a.db")) as store, open_store(str(tmp_path / "b.db")) as ref:
        corpus = _Corpus(rng, store, ref)
        for i in range(14):
            kind = "in order" if i < 2 else rng.choice(["in order"] * 5 + ["out of order"] * 3
                                                       + ["merge", "lineage", "redate"])
            corpus.batch(kind)
            stats = link_claims(store)
            _link_whole(ref)
            appended += stats["appended"]
            got = store.groups.list("claim")
            assert got == ref.groups.list("claim"), f"batch {i} ({kind})"  # order as readers see it, too
            stories = sorted(corpus.by_story)
            assert store.browse.groups("claim", stories) == ref.browse.groups("claim", stories)
            assert _key(got) == _key(_expected(store)), f"batch {i} ({kind})"
    assert appended >= 5  # the path under test is taken


def test_appending_on_postgresql_equals_regrouping_whole(store_url, tmp_path):
    """The same on the store under test (PostgreSQL where it runs), against a SQLite
    reference that regroups whole."""
    rng = random.Random(99)
    appended = 0
    with open_store(store_url) as store, open_store(str(tmp_path / "ref.db")) as ref:
        corpus = _Corpus(rng, store, ref)
        for i, kind in enumerate(["in order", "in order", "out of order", "in order", "merge", "in order",
                                  "lineage", "redate", "out of order", "in order"]):
            corpus.batch(kind)
            appended += link_claims(store)["appended"]
            _link_whole(ref)
            assert store.groups.list("claim") == ref.groups.list("claim"), f"batch {i} ({kind})"
    assert appended >= 3


def _toll(start: int, value: int, subject: str) -> dict:
    return {"kind": "numeric", "text": f"{subject} {value}", "value": value, "qualifier": "=",
            "unit": "people", "unit_normalised": "people", "span": {"start": start, "end": start + 6},
            "subject": {"text": subject}, "predicate": {"lemma": "say"},
            "sentence": {"text": f"{subject} {value}", "start": start}}


def test_an_increment_to_a_long_story_reads_only_the_groups_it_changes(store_url):
    """A story of 60 articles with 4 claims each, 40 different figures; one more article,
    published after them, restates one figure: its group is recomputed from its members
    (its 6 claims, read by id), the other groups and claims of the story are not read."""
    subjects = [f"quay{k}" for k in range(40)]  # one figure each, no shared word
    with open_store(store_url) as store:
        for i in range(60):
            aid = f"long-{i:02d}"
            claims = [_toll(100 * k, 10 + i, subjects[(4 * i + k) % 40]) for k in range(4)]
            store.save_article({"id": aid, "path": aid, "text": "t" * 600, "source": f"outlet{i % 5}",
                                "published": f"2020-04-{1 + i // 3:02d}"}, {"claims": claims})
            store.stories.set_story(aid, "s-long")
        first = link_claims(store)
        assert first["stories"] is None and first["claims"] == 240
        before = {g["id"]: g for g in store.groups.list("claim")}
        assert len(before) == 40
        store.save_article({"id": "long-new", "path": "n", "text": "t" * 600, "source": "outlet9",
                            "published": "2020-05-01"}, {"claims": [_toll(0, 99, subjects[7])]})
        store.stories.set_story("long-new", "s-long")
        stats = link_claims(store)
        assert stats["appended"] == 1 and stats["stories"] == 0
        assert stats["groups"] == 1  # the one group the new claim joins
        assert stats["claims"] == 1 + 6 and stats["members"] == 6  # the new claim and that group's 6 members
        assert stats["replayed"] == 0
        after = store.groups.list("claim")
        assert after == _expected(store)  # as a whole regroup gives, in the same order
        changed = [g for g in after if g["id"] not in before]
        assert len(changed) == 1 and "long-new" in changed[0]["articles"]
        assert len([g for g in after if g["id"] in before]) == 39
