"""Claim groups: the same figure or deadline across the articles of a story, and its status.

`group_claims(claims, articles)` is a pure function over records. Each claim carries `article`
(an article id) and the fields `extract_claims` gives; each article dict has `id, source,
published, duplicate_of, story, cites`. Returns groups `{id, description, story, kind, unit,
values[], articles[], claims[], independent_sources, sources[], status}`.

"Same thing" (see docs/claims.md for where it fails): two claims are grouped when
- their articles are in the same story;
- they are the same kind (numeric / dated) and the same change class (a level, a rise, a fall);
- numeric: the same normalised unit, and their subjects (plus the counted noun) share a content
  word after a light stemming ("troops"/"troop"; "the toll"/"death toll");
  dated: their events or subjects share a content word ("withdraw", "pull-out");
- and the same time frame: claims dated by a month/quarter/year period ("in 2020", "last
  year") only group with claims of the same period; claims dated to a day or not dated at all
  are one running frame (a toll reported on Monday and on Tuesday is the same figure moving).

Status:
- `conflicting` if two values cannot both hold (their intervals under the qualifiers do not
  meet; dated: resolved dates differ) and the group is not an update;
- `updated` if the disagreeing values come from reports on different publication days and,
  in publication order, the figure moves one way (a toll rising day by day; a deadline moved
  later): a sequence, listed in `values[]` in date order;
- `corroborated` if at least two independent sources state agreeing values;
- `single-source` otherwise.

Independent sources: an article that is a `duplicate_of` another counts as its original; one
outlet counts once; a claim attributed to an agency the article `cites` (e.g. "according to
Reuters") counts as that agency, so two outlets relaying one Reuters figure are one source.
"""
from __future__ import annotations

import hashlib
import json
import math
import re
from collections import Counter
from typing import Optional

# "about 300" agrees with "300" and "some 300": an approximate value is taken as +-10 % of it.
# Chosen by convention (news rounding: "about 300" for 270..330), not fitted; a toll of 300 and
# one of 340 do not agree, 300 and 320 do.
APPROX = 0.10
STOP = {"the", "a", "an", "of", "in", "on", "at", "to", "for", "and", "its", "their", "his", "her", "this",
        "that", "these", "those", "some", "more", "than", "about", "by", "with", "from", "which", "who",
        "number", "total", "figure", "people", "it", "they", "there", "percent", "per", "cent", "percentage"}
PERIOD_VALUE = re.compile(r"^\d{4}(?:-(?:\d{2}|Q\d|W\d{2}|H\d))?$")  # year, month, quarter, week
_ES_PLURAL = re.compile(r"(?:ss|x|z|ch|sh)es$")
_WORD_SPLIT = re.compile(r"[\s\-/]+")
_NUMBER_ONLY = re.compile(r"[\d.,%$~]+")


def _stem(w: str) -> str:
    w = w.lower().strip(".,;:'\"()")
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if _ES_PLURAL.search(w):
        return w[:-2]
    if w.endswith("s") and not w.endswith("ss") and len(w) > 3:
        return w[:-1]
    return w


def _words(*texts) -> set[str]:
    out = set()
    for t in texts:
        for w in _WORD_SPLIT.split(t or ""):
            s = _stem(w)
            if s and s not in STOP and not _NUMBER_ONLY.fullmatch(s):
                out.add(s)
    return out


def _interval(claim) -> tuple[float, float]:
    v, q = claim["value"], claim.get("qualifier") or "="
    if isinstance(v, (list, tuple)):
        lo, hi = sorted(float(x) for x in v)
    else:
        lo = hi = float(v)
    if q == "~":
        return lo * (1 - APPROX), hi * (1 + APPROX)
    if q == ">":
        return lo, float("inf")
    if q == "<":
        return float("-inf"), hi
    return lo, hi


def _agree(a, b) -> bool:
    if a["kind"] == "dated":
        return a.get("value") is not None and a.get("value") == b.get("value")
    (l1, h1), (l2, h2) = _interval(a), _interval(b)
    return max(l1, l2) <= min(h1, h2) + 1e-9


def _frame(claim) -> str:
    d = claim.get("date") if claim["kind"] == "numeric" else None
    if d and PERIOD_VALUE.match(str(d)) and not re.match(r"^\d{4}-\d{2}-\d{2}", str(d)):
        return str(d)
    return ""


