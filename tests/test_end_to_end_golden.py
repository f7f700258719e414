"""End to end on the second sample story (examples/sample 15-19, gold in
examples/sample-story-gold.json and sample-gold.json): one developing story written the way
real crawls look (header fields run together, undated reports, a blog repost, a translated
rewrite, unmarked speech). Each field is scored and printed (`pytest -s` shows them); floors
hold what works today. Fields other work is still fixing (actor merging, speaker junk) have
low floors, marked below, so their progress shows in the printout without failing the run.
"""
from __future__ import annotations

import json

import pytest

from conftest import ROOT

GOLD = json.loads((ROOT / "examples" / "sample-story-gold.json").read_text("utf-8"))
META_FIELDS = ("title", "source", "author", "published", "dateline", "cites")

# Floors from the first run: metadata, one story and story dating 1.0; timeline recall 0.778
# and precision 0.778 (7 of 9 gold dates: "said on Wednesday it would press ahead" resolves
# forward, to 06-10, and the yearless "the end of June" of the undated reports stays
# unresolved); speakers recall 0.833, precision 0.417; actors merged 0.75.
# Speakers since (issue 10): recall 1.0 (16 of 16), precision 0.941 (16 of 17: the one
# left is the blog's "A few readers asked what is going on", speech, but no actor of the
# story). Government speakers are the country with a facet, "…, according to Reuters" is a
# cite of Kasim Darrel, "the spokesman of the movement" / "the ministry" are resolved, and
# "without agreeing", "offered to send", "sharing" give no quote.
FLOORS = {"metadata": 1.0, "one_story": 1.0, "story_dated": 1.0,
          "timeline_recall": 1.0, "timeline_precision": 1.0,
          "speakers_recall": 1.0, "speakers_precision": 0.94,
          # 7 of 8: Velgrad the city ("reporters in Velgrad", the dateline) stays a place of
          # its own beside Dornland, which carries "Velgrad" as its government's alias
          "actors_merged": 0.875}


@pytest.fixture(scope="module")
def export(sample_db):
    from storyline.outputs.export import build_export
    from storyline.store import open_store

    with open_store(str(sample_db)) as store:
        return build_export(store)


@pytest.fixture(scope="module")
def mine(export):
    by_name = {a["path"].replace("\\", "/").split("/")[-1]: a for a in export["articles"]}
    return {f: by_name[f] for f in GOLD["files"]}


@pytest.fixture(scope="module")
def scores(export, mine, sample_gold):
    ids = {a["id"]: f for f, a in mine.items()}
    out = {}
    # metadata: per-field accuracy over the five reports
    hits = {k: 0 for k in META_FIELDS}
    for f, a in mine.items():
        g = sample_gold[f]
        for k in META_FIELDS:
            norm = (lambda v: sorted(x.lower() for x in v or [])) if k == "cites" else (lambda v: (v or "").lower() or None)
            hits[k] += norm(a.get(k)) == norm(g.get(k))
    for k in META_FIELDS:
        out[f"metadata.{k}"] = hits[k] / len(mine)
    out["metadata"] = sum(hits.values()) / (len(mine) * len(META_FIELDS))
    # one story holding exactly these five reports
    stories = {a["story"] for a in mine.values()}
    story = next((s for s in export["stories"] if s["id"] in stories), None)
    out["one_story"] = float(len(stories) == 1 and story is not None and set(story["articles"]) == set(ids))
    # story timeline: gold dates found (recall) and the share of dated rows that are gold
    dates = {e["date"] for s in export["stories"] if s["id"] in stories for e in s["timeline"] if e["date"]}
    gold_dates = {e["date"] for e in GOLD["timeline"]}
    out["timeline_recall"] = len(gold_dates & dates) / len(gold_dates)
    out["timeline_precision"] = len(gold_dates & dates) / len(dates) if dates else 0.0
    # undated reports: yearless dates take the story's year, anchored on the story
    got = {(ids.get(t["article"]), t["value"]) for t in export["timexes"] if t["anchor"] == "story"}
    out["story_dated"] = sum((g["file"], g["value"]) in got for g in GOLD["story_dated"]) / len(GOLD["story_dated"])
    # speakers: gold (report, speaker) pairs found; junk = speakers outside the gold list
    said = {(ids[q["article"]], (q.get("speaker") or {}).get("name")) for q in export["quotes"] if q["article"] in ids}
    want = {(f, s) for f, names in GOLD["speakers"].items() for s in names}
    out["speakers_recall"] = len(want & said) / len(want)
    out["speakers_precision"] = len(want & said) / len(said) if said else 0.0
    # actors: each gold actor is one entity carrying all its aliases
    ents = export["entities"]
    merged = 0
    for g in GOLD["actors"]:
        holders = [e for e in ents if {a.lower() for a in g["aliases"]} & {n.lower() for n in [e["name"], *e["aliases"]]}]
        merged += len(holders) == 1 and {a.lower() for a in g["aliases"]} <= {n.lower() for n in [holders[0]["name"], *holders[0]["aliases"]]}
    out["actors_merged"] = merged / len(GOLD["actors"])
    print("\nsample story, end to end:", json.dumps({k: round(v, 3) for k, v in out.items()}, indent=1))
    return out


@pytest.mark.parametrize("field", sorted(FLOORS))
def test_field_floor(scores, field):
    assert scores[field] >= FLOORS[field], f"{field}: {scores[field]:.3f} < {FLOORS[field]}"


def test_undated_reports_stay_undated(mine):
    """Story dating never becomes a publication date; the estimate says how sure it is."""
    for f in ("17_northgate_airport_talks.txt", "18_harbourledger_translated_rejection.txt"):
        a = mine[f]
        assert a["published"] is None
        est = a["published_estimate"]
        assert est is None or (est.get("confidence") and "estimate" in est["basis"])


def test_author_line_is_no_quote(export, mine):
    """'Author: Mirela Kost' and her bio are the trailer: the author, never a quote."""
    a = mine["17_northgate_airport_talks.txt"]
    assert a["author"] == "Mirela Kost" and "correspondent" not in a.get("text", "")
    assert not [q for q in export["quotes"] if q["article"] == a["id"] and (q.get("speaker") or {}).get("text") == "Author"]
