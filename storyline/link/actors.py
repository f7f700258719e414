"""Corpus linker: canonical actors across articles, and the resolver that maps a span in
an article (a quote's speaker, an event's actor) to its canonical entity.

The merge (storyline/actors/merge.py) reads only the per-article `actors` records, never
the text. It is incremental: the records of the articles that arrived since the last run
are merged together with the stored records they can meet (`merge.touch_keys`, indexed in
the store: every record sharing a key with them, then every record sharing a key with
those, until nothing new is reached), and only the entities of those records are
rewritten. Records that share no key with what arrived are not read. The result is the
merge over the whole corpus restricted to those records, so a run over batches ends with
the entities a `relink` computes at once (tests/test_incremental_linking.py).

Hub actors (a country named in half the corpus): an arrived record that provably changes no
cluster but the one it joins (a copy of a stored record: same signature, `merge.sig_key`, in
the same story; same gazetteer key; same signature with no story effect; a one-word person
whose story has one full name with that surname, or whose story's stored one-word people of
that name took the branch it takes, or whose story names no full name of that surname at all:
then the place or organisation of that name, found by an index probe, `merge.probe_keys`, or
one new actor per story and name) is added to the stored entity's summary
(`entities.summary`) without reading the entity's other records (`_joins`); the rest takes
the component path above, and an arrived record that meets that component goes with it. A
record with a gazetteer key in an article a story merge moved keeps its entity unread
(`merge.story_free`).
Entity rows hold no mentions: `store.actors.entities()` assembles them. See docs/actors.md,
"Hub actors".

Entity ids are hashes of the canonical key, so they stay stable across runs as long as the
evidence for an actor does not change. Articles whose entity (or entity name) moved are
noted for the event groups (`store.link_state.mark_changed("events", ...)`). Articles
another linker noted for this one (`changed("actors")`: a story merge moved them, and the
surname rules read stories) are merged again like new ones.
"""
from __future__ import annotations

import hashlib
from typing import Callable, Iterable, Optional

from ..actors.merge import (facet_of, fast_class, is_slip, memo_norm, merge, probe_keys, sig_key, story_free,
                            summary_add, summary_entity, summary_new, touch_keys)
from ..store.protocol import Store

LINKER = "actors"


def link_actors(store: Store) -> dict:
    """Linker: merge the actors of the articles that arrived since the last run into the
    canonical entities. Returns counts of the work done: `articles` (arrived), `records`
    (actor records merged: the arrived ones and the stored ones they reach), `entities`
    (entities written), `changed` (articles whose entity links moved) and `joined` (arrived
    records added to a stored entity's summary without re-merging it)."""
    last = store.link_state.last_seq(LINKER)
    arrived = store.link_state.arrivals(last)
    moved = store.link_state.changed(LINKER)  # articles another linker moved (a story merge)
    stats = {"articles": len(arrived), "records": 0, "entities": 0, "changed": 0, "joined": 0}
    if not arrived and not moved:
        return stats
    seeds = [*(a for a, _ in arrived), *moved]
    seen_before = set(moved) - {a for a, _ in arrived}  # linked before, moved by a story merge
    new = {(r["article"], r["local"]): r for r in store.browse.records("actors", seeds) if r.get("mentions")}
    norm = memo_norm()
    keys = {k: touch_keys(r, norm) for k, r in new.items()}  # each arrived record's keys, computed once
    placed = store.stories.placed({a for a, _ in new})
    sig = {k: sig_key(r) for k, r in new.items()}  # each arrived record's signature, computed once
    # a first run merges everything, as the whole merge does (and writes its entities in the
    # same order): there is nothing stored to join
    fast, joined = _joins(store, new, {a for a, _ in arrived} - set(moved), placed, sig, norm) if last else ({}, {})
    # a record of a moved (not arrived) article that no story changes keeps its entity as it is
    keep = {k for k, r in new.items() if k[0] in seen_before and story_free(r)}
    recs = {k: r for k, r in new.items() if k not in fast and k not in keep}
    seen: set[str] = set()
    frontier = set().union(*(keys[k] for k in recs)) if recs else set()
    while frontier:
        seen |= frontier
        reach = store.actors.holders(frontier) - recs.keys()
        found = store.actors.records(reach)
        # an arrived record that was to join a stored entity, but meets what is re-merged
        # (then so does that entity): it is merged with the rest
        met = {eid for k, eid in fast.items() if keys[k] & seen}
        back = [new[k] for k, eid in fast.items() if eid in met]
        for eid in met:
            joined.pop(eid, None)
        fast = {k: eid for k, eid in fast.items() if eid not in met}
        found += back
        recs.update(((r["article"], r["local"]), r) for r in found)
        frontier = set().union(*(touch_keys(r, norm) for r in found)) - seen if found else set()
    placed.update(store.stories.placed({a for a, _ in recs} - placed.keys()))
    ordered = sorted(recs.values(), key=lambda r: (placed[r["article"]][0], _start(r), r["id"]))
    summaries: dict[str, dict] = {}
    entities, links = merge(ordered, {a: sid for a, (_seq, sid) in placed.items()}, summaries)
    old_links = {k: v for k, v in store.browse.entity_links({a for a, _ in recs}).items() if k in recs}
    old_names = {e["id"]: e["name"] for e in store.browse.entities(set(old_links.values()))}
    new_names = {e["id"]: e["name"] for e in entities}
    changed = {a for (a, loc), eid in links.items()
               if old_links.get((a, loc)) != eid or old_names.get(eid) != new_names.get(eid)}
    changed |= {a for a, loc in old_links if (a, loc) not in links}  # a record that lost its entity
    # an arrived article is new to the later linkers too, unless it was linked before (a
    # run that starts again from the first article, after migration 10)
    changed -= {a for a, _ in arrived} - {a for a, _ in old_links}
    with store.transaction():
        if entities or old_links:
            store.actors.update(set(old_links.values()), entities, links, summaries)
        if joined:
            store.actors.amend([e for e, _ in joined.values()], fast, {eid: s for eid, (_e, s) in joined.items()})
        store.actors.index_keys((k, a, loc) for (a, loc), r in new.items()
                                for k in [*keys[(a, loc)], sig[(a, loc)], *probe_keys(r, norm)])
        if changed:
            store.link_state.mark_changed("events", changed)
        store.link_state.clear_changed(LINKER)
        if arrived:
            store.link_state.set_last_seq(LINKER, arrived[-1][1])
    stats.update(records=len(recs) + len(fast), entities=len(entities) + len(joined), changed=len(changed),
                 joined=len(fast))
    return stats


