"""Across articles: merge each article's local entities into canonical actors.

Pure function over actor records (the store linker and the ECB+ eval both call it).
Evidence that joins two local entities:
- the same gazetteer key ("US", "U.S.", "America" all carry key USA; "Ankara said" and
  "the Turkish government" both carry TUR#government);
- organisations and places: the same name or alias, less "the" and a possessive
  (aliases include acronyms the article itself tied to the name, "SLF");
- people: the same full name (two words or more). A surname-only person joins a full-name
  person with that surname only when exactly one such person exists among the articles of
  the same story (or of the corpus, when stories are unknown). Two people who share a
  surname but not a first name are never joined.
"""
from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from typing import Callable, Iterable, Optional

from scipy.cluster.hierarchy import DisjointSet

from .gazetteer import load
from .names import contains, drop_possessive, norm_key, possessive

NAME_FORMS = {"name", "surname", "acronym", "metonym", "demonym"}
# Labels the small model gives a lone surname by mistake ("Halvik" as a place).
SURNAME_SLIPS = {"GPE", "LOC", "ORG", "NORP"}


def facet_of(key: str) -> tuple[str, Optional[str]]:
    """A gazetteer key's actor and sector: "FRA#government" -> ("FRA", "government"), as
    CAMEO's FRAGOV is a sector of FRA; "FRA" -> ("FRA", None)."""
    base, _, sector = key.partition("#")
    return base, sector or None


def _name_key(rec: dict, gpe_names: set[str]) -> Optional[str]:
    """Keys of the form NAME:<place>#government: a demonym base ("Kessaran") is mapped to
    the place it grows from when some article names that place ("Kessara")."""
    key = rec.get("key")
    if not key or not key.startswith("NAME:"):
        return key
    base, _, which = key[5:].partition("#")
    for g in sorted(gpe_names, key=len, reverse=True):
        if len(g) >= 4 and 0 < len(base) - len(g) <= 3 and base.startswith(g[:max(4, len(g) - 1)]):
            base = g
            break
    return f"NAME:{base}#{which}" if which else f"NAME:{base}"


def _seats_as_governments(recs: list[dict]) -> list[dict]:
    """A place that some report shows as one government's seat (`seat_of`, from a dateline:
    "VELGRAD – Dornland's government said") stands for that government when it speaks
    elsewhere ("Velgrad said"), as the gazetteer's capitals do for real countries. A place
    seen as the seat of two governments is left alone."""
    seats: dict[str, set] = defaultdict(set)
    for r in recs:
        if r.get("seat_of") and not r.get("key"):
            seats[norm_key(r["name"])].add(r["seat_of"])
    out = []
    for r in recs:
        key = r.get("key") or ""
        base, _, which = key[5:].partition("#") if key.startswith("NAME:") else ("", "", "")
        owner = seats.get(norm_key(base)) if base else None
        if owner and len(owner) == 1 and which:
            country = next(iter(owner))
            r = {**r, "key": f"NAME:{country}#{which}", "name": f"{possessive(country)} {which}"}
        out.append(r)
    return out


def memo_norm() -> Callable[[str], str]:
    """`norm_key` with a memory of the names it has seen, for one call of `merge` or one run
    of the linker (the same names come again and again)."""
    memo: dict[str, str] = {}

    def norm(text: str) -> str:
        out = memo.get(text)
        if out is None:
            out = memo[text] = norm_key(text)
        return out

    return norm


