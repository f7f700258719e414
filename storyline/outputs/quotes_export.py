"""The `quotes` export section: who said what, with the speaker linked to the corpus actor.

The speaker span is resolved by the actors linker (`storyline.link.actors.actor_resolver`);
when it finds no actor the speaker keeps `entity: None` and the in-article name the quotes
component gave it.
"""
from __future__ import annotations

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
        row["speaker"] = speaker
        row.update({k: r[k] for k in OPTIONAL_KEYS if r.get(k) is not None})
        out.append(row)
    return out
