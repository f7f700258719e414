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
    story_dates: dict[str, dict] = {}  # article -> {(start, end): story-dated value}, read once
    claims = [_story_dated(c, store, story_dates) for c in store.records("claims")]
    articles = [{k: a.get(k) for k in ARTICLE_KEYS} for a in store.articles()]
    groups = group_claims(claims, articles) if claims else []
    with store.transaction():
        store.groups.replace(GROUP_KIND, groups)


def _story_dated(claim: dict, store: Store, cache: dict[str, dict]) -> dict:
    """A claim in an undated report keeps a yearless date ("XXXX-03-12") until the story
    dates its expression (storyline/link/story_dating.py): take that value for grouping."""
    date, span = claim.get("date"), claim.get("date_span")
    if not date or not str(date).startswith("XXXX") or not span:
        return claim
    if claim["article"] not in cache:
        cache[claim["article"]] = {(t["span"]["start"], t["span"]["end"]): t.get("value")
                                   for t in store.records("timexes", claim["article"]) if t.get("anchor") == "story"}
    value = cache[claim["article"]].get((span["start"], span["end"]))
    return {**claim, "date": value, "date_anchor": "story"} if value else claim