def touch_keys(rec: dict, norm: Callable[[str], str] = norm_key) -> set[str]:
    """Every key through which `merge` lets this record meet another one: two records that
    share no key, directly or through a chain of records, never change each other's
    entity. So an incremental linker merges a new article's records with the stored records
    that share a key, then theirs, and so on until nothing new is reached (the connected
    component), and gets what a merge over the whole corpus gives those records.

    One key per rule of `merge`: the gazetteer key ("key"); names, aliases and the name a
    canonical id is hashed from ("name"); full names and every run of two or more of their
    words ("person"; a name inside a longer one, a split name, an organisation with a
    person's name); surnames ("surname"; surname-only people and the model's surname
    slips); place-name prefixes ("pfx"; a demonym mapped to the place it grows from, which
    shares at least its first four letters); seats of government ("seat"). The surname key
    only where a surname rule reads the record: an unkeyed person's full or one-word name, a
    one-word place or organisation that may be a surname slip (`is_slip`); an organisation
    "Harbour Party" does not meet every "... Party" through its last word."""
    out = set()
    key, name = rec.get("key"), rec.get("name") or ""
    if rec.get("split_name"):
        out.add("person\x1f" + norm(rec["split_name"]))
    if rec.get("seat_of") and not key:  # may rewrite NAME:<seat> keys as its government's
        country = rec["seat_of"]
        out |= {"seat\x1f" + norm(name), "key\x1fNAME:" + country, "name\x1f" + norm(country),
                "pfx\x1f" + country[:4]}
    if key:
        base = facet_of(key)[0]
        out.add("key\x1f" + base)
        if base.startswith("NAME:"):
            out |= {"name\x1f" + norm(base[5:]), "seat\x1f" + norm(base[5:]), "pfx\x1f" + base[5:9]}
        return out
    nk = norm(name)
    out |= {"name\x1f" + nk, "name\x1f" + name.lower()}
    out |= {"name\x1f" + norm(n) for n in rec.get("names", [])}
    if rec.get("type") == "GPE":
        out.add("pfx\x1f" + name[:4])
    words = name.split()
    person = rec.get("type") == "PERSON"
    if len(words) >= 2:
        out.add("person\x1f" + nk)
        w = nk.split()
        out |= {"person\x1f" + " ".join(w[a:b]) for a in range(len(w)) for b in range(a + 2, len(w) + 1)}
        if person:  # only a person's full name is read by the surname rules
            out.add("surname\x1f" + words[-1].lower())
    elif words and (person or is_slip({"mentions": [], "type": None, **rec})):
        out.add("surname\x1f" + name.lower())
    return out


def name_writes(rec: dict, norm: Callable[[str], str] = norm_key) -> tuple[set[str], set[str]]:
    """The ("name", x) entries of `merge` this record makes for certain (an unkeyed place or
    organisation: its names and aliases), and those it may make depending on other records
    (a NAME: key, which a place name or a seat of government may map elsewhere; a seat's
    country). A one-word person with no full name of its surname in its story joins the
    cluster of ("name", its name) when there is one (the "Osk" rule), so the linker asks the
    store for these (`probe_keys`)."""
    key = rec.get("key")
    if key:
        return set(), ({norm(facet_of(key)[0][5:])} if key.startswith("NAME:") else set())
    unsure = {norm(rec["seat_of"])} if rec.get("seat_of") else set()
    if rec.get("type") == "PERSON":
        return set(), unsure
    return {norm(n) for n in {rec["name"], *rec.get("names", [])} if norm(n)}, unsure


def probe_keys(rec: dict, norm: Callable[[str], str] = norm_key) -> set[str]:
    """Index keys the linker probes, not followed as touch keys: "nw" for each ("name", x)
    a record surely makes, "nx" for each it may make (`name_writes`)."""
    sure, unsure = name_writes(rec, norm)
    return {"nw\x1f" + x for x in sure} | {"nx\x1f" + x for x in unsure}


def fast_class(rec: dict) -> Optional[str]:
    """How an arriving record can join a stored entity without re-merging it (see
    storyline/link/actors.py): "key" (a gazetteer key: joined by that key alone), "person"
    (a full name), "name" (an organisation or place) or "surname" (a one-word person: the
    surname rule reads its story's full names); None when its merge reads more than that (a
    demonym or seat of government, a split name)."""
    if rec.get("seat_of") or rec.get("split_name"):
        return None
    key = rec.get("key")
    if key:
        return None if key.startswith("NAME:") else "key"
    if rec["type"] == "PERSON":
        return "person" if len(rec["name"].split()) >= 2 else "surname"
    return "name"