def _change_class(claim) -> str:
    q = claim.get("qualifier")
    return q if q in ("up", "down") else "level"


def _root(aid, by_id):
    seen = set()
    while aid in by_id and by_id[aid].get("duplicate_of") and aid not in seen:
        seen.add(aid)
        aid = by_id[aid]["duplicate_of"]
    return aid


def _source_key(claim, by_id) -> str:
    art = by_id.get(claim["article"], {})
    root = by_id.get(_root(claim["article"], by_id), art)
    att = ((claim.get("attributed_to") or {}).get("text") or "").lower()
    for agency in art.get("cites") or ():
        if agency and agency.lower() in att:
            return agency.lower()
    return (root.get("source") or root.get("id") or claim["article"]).lower()


# Words that name the same measure in news reports of a happening ("nine people were
# killed", "the toll rose to 14", "19 people had died", "five more bodies"): each maps to one
# class key, so differently worded reports of one figure share a key word. Written from the
# vocabulary of casualty, displacement and arrest reporting, not from any one document.
MEASURE_CLASSES = {
    "#dead": {"kill", "killed", "dead", "die", "died", "death", "toll", "body", "fatality",
              "life", "live", "perish", "perished", "drown", "drowned"},
    "#injured": {"injure", "injured", "injury", "wound", "wounded", "hurt", "casualty"},
    "#displaced": {"evacuate", "evacuated", "evacuee", "displace", "displaced", "flee", "fled", "homeless",
                   "refugee", "shelter", "sheltered", "home"},
    "#missing": {"missing", "unaccounted"},
    "#detained": {"arrest", "arrested", "detain", "detained", "detainee", "prisoner", "jail", "jailed"},
}
CLASS_LABELS = {"#dead": "people killed (toll)", "#injured": "people injured", "#displaced": "people displaced",
                "#missing": "people missing", "#detained": "people detained"}
_CLASS_OF = {w: cls for cls, words in MEASURE_CLASSES.items() for w in words}


def _classes(words: set[str]) -> set[str]:
    return {_CLASS_OF[w] for w in words if w in _CLASS_OF}


def _key_words(claim) -> set[str]:
    subj = (claim.get("subject") or {}).get("text")
    if claim["kind"] == "dated":
        return _words(subj, (claim.get("event") or {}).get("text"))
    counted = claim.get("unit") if claim.get("unit_normalised") and " " not in (claim.get("unit") or "x y") else None
    unit_words = claim.get("unit") if claim.get("unit_span") and claim.get("currency") is None else None
    words = _words(subj, unit_words if unit_words and not counted else counted)
    pred = (claim.get("predicate") or {}).get("lemma") or (claim.get("predicate") or {}).get("text")
    classes = _classes(words | _words(pred, claim.get("unit")))
    if not classes and claim.get("unit_normalised") in (None, "people", "person"):
        classes = _nearest_class(claim)  # a bare count of people: what happened to them
    # a measure class names the figure better than its words ("toll" vs "people killed")
    return classes or words


def _nearest_class(claim, reach: int = 60) -> set[str]:
    """The measure named nearest the figure in its sentence ("the number of people killed
    ... has risen to 14"), for a measure the parse did not tie to the number."""
    sent = claim.get("sentence") or {}
    text, span = sent.get("text") or "", claim.get("span") or {}
    if not text or "start" not in sent or "start" not in span:
        return set()
    at, end = span["start"] - sent["start"], span["end"] - sent["start"]
    best = None
    for m in re.finditer(r"[A-Za-z]+", text):
        cls = _CLASS_OF.get(_stem(m.group()))
        dist = at - m.end() if m.end() <= at else m.start() - end
        if cls and 0 <= dist <= reach and (best is None or dist < best[0]):
            best = (dist, cls)
    return {best[1]} if best else set()


# Who stands where on a figure: a demanded figure and an offered one are different claims
# ("a 9 percent increase" demanded, "a 4 percent rise" offered).
STANCES = {"demand": "ask", "ask": "ask", "seek": "ask", "want": "ask", "call": "ask", "request": "ask",
           "offer": "offer", "propose": "offer", "give": "offer", "table": "offer", "accept": "accept",
           "reject": "reject", "refuse": "reject"}


def _stance(claim):
    return STANCES.get((claim.get("predicate") or {}).get("lemma") or "")


