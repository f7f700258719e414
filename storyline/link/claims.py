"""Claim groups across each story's articles (storyline/claims/groups.py decides what is the
same figure and its status).

Incremental: a claim group never spans two stories, so after a batch only the stories that
gained an article, or whose lineage moved (an old article now a copy of a new one), or
whose articles another linker noted (`changed("claims")`: a story merge moved them) are
touched. Such a story is updated from what arrived when its clustering state is stored
(`GroupTable`, migration 9): the stored claims after the first arrival in clustering order
(published, article, span start) are clustered again with the arrivals from the state
before them (`claims.groups.replay_story`), and only the groups whose members changed, or
that hold a claim of a relinked copy, are recomputed from their members (read by id); the
others are kept as stored. The result, and the order readers see, are those of regrouping
the story whole (`tests/test_group_append.py`). A story merge, a story without a stored
state (new, or grouped before migration 9), or a claim its story now dates otherwise
regroups the story whole, from its own claims and articles (plus the originals their
copies point to), and stores its state. The first run, and a run after `relink`, groups
every story at once; so does a run where some article has no story (no stories linker)."""
from __future__ import annotations

import json
from typing import Iterable, Optional

from ..claims.groups import (blocks_of, claim_id, group_claims, group_of, key_words, load_index, order_key,
                             replay_story)
from ..store.protocol import Store

GROUP_KIND = "claim"
LINKER = "claims"
ARTICLE_KEYS = ("id", "source", "published", "duplicate_of", "story", "cites", "dateline")


def link_claims(store: Store) -> dict:
    """Linker: update the claim groups of the stories that changed since the last run.
    Returns counts: `articles` (arrived), `stories` (regrouped whole; None when all were),
    `appended` (stories updated from what arrived, `replay_story`), `claims` (claims read),
    `groups` (stored groups read to be updated), and of the claims read in appended
    stories, `replayed` (stored claims after the first arrival, clustered again) and
    `members` (earlier members of the groups that changed)."""
    last = store.link_state.last_seq(LINKER)
    arrived = store.link_state.arrivals(last)
    moved = store.link_state.changed(LINKER)  # articles a story merge moved
    if not arrived and not moved:
        return {"articles": 0, "stories": 0, "appended": 0, "claims": 0, "groups": 0, "replayed": 0, "members": 0}
    story_dates: dict[str, dict] = {}  # article -> {(start, end): story-dated value}, read once
    plans = _append_plans(store, arrived, moved, story_dates) if last else None
    if plans is None:  # everything
        claims = [_story_dated(c, store, story_dates) for c in store.records("claims")]
        articles = [{k: a.get(k) for k in ARTICLE_KEYS} for a in store.articles()]
        state: dict = {}
        groups = group_claims(claims, articles, state=state) if claims else []
        with store.transaction():
            store.groups.replace(GROUP_KIND, groups, state)
            _done(store, arrived)
        return {"articles": len(arrived), "stories": None, "appended": 0, "claims": len(claims), "groups": 0,
                "replayed": 0, "members": 0}
    whole, appended = plans
    state = {}
    groups: list[dict] = []
    n_claims = sum(p["read"] for p in appended.values())
    if whole:
        members = [a for ids in store.stories.members(whole).values() for a in ids]
        claims = [_story_dated(c, store, story_dates) for c in store.browse.records("claims", members)]
        articles = [{k: a.get(k) for k in ARTICLE_KEYS} for a in with_originals(store, members)]
        groups = group_claims(claims, articles, state=state) if claims else []
        n_claims += len(claims)
    for story in whole:  # a story without claims: an empty state, so the next batch appends
        state.setdefault(story, {"clusters": 0, "pos": {}, "members": [], "blocks": []})
    of_story: dict[str, list[dict]] = {}
    for g in groups:
        of_story.setdefault(g["story"], []).append(g)
    with store.transaction():
        # first the groups of a story merged into a regrouped one: its groups come back
        # under the surviving story, and a group with the same claims has the same id
        store.groups.drop_orphans(GROUP_KIND)
        store.groups.replace_stories(GROUP_KIND, whole, [])  # all of them first: a claim may change story
        # readers see groups in the order written: these stories' last, in the order grouping gives
        for story in sorted([*whole, *appended], key=str):
            plan = appended.get(story)
            if plan is None:
                store.groups.replace_stories(GROUP_KIND, [story], of_story.get(story, []), {story: state[story]})
            else:
                store.groups.update_story(GROUP_KIND, story, plan["clusters"], plan["groups"], plan["drop_members"],
                                          plan["members"], plan["drop_blocks"], plan["blocks"])
        _done(store, arrived)
    return {"articles": len(arrived), "stories": len(whole), "appended": len(appended), "claims": n_claims,
            "groups": sum(p["groups_read"] for p in appended.values()),
            "replayed": sum(p["replayed"] for p in appended.values()),
            "members": sum(p["members_read"] for p in appended.values())}


