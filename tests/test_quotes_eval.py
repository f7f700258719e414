"""Quality gate: quotes on a fixed subset of PolNeAR dev (the first 15 articles in name order,
first annotator's file each), and the BRAT reader/scorer on invented data.

Floors are a few points under what the component measures on that subset (measured values
in the comments; full-dev figures in docs/quotes.md). A floor is only raised, never lowered
silently: the subset's digest is pinned, so a changed corpus fails loudly instead of moving
the goalposts.
"""
from __future__ import annotations

import hashlib

import pytest

from conftest import shared_data
from storyline.eval.quotes import read_polnear, score_documents

SUBSET = 15
SUBSET_DIGEST = "c300a95728ffa3ce"
# (role, measure) -> floor on F1. Measured on the subset: source exact 0.750, source overlap
# 0.783, cue exact 0.729, content exact 0.600 (0.583 with the rules' content end alone),
# content tokens 0.830 (0.841 with the rules' end alone).
FLOORS = {
    ("source", "exact"): 0.72,
    ("source", "overlap"): 0.75,
    ("cue", "exact"): 0.70,
    ("content", "exact"): 0.57,
    ("content", "tokens"): 0.81,
}


def _digest(root, docs) -> str:
    h = hashlib.sha256()
    for d in docs:
        h.update(d.name.encode())
        h.update(d.annotator.encode())
        h.update(d.text.encode())
        h.update((root / "attributions" / f"{d.name}_{d.annotator}.ann").read_bytes())
    return h.hexdigest()[:16]


@pytest.fixture(scope="module")
def scores():
    from storyline.pipeline import build_nlp

    root = shared_data("polnear", "dev")
    docs = read_polnear(root, limit=SUBSET)
    assert _digest(root, docs) == SUBSET_DIGEST, "PolNeAR dev subset changed: re-measure before moving floors"
    nlp = build_nlp(components=["storyline_quotes"])
    preds = [d._.storyline_quotes for d in nlp.pipe(doc.text for doc in docs)]
    return score_documents(docs, preds)


@pytest.mark.parametrize("role, measure", sorted(FLOORS))
def test_polnear_dev_floor(scores, role, measure):
    f1 = scores[role][measure]["f1"]
    assert f1 >= FLOORS[(role, measure)], (role, measure, scores[role][measure])


ANN = (
    "T1\tSource 0 9\tThe mayor\n"
    "T2\tCue 10 14\tsaid\n"
    "T3\tContent 15 38\tthe bridge would reopen\n"
    "T4\tAttribution 10 14\tsaid\n"
    "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n"
    "T5\tDiscard 41 50\tRead more\n"
)
TEXT = "The mayor said the bridge would reopen soon. Read more"


def test_reader_and_scorer(tmp_path):
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    (tmp_path / "text" / "a.txt").write_text(TEXT, "utf-8")
    (tmp_path / "attributions" / "a_ef2d.ann").write_text(ANN, "utf-8")
    (tmp_path / "attributions" / "a_4b22.ann").write_text(ANN.replace("Source 0 9", "Source 4 9"), "utf-8")
    docs = read_polnear(tmp_path)
    assert len(docs) == 1 and docs[0].annotator == "4b22"  # first suffix in sort order
    assert len(docs[0].attributions) == 1  # the Discard span is no attribution
    pred = [{"span": {"start": 15, "end": 43}, "cue_span": {"start": 10, "end": 14},
             "speaker_span": {"start": 0, "end": 9}}]
    s = score_documents(docs, [pred])
    assert s["cue"]["exact"]["f1"] == 1.0
    assert s["source"]["exact"]["f1"] == 0.0 and s["source"]["overlap"]["f1"] == 1.0
    assert s["content"]["exact"]["f1"] == 0.0  # "… reopen soon" is not "… reopen"
    assert s["content"]["tokens"]["recall"] == 1.0 and s["content"]["tokens"]["precision"] == 0.8
