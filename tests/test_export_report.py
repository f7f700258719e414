"""Export contract (validated against the JSON Schema) and the escaped, self-contained report."""
from __future__ import annotations

import csv
import io
import json

from storyline.cli import main
from storyline.engine import analyze
from storyline.outputs.export import SECTIONS, build_export
from storyline.outputs.report import write_report
from storyline.outputs.validate import validate_export
from storyline.store import open_store


def test_sample_export_validates_against_schema(sample_db, sample_gold):
    with open_store(str(sample_db)) as store:
        data = build_export(store)
    assert data["schema"] == "storyline/1"
    assert set(SECTIONS) <= set(data)
    assert validate_export(data) == []
    assert len(data["articles"]) == len(sample_gold)


def test_cli_export_formats(sample_db, sample_gold, tmp_path, capsys):
    out = tmp_path / "x.json"
    assert main(["export", "--db", str(sample_db), "--format", "json", "-o", str(out)]) == 0
    data = json.loads(out.read_text())
    assert validate_export(data) == []
    assert main(["export", "--db", str(sample_db), "--format", "jsonl"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert json.loads(lines[0]) == {"type": "header", "schema": "storyline/1"}
    assert sum(1 for l in lines if json.loads(l)["type"] == "article") == len(sample_gold)
    types = {json.loads(l)["type"] for l in lines}
    assert types <= {"header", "article", "entity", "quote", "timex", "claim", "claim_group", "event", "event_group", "story"}
    assert {"entity", "timex", "story"} <= types
    assert main(["export", "--db", str(sample_db), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == len(sample_gold) and "published" in rows[0]


def test_validator_catches_bad_spans_and_fields(sample_db):
    with open_store(str(sample_db)) as store:
        data = build_export(store)
    data["articles"][0]["published"] = "last Friday"
    ent = next(e for e in data["entities"] if e.get("mentions"))
    ent["mentions"][0]["span"]["start"] += 1
    problems = validate_export(data)
    assert any("published" in p for p in problems)
    assert any("span text does not match" in p for p in problems)


def test_report_escapes_text_and_loads_nothing_external(tmp_path, nlp):
    d = tmp_path / "in"
    d.mkdir()
    (d / "evil.txt").write_text('<script>alert(1)</script> headline\n\nKABUL - "<img src=x onerror=alert(2)>" said '
                                'Zabihullah Mujahid, the Taliban spokesman, on Friday in Kabul.\n')
    db = str(tmp_path / "t.db")
    with open_store(db) as store:
        analyze([str(d)], store, nlp=nlp)
        files = write_report(store, str(tmp_path / "rep"))
    names = {f.name for f in files}
    assert "index.html" in names
    story_pages = sorted(n for n in names if n.startswith("story-") and n.endswith(".html"))
    assert story_pages and all(n[:-5] + ".md" in names for n in story_pages)
    for f in files:
        text = f.read_text()
        assert "<script>" not in text and "<img" not in text
        assert "http://" not in text and "https://" not in text.replace("https://json-schema", "")
    html = "".join((tmp_path / "rep" / n).read_text() for n in story_pages)
    assert "&lt;script&gt;" in html
    md = "".join((tmp_path / "rep" / (n[:-5] + ".md")).read_text() for n in story_pages)
    assert "&lt;script&gt;" in md


def test_report_lists_articles_and_entities(sample_db, tmp_path):
    with open_store(str(sample_db)) as store:
        write_report(store, str(tmp_path / "rep"))
        titles = [a["title"] for a in store.articles() if a["title"]]
    pages = "".join(p.read_text() for p in (tmp_path / "rep").glob("story-*.html"))
    assert all(t.replace("'", "&#39;").replace('"', "&#34;").replace("&", "&amp;") in pages or t in pages for t in titles[:5])
    assert "Actors and entities" in pages
