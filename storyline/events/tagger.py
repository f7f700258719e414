"""Source/target tagger: a linear-chain CRF over the tokens of a sentence (B/I-S source,
B/I-T target, B/I-R reciprocal, O), from the spaCy parse and the parse rules' own event.

Features (`sentence_features`): the word, lemma, shape, POS, tag, dependency, head lemma and
POS, entity type, the neighbours, and, relative to the anchor event (the sentence's most
confident rule event; its trigger, else the sentence root), the argument slot the token sits
in ("nsubj", "dobj", "prep:against", "agent", "gov:nsubj" for the subject of a governing
verb), its depth in that argument, the side and distance to the trigger, and whether the
rules put the token in the actor or recipient span.

Trained with python-crfsuite by scripts/train_event_tagger.py (eval: 5-fold CV on cameo_ner,
trained inside each fold); shipped as JSON (state weights per feature string, transitions),
decoded here by Viterbi in numpy, so the runtime needs no model binary. Without the model file
the rules' spans stay.
"""
from __future__ import annotations

import gzip
import json
from functools import lru_cache
from itertools import repeat
from pathlib import Path

import numpy as np

from ..text.tokens import TokenTable

MODEL_PATH = Path(__file__).parent / "models" / "source_target.json.gz"
LABELS = ["O", "B-S", "I-S", "B-T", "I-T", "B-R", "I-R"]
_ARG_PREP = "prep"


def _shape(text: str) -> str:
    if text.isdigit():
        return "d"
    if text.isupper() and len(text) > 1:
        return "XX"
    if text[:1].isupper():
        return "Xx"
    if text.islower():
        return "x"
    return "o"


def _clean(s: str) -> str:
    return s.replace(":", "_").replace("\\", "_")


def _bucket(d: int) -> str:
    d = abs(d)
    return "0" if d == 0 else "1" if d == 1 else "2-3" if d <= 3 else "4-7" if d <= 7 else "8+"


def _anchor_tokens(sent, event, table=None):
    """(trigger token, rule actor token indices, rule recipient token indices)."""
    doc = sent.doc
    tb = table if table is not None else TokenTable(doc)
    idx, text = tb.idx, tb.text
    toks = range(sent.start, sent.end)
    trig = None
    roles = {"S": set(), "T": set()}
    if event is not None:
        ts = event["trigger"]["span"]["start"]
        for i in toks:
            if idx[i] <= ts < idx[i] + len(text[i]):
                trig = doc[i]
                break
        for role, key in (("S", "actor"), ("T", "recipient")):
            part = event.get(key)
            if part:
                s, e = part["span"]["start"], part["span"]["end"]
                roles[role] = {i for i in toks if idx[i] >= s and idx[i] + len(text[i]) <= e}
    if trig is None:
        trig = sent.root
    # a trigger noun ("launched an attack"): its clause verb governs the arguments
    while trig.pos_ in ("NOUN", "PROPN") and trig.dep_ in ("dobj", "pobj", "nsubj", "attr") and trig.head is not trig:
        trig = trig.head if trig.dep_ != "pobj" else trig.head.head
    return doc, trig, roles


def _governors(trig):
    """The trigger and the verbs above it in xcomp / conj / ccomp chains (nearest first)."""
    out = [trig]
    t = trig
    for _ in range(4):
        if t.head is t:
            break
        if t.dep_ in ("xcomp", "conj", "ccomp", "advcl", "acomp", "pcomp", "relcl"):
            t = t.head
            out.append(t)
        else:
            break
    return out


def _slot(i: int, heads, deps, govs: list[int]):
    """(slot name, depth, path) of token `i` relative to the anchor's verbs: the governor it
    reaches going up the parse, or "out:" + the last relation on the way.

    Works on token indices: spaCy makes a new Token object on every access, which made this
    the costliest step of the events component (3.1 of 6.0 s on 30 PolNeAR articles). The
    model was trained with an identity test (`t.head is g`) that never matches a fresh Token,
    so the "argument of a governor" slot never fired; this keeps the features the shipped
    model was trained on."""
    path: list[str] = []
    t = i
    gov_set = set(govs)
    for depth in range(40):
        if t in gov_set:
            return "GOV", depth, path[-2:]
        if heads[t] == t:  # the trained model's loop kept climbing at the root: "ROOT/ROOT"
            return "out:" + deps[t], 9, (path + [deps[t], deps[t]])[-2:]
        path.append(deps[t])
        t = heads[t]
    return "out:" + (path[-1] if path else "root"), 9, path[-2:]


