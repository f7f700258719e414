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
        # undated reports: relative dates stay unresolved, explicit ones keep month and day
        assert values("12_unattributed_port_strike_ships.txt", "next September") == [None]
        assert values("12_unattributed_port_strike_ships.txt", "Friday") == [None]
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
