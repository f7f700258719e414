"""The web UI through its HTTP interface (no browser): every page, the security headers,
escaping of hostile article text, read-only, search, and the `serve` command's errors.
The browser walk-through is in test_web_browser.py."""
from __future__ import annotations

import re
import socket

import pytest

pytest.importorskip("fastapi")

from fastapi.testclient import TestClient  # noqa: E402

from storyline.cli import main  # noqa: E402
from storyline.store import open_store  # noqa: E402
from storyline.web.app import create_app  # noqa: E402


@pytest.fixture(scope="module")
def client(web_db):
    return TestClient(create_app(str(web_db)))


def _hostile_id(db) -> str:
    with open_store(str(db)) as store:
        return next(a["id"] for a in store.articles() if "alert('text')" in a["text"])


def _first(pattern: str, html: str) -> str:
    m = re.search(pattern, html)
    assert m, pattern
    return m.group(1)


def test_pages_render_and_link_up(client):
    index = client.get("/")
    assert index.status_code == 200
    assert "Stories" in index.text and "/export/storyline.json" in index.text
    sid = _first(r'href="/stories/([^"]+)"', index.text)
    story = client.get(f"/stories/{sid}")
    assert story.status_code == 200
    for heading in ("Summary", "Timeline", "Actor graph", "Who said what", "Figures and claims", "Events",
                    "Sources", "Actors and entities"):
        assert f">{heading}</h2>" in story.text, heading
    assert "<svg" in story.text and 'id="filters"' in story.text
    eid = _first(r'href="/entities/([^"]+)"', story.text)
    entity = client.get(f"/entities/{eid}")
    assert entity.status_code == 200 and "Roles over time" in entity.text
    aid = _first(r'href="/articles/([^"?#]+)', story.text)
    article = client.get(f"/articles/{aid}")
    assert article.status_code == 200 and 'class="hl hl-' in article.text


def test_span_link_marks_the_cited_words(client, web_db):
    with open_store(str(web_db)) as store:
        q = next(store.records("quotes"))
        text = store.article(q["article"])["text"]
    s, e = q["span"]["start"], q["span"]["end"]
    page = client.get(f"/articles/{q['article']}?start={s}&end={e}")
    mark = _first(r'<p class="target-note">Cited span highlighted below: “<span id="target-text">(.*?)</span>', page.text)
    assert mark == text[s:e].replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&#34;") \
        .replace("'", "&#39;")
    assert 'id="span"' in page.text
    # a span outside the text is ignored, not an error
    assert client.get(f"/articles/{q['article']}?start=5&end=999999").status_code == 200


def test_hostile_article_is_text(client, web_db):
    aid = _hostile_id(web_db)
    for url in (f"/articles/{aid}", "/search?q=union+leader", "/"):
        html = client.get(url).text
        assert "<script>alert" not in html and "<img src=x" not in html and "<style>body" not in html, url
        assert 'href="javascript:' not in html.lower(), url
    page = client.get(f"/articles/{aid}").text
    assert "&lt;script&gt;alert(&#39;text&#39;)&lt;/script&gt;" in page
    assert "javascript:alert(&#39;url&#39;)" in page  # shown as text, not a link


def test_security_headers_and_read_only(client):
    r = client.get("/")
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "default-src 'none'" in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert client.post("/").status_code == 405
    assert client.get("/stories/nope").status_code == 404
    assert client.get("/entities/nope").status_code == 404
    assert client.get("/articles/nope").status_code == 404


def test_search_finds_articles_quotes_and_is_safe(client):
    r = client.get("/search", params={"q": "spillway"})
    assert r.status_code == 200 and '<mark class="hit">' in r.text
    assert "hits-articles" in r.text and "hits-quotes" in r.text
    for q in ('"', "NEAR(", "title:x", "*", "a OR", "'); DROP TABLE articles; --", "ü" * 600):
        assert client.get("/search", params={"q": q}).status_code in (200, 422), q
    assert client.get("/search", params={"q": "zzzznotaword"}).status_code == 200


def test_search_index_follows_saves_and_removals(tmp_path):
    with open_store(str(tmp_path / "s.db")) as store:
        store.save_article({"id": "x1", "path": "p1", "text": "The zebra crossing reopened.", "title": "Zebra"},
                           {"quotes": [{"text": "zebras everywhere", "span": {"start": 4, "end": 9, "text": "zebra"}}],
                            "claims": [{"text": "three zebras", "span": {"start": 4, "end": 9, "text": "zebra"}}]})
        hits = store.search.query("zebr")
        assert [h["id"] for h in hits["articles"]] == ["x1"]
        assert len(hits["quotes"]) == 1 and len(hits["claims"]) == 1
        assert store.remove_articles(["x1"]) == 1
        assert store.search.query("zebra") == {"articles": [], "quotes": [], "claims": []}
        store.search.rebuild()
        assert store.search.query("zebra")["articles"] == []


def test_serve_reports_a_taken_port(web_db, capsys):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        port = s.getsockname()[1]
        assert main(["serve", "--db", str(web_db), "--port", str(port)]) == 1
    assert "E401" in capsys.readouterr().err
    assert main(["serve", "--db", str(web_db.parent / "missing.db")]) == 2


def test_entity_pages_page_through_its_articles(client, web_db, monkeypatch):
    import storyline.web.app as web

    with open_store(str(web_db)) as store:
        ent = max(store.actors.entities(), key=lambda e: len(set(e.get("articles") or [])))
    n = len(set(ent["articles"]))
    assert n >= 2
    assert 'class="pager"' not in client.get(f"/entities/{ent['id']}").text  # all on one page
    monkeypatch.setattr(web, "ENTITY_ARTICLES", 1)
    seen = []
    for page in range(1, n + 1):
        html = client.get(f"/entities/{ent['id']}" + (f"?page={page}" if page > 1 else "")).text
        assert f"Articles {page}–{page} of {n}, latest first" in html
        assert ("older articles" in html) == (page < n) and ("newer articles" in html) == (page > 1)
        table = html.split('<table class="articles">', 1)[1]
        seen += re.findall(r'href="/articles/([^"?#]+)', table)
    assert sorted(set(seen)) == sorted(set(ent["articles"])) and len(seen) == n
    assert client.get(f"/entities/{ent['id']}?page={n + 1}").status_code == 404
