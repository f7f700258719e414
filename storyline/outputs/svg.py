"""Charts as inline SVG, drawn by our own code: no JavaScript, no library, nothing loaded.

`timeline_svg` puts a story's timeline entries on a date axis (one mark per entry, its
sources in the mark's tooltip and label); `actor_graph_svg` draws the actor graph (actors as
nodes, events and stances as edges coloured cooperation / conflict / neutral). Every piece
of text is XML-escaped; colours are presentation attributes (no inline style), so the pages
keep a Content-Security-Policy without 'unsafe-inline'.
"""
from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Callable, Optional
from xml.sax.saxutils import escape, quoteattr

from ..timex.calendar import value_bounds

COOPERATION, CONFLICT, NEUTRAL = "#2b7a3d", "#b3261e", "#6b6b6b"
EDGE_COLOURS = {"cooperation": COOPERATION, "conflict": CONFLICT, "neutral": NEUTRAL, "stance": "#3f5fa8"}


def _bounds(value: Optional[str]) -> Optional[tuple[date, date]]:
    if not value:
        return None
    try:
        return value_bounds(value[:10]) or value_bounds(value)
    except (ValueError, TypeError):
        return None


def timeline_svg(entries: list[dict], source_names: Callable[[list[str]], str], width: int = 860,
                 href: Optional[Callable[[dict], str]] = None) -> str:
    """A date axis with one mark per dated entry (a bar for a month or a year, a dot for a
    day), stacked where dates collide; undated entries are left out (the list shows them).
    `source_names(article_ids)` names an entry's sources; `href(entry)` links a mark."""
    dated = []
    for e in entries:
        b = _bounds(e.get("date"))
        if b:
            dated.append((b, e))
    if not dated:
        return ""
    lo = min(b[0] for b, _ in dated)
    hi = max(b[1] for b, _ in dated)
    # a few distant entries (a dam "completed in 1971") would squash the story's weeks:
    # the axis covers the bulk (entries within a year of the latest), the rest sit at the left edge
    recent = [b for b, _ in dated if (hi - b[0]).days <= 366]
    if recent and len(recent) < len(dated):
        lo = min(b[0] for b in recent)
    span = max(1, (hi - lo).days + 1)
    left, right, top, row_h = 20, 20, 24, 16
    plot_w = width - left - right

    def x_of(d: date) -> float:
        return left + plot_w * max(0, min(span, (d - lo).days)) / span

    rows: list[list[tuple[float, float]]] = []
    marks = []
    for (b0, b1), e in sorted(dated, key=lambda t: t[0][0]):
        x0, x1 = x_of(b0), max(x_of(b1 + timedelta(days=1)), x_of(b0) + 6)
        early = (hi - b0).days > 366 and recent and len(recent) < len(dated)
        row = next((i for i, r in enumerate(rows) if all(x1 + 2 < a or x0 > c + 2 for a, c in r)), None)
        if row is None:
            rows.append([])
            row = len(rows) - 1
        rows[row].append((x0, x1))
        marks.append((x0, x1, row, e, early))
    height = top + row_h * max(1, len(rows)) + 30
    axis_y = height - 24
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart timeline-chart" viewBox="0 0 {width} {height}" '
           f'width="100%" role="img" aria-label="Timeline: {len(marks)} dated entries from {lo} to {hi}">',
           f'<line x1="{left}" y1="{axis_y}" x2="{width - right}" y2="{axis_y}" stroke="#888"/>']
    ticks = _ticks(lo, hi)
    for d in ticks:
        x = x_of(d)
        out.append(f'<line x1="{x:.1f}" y1="{axis_y}" x2="{x:.1f}" y2="{axis_y + 4}" stroke="#888"/>'
                   f'<text x="{x:.1f}" y="{axis_y + 16}" font-size="11" text-anchor="middle" fill="#555">'
                   f'{escape(_tick_label(d, span))}</text>')
    for x0, x1, row, e, early in marks:
        y = top + row * row_h
        sources = source_names(e.get("articles") or [])
        tip = f"{e.get('date')} ({e.get('precision') or '?'}){' (earlier: off the axis)' if early else ''}: " \
              f"{e.get('text', '')[:200]} [{sources}]"
        colour = "#999" if e.get("basis") == "publication" else "#3f5fa8"
        shape = (f'<circle cx="{x0 + 3:.1f}" cy="{y + 5}" r="5" fill="{colour}"/>' if x1 - x0 <= 8 else
                 f'<rect x="{x0:.1f}" y="{y}" width="{x1 - x0:.1f}" height="10" rx="3" fill="{colour}" '
                 f'fill-opacity="0.55"/>')
        mark = f'<g class="mark"><title>{escape(tip)}</title>{shape}</g>'
        if href:
            mark = f'<a href={quoteattr(href(e))}>{mark}</a>'
        out.append(mark)
    out.append("</svg>")
    return "".join(out)


