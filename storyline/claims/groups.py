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
import re

# "about 300" agrees with "300" and "some 300": an approximate value is taken as +-10 % of it.
# Chosen by convention (news rounding: "about 300" for 270..330), not fitted; a toll of 300 and
# one of 340 do not agree, 300 and 320 do.
APPROX = 0.10
STOP = {"the", "a", "an", "of", "in", "on", "at", "to", "for", "and", "its", "their", "his", "her", "this",
        "that", "these", "those", "some", "more", "than", "about", "by", "with", "from", "which", "who",
        "number", "total", "figure", "people", "it", "they", "there"}
PERIOD_VALUE = re.compile(r"^\d{4}(?:-(?:\d{2}|Q\d|W\d{2}|H\d))?$")  # year, month, quarter, week


def _stem(w: str) -> str:
    w = w.lower().strip(".,;:'\"()")
    for suf in ("ies", "es", "s"):
        if w.endswith(suf) and len(w) > len(suf) + 2:
            return w[: -len(suf)] + ("y" if suf == "ies" else "")
    return w


def _words(*texts) -> set[str]:
    out = set()
    for t in texts:
        for w in re.split(r"[\s\-/]+", t or ""):
            s = _stem(w)
            if s and s not in STOP and not re.fullmatch(r"[\d.,%$~]+", s):
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


def _key_words(claim) -> set[str]:
    subj = (claim.get("subject") or {}).get("text")
    if claim["kind"] == "dated":
        return _words(subj, (claim.get("event") or {}).get("text"))
    counted = claim.get("unit") if claim.get("unit_normalised") and " " not in (claim.get("unit") or "x y") else None
    unit_words = claim.get("unit") if claim.get("unit_span") and claim.get("currency") is None else None
    return _words(subj, unit_words if unit_words and not counted else counted)


def _same_thing(a, b, wa, wb) -> bool:
    if a["kind"] != b["kind"] or _change_class(a) != _change_class(b) or _frame(a) != _frame(b):
        return False
    if a["kind"] == "numeric" and (a.get("unit_normalised") or "-") != (b.get("unit_normalised") or "-"):
        return False
    return bool(wa & wb)


def group_claims(claims: list[dict], articles: list[dict]) -> list[dict]:
    """Claim groups across the articles of each story (see module doc)."""
    by_id = {a["id"]: a for a in articles}
    order = sorted(range(len(claims)), key=lambda i: (str(by_id.get(claims[i]["article"], {}).get("story")),
                                                      str(by_id.get(claims[i]["article"], {}).get("published") or ""),
                                                      claims[i]["article"], claims[i]["span"]["start"]))
    clusters: list[list[int]] = []
    words = {i: _key_words(claims[i]) for i in order}
    for i in order:
        story = by_id.get(claims[i]["article"], {}).get("story")
        placed = False
        for cl in clusters:
            j = cl[0]
            if by_id.get(claims[j]["article"], {}).get("story") != story:
                continue
            if any(_same_thing(claims[i], claims[k], words[i], words[k]) for k in cl):
                cl.append(i)
                placed = True
                break
        if not placed:
            clusters.append([i])
    return [_group(claims, cl, by_id) for cl in clusters]


def _status(members, by_id) -> str:
    sources_agree: list[tuple[str, dict]] = [(_source_key(c, by_id), c) for c in members]
    disagree = [(a, b) for i, a in enumerate(members) for b in members[i + 1:] if not _agree(a, b)]
    if disagree:
        # updated: one value per publication day, moving one way over the days
        days: dict[str, list[dict]] = {}
        for c in members:
            day = str(by_id.get(c["article"], {}).get("published") or "")[:10]
            days.setdefault(day, []).append(c)
        if "" not in days and len(days) >= 2:
            seq = []
            ok = True
            for day in sorted(days):
                group = days[day]
                if any(not _agree(x, y) for x in group for y in group):
                    ok = False
                    break
                seq.append(group[0])
            if ok:
                keys = [_order_key(c) for c in seq]
                if all(x < y for x, y in zip(keys, keys[1:])) or all(x > y for x, y in zip(keys, keys[1:])):
                    return "updated"
        return "conflicting"
    agreeing_sources = {k for k, _ in sources_agree}
    return "corroborated" if len(agreeing_sources) >= 2 else "single-source"


def _order_key(c):
    if c["kind"] == "dated":
        return str(c.get("value"))
    lo, hi = _interval(c)
    return (lo + hi) / 2 if hi != float("inf") and lo != float("-inf") else (lo if hi == float("inf") else hi)


def _group(claims, cluster, by_id) -> dict:
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
    for c in sorted(members, key=lambda c: (str(by_id.get(c["article"], {}).get("published") or ""), c["article"])):
        values.append({"value": c["value"], "qualifier": c.get("qualifier"), "unit": c.get("unit_normalised"),
                       "text": c.get("text"), "article": c["article"], "claim": c.get("id"),
                       "source": _source_key(c, by_id),
                       "published": by_id.get(c["article"], {}).get("published")})
    subj = (first.get("subject") or {}).get("text")
    if first["kind"] == "dated":
        desc = f"{subj or (first.get('event') or {}).get('text') or 'date'}: deadline / scheduled date"
    else:
        unit = first.get("unit_normalised") or ""
        desc = " ".join(x for x in (subj, f"({_change_class(first)}, {unit})" if unit else f"({_change_class(first)})") if x)
    return {"id": gid, "description": desc, "story": by_id.get(first["article"], {}).get("story"),
            "kind": first["kind"], "unit": first.get("unit_normalised"), "values": values, "articles": arts,
            "claims": ids, "independent_sources": len(sources), "sources": sources,
            "status": _status(members, by_id)}
