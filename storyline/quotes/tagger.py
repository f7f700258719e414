"""The accurate profile's fine-tuned quote tagger: all-MiniLM-L6-v2 fine-tuned on PolNeAR train
to tag source / cue / content (O/B/I each) on the word-pieces of one sentence, given where the
rules put their spans. int8 ONNX in models/quote_tagger.onnx (scripts/train_quote_tagger.py
trains it with PyTorch in a separate venv, exports and quantizes it; the runtime needs only
onnxruntime, tokenizers and numpy: the `accurate` extra).

Input per sentence: the word-pieces of its spaCy tokens ([CLS] … [SEP], at most MAX_PIECES) and
one rule code per word-piece, the rules' O/B/I tag of its word for source, cue and content
(`code = 9 * source + 3 * cue + content`), which a learnt embedding adds to the word-piece
embedding. Output: 9 logits per word-piece (3 per role); a word's are its first piece's.

The word-pieces are all-MiniLM-L6-v2's WordPiece vocabulary (models/minilm_tokenizer.json.gz,
the model's own tokenizer.json as published with it under the Apache-2.0 licence, gzipped; the
ONNX file's embedding table is indexed by it). Nothing is downloaded.

The rules stay in charge (`refine`, `combine`, SETTINGS chosen on the PolNeAR dev halves by
scripts/tune_quote_tagger.py): the tagger runs only on candidate sentences
(`candidate_sentences`), moves the edges of a rule's spans to its own overlapping spans when
confident, and adds an attribution for a confident cue the rules missed (with its tagged content
and nearest tagged source). Quote segments, speaker resolution and everything else are the rules'.
"""
from __future__ import annotations

import gzip
import hashlib
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np
from spacy.tokens import Doc, Span

from .spans import Attribution

MODELS = Path(__file__).parent / "models"
TAGGER_PATH = MODELS / "quote_tagger.onnx"
TOKENIZER_PATH = MODELS / "minilm_tokenizer.json.gz"
# all-MiniLM-L6-v2's tokenizer.json, gzipped (tests/test_accurate_profile.py checks it).
TOKENIZER_SHA256 = "a9ac4f1024478d8337866487193abf24af09fb0c110fa545291ff9958f77985e"
QUOTE_CHARS = frozenset('"“”')
# The shipped tagger's sha256 (tests/test_accurate_profile.py checks the file against it).
TAGGER_SHA256 = "791755952accae1fd1c392f9020656feb3480a3ee6ea5d42508d3378f0b2f921"
ROLES = ("source", "cue", "content")
MAX_PIECES = 128
BATCH = 16
N_CODES = 27


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def available() -> bool:
    """Whether the accurate extra (onnxruntime, tokenizers) is installed."""
    try:
        import onnxruntime  # noqa: F401
        import tokenizers  # noqa: F401
    except ImportError:
        return False
    return True


def load_tokenizer():
    """all-MiniLM-L6-v2's WordPiece tokenizer (no padding, no truncation: encode_words cuts)."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_str(gzip.decompress(TOKENIZER_PATH.read_bytes()).decode("utf-8"))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    return tokenizer


def candidate_sentences(doc: Doc, cues: frozenset[str], found: list[Attribution]) -> list[Span]:
    """Sentences with a cue-lexicon lemma, "according", a quote mark, or a rule cue."""
    cue_starts = {a.cue[0] for a in found}
    out = []
    for sent in doc.sents:
        if any(t.lemma_.lower() in cues or t.lower_ == "according" or t.text in QUOTE_CHARS
               or t.idx in cue_starts for t in sent):
            out.append(sent)
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


def char_tokens(doc: Doc, span: tuple[int, int] | None) -> tuple[int, int] | None:
    """A char span's doc tokens [start, end), expanded to whole tokens; None when empty."""
    if not span:
        return None
    sp = doc.char_span(span[0], span[1], alignment_mode="expand")
    return (sp.start, sp.end) if sp is not None and len(sp) else None


def rule_codes(doc: Doc, sent: Span, found: list[Attribution]) -> np.ndarray:
    """One code per token of `sent`: the rules' O/B/I (0/1/2) for source, cue and content,
    `9 * source + 3 * cue + content` (a later span overwrites an earlier one where they nest)."""
    tags = np.zeros((len(sent), 3), np.int64)
    for a in found:
        for r, span in enumerate((a.source, a.cue, a.content)):
            toks = char_tokens(doc, span)
            if toks is None:
                continue
            s, e = max(toks[0], sent.start), min(toks[1], sent.end)
            if s >= e:
                continue
            tags[s - sent.start:e - sent.start, r] = 2
            if s == toks[0]:
                tags[s - sent.start, r] = 1
    return tags[:, 0] * 9 + tags[:, 1] * 3 + tags[:, 2]


