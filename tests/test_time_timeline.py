"""Timexes in the store and export, and the story timeline, on the bundled sample corpus."""
from __future__ import annotations

from pathlib import Path

from storyline.link.timeline import build_timeline
from storyline.timex.calendar import value_bounds
from storyline.outputs.export import build_export
from storyline.outputs.validate import validate_export
from storyline.store import open_store


def _by_file(store):
    return {Path(a["path"].split("#")[0]).name + ("#" + a["path"].split("#")[1] if "#" in a["path"] else ""): a
            for a in store.articles()}


def test_sample_relative_dates_resolve_against_each_report(sample_db):
    with open_store(str(sample_db)) as store:
        arts = _by_file(store)

        def values(name, text):
            return [t["value"] for t in store.records("timexes", arts[name]["id"]) if t["text"] == text]

        assert values("01_meridian_dam_breach.txt", "last October") == ["2025-10"]
        assert values("01_meridian_dam_breach.txt", "Monday evening") == ["2026-03-09TEV"]
        assert values("06_meridian_ceasefire_talks_open.txt", "Tuesday") == ["2026-03-10"]
        assert "2026-03-20T24:00" in values("07_meridian_ceasefire_deadline.txt", "midnight on Friday")
        assert values("10_northgate_ceasefire_rebel_terms.txt", "earlier in March") == ["2026-03"]
        assert values("13_coastline_port_strike_mediator.html", "Monday") == ["2026-03-16"]
        assert values("14_feed_export.jsonl#1", "next September") == ["2026-09"]
        assert values("14_feed_export.jsonl#1", "the end of next month") == ["2026-04"]
        # undated reports: a relative date that its story's window cannot pin stays
        # unresolved ("on Friday" in a window of a month); one that every day of the window
        # gives the same value takes it, anchored on the story, never as the report's date
        assert values("12_unattributed_port_strike_ships.txt", "Friday") == [None]
        assert values("12_unattributed_port_strike_ships.txt", "next September") == ["2026-09"]
        sept = next(t for t in store.records("timexes", arts["12_unattributed_port_strike_ships.txt"]["id"])
                    if t["text"] == "next September")
        assert sept["anchor"] == "story" and "window" in sept["basis"]
        assert sept["story_from"] == {"value": None, "anchor": "none", "precision": None, "mod": None}
        assert arts["12_unattributed_port_strike_ships.txt"]["published"] is None
        # ... until the story dates them: "Thursday (March 12)" inside the dam story, whose
        # dated reports are from March 2026, is 2026-03-12, anchored on the story
        assert values("05_coastline_dam_toll_dispute.txt", "Thursday") == ["2026-03-12"]
        thursday = next(t for t in store.records("timexes", arts["05_coastline_dam_toll_dispute.txt"]["id"])
                        if t["text"] == "Thursday")
        assert thursday["anchor"] == "story"
        est = arts["05_coastline_dam_toll_dispute.txt"]["published_estimate"]
        assert est and est["from"] == "XXXX-03-12" and "estimate" in est["basis"]
        assert arts["05_coastline_dam_toll_dispute.txt"]["published"] is None
        assert arts["01_meridian_dam_breach.txt"]["published_estimate"] is None


def test_timexes_export_section_validates(sample_db):
    with open_store(str(sample_db)) as store:
        data = build_export(store)
    assert data["timexes"], "timexes section is empty"
    assert validate_export(data) == []
    t = data["timexes"][0]
    assert {"id", "article", "text", "span", "type", "value", "precision", "anchor"} <= set(t)


