"""The `events` export section, and two views for event-data users: PLOVER JSON (one record
per event, as POLECAT users load it) and a CSV with CAMEO codes and quad classes."""
from __future__ import annotations

import csv
import io
import json

from ..link.events import GROUP_KIND, resolved_events
from ..store.protocol import Store

EVENT_KEYS = ("id", "article", "type", "mode", "cameo", "quad_class", "actor", "recipient", "date",
              "date_precision", "location", "trigger", "negated", "hypothetical", "source_quote",
              "confidence", "text", "span")


def export_events(store: Store) -> list[dict]:
    """Events at or above the calibrated confidence, parties resolved to canonical actors."""
    group_of = {eid: g["id"] for g in store.groups.list(GROUP_KIND) for eid in g.get("events", [])}
    out = []
    for ev in resolved_events(store):
        row = {k: ev.get(k) for k in EVENT_KEYS}
        row.update({k: v for k, v in ev.items() if k not in row})
        row["group"] = group_of.get(ev["id"])
        out.append(row)
    return out


def export_event_groups(store: Store) -> list[dict]:
    return store.groups.list(GROUP_KIND)


def _party(p) -> dict:
    return {"name": (p or {}).get("name") or (p or {}).get("text"), "entity": (p or {}).get("entity"),
            "text": (p or {}).get("text")} if p else {}


def to_plover_json(data: dict) -> str:
    """PLOVER-style event records (POLECAT field names) with storyline's provenance."""
    articles = {a["id"]: a for a in data.get("articles", [])}
    rows = []
    for ev in data.get("events", []):
        art = articles.get(ev["article"], {})
        rows.append({
            "id": ev["id"], "event_type": ev.get("type"), "mode": ev.get("mode") or "",
            "context": "", "event_date": ev.get("date"), "event_text": ev.get("text"),
            "actor": _party(ev.get("actor")).get("name"), "actor_entity": _party(ev.get("actor")).get("entity"),
            "recipient": _party(ev.get("recipient")).get("name"),
            "recipient_entity": _party(ev.get("recipient")).get("entity"),
            "location": (ev.get("location") or {}).get("text"), "cameo": ev.get("cameo"),
            "quad_class": ev.get("quad_class"), "negated": ev.get("negated"), "hypothetical": ev.get("hypothetical"),
            "confidence": ev.get("confidence"), "story_id": art.get("story"), "article_id": ev["article"],
            "source": art.get("source"), "published": art.get("published"), "url": art.get("url"),
            "span": ev.get("span"), "group": ev.get("group"),
        })
    return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"


CAMEO_COLUMNS = ("id", "date", "actor", "actor_entity", "recipient", "recipient_entity", "cameo", "quad_class",
                 "plover_type", "negated", "hypothetical", "confidence", "article", "source", "text")


def to_cameo_csv(data: dict) -> str:
    articles = {a["id"]: a for a in data.get("articles", [])}
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(CAMEO_COLUMNS)
    for ev in data.get("events", []):
        a, r = _party(ev.get("actor")), _party(ev.get("recipient"))
        w.writerow([ev["id"], ev.get("date") or "", a.get("name") or "", a.get("entity") or "", r.get("name") or "",
                    r.get("entity") or "", ev.get("cameo") or "", ev.get("quad_class") or "", ev.get("type") or "",
                    ev.get("negated"), ev.get("hypothetical"), ev.get("confidence"), ev["article"],
                    articles.get(ev["article"], {}).get("source") or "", ev.get("text") or ""])
    return buf.getvalue()