def sig_key(rec: dict) -> str:
    """The index key of what every rule of `merge` reads of a record, but its article and
    story: two records with the same signature (and story) always end in the same entity,
    and a record whose signature is already stored adds no new evidence to any rule but the
    story ones. Records with a gazetteer key: that key (all of them join by it alone)."""
    key = rec.get("key")
    if key and not key.startswith("NAME:"):
        return "gkey\x1f" + facet_of(key)[0]
    forms = {m.get("form") for m in rec["mentions"]}
    sig = [rec["type"], rec["name"], sorted(set(rec.get("names", []))), key, rec.get("seat_of"),
           rec.get("split_name"), bool(rec.get("roles")), "acronym" in forms, bool(forms & {"pronoun", "description"})]
    return "sig\x1f" + hashlib.sha256(json.dumps(sig, ensure_ascii=False).encode("utf-8")).hexdigest()[:24]


def merge(records: Iterable[dict], story_of: Optional[dict] = None,
          summaries: Optional[dict] = None) -> tuple[list[dict], dict]:
    """Canonical entities and the map (article, local) -> entity id. With `summaries` (a
    dict), each entity's summary is put there under its id (`summary_add`)."""
    norm_key = memo_norm()  # the same normaliser, each name normalised once a call
    recs = _seats_as_governments([r for r in records if r.get("mentions")])
    story_of = story_of or {}
    dsu = DisjointSet(range(len(recs)))
    gpe_names = {r["name"] for r in recs if r.get("type") == "GPE" and not r.get("key")}
    by_index: dict[tuple, int] = {}

    def join(k: tuple, i: int) -> None:
        if k in by_index:
            dsu.merge(by_index[k], i)
        else:
            by_index[k] = i

    for i, r in enumerate(recs):
        key = _name_key(r, gpe_names)
        if key:
            base, sector = facet_of(key)
            join(("key", base), i)
            if base.startswith("NAME:"):  # "Kessara's government" and the place "Kessara"
                join(("name", norm_key(base[5:])), i)
            continue
        if r["type"] == "PERSON":
            if len(r["name"].split()) >= 2:
                join(("person", norm_key(r["name"])), i)
            continue
        for n in {r["name"], *r.get("names", [])}:
            if norm_key(n):
                join(("name", norm_key(n)), i)
    # an organisation or place with a person's full name is that person, mislabelled
    # ("Hugh Jackman" tagged ORG in one headline)
    for i, r in enumerate(recs):
        if r["type"] != "PERSON" and not r.get("key") and len(r["name"].split()) >= 2 \
                and ("person", norm_key(r["name"])) in by_index:
            dsu.merge(by_index[("person", norm_key(r["name"]))], i)
    # a full name inside a longer one ("Ellen DeGeneres" in a headline's "Comedian Ellen
    # DeGeneres Returns", "Tayyip Erdogan" in "Recep Tayyip Erdogan"): joined when exactly
    # one shorter full name fits
    fulls: dict[str, int] = {}
    for i, r in enumerate(recs):
        if r["type"] == "PERSON" and not r.get("key") and len(r["name"].split()) >= 2:
            fulls.setdefault(norm_key(r["name"]), i)
    for name, i in fulls.items():
        words = name.split()
        runs = {" ".join(words[a:b]) for a in range(len(words)) for b in range(a + 2, len(words) + 1)}
        inner = [o for o in runs if o != name and o in fulls]
        if len(inner) == 1 or len(inner) > 1 and all(contains(max(inner, key=len).split(), o.split()) for o in inner):
            dsu.merge(fulls[max(inner, key=len)], i)
    # surname-only people: join the one full-name person with that surname in the story
    full_by_surname: dict[tuple, set] = defaultdict(set)
    for i, r in enumerate(recs):
        if r["type"] == "PERSON" and not r.get("key") and len(r["name"].split()) >= 2:
            sur = r["name"].split()[-1].lower()
            full_by_surname[(story_of.get(r["article"]), sur)].add(dsu[i])
            full_by_surname[("*", sur)].add(dsu[i])
    # a first and last name a garbled text split across a sentence break ("Ilse. Varnholt
    # told"): the article records the pair; joined when some article has that full name
    for i, r in enumerate(recs):
        split = r.get("split_name")
        if split and ("person", norm_key(split)) in by_index:
            dsu.merge(by_index[("person", norm_key(split))], i)
    stories_of: dict[int, set] = defaultdict(set)  # cluster -> the stories it spans
    for i, r in enumerate(recs):
        stories_of[dsu[i]].add(story_of.get(r["article"]))
    for i, r in enumerate(recs):
        if r["type"] in SURNAME_SLIPS and not r.get("key") and len(r["name"].split()) == 1 \
                and not any(m.get("form") == "acronym" for m in r["mentions"]) and len(stories_of[dsu[i]]) == 1:
            # a surname the model typed as a place or organisation ("Halvik said" as GPE)
            # joins the one person of the story with that surname (never a place name
            # that other stories use too)
            story = story_of.get(r["article"])
            cands = {dsu[c] for c in full_by_surname.get((story if story else "*", r["name"].lower()), set())}
            if len(cands) == 1:
                dsu.merge(cands.pop(), i)
    for i, r in enumerate(recs):
        if r["type"] == "PERSON" and not r.get("key") and len(r["name"].split()) == 1:
            sur = r["name"].lower()
            story = story_of.get(r["article"])
            cands = {dsu[c] for c in full_by_surname.get((story if story else "*", sur), set())}
            if len(cands) == 1:
                dsu.merge(cands.pop(), i)
            elif not cands and not r.get("roles") and ("name", sur) in by_index \
                    and not any(m.get("form") in {"pronoun", "description"} for m in r["mentions"]):
                # a one-word "person" nobody else calls a person, with a place or
                # organisation of that name elsewhere ("Osk"): the model's label slip
                dsu.merge(by_index[("name", sur)], i)
            else:
                join(("person1", story or "*", sur), i)
    clusters: dict[int, list[int]] = {}  # in the order of each cluster's first record
    for i in range(len(recs)):
        clusters.setdefault(dsu[i], []).append(i)
    entities, links, used = [], {}, set()
    for cluster in clusters.values():
        members = [recs[i] for i in cluster]
        ent = _canonical(members, gpe_names, story_of)
        base = ent.pop("_key")
        summary = ent.pop("_summary")
        eid = "e" + hashlib.sha256(base.encode("utf-8")).hexdigest()[:15]
        if eid in used:  # same canonical name, different actor (e.g. a surname in two stories)
            eid = "e" + hashlib.sha256(f"{base}\x1f{members[0]['article']}".encode("utf-8")).hexdigest()[:15]
        if eid in used:  # ... and a third one starting in the same article (the store held two rows)
            first = f"{base}\x1f{members[0]['article']}\x1f{members[0]['local']}"
            eid = "e" + hashlib.sha256(first.encode("utf-8")).hexdigest()[:15]
        used.add(eid)
        ent = {"id": eid, **ent}
        if summaries is not None:
            summaries[eid] = summary
        entities.append(ent)
        for m in members:
            links[(m["article"], m["local"])] = eid
    return entities, links


