"""Source lineage: where each article's copy comes from, and how many independent sources a
set of articles rests on.

An article's origin is found by following `duplicate_of` to the original, then taking the
wire agency its dateline credits ("KABUL (Reuters) -": the copy is Reuters copy), else its
own outlet, else (no outlet known) the article itself. Outlets cited inside the text ("told
Reuters", "according to the X Monitor") are kept in `cites` by ingest; they say where one
fact came from, not whose copy the article is, so they do not merge origins here.
"""
from __future__ import annotations

import re
from typing import Iterable, Mapping, Optional, Union

from ..ingest.outlets import longest_outlet_prefix
from ..text.datelines import WIRE_DATELINE as _WIRE_DATELINE
_MAX_HOPS = 20  # guard against a corrupt duplicate_of cycle


def wire_agency(text: str) -> Optional[str]:
    """The agency a dateline credits, e.g. 'WASHINGTON (Reuters) -' -> 'Reuters'."""
    m = _WIRE_DATELINE.match((text or "")[:200])
    return longest_outlet_prefix(m.group("a")) if m else None


def _key(name: str) -> str:
    return re.sub(r"^the\s+", "", " ".join(name.lower().split()))


def origin(article: dict, lookup) -> str:
    """A key naming the article's origin; `lookup(id)` returns an article dict or None."""
    root, seen = article, {article["id"]}
    for _ in range(_MAX_HOPS):
        nxt = root.get("duplicate_of")
        if not nxt or nxt in seen:
            break
        seen.add(nxt)
        parent = lookup(nxt)
        if parent is None:
            break
        root = parent
    wire = wire_agency(root.get("text") or "")
    if wire:
        return "outlet:" + _key(wire)
    if root.get("source"):
        return "outlet:" + _key(root["source"])
    return "article:" + root["id"]


def origins(store_or_articles: Union[object, Mapping, Iterable[dict]], article_ids: Iterable[str]) -> dict:
    """article id -> origin key, for the given ids (unknown ids are left out)."""
    lookup = _lookup(store_or_articles)
    out = {}
    for aid in article_ids:
        art = lookup(aid)
        if art is not None:
            out[aid] = origin(art, lookup)
    return out


def independent_sources(store_or_articles, article_ids: Iterable[str]) -> int:
    """How many independent sources the articles rest on: duplicates and syndicated copies
    collapse onto their original, wire copy onto the wire, and one outlet counts once.

    `store_or_articles`: a store (anything with `.article(id)`), a mapping id -> article,
    or an iterable of article dicts."""
    return len(set(origins(store_or_articles, article_ids).values()))


def _lookup(src):
    if hasattr(src, "article"):
        cache: dict = {}

        def get(aid):
            if aid not in cache:
                cache[aid] = src.article(aid)
            return cache[aid]

        return get
    if isinstance(src, Mapping):
        return src.get
    by_id = {a["id"]: a for a in src}
    return by_id.get
