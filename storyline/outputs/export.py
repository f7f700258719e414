"""The `storyline/1` export: one JSON object (or JSONL / CSV views of it) from the store.

Fields whose extractor does not exist yet are present and empty, never invented. Every
record carries its article id and a span into that article's stored text.
"""
from __future__ import annotations

import csv
import importlib
import io
import json
from typing import Callable

SCHEMA = "storyline/1"
ARTICLE_KEYS = ("id", "path", "title", "source", "author", "url", "published",
                "published_precision", "published_estimate", "dateline", "language",
                "duplicate_of", "story", "cites")
SECTIONS = ("articles", "entities", "quotes", "timexes", "claims", "claim_groups", "events", "stories")

# Builders for sections: name -> fn(store) -> list[dict]. A section without a builder is
# exported as an empty list. Modules listed in SECTION_MODULES register builders with
# `@section`; a later registration for the same name replaces an earlier one.
SECTION_BUILDERS: dict[str, Callable] = {}
SECTION_MODULES: list[str] = ["storyline.outputs.entities_export", "storyline.outputs.timex_export",
                               "storyline.outputs.quotes_export", "storyline.outputs.stories_export"]


def section(name: str):
    def register(fn):
        SECTION_BUILDERS[name] = fn
        return fn

    return register


@section("articles")
def export_articles(store) -> list[dict]:
    out = []
    for a in store.articles():
        row = {k: a.get(k) for k in ARTICLE_KEYS}
        row["cites"] = a.get("cites") or []
        row["text"] = a["text"]
        out.append(row)
    return out


def build_export(store) -> dict:
    for mod in SECTION_MODULES:
        importlib.import_module(mod)
    data = {"schema": SCHEMA}
    for name in SECTIONS:
        builder = SECTION_BUILDERS.get(name)
        data[name] = builder(store) if builder else []
    return data


def to_json(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


def to_jsonl(data: dict) -> str:
    """One line per record: {"type": section, ...record}. The first line names the schema."""
    lines = [json.dumps({"type": "header", "schema": data["schema"]})]
    for name in SECTIONS:
        for rec in data[name]:
            # the record's own fields first: an entity's or timex's own `type` (ORG, DATE)
            # must not hide which section the line belongs to
            lines.append(json.dumps({**rec, "type": RECORD_TYPES[name], **({"record_type": rec["type"]} if "type" in rec else {})},
                                    ensure_ascii=False))
    return "\n".join(lines) + "\n"


def to_csv(data: dict, section_name: str = "articles") -> str:
    """One section as CSV; list and object fields are JSON-encoded in their cell."""
    rows = data[section_name]
    buf = io.StringIO()
    if not rows:
        return ""
    cols = list(rows[0].keys())
    w = csv.DictWriter(buf, fieldnames=cols, extrasaction="ignore")
    w.writeheader()
    for r in rows:
        w.writerow({k: json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v for k, v in r.items()})
    return buf.getvalue()


RECORD_TYPES = {"articles": "article", "entities": "entity", "quotes": "quote", "timexes": "timex",
                "claims": "claim", "claim_groups": "claim_group", "events": "event", "stories": "story"}

FORMATS = {"json": to_json, "jsonl": to_jsonl, "csv": to_csv}
