"""Quality gate: cross-document entity coreference on ECB+ (dev topics 1-2, gold
mentions in the evaluation sentences). Measured 2026-11 on this subset: system CoNLL F1
0.734, B³ F1 0.651, system-alone CoNLL 0.549, head-word baseline 0.655, lenient mention
detection F1 0.507; floors are a few points under. Skips when ../shared/data is absent."""
from __future__ import annotations

import pytest

from conftest import shared_data
from storyline.eval.entities import b_cubed, ceaf_e, coref_scores, eval_entities, muc

FLOORS = {"conll": 0.70, "b3": 0.61, "alone": 0.50, "mention_lenient": 0.47}


@pytest.fixture(scope="module")
def scores(nlp):
    return eval_entities(str(shared_data("ecbplus")), topics=["1", "2"], nlp=nlp)


def test_ecbplus_coreference_floors(scores):
    assert scores["documents"] == 60 and scores["gold_mentions"] == 498
    assert scores["system"]["conll_f1"] >= FLOORS["conll"]
    assert scores["system"]["b3"]["f1"] >= FLOORS["b3"]
    assert scores["system_alone"]["conll_f1"] >= FLOORS["alone"]
    # the actors' links must add to the head-word baseline, not just reproduce it
    assert scores["system"]["conll_f1"] > scores["baseline_head_word"]["conll_f1"]


def test_ecbplus_mention_detection_floor(scores):
    assert scores["mention_detection"]["lenient"]["f1"] >= FLOORS["mention_lenient"]


def test_metrics_on_a_hand_example():
    gold = [{1, 2, 3}, {4, 5}]
    assert coref_scores(gold, gold)["conll_f1"] == 1.0
    sys = [{1, 2}, {3, 4, 5}]
    p, r, _ = muc(gold, sys)
    assert (round(p, 3), round(r, 3)) == (0.667, 0.667)
    p, r, _ = b_cubed(gold, sys)
    assert round(p, 3) == round((1 + 1 + 1 / 3 + 2 / 3 + 2 / 3) / 5, 3)
    assert round(r, 3) == round((2 / 3 + 2 / 3 + 1 / 3 + 1 + 1) / 5, 3)
    p, r, f = ceaf_e(gold, [{1, 2, 3}, {4, 5}])
    assert f == 1.0