def _canonical(members: list[dict], gpe_names: set[str], story_of: Optional[dict] = None) -> dict:
    """The canonical entity of a cluster (members in corpus order), with its `_summary`
    (see `summary_add`): the entity is computed from the summary alone, so a linker that adds
    a member to a stored summary gets what a merge of all the members gives."""
    s = summary_new()
    for m in members:
        summary_add(s, m, gpe_names, (story_of or {}).get(m["article"]))
    out = summary_entity(s)
    out["articles"], out["mentions"] = member_mentions(members, gpe_names)
    out["_summary"] = s
    return out


def member_mentions(members: list[dict], gpe_names: set[str]) -> tuple[list[str], list[dict]]:
    """An entity's `articles` (in order of first mention) and `mentions` (each with its
    article and, for a sector of a country, `facet`), from its members in corpus order."""
    articles, mentions, seen = [], [], set()
    for m in members:
        if m["article"] not in seen:
            seen.add(m["article"])
            articles.append(m["article"])
        sector = facet_of(_name_key(m, gpe_names) or "")[1] if m.get("key") else None
        for mm in m["mentions"]:
            mention = {"article": m["article"], "span": mm["span"], "form": mm.get("form")}
            if sector:
                mention["facet"] = sector
            mentions.append(mention)
    return articles, mentions