def test_timeline_orders_merges_and_keeps_precision(sample_db):
    with open_store(str(sample_db)) as store:
        arts = _by_file(store)
        ceasefire = [arts[n]["id"] for n in ("06_meridian_ceasefire_talks_open.txt", "07_meridian_ceasefire_deadline.txt",
                                             "08_harbourledger_ceasefire_deadline.html",
                                             "09_valleydispatch_repost_ceasefire.txt")]
        tl = build_timeline(store, ceasefire)
        stored = {r["id"] for kind in ("timexes", "quotes", "claims", "events") for r in store.records(kind)}
    assert tl
    dated = [e for e in tl if e["date"]]
    starts = [value_bounds(e["date"])[0] for e in dated]
    assert starts == sorted(starts)
    assert all(e["date"] is None for e in tl[len(dated):])
    # the wire story and its two syndicated copies: one entry with all three sources
    deadline = [e for e in tl if e["date"] == "2026-03-14" and "gave the Sarn Liberation Front" in e["text"]]
    assert len(deadline) == 1 and len(deadline[0]["articles"]) == 3
    # "last October" stays a month
    assert any(e["date"] == "2025-10" and e["precision"] == "month" for e in tl)
    for e in tl:
        assert set(e["records"]) <= stored and e["basis"] == "text"


def test_timeline_publication_fallback_and_undated(tmp_path, nlp):
    from storyline.engine import analyze

    (tmp_path / "a.txt").write_text("date 2026-02-01\nQuiet harbour\n\nNothing much happened at the harbour.\n", "utf-8")
    (tmp_path / "b.txt").write_text("Quiet valley\n\nNothing much happened in the valley.\n", "utf-8")
    with open_store(str(tmp_path / "t.db")) as store:
        analyze([str(tmp_path)], store, nlp=nlp)
        tl = build_timeline(store, [a["id"] for a in store.articles()])
    assert [(e["date"], e["basis"]) for e in tl] == [("2026-02-01", "publication"), (None, "undated")]


def _story_of(store, name):
    arts = _by_file(store)
    sid = store.stories.story_of(arts[name]["id"])
    return [s for s in store.stories.listing() if s["id"] == sid][0]


def test_deadline_ahead_has_its_own_marked_entry_and_reposts_say_nothing(sample_db):
    """"by the end of June" in the dated report 15 (and "after the end of June" in 19) is a
    deadline still ahead when reported: its own entry, marked `ahead`, one for all reports.
    The repost's "Here is the wire story from last weekend" is about a copy, not a happening."""
    with open_store(str(sample_db)) as store:
        story = _story_of(store, "15_meridian_airport_plan.txt")
        tl = build_timeline(store, story["articles"])
        arts = _by_file(store)
    june = [e for e in tl if e["date"] == "2026-06"]
    assert len(june) == 1 and june[0]["ahead"] is True and june[0]["precision"] == "month"
    assert {arts["15_meridian_airport_plan.txt"]["id"], arts["19_coastline_airport_rejection_final.txt"]["id"]} <= set(june[0]["articles"])
    # the sentence's own happening keeps its date: "said on Friday" is still 2026-05-08, not ahead
    friday = [e for e in tl if e["date"] == "2026-05-08"]
    assert friday and not friday[0].get("ahead")
    assert not any("wire story from last weekend" in e["text"] for e in tl)
    assert sum(1 for e in tl if e.get("ahead")) == 1


def test_story_dates_survive_relink(sample_db, tmp_path):
    """analyse, relink, export: the story-anchored timexes and the timeline rows are the same."""
    import shutil

    from storyline.link import relink_all

    db = tmp_path / "copy.db"
    shutil.copy(sample_db, db)

    def snapshot(store):
        anchored = sorted((r["article"], r["text"], r["value"], r.get("basis")) for r in store.records("timexes")
                          if r.get("anchor") == "story")
        data = build_export(store)
        rows = sorted((tuple(sorted(s["articles"])), e["date"] or "", e["text"], e.get("basis"), bool(e.get("ahead")))
                      for s in data["stories"] for e in s["timeline"])
        return anchored, rows, [t for t in data["timexes"] if t["anchor"] == "story"]

    with open_store(str(db)) as store:
        before = snapshot(store)
        relink_all(store)
        after = snapshot(store)
    assert before[0], "the sample corpus has story-anchored dates"
    assert after == before
    assert all("from the story" in t.get("basis", "") for t in after[2])


