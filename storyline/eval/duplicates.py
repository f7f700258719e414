"""`storyline eval duplicates PATH`: near-duplicate detection on a generated test set.

No public set of syndicated news copies is in the development data, so the test set is
made at run time, deterministically (seeded), from real articles: the PolNeAR dev texts and
the ECB+ articles found under PATH. Each original gets one or two copies made by the edits
syndication and reposting really make: a new headline and byline (or a "Posted on ... by"
line), a new or changed dateline, one to three sentences dropped, up to two sentences from
another article added, straight quotes made curly or curly ones straight, paragraphs joined.
Gold pairs are the original with its copies and the copies with each other; every other
pair is a negative (the hardest: different articles about the same ECB+ event).

Splits (issue 10): an original and its copies belong to `tune` when the original is in the
first half of the name-sorted PolNeAR dev texts or in ECB+ topics 1-25, else to `validation`;
a half's gold pairs are its own, its predicted pairs every pair touching it (a false join
across halves counts against both). `all` is every pair.
"""
from __future__ import annotations

import random
import re
from itertools import combinations
from pathlib import Path
from typing import Optional

from scipy.cluster.hierarchy import DisjointSet

from ..errors import Codes, UsageError
from ..link.duplicates import JACCARD_MIN, SHINGLE_K, duplicate_pairs
from ..link.textfeat import jaccard, shingles
from .metrics import prf

_SENT = re.compile(r"(?<=[.!?\"'\u201d])\s+(?=[\"'\u201c]?[A-Z0-9])|\n+")
_OUTLETS = ["Harbour Ledger", "Northgate Times", "Valley Dispatch Blog", "Coastline Radio News", "Daily Courier"]
_NAMES = ["Ana Ruiz", "Tom Okafor", "Lena Brandt", "Sam Patel", "World Desk", "valleywatcher"]


def source_texts(path: str, limit: Optional[int] = None) -> list[tuple[str, str, str]]:
    """(name, group, text): PolNeAR dev texts and ECB+ articles under `path` (the shared
    data folder, a folder of .txt files, or an ECB+ folder). `group` is the ECB+ sub-topic."""
    base = Path(path)
    if not base.is_dir():
        return []
    out: list[tuple[str, str, str]] = []
    pol = base / "polnear" / "dev" / "text"
    txt_dir = pol if pol.is_dir() else (base if any(base.glob("*.txt")) else None)
    if txt_dir is not None:
        for f in sorted(txt_dir.glob("*.txt")):
            out.append((f"polnear/{f.stem}", f"polnear/{f.stem}", f.read_text("utf-8", errors="replace")))
    ecb = base / "ecbplus" if (base / "ecbplus").is_dir() else (base if (base / "1").is_dir() else None)
    if ecb is not None:
        from .ecbplus import read_corpus

        for d in read_corpus(str(ecb)):
            out.append((f"ecb/{d.name}", d.subtopic, d.text))
    return out[:limit] if limit else out


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENT.split(text) if s and s.strip()]


def _swap_quotes(text: str, rng: random.Random) -> str:
    if "\u201c" in text or "\u2019" in text:
        return re.sub("[\u201c\u201d]", '"', text).replace("\u2019", "'")
    opened = [False]

    def curl(m):
        opened[0] = not opened[0]
        return "\u201c" if opened[0] else "\u201d"

    text = re.sub('"', curl, text)
    return re.sub(r"(?<=\w)'(?=\w)", "\u2019", text)


