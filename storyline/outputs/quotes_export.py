"""The `quotes` export section: who said what, with the speaker linked to the corpus actor.

The speaker span is resolved by the actors linker (`storyline.link.actors.actor_resolver`);
when it finds no actor the speaker keeps `entity: None` and the in-article name the quotes
component gave it.

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

from ..actors.names import possessive
from ..link.actors import actor_resolver

QUOTE_KEYS = ("id", "article", "kind", "text", "span", "cue", "speaker", "date")
OPTIONAL_KEYS = ("cue_span", "speaker_span", "speaker_resolved", "told", "told_span",
                 "date_precision", "date_span")


def export_quotes(store) -> list[dict]:
    resolve = actor_resolver(store)
    out = []
    for r in store.records("quotes"):
        row = {k: r.get(k) for k in QUOTE_KEYS}
        speaker = dict(r["speaker"]) if r.get("speaker") else None
        span = r.get("speaker_span")
        if speaker is not None and span:
            actor = resolve(r["article"], span["start"], span["end"])
            if actor:
                speaker["entity"] = actor.get("entity")
                speaker["name"] = actor.get("name") or speaker.get("name")
                if actor.get("facet") and actor.get("name"):  # "Paris said": France's government
                    speaker["name"] = f"{possessive(actor['name'])} {actor['facet']}"
        row["speaker"] = speaker
        row.update({k: r[k] for k in OPTIONAL_KEYS if r.get(k) is not None})
        out.append(row)
    _mark_copies(out, {a["id"]: a.get("duplicate_of") or a["id"] for a in store.articles()})
    return out


def wording(text: str) -> str:
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