def _joins(store: Store, new: dict, arrived: set[str], placed: dict, sig: dict,
           norm: Callable[[str], str]) -> tuple[dict, dict]:
    """The arrived records that join a stored entity by a rule that reads nothing else
    (`merge.fast_class`), and what those entities become: ((article, local) -> entity id,
    entity id -> (entity without mentions, summary)).

    A copy of a stored record (same signature and story; not a NAME: key) joins the entity of
    that record, whatever its kind: the merge's clusters depend on the set of (signature,
    story) classes, not on how many records each holds.

    A record joins when a stored actor has its gazetteer key, or its signature (the fields
    every rule of the merge reads, but the story; `merge.sig_key`): the merge of the
    corpus with it then has the same clusters as without it, as long as its story changes
    nothing either, which is checked: a full name in a story where a one-word name with its
    surname is stored or arrives (the surname rule reads the story's full names), or an
    entity holding one-word places or organisations (the surname-slip rule reads the number
    of stories of their cluster) that would span a new story, unless stored records of its
    signature already lie in two stories (`two_stories`: then so does its cluster). A one-word
    person whose story names no full name of its surname, beside no stored one-word person of
    that name, joins the place or organisation of that name (an index probe) or a new actor of
    the story's one-word people of that name. An entity whose canonical name would change is
    re-merged instead (its id and the links of its articles move)."""
    story = {a: sid for a, (_seq, sid) in placed.items()}
    # a record whose class (signature and story) is stored: one more copy of records the merge
    # has placed, so it changes no cluster and ends in theirs, whatever rule put them there
    # (not a NAME: key, whose summary reads the places and seats of its component)
    by_story: dict[str, dict] = {}
    for k, r in new.items():
        if k[0] in arrived and story.get(k[0]) is not None and not (r.get("key") or "").startswith("NAME:"):
            by_story.setdefault(story[k[0]], {})[k] = sig[k]
    same: dict[tuple, str] = {}
    for in_sid, of in by_story.items():
        found = store.actors.entity_in_story(set(of.values()), in_sid)
        same.update((k, found[sig]) for k, sig in of.items() if sig in found)
    cands = {k: r for k, r in new.items() if k[0] in arrived and (k in same or fast_class(r))}
    if not cands:
        return {}, {}
    one_word: dict[tuple, int] = {}  # (story, name) -> arrived one-word actors of that name in the story
    for r in new.values():
        if not r.get("key") and len(r["name"].split()) == 1:
            one_word[(story.get(r["article"]), r["name"].lower())] = one_word.get(
                (story.get(r["article"]), r["name"].lower()), 0) + 1
    sigs = {k: sig[k] for k, r in cands.items() if k not in same and fast_class(r) != "surname"}
    by_sig = store.actors.entity_of(set(sigs.values()))
    in_story: dict[tuple, list] = {}  # (story, surname) -> the stored actors of the story holding it

    def story_actors(sid: str, sur: str) -> list:
        if (sid, sur) not in in_story:
            holders = store.actors.holders_in_story(["surname\x1f" + sur], sid)
            in_story[(sid, sur)] = store.actors.records(holders) if holders else []
        return in_story[(sid, sur)]

    owners: dict[tuple, set] = {}  # (story, surname) -> full_names()
    fulls_links: dict[tuple, str] = {}  # (article, local) -> entity of the full names prefetched

    def full_names(sid: str, sur: str) -> set:
        """The entities of the stored full names with this surname in the story."""
        if (sid, sur) not in owners:
            fulls = [x for x in story_actors(sid, sur) if x["type"] == "PERSON" and not x.get("key")
                     and len(x["name"].split()) >= 2 and x["name"].split()[-1].lower() == sur]
            if any((x["article"], x["local"]) not in fulls_links for x in fulls):
                fulls_links.update(store.browse.entity_links({x["article"] for x in fulls}))
            owners[(sid, sur)] = {fulls_links.get((x["article"], x["local"])) for x in fulls}
        return owners[(sid, sur)]

    # the (story, surname) pairs read below, fetched together: one query per story, one read
    # of the records and one of the full names' links, not one each per pair
    wanted: dict[str, set] = {}
    for k, r in cands.items():
        sid = story.get(k[0])
        if sid is None or k in same or not (r["type"] == "PERSON" and not r.get("key")):
            continue
        kind = fast_class(r)
        if kind == "surname" or kind == "person" and sigs.get(k) in by_sig:
            wanted.setdefault(sid, set()).add(r["name"].split()[-1].lower() if kind == "person" else r["name"].lower())
    holder_story: dict[tuple, str] = {}
    for sid, surs in wanted.items():
        holder_story.update((h, sid) for h in store.actors.holders_in_story(["surname\x1f" + x for x in surs], sid))
        in_story.update(((sid, x), []) for x in surs)
    for x in store.actors.records(holder_story) if holder_story else []:
        sid = holder_story[(x["article"], x["local"])]
        for key in touch_keys(x, norm):
            if key.startswith("surname\x1f") and (sid, key[8:]) in in_story:
                in_story[(sid, key[8:])].append(x)
    fulls_links.update(store.browse.entity_links({x["article"] for xs in in_story.values() for x in xs
                                                  if x["type"] == "PERSON" and len(x["name"].split()) >= 2}))

    in_two: dict[str, bool] = {}

    def two_stories(sg: str) -> bool:
        """Stored records of this signature lie in two stories or more (no story counting as
        one): their story-independent cluster (one signature, one cluster) spans two stories,
        so the surname-slip rule never applies to it again, whatever story a copy adds."""
        if sg not in in_two:
            arts = {a for a, _ in store.actors.holders([sg])}
            in_two[sg] = len({sid for _seq, sid in store.stories.placed(arts).values()}) >= 2 if arts else False
        return in_two[sg]

    owners_of_name: dict[str, object] = {}

    def name_owner(sur: str) -> object:
        """The stored entity that holds ("name", sur) of the merge; None when no stored record
        makes that entry; False when unsure (a stored NAME: key or seat may make it). What the
        batch makes takes the component path, which meets the records decided here through
        their "name" key and takes them back (the `met` step of `link_actors`)."""
        if sur not in owners_of_name:
            if store.actors.entity_of(["nx\x1f" + sur]):
                owners_of_name[sur] = False
            else:
                owners_of_name[sur] = store.actors.entity_of(["nw\x1f" + sur]).get("nw\x1f" + sur)
        return owners_of_name[sur]

    batch_fulls: dict[tuple, list] = {}  # (story, surname) -> arrived full names
    for k, r in new.items():
        if r["type"] == "PERSON" and not r.get("key") and len(r["name"].split()) >= 2:
            batch_fulls.setdefault((story.get(k[0]), r["name"].split()[-1].lower()), []).append(k)
    target = {k: by_sig[sig] for k, sig in sigs.items() if by_sig.get(sig)}
    stored = store.actors.summaries(set(target.values()))

    def spans_stories(x: dict) -> bool:
        """A stored one-word place or organisation whose cluster already spans two stories
        (the surname-slip rule never applies to it again)."""
        owner = store.browse.entity_links([x["article"]]).get((x["article"], x["local"]))
        if owner and owner not in stored:
            stored.update(store.actors.summaries([owner]))
        sx = stored.get(owner) if owner else None
        return sx is not None and not sx["persons"] and len(sx["stories"]) == 2

    ok: dict[tuple, object] = dict(same)  # an entity id, None (an actor of its own) or a new group
    for k, eid in target.items():
        r, sid, s = cands[k], story.get(k[0]), stored.get(eid)
        if s is None:
            continue
        kind = fast_class(r)
        if kind == "person":
            if s["slips"] and not two_stories(sigs[k]):
                continue  # the number of stories of a one-word place in it may change
            sur = r["name"].split()[-1].lower()
            if sid is not None and eid not in full_names(sid, sur) and any(
                    not x.get("key") and len(x["name"].split()) == 1
                    and (x["type"] == "PERSON" or is_slip(x) and not spans_stories(x))
                    for x in story_actors(sid, sur)):
                continue  # a full name new to a story where a stored one-word name reads them
        elif kind == "name" and s["slips"] and not two_stories(sigs[k]):
            if s["persons"] or not (len(s["stories"]) == 2 or s["stories"] == [sid]):
                continue  # a one-word place whose cluster would span a new story
            if s["stories"] == [sid] and batch_fulls.get((sid, r["name"].lower())):
                continue  # ... or which an arriving full name of its story may now claim
        ok[k] = eid
    # one-word persons: the one full name with that surname in their story (stored, or
    # arriving and joined above), or (with a role, or as a pronoun or description, so never a
    # place's slip) an actor of their own when the story has no other one-word actor of
    # that name
    for k, r in cands.items():
        sid = story.get(k[0])
        if fast_class(r) != "surname" or sid is None or k in same:
            continue
        sur = r["name"].lower()
        arriving = batch_fulls.get((sid, sur), [])
        if any(f not in ok for f in arriving):
            continue
        heads = full_names(sid, sur) | {ok[f] for f in arriving}
        forms = {m.get("form") for m in r["mentions"]}
        if len(heads) == 1 and None not in heads:
            ok[k] = next(iter(heads))
        elif one_word[(sid, sur)] == 1 and not any(not x.get("key") and len(x["name"].split()) == 1
                                                  for x in story_actors(sid, sur)) \
                and (heads or r.get("roles") or forms & {"pronoun", "description"}):
            ok[k] = None
        elif not heads and not arriving and not any(
                x["type"] == "PERSON" and not x.get("key") and len(x["name"].split()) == 1
                and x["name"].lower() == sur for x in story_actors(sid, sur)):
            # no full name of its surname in the story, and every one-word person of that name
            # in the story is arriving: the merge joins the plain ones (no role, pronoun or
            # description) to the cluster of ("name", sur) when one exists, and puts the rest
            # (all of them, when none does) in one cluster of their own (stop 22)
            owner = name_owner(sur)
            if owner is not False:
                ok[k] = owner if owner and _plain(r) else ("person1", sid, sur)
        elif None not in heads:
            # no one full name: the merge puts it where the story's stored one-word people of
            # that name went: all together with two full names or more (their own cluster), or
            # with none, those that take the same branch (the name of a place or organisation,
            # or their own); it comes last, so it reads the partition of what is stored
            twin = next((x for x in story_actors(sid, sur) if x["type"] == "PERSON" and not x.get("key")
                         and len(x["name"].split()) == 1 and x["name"].lower() == sur
                         and (len(heads) > 1 or _plain(x) == _plain(r))), None)
            owner = store.browse.entity_links([twin["article"]]).get((twin["article"], twin["local"])) if twin else None
            if owner:
                ok[k] = owner
    stored.update(store.actors.summaries({t for t in ok.values() if isinstance(t, str) and t not in stored}))
    ok = {k: t for k, t in ok.items() if not isinstance(t, str) or stored.get(t) is not None}
    groups: dict[object, list] = {}
    for k in sorted(ok, key=lambda k: (placed[k[0]][0], _start(new[k]), new[k]["id"])):
        groups.setdefault(ok[k] or k, []).append(new[k])
    joined: dict[str, tuple] = {}
    where: dict[tuple, str] = {}
    fresh = [summary_entity(_summary_of(ms, story))["_key"] for g, ms in groups.items() if not isinstance(g, str)]
    taken = store.actors.summaries(_entity_id(b) for b in fresh)
    for g, members in groups.items():
        if isinstance(g, str):
            s = stored[g]
            assert s is not None
            before = summary_entity(s)
            for m in members:
                summary_add(s, m, set(), story.get(m["article"]))
            after = summary_entity(s)
            if after["_key"] != before["_key"] or after["name"] != before["name"]:
                continue  # its id or name moves: re-merged with its component
            eid = g
        else:  # an actor of its own: the first of its name (in corpus order) takes the plain id
            s = _summary_of(members, story)
            after = summary_entity(s)
            eid = _entity_id(after["_key"])
            if eid in taken or eid in joined:
                eid = _entity_id(f"{after['_key']}\x1f{members[0]['article']}")
            if eid in taken or eid in joined:
                continue
        for key in ("_key", "articles", "mentions"):
            after.pop(key)
        joined[eid] = ({"id": eid, **after}, s)
        for m in members:
            where[(m["article"], m["local"])] = eid
    return where, joined


