"""Exact and near-duplicate detection: MinHash LSH for candidates, Jaccard to confirm.

Each article's body is cut into 3-word shingles after normalising case, quote marks and
dashes; a 128-permutation MinHash signature is split into LSH bands. Articles sharing a band
are candidates; a candidate is a duplicate when the exact Jaccard similarity of the two
shingle sets reaches `JACCARD_MIN`. Every duplicate group has one root (the original) and
`duplicate_of` of every other member points straight at it, never along a chain.

The linker is incremental: bands live in the store (`store.duplicates`) and only articles
that arrived since the last run are signed and looked up.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Optional

import numpy as np

from ..store.protocol import DuplicateBandsRepo, Store
from .batched import in_transactions
from .textfeat import jaccard, shingles

NUM_PERM = 128
SHINGLE_K = 3
# Confirming threshold on the exact shingle Jaccard. Calibrated with `storyline eval
# duplicates ../shared/data` (copies generated from the PolNeAR dev + ECB+ texts: new
# header/byline, dateline changed, up to 20% of sentences dropped or added, quote marks
# changed; negatives include all pairs of distinct articles about the same ECB+ event).
# Swept 0.20-0.80 in steps of 0.05 over the pairs: 0.35 keeps 98.7% of gold pairs with 9
# false pairs among 4,000 same-event negatives, 0.40 keeps 97.4% with 2, 0.50 93.5% with 0.
# 0.40 is the point where precision stops improving faster than recall falls.
JACCARD_MIN = 0.40
# LSH candidate threshold, well under JACCARD_MIN so that LSH misses little that the exact
# check would accept: datasketch's optimal split for 0.25 at 128 permutations is 42 bands of
# 3 rows, which finds a pair at Jaccard 0.40 with probability 0.94 and at 0.45 with 0.98.
# The split is written out: `MinHashLSH(threshold=0.25, num_perm=128)` computes it by
# numerical integration, and importing datasketch pulls in scipy (together about 0.2 s of CPU
# per process, more than signing 80 articles); tests/test_minhash.py checks both against
# datasketch.
LSH_THRESHOLD = 0.25
BANDS, ROWS = 42, 3
MIN_SHINGLES = 8  # texts shorter than this are too short to call duplicates
# datasketch 2.0's MinHash (scheme "affine32", seed 1, SHA-1 hash), written out in numpy: the
# same hash values, bit for bit (tests/test_minhash.py), without importing datasketch.
_SEED = 1
_FMIX32 = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35), np.uint32(16))


@dataclass
class Signed:
    id: str
    shingles: set
    keys: list  # [(band, hash)]


def sign(article_id: str, text: str) -> Signed:
    sh = shingles(text, SHINGLE_K)
    if len(sh) < MIN_SHINGLES:
        return Signed(article_id, sh, [])
    return Signed(article_id, sh, band_keys(minhash(sh)))


@lru_cache(maxsize=1)
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """datasketch's affine32 permutations for `NUM_PERM` and seed 1: (a, b), a odd."""
    gen = np.random.RandomState(_SEED)
    a = gen.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
    a.setflags(write=False)
    b.setflags(write=False)
    return a, b


def minhash(items: Iterable[str]) -> np.ndarray:
    """The `NUM_PERM` MinHash values (uint32) of a set of strings, as datasketch's
    `MinHash(num_perm=NUM_PERM)` after `update_batch` of their UTF-8 bytes: each string's
    SHA-1 (first 4 bytes, little-endian), mixed by the MurmurHash3 finalizer, then
    `a * h + b` modulo 2**32 per permutation, the minimum over the strings."""
    digests = b"".join(hashlib.sha1(s.encode("utf-8")).digest()[:4] for s in items)
    a, b = _permutations()
    if not digests:
        return np.full(NUM_PERM, np.uint32(0xFFFFFFFF), dtype=np.uint32)
    hv = np.frombuffer(digests, dtype="<u4").astype(np.uint32).reshape(-1, 1)
    s1, m1, s2, m2, s3 = _FMIX32
    hv = hv ^ (hv >> s1)
    hv = hv * m1
    hv = hv ^ (hv >> s2)
    hv = hv * m2
    hv = hv ^ (hv >> s3)
    return (hv * a + b).min(axis=0)