def _done(store: Store, arrived: list[tuple[str, int]]) -> None:
    store.link_state.clear_changed(LINKER)
    if arrived:
        store.link_state.set_last_seq(LINKER, arrived[-1][1])


def _append_plans(store: Store, arrived: list[tuple[str, int]], moved: list[str],
                  story_dates: dict) -> Optional[tuple[list[str], dict[str, dict]]]:
    """(stories to regroup whole, story -> its update); None when every story is to be
    regrouped (an article without a story). The stories that gained an article, and those
    of the stored articles that are now copies of an arrival (a lineage move: their claims
    count as another source), are updated (`_append_plan`); a story that a story merge
    changed, or with no stored clustering state, is regrouped whole."""
    ids = [a for a, _ in arrived]
    copies = store.duplicates.copies_of(ids)
    relinked, frontier = set(copies), copies  # and the copies of those: their original moved too
    while frontier:
        frontier = [a for a in store.duplicates.copies_of(frontier) if a not in relinked]
        relinked.update(frontier)
    placed = store.stories.placed([*ids, *moved, *copies])
    if any(sid is None for _seq, sid in placed.values()):
        return None
    whole = {placed[a][1] for a in moved if a in placed}
    of_story: dict[str, list[str]] = {}
    for a in ids:
        if a in placed:
            of_story.setdefault(str(placed[a][1]), []).append(a)
    lineage = {str(placed[a][1]) for a in copies if a in placed}
    forced: dict[str, list[str]] = {}
    for a, (_seq, sid) in store.stories.placed(relinked).items():
        if sid in lineage:
            forced.setdefault(sid, []).append(a)
    candidates = sorted((set(of_story) | lineage) - whole)
    known = store.groups.clusters(GROUP_KIND, candidates)
    appended = {}
    for story in candidates:
        plan = _append_plan(store, story, of_story.get(story, []), known[story], story_dates,
                            forced.get(story, [])) if story in known else None
        if plan is None:
            whole.add(story)
        else:
            appended[story] = plan
    return sorted(s for s in whole if s is not None), appended


