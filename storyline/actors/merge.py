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
from collections import Counter, defaultdict
from typing import Iterable, Optional

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


def touch_keys(rec: dict) -> set[str]:
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
    shares at least its first four letters); seats of government ("seat")."""
    out = set()
    key, name = rec.get("key"), rec.get("name") or ""
    if rec.get("split_name"):
        out.add("person\x1f" + norm_key(rec["split_name"]))
    if rec.get("seat_of") and not key:  # may rewrite NAME:<seat> keys as its government's
        country = rec["seat_of"]
        out |= {"seat\x1f" + norm_key(name), "key\x1fNAME:" + country, "name\x1f" + norm_key(country),
                "pfx\x1f" + country[:4]}
    if key:
        base = facet_of(key)[0]
        out.add("key\x1f" + base)
        if base.startswith("NAME:"):
            out |= {"name\x1f" + norm_key(base[5:]), "seat\x1f" + norm_key(base[5:]), "pfx\x1f" + base[5:9]}
        return out
    nk = norm_key(name)
    out |= {"name\x1f" + nk, "name\x1f" + name.lower()}
    out |= {"name\x1f" + norm_key(n) for n in rec.get("names", [])}
    if rec.get("type") == "GPE":
        out.add("pfx\x1f" + name[:4])
    words = name.split()
    if len(words) >= 2:
        out.add("person\x1f" + nk)
        w = nk.split()
        out |= {"person\x1f" + " ".join(w[a:b]) for a in range(len(w)) for b in range(a + 2, len(w) + 1)}
        out.add("surname\x1f" + words[-1].lower())
    elif words:
        out.add("surname\x1f" + name.lower())
    return out


def merge(records: Iterable[dict], story_of: Optional[dict] = None) -> tuple[list[dict], dict]:
    """Canonical entities and the map (article, local) -> entity id."""
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
    fulls = {}
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
        ent = _canonical(members, gpe_names)
        base = ent.pop("_key")
        eid = "e" + hashlib.sha256(base.encode("utf-8")).hexdigest()[:15]
        if eid in used:  # same canonical name, different actor (e.g. a surname in two stories)
            eid = "e" + hashlib.sha256(f"{base}\x1f{members[0]['article']}".encode("utf-8")).hexdigest()[:15]
        used.add(eid)
        ent = {"id": eid, **ent}
        entities.append(ent)
        for m in members:
            links[(m["article"], m["local"])] = eid
    return entities, links


def _canonical(members: list[dict], gpe_names: set[str]) -> dict:
    types = Counter(m["type"] for m in members)
    etype = types.most_common(1)[0][0]
    sector_of = {id(m): facet_of(_name_key(m, gpe_names))[1] for m in members if m.get("key")}
    keys = [facet_of(_name_key(m, gpe_names))[0] for m in members if m.get("key")]
    names = Counter(m["name"] for m in members)
    if etype == "PERSON":
        name = max(names, key=lambda n: (len(n.split()) >= 2, names[n], len(n)))
    elif keys:
        plain = Counter(m["name"] for m in members if m.get("key") and not sector_of.get(id(m))
                        and facet_of(_name_key(m, gpe_names))[0] == keys[0])
        if plain:
            name = plain.most_common(1)[0][0]
        elif keys[0].startswith("NAME:"):
            name = keys[0][5:]
        else:  # only sector mentions ("Ankara said"): the gazetteer's name of the country
            entry = load().entries.get(keys[0])
            name = entry.name if entry else members[0]["name"]
        if any(sector_of.values()):
            etype = "GPE"
    else:
        name = max(names, key=lambda n: (not n.isupper(), names[n], len(n)))
    atypes = Counter(m.get("actor_type") for m in members if m.get("actor_type") and m["type"] == etype)
    generic = {"organisation", "place", "group"}
    specific = [a for a, _ in atypes.most_common() if a not in generic]
    actor_type = specific[0] if specific else (atypes.most_common(1)[0][0] if atypes else None)
    # ordered lists with a set beside each: membership tests stay O(1) for an actor
    # mentioned in thousands of articles
    aliases, surface, roles, articles, mentions = [], [], [], [], []
    seen_aliases, seen_surface, seen_articles = set(), set(), set()
    for m in members:
        if m["article"] not in seen_articles:
            seen_articles.add(m["article"])
            articles.append(m["article"])
        for r in m.get("roles", []):
            if r not in roles:
                roles.append(r)
        for n in m.get("names", []):
            if n != name and n not in seen_aliases:
                seen_aliases.add(n)
                aliases.append(n)
        for mm in m["mentions"]:
            text = mm["span"]["text"]
            if text not in seen_surface:
                seen_surface.add(text)
                surface.append(text)
            if mm.get("form") in NAME_FORMS:
                a = drop_possessive(text.strip())
                a = a.title() if a.isupper() and len(a) > 3 and " " not in a else a
                if a != name and a not in seen_aliases and norm_key(a) != norm_key(name):
                    seen_aliases.add(a)
                    aliases.append(a)
            mention = {"article": m["article"], "span": mm["span"], "form": mm.get("form")}
            if sector_of.get(id(m)):
                mention["facet"] = sector_of[id(m)]
            mentions.append(mention)
    roles = _dedupe_roles(roles)
    facets = _facets(members, sector_of, name)
    if facets:
        sector_names = {f["name"] for f in facets}
        aliases = [a for a in aliases if a not in sector_names]
        # a country that acts through its government is a state actor (CAMEO FRA beside
        # FRAGOV); one named only through its military is that military
        sectors = {f["sector"] for f in facets}
        if "government" in sectors:
            actor_type = "government"
        elif all(sector_of.get(id(m)) for m in members):
            actor_type = "military"
    affiliation = next((r["of"] for r in roles if r.get("of")), None)
    base = keys[0] if keys else f"{etype}:{norm_key(name)}"
    out = {"_key": base, "name": name, "type": etype, "actor_type": actor_type, "aliases": aliases,
           "roles": roles, "affiliation": affiliation, "articles": articles, "mentions": mentions,
           "surface_forms": surface}
    if facets:
        out["facets"] = facets
    return out


def _facets(members: list[dict], sector_of: dict, name: str) -> list[dict]:
    """One record per sector the actor was named in ("Paris said", "French troops"): its
    name ("France's government"), the surface forms and articles; the sector's mentions
    carry `facet` too."""
    by_sector: dict[str, dict] = {}
    for m in members:
        sector = sector_of.get(id(m))
        if not sector:
            continue
        f = by_sector.setdefault(sector, {"sector": sector, "name": f"{possessive(name)} {sector}",
                                          "surface_forms": [], "articles": [], "mentions": 0})
        if m["article"] not in f["articles"]:
            f["articles"].append(m["article"])
        for mm in m["mentions"]:
            f["mentions"] += 1
            if mm["span"]["text"] not in f["surface_forms"]:
                f["surface_forms"].append(mm["span"]["text"])
    return [by_sector[k] for k in sorted(by_sector)]


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