def summary_new() -> dict:
    """An empty entity summary: counts and first-seen lists of what `summary_entity` needs
    (names, types, actor types, the gazetteer key, aliases, surface forms, roles, facets),
    and what the incremental linker checks before adding a member to a stored entity
    (`persons`, `slips`: members of those kinds; `stories`: up to two of its stories, of
    members that are not `story_free`)."""
    return {"n": 0, "first_name": None, "first_article": None, "types": {}, "names": {}, "key": None,
            "plain": {}, "atypes": {}, "alias": {}, "pos": 0, "surface": [], "roles": [], "facets": {},
            "unsectored": 0, "persons": 0, "slips": 0, "stories": []}


def _inc(counts: dict, key: str) -> None:
    counts[key] = counts.get(key, 0) + 1


def is_slip(rec: dict) -> bool:
    """A record the surname-slip rule of `merge` reads (a one-word place or organisation)."""
    return rec["type"] in SURNAME_SLIPS and not rec.get("key") and len(rec["name"].split()) == 1 \
        and not any(m.get("form") == "acronym" for m in rec["mentions"])


def story_free(rec: dict) -> bool:
    """A record whose entity and summary no story changes: one with a gazetteer key (not a
    NAME: key). Such records join by their key alone, no other record ever joins their
    cluster, and `summary_add` keeps no story of theirs (`stories` is read only for clusters
    holding surname slips), so a story merge that moves their article moves nothing."""
    key = rec.get("key") or ""
    return bool(key) and not key.startswith("NAME:")


def summary_add(s: dict, m: dict, gpe_names: set[str], story: Optional[str]) -> None:
    """Add one member (the next in corpus order) to an entity summary."""
    s["n"] += 1
    if s["first_name"] is None:
        s["first_name"], s["first_article"] = m["name"], m["article"]
    _inc(s["types"], m["type"])
    _inc(s["names"], m["name"])
    sector = None
    if m.get("key"):
        base, sector = facet_of(_name_key(m, gpe_names) or "")
        if s["key"] is None:
            s["key"] = base
        if not sector and base == s["key"]:
            _inc(s["plain"], m["name"])
    if not sector:
        s["unsectored"] += 1
    if m.get("actor_type"):
        _inc(s["atypes"].setdefault(m["type"], {}), m["actor_type"])
    if m["type"] == "PERSON":
        s["persons"] += 1
    if is_slip(m):
        s["slips"] += 1
    if story not in s["stories"] and len(s["stories"]) < 2 and not story_free(m):
        s["stories"].append(story)
    for r in m.get("roles", []):
        if r not in s["roles"]:
            s["roles"].append(r)
    alias = s["alias"]
    for n in m.get("names", []):
        alias.setdefault(n, [None, None])
        if alias[n][0] is None:
            alias[n][0] = s["pos"]
        s["pos"] += 1
    f = None
    if sector:
        f = s["facets"].setdefault(sector, {"surface_forms": [], "articles": [], "mentions": 0})
        if m["article"] not in f["articles"][-1:] and m["article"] not in f["articles"]:
            f["articles"].append(m["article"])
    surface = s["surface"]
    for mm in m["mentions"]:
        text = mm["span"]["text"]
        if text not in surface:
            surface.append(text)
        if mm.get("form") in NAME_FORMS:
            a = drop_possessive(text.strip())
            a = a.title() if a.isupper() and len(a) > 3 and " " not in a else a
            alias.setdefault(a, [None, None])
            if alias[a][1] is None:
                alias[a][1] = s["pos"]
            s["pos"] += 1
        if f is not None:
            f["mentions"] += 1
            if text not in f["surface_forms"]:
                f["surface_forms"].append(text)


