"""Within-article linking: every mention of an actor in one article to one local entity.

Reads the corrected entity mentions (`doc._.storyline_mentions`) and the parse; never re-parses.
- people: a full name opens an entity; a later surname ("Erdogan") links back to the most
  recent person whose name ends with it; titles and appositions give roles;
- descriptions: "the Turkish president", "the minister", "the rebel spokesman" link to the
  most recent person in the article holding a matching role; no holder, no link;
- pronouns (he/she/his/her/him) link when the current sentence (before the pronoun) or
  else the previous one mentions exactly one person;
- metonymy: a capital or country that is the subject of an agent verb ("Ankara said"), a
  seat of government ("the Kremlin") -> that country's government (or military: "the
  Pentagon"); a demonym before a military or government noun ("Turkish troops") -> that
  country's military or government. The mention keeps its own surface form;
- organisations: the same name (less "the" and "'s"), an acronym of a name in the article
  ("SLF" for "Sarn Liberation Front"), or the same gazetteer key; "the movement" links to
  the latest organisation whose name holds the noun, and "the ministry" / "the government"
  with none named so to the article's one country government.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from spacy.tokens import Doc, Span

from .gazetteer import Gazetteer, load
from .names import contains, norm, possessive
from .roles import role_head, role_of_description, roles_for
from .types import actor_type
from ..text.spans import span_record

AGENT_VERBS = {
    "say", "tell", "announce", "agree", "reject", "accuse", "deny", "warn", "demand", "give",
    "offer", "threaten", "sign", "order", "send", "deploy", "urge", "call", "plan", "decide",
    "refuse", "condemn", "propose", "accept", "insist", "vow", "pledge", "claim", "confirm",
    "respond", "approve", "impose", "ask", "seek", "want", "expect", "hope", "launch", "attack",
    "recognize", "recognise", "welcome", "criticize", "criticise", "veto", "back", "support",
    "oppose", "suspend", "withdraw", "sanction", "expel", "recall", "host", "invite", "allow",
}
MILITARY_NOUNS = {"troops", "troop", "forces", "force", "soldiers", "soldier", "army", "military",
                  "navy", "jets", "warplanes", "artillery", "units", "commanders", "battalion"}
GOVERNMENT_NOUNS = {"government", "officials", "authorities", "administration", "leadership",
                    "cabinet", "ministry", "regime", "negotiators", "delegation"}
# A description's modifier that an owner's actor type satisfies ("the rebel spokesman" for
# a spokesman of the SLF, a rebel group).
MOD_TYPES = {"rebel": "rebel group", "rebels": "rebel group", "insurgent": "rebel group",
             "militant": "rebel group", "government": "government", "army": "military",
             "military": "military", "party": "party", "union": "NGO"}
PRONOUNS = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f"}
SPEECH_VERBS = {"reply", "add", "state", "explain", "note", "stress", "tell", "write", "declare", "comment"}
# A speaking description and the named speaker it is: at most this many sentences apart
# (the description's and the name's; "the rebel spokesman replied … Doresh told Reuters").
DESCRIPTION_REACH = 3
# Between the halves of a split name: a sentence break, no paragraph break.
SPLIT_GAP = re.compile(r"[.;] ?\n? ?")
FIRST_WORD = re.compile(r"(?<![\w.])([A-Z][a-z]{2,})$")


def acronym(name: str) -> str:
    return "".join(w[0] for w in norm(name).split() if w[:1].isupper() and w.lower() not in {"of", "the", "for", "and"})


def title_word(w: str) -> str:
    return w.title() if w.isupper() else w


# Heads of descriptions that name an organisation ("the movement said" after "the Harun
# Movement"); a government noun with no organisation named so is the article's one country
# government ("the ministry said" after "Dornland's government said").
ORG_DESCRIPTION_NOUNS = {"movement", "ministry", "group", "party", "agency", "council", "committee",
                         "commission", "alliance", "coalition", "union", "front", "organisation",
                         "organization", "company", "campaign", "mission", "government", "administration"}
GOVERNMENT_DESCRIPTION_NOUNS = {"government", "ministry", "administration", "cabinet"}


# What only a state has: "Dornland's government / army" makes Dornland a country even when
# the model tagged it as an organisation ("the SLF's leadership council" does not).
STATE_NOUNS = {"government", "army", "military", "navy", "cabinet", "armed"}


@dataclass
class Local:
    label: str
    name: str
    key: Optional[str] = None
    atype: Optional[str] = None
    roles: list = field(default_factory=list)
    names: list = field(default_factory=list)
    mentions: list = field(default_factory=list)
    gender: Optional[str] = None
    last: int = -1  # token index of the latest mention
    split_name: Optional[str] = None  # "Ilse Varnholt" for "Ilse" in "… Ilse. Varnholt told …"
    seat_of: Optional[str] = None  # "Dornland" for the dateline "VELGRAD –" of "Dornland's government said"

    def add(self, text: str, start: int, end: int, form: str, tok: int) -> None:
        """A mention at text[start:end] (`text` is the whole article, read once)."""
        self.mentions.append({"span": span_record(text, start, end), "form": form})
        self.last = max(self.last, tok)


class ArticleLinker:
    def __init__(self, doc: Doc, gaz: Optional[Gazetteer] = None):
        self.doc = doc
        self.text = doc.text  # once: spaCy rebuilds doc.text on every access
        self.gaz = gaz or load()
        self.ents: list[Local] = []
        self.by_key: dict[str, Local] = {}
        # "the rebel spokesman … replied": a speaking description with no named holder yet,
        # waiting for the named speaker of the next sentences: (determiner, head, role)
        self.pending: list[tuple] = []
        self.dateline_ent: Optional[Local] = None  # the dateline's place, when the gazetteer does not know it

    # --- helpers -----------------------------------------------------------------
    def canon(self, text: str) -> str:
        hit = self.gaz.lookup(text)
        if hit is not None and hit.kind in {"country", "demonym", "igo", "group", "outlet"}:
            return hit.entry.name
        return norm(text)

    def _new(self, label: str, name: str, key: Optional[str] = None, gaz_type: Optional[str] = None) -> Local:
        ent = Local(label, name, key, actor_type(label, name, gaz_type, key))
        self.ents.append(ent)
        if key:
            self.by_key[key] = ent
        return ent

    def _keyed(self, key: str, label: str, name: str, gaz_type: Optional[str] = None) -> Local:
        return self.by_key.get(key) or self._new(label, name, key, gaz_type)

    def _agentive(self, sp: Span) -> bool:
        root = sp.root
        return root.dep_ in {"nsubj", "nsubjpass"} and root.head.lemma_.lower() in AGENT_VERBS

    # --- mentions ------------------------------------------------------------------
    def person(self, sp: Span, m: dict) -> None:
        words = norm(sp.text).split()
        start, end = sp.start_char, sp.end_char
        if sp.text.endswith(("'s", "’s")):
            end -= 2
        ent = None
        if len(words) >= 2:
            full = " ".join(words)
            ent = next((e for e in reversed(self.ents) if e.label == "PERSON" and e.name == full), None)
            if ent is None:  # "Comedian Ellen DeGeneres" after "Ellen DeGeneres", or the reverse
                low = [w.lower() for w in words]
                ent = next((e for e in reversed(self.ents) if e.label == "PERSON" and len(e.name.split()) >= 2
                            and (contains(low, e.name.lower().split()) or contains(e.name.lower().split(), low))),
                           None)
            if ent is None:  # an earlier surname-only entity gets its full name
                ent = next((e for e in reversed(self.ents) if e.label == "PERSON" and len(e.name.split()) == 1
                            and e.name == words[-1]), None)
                if ent is not None:
                    ent.name = full
            form = "name"
        else:
            cands = [e for e in self.ents if e.label == "PERSON" and words and words[0] in e.name.split()]
            cands.sort(key=lambda e: (e.name.split()[-1] == words[0], e.last))
            ent = cands[-1] if cands else None
            form = "surname" if ent is not None and len(ent.name.split()) > 1 else "name"
        if ent is None:
            ent = self._new("PERSON", " ".join(words))
        if " ".join(words) not in ent.names:
            ent.names.append(" ".join(words))
        ent.add(self.text, start, end, form, sp.end - 1)
        for r in roles_for(sp, self.canon):
            if r not in ent.roles:
                ent.roles.append(r)
        self._named_speaker(ent, sp)

    def named(self, sp: Span, m: dict) -> None:
        doc = self.doc
        label = m["label"]
        key = m.get("key")
        kind = m.get("kind")
        hit = self.gaz.lookup(sp.text.title() if m.get("dateline") else sp.text) if key else None
        text = m["text"]
        name = self.canon(text) if hit else norm(text.title() if m.get("dateline") and text.isupper() else text)
        tok = sp.end - 1
        if hit is not None and kind == "seat":
            ent = self._keyed(f"{key}#{hit.actor}", "ORG", f"{possessive(hit.entry.name)} {hit.actor}")
            ent.add(self.text, sp.start_char, sp.end_char, "metonym", tok)
            return
        if label == "ORG" and len(sp) == 1 and sp[0].pos_ == "PROPN" and not sp[0].is_upper \
                and sp.end + 1 < len(doc) and doc[sp.end].text in {"'s", "’s"} \
                and doc[sp.end + 1].lower_ in STATE_NOUNS:
            label = "GPE"  # "Dornland's government": a country the model took for an organisation
        if label in {"GPE", "NORP"}:
            nxt = doc[sp.end] if sp.end < len(doc) else None
            if nxt is not None and nxt.text in {"'s", "’s"} and sp.end + 1 < len(doc) and label == "GPE":
                nxt = doc[sp.end + 1]  # "France's government", "Kessara's army"
            base = hit.entry.name if hit else (self._country_for(name) or name)
            if nxt is not None and nxt.lower_ in MILITARY_NOUNS | GOVERNMENT_NOUNS and nxt.pos_ == "NOUN" \
                    and not m.get("dateline") and kind != "capital":
                which = "military" if nxt.lower_ in MILITARY_NOUNS else "government"
                k = f"{key or 'NAME:' + base}#{which}"
                ent = self._keyed(k, "ORG", f"{possessive(base)} {which}")
                ent.add(self.text, sp.start_char, nxt.idx + len(nxt.text), "demonym", nxt.i)
                return
            if label == "GPE" and kind in {None, "country", "capital"} and not m.get("dateline") and self._agentive(sp):
                base = hit.entry.name if hit else name
                k = f"{key or 'NAME:' + base}#government"
                ent = self._keyed(k, "ORG", f"{possessive(base)} government")
                ent.add(self.text, sp.start_char, sp.end_char, "metonym", tok)
                return
            if kind == "demonym" or label == "NORP":
                if nxt is not None and (role_head(nxt.text) or nxt.ent_type_ == "PERSON"):
                    return  # part of a title ("Turkish President ..."): an affiliation, not a mention
                if hit is not None:
                    ent = self._keyed(key, "GPE", hit.entry.name)
                    ent.add(self.text, sp.start_char, sp.end_char, "demonym", tok)
                    return
            if kind == "capital" and hit is not None:  # the city itself
                ent = self._keyed(f"{key}:capital", "GPE", norm(text.title() if text.isupper() else text))
                ent.add(self.text, sp.start_char, sp.end_char, "name", tok)
                return
        if key:
            ent = self._keyed(key, label if hit is None else hit.entry.label, name, hit.entry.actor_type if hit else None)
        else:
            ent = self._match_name(label, name)
        if m.get("dateline") and hit is None:
            self.dateline_ent = ent
        if norm(text) not in ent.names and not m.get("dateline"):
            ent.names.append(norm(text))
        short = self._city_facility(sp) if label == "FAC" else None
        if short and short not in ent.names:
            ent.names.append(short)  # an alias the merge can join on ("Kabul airport")
        form = "acronym" if text.isupper() and len(text) <= 6 and " " not in text and not m.get("dateline") else "name"
        ent.add(self.text, sp.start_char, sp.end_char, form, tok)

    def _city_facility(self, sp: Span) -> Optional[str]:
        """ "Kabul's Hamid Karzai International Airport" or "... Airport in Kabul" is also
        "Kabul airport": the short form other reports use."""
        doc, head = self.doc, sp[-1].lower_
        if len(sp) < 2 or head not in {"airport", "airbase", "airfield"}:
            return None
        place = None
        if sp.start >= 2 and doc[sp.start - 1].text in {"'s", "’s"} and doc[sp.start - 2].ent_type_ == "GPE":
            place = doc[sp.start - 2]
        elif sp.end + 1 < len(doc) and doc[sp.end].lower_ in {"in", "near", "outside"} and doc[sp.end + 1].ent_type_ == "GPE":
            place = doc[sp.end + 1]
        if place is None or place.text in sp.text:
            return None
        return f"{title_word(place.text)} {head}"

    def _country_for(self, demonym: str) -> Optional[str]:
        """ "Kessaran" -> "Kessara" when the article names a place the demonym grows from."""
        d = norm(demonym)
        for e in self.ents:
            if e.label == "GPE" and len(e.name) >= 4 and d != e.name and d.startswith(e.name[:max(4, len(e.name) - 1)]):
                return e.name
        return None

    def _match_name(self, label: str, name: str) -> Local:
        low = name.lower()
        for e in reversed(self.ents):
            if e.label == "PERSON" or e.key and not e.key.startswith("NAME:"):
                continue
            names = {n.lower() for n in e.names} | {e.name.lower()}
            if low in names:
                return e
            if name.isupper() and 2 <= len(name) <= 6 and any(acronym(n) == name for n in names | {e.name}):
                return e
            if any(n.isupper() and acronym(name) == n.upper() and len(n) >= 2 for n in e.names) and e.label == "ORG":
                e.name = name if len(name) > len(e.name) else e.name
                return e
        ent = self._new(label, name)
        return ent

    def description(self, head) -> None:
        """ "the Turkish president", "the minister": the latest person holding that role."""
        doc = self.doc
        mods = [t for t in doc[head.left_edge.i:head.i] if t.lower_ not in {"the", "'s", "’s"}]
        det = doc[head.left_edge.i]
        if det.lower_ != "the" and not (head.i > 0 and doc[head.i - 1].lower_ == "the"):
            return
        want = role_head(head.text)
        mod_words = {self.canon(t.text).lower() for t in mods if not t.is_punct}
        best = None
        for e in self.ents:
            if e.label != "PERSON" or e.last >= head.i:
                continue
            for r in e.roles:
                rwords = r["role"].split()
                if role_head(rwords[-1]) != want:
                    continue
                have = {w.lower() for w in rwords[:-1]} | ({r["of"].lower()} if r["of"] else set())
                have |= {self.canon(w).lower() for w in have}
                of_type = self._type_of(r["of"])
                if any(w not in have and MOD_TYPES.get(w) != of_type for w in mod_words):
                    continue
                if best is None or e.last > best.last:
                    best = e
        if best is not None:
            best.add(self.text, det.idx, head.idx + len(head.text), "description", head.i)
        elif self._speaks(head):
            role = role_of_description([t for t in mods if not t.is_punct] + [head], self.canon)
            if role is not None:
                self.pending.append((det, head, role))

    def org_description(self, head) -> None:
        """"the movement" after "the Harun Movement": the latest organisation whose name
        holds the noun; "the ministry" / "the government" with none named so: the article's
        one country government so far (its facet), when it has exactly one."""
        noun = head.lower_
        det = self.doc[head.i - 1]
        named = [e for e in self.ents if e.label != "PERSON" and e.last < head.i and not (e.key and "#" in e.key)
                 and any(noun in n.lower().split() for n in [e.name, *e.names])]
        if named:
            ent = max(named, key=lambda e: e.last)
        elif noun in GOVERNMENT_DESCRIPTION_NOUNS:
            govs = [e for e in self.ents if e.key and e.key.endswith("#government") and e.last < head.i]
            if len(govs) != 1:
                return
            ent = govs[0]
        else:
            return
        ent.add(self.text, det.idx, head.idx + len(head.text), "description", head.i)

    @staticmethod
    def _speaks(tok) -> bool:
        """The subject of a speech or agent verb ("the rebel spokesman … replied")."""
        return tok.dep_ in {"nsubj", "nsubjpass"} and tok.head.pos_ == "VERB" \
            and tok.head.lemma_.lower() in AGENT_VERBS | SPEECH_VERBS

    def _named_speaker(self, ent: Local, sp: Span) -> None:
        """A named speaker ("… Doresh told Reuters") right after an unheld speaking
        description ("the rebel spokesman in Tarrow replied …") in the same paragraph is
        that description's holder: the person takes its role and its mention."""
        if not self.pending or not self._speaks(sp.root):
            return
        det, head, role = self.pending[-1]
        sents = list(self.doc[head.i:sp.start + 1].sents)
        if len(sents) > DESCRIPTION_REACH or "\n\n" in self.text[head.idx:sp.start_char]:
            self.pending.clear()
            return
        if any(role_head(r["role"].split()[-1]) == role_head(role["role"].split()[-1]) and r["of"] != role["of"]
               and r["of"] for r in ent.roles):
            return  # already someone else's spokesman
        self.pending.clear()
        if role not in ent.roles:
            ent.roles.append(role)
        ent.add(self.text, det.idx, head.idx + len(head.text), "description", head.i)

    def _type_of(self, name: Optional[str]) -> Optional[str]:
        """The actor type of the local entity a role's `of` names ("SLF" -> rebel group)."""
        if not name:
            return None
        for e in self.ents:
            if e.label != "PERSON" and (name == e.name or name in e.names or name.isupper() and acronym(e.name) == name):
                return e.atype
        return None

    def pronoun(self, tok) -> None:
        g = PRONOUNS[tok.lower_]
        sent = tok.sent
        window = [e for e in self.ents if e.label == "PERSON" and any(
            sent.start_char <= mm["span"]["start"] < tok.idx for mm in e.mentions)]
        if not window and sent.start > 0:
            prev = self.doc[sent.start - 1].sent
            window = [e for e in self.ents if e.label == "PERSON" and any(
                prev.start_char <= mm["span"]["start"] < prev.end_char for mm in e.mentions)]
        window = [e for e in window if e.gender in {None, g}]
        if len(window) == 1:
            e = window[0]
            e.gender = g
            e.add(self.text, tok.idx, tok.idx + len(tok.text), "pronoun", tok.i)

    # --- the pass ------------------------------------------------------------------
    def run(self, mentions: list[dict]) -> list[Local]:
        doc = self.doc
        items = []
        for m in mentions:
            sp = doc.char_span(m["span"]["start"], m["span"]["end"], alignment_mode="expand")
            if sp is not None and len(sp):
                items.append((sp.start, 0, sp, m))
        covered = {i for _, _, sp, _ in items for i in range(sp.start, sp.end)}
        for t in doc:
            if t.i in covered:
                continue
            if t.lower_ in PRONOUNS and t.pos_ == "PRON" or t.lower_ in {"his", "her"} and t.tag_ == "PRP$":
                items.append((t.i, 1, t, None))
            elif role_head(t.text) and t.pos_ == "NOUN" and t.tag_ in {"NN", "NNP"} \
                    and not (t.i + 1 < len(doc) and doc[t.i + 1].ent_type_ == "PERSON"):
                items.append((t.i, 1, t, "desc"))
            elif t.lower_ in ORG_DESCRIPTION_NOUNS | GOVERNMENT_DESCRIPTION_NOUNS and t.tag_ == "NN" \
                    and t.i > 0 and doc[t.i - 1].lower_ == "the" \
                    and not (t.i + 1 < len(doc) and doc[t.i + 1].lower_ == "of"):
                items.append((t.i, 1, t, "org"))
        items.sort(key=lambda x: (x[0], x[1]))
        for _, _, obj, m in items:
            if m is None:
                self.pronoun(obj)
            elif m == "desc":
                self.description(obj)
            elif m == "org":
                self.org_description(obj)
            elif m["label"] == "PERSON":
                self.person(obj, m)
            elif m["label"] in {"ORG", "GPE", "NORP", "LOC", "FAC"}:
                self.named(obj, m)
        self._split_names()
        self._seat()
        return [e for e in self.ents if e.mentions]

    def _speaking_subject(self, mention: dict, sent: Span) -> bool:
        """"Dornland's government said …": a possessive government mention that is the
        subject of its sentence's main verb."""
        start, end = mention["span"]["start"], mention["span"]["end"]
        if not (sent.start_char <= start < sent.end_char) or not re.search(r"['’]s\s", mention["span"]["text"]):
            return False
        sp = self.doc.char_span(start, end, alignment_mode="expand")
        return sp is not None and sp.root.dep_ in ("nsubj", "nsubjpass") and sp.root.head == sent.root

    def _seat(self) -> None:
        """"VELGRAD – Dornland's government said …": a dateline place the gazetteer does not
        know, opening a report whose first sentence is one country's government speaking, is
        recorded as that government's seat; the merge then reads "Velgrad said" elsewhere as
        Dornland's government, as it reads "Ankara said" as Turkey's."""
        place = self.dateline_ent
        first = next(iter(self.doc.sents), None)
        if place is None or first is None:
            return
        govs = {e.key[5:].partition("#")[0] for e in self.ents
                if e.key and e.key.startswith("NAME:") and e.key.endswith("#government")
                and any(self._speaking_subject(mm, first) for mm in e.mentions)}
        if len(govs) == 1 and norm(place.name) not in govs:
            place.seat_of = govs.pop()

    def _split_names(self) -> None:
        """ "… said Ilse. Varnholt told …": two one-word names (of any label: the model
        types the halves as places or organisations too) across a sentence break are
        recorded as a possible split full name; the merge joins both to that person only
        when some article names "Ilse Varnholt" in full."""
        ones = [e for e in self.ents if len(e.name.split()) == 1 and not e.key
                and e.label in {"PERSON", "GPE", "ORG", "NORP", "LOC"}]
        ends = {mm["span"]["end"]: e for e in ones for mm in e.mentions if mm["form"] in {"name", "surname"}}
        for e in self.ents:
            for mm in e.mentions:
                if mm["form"] not in {"name", "surname"} or len(mm["span"]["text"].split()) != 1 \
                        or e.key or e.label not in {"PERSON", "GPE", "ORG", "NORP", "LOC"}:
                    continue
                start = mm["span"]["start"]
                gap = SPLIT_GAP.search(self.text, max(0, start - 4), start)
                if gap is None or gap.end() != start:
                    continue
                first = ends.get(gap.start())
                if first is None:  # a first name the model left untagged
                    word = FIRST_WORD.search(self.text, max(0, gap.start() - 30), gap.start())
                    name = word.group(1) if word else None
                else:
                    name = first.name
                last = norm(mm["span"]["text"])
                if name and name != last:  # (the merge joins only onto a person of that full name)
                    full = f"{name} {last}"
                    if len(e.name.split()) == 1:
                        e.split_name = full
                    if first is not None and first is not e:
                        first.split_name = full


def link_article(doc: Doc, mentions: list[dict], gaz: Optional[Gazetteer] = None) -> list[dict]:
    """The article's local entities as JSON-ready actor records."""
    out = []
    for i, e in enumerate(ArticleLinker(doc, gaz).run(mentions)):
        e.mentions.sort(key=lambda mm: mm["span"]["start"])
        roles, seen = [], set()
        for r in e.roles:
            k = (r["role"], r["of"])
            if k not in seen:
                seen.add(k)
                roles.append(r)
        out.append({
            "local": f"a{i}",
            "name": e.name,
            "type": e.label,
            "actor_type": e.atype,
            "key": e.key,
            "names": e.names or [e.name],
            "roles": roles,
            "affiliation": next((r["of"] for r in roles if r["of"]), None),
            "mentions": e.mentions,
            "span": dict(e.mentions[0]["span"]),
            **({"split_name": e.split_name} if e.split_name else {}),
            **({"seat_of": e.seat_of} if e.seat_of else {}),
        })
    return out
