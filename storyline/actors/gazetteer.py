"""The actor gazetteer: countries, capitals, demonyms, international organisations, seats
of government, well-known armed groups and NGOs, and news outlets.

Sources (all shipped as package data, nothing is fetched at run time):
- `data/gazetteer_countries.json`: generated from the `countryinfo` package by
  `python -m storyline.actors.build_gazetteer` (names, aliases, capitals, demonyms);
- `data/gazetteer_actors.json`: a hand list of the UN system and major regional bodies,
  English-news seats of government ("the Kremlin") and armed groups / NGOs that wire style
  guides name; built from general news vocabulary, not from any one story;
- `storyline.ingest.outlets.KNOWN_OUTLETS`: the agencies and outlets the metadata work
  already recognises, grouped here by the few that have a long and a short name.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

from .names import collapse, drop_article, drop_possessive

DATA = Path(__file__).resolve().parents[1] / "data"

# Outlets known under two names: short name -> other names.
OUTLET_ALIASES = {
    "AP": ["Associated Press", "The Associated Press"],
    "AFP": ["Agence France-Presse", "Agence France Presse"],
    "VOA": ["Voice of America"],
    "DW": ["Deutsche Welle"],
    "RFE/RL": ["Radio Free Europe"],
    "Anadolu Agency": ["Anadolu"],
    "TOLOnews": ["Tolo News"],
    "Breitbart News": ["Breitbart"],
}


@dataclass(frozen=True)
class Entry:
    key: str  # stable canonical key, e.g. "TUR", "IGO:NATO", "MEDIA:Reuters"
    name: str  # canonical name
    label: str  # spaCy label the mention gets (GPE, ORG, NORP, FAC)
    actor_type: Optional[str]  # government, IGO, media, rebel group, NGO, ... (None: a place)


@dataclass(frozen=True)
class Hit:
    entry: Entry
    kind: str  # country | capital | demonym | igo | group | seat | outlet
    actor: Optional[str] = None  # for seats: government | military


class Gazetteer:
    def __init__(self, countries: list[dict], actors: dict, outlets: set[str]):
        self.entries: dict[str, Entry] = {}
        self.surfaces: dict[str, Hit] = {}
        self.capitals: dict[str, str] = {}  # capital name -> country key
        for c in countries:
            e = self._add(Entry(c["key"], c["name"], "GPE", None))
            for s in [c["name"]] + c.get("aliases", []):
                self._surface(s, Hit(e, "country"))
            if c.get("capital"):
                self.capitals[c["capital"]] = c["key"]
                self._surface(c["capital"], Hit(e, "capital"), keep=True)
        for c in _demonym_ranks(countries):
            for d in c.get("demonyms", []):
                self._surface(d, Hit(self.entries[c["key"]], "demonym"), keep=True)
        for g in actors.get("igos", []):
            e = self._add(Entry(g["key"], g["name"], "ORG", g.get("actor_type", "IGO")))
            for s in [g["name"]] + g.get("aliases", []):
                self._surface(s, Hit(e, "igo"))
        for g in actors.get("groups", []):
            e = self._add(Entry(g["key"], g["name"], "ORG", g.get("actor_type")))
            for s in [g["name"]] + g.get("aliases", []):
                self._surface(s, Hit(e, "group"))
        for s in actors.get("seats", []):
            country = self.entries.get(s["country"])
            if country:
                self._surface(s["surface"], Hit(country, "seat", s["actor"]))
        grouped = {n for names in OUTLET_ALIASES.values() for n in names}
        for name in sorted(outlets):
            if name in grouped:
                continue
            e = self._add(Entry(f"MEDIA:{name}", name, "ORG", "media"))
            for s in [name] + OUTLET_ALIASES.get(name, []):
                self._surface(s, Hit(e, "outlet"), keep=True)

    def _add(self, e: Entry) -> Entry:
        self.entries.setdefault(e.key, e)
        return self.entries[e.key]

    def _surface(self, s: str, hit: Hit, keep: bool = False) -> None:
        s = s.strip()
        if not s:
            return
        if keep and s in self.surfaces:  # a country name wins over a capital or demonym
            return
        self.surfaces[s] = hit
        if s.lower().startswith("the "):
            self.surfaces.setdefault(s[4:], hit)

    def lookup(self, text: str) -> Optional[Hit]:
        """The entry for a surface form, tolerant of a leading "the" and possessive 's."""
        t = drop_possessive(collapse(text))
        for cand in (t, drop_article(t)):
            if cand in self.surfaces:
                return self.surfaces[cand]
        return None

    def patterns(self) -> list[str]:
        return sorted(self.surfaces)


def _demonym_ranks(countries: list[dict]) -> list[dict]:
    """Countries in the order they claim a demonym several list ("French": France, French
    Polynesia, French Southern and Antarctic Lands; "American": the United States, the
    Northern Mariana Islands): first those whose name is not built on the demonym, then
    those with a name or alias that shares its stem ("America"), then the file order."""
    def rank(item):
        i, c = item
        words = {w for n in [c["name"]] + c.get("aliases", []) for w in n.split()}
        dems = c.get("demonyms", [])
        built_on = any(d in c["name"].split() for d in dems)
        stem = any(w[:4] == d[:4] for d in dems for w in words if len(d) >= 4)
        return (built_on, not stem, i)

    return [c for _, c in sorted(enumerate(countries), key=rank)]


@lru_cache(maxsize=1)
def load() -> Gazetteer:
    from ..ingest.outlets import KNOWN_OUTLETS

    countries = json.loads((DATA / "gazetteer_countries.json").read_text(encoding="utf-8"))["countries"]
    actors = json.loads((DATA / "gazetteer_actors.json").read_text(encoding="utf-8"))
    return Gazetteer(countries, actors, set(KNOWN_OUTLETS))