def make_copy(text: str, other: str, rng: random.Random) -> str:
    """A syndicated or reposted copy of `text` (sentences from `other` may be added)."""
    sents = sentences(text)
    n_drop = min(rng.randint(1, 3), max(0, len(sents) // 5))
    for _ in range(n_drop):
        sents.pop(rng.randrange(1, len(sents)) if len(sents) > 1 else 0)
    extra = sentences(other)
    for _ in range(rng.randint(0, min(2, max(1, len(sents) // 5)))):
        if extra:
            sents.insert(rng.randint(1, len(sents)), rng.choice(extra))
    if sents and rng.random() < 0.5:  # a new or changed dateline
        sents[0] = re.sub(r"^[A-Z][A-Z .,'\-]{2,40}(\([^)]{1,30}\))?\s*[-\u2014:]+\s*", "", sents[0])
        sents[0] = f"{rng.choice(['WASHINGTON', 'LONDON', 'NEW YORK'])} ({rng.choice(_OUTLETS)}) - {sents[0]}"
    sep = "\n\n" if rng.random() < 0.7 else " "
    body = sep.join(sents)
    if rng.random() < 0.7:
        body = _swap_quotes(body, rng)
    outlet = rng.choice(_OUTLETS)
    if rng.random() < 0.5:
        header = f"{sents[0][:60] if sents else 'Report'} (wire copy)\nBy {rng.choice(_NAMES)}, {outlet}\n\n"
    else:
        header = f"Posted on March {rng.randint(1, 28)}, 2026 by {rng.choice(_NAMES)}\n\n"
    trailer = f"\n\nSource: {rng.choice(_OUTLETS)}" if rng.random() < 0.5 else ""
    return header + body + trailer


def distinct_sources(src: list) -> tuple[list, int]:
    """Drop source articles that are already near copies of an earlier one (ECB+ holds some
    wire stories printed twice), so that negatives are truly distinct. The cut (Jaccard
    0.3) is well under the detector's threshold, so the choice does not flatter it."""
    from ..link.duplicates import MemoryIndex, sign

    index, sh, keep = MemoryIndex(), {}, []
    for name, grp, text in src:
        s = sign(name, text)
        sh[name] = s.shingles
        if any(jaccard(s.shingles, sh[c]) >= 0.3 for c in index.candidates(s.keys)):
            continue
        index.add(name, s.keys)
        keep.append((name, grp, text))
    return keep, len(src) - len(keep)


def build_set(path: str, seed: int = 13, limit: Optional[int] = None):
    """Items (id, text), gold clusters of ids, each id's hard-negative group, and the
    number of source articles dropped as near copies of others."""
    rng = random.Random(seed)
    src, dropped = distinct_sources(source_texts(path, limit))
    items, clusters, group = [], [], {}
    for name, grp, text in src:
        items.append((name, text))
        group[name] = grp
        cluster = [name]
        for c in range(1 if rng.random() < 0.7 else 2):
            other = src[rng.randrange(len(src))][2]
            cid = f"{name}#copy{c + 1}"
            items.append((cid, make_copy(text, other, rng)))
            group[cid] = grp
            cluster.append(cid)
        clusters.append(cluster)
    rng.shuffle(items)  # copies do not always arrive after their original
    return items, clusters, group, dropped


def _groups(pairs) -> list[set]:
    """The connected components of the pairs."""
    ds = DisjointSet()
    for a, b in map(tuple, pairs):
        ds.add(a)
        ds.add(b)
        ds.merge(a, b)
    return ds.subsets()


def split_of(names: list[str]) -> dict:
    """Original name -> 'tune' | 'validation' (see the module note)."""
    from .ecbplus import topic_split

    pol = sorted(n for n in names if n.startswith("polnear/"))
    half = {n: ("tune" if i < (len(pol) + 1) // 2 else "validation") for i, n in enumerate(pol)}
    for n in names:
        if n.startswith("ecb/"):
            half[n] = topic_split(n[4:].split("_")[0])
    return half


def _split_scores(pred: set, gold: set, half: dict) -> dict:
    def of(item):
        return half.get(item.split("#")[0], "validation")

    out = {}
    for name in ("tune", "validation"):
        g = {p for p in gold if all(of(i) == name for i in p)}
        pr = {p for p in pred if any(of(i) == name for i in p)}
        out[name] = prf(len(pr & g), len(pr), len(g))
    out["all"] = prf(len(pred & gold), len(pred), len(gold))
    return out


def evaluate(path: str, limit: Optional[int] = None, details: bool = False, seed: int = 13) -> dict:
    items, clusters, group, dropped = build_set(path, seed, limit)
    if not clusters:
        raise UsageError(Codes.E001, f"no PolNeAR dev texts, .txt files or ECB+ folders under {path}")
    gold = {frozenset(p) for c in clusters for p in combinations(c, 2)}
    direct = {frozenset((a, b)) for a, b, _ in duplicate_pairs(items)}
    # the system keeps duplicate groups (every copy points at one root), so pairs are
    # scored over the groups: the transitive closure of the confirmed pairs
    pred = {frozenset(p) for g in _groups(direct) for p in combinations(sorted(g), 2)}
    tp = len(pred & gold)
    texts = dict(items)
    sh = {k: shingles(v, SHINGLE_K) for k, v in texts.items()}
    gold_j = sorted(jaccard(sh[a], sh[b]) for a, b in map(tuple, gold))
    # hard negatives: different originals of the same ECB+ sub-topic
    by_group: dict[str, list[str]] = {}
    for c in clusters:
        by_group.setdefault(group[c[0]], []).append(c[0])
    neg_j = [jaccard(sh[a], sh[b]) for ids in by_group.values() for a, b in combinations(ids, 2)]
    out = {
        "task": "duplicates", "seed": seed, "originals": len(clusters),
        "sources_dropped_as_near_copies": dropped, "articles": len(items),
        "gold_pairs": len(gold), "jaccard_min": JACCARD_MIN,
        "pairs": prf(tp, len(pred), len(gold)),
        "split": "tune = first half of the name-sorted PolNeAR dev texts and ECB+ topics 1-25, "
                 "validation = the rest",
        "splits": _split_scores(pred, gold, split_of([c[0] for c in clusters])),
        "direct_pairs": prf(len(direct & gold), len(direct), len(gold)),
        "gold_pair_jaccard": {"min": round(gold_j[0], 3) if gold_j else None,
                              "p05": round(gold_j[len(gold_j) // 20], 3) if gold_j else None},
        "same_event_negative_pairs": len(neg_j),
        "same_event_negative_jaccard_max": round(max(neg_j), 3) if neg_j else None,
    }
    if details:
        out["false_positives"] = sorted(sorted(p) for p in pred - gold)[:50]
        out["false_negatives"] = [[*sorted(p), round(jaccard(sh[min(p)], sh[max(p)]), 3)] for p in sorted(gold - pred, key=sorted)][:50]
    return out