def _append_plan(store: Store, story: str, arrived: list[str], clusters: int, story_dates: dict,
                 relinked: list[str]) -> Optional[dict]:
    """One story's update from its arrived articles (`replay_story`): the stored claims
    after the first arrived one in clustering order are replayed with the arrivals, and
    only the groups whose members changed, or that hold a claim of a `relinked` article
    (another original now), are recomputed, from their members' claims. None when the
    story must be regrouped whole: a claim its story dated has another date now, or the
    stored state does not match the stored claims."""
    for article, dated in store.groups.dated_members(GROUP_KIND, story):
        start, end, value = json.loads(dated)
        if _story_value(store, article, (start, end), story_dates) != value:
            return None
    new = [_story_dated(c, store, story_dates) for c in store.browse.records("claims", arrived)] if arrived else []
    forced = store.groups.clusters_of(GROUP_KIND, story, relinked) if relinked else set()
    plan: dict = {"clusters": clusters, "groups": {}, "drop_members": [], "members": [], "drop_blocks": [],
                  "blocks": [], "read": len(new), "groups_read": 0, "replayed": 0, "members_read": 0}
    if not new and not forced:
        return plan
    by_id = {a["id"]: {k: a.get(k) for k in ARTICLE_KEYS} for a in with_originals(store, arrived)}
    suffix: list[tuple] = []
    old: list[dict] = []
    replay: list[dict] = []
    placed: list[int] = []
    members: list[tuple] = []
    blocks: list[tuple] = []
    drop_blocks: list[tuple] = []
    first = count = clusters
    have_words: dict[str, set[str]] = {}
    if new:
        after = min(order_key(c, by_id)[:2] for c in new)
        suffix = [r for r in store.groups.members_from(GROUP_KIND, story, after[0]) if (r[0], r[1]) > after]
        later = list(dict.fromkeys(r[1] for r in suffix))
        old = [_story_dated(c, store, story_dates) for c in store.browse.records("claims", later)] if later else []
        if sorted(claim_id(c) for c in old) != sorted(r[3] for r in suffix):
            return None
        plan["read"] += len(old)
        plan["replayed"] = len(old)
        by_id.update({a["id"]: {k: a.get(k) for k in ARTICLE_KEYS} for a in with_originals(store, later)})
        replay = sorted([*old, *new], key=lambda c: order_key(c, by_id))
        words = [key_words(c) for c in replay]
        have_words.update({claim_id(c): w for c, w in zip(replay, words)})
        keys = {k for c, w in zip(replay, words) for k in blocks_of(c, w)}
        index, drop_blocks = load_index(store.groups.blocks(GROUP_KIND, story, keys), after)
        first = min((r[4] for r in suffix if r[5]), default=clusters)  # clusters opened in the suffix go
        placed, members, blocks, count = replay_story(index, first, replay, words, by_id)
    # the clusters that lost or gained members, those the suffix had opened, and the relinked
    touched = {r[4] for r in suffix} | set(placed) | set(range(first, clusters)) | forced
    wanted = [k for k in touched if k < clusters]
    stored = store.groups.at(GROUP_KIND, story, wanted)
    plan["groups_read"] = len(stored)
    if len(stored) != len(wanted):
        return None
    gone = {r[3] for r in suffix}
    joined: dict[int, list[dict]] = {}
    for c, k in zip(replay, placed):
        joined.setdefault(k, []).append(c)
    changed = {}
    for k in sorted(touched):
        if k >= count:
            continue
        kept = [cid for cid in stored[k]["claims"] if cid not in gone] if k in stored else []
        if k not in forced and k in stored and kept + [claim_id(c) for c in joined.get(k, [])] == stored[k]["claims"]:
            continue
        changed[k] = kept
    # the changed groups' earlier members, read by id
    want = [cid for kept in changed.values() for cid in kept]
    have = {claim_id(c): c for c in [*old, *new]}
    if want:
        more = [_story_dated(c, store, story_dates) for c in store.groups.member_records("claims", want)]
        plan["read"] += len(more)
        plan["members_read"] = len(more)
        have.update({claim_id(c): c for c in more})
        arts = sorted({c["article"] for c in more} - set(by_id))
        by_id.update({a["id"]: {k: a.get(k) for k in ARTICLE_KEYS} for a in with_originals(store, arts)})
    for k, kept in changed.items():
        if any(cid not in have for cid in kept):
            return None
        group = [have[cid] for cid in kept] + joined.get(k, [])
        plan["groups"][k] = group_of(group, [have_words.get(claim_id(c)) or key_words(c) for c in group], by_id)
    plan.update(clusters=count, drop_members=[r[:4] for r in suffix], members=members,
                drop_blocks=drop_blocks, blocks=blocks)
    return plan


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


def _story_value(store: Store, article: str, span: tuple[int, int], cache: dict[str, dict]):
    if article not in cache:
        cache[article] = {(t["span"]["start"], t["span"]["end"]): t.get("value")
                          for t in store.records("timexes", article) if t.get("anchor") == "story"}
    return cache[article].get(span)


def _story_dated(claim: dict, store: Store, cache: dict[str, dict]) -> dict:
    """A claim in an undated report keeps a yearless date ("XXXX-03-12") until the story
    dates its expression (storyline/link/story_dating.py): take that value for grouping."""
    date, span = claim.get("date"), claim.get("date_span")
    if not date or not str(date).startswith("XXXX") or not span:
        return claim
    value = _story_value(store, claim["article"], (span["start"], span["end"]), cache)
    return {**claim, "date": value, "date_anchor": "story"} if value else claim
