"""The briefing: per story one self-contained HTML page and a Markdown twin, plus an index.

Built from the export (`build_export`), so every line it shows traces to its articles:
summary sentences, timeline entries, quotes, claims and events cite their outlet and date and
link to the exact span in the article text, which the page carries at its end. The same
view (`story_view`) feeds the web UI's story page, with links into the app instead of
anchors in the page. Article text is escaped everywhere (Jinja2 autoescape, `md_escape`);
pages load nothing external and charts are inline SVG (outputs/svg.py).
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Callable, Optional

from jinja2 import Environment, PackageLoader
from markupsafe import Markup

from .export import build_export
from .graph import actor_graph
from .highlight import highlight
from .quotes_export import wording
from .svg import actor_graph_svg, timeline_svg

CORPUS_STORY = "corpus"
UNKNOWN_OUTLET = "outlet not stated"
STATUS_ORDER = ("conflicting", "updated", "corroborated", "single-source")
ACTOR_TYPES = ("PERSON", "ORG", "NORP", "GPE")


def slug(story_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "_", story_id)


class ReportLinks:
    """Where things live in the static report: anchors in the story page itself."""

    def story(self, story_id: str) -> str:
        return f"story-{slug(story_id)}.html"

    def article(self, article_id: str) -> str:
        return f"#art-{article_id}"

    def span(self, article_id: str, start: int, end: int) -> str:
        return f"#sp-{article_id}-{start}-{end}"

    def entity(self, entity_id: str) -> str:
        return f"#ent-{entity_id}"

    def index(self) -> str:
        return "index.html"


def _env(autoescape: bool) -> Environment:
    env = Environment(loader=PackageLoader("storyline.outputs", "templates"),
                      autoescape=autoescape,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["md"] = md_escape
    return env


def md_escape(value) -> str:
    """Escape Markdown control characters and HTML in untrusted article text."""
    s = "" if value is None else str(value)
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    s = re.sub(r"([\\`*_{}\[\]()#+!|~])", r"\\\1", s)
    return s.replace("\n", " ")


def outlet(article: Optional[dict]) -> str:
    return (article or {}).get("source") or UNKNOWN_OUTLET


def article_date(article: Optional[dict], span: Optional[tuple] = None) -> str:
    """The publication date, or for an undated report its estimated window with its year
    and confidence ("undated; est. 2026-05-20 to 2026-06-20, low confidence") when the year
    is known (written in the window, or from the story's dated reports: `span` from
    `story_dating.story_span`), else "undated". A window without a year is not shown: "May 20
    to June 20" of an unknown year misleads more than it tells."""
    a = article or {}
    if a.get("published"):
        return a["published"]
    est = a.get("published_estimate") or {}
    conf = est.get("confidence") or "low"
    frm, to = str(est.get("from") or ""), str(est.get("to") or "")
    if re.match(r"^\d{4}-\d\d-\d\d", frm):
        return f"undated; est. {frm[:10]} to {to[:10] or '?'} ({conf} confidence)"
    if span and frm:
        from ..link.story_dating import story_window

        got = story_window(est, span[0], span[1])
        if got:
            return f"undated; est. {got[0].isoformat()} to {got[1].isoformat()} ({conf} confidence, year from the story)"
    return "undated"


def shown_date(value: Optional[str], span: Optional[tuple] = None) -> Optional[str]:
    """A record's date as the report shows it: a day without its year (`XXXX-05-20`, from an
    undated report) takes the story's year when one fits (`story_dating.story_year`), else is
    not shown."""
    if not value or not str(value).startswith("XXXX"):
        return value
    if span and len(value) >= 10:
        from ..link.story_dating import story_year

        return story_year(value, "", span[0], span[1])
    return None


