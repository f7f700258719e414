"""Claim groups across each story's articles (storyline/claims/groups.py decides what is the
same figure and its status). Recomputed over every claim after each batch: grouping needs
the final story assignment and source lineage of every article, both of which a new
article can change."""
from __future__ import annotations

from ..claims.groups import group_claims
from ..store.protocol import Store

GROUP_KIND = "claim"
ARTICLE_KEYS = ("id", "source", "published", "duplicate_of", "story", "cites", "dateline")


def link_claims(store: Store) -> None:
    claims = list(store.records("claims"))
    articles = [{k: a.get(k) for k in ARTICLE_KEYS} for a in store.articles()]
    groups = group_claims(claims, articles) if claims else []
    with store.transaction():
        store.groups.replace(GROUP_KIND, groups)
