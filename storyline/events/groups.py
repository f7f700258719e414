"""Event groups across articles: the same happening reported by several articles of a story is
one group, with the number of independent sources behind it.

Two events are the same happening when they have the same PLOVER type, the same polarity
(negated, hypothetical), compatible dates (equal, one a prefix of the other, or one unknown)
and actors that match by name (equal after normalisation, or one name's words contained in the
other's: "Turkey" / "Turkey's defence ministry") and recipients that match the same way or are
missing on one side. Events of one article never merge with each other unless they match too.
"""
from __future__ import annotations

import bisect
import hashlib
import re
from typing import Callable

from scipy.cluster.hierarchy import DisjointSet

_WORD = re.compile(r"[a-z0-9]+")
_STOP = {"the", "a", "an", "of", "s", "and", "its", "their", "his", "her"}


def _names(party) -> set[str]:
    if not party:
        return set()
    name = party.get("name") or party.get("text") or ""
    return {w for w in _WORD.findall(name.lower()) if w not in _STOP}


def _party_match(a, b, required: bool) -> bool:
    na, nb = _names(a), _names(b)
    if not na or not nb:
        return not required or (not na and not nb)
    ea, eb = (a or {}).get("entity"), (b or {}).get("entity")
    if ea and eb:
        return ea == eb
    return na <= nb or nb <= na


def _dates_ok(a, b) -> bool:
    if not a or not b:
        return True
    a, b = str(a), str(b)
    return a.startswith(b) or b.startswith(a)


def same_happening(a: dict, b: dict) -> bool:
    return (a.get("type") == b.get("type")
            and bool(a.get("negated")) == bool(b.get("negated"))
            and bool(a.get("hypothetical")) == bool(b.get("hypothetical"))
            and _dates_ok(a.get("date"), b.get("date"))
            and _party_match(a.get("actor"), b.get("actor"), required=True)
            and _party_match(a.get("recipient"), b.get("recipient"), required=False))


def _components_all_pairs(events: list[dict]) -> Callable[[int], int]:
    """The reference: every pair in order, a pair that is the same happening joins its two
    groups when every date of one is compatible with every date of the other."""
    n = len(events)
    sets = DisjointSet(range(n))
    # dates known in each group (by root): an undated event must not bridge two conflicting dates
    dates = {i: {str(e["date"])} if e.get("date") else set() for i, e in enumerate(events)}
    for i in range(n):
        for j in range(i + 1, n):
            if same_happening(events[i], events[j]):
                ri, rj = sets[i], sets[j]
                if ri != rj and all(_dates_ok(a, b) for a in dates[ri] for b in dates[rj]):
                    sets.merge(ri, rj)
                    dates[sets[ri]] = dates.pop(ri) | dates.pop(rj)
    return sets.__getitem__


def _party_keys(party, required: bool) -> list[tuple]:
    """Keys two parties that `_party_match` can match share: a name word (one name's words
    contain the other's) or the entity; a missing party is ("none",) for a required one
    (matches only another missing one) and ("any",) for a recipient (matches anything)."""
    names = _names(party)
    if not names:
        return [("none",)] if required else [("any",)]
    keys = [("w", w) for w in sorted(names)]
    if (party or {}).get("entity"):
        keys.append(("e", party["entity"]))
    return keys


def _compatible(a: str, b: str) -> bool:
    return a.startswith(b) or b.startswith(a)


