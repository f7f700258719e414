"""The briefing linker (storyline/link/briefing.py): each story's summary and timeline are
stored when the story changes, equal what computing them gives, are recomputed only for the
stories that changed, and are read by the export only while they match the story."""
from __future__ import annotations

import json
import shutil

import pytest

from storyline import registry
from storyline.link import briefing, relink_all
from storyline.link.timeline import build_timeline
from storyline.outputs.stories_export import export_stories
from storyline.outputs.summary import story_summary
from storyline.store import open_store


@pytest.fixture()
def db(sample_db, tmp_path):
    path = tmp_path / "copy.db"
    shutil.copy(sample_db, path)
    return str(path)


def test_briefing_is_the_last_linker_and_owns_its_table():
    last = registry.linkers()[-1]
    assert last.name == "briefing" and last.link_state == "briefing" and last.tables == ("story_briefs",)


def test_stored_briefs_equal_what_computing_gives(sample_db):
    with open_store(str(sample_db)) as store:
        stories = store.stories.listing()
        briefs = store.briefs.get([s["id"] for s in stories])
        assert stories and set(briefs) == {s["id"] for s in stories}
        for s in stories:
            b = briefs[s["id"]]
            assert b["articles"] == s["articles"]
            assert b["summary"] == story_summary(store, s["articles"])
            assert b["timeline"] == build_timeline(store, s["articles"])
            assert 5 <= len(b["summary"]) <= 8


def test_only_changed_stories_are_recomputed(db, monkeypatch):
    calls = []
    real = briefing.brief
    monkeypatch.setattr(briefing, "brief", lambda store, sid, ids, fp: calls.append(sid) or real(store, sid, ids, fp))
    with open_store(db) as store:
        briefing.link_briefing(store)
        assert calls == []  # up to date: nothing arrived since the last run
        sid = store.stories.listing()[0]["id"]
        with store.transaction():
            store.briefs.save([dict(store.briefs.get([sid])[sid], fingerprint="stale")])
            store.link_state.set_last_seq("briefing", 0)
        briefing.link_briefing(store)
        assert calls == [sid]
        relink_all(store)  # forgets every brief: all are computed again
        assert sorted(calls[1:]) == sorted(s["id"] for s in store.stories.listing())


def test_export_reads_a_brief_only_while_it_matches_the_story(db):
    with open_store(db) as store:
        st = store.stories.listing()[0]
        fake = {"text": "Stored.", "article": st["articles"][0], "span": None, "articles": [], "records": []}
        brief = store.briefs.get([st["id"]])[st["id"]]
        with store.transaction():
            store.briefs.save([dict(brief, summary=[fake])])
        assert next(s for s in export_stories(store) if s["id"] == st["id"])["summary"] == [fake]
        with store.transaction():  # computed from other members (a recluster since): not used
            store.briefs.save([dict(brief, summary=[fake], articles=st["articles"][:-1])])
        got = next(s for s in export_stories(store) if s["id"] == st["id"])
        assert got["summary"] == story_summary(store, st["articles"])
        assert got["timeline"] == build_timeline(store, st["articles"])


def test_brief_repository_round_trip(store_url):
    with open_store(store_url) as store:
        assert store.briefs.members() == [] and store.briefs.fingerprints() == {}
        with store.transaction():
            store.briefs.save([{"story": "s1", "fingerprint": "f1", "articles": ["a1"], "summary": [], "timeline": []},
                               {"story": "s2", "fingerprint": "f2", "articles": ["a2"], "summary": [{"text": "x"}],
                                "timeline": []}])
            store.briefs.save([{"story": "s1", "fingerprint": "f3", "articles": ["a1", "a3"], "summary": [],
                                "timeline": []}])
        assert store.briefs.fingerprints() == {"s1": "f3", "s2": "f2"}
        got = store.briefs.get(["s2", "s1", "nope"])
        assert got["s1"]["articles"] == ["a1", "a3"] and got["s2"]["summary"] == [{"text": "x"}]
        with store.transaction():
            store.briefs.remove(["s1"])
        assert set(store.briefs.fingerprints()) == {"s2"}
        store.reset_links(tables=["story_briefs"], linkers=["briefing"])
        assert store.briefs.fingerprints() == {}