def _same_thing(a, b, wa, wb) -> bool:
    if a["kind"] != b["kind"] or _change_class(a) != _change_class(b) or _frame(a) != _frame(b):
        return False
    if _stance(a) and _stance(b) and _stance(a) != _stance(b):
        return False
    if a["kind"] == "numeric" and (a.get("unit_normalised") or "-") != (b.get("unit_normalised") or "-"):
        # "14" (the toll) and "19 people" (died) are one measure when a class says so
        classed = {w for w in wa & wb if w.startswith("#")}
        if not classed or {a.get("unit_normalised"), b.get("unit_normalised")} - {None, "people", "person"}:
            return False
    return bool(wa & wb)


def group_claims(claims: list[dict], articles: list[dict], *, exhaustive: bool = False,
                 state: Optional[dict] = None) -> list[dict]:
    """Claim groups across the articles of each story (see module doc).

    Cost: each claim is compared only with the clusters that share one of its blocks
    (`_blocks`), and a group's status is decided in one pass over its members, so a story of
    n claims costs about n, not n^2. `exhaustive=True` runs the all-pairs reference (every
    claim against every member of every cluster of its story, every pair of a group's
    members): the same groups, kept for the tests and `bench/bench_groups.py`.

    `state`: a dict that receives, per story (not for claims without a story), the
    clustering state `replay_story` continues from, as the store keeps it
    (`GroupTable.replace_stories`)."""
    by_id = {a["id"]: a for a in articles}
    order = sorted(range(len(claims)), key=lambda i: (str(by_id.get(claims[i]["article"], {}).get("story")),
                                                      str(by_id.get(claims[i]["article"], {}).get("published") or ""),
                                                      claims[i]["article"], claims[i]["span"]["start"]))
    words = {i: _key_words(claims[i]) for i in order}
    of_story: Optional[dict] = {} if state is not None and not exhaustive else None
    clusters = (_clusters_all_pairs(claims, order, words, by_id) if exhaustive
                else _clusters_blocked(claims, order, words, by_id, of_story))
    groups = [_group(claims, cl, by_id, exhaustive, words) for cl in clusters]
    if state is not None and of_story is not None:
        gid = {id(cl): g["id"] for cl, g in zip(clusters, groups)}
        for story, (mine, index) in of_story.items():
            if story is not None:
                state[story] = _story_state(claims, words, by_id, mine, index, gid)
    return groups


# --- appending to a story: its clustering state kept in the store ------------------------------
#
# The greedy clustering is a pass over a story's claims in order (published, article,
# span start). After that pass over the stored claims, the state is: the clusters in order
# of creation, and per block and cluster one member of each stance (`_clusters_blocked`).
# Claims that come after every stored one continue the pass from that state; claims that
# come among them are replayed together with the stored claims after the first of them (a
# suffix): the state before that point is the stored one without what the suffix added (a
# member in the suffix stands for its block only if no earlier member of its stance
# could; a cluster opened in the suffix has no earlier member). The result is the pass over
# everything, so the same clusters, in the same order, as grouping the story whole.

def claim_id(claim: dict) -> str:
    return claim.get("id") or f"{claim['article']}:{claim['span']['start']}"


def order_key(claim: dict, by_id: dict) -> tuple[str, str, int]:
    """A claim's place in its story's clustering order (the order `group_claims` sorts by)."""
    return (str(by_id.get(claim["article"], {}).get("published") or ""), claim["article"], claim["span"]["start"])


def block_key(key: tuple) -> str:
    return json.dumps(list(key), ensure_ascii=False)


def key_words(claim: dict) -> set[str]:
    """The words (or measure classes) a claim is grouped by."""
    return _key_words(claim)


def blocks_of(claim: dict, words: set[str]) -> list[str]:
    """The keys of a claim's blocks (`words`: its `key_words`), as the store keeps them."""
    return [block_key(k) for k in _blocks(claim, words)]


def _rep(claim: dict, words: set[str]) -> str:
    """What `_same_thing` reads of a member standing for its block (kind, qualifier, date,
    normalised unit, predicate lemma), and its key words."""
    return json.dumps([claim["kind"], claim.get("qualifier"), claim.get("date") if claim["kind"] == "numeric" else None,
                       claim.get("unit_normalised"), (claim.get("predicate") or {}).get("lemma"), sorted(words)],
                      ensure_ascii=False)