class _Blocked:
    """Union-find over events with an index of its groups by block and by date.

    Why it equals the all-pairs loop: (1) a group's dates are pairwise compatible, so they are
    prefixes of its longest date (`chain`), and two groups may join iff their chains are
    compatible; (2) once incompatible, always (a chain only grows longer); (3) so, for event
    i, a group R is joined at R's first member j > i that is the same happening as i,
    provided R's chain is compatible with i's group's chain at that moment, and a group
    incompatible when i's turn starts is never joined during it; (4) two events that are the
    same happening share a block (type, polarity, an actor key, a recipient key), and when
    the chains are compatible their dates are too. So for i only the groups in its blocks
    with a compatible chain are read, each up to its first match, and joined in order of that
    match."""

    def __init__(self, events: list[dict]):
        self.events = events
        n = len(events)
        self.parent = list(range(n))
        self.size = [1] * n
        self.chain = [str(e["date"]) if e.get("date") else "" for e in events]
        self.where: list[dict] = [{} for _ in range(n)]  # root -> block -> its members there, sorted
        self.exact: dict = {}  # block -> chain -> roots
        self.pre: dict = {}  # block -> prefix of a chain -> roots whose chain starts with it
        self.recipients: dict = {}  # (type, polarity, actor key) -> recipient keys seen
        self.keys = []
        for i, e in enumerate(events):
            base = (e.get("type"), bool(e.get("negated")), bool(e.get("hypothetical")))
            akeys = _party_keys(e.get("actor"), True)
            rkeys = _party_keys(e.get("recipient"), False)
            mine = [(*base, a, r) for a in akeys for r in rkeys]
            self.keys.append((base, akeys, rkeys))
            for a in akeys:
                self.recipients.setdefault((*base, a), set()).update(rkeys)
            for k in mine:
                self.where[i][k] = [i]
                self._index(i, k)

    def find(self, i: int) -> int:
        root = i
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[i] != root:
            self.parent[i], i = root, self.parent[i]
        return root

    def _prefixes(self, chain: str):
        return (chain[:k] for k in range(len(chain) + 1))

    def _index(self, root: int, block) -> None:
        chain = self.chain[root]
        self.exact.setdefault(block, {}).setdefault(chain, set()).add(root)
        pre = self.pre.setdefault(block, {})
        for p in self._prefixes(chain):
            pre.setdefault(p, set()).add(root)

    def _unindex(self, root: int, block) -> None:
        chain = self.chain[root]
        self.exact[block][chain].discard(root)
        pre = self.pre[block]
        for p in self._prefixes(chain):
            pre[p].discard(root)

    def lookup(self, i: int) -> list:
        """The blocks where event i can meet another."""
        base, akeys, rkeys = self.keys[i]
        out = []
        for a in akeys:
            others = self.recipients[(*base, a)] if rkeys == [("any",)] else {*rkeys, ("any",)}
            out += [(*base, a, r) for r in others]
        return out

    def compatible_roots(self, block, chain: str, after: int) -> set:
        """Roots in `block` whose chain is compatible with `chain` (a prefix of it, or
        starting with it); roots with no member after `after` there are dropped from the
        index (no later event can meet them through this block until a join adds one)."""
        exact = self.exact.get(block, {})
        found = set(self.pre.get(block, {}).get(chain, ()))
        for k in range(len(chain)):
            found |= exact.get(chain[:k], set())
        dead = {r for r in found if self.where[r][block][-1] <= after}
        for r in dead:
            self._unindex(r, block)
        return found - dead

    def union(self, a: int, b: int) -> None:
        if self.size[a] < self.size[b]:
            a, b = b, a
        for block in self.where[b]:
            if b in self.exact.get(block, {}).get(self.chain[b], ()):
                self._unindex(b, block)
        longer = self.chain[b] if len(self.chain[b]) > len(self.chain[a]) else self.chain[a]
        if longer != self.chain[a]:
            for block in self.where[a]:
                if a in self.exact.get(block, {}).get(self.chain[a], ()):
                    self._unindex(a, block)
            self.chain[a] = longer
            for block in self.where[a]:
                self._index(a, block)
        mine = self.where[a]
        for block, members in self.where[b].items():
            have = mine.get(block)
            if have is None:
                mine[block] = members
            elif len(members) < 8:
                for j in members:
                    bisect.insort(have, j)
            else:
                mine[block] = sorted(have + members)
            self._index(a, block)
        self.where[b] = {}
        self.parent[b] = a
        self.size[a] += self.size[b]


def _components_blocked(events: list[dict]) -> Callable[[int], int]:
    """The groups of `_components_all_pairs`, reading only blocks (see `_Blocked`)."""
    uf = _Blocked(events)
    for i in range(len(events)):
        ri = uf.find(i)
        first: dict[int, int] = {}  # root -> its first member after i that is the same happening
        for block in uf.lookup(i):
            for root in uf.compatible_roots(block, uf.chain[ri], i):
                if root == ri:
                    continue
                members = uf.where[root][block]
                limit = first.get(root)
                for j in members[bisect.bisect_right(members, i):]:
                    if limit is not None and j >= limit:
                        break
                    if same_happening(events[i], events[j]):
                        first[root] = j
                        break
        for root, _j in sorted(first.items(), key=lambda kv: kv[1]):
            ri = uf.find(i)
            if root != ri and _compatible(uf.chain[ri], uf.chain[root]):
                uf.union(ri, root)
    return uf.find


