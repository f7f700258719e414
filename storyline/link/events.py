"""Event groups: the same happening reported by several articles of a story is one group
with its independent-source count (storyline/events/groups.py decides what is the same).
Actors and recipients are first resolved to the corpus's canonical entities, so "Ankara"
and "Turkey" in two reports are one party.

Incremental, like claim groups: only the stories that gained an article, whose lineage
moved, or one of whose articles' canonical actors moved (noted by the actors linker) or
that a story merge moved are touched; the first run, a run after `relink`, and a run where
some article has no story group every story at once. A touched story is updated from what
arrived when its state is stored (`GroupTable`, the migration-9 tables with kind "event"):
each event's component of the same-happening graph (`group_members`: its place in the
story's order, its component, what grouping reads of it as resolved then, its group) and
each component's distinct signatures per block (`group_blocks`). The grouping depends on
the order only inside a component (`events/groups.py`), so: the events of the arrivals and
of the articles a story merge brought are added, those of the articles whose actors moved
are resolved again (their stored components are dissolved: they may split); the stored
components the added events are the same happening with (found through the blocks) are
joined with them; these, and the components holding an article now a copy of an arrival
(another count of sources), alone are grouped again, from their members as stored (no
record is read and no actor resolved but those of the articles named above). The other
groups stay as stored, and readers see the story's groups as a whole regroup writes them
(`tests/test_event_append.py`). A story with no stored state (new, or grouped before), or
whose state holds an article a story merge took away, is regrouped whole and stores its
state. The articles noted for it (story merges, moved actors) are passed on to the briefing
linker, which has no other way to know them; a regrouping of everything sends the briefing
linker over everything too."""
from __future__ import annotations

import json
from typing import Callable, Iterable, Optional

from ..events.extract import DEFAULT_THRESHOLD
from ..events.groups import (UnionFind, connect, group_events, grouping_fields, same_happening, signature,
                             signature_blocks, signature_key)
from ..store.protocol import Store
from .actors import actor_resolver
from .briefing import LINKER as BRIEFING
from .claims import with_originals

GROUP_KIND = "event"
LINKER = "events"
ARTICLE_KEYS = ("id", "source", "duplicate_of", "story")
SMALL = 24  # up to this many events, every pair is compared (`exhaustive`: the same groups, sooner)


def resolved_events(store: Store, min_confidence: float = DEFAULT_THRESHOLD,
                    articles: Optional[Iterable[str]] = None) -> list[dict]:
    """Stored events (of `articles`, else of every article) at or above `min_confidence`,
    actor and recipient as `{entity, name, text, span}` where the actors linker knows the
    entity."""
    if articles is None:
        resolve, events = actor_resolver(store), store.records("events")
        return [_resolve_parties(e, resolve) for e in events if (e.get("confidence") or 0) >= min_confidence]
    kept = [e for e in store.browse.records("events", list(dict.fromkeys(articles)))
            if (e.get("confidence") or 0) >= min_confidence]
    # only the actors of the articles with a party to resolve are read
    with_party = [e["article"] for e in kept if any((e.get(k) or {}).get("span") for k in ("actor", "recipient"))]
    resolve = actor_resolver(store, list(dict.fromkeys(with_party)))
    return [_resolve_parties(e, resolve) for e in kept]


def _resolve_parties(event: dict, resolve: Callable[[str, int, int], Optional[dict]]) -> dict:
    out = dict(event)
    for key in ("actor", "recipient"):
        party = event.get(key)
        if not party or not party.get("span"):
            continue
        found = resolve(event["article"], party["span"]["start"], party["span"]["end"])
        out[key] = {"entity": (found or {}).get("entity"), "name": (found or {}).get("name") or party.get("text"),
                    **party}
    return out


