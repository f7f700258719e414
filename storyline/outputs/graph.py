"""The actor graph: actors as nodes; events and stances as edges, over time.

- An event with an actor and a recipient is an edge actor → recipient, coloured by its
  CAMEO quad class: 1-2 (verbal / material cooperation) `cooperation`, 3-4 (verbal /
  material conflict) `conflict`, otherwise `neutral`.
- A quote is a stance: speaker → every actor named inside the quoted words (`stance`).
Edges between the same two actors of the same kind fold into one, with how many reports,
the first and last date, and the records and articles they rest on. `to_graphml` writes the
graph for Gephi or networkx (`networkx.read_graphml`).
"""
from __future__ import annotations

from collections import defaultdict
from typing import Iterable, Optional
from xml.sax.saxutils import escape, quoteattr

QUAD_KIND = {1: "cooperation", 2: "cooperation", 3: "conflict", 4: "conflict"}
MAX_NODES = 30  # a drawing with more actors is unreadable; the GraphML export keeps them all


def _party_key(p: Optional[dict]) -> Optional[tuple[str, str]]:
    """A party that the actors linker resolved to a canonical actor; unresolved words ("we",
    "the plan", "anyone") are not actors and make no node."""
    if not p or not p.get("entity"):
        return None
    return p["entity"], p.get("name") or p.get("text") or p["entity"]


def actor_graph(data: dict, article_ids: Optional[Iterable[str]] = None, max_nodes: Optional[int] = MAX_NODES) -> dict:
    """{nodes: [{id, entity, name, type}], edges: [{source, target, source_name, target_name,
    kind, label, weight, first, last, records, articles}]} from an export-shaped dict."""
    ids = set(article_ids) if article_ids is not None else {a["id"] for a in data.get("articles", [])}
    published = {a["id"]: a.get("published") for a in data.get("articles", [])}
    entities = {e["id"]: e for e in data.get("entities", [])}
    mentions: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for e in data.get("entities", []):
        if e.get("type") in ("PERSON", "ORG", "NORP", "GPE") or e.get("actor_type"):
            for m in e.get("mentions", []):
                if m["article"] in ids:
                    mentions[m["article"]].append((m["span"]["start"], m["span"]["end"], e["id"]))
    names: dict[str, str] = {}
    edges: dict[tuple, dict] = {}

    def add(src, dst, kind, label, rec, date):
        if not src or not dst or src[0] == dst[0]:
            return
        names.setdefault(src[0], src[1])
        names.setdefault(dst[0], dst[1])
        e = edges.setdefault((src[0], dst[0], kind), {
            "source": src[0], "target": dst[0], "source_name": src[1], "target_name": dst[1], "kind": kind,
            "labels": defaultdict(int), "weight": 0, "dates": [], "records": [], "articles": []})
        e["weight"] += 1
        e["labels"][label] += 1
        if date:
            e["dates"].append(date)
        e["records"].append(rec["id"])
        if rec["article"] not in e["articles"]:
            e["articles"].append(rec["article"])

    for ev in data.get("events", []):
        if ev["article"] in ids and not ev.get("negated"):
            kind = QUAD_KIND.get(ev.get("quad_class"), "neutral")
            add(_party_key(ev.get("actor")), _party_key(ev.get("recipient")), kind,
                ev.get("type") or ev.get("cameo") or "event", ev, ev.get("date") or published.get(ev["article"]))
    for q in data.get("quotes", []):
        if q["article"] not in ids or not q.get("span"):
            continue
        speaker = _party_key(q.get("speaker"))
        s, t = q["span"]["start"], q["span"]["end"]
        for ms, me, eid in mentions.get(q["article"], ()):
            if s <= ms and me <= t:
                add(speaker, (eid, entities[eid]["name"]), "stance", "quoted on", q,
                    q.get("date") or published.get(q["article"]))
    out_edges = []
    for e in edges.values():
        dates = sorted(d for d in e.pop("dates") if d)
        labels = e.pop("labels")
        e["label"] = ", ".join(sorted(labels, key=lambda k: -labels[k]))
        e["first"], e["last"] = (dates[0], dates[-1]) if dates else (None, None)
        out_edges.append(e)
    degree: dict[str, int] = defaultdict(int)
    for e in out_edges:
        degree[e["source"]] += e["weight"]
        degree[e["target"]] += e["weight"]
    keep = sorted(degree, key=lambda n: (-degree[n], names[n]))
    if max_nodes is not None:
        keep = keep[:max_nodes]
    kept = set(keep)
    nodes = [{"id": n, "entity": n if n in entities else None, "name": names[n],
              "type": entities.get(n, {}).get("type")} for n in keep]
    out_edges = [e for e in out_edges if e["source"] in kept and e["target"] in kept]
    out_edges.sort(key=lambda e: (e["first"] or "9999", -e["weight"]))
    return {"nodes": nodes, "edges": out_edges}


def to_graphml(graph: dict) -> str:
    """The graph as GraphML (directed; node and edge attributes declared as keys)."""
    node_keys = (("name", "string"), ("type", "string"), ("entity", "string"))
    edge_keys = (("kind", "string"), ("label", "string"), ("weight", "int"), ("first", "string"),
                 ("last", "string"), ("articles", "string"), ("records", "string"))
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
             'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
             'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
             'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">']
    for k, t in node_keys:
        lines.append(f'  <key id="n_{k}" for="node" attr.name="{k}" attr.type="{t}"/>')
    for k, t in edge_keys:
        lines.append(f'  <key id="e_{k}" for="edge" attr.name="{k}" attr.type="{t}"/>')
    lines.append('  <graph id="actors" edgedefault="directed">')
    for n in graph["nodes"]:
        lines.append(f'    <node id={quoteattr(n["id"])}>')
        for k, _ in node_keys:
            if n.get(k) is not None:
                lines.append(f'      <data key="n_{k}">{escape(str(n[k]))}</data>')
        lines.append("    </node>")
    for i, e in enumerate(graph["edges"]):
        lines.append(f'    <edge id="e{i}" source={quoteattr(e["source"])} target={quoteattr(e["target"])}>')
        for k, _ in edge_keys:
            v = e.get(k)
            if isinstance(v, list):
                v = " ".join(v)
            if v is not None:
                lines.append(f'      <data key="e_{k}">{escape(str(v))}</data>')
        lines.append("    </edge>")
    lines += ["  </graph>", "</graphml>"]
    return "\n".join(lines) + "\n"
