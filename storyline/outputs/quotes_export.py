"""The `quotes` export section: who said what, with the speaker linked to the corpus actor.

The speaker span is resolved by the actors linker (`storyline.link.actors.actor_resolver`):
`name` is then the canonical actor's name, and a country's sector speaking ("Paris said",
"Dornland's government said") is the country with `facet: "government"` (or "military"), so
a user asking for the country finds its government's words. When the linker finds no actor
the speaker keeps `entity: None` and the in-article name the quotes component gave it.

Copies: a syndicated or reposted article repeats its source's quotes word for word. Every
quote record stays (each points at its own article's characters); a quote that occurs with
the same words in other articles gets `copies: [{id, article}]`, the other records, so a
reader (the report) shows it once with all its sources. Same words means the same word
sequence (case and punctuation aside) from the same speaker (corpus actor, else name), or
any speaker when the articles are duplicates (`duplicate_of`) of one another.
"""
from __future__ import annotations

import re
from collections import defaultdict

from ..actors.roles import role_head
from ..link.actors import actor_resolver

QUOTE_KEYS = ("id", "article", "kind", "text", "span", "cue", "speaker", "date")
OPTIONAL_KEYS = ("cue_span", "speaker_span", "speaker_resolved", "told", "told_span",
                 "via", "via_span", "date_precision", "date_span")


def export_quotes(store) -> list[dict]:
    resolve = actor_resolver(store)
    story_actors = StoryActors(store.actors.entities(), store.stories.assignments())
    out = []
    for r in store.records("quotes"):
        row = {k: r.get(k) for k in QUOTE_KEYS}
        speaker = dict(r["speaker"]) if r.get("speaker") else None
        span = r.get("speaker_span")
        if speaker is not None and span:
            actor = resolve(r["article"], span["start"], span["end"])
            if actor is None or story_actors.person_for_group(actor, speaker.get("text") or ""):
                # nothing covers the span, or "the spokesman of the movement" covers only the movement
                actor = story_actors.find(r["article"], speaker.get("text") or "", speaker.get("name") or "") or actor
            if actor:
                speaker["entity"] = actor.get("entity")
                speaker["name"] = actor.get("name") or speaker.get("name")
                if actor.get("facet"):  # "Paris said": France, its government speaking
                    speaker["facet"] = actor["facet"]
        row["speaker"] = speaker
        row.update({k: r[k] for k in OPTIONAL_KEYS if r.get(k) is not None})
        out.append(row)
    _mark_copies(out, {a["id"]: a.get("duplicate_of") or a["id"] for a in store.articles()})
    return out


# Descriptions that name a country's government ("the ministry said" in a report where
# "Dornland's government" speaks).
GOVERNMENT_NOUNS = {"government", "ministry", "administration", "cabinet"}
_DETERMINERS = {"the", "this", "its", "their"}