def test_brief_repository_reads_some_stories_and_drops_orphans(store_url):
    """What the incremental briefing linker reads: the members and fingerprints of some
    stories, and the briefs of stories left without articles are dropped (both stores)."""
    with open_store(store_url) as store:
        for aid, sid in (("a1", "s1"), ("a2", "s2"), ("a3", "s1"), ("a4", "s3")):
            store.save_article({"id": aid, "path": aid, "text": "t" * 50}, {})
            store.stories.set_story(aid, sid)
        with store.transaction():
            store.briefs.save([{"story": s, "fingerprint": "f" + s, "articles": [], "summary": [], "timeline": []}
                               for s in ("s1", "s2", "s3")])
        assert [(a, s) for a, _seq, s, _dup in store.briefs.members_of(["s1", "s3"])] == \
            [("a1", "s1"), ("a3", "s1"), ("a4", "s3")]
        assert store.briefs.fingerprints_of(["s2", "s3", "nope"]) == {"s2": "fs2", "s3": "fs3"}
        store.stories.set_story("a2", "s1")  # s2 merged into s1
        with store.transaction():
            store.briefs.drop_orphans()
        assert store.briefs.fingerprints() == {"s1": "fs1", "s3": "fs3"}


# --- issue 15: story dating and briefing read only the stories that changed --------------------

def _briefs_and_dates(store) -> dict:
    stories = [s["id"] for s in store.stories.listing()]
    return {"briefs": store.briefs.get(stories),
            "timexes": sorted(json.dumps(r, sort_keys=True) for r in store.records("timexes"))}


@pytest.fixture(scope="module")
def batched(tmp_path_factory, sample_dir, nlp):
    """The sample in three batches, the airport story's two undated reports first and its
    dated ones last, so that story dating and briefs must follow a story that grows."""
    from storyline.engine import analyze

    files = sorted(p for p in sample_dir.iterdir() if p.name != "README.md")
    undated = [p for p in files if p.name[:2] in ("17", "18")]
    dated = [p for p in files if p.name[:2] in ("15", "16", "19")]
    rest = [p for p in files if p not in undated and p not in dated]
    db = str(tmp_path_factory.mktemp("briefs_batches") / "batched.db")
    with open_store(db) as store:
        for part in (rest[:5] + undated, rest[5:], dated):
            analyze([str(p) for p in part], store, nlp=nlp)
        state = _briefs_and_dates(store)
    return db, state, nlp


def test_batches_equal_relink_for_briefs_and_story_dates(batched):
    db, state, _nlp = batched
    assert state["briefs"] and any('"anchor": "story"' in t for t in state["timexes"])
    with open_store(db) as store:
        relink_all(store)
        assert _briefs_and_dates(store) == state


def test_an_unrelated_article_redates_and_rebriefs_only_its_own_story(batched, tmp_path, monkeypatch):
    from storyline.engine import analyze
    from storyline.link.actors import link_actors
    from storyline.link.claims import link_claims
    from storyline.link.duplicates import link_duplicates
    from storyline.link.events import link_events
    from storyline.link.stories import link_stories
    from storyline.link.story_dating import link_story_dates

    db, state, nlp = batched
    work = tmp_path / "w.db"
    shutil.copy(db, work)
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "plimsk.txt").write_text(
        "PLIMSK GUILD REPORT\n\nQuorvath Zellin, head of the Plimsk Barge Guild, said on Monday that "
        "the guild had moved 40 barges of grain through the Tessel locks since Friday.\n", "utf-8")
    calls = []
    real = briefing.brief
    monkeypatch.setattr(briefing, "brief", lambda store, sid, ids, fp: calls.append(sid) or real(store, sid, ids, fp))
    with open_store(str(work)) as store:
        analyze([str(extra)], store, nlp=nlp, link=False)
        for linker in (link_duplicates, link_stories, link_actors):
            linker(store)
        new_story = store.stories.story_of(store.link_state.arrivals(store.link_state.last_seq("claims"))[0][0])
        assert new_story not in state["briefs"]

        def whole(*_a, **_k):
            raise AssertionError("read every story")

        monkeypatch.setattr(type(store.stories), "assignments", whole)
        monkeypatch.setattr(briefing, "_link_all", whole)
        link_story_dates(store)
        link_claims(store)
        link_events(store)
        briefing.link_briefing(store)
        assert calls == [new_story]
        briefs = store.briefs.get([*state["briefs"], new_story])
        assert {k: v for k, v in briefs.items() if k != new_story} == state["briefs"]
        briefing.link_briefing(store)  # nothing arrived since
        assert calls == [new_story]