def summary_entity(s: dict) -> dict:
    """The canonical entity a summary stands for, without `articles` and `mentions`, with
    `_key` (what its id is hashed from)."""
    types = s["types"]
    etype = max(types, key=lambda t: types[t])  # the first of the most frequent, as Counter.most_common
    names = s["names"]
    if etype == "PERSON":
        name = max(names, key=lambda n: (len(n.split()) >= 2, names[n], len(n)))
    elif s["key"]:
        plain = s["plain"]
        if plain:
            name = max(plain, key=lambda n: plain[n])
        elif s["key"].startswith("NAME:"):
            name = s["key"][5:]
        else:  # only sector mentions ("Ankara said"): the gazetteer's name of the country
            entry = load().entries.get(s["key"])
            name = entry.name if entry else s["first_name"]
        if s["facets"]:
            etype = "GPE"
    else:
        name = max(names, key=lambda n: (not n.isupper(), names[n], len(n)))
    atypes = s["atypes"].get(etype, {})
    generic = {"organisation", "place", "group"}
    ranked = sorted(atypes, key=lambda a: -atypes[a])  # stable: ties keep first-seen order
    specific = [a for a in ranked if a not in generic]
    actor_type = specific[0] if specific else (ranked[0] if ranked else None)
    picked = []
    for a, (pn, pt) in s["alias"].items():
        if a == name:
            continue
        at = [p for p in (pn, pt if pt is not None and norm_key(a) != norm_key(name) else None) if p is not None]
        if at:
            picked.append((min(at), a))
    aliases = [a for _, a in sorted(picked)]
    roles = _dedupe_roles(list(s["roles"]))
    facets = [{"sector": k, "name": f"{possessive(name)} {k}", "surface_forms": list(f["surface_forms"]),
               "articles": list(f["articles"]), "mentions": f["mentions"]} for k, f in sorted(s["facets"].items())]
    if facets:
        sector_names = {f["name"] for f in facets}
        aliases = [a for a in aliases if a not in sector_names]
        # a country that acts through its government is a state actor (CAMEO FRA beside
        # FRAGOV); one named only through its military is that military
        if "government" in s["facets"]:
            actor_type = "government"
        elif not s["unsectored"]:
            actor_type = "military"
    affiliation = next((r["of"] for r in roles if r.get("of")), None)
    base = s["key"] if s["key"] else f"{etype}:{norm_key(name)}"
    out = {"_key": base, "name": name, "type": etype, "actor_type": actor_type, "aliases": aliases,
           "roles": roles, "affiliation": affiliation, "articles": [], "mentions": [],
           "surface_forms": list(s["surface"])}
    if facets:
        out["facets"] = facets
    return out


def _dedupe_roles(roles: list[dict]) -> list[dict]:
    """Drop a role whose owner is a vaguer wording of another's: "head of the authority"
    beside "head of Vell Valley Water Authority"; "spokesman" beside "spokesman of X"."""
    out = []
    for r in roles:
        words = set((r.get("of") or "").lower().split())
        if any(o is not r and o["role"] == r["role"] and o.get("of") and o.get("of") != r.get("of")
               and words < set(o["of"].lower().split()) | {""} for o in roles):
            continue
        out.append(r)
    return out