def link_events(store: Store) -> dict:
    """Linker: update the event groups of the stories that changed since the last run.
    Returns counts: `articles` (arrived), `stories` (regrouped whole; None when all were),
    `appended` (stories updated from what arrived), `events` (events read from the
    records) and `members` (stored members of the components grouped again)."""
    last = store.link_state.last_seq(LINKER)
    arrived = store.link_state.arrivals(last)
    moved = store.link_state.changed(LINKER)
    if not arrived and not moved:
        return {"articles": 0, "stories": 0, "appended": 0, "events": 0, "members": 0}
    ids = [a for a, _ in arrived]
    copies = store.duplicates.copies_of(ids) if last else []
    placed = store.stories.placed([*ids, *moved, *copies]) if last else {}
    if not last or any(sid is None for _seq, sid in placed.values()):
        arts_all = list(store.articles())
        arts = {str(a["id"]): {k: a.get(k) for k in ARTICLE_KEYS} for a in arts_all}
        events = resolved_events(store)
        groups, every, _first = _group(events, arts, {a["id"]: a["seq"] for a in arts_all})
        with store.transaction():
            store.groups.replace(GROUP_KIND, groups, every)
            store.link_state.set_last_seq(BRIEFING, 0)  # the briefing linker looks at everything too
            _done(store, arrived)
        return {"articles": len(arrived), "stories": None, "appended": 0, "events": len(events), "members": 0}
    stories = sorted({str(sid) for _seq, sid in placed.values()})
    whole, forget, plans, n_events, n_members = _plans(store, stories, arrived, moved, copies, placed)
    state: dict[str, dict] = {}
    of_story: dict[str, list[dict]] = {}
    first: dict[str, int] = {}
    if whole:
        members = [a for ids_ in store.stories.members(whole).values() for a in ids_]
        arts_list = with_originals(store, members)
        events = resolved_events(store, articles=members)
        n_events += len(events)
        groups, state, first = _group(events, {str(a["id"]): {k: a.get(k) for k in ARTICLE_KEYS} for a in arts_list},
                                      {a["id"]: a["seq"] for a in arts_list})
        for g in groups:
            of_story.setdefault(g["story"], []).append(g)
    for story in whole:  # a story without events: an empty state, so the next batch appends
        state.setdefault(story, {"clusters": 0, "pos": {}, "members": [], "blocks": []})
    stored_first = store.groups.first_members(GROUP_KIND, list(plans))
    for story, plan in plans.items():
        known = [int(stored_first[story])] if story in stored_first else []
        if known or plan["first"] is not None:
            first[story] = min(known + ([plan["first"]] if plan["first"] is not None else []))
    with store.transaction():
        # first the groups of a story merged into a regrouped one: its groups come back
        # under the surviving story, and a group with the same events has the same id
        store.groups.drop_orphans(GROUP_KIND)
        store.groups.replace_stories(GROUP_KIND, whole, [])  # all of them first: an event may change story
        if forget:
            store.groups.forget(GROUP_KIND, forget)
        for story in whole:
            if story not in first:  # no events: no groups, only its (empty) state
                store.groups.replace_stories(GROUP_KIND, [story], [], {story: state[story]})
        # readers see a regrouped story's groups last, stories in order of their first event
        for story in sorted(first, key=lambda s: first[s]):
            if story not in plans:
                store.groups.replace_stories(GROUP_KIND, [story], of_story.get(story, []), {story: state[story]})
            else:
                plan = plans[story]
                store.groups.update_components(GROUP_KIND, story, plan["clusters"], plan["drop_ids"], plan["groups"],
                                               plan["drop_members"], plan["members"], plan["drop_blocks"],
                                               plan["blocks"])
        # the briefing linker (after this one) hears of the articles whose actors or story moved
        store.link_state.mark_changed(BRIEFING, moved)
        _done(store, arrived)
    return {"articles": len(arrived), "stories": len(whole), "appended": len(plans), "events": n_events,
            "members": n_members}


def _done(store: Store, arrived: list[tuple[str, int]]) -> None:
    store.link_state.clear_changed(LINKER)
    if arrived:
        store.link_state.set_last_seq(LINKER, arrived[-1][1])


def _plans(store: Store, stories: list[str], arrived: list[tuple[str, int]], moved: list[str], copies: list[str],
           placed: dict) -> tuple[list[str], list[str], dict[str, dict], int, int]:
    """(stories to regroup whole, stories whose state only is to be dropped, story -> its
    update, events read, stored members read). A story with no stored state, and one whose
    stored state holds an article a story merge took away, are regrouped whole; the others
    are updated (`_plan`) from their arrivals and their articles noted in `moved` (actors
    moved: their events are resolved again; a story merge brought them: they are new to
    the story)."""
    held = store.groups.member_stories(GROUP_KIND, [a for a in moved if a in placed])
    stale = {s for a, s in held.items() if s != str(placed[a][1])}
    whole = stale & set(stories)
    forget = sorted(stale - set(stories))
    candidates = [s for s in stories if s not in whole]
    known = store.groups.clusters(GROUP_KIND, candidates)
    whole |= {s for s in candidates if s not in known}
    seq_of = {a: seq for a, (seq, _sid) in placed.items()}
    story_of = {a: str(sid) for a, (_seq, sid) in placed.items()}
    again = [a for a in dict.fromkeys([*(a for a, _ in arrived), *moved]) if story_of.get(a) in known]
    new = resolved_events(store, articles=again) if again else []
    by_story: dict[str, list[dict]] = {}
    for e in new:
        by_story.setdefault(story_of[e["article"]], []).append(e)
    copies_of: dict[str, list[str]] = {}
    for a in copies:
        if a in story_of:
            copies_of.setdefault(story_of[a], []).append(a)
    removed: dict[str, list[str]] = {}  # articles whose stored events are resolved again
    for a, s in held.items():
        if s == story_of[a]:
            removed.setdefault(s, []).append(a)
    plans: dict[str, dict] = {}
    n_members = 0
    for story in [s for s in candidates if s in known]:
        plan = _plan(store, story, by_story.get(story, []), copies_of.get(story, []), removed.get(story, []),
                     known[story], seq_of)
        if plan is None:
            whole.add(story)
        else:
            plans[story] = plan
            n_members += plan["read"]
    return sorted(whole), forget, plans, len(new), n_members