class StoryActors:
    """Speakers the article's actor mentions do not cover, found among the canonical actors
    of the same story (the articles of one story, else the article alone):

    - a name the quotes component resolved in the article ("the movement" -> "Harun
      Movement", "it" -> "Dornland") or a bare name the linker left out: the one actor of
      the story with that name or alias;
    - a role description ("the spokesman of the movement"): the one person of the story
      holding that role, its "of" agreeing ("movement" in "Harun Movement");
    - an organisation description ("the movement", "the ministry"): the one actor of the
      story whose name holds that noun; for a government noun with none, the one country
      whose government speaks in the same article (`facet: government`).
    Nothing when two actors fit: no guess."""

    def __init__(self, entities: list[dict], stories: dict[str, str | None]):
        self.entities = entities
        self.by_id = {e["id"]: e for e in entities}
        self.story_of = stories
        self.members: dict[str, set[str]] = defaultdict(set)
        for art, story in stories.items():
            if story:
                self.members[story].add(art)

    def person_for_group(self, actor: dict, text: str) -> bool:
        """The span is a person's role description ("the spokesman of the movement") and the
        actor found inside it is not a person (the movement)."""
        words = re.findall(r"[\w'’-]+", text)
        if len(words) < 2 or words[0].lower() not in _DETERMINERS:
            return False
        head, _ = _description(words[1:])
        ent = self.by_id.get(actor.get("entity") or "")
        return head is not None and role_head(head) is not None and ent is not None and ent.get("type") != "PERSON"

    def _in_story(self, article: str) -> list[dict]:
        story = self.story_of.get(article)
        arts = self.members.get(story, set()) if story else set()
        arts = arts | {article}
        return [e for e in self.entities if arts & set(e.get("articles") or [])]

    def find(self, article: str, text: str, name: str) -> dict | None:
        ents = self._in_story(article)
        words = re.findall(r"[\w'’-]+", text)
        described = len(words) > 1 and words[0].lower() in _DETERMINERS and not any(w[:1].isupper() for w in words[1:])
        head, rest = _description(words[1:]) if described else (None, [])
        if name:
            low = name.lower()
            hits = [e for e in ents if low in {n.lower() for n in [e["name"], *(e.get("aliases") or [])]}]
            if len(hits) == 1:
                out = {"entity": hits[0]["id"], "name": hits[0]["name"]}
                if head is not None and head.lower() in GOVERNMENT_NOUNS and _speaks_for(hits[0], article):
                    out["facet"] = "government"  # "the ministry" the component named "Dornland"
                return out
        if head is None:
            return None
        role = role_head(head)
        plural = head.lower().endswith("men") or head.lower().endswith("s") and role_head(head[:-1]) is not None
        if role is not None and not plural:
            hits = [e for e in ents if e.get("type") == "PERSON" and any(
                role_head(r["role"].split()[-1]) == role and all(w in (r.get("of") or "").lower() or w in r["role"]
                                                                 for w in rest)
                for r in e.get("roles") or [])]
            return {"entity": hits[0]["id"], "name": hits[0]["name"]} if len(hits) == 1 else None
        noun = head.lower()
        hits = [e for e in ents if e.get("type") != "PERSON" and any(
            noun in n.lower().split() for n in [e["name"], *(e.get("aliases") or [])])]
        if len(hits) == 1:
            return {"entity": hits[0]["id"], "name": hits[0]["name"]}
        if not hits and noun in GOVERNMENT_NOUNS:
            govs = [e for e in ents if _speaks_for(e, article)]
            if len(govs) == 1:
                return {"entity": govs[0]["id"], "name": govs[0]["name"], "facet": "government"}
        return None


def _speaks_for(entity: dict, article: str) -> bool:
    """The entity is a country whose government is named in the article."""
    return any(f.get("sector") == "government" and article in (f.get("articles") or [])
               for f in entity.get("facets") or [])


def _description(words: list[str]) -> tuple[str | None, list[str]]:
    """("spokesman", ["movement"]) for "spokesman of the movement": the head noun before a
    preposition, and the nouns of an "of" phrase after it."""
    preps = {"of", "for", "in", "at", "from", "on", "to"}
    cut = next((i for i, w in enumerate(words) if w.lower() in preps), len(words))
    if not cut:
        return None, []
    rest = []
    if cut < len(words) and words[cut].lower() == "of":
        rest = [w.lower() for w in words[cut + 1:] if w.lower() not in _DETERMINERS | {"a", "an"}]
    return words[cut - 1], rest


def wording(text: str | None) -> str:
    """A quote's words for comparing copies: word characters, lower case."""
    return " ".join(re.findall(r"\w+", (text or "").lower()))


def _mark_copies(quotes: list[dict], root_of: dict[str, str]) -> None:
    """Add `copies` to every quote whose words recur in another article (see above)."""
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for q in quotes:
        words = wording(q.get("text"))
        if not words:
            continue
        sp = q.get("speaker") or {}
        who = sp.get("entity") or (sp.get("name") or "").lower()
        groups[("root", root_of.get(q["article"], q["article"]), words)].append(q)
        if who:
            groups[("speaker", who, words)].append(q)
    copies: dict[str, dict[str, dict]] = defaultdict(dict)
    for members in groups.values():
        if len({q["article"] for q in members}) < 2:
            continue
        for q in members:
            for o in members:
                if o["article"] != q["article"]:
                    copies[q["id"]][o["id"]] = {"id": o["id"], "article": o["article"]}
    for q in quotes:
        if q["id"] in copies:
            q["copies"] = sorted(copies[q["id"]].values(), key=lambda c: (c["article"], c["id"]))