def story_view(data: dict, story: dict, links, timeline: Optional[Callable[[list], list]] = None) -> dict:
    """Everything one story page shows, from an export-shaped dict that holds at least the
    story's records. `links` says where an article, span, entity or story lives."""
    articles = {a["id"]: a for a in data["articles"]}
    ids = [i for i in story["articles"] if i in articles]
    idset = set(ids)
    arts = [articles[i] for i in ids]
    entities = {e["id"]: e for e in data["entities"]}
    from ..link.story_dating import story_span

    dating = story_span(arts)  # the story's dated reports' span: the year of an undated one's window

    cited: dict[str, set] = defaultdict(set)  # spans a citation links to, marked in the article

    def cite(aid: str, span: Optional[dict] = None, text: Optional[str] = None) -> dict:
        a = articles.get(aid)
        href = links.article(aid)
        if not span and text and a and text in a["text"]:
            s = a["text"].index(text)
            span = {"start": s, "end": s + len(text)}
        if span:
            href = links.span(aid, span["start"], span["end"])
            cited[aid].add((span["start"], span["end"]))
        return {"article": aid, "outlet": outlet(a), "date": article_date(a, dating), "href": href,
                "day": (a or {}).get("published") or "",
                "title": (a or {}).get("title") or aid}

    # --- entities of the story ----------------------------------------------------------
    ent_counts = Counter()
    for e in data["entities"]:
        n = len(idset & set(e.get("articles") or ()))
        if n:
            ent_counts[e["id"]] = n
    story_entities = [dict(entities[k], n_articles=n, href=links.entity(k)) for k, n in ent_counts.items()]
    story_entities.sort(key=lambda e: (-e["n_articles"], e["name"]))
    by_type: dict[str, list] = defaultdict(list)
    for e in story_entities:
        by_type[e.get("type") or "OTHER"].append(e)

    # --- summary -------------------------------------------------------------------------
    summary = []
    for s in story.get("summary") or []:
        first = s.get("article") or (s["articles"][0] if s.get("articles") else None)
        cites = [cite(a, s.get("span") if a == first else None, s["text"]) for a in s.get("articles", [])
                 if a in articles]
        summary.append({"text": s["text"], "cites": cites})

    # --- timeline ------------------------------------------------------------------------
    entries = story.get("timeline")
    if entries is None or (not entries and timeline):
        entries = timeline(ids) if timeline else []
    time_rows = [dict(t, cites=[cite(a, None, t.get("text")) for a in t.get("articles", []) if a in articles])
                 for t in entries]

    def names_of(aids):
        return ", ".join(dict.fromkeys(outlet(articles.get(a)) for a in aids)) or UNKNOWN_OUTLET

    chart = timeline_svg(entries, names_of)

    # --- who said what: one quote per wording, copies folded in ------------------------------
    speakers: dict[str, dict] = {}
    for q in data["quotes"]:
        if q["article"] not in idset:
            continue
        sp = q.get("speaker") or {}
        # a country's sector speaking is shown as such: "Dornland (government)"
        facet = sp.get("facet")
        shown = (sp.get("name") or "(unattributed)") + (f" ({facet})" if facet else "")
        key = (sp.get("entity") or ("name:" + shown.lower())) + (f"/{facet}" if facet else "")
        entry = speakers.setdefault(key, {"name": shown, "entity": sp.get("entity"),
                                          "href": links.entity(sp["entity"]) if sp.get("entity") else None,
                                          "roles": [], "quotes": {}})
        ent = entities.get(sp.get("entity") or "")
        if ent:
            entry["roles"] = sorted({r.get("role") for r in ent.get("roles") or [] if r.get("role")})
        qk = wording(q.get("text"))
        folded = entry["quotes"].setdefault(qk, {"text": q.get("text"), "kind": q.get("kind"), "cue": q.get("cue"),
                                                 "told": q.get("told"), "date": shown_date(q.get("date"), dating),
                                                 "cites": [],
                                                 "actors": set(), "id": q["id"]})
        folded["cites"].append(cite(q["article"], q.get("span")))
        folded["date"] = folded["date"] or shown_date(q.get("date"), dating)
        if sp.get("entity"):
            folded["actors"].add(sp["entity"])
    quotes_by_speaker = []
    for sp in speakers.values():
        qs = list(sp["quotes"].values())
        for q in qs:
            q["actors"] = " ".join(sorted(q["actors"]))
            # the date filter and the order need a date, not "undated; est. ...": the
            # report's own publication date, else nothing
            q["sort_date"] = q["date"] or (q["cites"][0]["day"] if q["cites"] else "")
        qs.sort(key=lambda q: q["sort_date"] or "")
        quotes_by_speaker.append(dict(sp, quotes=qs))
    quotes_by_speaker.sort(key=lambda s: (s["name"] == "(unattributed)", -len(s["quotes"]), s["name"]))

    # --- claims and events -----------------------------------------------------------------
    claims = [c for c in data.get("claims", []) if c["article"] in idset]
    claims_by_id = {c["id"]: c for c in claims}
    groups = [g for g in data.get("claim_groups", []) if idset & set(g.get("articles") or ())]
    claim_groups = []
    for g in groups:
        members = [claims_by_id[c] for c in g.get("claims", []) if c in claims_by_id]
        claim_groups.append(dict(g, cites=[cite(c["article"], c.get("span")) for c in members]
                                 or [cite(a) for a in g.get("articles", []) if a in articles],
                                 actors=" ".join(sorted({(c.get("subject") or {}).get("entity") or ""
                                                         for c in members} - {""}))))
    claim_groups.sort(key=lambda g: (STATUS_ORDER.index(g.get("status")) if g.get("status") in STATUS_ORDER else 9,
                                     g.get("description") or ""))
    grouped = {c for g in groups for c in g.get("claims", [])}
    loose_claims = [dict(c, date=shown_date(c.get("date"), dating), cites=[cite(c["article"], c.get("span"))])
                    for c in claims if c["id"] not in grouped]
    events = []
    for ev in data.get("events", []):
        if ev["article"] not in idset:
            continue
        actors = " ".join(p["entity"] for p in (ev.get("actor") or {}, ev.get("recipient") or {}) if p.get("entity"))
        when = shown_date(ev.get("date"), dating)
        events.append(dict(ev, date=when, cites=[cite(ev["article"], ev.get("span"))], actors=actors,
                           sort_date=when or articles[ev["article"]].get("published") or ""))
    events.sort(key=lambda e: e["sort_date"])

    # --- actor graph ------------------------------------------------------------------------
    graph = actor_graph(data, ids)
    _story_dates_on_edges(graph, data, articles, dating)
    graph_svg = actor_graph_svg(graph, href=lambda n: links.entity(n["entity"]))

    # --- sources ---------------------------------------------------------------------------
    copies: dict[str, list] = defaultdict(list)
    for a in arts:
        if a.get("duplicate_of") and a["duplicate_of"] in idset:
            copies[a["duplicate_of"]].append(a)
    outlets: dict[str, dict] = {}
    for a in arts:
        if a.get("duplicate_of") and a["duplicate_of"] in idset:
            continue
        o = outlets.setdefault(outlet(a), {"name": outlet(a), "known": bool(a.get("source")), "articles": [],
                                           "cites": set()})
        o["articles"].append({"cite": cite(a["id"]), "copies": [cite(c["id"]) for c in copies.get(a["id"], [])]})
        o["cites"].update(a.get("cites") or [])
        for c in copies.get(a["id"], []):
            o["cites"].update(c.get("cites") or [])
    sources = sorted(({**o, "cites": sorted(o["cites"])} for o in outlets.values()),
                     key=lambda o: (not o["known"], o["name"]))
    known_outlets = sorted({a["source"] for a in arts if a.get("source")})

    # --- articles with marked spans --------------------------------------------------------
    spans_by_article: dict[str, list] = defaultdict(list)
    for s in story.get("summary") or []:
        if s.get("span") and s.get("article") in idset:
            spans_by_article[s["article"]].append({**s["span"], "kind": "summary"})
    for q in data["quotes"]:
        if q["article"] in idset and q.get("span"):
            spans_by_article[q["article"]].append({**q["span"], "kind": "quote"})
    for c in claims:
        if c.get("span"):
            spans_by_article[c["article"]].append({**c["span"], "kind": "claim"})
    for ev in events:
        if ev.get("span"):
            spans_by_article[ev["article"]].append({**ev["span"], "kind": "event"})
    article_rows = []
    for a in arts:
        found = {(m["start"], m["end"]) for m in spans_by_article[a["id"]]}
        spans_by_article[a["id"]] += [{"start": s, "end": e, "kind": "cited"} for s, e in cited[a["id"]] - found]
        marks, anchored = [], set()
        for m in spans_by_article[a["id"]]:
            key = (m["start"], m["end"])
            marks.append({"start": m["start"], "end": m["end"], "kind": m["kind"],
                          "id": None if key in anchored else links.span(a["id"], *key).lstrip("#")})
            anchored.add(key)
        article_rows.append({**a, "outlet": outlet(a), "date": article_date(a, dating), "anchor": links.article(a["id"])[1:],
                             "url_safe": a["url"] if _safe_url(a.get("url")) else None,
                             "duplicate_cite": cite(a["duplicate_of"]) if a.get("duplicate_of") in articles else None,
                             "marked": highlight(a["text"], marks)})
    dates = sorted(a["published"] for a in arts if a.get("published"))
    return {
        "story": story, "slug": slug(story["id"]), "articles": article_rows,
        "known_outlets": known_outlets, "dates": (dates[0], dates[-1]) if dates else None,
        "independent_sources": story.get("independent_sources"),
        "summary": summary, "timeline": time_rows, "timeline_svg": Markup(chart),
        "quotes_by_speaker": quotes_by_speaker, "n_quotes": sum(len(s["quotes"]) for s in quotes_by_speaker),
        "claim_groups": claim_groups, "loose_claims": loose_claims, "events": events,
        "graph": graph, "graph_svg": Markup(graph_svg), "sources": sources,
        "entities_by_type": dict(sorted(by_type.items())), "entities": story_entities,
        "actor_options": [e for e in story_entities if e.get("type") in ACTOR_TYPES][:60],
    }