def _place(seq: int, event: dict) -> tuple[str, int, str]:
    """An event's place in its story's order as the store gives records (article's arrival,
    span start, id): (published: the arrival zero-padded, start, id)."""
    start = (event.get("span") or {}).get("start")
    return f"{seq:012d}", -1 if start is None else start, str(event["id"])


def _plan(store: Store, story: str, new: list[dict], copies: list[str], removed: list[str], clusters: int,
          seq_of: dict[str, int]) -> Optional[dict]:
    """One story's update. `new`: events to add (of arrivals, of articles a story merge
    brought, and of `removed`: articles whose stored events go, their actors moved). The
    components holding a removed event are dissolved (their other members connected
    again: they may split); the stored components a new event is the same happening with
    (found through `group_blocks`) are joined with it; those, and the components holding
    an article now a copy of an arrival, are grouped again from their members in order.
    None when the stored state does not match (the story is then regrouped whole)."""
    plan: dict = {"clusters": clusters, "drop_ids": [], "groups": [], "drop_members": [], "members": [],
                  "drop_blocks": [], "blocks": [], "read": 0,
                  "first": min((seq_of[e["article"]] for e in new), default=None)}
    forced = store.groups.clusters_of(GROUP_KIND, story, copies) if copies else set()
    dissolved = store.groups.clusters_of(GROUP_KIND, story, removed) if removed else set()
    if not new and not forced and not dissolved:
        return plan
    drows = store.groups.members_in(GROUP_KIND, story, dissolved) if dissolved else []
    if {r[4] for r in drows} != dissolved:
        return None
    gone = set(removed)
    kept = []  # the other members of dissolved components: (place, what grouping reads, signature key)
    pool: dict[str, dict] = {}  # signatures to connect afresh: key -> signature
    for published, article, start, eid, _cl, dated in drows:
        if article not in gone:
            d = json.loads(dated)
            kept.append(((published, start, eid), d["e"], d["s"]))
            if d["s"] not in pool:
                pool[d["s"]] = signature(d["e"])
    keys = []
    sigs: dict[str, dict] = {}
    for e in new:
        sig = signature(e)
        keys.append(signature_key(sig))
        sigs.setdefault(keys[-1], sig)
    stored: dict[str, int] = {}  # signature key -> its (kept) component
    by_block: dict[str, list[tuple]] = {}
    for block, cl, key, _p, _a, rep in store.groups.blocks(GROUP_KIND, story, {b for s in sigs.values()
                                                                                 for b in signature_blocks(s)}):
        if cl not in dissolved:
            stored[key] = cl
            by_block.setdefault(block, []).append((cl, key, rep))
    uf = UnionFind()
    fresh = {k: s for k, s in sigs.items() if k not in stored}
    seen: dict[str, dict] = {}
    for k, sig in fresh.items():
        for block in signature_blocks(sig):
            for cl, key, rep in by_block.get(block, ()):
                if uf.find(("s", k)) != uf.find(("c", cl)):
                    other = seen.get(key)
                    if other is None:
                        other = seen[key] = json.loads(rep)
                    if same_happening(sig, other):
                        uf.union(("s", k), ("c", cl))
    pool.update(fresh)
    connect(uf, pool, lambda k: ("s", k))
    node = {k: ("c", stored[k]) if k in stored else ("s", k) for k in sigs}
    roots = ({uf.find(node[k]) for k in keys} | {uf.find(("s", k)) for k in pool}
             | {uf.find(("c", cl)) for cl in forced - dissolved})
    comps: dict = {r: {"cls": set(), "evs": []} for r in roots}
    for n in list(uf.parent):
        if n[0] == "c" and uf.find(n) in roots:
            comps[uf.find(n)]["cls"].add(n[1])
    for place, e, key in kept:
        comps[uf.find(("s", key))]["evs"].append((place, e, key))
    for e, k in zip(new, keys):
        comps[uf.find(node[k])]["evs"].append((_place(seq_of[e["article"]], e), grouping_fields(e), k))
    old_cls = {cl for c in comps.values() for cl in c["cls"]}
    rows = store.groups.members_in(GROUP_KIND, story, old_cls) if old_cls else []
    if {r[4] for r in rows} != old_cls:
        return None
    plan["read"] = len(rows) + len(drows)
    old: dict[int, list[tuple]] = {}
    drop_blocks: set[tuple] = set()
    blocks_of: dict[str, list[str]] = {}  # signature key -> its blocks
    for published, article, start, eid, cl, dated in [*drows, *rows]:
        d = json.loads(dated)
        if cl in old_cls:
            old.setdefault(cl, []).append(((published, start, eid), d["e"], d["s"]))
        plan["drop_members"].append((published, article, start, eid))
        plan["drop_ids"].append(d["g"])
        if d["s"] not in blocks_of:
            blocks_of[d["s"]] = signature_blocks(signature(d["e"]))
        drop_blocks.update((b, cl, d["s"]) for b in blocks_of[d["s"]])
    plan["drop_blocks"] = sorted(drop_blocks)
    plan["drop_ids"] = sorted(set(plan["drop_ids"]))
    todo = []  # each component grouped again: its members (place, what grouping reads) in order
    for c in comps.values():
        todo.append(sorted([*(m for cl in c["cls"] for m in old[cl]), *c["evs"]], key=lambda m: m[0]))
    arts = store.groups.article_sources({e["article"] for evs in todo for _p, e, _k in evs})
    next_cl = clusters
    for evs in sorted(todo, key=lambda m: m[0][0]):
        cl, next_cl = next_cl, next_cl + 1
        events = [e for _p, e, _k in evs]
        groups = group_events(events, [arts[a] for a in {e["article"] for e in events} if a in arts],
                              exhaustive=len(events) <= SMALL)
        gid: dict[str, str] = {}
        for g in groups:
            g["story"] = story
            gid.update((ev, g["id"]) for ev in g["events"])
        plan["groups"] += groups
        comp_sigs = {}
        for (published, start, eid), e, key in evs:
            if key not in comp_sigs:
                comp_sigs[key] = sigs.get(key) or pool.get(key) or signature(e)
            plan["members"].append((published, e["article"], start, eid, cl, 0,
                                    json.dumps({"e": e, "g": gid[str(e["id"])], "s": key}, ensure_ascii=False)))
        for key, sig in comp_sigs.items():
            if key not in blocks_of:
                blocks_of[key] = signature_blocks(sig)
            rep = json.dumps(sig, ensure_ascii=False)
            plan["blocks"] += [(b, cl, key, "", "", rep) for b in blocks_of[key]]
    plan["clusters"] = next_cl
    return plan


