"""The `storyline/1` export: one JSON object (or JSONL / CSV views of it) from the store.

Fields whose extractor does not exist yet are present and empty, never invented. Every
record carries its article id and a span into that article's stored text.
"""
from __future__ import annotations

import csv
import io
import json

SCHEMA = "storyline/1"
ARTICLE_KEYS = ("id", "path", "title", "source", "author", "url", "published",
                "published_precision", "published_estimate", "dateline", "language",
                "duplicate_of", "story", "cites")
# The storyline/1 sections, in export order; extractors may add sections after these.
CORE_SECTIONS = ("articles", "entities", "quotes", "timexes", "claims", "claim_groups", "events", "stories")
SECTIONS = CORE_SECTIONS  # kept for callers that list the contract's sections


def export_articles(store) -> list[dict]:
    out = []
    for a in store.articles():
        row = {k: a.get(k) for k in ARTICLE_KEYS}
        row["cites"] = a.get("cites") or []
        row["text"] = a["text"]
        out.append(row)
    return out


def section_names() -> list[str]:
    """Every section an export has: the contract's, then those registered extractors add."""
    from ..registry import section_builders

    return list(CORE_SECTIONS) + [n for n in section_builders() if n not in CORE_SECTIONS]


def build_export(store) -> dict:
    """The whole export. Each section comes from the extractor that declares it; a contract
    section no extractor fills yet is an empty list, never invented."""
    from ..registry import resolve, section_builders

    builders = section_builders()
    data: dict = {"schema": SCHEMA, "articles": export_articles(store)}
    for name in section_names():
        if name != "articles":
            data[name] = resolve(builders[name])(store) if name in builders else []
    return data


def to_json(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


def to_jsonl(data: dict) -> str:
    """One line per record: {"type": section, ...record}. The first line names the schema."""
    lines = [json.dumps({"type": "header", "schema": data["schema"]})]
    for name in (n for n in data if n != "schema"):
        for rec in data[name]:
            # the record's own fields first: an entity's or timex's own `type` (ORG, DATE)
            # must not hide which section the line belongs to
            lines.append(json.dumps({**rec, "type": RECORD_TYPES.get(name, name), **({"record_type": rec["type"]} if "type" in rec else {})},
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
                "claims": "claim", "claim_groups": "claim_group", "events": "event", "event_groups": "event_group",
                "stories": "story"}

def to_plover(data: dict) -> str:
    from .events_export import to_plover_json

    return to_plover_json(data)


def to_cameo(data: dict) -> str:
    from .events_export import to_cameo_csv

    return to_cameo_csv(data)


FORMATS = {"json": to_json, "jsonl": to_jsonl, "csv": to_csv, "plover": to_plover, "cameo-csv": to_cameo}