def encode_words(tokenizer, words: list[str], max_pieces: int = MAX_PIECES) -> tuple[list[int], list[int]]:
    """Word-piece ids of a sentence ([CLS] … [SEP], truncated to `max_pieces`) and each piece's
    word index (-1 for [CLS] / [SEP]). Whitespace tokens become "," (MiniLM has no space piece)."""
    enc = tokenizer.encode([w if w.strip() else "," for w in words], is_pretokenized=True)
    ids, wids = list(enc.ids), [-1 if w is None else w for w in enc.word_ids]
    if len(ids) > max_pieces:
        ids, wids = ids[:max_pieces - 1] + [ids[-1]], wids[:max_pieces - 1] + [-1]
    return ids, wids


def first_pieces(wids: list[int], n_words: int) -> np.ndarray:
    """Index of each word's first word-piece (-1 for a word cut off by the truncation)."""
    first = np.full(n_words, -1, np.int64)
    for p, w in enumerate(wids):
        if 0 <= w < n_words and first[w] < 0:
            first[w] = p
    return first


class Tagger:
    """The ONNX tagger (one session, `threads` intra-op threads)."""

    def __init__(self, path: str | Path = TAGGER_PATH, threads: int = 1):
        import onnxruntime as ort

        self.tokenizer = load_tokenizer()
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        self.session = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])

    def log_probs(self, sents: list[list[str]], codes: list[np.ndarray]) -> list[np.ndarray]:
        """One (words, 3 roles, 3 tags) log-probability array per sentence; a word cut off by
        the truncation gets O with certainty."""
        encs = [encode_words(self.tokenizer, words) for words in sents]
        out: list[np.ndarray] = [np.zeros((0, 3, 3), np.float32)] * len(sents)
        order = sorted(range(len(sents)), key=lambda i: len(encs[i][0]))
        for b in range(0, len(order), BATCH):
            idx = order[b:b + BATCH]
            width = max(len(encs[i][0]) for i in idx)
            ids = np.zeros((len(idx), width), np.int64)
            mask = np.zeros((len(idx), width), np.int64)
            rc = np.zeros((len(idx), width), np.int64)
            for r, i in enumerate(idx):
                pid, wids = encs[i]
                ids[r, :len(pid)] = pid
                mask[r, :len(pid)] = 1
                rc[r, :len(pid)] = [codes[i][w] if w >= 0 else 0 for w in wids]
            logits = self.session.run(None, {"input_ids": ids, "attention_mask": mask, "rule_codes": rc})[0]
            for r, i in enumerate(idx):
                n = len(sents[i])
                first = first_pieces(encs[i][1], n)
                lp = np.full((n, 3, 3), -1e4, np.float32)
                lp[:, :, 0] = 0.0
                ok = first >= 0
                z = logits[r, first[ok]].reshape(-1, 3, 3).astype(np.float32)
                z = z - z.max(axis=2, keepdims=True)
                lp[ok] = z - np.log(np.exp(z).sum(axis=2, keepdims=True))
                out[i] = lp
        return out


def decode(doc: Doc, sents: list[Span], lps: list[np.ndarray]) -> list[dict[str, list[tuple[int, int, float]]]]:
    """Per sentence, the tagger's spans per role as doc token indices [start, end) with their
    mean tag probability (constrained Viterbi, `viterbi_spans`)."""
    out = []
    for sent, lp in zip(sents, lps):
        spans = {}
        for r, role in enumerate(ROLES):
            spans[role] = []
            for s, e in viterbi_spans(lp[:, r, :]):
                p = np.exp(lp[s, r, 1]) + sum(np.exp(lp[k, r, 2]) for k in range(s + 1, e))
                spans[role].append((sent.start + s, sent.start + e, float(p / (e - s))))
        out.append(spans)
    return out


def _chars(doc: Doc, text: str, s: int, e: int) -> tuple[int, int]:
    from .spans import trim

    return trim(text, doc[s].idx, doc[e - 1].idx + len(doc[e - 1]))


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _nearest(spans, toks: tuple[int, int]):
    """The span nearest the token range `toks` that does not overlap it."""
    best, dist = None, None
    for s, e, p in spans:
        if s < toks[1] and toks[0] < e:
            continue
        d = toks[0] - e if e <= toks[0] else s - toks[1]
        if dist is None or d < dist:
            best, dist = (s, e, p), d
    return best