def _ticks(lo: date, hi: date) -> list[date]:
    days = (hi - lo).days
    if days <= 45:
        step = 1 if days <= 12 else 7
        return [lo + timedelta(days=i) for i in range(0, days + 1, step)]
    if days <= 800:
        out, d = [], date(lo.year, lo.month, 1)
        while d <= hi:
            if d >= lo:
                out.append(d)
            d = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
        return out[:: max(1, len(out) // 12)]
    return [date(y, 1, 1) for y in range(lo.year + 1, hi.year + 1, max(1, (hi.year - lo.year) // 10))]


def _tick_label(d: date, span: int) -> str:
    if span <= 45:
        return d.strftime("%d %b")
    if span <= 800:
        return d.strftime("%b %Y")
    return str(d.year)


def actor_graph_svg(graph: dict, width: int = 860, height: int = 460,
                    href: Optional[Callable[[dict], str]] = None) -> str:
    """Nodes on a circle (the most connected first, at the top), edges as lines coloured by
    kind, thicker with more reports; every node and edge has a tooltip naming its evidence."""
    nodes, edges = graph.get("nodes", []), graph.get("edges", [])
    if not nodes:
        return ""
    cx, cy = width / 2, height / 2
    r = min(width, height) / 2 - 70
    degree: dict[str, int] = {n["id"]: 0 for n in nodes}
    for e in edges:
        for k in ("source", "target"):
            if e[k] in degree:
                degree[e[k]] += e.get("weight", 1)
    order = sorted(nodes, key=lambda n: (-degree[n["id"]], n["name"]))
    pos = {}
    for i, n in enumerate(order):
        a = -math.pi / 2 + 2 * math.pi * i / len(order)
        pos[n["id"]] = (cx + r * math.cos(a), cy + r * math.sin(a), math.cos(a))
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart actor-graph" viewBox="0 0 {width} {height}" '
           f'width="100%" role="img" aria-label="Actor graph: {len(nodes)} actors, {len(edges)} links">']
    for e in edges:
        if e["source"] not in pos or e["target"] not in pos:
            continue
        x1, y1, _ = pos[e["source"]]
        x2, y2, _ = pos[e["target"]]
        colour = EDGE_COLOURS.get(e.get("kind"), NEUTRAL)
        w = 1 + min(5, math.log2(1 + e.get("weight", 1)))
        dates = ", ".join(x for x in (e.get("first"), e.get("last")) if x)
        tip = f"{e.get('source_name')} → {e.get('target_name')}: {e.get('label') or e.get('kind')} " \
              f"({e.get('weight', 1)} report(s){'; ' + dates if dates else ''})"
        out.append(f'<g class="edge edge-{escape(e.get("kind") or "neutral")}"><title>{escape(tip)}</title>'
                   f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{colour}" '
                   f'stroke-width="{w:.1f}" stroke-opacity="0.75"/></g>')
    for n in order:
        x, y, c = pos[n["id"]]
        anchor = "start" if c > 0.2 else "end" if c < -0.2 else "middle"
        dx = 9 if c > 0.2 else -9 if c < -0.2 else 0
        tip = f"{n['name']} ({n.get('type') or '?'}): {degree[n['id']]} link(s)"
        node = (f'<g class="node"><title>{escape(tip)}</title><circle cx="{x:.1f}" cy="{y:.1f}" r="6" '
                f'fill="#3f5fa8"/><text x="{x + dx:.1f}" y="{y + 4:.1f}" font-size="12" text-anchor="{anchor}" '
                f'fill="#222">{escape(n["name"][:40])}</text></g>')
        if href and n.get("entity"):
            node = f'<a href={quoteattr(href(n))}>{node}</a>'
        out.append(node)
    out.append("</svg>")
    return "".join(out)
