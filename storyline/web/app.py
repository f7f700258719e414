"""The local web UI (`storyline serve`): a read-only FastAPI app over one database.

Pages: `/` (stories), `/stories/ID` (the briefing, with filters by actor, date and claim
status), `/entities/ID` (an actor's quotes, events and claims across stories, roles over
time), `/articles/ID` (the text with every extracted span highlighted; `?start=&end=` marks
one span, e.g. a quote, and scrolls to it), `/search?q=` (SQLite FTS5 over articles, quotes
and claims). Each page reads only the rows it shows through the store's indexed `browse`
lookups and the registered export builders (`outputs.scope`), so the web UI shows exactly
what the export holds.

Safety: GET only; every piece of article text is escaped (Jinja2 autoescape); only http(s)
addresses become links; responses carry a Content-Security-Policy without inline script or
style (`script-src 'self'`: the one script is ours, served from /static) and nothing is
loaded from elsewhere. `serve` binds 127.0.0.1 unless told otherwise.
"""
from __future__ import annotations

import re
import threading
from collections import defaultdict
from pathlib import Path
from typing import Optional
from urllib.parse import quote

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from jinja2 import ChoiceLoader, Environment, PackageLoader
from markupsafe import Markup, escape

from ..outputs.highlight import highlight
from ..outputs.report import _safe_url, article_date, header_line, outlet, story_view
from ..outputs.scope import scoped_export
from ..store import open_store
from ..store.sqlite_search import MARK_END, MARK_START

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'none'; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
PAGE_SIZE = 100  # stories per index page
# An entity page covers this many of its articles, latest first (`?page=N` for older ones):
# its work grows with the articles it builds (about 1.7 ms each), so a page of an actor
# named everywhere costs what a page of a rare one does. 25 keeps the p95 under 100 ms
# (bench/bench_web.py, docs/web.md); 200 took 0.9 s.
ENTITY_ARTICLES = 25
STATIC = Path(__file__).parent / "static"


class WebLinks:
    """Where things live in the app."""

    def story(self, story_id: str) -> str:
        return f"/stories/{quote(story_id, safe='')}"

    def article(self, article_id: str) -> str:
        return f"/articles/{quote(article_id, safe='')}"

    def span(self, article_id: str, start: int, end: int) -> str:
        return f"/articles/{quote(article_id, safe='')}?start={int(start)}&end={int(end)}#span"

    def entity(self, entity_id: str) -> str:
        return f"/entities/{quote(entity_id, safe='')}"

    def index(self) -> str:
        return "/"


def _snippet(text: Optional[str]) -> Markup:
    """An FTS snippet (plain text with match markers) as HTML: escaped, matches in <mark>."""
    s = str(escape(text or ""))
    return Markup(s.replace(MARK_START, '<mark class="hit">').replace(MARK_END, "</mark>"))