def _from_rep(text: str) -> tuple[dict, set[str]]:
    kind, qualifier, date, unit, lemma, words = json.loads(text)
    return ({"kind": kind, "qualifier": qualifier, "date": date, "unit_normalised": unit,
             "predicate": {"lemma": lemma}}, set(words))


def story_dated_span(claim: dict) -> Optional[tuple[int, int]]:
    """The span of a yearless date its story may date (see `link/claims._story_dated`)."""
    date, span = claim.get("date"), claim.get("date_span")
    if claim.get("date_anchor") == "story" or (date and str(date).startswith("XXXX") and span):
        return (span["start"], span["end"]) if span else None
    return None


def _member_row(claim: dict, by_id: dict, cluster: int, opens: bool) -> tuple:
    pub, art, start = order_key(claim, by_id)
    span = story_dated_span(claim)
    dated = json.dumps([span[0], span[1], claim.get("date") if claim.get("date_anchor") == "story" else None]) \
        if span else None
    return (pub, art, start, claim_id(claim), cluster, int(opens), dated)


def _block_row(key: tuple, cluster: int, stance, claim: dict, rep: str, by_id: dict) -> tuple:
    pub, art, _start = order_key(claim, by_id)
    return (block_key(key), cluster, stance or "", pub, art, rep)


def _story_state(claims, words, by_id, mine, index, gid) -> dict:
    members = [_member_row(claims[i], by_id, k, j == 0) for k, cl in enumerate(mine) for j, i in enumerate(cl)]
    reps: dict[int, tuple] = {}  # claim -> (published, article, rep), once
    blocks = []
    for key, by_cluster in index.items():
        bkey = block_key(key)
        for k, rs in by_cluster.items():
            for stance, i in rs.items():
                r = reps.get(i)
                if r is None:
                    r = reps[i] = (*order_key(claims[i], by_id)[:2], _rep(claims[i], words[i]))
                blocks.append((bkey, k, stance or "", *r))
    return {"clusters": len(mine), "pos": {gid[id(cl)]: k for k, cl in enumerate(mine)},
            "members": members, "blocks": blocks}


def load_index(rows: list[tuple], after: tuple[str, str]) -> tuple[dict, list[tuple]]:
    """The block index of a story before `after` (published, article) from its stored
    block rows: key -> cluster -> stance -> (member, its words); and the rows of members
    from `after` on, which go (the replay sets them again)."""
    index: dict = {}
    drop = []
    for block, cl, stance, pub, art, rep in rows:
        if (pub, art) > after:
            drop.append((block, cl, stance))
        else:
            index.setdefault(tuple(json.loads(block)), {}).setdefault(cl, {})[stance or None] = _from_rep(rep)
    return index, drop


def replay_story(index: dict, clusters: int, claims: list[dict], words: list[set[str]],
                 by_id: dict) -> tuple[list[int], list[tuple], list[tuple], int]:
    """Continue a story's clustering over `claims` (in clustering order; `words`: their
    `key_words`) from `index` and its first `clusters` clusters (`_clusters_blocked`, one
    story). Returns each claim's cluster, the member rows and block rows they add (as
    `GroupTable` keeps them), and the count of clusters after."""
    placed, members, blocks = [], [], []
    for c, w in zip(claims, words):
        keys = _blocks(c, w)
        best = None
        for key in keys:
            for k, reps in index.get(key, {}).items():
                if (best is None or k < best) and any(_same_thing(c, r, w, rw) for r, rw in reps.values()):
                    best = k
        opens = best is None
        if best is None:
            best, clusters = clusters, clusters + 1
        placed.append(best)
        members.append(_member_row(c, by_id, best, opens))
        stance = _stance(c)
        rep = None
        for key in keys:
            reps = index.setdefault(key, {}).setdefault(best, {})
            if stance not in reps:
                reps[stance] = (c, w)
                rep = rep or _rep(c, w)
                blocks.append(_block_row(key, best, stance, c, rep, by_id))
    return placed, members, blocks, clusters


def group_of(members: list[dict], words: list[set[str]], by_id: dict) -> dict:
    """The group of one cluster's members (in clustering order; `words`: their
    `key_words`), as `group_claims` makes it."""
    return _group(members, list(range(len(members))), by_id, False, dict(enumerate(words)))