def _group(events: list[dict], articles: dict[str, dict], seqs: dict[str, int]
           ) -> tuple[list[dict], dict[str, dict], dict[str, int]]:
    """Groups of these events per story, each story's state (`_state`), and each story's
    first event's article arrival (the order in which stories are written)."""
    by_story: dict[str, list[dict]] = {}
    for ev in events:
        story = (articles.get(ev["article"]) or {}).get("story") or f"article:{ev['article']}"
        by_story.setdefault(story, []).append(ev)
    groups, state, first = [], {}, {}
    for story, evs in by_story.items():
        members = [articles[a] for a in {e["article"] for e in evs} if a in articles]
        of_story = group_events(evs, members, exhaustive=len(evs) <= SMALL)
        for g in of_story:
            g["story"] = None if story.startswith("article:") else story
            groups.append(g)
        if not story.startswith("article:"):
            state[story] = _state(evs, of_story, seqs)
            first[story] = seqs[evs[0]["article"]]
    return groups, state, first


def _state(events: list[dict], groups: list[dict], seqs: dict[str, int]) -> dict:
    """A story's stored state (as `replace_stories` takes it): its events' components of the
    same-happening graph, numbered in order of their first event; `pos`: each group's count
    of articles (the order readers see)."""
    sigs: dict[str, dict] = {}
    keys = []
    for e in events:
        sig = signature(e)
        keys.append(signature_key(sig))
        sigs.setdefault(keys[-1], sig)
    uf = UnionFind()
    connect(uf, sigs)
    number: dict[str, int] = {}
    cl = {k: number.setdefault(uf.find(k), len(number)) for k in keys}
    gid = {ev: g["id"] for g in groups for ev in g["events"]}
    members = []
    for e, k in zip(events, keys):
        published, start, eid = _place(seqs[e["article"]], e)
        members.append((published, e["article"], start, eid, cl[k], 0,
                        json.dumps({"e": grouping_fields(e), "g": gid[eid], "s": k}, ensure_ascii=False)))
    blocks = [(b, cl[k], k, "", "", json.dumps(sig, ensure_ascii=False)) for k, sig in sigs.items()
              for b in signature_blocks(sig)]
    return {"clusters": len(number), "pos": {g["id"]: len(g["articles"]) for g in groups}, "members": members,
            "blocks": blocks}
