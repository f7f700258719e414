"""The sentence classifier at run time: CAMEO pentaclass (0 no event / neutral statement,
1-4 quad class) from TF-IDF word and character n-grams and a linear model, scored in numpy.

The model is trained by scripts/train_event_classifier.py (scikit-learn, training time only) and
shipped as a small JSON file (vocabularies pruned to the top features, their idf, the weights).
This module re-implements scikit-learn's analyzers exactly (lowercase; words by `\\b\\w\\w+\\b`,
1-2 grams; character n-grams inside word boundaries, `char_wb`), sublinear tf, idf, l2 norm per
vectorizer: tests/test_events_eval.py checks it against scikit-learn on real sentences.
"""
from __future__ import annotations

import gzip
import json
import math
import re
from functools import lru_cache
from pathlib import Path

import numpy as np

MODEL_PATH = Path(__file__).parent / "models" / "cameo_pentaclass.json.gz"
_WORD = re.compile(r"(?u)\b\w\w+\b")
_WS = re.compile(r"\s\s+")


def word_ngrams(text: str, lo: int, hi: int) -> list[str]:
    toks = _WORD.findall(text.lower())
    out = []
    for n in range(lo, hi + 1):
        out.extend(" ".join(toks[i:i + n]) for i in range(len(toks) - n + 1))
    return out


def char_wb_ngrams(text: str, lo: int, hi: int) -> list[str]:
    out: list[str] = []
    for w in _words(text):
        out.extend(_word_char_ngrams(w, lo, hi))
    return out


def _words(text: str) -> list[str]:
    """The words `char_wb` n-grams are cut from (lowercased, split at whitespace)."""
    return _WS.sub(" ", text.lower()).split()


def _word_char_ngrams(w: str, lo: int, hi: int) -> list[str]:
    """The `char_wb` n-grams of one word, in scikit-learn's order."""
    out: list[str] = []
    w = " " + w + " "
    wl = len(w)
    for n in range(lo, hi + 1):
        if wl <= n:  # the whole padded word, once, and no longer n-grams
            out.append(w)
            break
        out.extend([w[o:o + n] for o in range(wl - n + 1)])
    return out


# Words whose `char_wb` vocabulary indices a classifier keeps (their n-grams are cut and
# looked up once; words repeat from sentence to sentence): emptied when it holds this many.
_WORD_MEMO = 100_000


class SentenceClassifier:
    """Scores sentences with the shipped linear model; `probs(texts)` -> (n, 5) array."""

    def __init__(self, model: dict):
        self.classes = model["classes"]
        self.temperature = float(model.get("temperature", 1.0))
        self.parts = []
        offset = 0
        for part in model["vectorizers"]:
            vocab = {t: i + offset for i, t in enumerate(part["vocab"])}
            idf = np.asarray(part["idf"], dtype=np.float64)
            self.parts.append((part["analyzer"], tuple(part["ngram_range"]), vocab, idf, offset))
            offset += len(idf)
        self.coef = np.asarray(model["coef"], dtype=np.float64)  # (classes, features)
        self.intercept = np.asarray(model["intercept"], dtype=np.float64)
        self._word_idx: dict[tuple, list[int]] = {}  # (part, word) -> its char_wb n-grams' indices

    def _char_indices(self, part: int, text: str) -> list[int]:
        """The vocabulary indices of the `char_wb` n-grams of `text` that the vocabulary
        holds, in n-gram order (the indices of `map(vocab.get, char_wb_ngrams(...))` without
        the Nones), cut and looked up once per word."""
        _, (lo, hi), vocab, _, _ = self.parts[part]
        memo = self._word_idx
        if len(memo) > _WORD_MEMO:
            memo.clear()
        out: list[int] = []
        for w in _words(text):
            idx = memo.get((part, w))
            if idx is None:
                idx = memo[(part, w)] = [j for j in map(vocab.get, _word_char_ngrams(w, lo, hi)) if j is not None]
            out.extend(idx)
        return out

    def features(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        idx_all, val_all = [], []
        for part, (analyzer, (lo, hi), vocab, idf, offset) in enumerate(self.parts):
            if analyzer == "word":
                found = [j for j in map(vocab.get, word_ngrams(text, lo, hi)) if j is not None]
            else:
                found = self._char_indices(part, text)
            counts: dict[int, int] = {}  # in order of first occurrence (the sums below add in it)
            for j in found:
                counts[j] = counts.get(j, 0) + 1
            if not counts:
                continue
            idx = np.fromiter(counts, dtype=np.int64, count=len(counts))
            tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
            val = (1.0 + np.log(tf)) * idf[idx - offset]
            val /= math.sqrt(float(val @ val)) or 1.0
            idx_all.append(idx)
            val_all.append(val)
        if not idx_all:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        return np.concatenate(idx_all), np.concatenate(val_all)

    def decision(self, text: str) -> np.ndarray:
        idx, val = self.features(text)
        return self.coef[:, idx] @ val + self.intercept

    def probs(self, texts) -> np.ndarray:
        out = np.zeros((len(texts), len(self.classes)))
        for i, t in enumerate(texts):
            z = self.decision(t) * self.temperature
            z = np.exp(z - z.max())
            out[i] = z / z.sum()
        return out


def from_dict(model: dict) -> SentenceClassifier:
    return SentenceClassifier(model)


@lru_cache(maxsize=1)
def default_classifier() -> SentenceClassifier | None:
    """The shipped model, or None when it is not there (events then rest on the parse alone)."""
    if not MODEL_PATH.exists():
        return None
    with gzip.open(MODEL_PATH, "rt", encoding="utf-8") as fh:
        return SentenceClassifier(json.load(fh))