# the neighbours' feature names: offset, "w-2=", "p-2=", and for the next tokens "d-1=", "slot-1="
_NEIGHBOURS = tuple((off, "w%+d=" % off, "p%+d=" % off, "d%+d=" % off if abs(off) == 1 else "",
                     "slot%+d=" % off if abs(off) == 1 else "") for off in (-2, -1, 1, 2))


def sentence_features(sent, event=None, table=None) -> list[list[str]]:
    """CRF features of the tokens of a spaCy sentence, relative to `event` (a rule event of
    the sentence, or None: the root verb anchors). `table`: the Doc's TokenTable
    (storyline/text/tokens.py) when the caller has one; the features are the same without."""
    tb = table if table is not None else TokenTable(sent.doc)
    _, trig, roles = _anchor_tokens(sent, event, tb)
    govs = [g.i for g in _governors(trig)]
    lo, hi = sent.start, sent.end
    heads, deps = tb.head, tb.dep
    # per token of the sentence, read once (the neighbours' features reuse them)
    lower = [_clean(w) for w in tb.lower[lo:hi]]
    pos = tb.pos[lo:hi]
    dep = deps[lo:hi]
    slots = [_slot(i, heads, deps, govs) for i in range(lo, hi)]
    lemma_clean: dict[int, str] = {}

    def lemma_of(i: int) -> str:
        v = lemma_clean.get(i)
        if v is None:
            v = lemma_clean[i] = _clean(tb.lemma[i].lower())
        return v

    trig_i = trig.i
    tl = "tl=" + lemma_of(trig_i)
    in_s, in_t = roles["S"], roles["T"]
    n = hi - lo
    out = []
    for k in range(n):
        i = lo + k
        slot, depth, path = slots[k]
        d = i - trig_i
        side = "L" if d < 0 else "R" if d > 0 else "T"
        rule = "S" if i in in_s else "T" if i in in_t else "O"
        rule_b = rule + ("B" if rule != "O" and (i - 1) not in roles[rule] else "")
        ent_type = tb.ent_type[i]
        ent = (tb.ent_iob[i] + "-" + ent_type) if ent_type else "O"
        h = heads[i]
        p, dp, w = pos[k], dep[k], lower[k]
        depth4 = str(min(depth, 4))
        f = [
            "b", "w=" + w, "l=" + lemma_of(i), "sh=" + _shape(tb.text[i]),
            "p=" + p, "t=" + tb.tag[i], "d=" + dp, "hl=" + lemma_of(h),
            "hp=" + tb.pos[h], "hd=" + deps[h], "e=" + ent, "suf=" + w[-3:],
            "slot=" + slot, "slot|d=" + slot + "|" + dp, "depth=" + depth4,
            "slot|depth=" + slot + "|" + depth4, "path=" + "/".join(path),
            "side=" + side, "dist=" + side + _bucket(d), "rule=" + rule, "ruleb=" + rule_b,
            "rule|slot=" + rule + "|" + slot, tl,
            "p|side=" + p + "|" + side,
        ]
        for off, w_, p_, d_, s_ in _NEIGHBOURS:
            j = k + off
            if 0 <= j < n:
                f.append(w_ + lower[j])
                f.append(p_ + pos[j])
                if d_:
                    f.append(d_ + dep[j])
                    f.append(s_ + slots[j][0])
            else:
                f.append(w_ + "$")
        out.append(f)
    return out


