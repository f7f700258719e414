"""Source lineage: independent sources collapse duplicates, wire copy and one outlet's
several reports; the sample corpus's stories get the counts a careful reader would give."""
from __future__ import annotations

from storyline.link.lineage import independent_sources, origins, wire_agency

ARTS = [
    {"id": "a", "source": "Meridian Wire", "text": "TARROW - The talks opened.", "duplicate_of": None},
    {"id": "b", "source": "Harbour Ledger", "text": "KESSARA - The talks opened.", "duplicate_of": "a"},
    {"id": "c", "source": "Valley Dispatch Blog", "text": "The talks opened.", "duplicate_of": "a"},
    {"id": "d", "source": "Northgate Times", "text": "LONDON (Reuters) - Markets fell.", "duplicate_of": None},
    {"id": "e", "source": "Coastline Radio News", "text": "PARIS (Reuters) \u2014 Markets fell again.", "duplicate_of": None},
    {"id": "f", "source": "Meridian Wire", "text": "A second Meridian report.", "duplicate_of": None},
    {"id": "g", "source": None, "text": "An unsigned report.", "duplicate_of": None},
    {"id": "h", "source": None, "text": "Another unsigned report.", "duplicate_of": None},
    {"id": "loop1", "source": "X News", "text": "t", "duplicate_of": "loop2"},
    {"id": "loop2", "source": "Y News", "text": "t", "duplicate_of": "loop1"},
]


def test_wire_agency_from_dateline():
    assert wire_agency("WASHINGTON (Reuters) - The Senate voted.") == "Reuters"
    assert wire_agency("KABUL, Afghanistan (AP) \u2014 The Taliban said.") == "AP"
    assert wire_agency("The President (who spoke) - said") is None
    assert wire_agency("") is None


def test_duplicates_and_syndicated_copies_collapse():
    assert independent_sources(ARTS, ["a", "b", "c"]) == 1
    assert independent_sources(ARTS, ["a", "b", "c", "f"]) == 1  # one outlet counts once


def test_shared_wire_copy_collapses_onto_the_wire():
    assert independent_sources(ARTS, ["d", "e"]) == 1
    assert origins(ARTS, ["d"]) == {"d": "outlet:reuters"}


def test_unknown_outlets_count_separately_and_bad_links_do_not_hang():
    assert independent_sources(ARTS, ["g", "h"]) == 2
    assert independent_sources(ARTS, ["loop1", "loop2"]) == 2
    assert independent_sources(ARTS, ["missing"]) == 0
    assert independent_sources({a["id"]: a for a in ARTS}, ["a", "d", "g"]) == 3


def test_sample_stories_independent_sources(sample_db, sample_gold):
    from storyline.store import open_store

    with open_store(str(sample_db)) as store:
        arts = list(store.articles())
        key = {a["id"]: a["path"].split("sample/")[-1] for a in arts}
        by_story: dict = {}
        for a in arts:
            by_story.setdefault(sample_gold[key[a["id"]]]["story"], []).append(a["id"])
        got = {label: independent_sources(store, ids) for label, ids in by_story.items()}
    # dam: Meridian, Northgate (+ its blog repost), Coastline, Harbour Ledger; ceasefire:
    # Meridian (+ two copies of its wire story), Northgate, Coastline; port: Harbour Ledger,
    # the unattributed report, Coastline, Meridian; airport: Meridian (+ the blog's repost),
    # Northgate, Harbour Ledger's translated rewrite, Coastline
    assert got == {"dam_flood": 4, "ceasefire": 3, "port_strike": 4, "airport_troops": 4}