def _clusters_all_pairs(claims, order, words, by_id) -> list[list[int]]:
    """Greedy clustering, the reference: a claim joins the first cluster of its story (in
    order of creation) with a member that is the same thing, else starts one."""
    clusters: list[list[int]] = []
    of_story: dict = {}  # story -> its clusters, in order of creation (a claim only meets its story's)
    for i in order:
        story = by_id.get(claims[i]["article"], {}).get("story")
        mine = of_story.setdefault(story, [])
        placed = False
        for cl in mine:
            if any(_same_thing(claims[i], claims[k], words[i], words[k]) for k in cl):
                cl.append(i)
                placed = True
                break
        if not placed:
            mine.append([i])
            clusters.append(mine[-1])
    return clusters


def _blocks(claim, words: set[str]) -> list[tuple]:
    """The keys under which a claim can meet another: `_same_thing` needs the same kind,
    change class and frame, a shared key word, and either the same unit (numeric) or, for
    two counts of people, a shared measure class ("#dead"). So two claims that are the same
    thing always share a key, and two claims that share a key are the same thing unless
    their stances differ (the only rule left out of the key)."""
    base = (claim["kind"], _change_class(claim), _frame(claim))
    if claim["kind"] != "numeric":
        return [(*base, "", w) for w in words]
    unit = claim.get("unit_normalised") or "-"
    keys = [(*base, unit, w) for w in words]
    if claim.get("unit_normalised") in (None, "people", "person"):
        keys += [(*base, None, w) for w in words if w.startswith("#")]  # None: no unit is None
    return keys


def _clusters_blocked(claims, order, words, by_id, state: Optional[dict] = None) -> list[list[int]]:
    """The same clusters as `_clusters_all_pairs`: a claim joins the earliest cluster of its
    story with a member that is the same thing. Only clusters sharing a block with the claim
    can hold such a member; per block and cluster one member of each stance stands for the
    rest (inside a block only the stance can tell two claims apart)."""
    clusters: list[list[int]] = []
    of_story: dict = {}  # story -> (its clusters in order of creation, block -> cluster -> stance -> member)
    for i in order:
        story = by_id.get(claims[i]["article"], {}).get("story")
        mine, index = of_story.setdefault(story, ([], {}))
        keys = _blocks(claims[i], words[i])
        best = None
        for key in keys:
            for c, reps in index.get(key, {}).items():
                if (best is None or c < best) and any(
                        _same_thing(claims[i], claims[k], words[i], words[k]) for k in reps.values()):
                    best = c
        if best is None:
            best = len(mine)
            mine.append([i])
            clusters.append(mine[-1])
        else:
            mine[best].append(i)
        stance = _stance(claims[i])
        for key in keys:
            index.setdefault(key, {}).setdefault(best, {}).setdefault(stance, i)
    if state is not None:
        state.update(of_story)  # story -> (its clusters, its block index): `group_claims(state=)`
    return clusters


# A figure said against another ("five more than the national figure", "disputes the
# official count"): the two values are a conflict even when reported on different days.
DISPUTE = re.compile(r"\b(?:disput\w*|contradict\w*|contest\w*|den(?:y|ies|ied)|refut\w*|"
                     r"(?:more|fewer|less|higher|lower) than (?:the )?(?:official|national|government|ministry|"
                     r"authorities|reported|published)\w*)\b", re.IGNORECASE)
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")


def _when(claim, by_id):
    """The day a figure refers to: its own resolved date, else its report's date."""
    d = claim.get("date") if claim["kind"] == "numeric" else None
    if d and DAY.match(str(d)):
        return str(d)[:10]
    pub = by_id.get(claim["article"], {}).get("published")
    return str(pub)[:10] if pub else None


def _disputed(claim) -> bool:
    return bool(DISPUTE.search((claim.get("sentence") or {}).get("text") or claim.get("text") or ""))


def _status(members, by_id, exhaustive: bool = False) -> tuple[str, bool]:
    """(status, moved). conflicting: two values that cannot both hold for the same time, or one said against
    the other; updated: values that move one way as time passes; corroborated: two or more
    independent sources agree; single-source otherwise."""
    when = [_when(c, by_id) for c in members]
    flags = None if exhaustive else _flags_fast(members, when, by_id)
    conflict, moves = flags if flags is not None else _flags_all_pairs(members, when, by_id)
    if conflict:
        return "conflicting", moves
    if moves:
        by_day: dict[str, dict] = {}
        for c, w in zip(members, when):
            by_day.setdefault(str(w), c)
        keys = [_order_key(by_day[d]) for d in sorted(by_day)]
        if all(x <= y for x, y in zip(keys, keys[1:])) or all(x >= y for x, y in zip(keys, keys[1:])):
            return "updated", True
        return "conflicting", True
    agreeing_sources = {_source_key(c, by_id) for c in members}
    return ("corroborated" if len(agreeing_sources) >= 2 else "single-source"), False


