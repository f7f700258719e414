"""Training of the sentence classifier (scikit-learn; needed only at training and eval time,
installed by the `train` extra). scripts/train_event_classifier.py and the `events` eval task
call the same `fit_model`, so the cross-validated figures are those of the shipped recipe.

Recipe (swept in 5-fold CV on cameo_class, figures in docs/events.md): TF-IDF word 1-3 grams
+ char_wb 2-6 grams (min_df 2), sublinear tf, LinearSVC(C=1, balanced classes); then the
features are pruned to the TOP_K with the largest weight in any class and the model is refitted
on that vocabulary alone, so the runtime (classifier.py, numpy) scores exactly what was trained.
"""
from __future__ import annotations

import csv
from contextlib import contextmanager
from pathlib import Path

import numpy as np

CONFIG = {"word": (1, 3), "char": (2, 6), "char_min_df": 2, "C": 1.0, "top_k": 4000}


def read_cameo_class(path) -> tuple[list[str], list[int]]:
    texts, labels = [], []
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(row) >= 2 and row[1].strip().isdigit():
                texts.append(row[0])
                labels.append(int(row[1]))
    return texts, labels


def folds(n: int, k: int = 5, labels=None) -> list[np.ndarray]:
    """Deterministic stratified folds: items of each label dealt round-robin in file order
    after a fixed-seed shuffle (numpy default_rng(12))."""
    rng = np.random.default_rng(12)
    order = rng.permutation(n)
    out = [[] for _ in range(k)]
    if labels is None:
        for j, i in enumerate(order):
            out[j % k].append(i)
    else:
        seen: dict = {}
        for i in order:
            c = seen.get(labels[i], 0)
            out[(c + hash_label(labels[i])) % k].append(i)
            seen[labels[i]] = c + 1
    return [np.array(sorted(f)) for f in out]


def hash_label(label) -> int:
    return sum(map(ord, str(label)))


def _vectorizers(cfg, vocab_word=None, vocab_char=None):
    from sklearn.feature_extraction.text import TfidfVectorizer

    w = TfidfVectorizer(ngram_range=cfg["word"], sublinear_tf=True, vocabulary=vocab_word)
    c = TfidfVectorizer(analyzer="char_wb", ngram_range=cfg["char"], sublinear_tf=True,
                        min_df=1 if vocab_char is not None else cfg["char_min_df"], vocabulary=vocab_char)
    return w, c


def _fit(texts, labels, cfg, vw=None, vc=None):
    from scipy.sparse import hstack
    from sklearn.svm import LinearSVC

    w, c = _vectorizers(cfg, vw, vc)
    X = hstack([w.fit_transform(texts), c.fit_transform(texts)]).tocsr()
    m = LinearSVC(C=cfg["C"], class_weight="balanced", random_state=0, max_iter=5000).fit(X, labels)
    return w, c, m


def fit_model(texts: list[str], labels: list[int], cfg: dict | None = None) -> dict:
    """Train and return the shipped model dict (JSON-ready)."""
    cfg = {**CONFIG, **(cfg or {})}
    w, c, m = _fit(texts, labels, cfg)
    nw = len(w.vocabulary_)
    names = np.concatenate([w.get_feature_names_out(), c.get_feature_names_out()])
    strength = np.abs(m.coef_).max(axis=0)
    keep = np.sort(np.argsort(-strength, kind="stable")[: cfg["top_k"]])
    vw = [str(names[i]) for i in keep if i < nw]
    vc = [str(names[i]) for i in keep if i >= nw]
    w, c, m = _fit(texts, labels, cfg, vw, vc)
    model = {
        "kind": "storyline cameo pentaclass", "config": {k: list(v) if isinstance(v, tuple) else v for k, v in cfg.items()},
        "classes": [int(x) for x in m.classes_],
        "vectorizers": [
            {"analyzer": "word", "ngram_range": list(cfg["word"]), "vocab": vw,
             "idf": [round(float(x), 4) for x in w.idf_]},
            {"analyzer": "char_wb", "ngram_range": list(cfg["char"]), "vocab": vc,
             "idf": [round(float(x), 4) for x in c.idf_]},
        ],
        "coef": [[round(float(x), 4) for x in row] for row in m.coef_],
        "intercept": [round(float(x), 4) for x in m.intercept_],
        "temperature": 1.0,
    }
    return model


