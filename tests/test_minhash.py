"""The duplicates linker's MinHash and LSH split, written out in numpy so that linking does
not import datasketch (and scipy), are datasketch's own: the same hash values bit for bit,
so the stored LSH bands (`dup_bands`) of existing stores stay valid."""
from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

from storyline.link.duplicates import BANDS, LSH_THRESHOLD, NUM_PERM, ROWS, SHINGLE_K, band_keys, minhash, sign
from storyline.link.textfeat import shingles

datasketch = pytest.importorskip("datasketch")

SAMPLE = Path(__file__).resolve().parents[1] / "examples" / "sample"


def _reference(items) -> np.ndarray:
    mh = datasketch.MinHash(num_perm=NUM_PERM)
    mh.update_batch([s.encode("utf-8") for s in items])
    return mh.hashvalues


def test_lsh_split_is_datasketchs():
    lsh = datasketch.MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    assert (BANDS, ROWS) == (lsh.b, lsh.r)


def test_minhash_matches_datasketch_on_the_sample_corpus():
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(SAMPLE.iterdir()) if p.is_file()]
    assert len(texts) >= 10
    for text in texts:
        sh = shingles(text, SHINGLE_K)
        ours, ref = minhash(sh), _reference(sh)
        assert ours.dtype == ref.dtype and ours.tobytes() == ref.tobytes()
        assert band_keys(ours) == band_keys(ref)
        assert sign("x", text).keys == (band_keys(ref) if len(sh) >= 8 else [])


def test_minhash_matches_datasketch_on_random_sets():
    rnd = random.Random(7)
    alphabet = "abcdefghij klmnop\u00e9\u4e2d\U0001f600"
    for n in (0, 1, 2, 5, 50, 700):
        items = {"".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 12))) for _ in range(n)}
        ours, ref = minhash(items), _reference(items)
        assert ours.dtype == ref.dtype and ours.tobytes() == ref.tobytes(), n