def test_story_dates_follow_the_story(sample_db, tmp_path):
    """A report that leaves its story goes back to its own reading (year unknown); back in
    the story it is dated again: the story's reading never replaces the report's own."""
    import shutil

    from storyline.link.story_dating import link_story_dates

    db = tmp_path / "copy.db"
    shutil.copy(sample_db, db)
    with open_store(str(db)) as store:
        arts = _by_file(store)
        aid = arts["17_northgate_airport_talks.txt"]["id"]
        home = store.stories.story_of(aid)

        def tuesday():
            return next(t for t in store.records("timexes", aid) if t["text"] == "Tuesday")

        assert (tuesday()["value"], tuesday()["anchor"]) == ("2026-05-19", "story")
        with store.transaction():
            store.stories.set_story(aid, "s-alone")
            # noted as the stories linker notes the articles a merge moves: story dating
            # re-dates the stories the claims linker will regroup
            store.link_state.mark_changed("claims", [aid])
        link_story_dates(store)
        t = tuesday()
        assert t["value"].startswith("XXXX-05-19") and t["anchor"] != "story" and "basis" not in t
        with store.transaction():
            store.stories.set_story(aid, home)
            # noted as the stories linker notes the articles a merge moves: story dating
            # re-dates the stories the claims linker will regroup
            store.link_state.mark_changed("claims", [aid])
        link_story_dates(store)
        assert (tuesday()["value"], tuesday()["anchor"]) == ("2026-05-19", "story")


def test_window_resolution_only_when_every_day_agrees():
    """Relative expressions of an undated report against a window of publication days: a
    value only when the first, middle and last day give the same one."""
    from datetime import date

    from storyline.timex.extract import extract_timexes
    from storyline.timex.window import resolve_in_window

    text = "The union said on Friday that it would strike again next September, as it did last year."
    recs = extract_timexes(text, None)
    for i, r in enumerate(recs):
        r["id"] = str(i)
    assert all(r["value"] is None for r in recs if r["text"] in ("Friday", "next September", "last year"))
    got = {recs[int(k)]["text"]: v["value"] for k, v in resolve_in_window(text, recs, date(2026, 3, 11), date(2026, 4, 11)).items()}
    assert got == {"next September": "2026-09", "last year": "2025"}  # "Friday": four in a month
    short = {recs[int(k)]["text"]: v["value"] for k, v in resolve_in_window(text, recs, date(2026, 3, 11), date(2026, 3, 12)).items()}
    assert short.get("Friday") == "2026-03-06"
    # a window across the new year pins neither year
    wrap = {recs[int(k)]["text"] for k in resolve_in_window(text, recs, date(2025, 12, 20), date(2026, 1, 20))}
    assert "last year" not in wrap


def test_report_dates_of_undated_reports_carry_year_and_confidence():
    from datetime import date

    from storyline.outputs.report import article_date, shown_date

    est = {"from": "XXXX-05-20", "to": "XXXX-06-20", "confidence": "low", "basis": "estimate"}
    undated = {"published": None, "published_estimate": est}
    assert article_date(undated) == "undated"  # no year: no window shown
    span = (date(2026, 3, 10), date(2026, 8, 4), date(2026, 5, 9), date(2026, 6, 5))
    shown = article_date(undated, span)
    assert "2026-05-20 to 2026-06-20" in shown and "low confidence" in shown and shown.startswith("undated")
    assert "XXXX" not in shown
    assert article_date({"published": "2026-05-09"}, span) == "2026-05-09"
    assert shown_date("XXXX-05-29", span) == "2026-05-29"
    assert shown_date("XXXX-05-29") is None and shown_date("2026-05-08") == "2026-05-08"