def group_events(events: list[dict], articles: list[dict], *, exhaustive: bool = False) -> list[dict]:
    """Groups of events (each with `article` and `id`) over the articles of a story.

    `articles`: records with `id`, `source` (outlet) and `duplicate_of`. Returns groups with
    `id` ("eg" + hash of member ids), `type`, `events[]` (ids), `articles[]`, and
    `independent_sources`: outlets among the articles that are not duplicates of another,
    each outlet counted once (an article without an outlet counts as its own source).

    Every pair of events is considered in order ((0, 1), (0, 2), ..., (1, 2), ...); a pair that
    is the same happening joins its two groups unless their dates conflict. `exhaustive=True`
    does exactly that (the reference, for the tests and `bench/bench_groups.py`); the default
    (`_components_blocked`) gives the same groups comparing only events that share a block."""
    arts = {a["id"]: a for a in articles}
    find = (_components_all_pairs if exhaustive else _components_blocked)(events)
    members: dict[int, list[int]] = {}
    for i in range(len(events)):
        members.setdefault(find(i), []).append(i)
    groups = []
    for idx in members.values():
        evs = [events[i] for i in idx]
        art_ids = sorted({e["article"] for e in evs if e.get("article") is not None})
        sources = set()
        for aid in art_ids:
            a = arts.get(aid, {"id": aid})
            if a.get("duplicate_of"):
                continue
            sources.add((a.get("source") or "").strip().lower() or f"article:{aid}")
        ids = [str(e.get("id", i)) for e, i in zip(evs, idx)]
        gid = "eg" + hashlib.sha1("|".join(sorted(ids)).encode()).hexdigest()[:12]
        best = max(evs, key=lambda e: e.get("confidence") or 0)
        groups.append({"id": gid, "type": best.get("type"), "events": ids, "articles": art_ids,
                       "independent_sources": len(sources),
                       "actor": best.get("actor"), "recipient": best.get("recipient"),
                       "date": next((e.get("date") for e in evs if e.get("date")), None),
                       "confidence": max((e.get("confidence") or 0) for e in evs)})
    groups.sort(key=lambda g: (-len(g["articles"]), g["id"]))
    return groups


# --- the same-happening graph: updating a story's groups from what arrived (link/events.py) -----
#
# The grouping above depends on the order of the events only inside a connected component of
# the graph whose edges are the pairs that are the same happening: a pair across two
# components is not the same happening, so it joins nothing, and the date gate only refuses
# a merge inside a component. The groups of a story are the groups of each component, grouped
# alone in the story's order (`exhaustive` or not). Added events only join components (their
# edges), so only the components they reach are grouped again (an event whose parties change
# is taken out and added again: its component is connected afresh). Identical signatures
# (what `same_happening` reads) are always the same happening, so the graph is built over a
# story's distinct signatures.

GROUPING_KEYS = ("id", "article", "type", "negated", "hypothetical", "date", "actor", "recipient", "confidence")


def grouping_fields(event: dict) -> dict:
    """What `group_events` reads of an event (and writes into a group)."""
    return {k: event[k] for k in GROUPING_KEYS if k in event}


def _party_signature(party):
    if not party:
        return None
    return {"name": party.get("name") or party.get("text") or "", "entity": party.get("entity")}


def signature(event: dict) -> dict:
    """What `same_happening` reads of an event: two events with the same signature are the
    same happening, and `same_happening` gives the same answer on signatures as on events."""
    date = event.get("date")
    return {"type": event.get("type"), "negated": bool(event.get("negated")),
            "hypothetical": bool(event.get("hypothetical")), "date": str(date) if date else None,
            "actor": _party_signature(event.get("actor")), "recipient": _party_signature(event.get("recipient"))}


def signature_key(sig: dict) -> str:
    """A signature's key (`signature` builds its fields in one order)."""
    actor, recipient = sig.get("actor") or {}, sig.get("recipient") or {}
    return hashlib.sha1(repr((sig.get("type"), sig.get("negated"), sig.get("hypothetical"), sig.get("date"),
                              bool(actor), actor.get("name"), actor.get("entity"), bool(recipient),
                              recipient.get("name"), recipient.get("entity"))).encode()).hexdigest()[:16]


def signature_blocks(sig: dict) -> list[str]:
    """Keys two signatures that are the same happening share: type, polarity and an actor
    key (a name word, the entity, or "none" for a missing actor), as one string."""
    base = f"{sig.get('type')!r}\x1f{int(bool(sig.get('negated')))}{int(bool(sig.get('hypothetical')))}"
    return ["\x1f".join([base, *k]) for k in _party_keys(sig.get("actor"), True)]


class UnionFind:
    """Union-find over hashable nodes (added on first sight)."""

    def __init__(self) -> None:
        self.parent: dict = {}

    def find(self, x):
        parent = self.parent
        root = parent.setdefault(x, x)
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    def union(self, a, b) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[ra] = rb


def connect(uf: UnionFind, sigs: dict[str, dict], node: Callable[[str], object] = lambda k: k) -> None:
    """Join in `uf` the nodes (`node(key)`) of the signatures (key -> signature) that are the
    same happening, comparing only signatures that share a block."""
    by_block: dict[str, list[str]] = {}
    for key, sig in sigs.items():
        for block in signature_blocks(sig):
            by_block.setdefault(block, []).append(key)
    for keys in by_block.values():
        for x, kx in enumerate(keys):
            for ky in keys[x + 1:]:
                if uf.find(node(kx)) != uf.find(node(ky)) and same_happening(sigs[kx], sigs[ky]):
                    uf.union(node(kx), node(ky))