def _story_dates_on_edges(graph: dict, data: dict, articles: dict, dating: Optional[tuple]) -> None:
    """Edge dates (first, last) again from the records each edge rests on, with a yearless
    day of an undated report given the story's year (`shown_date`) or left out, as the rest
    of the report shows dates: `XXXX-05-29` sorts after every real date and reads as none."""
    recs = {r["id"]: r for kind in ("events", "quotes") for r in data.get(kind, [])}
    for e in graph.get("edges", []):
        dates = []
        for rid in e.get("records", []):
            r = recs.get(rid)
            if r is None:
                continue
            d = shown_date(r.get("date"), dating) or (articles.get(r.get("article")) or {}).get("published")
            if d:
                dates.append(d)
        dates.sort()
        e["first"], e["last"] = (dates[0], dates[-1]) if dates else (None, None)


def _safe_url(url: Optional[str]) -> bool:
    """Only web addresses become links; `javascript:`, `data:` and the like stay text."""
    return bool(url) and re.match(r"^https?://[^\s\"'<>]+$", url, re.I) is not None


def header_line(v: dict) -> str:
    n = len(v["articles"])
    outlets = v["known_outlets"]
    s = f"{n} article{'s' if n != 1 else ''}"
    if outlets:
        s += f" from {len(outlets)} outlet{'s' if len(outlets) != 1 else ''} ({', '.join(outlets)})"
    else:
        s += ", no outlet stated"
    if v.get("independent_sources") is not None:
        s += f"; {v['independent_sources']} independent source{'s' if v['independent_sources'] != 1 else ''}"
    if v.get("dates"):
        a, b = v["dates"]
        s += f"; published {a}" + (f" to {b}" if b != a else "")
    return s + "."