def _flags_all_pairs(members, when, by_id) -> tuple[bool, bool]:
    """(conflict, moves) over every pair of members, the reference: a pair that disagrees is a
    conflict when it cannot be a sequence (the same day, a day unknown, one value said against
    the other, or two sources naming different deadlines), else a move."""
    moves = conflict = False
    for i, a in enumerate(members):
        for j in range(i + 1, len(members)):
            b = members[j]
            if _agree(a, b):
                continue
            # a deadline moves when the same source later names another date; two sources
            # naming different dates conflict
            other_source = a["kind"] == "dated" and _source_key(a, by_id) != _source_key(b, by_id)
            if other_source or when[i] is None or when[j] is None or when[i] == when[j] \
                    or _disputed(a) or _disputed(b):
                conflict = True
            else:
                moves = True
    return conflict, moves


def _flags_fast(members, when, by_id) -> Optional[tuple[bool, bool]]:
    """`_flags_all_pairs` without the pairs: whether some pair is a conflict (or a move) is
    read from per-day and per-source aggregates (counts, the highest lower bound and lowest
    upper bound), one pass over the members. None when a value is outside what the
    aggregates assume (NaN, an unhashable deadline value): then the pairs decide."""
    loose = [when[i] is None or _disputed(c) for i, c in enumerate(members)]  # any disagreement conflicts
    if members[0]["kind"] == "dated":
        return _dated_flags(members, when, loose, by_id)
    return _numeric_flags(members, when, loose)


class _Pool:
    """Intervals (lower bound, upper bound + tolerance) of some members: whether one member
    disagrees with any other member of the pool (`_agree`: intervals that do not meet, or
    an interval that does not meet itself)."""

    def __init__(self, idx, lo, hi, bad):
        self.idx = set(idx)
        self.nbad = sum(1 for i in idx if bad[i])
        self.top = sorted(idx, key=lambda i: -lo[i])[:2]  # highest lower bounds
        self.low = sorted(idx, key=lambda i: hi[i])[:2]  # lowest upper bounds

    def disagrees(self, x, lo, hi, bad) -> bool:
        inside = x in self.idx
        if len(self.idx) - inside == 0:
            return False
        if bad[x] or self.nbad - (inside and bad[x]) > 0:
            return True
        top = next(i for i in self.top if i != x)
        low = next(i for i in self.low if i != x)
        return lo[top] > hi[x] or hi[low] < lo[x]


def _numeric_flags(members, when, loose) -> Optional[tuple[bool, bool]]:
    bounds = [_interval(c) for c in members]
    if any(math.isnan(b) for pair in bounds for b in pair):
        return None
    lo = [b[0] for b in bounds]
    hi = [b[1] + 1e-9 for b in bounds]  # as in `_agree`: max(lo) <= min(hi) + 1e-9
    bad = [lo[i] > hi[i] for i in range(len(members))]
    everyone = _Pool(range(len(members)), lo, hi, bad)
    days: dict = {}
    for i, w in enumerate(when):
        if w is not None:
            days.setdefault(w, []).append(i)
    conflict = any(everyone.disagrees(i, lo, hi, bad) for i in range(len(members)) if loose[i])
    if not conflict:
        for idx in days.values():
            pool = _Pool(idx, lo, hi, bad)
            if any(pool.disagrees(i, lo, hi, bad) for i in idx):
                conflict = True
                break
    # moves: two members, neither loose, of different days, that disagree
    firm = {w: [i for i in idx if not loose[i]] for w, idx in days.items()}
    firm = {w: idx for w, idx in firm.items() if idx}
    total, nbad = sum(map(len, firm.values())), sum(bad[i] for idx in firm.values() for i in idx)
    top_lo = {w: max(lo[i] for i in idx) for w, idx in firm.items()}
    low_hi = {w: min(hi[i] for i in idx) for w, idx in firm.items()}
    by_top = sorted(firm, key=lambda w: -top_lo[w])[:2]
    by_low = sorted(firm, key=lambda w: low_hi[w])[:2]
    moves = False
    for w, idx in firm.items():
        if total - len(idx) == 0:
            continue
        other_top = top_lo[next(d for d in by_top if d != w)]
        other_low = low_hi[next(d for d in by_low if d != w)]
        other_bad = nbad - sum(bad[i] for i in idx)
        if other_bad or any(bad[i] or other_top > hi[i] or other_low < lo[i] for i in idx):
            moves = True
            break
    return conflict, moves