def create_app(db_path: str) -> FastAPI:
    """The app over the database at `db_path` (one SQLite connection per server thread)."""
    if not Path(db_path).exists():
        raise FileNotFoundError(db_path)
    env = Environment(loader=ChoiceLoader([PackageLoader("storyline.web", "templates"),
                                           PackageLoader("storyline.outputs", "templates")]),
                      autoescape=True, trim_blocks=True, lstrip_blocks=True)
    links = WebLinks()
    local = threading.local()
    css = env.get_template("_style.css.j2").render() + (STATIC / "web.css").read_text("utf-8")
    js = (STATIC / "app.js").read_text("utf-8")

    def store():
        if getattr(local, "store", None) is None:
            local.store = open_store(db_path)
        return local.store

    app = FastAPI(title="storyline", docs_url=None, redoc_url=None, openapi_url=None)

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        if request.method not in ("GET", "HEAD"):
            return Response("read-only", status_code=405, headers={"Allow": "GET, HEAD"})
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        return response

    def page(name: str, status: int = 200, **ctx) -> HTMLResponse:
        return HTMLResponse(env.get_template(name).render(**ctx), status_code=status)

    def not_found(what: str) -> HTTPException:
        return HTTPException(status_code=404, detail=what)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException):
        return page("error.html.j2", status=exc.status_code, status_code=exc.status_code, detail=exc.detail)

    @app.get("/static/style.css")
    def style_css():
        return Response(css, media_type="text/css", headers={"Cache-Control": "max-age=3600"})

    @app.get("/static/app.js")
    def app_js():
        return Response(js, media_type="text/javascript", headers={"Cache-Control": "max-age=3600"})

    @app.get("/favicon.ico")
    def favicon():
        return Response(status_code=204)

    @app.get("/", response_class=HTMLResponse)
    def index(page_no: int = Query(1, alias="page", ge=1)):
        st = store()
        rows = st.browse.story_index(limit=PAGE_SIZE, offset=(page_no - 1) * PAGE_SIZE)
        for r in rows:
            r["href"] = links.story(r["id"])
        loose = st.browse.unassigned_articles(limit=50) if page_no == 1 else []
        return page("index.html.j2", stories=rows, page_no=page_no, n_stories=st.browse.count_stories(),
                    n_articles=st.count("articles"), page_size=PAGE_SIZE,
                    loose=[dict(a, href=links.article(a["id"]), outlet=outlet(a), date=article_date(a))
                           for a in st.browse.articles(loose)])

    @app.get("/stories/{story_id}", response_class=HTMLResponse)
    def story_page(story_id: str):
        st = store()
        found = st.browse.story(story_id)
        if not found:
            raise not_found(f"no story {story_id}")
        data = scoped_export(st, found["articles"])
        story = next((s for s in data["stories"] if s["id"] == story_id), None) or dict(found, timeline=[], summary=[])
        v = story_view(data, story, links)
        return page("story.html.j2", v=v, header=header_line(v), interactive=True)

    @app.get("/entities/{entity_id}", response_class=HTMLResponse)
    def entity_page(entity_id: str, page_no: int = Query(1, alias="page", ge=1)):
        st = store()
        ent = st.browse.entity(entity_id)
        if not ent:
            raise not_found(f"no entity {entity_id}")
        offset = (page_no - 1) * ENTITY_ARTICLES
        ids, n_articles = st.browse.entity_articles(entity_id, limit=ENTITY_ARTICLES, offset=offset)
        if not ids and page_no > 1:
            raise not_found(f"no page {page_no} for entity {entity_id}")
        data = scoped_export(st, ids, sections=("entities", "quotes", "claims", "events"))
        view = _entity_view(ent, data, ids, n_articles, links)
        href = links.entity(entity_id)
        view["pages"] = {"first": offset + 1, "last": offset + len(ids), "page": page_no,
                         "newer": (f"{href}?page={page_no - 1}" if page_no > 2 else href) if page_no > 1 else None,
                         "older": f"{href}?page={page_no + 1}" if offset + len(ids) < n_articles else None}
        for s in view["stories"]:
            s["title"] = s["title"] or (st.browse.story(s["id"]) or {}).get("title")
        return page("entity.html.j2", **view)

    @app.get("/articles/{article_id}", response_class=HTMLResponse)
    def article_page(article_id: str, start: Optional[int] = None, end: Optional[int] = None):
        st = store()
        if not st.has_article(article_id):
            raise not_found(f"no article {article_id}")
        data = scoped_export(st, [article_id], sections=("entities", "quotes", "timexes", "claims", "events"))
        return page("article.html.j2", **_article_view(data, article_id, start, end, links, st))

    @app.get("/search", response_class=HTMLResponse)
    def search(q: str = Query("", max_length=500)):
        hits = store().search.query(q, limit=30) if q.strip() else {"articles": [], "quotes": [], "claims": []}
        for rows in hits.values():
            for h in rows:
                h["snippet_html"] = _snippet(h["snippet"])
                h["href"] = (links.span(h["article"], h["start"], h["end"]) if h.get("start") is not None
                             else links.article(h["article"]))
                h["outlet"] = h.get("source") or "outlet not stated"
        return page("search.html.j2", q=q, hits=hits, n=sum(len(v) for v in hits.values()))

    @app.get("/export/storyline.json")
    def export_json():
        from ..outputs.export import build_export

        return JSONResponse(build_export(store()))

    return app