def combine(doc: Doc, found: list[Attribution], sents: list[Span], tagged: list[dict], text: str,
            moves: tuple[str, ...] = (), move_min: float = 0.0, add_min: float | None = None,
            drop_min: float | None = None, lps: list[np.ndarray] | None = None) -> list[Attribution]:
    """The rules' attributions with the tagger's help (the rules stay in charge of the rest):
    `moves`: roles whose rule span in a tagged sentence moves to the overlapping tagged span
    (mean tag probability at least `move_min`; quoted contents stay, a move never swallows the
    cue); `add_min`: a tagged cue that overlaps no rule cue, with a tagged content in its
    sentence, becomes a new attribution (source: the nearest tagged source) when its
    probability is at least `add_min`; `drop_min`: a rule attribution whose cue words the tagger
    gives O with at least that probability (needs `lps`) is dropped."""
    by_sent = {s.start: k for k, s in enumerate(sents)}
    out = []
    for a in found:
        cue = char_tokens(doc, a.cue)
        k = by_sent.get(doc[cue[0]].sent.start) if cue is not None else None
        if k is None:
            out.append(a)
            continue
        sent, spans = sents[k], tagged[k]
        if drop_min is not None and lps is not None:
            p_o = np.exp(lps[k][cue[0] - sent.start:cue[1] - sent.start, 1, 0])
            if len(p_o) and p_o.min() >= drop_min:
                continue
        for role in moves:
            if role == "content" and a.quoted:
                continue
            span = getattr(a, role)
            toks = char_tokens(doc, span)
            if toks is None or toks[0] < sent.start or toks[1] > sent.end:
                continue
            best, best_n = None, 0
            for s, e, p in spans[role]:
                n = min(e, toks[1]) - max(s, toks[0])
                if n > best_n and p >= move_min:
                    best, best_n = (s, e), n
            if best is None or best == toks:
                continue
            new = _chars(doc, text, *best)
            if new[1] <= new[0] or (role != "cue" and _overlaps(new, a.cue)):
                continue
            if role == "cue" and ((a.content and _overlaps(new, a.content)) or (a.source and _overlaps(new, a.source))):
                continue
            setattr(a, role, new)
        out.append(a)
    if add_min is not None:
        rule_cues = [a.cue for a in out]
        for spans in tagged:
            for s, e, p in spans["cue"]:
                cue_chars = _chars(doc, text, s, e)
                if p < add_min or cue_chars[1] <= cue_chars[0] or any(_overlaps(cue_chars, c) for c in rule_cues):
                    continue
                content = _nearest(spans["content"], (s, e))
                if content is None:
                    continue
                source = _nearest([x for x in spans["source"] if not (x[0] < content[1] and content[0] < x[1])], (s, e))
                out.append(Attribution(cue=cue_chars, content=_chars(doc, text, content[0], content[1]),
                                       source=_chars(doc, text, source[0], source[1]) if source else None))
                rule_cues.append(cue_chars)
    return out


# How the tagger's spans are combined with the rules' (combine's keywords): the best row on the
# PolNeAR dev tune half of scripts/tune_quote_tagger.py's grid (moves of each role subset at
# 0.5-0.9, added cues at none/0.6-0.8, drops at none/0.99), kept because the validation half
# agreed. Exact F1 source / cue / content, tune | validation (docs/quotes.md): rules
# .705/.682/.536 | .747/.679/.586; these settings .740/.706/.564 | .792/.716/.615.
SETTINGS: Mapping[str, Any] = MappingProxyType({"moves": ("content", "source", "cue"), "move_min": 0.7,
                                               "add_min": 0.7})


def refine(doc: Doc, found: list[Attribution], cues: frozenset[str], tagger: Tagger, text: str,
           settings: Mapping[str, Any] | None = None) -> list[Attribution]:
    """Tag the candidate sentences (`candidate_sentences`) and combine the tagger's spans
    with the rules' attributions (`combine`, with SETTINGS unless given)."""
    settings = SETTINGS if settings is None else settings
    if not settings:
        return found
    sents = candidate_sentences(doc, cues, found)
    if not sents:
        return found
    lps = tagger.log_probs([[t.text for t in s] for s in sents], [rule_codes(doc, s, found) for s in sents])
    return combine(doc, found, sents, decode(doc, sents, lps), text, lps=lps, **settings)
