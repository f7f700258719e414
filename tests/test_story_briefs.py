"""The briefing linker (storyline/link/briefing.py): each story's summary and timeline are
stored when the story changes, equal what computing them gives, are recomputed only for the
stories that changed, and are read by the export only while they match the story."""
from __future__ import annotations

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
