"""The readable report: an HTML page and a Markdown file per story, plus an index.

Built from the same data as the export, so every line the report shows can be traced to
its article. All article text is escaped (Jinja2 autoescape); pages load nothing external.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from pathlib import Path

from jinja2 import Environment, PackageLoader

from .export import build_export

CORPUS_STORY = "corpus"


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


def story_views(data: dict, timeline=None) -> list[dict]:
    """One view per story; without stories, one view of the whole corpus, whose timeline
    comes from `timeline(article_ids)` when given."""
    articles = {a["id"]: a for a in data["articles"]}
    stories = data["stories"] or [{"id": CORPUS_STORY, "title": "All articles", "articles": list(articles),
                                   "timeline": timeline(list(articles)) if timeline else [], "summary": []}]
    # index records by article once, so each story touches only its own records
    ents_by_article, quotes_by_article, groups_by_article = defaultdict(list), defaultdict(list), defaultdict(list)
    for i, e in enumerate(data["entities"]):
        for a in set(e["articles"]):
            ents_by_article[a].append(i)
    for q in data["quotes"]:
        quotes_by_article[q["article"]].append(q)
    for i, g in enumerate(data["claim_groups"]):
        for a in set(g["articles"]):
            groups_by_article[a].append(i)
    views = []
    for st in stories:
        ids = [i for i in st["articles"] if i in articles]
        idset = set(ids)
        counts = Counter(k for a in idset for k in ents_by_article.get(a, ()))
        ents = [dict(data["entities"][k], n_articles=n) for k, n in counts.items()]
        ents.sort(key=lambda e: (-e["n_articles"], e["name"]))
        by_type = defaultdict(list)
        for e in ents:
            by_type[e["type"]].append(e)
        quotes = defaultdict(list)
        for a in ids:
            for q in quotes_by_article.get(a, ()):
                quotes[(q.get("speaker") or {}).get("name") or "(unattributed)"].append(q)
        views.append({
            "story": st,
            "slug": re.sub(r"[^A-Za-z0-9_-]", "_", st["id"]),
            "articles": [articles[i] for i in ids],
            "entities_by_type": dict(sorted(by_type.items())),
            "quotes_by_speaker": dict(sorted(quotes.items(), key=lambda kv: -len(kv[1]))),
            "claim_groups": [data["claim_groups"][k] for k in sorted({k for a in idset for k in groups_by_article.get(a, ())})],
            "sources": Counter(articles[i].get("source") or "(unknown outlet)" for i in ids),
        })
    return views


def write_report(store, out_dir: str) -> list[Path]:
    data = build_export(store)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    html_env, md_env = _env(True), _env(False)
    from ..link.timeline import build_timeline

    views = story_views(data, timeline=lambda ids: build_timeline(store, ids))
    written = []
    articles_by_id = {a["id"]: a for a in data["articles"]}
    for v in views:
        for env, ext in ((html_env, "html"), (md_env, "md")):
            path = out / f"story-{v['slug']}.{ext}"
            path.write_text(env.get_template(f"story.{ext}.j2").render(v=v, articles_by_id=articles_by_id), "utf-8")
            written.append(path)
    index = out / "index.html"
    index.write_text(html_env.get_template("index.html.j2").render(views=views, n_articles=len(data["articles"])), "utf-8")
    written.append(index)
    return written
