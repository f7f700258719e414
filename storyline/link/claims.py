"""Claim groups across each story's articles (storyline/claims/groups.py decides what is the
same figure and its status).

Incremental: a claim group never spans two stories, so after a batch only the stories that
gained an article, or whose lineage moved (an old article now a copy of a new one), or
whose articles another linker noted (`changed("claims")`: a story merge moved them) are
regrouped, from their own claims and articles (plus the originals their copies point to).
The first run, and a run after `relink`, groups every story at once; so does a run where
some article has no story (no stories linker)."""
from __future__ import annotations

from typing import Iterable, Optional

from ..claims.groups import group_claims
from ..store.protocol import Store

GROUP_KIND = "claim"
LINKER = "claims"
ARTICLE_KEYS = ("id", "source", "published", "duplicate_of", "story", "cites", "dateline")


def link_claims(store: Store) -> dict:
    """Linker: regroup the claims of the stories that changed since the last run. Returns
    counts: `articles` (arrived), `stories` (regrouped; None when all were) and `claims`
    (claims read)."""
    last = store.link_state.last_seq(LINKER)
    arrived = store.link_state.arrivals(last)
    moved = store.link_state.changed(LINKER)  # articles a story merge moved
    if not arrived and not moved:
        return {"articles": 0, "stories": 0, "claims": 0}
    stories = dirty_stories(store, [a for a, _ in arrived], moved) if last else None
    story_dates: dict[str, dict] = {}  # article -> {(start, end): story-dated value}, read once
    if stories is None:  # everything
        claims = [_story_dated(c, store, story_dates) for c in store.records("claims")]
        articles = [{k: a.get(k) for k in ARTICLE_KEYS} for a in store.articles()]
    else:
        members = [a for ids in store.stories.members(stories).values() for a in ids]
        claims = [_story_dated(c, store, story_dates) for c in store.browse.records("claims", members)]
        articles = [{k: a.get(k) for k in ARTICLE_KEYS} for a in with_originals(store, members)]
    groups = group_claims(claims, articles) if claims else []
    save_regrouped(store, GROUP_KIND, LINKER, stories, groups, arrived)
    return {"articles": len(arrived), "stories": None if stories is None else len(stories), "claims": len(claims)}


def save_regrouped(store: Store, kind: str, linker: str, stories: Optional[list[str]],
                   groups: list[dict], arrived: list[tuple[str, int]],
                   moved: Iterable[str] = (), downstream: Optional[str] = None) -> None:
    """Store a per-story linker's groups in one transaction: all of them (`stories` None) or
    those of the regrouped stories, then mark its progress. `downstream` is a later linker
    that learns from this one, in the same transaction, what arrivals cannot tell it: the
    articles noted for this one (`moved`), or, after a regrouping of everything, that it
    must look at everything too (its marker back to 0)."""
    with store.transaction():
        if stories is None:
            store.groups.replace(kind, groups)
        else:
            # first the groups of a story merged into a regrouped one: its groups come back
            # under the surviving story, and a group with the same claims has the same id
            store.groups.drop_orphans(kind)
            store.groups.replace_stories(kind, stories, groups)
        if downstream and stories is None:
            store.link_state.set_last_seq(downstream, 0)
        elif downstream:
            store.link_state.mark_changed(downstream, moved)
        store.link_state.clear_changed(linker)
        if arrived:
            store.link_state.set_last_seq(linker, arrived[-1][1])


def dirty_stories(store: Store, article_ids: Iterable[str], also: Iterable[str] = ()) -> Optional[list[str]]:
    """The stories of these articles, of `also`, and of the articles that are now copies of
    one of them (a new article that became the original of an older group); None when one
    of them has no story (then every story is regrouped)."""
    ids = list(article_ids)
    placed = store.stories.placed([*ids, *also, *store.duplicates.copies_of(ids)])
    if any(sid is None for _seq, sid in placed.values()):
        return None
    return sorted({sid for _seq, sid in placed.values() if sid is not None})


def with_originals(store: Store, article_ids: list[str]) -> list[dict]:
    """These articles, and the originals (`duplicate_of`) they point to, which may sit in
    another story: a copy counts as its original's source."""
    out = store.browse.articles(article_ids)
    have = {a["id"] for a in out}
    want = {a["duplicate_of"] for a in out if a.get("duplicate_of")} - have
    while want:
        more = store.browse.articles(want)
        out += more
        have |= {a["id"] for a in more}
        want = {a["duplicate_of"] for a in more if a.get("duplicate_of")} - have
    return out


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