class SpanTagger:
    """Viterbi decoding of the shipped CRF weights."""

    def __init__(self, model: dict):
        self.labels = model["labels"]
        self.index = {a: i for i, a in enumerate(model["attributes"])}
        n, m = len(model["attributes"]), len(self.labels)
        self.state = np.zeros((n + 1, m))  # and a last row of zeros: unknown features and padding
        self.zero = n
        for i, row in enumerate(model["state"]):
            for j, w in row:
                self.state[i, j] = w
        self.trans = np.asarray(model["transitions"], dtype=np.float64)
        seen = set(model.get("labels_seen", self.labels))
        # labels the training data never had are never decoded (crfsuite does not know them)
        self.bias = np.array([0.0 if l in seen else -1e9 for l in self.labels])

    def emissions(self, feats: list[list[str]]) -> np.ndarray:
        """(tokens, labels) state scores: the bias plus, per token, the sum of its known
        features' weights (summed token by token: a segmented sum over the sentence adds in
        another order, and the last bits of the scores would move)."""
        # all tokens at once: row k of `idx` holds token k's feature rows, unknown features
        # and the padding to the longest token pointing at the zero row; the rows are added
        # one feature position after another, as the token by token sum added them (a zero
        # row adds exactly nothing)
        get, zero = self.index.get, self.zero
        width = max(map(len, feats))
        idx = np.array([list(map(get, f, repeat(zero, width))) + [zero] * (width - len(f)) for f in feats],
                       dtype=np.intp)
        rows = np.take(self.state, idx.T, axis=0)  # (features, tokens, labels)
        total = rows[0].copy()
        for k in range(1, width):
            total += rows[k]
        return self.bias + total

    def tag(self, feats: list[list[str]]) -> list[str]:
        if not feats:
            return []
        n = len(feats)
        emit = self.emissions(feats)
        score = emit[0].copy()
        back = np.zeros((n, len(self.labels)), dtype=np.int64)
        cols = np.arange(len(self.labels))
        for k in range(1, n):
            cand = score[:, None] + self.trans
            back[k] = best = cand.argmax(axis=0)
            score = cand[best, cols] + emit[k]
        best = [int(score.argmax())]
        for k in range(n - 1, 0, -1):
            best.append(int(back[k, best[-1]]))
        return [self.labels[j] for j in reversed(best)]

    def tag_many(self, sentences: list[list[list[str]]]) -> list[list[str]]:
        """`[self.tag(f) for f in sentences]`, decoded side by side: one numpy step per token
        position for all the sentences (the same additions and argmaxes per sentence; a
        sentence that has ended keeps its last scores)."""
        lens = [len(f) for f in sentences]
        out: list[list[str]] = [[] for _ in sentences]
        todo = [i for i, n in enumerate(lens) if n]
        if not todo:
            return out
        m = len(self.labels)
        emit = self.emissions([tok for i in todo for tok in sentences[i]])
        longest = max(lens[i] for i in todo)
        grid = np.zeros((len(todo), longest, m))  # (sentences, positions, labels)
        at = 0
        for row, i in enumerate(todo):
            grid[row, :lens[i]] = emit[at:at + lens[i]]
            at += lens[i]
        ends = np.array([lens[i] for i in todo])
        score = grid[:, 0].copy()
        back = np.zeros((len(todo), longest, m), dtype=np.int64)
        trans = self.trans[None]
        for k in range(1, longest):
            cand = score[:, :, None] + trans  # [s, i, j]: score of label i, then j
            best = cand.argmax(axis=1)
            back[:, k] = best
            step = np.take_along_axis(cand, best[:, None, :], axis=1)[:, 0] + grid[:, k]
            score = np.where((k < ends)[:, None], step, score)
        last = score.argmax(axis=1).tolist()
        for row, i in enumerate(todo):
            b, path = back[row].tolist(), [last[row]]
            for k in range(lens[i] - 1, 0, -1):
                path.append(b[k][path[-1]])
            out[i] = [self.labels[j] for j in reversed(path)]
        return out


def spans(labels: list[str], offset: int = 0) -> list[tuple[str, int, int]]:
    """(role, start token, end token) of BIO labels (an I- without its B- starts a span)."""
    out, cur = [], None
    for i, t in enumerate(list(labels) + ["O"]):
        if t.startswith("B-") or t == "O" or (t.startswith("I-") and (cur is None or cur[0] != t[2:])):
            if cur is not None:
                out.append((cur[0], cur[1] + offset, i + offset))
                cur = None
            if t != "O":
                cur = (t[2:], i)
    return out


def load(path) -> SpanTagger | None:
    path = Path(path)
    if not path.exists():
        return None
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return SpanTagger(json.load(fh))


@lru_cache(maxsize=1)
def default_tagger() -> SpanTagger | None:
    """The shipped model, or None when it is not there (the parse rules' spans stay)."""
    return load(MODEL_PATH)