def calibrate_temperature(decisions: np.ndarray, labels: np.ndarray, classes) -> float:
    """The softmax temperature that minimises log loss of out-of-fold decisions (grid 0.5-10)."""
    idx = np.searchsorted(np.asarray(classes), labels)
    best, best_t = None, 1.0
    for t in np.arange(0.5, 10.01, 0.25):
        z = decisions * t
        z = z - z.max(axis=1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        nll = -logp[np.arange(len(idx)), idx].mean()
        if best is None or nll < best:
            best, best_t = nll, float(t)
    return best_t


def cross_validate(texts, labels, k=5, cfg=None):
    """Out-of-fold predictions and decisions with the shipped recipe and runtime scorer."""
    from .classifier import SentenceClassifier

    labels = np.asarray(labels)
    pred = np.zeros(len(texts), dtype=int)
    dec = np.zeros((len(texts), 5))
    fold_of = np.zeros(len(texts), dtype=int)
    for f, test in enumerate(folds(len(texts), k, list(labels))):
        train = np.setdiff1d(np.arange(len(texts)), test)
        clf = SentenceClassifier(fit_model([texts[i] for i in train], list(labels[train]), cfg))
        for i in test:
            d = clf.decision(texts[i])
            dec[i] = d
            pred[i] = clf.classes[int(np.argmax(d))]
            fold_of[i] = f
    return pred, dec, fold_of


def train_default(path: str | Path) -> dict:
    texts, labels = read_cameo_class(path)
    _, dec, _ = cross_validate(texts, labels)
    model = fit_model(texts, labels)
    model["temperature"] = calibrate_temperature(dec, np.asarray(labels), model["classes"])
    return model


# ---------------------------------------------------------------- source/target tagger
TAGGER_CONFIG = {"c1": 0.2, "c2": 0.1, "max_iterations": 150, "minfreq": 2, "min_weight": 0.0}


def tagger_items(docs, tag_lists):
    """(features, labels, first token) CRF sequences, one per spaCy sentence of each Doc: the
    anchor is the rule event of the sentence with the best parse-only confidence
    (extract_events without classifier or tagger, as extract._apply_tagger chooses it)."""
    from .extract import extract_events
    from .tagger import sentence_features

    out = []
    for doc, tags in zip(docs, tag_lists):
        evs = extract_events(doc, classifier=None, tagger=None)
        for sent in doc.sents:
            mine = [e for e in evs if sent.start_char <= e["trigger"]["span"]["start"] < sent.end_char]
            top = max(mine, key=lambda e: (e["confidence"], -e["span"]["start"])) if mine else None
            labels = None if tags is None else [t if t != "" else "O" for t in tags[sent.start:sent.end]]
            out.append((sentence_features(sent, top), labels, sent.start))
    return out


@contextmanager
def trained_crfsuite(seqs, cfg: dict):
    """A python-crfsuite tagger trained on `seqs` with `cfg` (L-BFGS, elastic net), open for
    the duration of the block; its temporary model file is removed afterwards."""
    import os
    import tempfile

    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for feats, labels in seqs:
        trainer.append(feats, labels)
    trainer.set_params({"c1": cfg["c1"], "c2": cfg["c2"], "max_iterations": cfg["max_iterations"],
                        "feature.minfreq": cfg["minfreq"]})
    fd, tmp = tempfile.mkstemp(suffix=".crfsuite")
    os.close(fd)
    try:
        trainer.train(tmp)
        tagger = pycrfsuite.Tagger()
        tagger.open(tmp)
        try:
            yield tagger
        finally:
            tagger.close()
    finally:
        os.unlink(tmp)


def fit_tagger(seqs, cfg: dict | None = None) -> dict:
    """Train the CRF and return the shipped model dict: attributes with a non-zero weight,
    their weights per label, the transitions."""
    from .tagger import LABELS

    cfg = {**TAGGER_CONFIG, **(cfg or {})}
    with trained_crfsuite(seqs, cfg) as tagger:
        info = tagger.info()
        seen = set(tagger.labels())
    lab = {l: i for i, l in enumerate(LABELS)}
    rows: dict[str, list] = {}
    for (attr, label), w in info.state_features.items():
        w = round(float(w), 3)
        if abs(w) > cfg["min_weight"] and w != 0.0:
            rows.setdefault(attr, []).append([lab[label], w])
    attrs = sorted(rows)
    trans = [[0.0] * len(LABELS) for _ in LABELS]
    for (a, b), w in info.transitions.items():
        trans[lab[a]][lab[b]] = round(float(w), 3)
    return {"kind": "storyline source/target CRF", "labels": LABELS,
            "config": cfg, "labels_seen": [l for l in LABELS if l in seen], "attributes": attrs, "state": [sorted(rows[a]) for a in attrs],
            "transitions": trans}