def _plain(rec: dict) -> bool:
    """A one-word person that the merge may read as the name of a place or organisation (no
    role, no pronoun or description mention)."""
    return not rec.get("roles") and not any(m.get("form") in {"pronoun", "description"} for m in rec["mentions"])


def _summary_of(members: list[dict], story: dict) -> dict:
    s = summary_new()
    for m in members:
        summary_add(s, m, set(), story.get(m["article"]))
    return s


def _entity_id(base: str) -> str:
    return "e" + hashlib.sha256(base.encode("utf-8")).hexdigest()[:15]


def _start(rec: dict) -> int:
    start = (rec.get("span") or {}).get("start")
    return -1 if start is None else start


def stored_entities(store: Store) -> list[dict]:
    return store.actors.entities()


def actor_resolver(store: Store, articles: Optional[Iterable[str]] = None) -> Callable[[str, int, int], Optional[dict]]:
    """A function `(article_id, start, end) -> {"entity": id, "name": canonical} | None`.

    A span resolves to the entity of the actor mention it overlaps most, people before
    organisations and places: a speaker span "Taliban spokesman Zabihullah Mujahid" or
    "Hanna Brisk, a spokeswoman for the Emergency Service" finds the person, not the
    group named in the role; "he" finds the pronoun mention when the actors component
    linked it. With `articles`, only spans in those articles resolve (and only their
    actors are read)."""
    if articles is None:
        names = store.actors.names()
        links = store.actors.links()
        recs: Iterable[dict] = store.records("actors")
    else:
        ids = list(dict.fromkeys(articles))
        links = store.browse.entity_links(ids)
        names = {e["id"]: e["name"] for e in store.browse.entities(set(links.values()))}
        recs = store.browse.records("actors", ids)
    spans: dict[str, list[tuple]] = {}
    for rec in recs:
        eid = links.get((rec["article"], rec["local"]))
        if eid is None:
            continue
        person = rec.get("type") == "PERSON" or rec.get("actor_type") == "person"
        sector = facet_of(rec["key"])[1] if rec.get("key") else None
        for m in rec["mentions"]:
            spans.setdefault(rec["article"], []).append((m["span"]["start"], m["span"]["end"], eid, person, sector))
    for v in spans.values():
        v.sort()
    return make_resolver(spans, names)


def make_resolver(spans: dict, names: dict) -> Callable[[str, int, int], Optional[dict]]:
    """`spans`: article -> [(start, end, entity id[, is_person[, sector]])] sorted by start;
    `names`: id -> name. People rank before other actors, then the larger overlap wins. A
    mention of a country's sector ("Paris said") also gives `facet` ("government")."""

    def resolve(article: str, start: int, end: int) -> Optional[dict]:
        items = spans.get(article)
        if not items or end <= start:
            return None
        best, best_rank, sector = None, (False, 0), None
        for s, e, eid, *rest in items:
            if s >= end:
                break
            overlap = min(e, end) - max(s, start)
            rank = (bool(rest and rest[0]), overlap)
            if overlap > 0 and rank > best_rank:
                best, best_rank, sector = eid, rank, rest[1] if len(rest) > 1 else None
        if best is None:
            return None
        out = {"entity": best, "name": names.get(best, "")}
        if sector:
            out["facet"] = sector
        return out

    return resolve