def story_views(data: dict, links=None, timeline=None) -> list[dict]:
    """One view per story; without stories, one view of the whole corpus, whose timeline
    comes from `timeline(article_ids)` when given."""
    links = links or ReportLinks()
    stories = data["stories"] or [{"id": CORPUS_STORY, "title": "All articles",
                                   "articles": [a["id"] for a in data["articles"]], "timeline": None, "summary": []}]
    return [story_view(data, st, links, timeline) for st in stories]


EXPORT_FILES = ("storyline.json", "storyline.jsonl", "parquet/", "actors.graphml")


def write_report(store, out_dir: str) -> list[Path]:
    data = build_export(store)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    html_env, md_env = _env(True), _env(False)
    from ..link.timeline import build_timeline

    views = story_views(data, ReportLinks(), timeline=lambda ids: build_timeline(store, ids))
    written = []
    for v in views:
        for env, ext in ((html_env, "html"), (md_env, "md")):
            path = out / f"story-{v['slug']}.{ext}"
            path.write_text(env.get_template(f"story.{ext}.j2").render(v=v, header=header_line(v)), "utf-8")
            written.append(path)
    exports = [f for f in EXPORT_FILES if (out / f.rstrip("/")).exists()]
    index = out / "index.html"
    index.write_text(html_env.get_template("index.html.j2").render(
        views=views, n_articles=len(data["articles"]), exports=exports, header_line=header_line), "utf-8")
    written.append(index)
    return written
