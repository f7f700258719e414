"""The web UI as a person uses it, in a real browser: Playwright driving Debian's chromium
(Playwright's own browser download does not work here; the session fixture installs the
Debian package when it is missing and apt is available, else the tests skip and say why).

One walk: index → story → entity → article → the cited span; a search; a hostile article
that must show as text. Every request must stay on 127.0.0.1 (the others are recorded and
refused). Screenshots go to the test's tmp dir and, for a look by hand, /tmp/storyline-shots/.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest

pytest.importorskip("playwright")
pytest.importorskip("uvicorn")

from test_web import _hostile_id  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
SHOTS = Path(os.environ.get("STORYLINE_SHOTS", "/tmp/storyline-shots"))


@pytest.fixture(scope="session")
def chromium() -> str:
    if Path(CHROMIUM).exists():
        return CHROMIUM
    apt = shutil.which("apt-get")
    if not apt:
        pytest.skip(f"{CHROMIUM} is missing and apt-get is not available to install Debian's chromium")
    if os.geteuid() != 0:
        pytest.skip(f"{CHROMIUM} is missing; install it with `sudo apt-get install -y chromium`")
    res = subprocess.run([apt, "install", "-y", "chromium"], capture_output=True, text=True, timeout=900,
                         env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
    if res.returncode != 0 or not Path(CHROMIUM).exists():
        pytest.skip(f"apt-get install chromium failed: {(res.stderr or res.stdout).strip().splitlines()[-1:]}")
    return CHROMIUM


@pytest.fixture(scope="module")
def server(web_db):
    import uvicorn

    from storyline.web.app import create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(create_app(str(web_db)), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.time() + 20
    while not srv.started and time.time() < deadline:
        time.sleep(0.05)
    assert srv.started, "server did not start"
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser(chromium):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser, server, tmp_path):
    """A page that may only talk to our server; everything else is recorded and refused."""
    ctx = browser.new_context(viewport={"width": 1200, "height": 900})
    outside: list[str] = []
    dialogs: list[str] = []

    def route(r):
        if r.request.url.startswith(server + "/"):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    ctx.route("**/*", route)
    ctx.set_default_timeout(8000)
    pg = ctx.new_page()
    pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    pg.outside, pg.dialogs, pg.base = outside, dialogs, server
    yield pg
    ctx.close()
    assert outside == [], f"requests left localhost: {outside}"
    assert dialogs == [], f"script ran: {dialogs}"


def _shot(page, tmp_path: Path, name: str) -> None:
    path = tmp_path / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    SHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(path, SHOTS / path.name)


def test_story_entity_article_span_walk(page, tmp_path):
    page.goto(page.base + "/")
    assert page.locator("table.stories a").count() >= 3
    _shot(page, tmp_path, "1-index")
    page.locator("table.stories a", has_text="Corrin Dam").first.click()
    page.wait_for_url("**/stories/**")
    assert page.locator("ol.summary li").count() >= 5
    assert page.locator("svg.timeline-chart .mark").count() >= 3
    _shot(page, tmp_path, "2-story")
    page.locator("h2#timeline").scroll_into_view_if_needed()
    page.evaluate("document.getElementById('timeline').scrollIntoView()")
    _shot(page, tmp_path, "2b-story-charts")
    # the filters hide what does not match (our own script, allowed by the CSP)
    page.locator("#f-from").fill("2026-03-12")
    page.locator("#f-from").dispatch_event("change")
    assert "items shown" in page.locator("#f-count").inner_text()
    # a speaker's page: every quote of that actor
    speaker = page.locator("h2#quotes ~ h3 a").first
    name = speaker.inner_text()
    speaker.click()
    page.wait_for_url("**/entities/**")
    assert page.locator("h1").inner_text() == name
    _shot(page, tmp_path, "3-entity")
    # a quote's citation: the article, with the quoted words marked and scrolled to
    quote = page.locator("blockquote").first
    said = " ".join(quote.evaluate("q => q.firstChild.textContent").split())
    quote.locator(".cite a").first.click()
    page.wait_for_url("**/articles/**")
    marked = page.locator("mark#span")
    assert marked.count() == 1
    assert " ".join(marked.inner_text().split()) == said
    assert marked.is_visible()
    _shot(page, tmp_path, "4-article-span")


def test_search(page, tmp_path):
    page.goto(page.base + "/")
    page.fill("input[name=q]", "ceasefire deadline")
    page.press("input[name=q]", "Enter")
    page.wait_for_url("**/search?q=**")
    assert page.locator("ol.hits-articles li").count() >= 1
    assert page.locator("mark.hit").count() >= 1
    _shot(page, tmp_path, "5-search")
    page.locator("ol.hits-quotes li a, ol.hits-articles li a").first.click()
    page.wait_for_url("**/articles/**")


def test_hostile_article_shows_as_text(page, tmp_path, web_db):
    page.goto(page.base + f"/articles/{_hostile_id(web_db)}")
    text = page.locator("#article-text").inner_text()
    assert "<script>alert('text')</script>" in text and "onerror=alert('img')" in text
    assert "<style>body{display:none}</style>" in text
    assert page.locator("#article-text img, #article-text script, #article-text style, #article-text a").count() == 0
    assert page.locator("a[href^='javascript']").count() == 0
    assert page.locator("h1").inner_text().startswith("<script>")
    assert page.locator("body").is_visible()
    _shot(page, tmp_path, "6-hostile")