def _entity_view(ent: dict, data: dict, ids: list[str], n_articles: int, links: WebLinks) -> dict:
    eid = ent["id"]
    articles = {a["id"]: a for a in data["articles"]}

    def cite(aid, span=None):
        a = articles.get(aid)
        return {"href": links.span(aid, span["start"], span["end"]) if span else links.article(aid),
                "outlet": outlet(a), "date": article_date(a), "title": (a or {}).get("title") or aid}

    quotes = [dict(q, cite=cite(q["article"], q.get("span"))) for q in data["quotes"]
              if (q.get("speaker") or {}).get("entity") == eid]
    events = [dict(e, cite=cite(e["article"], e.get("span")),
                   role="actor" if (e.get("actor") or {}).get("entity") == eid else "recipient")
              for e in data["events"]
              if eid in ((e.get("actor") or {}).get("entity"), (e.get("recipient") or {}).get("entity"))]

    def names_entity(c):
        return any(isinstance(c.get(k), dict) and c[k].get("entity") == eid for k in ("subject", "attributed_to"))

    claims = [dict(c, cite=cite(c["article"], c.get("span"))) for c in data["claims"] if names_entity(c)]
    for rows in (quotes, events, claims):
        rows.sort(key=lambda r: r.get("date") or articles.get(r["article"], {}).get("published") or "")
    scoped = next((e for e in data["entities"] if e["id"] == eid), {})
    mentions = [m for m in scoped.get("mentions") or [] if m["article"] in articles]
    # roles over time: the dates of the reports that describe the entity with each role
    roles = []
    for r in ent.get("roles") or []:
        word = (r.get("role") or "").lower()
        dates, seen = [], set()
        for m in mentions:
            a = articles[m["article"]]
            window = a["text"][max(0, m["span"]["start"] - 120):m["span"]["end"] + 120].lower()
            if word and word in window and a["id"] not in seen:
                seen.add(a["id"])
                dates.append(cite(a["id"], m["span"]))
        dates.sort(key=lambda c: c["date"])
        roles.append({"role": r.get("role"), "of": r.get("of"), "cites": dates})
    stories: dict[str, dict] = {}
    for a in data["articles"]:
        if a.get("story"):
            s = stories.setdefault(a["story"], {"id": a["story"], "href": links.story(a["story"]), "n": 0,
                                                "title": None})
            s["n"] += 1
    for s in data["stories"]:
        if s["id"] in stories:
            stories[s["id"]]["title"] = s.get("title")
    first_mention: dict[str, dict] = {}
    count: dict[str, int] = defaultdict(int)
    for m in mentions:
        first_mention.setdefault(m["article"], m["span"])
        count[m["article"]] += 1
    arts = [dict(a, outlet=outlet(a), date=article_date(a), n_mentions=count[a["id"]],
                 href=links.span(a["id"], first_mention[a["id"]]["start"], first_mention[a["id"]]["end"])
                 if a["id"] in first_mention else links.article(a["id"]))
            for a in sorted(data["articles"], key=lambda a: a.get("published") or "")]
    return {"ent": ent, "quotes": quotes, "events": events, "claims": claims, "roles": roles,
            "stories": list(stories.values()), "articles": arts, "n_articles": n_articles, "shown": len(ids)}


def _article_view(data: dict, aid: str, start: Optional[int], end: Optional[int], links: WebLinks, store) -> dict:
    art = data["articles"][0]
    text = art["text"]
    marks = []
    names = {}
    for e in data["entities"]:
        for m in e.get("mentions", []):
            if m["article"] == aid:
                marks.append({**m["span"], "kind": "entity", "title": f"{e['name']} ({e.get('type') or '?'})"})
                names[(m["span"]["start"], m["span"]["end"])] = e
    for t in data["timexes"]:
        marks.append({**t["span"], "kind": "timex", "title": f"{t.get('type')}: {t.get('value') or 'unresolved'}"})
    for q in data["quotes"]:
        sp = (q.get("speaker") or {}).get("name") or "unattributed"
        marks.append({**q["span"], "kind": "quote", "title": f"quote ({q.get('kind')}), speaker: {sp}"})
    for c in data["claims"]:
        marks.append({**c["span"], "kind": "claim", "title": f"claim: {c.get('value')} {c.get('unit') or ''}"})
    for ev in data["events"]:
        marks.append({**ev["span"], "kind": "event", "title": f"event: {ev.get('type')}"})
    target, target_span = None, None
    if start is not None and end is not None and 0 <= start < end <= len(text):
        target_span = {"start": start, "end": end, "id": "span", "title": "the cited span"}
        target = text[start:end]
    story = store.browse.story(art["story"]) if art.get("story") else None
    dup = store.article(art["duplicate_of"]) if art.get("duplicate_of") else None
    entities = sorted({(e["id"], e["name"], e.get("type") or "") for e in data["entities"]
                       if aid in (e.get("articles") or [])}, key=lambda t: (t[2], t[1]))
    return {"a": art, "outlet": outlet(art), "date": article_date(art), "marked": highlight(text, marks, target_span),
            "url_safe": art["url"] if _safe_url(art.get("url")) else None, "target": target,
            "story": dict(story, href=links.story(story["id"])) if story else None,
            "dup": dict(dup, href=links.article(dup["id"]), outlet=outlet(dup)) if dup else None,
            "entities": [{"id": i, "name": n, "type": t, "href": links.entity(i)} for i, n, t in entities],
            "counts": {k: len(data[k]) for k in ("quotes", "timexes", "claims", "events")}}


def check_host(host: str) -> Optional[str]:
    """A warning line when `host` exposes the UI beyond this machine, else None."""
    if host in ("127.0.0.1", "localhost", "::1") or re.match(r"^127\.", host):
        return None
    return (f"warning: serving on {host}: anyone who can reach this address can read the whole database "
            "(the UI has no login; 127.0.0.1 is the safe default)")
