"""The briefing (`storyline report`), the story summary, the charts and the Parquet and
GraphML exports, on the sample corpus."""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest

from storyline.cli import main
from storyline.outputs.export import build_export
from storyline.outputs.graph import actor_graph, to_graphml
from storyline.outputs.highlight import highlight
from storyline.outputs.report import write_report
from storyline.outputs.summary import (candidates, centroid_mmr, jaccard, lead_baseline, quality, select_summary,
                                       sentences)
from storyline.outputs.svg import actor_graph_svg, timeline_svg
from storyline.store import open_store


@pytest.fixture(scope="module")
def data(sample_db):
    with open_store(str(sample_db)) as store:
        return build_export(store)


def test_summary_is_5_to_8_cited_sentences_across_sources(data):
    arts = {a["id"]: a for a in data["articles"]}
    for st in data["stories"]:
        summ = st["summary"]
        assert 5 <= len(summ) <= 8, st["title"]
        for s in summ:
            text = arts[s["article"]]["text"]
            assert text[s["span"]["start"]:s["span"]["end"]] == s["text"] == s["span"]["text"]
            assert s["articles"][0] == s["article"] and set(s["articles"]) <= set(st["articles"])
        words = [set(re.findall(r"\w+", s["text"].lower())) for s in summ]
        assert all(jaccard(a, b) < 0.5 for i, a in enumerate(words) for b in words[i + 1:])
        outlets = {arts[s["article"]].get("source") for s in summ}
        assert len(outlets) >= min(3, len({arts[a].get("source") for a in st["articles"]}))


def test_summary_beats_the_lead_on_sources(data):
    arts = {a["id"]: a for a in data["articles"]}
    for st in data["stories"]:
        cands = candidates(data, st["articles"])
        ours = select_summary(cands)
        lead = lead_baseline(cands, arts, len(ours))
        mmr = centroid_mmr(cands, len(ours))
        assert len(lead) <= len(ours) and len(mmr) == len(ours)
        assert len({c["origin"] for c in ours}) > len({c["origin"] for c in lead})


def test_sentences_and_quality():
    text = 'He said "Go." Then she left.\n\nA new paragraph here. 3 more.'
    spans = sentences(text)
    assert [text[s:e] for s, e in spans] == ['He said "Go."', "Then she left.", "A new paragraph here.", "3 more."]
    clean = "The army said it had sent 600 soldiers and 40 boats to the valley."
    assert quality(clean) == 1.0
    assert quality("the the army said sent soldiers boats valley and and it") < 0.5


def test_highlight_escapes_and_nests():
    html = str(highlight("a <b> c", [{"start": 0, "end": 7, "kind": "quote"}, {"start": 2, "end": 5, "kind": "x"}],
                         {"start": 2, "end": 5, "id": "span"}))
    assert "<b>" not in html and "&lt;b&gt;" in html
    assert html.count("<mark") == html.count("</mark>")
    assert re.search(r'<mark class="hl hl-target" id="span">.*&lt;b&gt;.*</mark>', html)


def test_charts_are_escaped_svg():
    entries = [{"date": "2026-03-10", "precision": "day", "text": "<script>x</script>", "articles": ["a"]},
               {"date": "2026-03", "precision": "month", "text": "month", "articles": ["a"]},
               {"date": None, "precision": None, "text": "undated", "articles": []}]
    svg = timeline_svg(entries, lambda ids: "<Outlet>")
    ET.fromstring(svg)  # well-formed
    assert "<script>" not in svg and "&lt;Outlet&gt;" in svg and svg.count('class="mark"') == 2
    assert timeline_svg([], lambda ids: "") == ""
    g = {"nodes": [{"id": "e1", "entity": "e1", "name": "A&B"}, {"id": "e2", "entity": "e2", "name": "<C>"}],
         "edges": [{"source": "e1", "target": "e2", "kind": "conflict", "weight": 2, "source_name": "A&B",
                    "target_name": "<C>", "label": "FIGHT"}]}
    svg = actor_graph_svg(g, href=lambda n: f"/entities/{n['entity']}")
    ET.fromstring(svg)
    assert "#b3261e" in svg and "&lt;C&gt;" in svg


def test_actor_graph_and_graphml(data, tmp_path, sample_db):
    graph = actor_graph(data, max_nodes=None)
    assert graph["nodes"] and graph["edges"]
    assert {e["kind"] for e in graph["edges"]} <= {"cooperation", "conflict", "neutral", "stance"}
    root = ET.fromstring(to_graphml(graph))
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    assert len(root.findall(".//g:node", ns)) == len(graph["nodes"])
    assert len(root.findall(".//g:edge", ns)) == len(graph["edges"])
    out = tmp_path / "actors.graphml"
    assert main(["export", "--db", str(sample_db), "--format", "graphml", "-o", str(out)]) == 0
    ET.parse(out)


def test_parquet_tables(sample_db, tmp_path, data):
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "pq"
    assert main(["export", "--db", str(sample_db), "--format", "parquet", "-o", str(out)]) == 0
    arts = pq.read_table(out / "articles.parquet")
    assert arts.num_rows == len(data["articles"]) and "published" in arts.column_names
    quotes = pq.read_table(out / "quotes.parquet").to_pylist()
    assert len(quotes) == len(data["quotes"])
    assert json.loads(quotes[0]["span"]) == data["quotes"][0]["span"]
    assert (out / "claims.parquet").exists() and (out / "stories.parquet").exists()
    assert main(["export", "--db", str(sample_db), "--format", "parquet"]) == 2  # needs -o DIR


def test_report_briefing_sections(sample_db, tmp_path, data):
    with open_store(str(sample_db)) as store:
        written = write_report(store, str(tmp_path))
    index = (tmp_path / "index.html").read_text()
    assert index.count('href="story-') == len(data["stories"]) >= 3 and "Meridian Wire" in index and "2026-03-" in index
    page = next(p for p in written if p.suffix == ".html" and "Corrin" in p.read_text()).read_text()
    for h in ("Summary", "Timeline", "Actor graph", "Who said what", "Figures and claims", "Events", "Sources",
              "Actors and entities", "Articles"):
        assert f">{h}</h2>" in page, h
    assert "<svg" in page and "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert not re.search(r"\ba99cd48bf0355acd\b", page)
    # every citation anchor points at a span that the page carries
    anchors = set(re.findall(r'href="#(sp-[^"]+)"', page))
    assert anchors and anchors <= set(re.findall(r'id="(sp-[^"]+)"', page))
    assert "outlet(s)" not in page
    md = next(p for p in written if p.suffix == ".md" and "Corrin" in p.read_text()).read_text()
    assert "## Summary" in md and "## Sources" in md and "[Meridian Wire, 2026-03-10]" in md