def band_keys(hashvalues: np.ndarray) -> list[tuple[int, int]]:
    out = []
    for b in range(BANDS):
        chunk = np.ascontiguousarray(hashvalues[b * ROWS:(b + 1) * ROWS]).tobytes()
        h = int.from_bytes(hashlib.blake2b(chunk, digest_size=8).digest(), "big") >> 1  # fits SQLite INTEGER
        out.append((b, h))
    return out


class MemoryIndex:
    """LSH bands in memory (for evaluation and benchmarks)."""

    def __init__(self):
        self.bands: dict[tuple[int, int], list[str]] = {}

    def candidates(self, keys: Iterable[tuple[int, int]]) -> set[str]:
        out: set[str] = set()
        for k in keys:
            out.update(self.bands.get(k, ()))
        return out

    def add(self, article_id: str, keys: Iterable[tuple[int, int]]) -> None:
        for k in keys:
            self.bands.setdefault(k, []).append(article_id)


class StoreIndex:
    """LSH bands in the store (`store.duplicates`)."""

    def __init__(self, bands: DuplicateBandsRepo):
        self.bands = bands

    def candidates(self, keys: Iterable[tuple[int, int]]) -> set[str]:
        return self.bands.candidates(keys)

    def add(self, article_id: str, keys: Iterable[tuple[int, int]]) -> None:
        self.bands.add(article_id, keys)


def find_duplicates(signed: Signed, index, shingles_of) -> list[tuple[str, float]]:
    """Confirmed near duplicates of `signed` among the index's candidates, best first.
    `shingles_of(id)` returns a candidate's shingle set (None if it is gone)."""
    found = []
    for cid in index.candidates(signed.keys):
        if cid == signed.id:
            continue
        other = shingles_of(cid)
        if other is None:
            continue
        j = jaccard(signed.shingles, other)
        if j >= JACCARD_MIN:
            found.append((cid, j))
    found.sort(key=lambda x: (-x[1], x[0]))
    return found


def _is_copy_of(a: dict, b: dict) -> bool:
    """True when article `a` looks like the copy and `b` the original: `a` credits `b`'s
    outlet, or `b` carries an earlier stated date."""
    src_b = (b.get("source") or "").lower()
    if src_b and src_b in {c.lower() for c in a.get("cites") or []}:
        return True
    src_a = (a.get("source") or "").lower()
    if src_a and src_a in {c.lower() for c in b.get("cites") or []}:
        return False
    pa, pb = a.get("published"), b.get("published")
    return bool(pa and pb and pb < pa)


def link_duplicates(store: Store) -> None:
    """Linker: set `duplicate_of` on articles that arrived since the last run."""
    last = store.link_state.last_seq("duplicates")
    index = StoreIndex(store.duplicates)
    cache: dict[str, Optional[set]] = {}

    def shingles_of(aid: str) -> Optional[set]:
        if aid not in cache:
            art = store.article(aid)
            cache[aid] = shingles(art["text"], SHINGLE_K) if art else None
        return cache[aid]

    def link(art: dict) -> None:
        signed = sign(art["id"], art["text"])
        cache[art["id"]] = signed.shingles
        matches = find_duplicates(signed, index, shingles_of)
        if matches:
            _attach(store, art, matches)
        index.add(art["id"], signed.keys)
        store.link_state.set_last_seq("duplicates", art["seq"])

    in_transactions(store, store.articles_since(last), link)


def _attach(store: Store, art: dict, matches: list[tuple[str, float]]) -> None:
    root_id = None
    for cid, _ in matches:
        root_id = store.duplicates.root_of(cid)
        if root_id is not None:
            break
    if root_id is None:
        return
    root = store.article(root_id)
    if root is not None and _is_copy_of(root, art) and not _is_copy_of(art, root):
        # the new article is the original: the whole group now points at it
        store.duplicates.make_root(art["id"], root_id)
    else:
        store.duplicates.set_duplicate_of(art["id"], root_id)


def duplicate_pairs(items: Iterable[tuple[str, str]]) -> list[tuple[str, str, float]]:
    """All confirmed near-duplicate pairs among (id, text) items, in memory (eval, bench)."""
    index = MemoryIndex()
    sh: dict[str, set] = {}
    pairs = []
    for aid, text in items:
        s = sign(aid, text)
        sh[aid] = s.shingles
        for cid, j in find_duplicates(s, index, sh.get):
            pairs.append((cid, aid, j))
        index.add(aid, s.keys)
    return pairs