def _dated_flags(members, when, loose, by_id) -> Optional[tuple[bool, bool]]:
    # a deadline agrees only with the same resolved value; an unresolved one with nothing
    vals = [(0, c.get("value")) if c.get("value") is not None else (1, i) for i, c in enumerate(members)]
    try:
        n_val = Counter(vals)
    except TypeError:
        return None
    src = [_source_key(c, by_id) for c in members]
    n = len(members)
    n_src, n_vs = Counter(src), Counter(zip(vals, src))
    conflict = any(loose[i] and n_val[vals[i]] < n for i in range(n))  # a loose one against any other
    days: dict = {}
    for i, w in enumerate(when):
        if w is not None:
            days.setdefault(w, set()).add(vals[i])
    conflict = conflict or any(len(v) > 1 for v in days.values())  # two values on one day
    # two sources naming different dates
    conflict = conflict or any(n - n_val[vals[i]] - n_src[src[i]] + n_vs[(vals[i], src[i])] > 0 for i in range(n))
    # moves: one source, two days, two values (neither loose)
    firm = [i for i in range(n) if not loose[i]]
    s_ = Counter(src[i] for i in firm)
    sw = Counter((src[i], when[i]) for i in firm)
    sv = Counter((src[i], vals[i]) for i in firm)
    swv = Counter((src[i], when[i], vals[i]) for i in firm)
    moves = any(s_[src[i]] - sw[(src[i], when[i])] - sv[(src[i], vals[i])] + swv[(src[i], when[i], vals[i])] > 0
                for i in firm)
    return conflict, moves


def _order_key(c):
    if c["kind"] == "dated":
        return str(c.get("value"))
    lo, hi = _interval(c)
    return (lo + hi) / 2 if hi != float("inf") and lo != float("-inf") else (lo if hi == float("inf") else hi)


def _group(claims, cluster, by_id, exhaustive: bool = False, words: Optional[dict] = None) -> dict:
    """One group from a cluster of claim indices; `words`: index -> `_key_words` of the
    claim, when already computed."""
    members = [claims[i] for i in cluster]
    first = members[0]
    ids = [c.get("id") or f"{c['article']}:{c['span']['start']}" for c in members]
    gid = "cg" + hashlib.sha1("|".join(sorted(map(str, ids))).encode()).hexdigest()[:10]
    arts = []
    for c in members:
        if c["article"] not in arts:
            arts.append(c["article"])
    sources = sorted({_source_key(c, by_id) for c in members})
    values = []
    for c in sorted(members, key=lambda c: (str(_when(c, by_id) or "9999"), c["article"], c["span"]["start"])):
        values.append({"value": c["value"], "qualifier": c.get("qualifier"), "unit": c.get("unit_normalised"),
                       "text": c.get("text"), "article": c["article"], "claim": c.get("id"),
                       "source": _source_key(c, by_id), "as_of": _when(c, by_id),
                       "published": by_id.get(c["article"], {}).get("published")})
    subj = next(((c.get("subject") or {}).get("text") for c in members
                 if (c.get("subject") or {}).get("text") and not c["subject"]["text"].isupper()), None)
    shared = set.intersection(*(words[i] if words is not None else _key_words(claims[i]) for i in cluster))
    label = next((CLASS_LABELS[w] for w in sorted(shared) if w in CLASS_LABELS), None)
    subj = label or subj
    status, moved = _status(members, by_id, exhaustive)
    if first["kind"] == "dated":
        desc = f"{subj or (first.get('event') or {}).get('text') or 'date'}: deadline / scheduled date"
    else:
        unit = first.get("unit_normalised") or ""
        desc = " ".join(x for x in (subj, f"({_change_class(first)}, {unit})" if unit else f"({_change_class(first)})") if x)
    return {"id": gid, "description": desc, "story": by_id.get(first["article"], {}).get("story"),
            "kind": first["kind"], "unit": first.get("unit_normalised"), "values": values, "articles": arts,
            "claims": ids, "independent_sources": len(sources), "sources": sources,
            "status": status, "moved": moved}
