"""Ingest: each format, and the metadata that plain-text news carries."""
from __future__ import annotations

import json

import pytest

from storyline.ingest import iter_input_files, read_input
from storyline.ingest.formats import article_from_text, read_html, read_json_records
from storyline.ingest.text_meta import recover


def read_all(path):
    return [x for f in iter_input_files([str(path)]) for x in read_input(f)]


@pytest.mark.parametrize("text, expected", [
    ("date 2021-06-18\nTaliban reject Turkish plan\n\nISLAMABAD – The Taliban on Friday rejected it.",
     {"published": "2021-06-18", "title": "Taliban reject Turkish plan", "dateline": "ISLAMABAD"}),
    ("June 18, 2021\nHeadline here\nBy Ayaz Gul\n\nKABUL, Afghanistan (Reuters) - Text of the story goes on.",
     {"published": "2021-06-18", "author": "Ayaz Gul", "dateline": "KABUL, Afghanistan", "source": "Reuters"}),
    ("Headline only\nAuthor: Jane Roe\n\nWASHINGTON (Reuters) - The U.S. agreed, officials told Reuters.",
     {"author": "Jane Roe", "published": None, "source": "Reuters"}),
    ("Posted on March 15, 2026 by kabulwatch\n\nThe body of the repost is here and it goes on.\n\nSource: Al Mayadeen",
     {"published": "2026-03-15", "author": "kabulwatch", "cites": ["Al Mayadeen"]}),
    ("The Taliban said on Friday that they reject the offer, Mujahid told VOA. It is an undated report.",
     {"published": None, "title": None, "cites": ["VOA"]}),
    ("Published: 3 March 2026\nTitle\n\nThe monitor's figure, according to the Syrian Observatory for Human Rights, rose.",
     {"published": "2026-03-03", "cites": ["Syrian Observatory for Human Rights"]}),
])
def test_text_metadata(text, expected):
    art = article_from_text(text, "x.txt")
    for key, value in expected.items():
        assert getattr(art, key) == value, key


def test_header_lines_leave_the_body_and_dateline_stays():
    meta = recover("date 2021-06-18\nHeadline\nBy Jane Doe\n\nISLAMABAD - Body starts here.")
    assert meta.body == "ISLAMABAD - Body starts here."
    assert meta.dateline == "ISLAMABAD"


def test_undated_report_is_never_given_a_date(tmp_path):
    p = tmp_path / "undated.txt"
    p.write_text("Rebels reject offer\n\nThe rebels said on Friday, March 12, that they reject the offer.")
    (art,) = read_all(p)
    assert art.published is None and art.published_precision is None


def test_html_metadata_and_boilerplate():
    html = b"""<html><head><title>Dam breach floods valley | Ledger</title>
    <meta name="author" content="Jane Doe"><meta property="article:published_time" content="2026-03-14T09:00:00Z">
    <meta property="og:site_name" content="Harbour Ledger"><link rel="canonical" href="https://ledger.example/dam"></head>
    <body><nav>Home | World | Sport</nav><article><h1>Dam breach floods valley</h1>
    <p>KESSARA - Rescue teams worked through the night after the dam gave way on Friday, officials said.</p>
    <p>About 12,000 people were evacuated, the interior ministry said in a statement on Saturday.</p></article>
    <footer>Copyright Harbour Ledger. All rights reserved.</footer></body></html>"""
    (art,) = list(read_html(html, "page.html"))
    assert art.title == "Dam breach floods valley"
    assert art.author == "Jane Doe" and art.source == "Harbour Ledger"
    assert art.published == "2026-03-14" and art.url == "https://ledger.example/dam"
    assert art.text.startswith("KESSARA - Rescue") and "Copyright" not in art.text and "Home |" not in art.text
    assert art.dateline == "KESSARA"


def test_html_without_date_meta_gets_no_date():
    html = b"""<html><head><title>Report</title></head><body><article><h1>Report</h1>
    <p>The talks began on March 12, 2026 in the capital and went on for many hours into the night.</p>
    <p>Officials said more talks would follow next week, and that the mediator would travel there.</p></article></body></html>"""
    (art,) = list(read_html(html, "p.html"))
    assert art.published is None


def test_jsonl_records(tmp_path):
    p = tmp_path / "feed.jsonl"
    p.write_text("\n".join([
        json.dumps({"text": "First report text is here and long enough.", "title": "One", "date": "2026-03-10",
                    "url": "https://x.example/1", "source": "Meridian Wire", "author": "A. Writer"}),
        json.dumps({"text": "Second report text, with no author given at all."}),
    ]))
    a, b = read_all(p)
    assert (a.title, a.published, a.source, a.author, a.url) == ("One", "2026-03-10", "Meridian Wire", "A. Writer", "https://x.example/1")
    assert a.path.endswith("feed.jsonl#1") and b.path.endswith("feed.jsonl#2")
    assert b.published is None and b.author is None


def test_json_array():
    data = json.dumps([{"text": "A report about the floods in the valley."}, {"text": "Another report."}]).encode()
    assert len(list(read_json_records(data, "a.json", lines=False))) == 2


def test_ids_are_stable_and_content_based(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text("Some report text that is long enough to be an article.")
    (a1,) = read_all(p)
    (a2,) = read_all(p)
    assert a1.id == a2.id
    p.write_text("Some report text that is long enough to be an article!")
    (a3,) = read_all(p)
    assert a3.id != a1.id


def test_walk_is_sorted_and_skips_hidden_and_unknown(tmp_path):
    for name in ["b.txt", "a.html", ".hidden.txt", "notes.pdf", "sub/c.jsonl"]:
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("x")
    names = [f.path[len(str(tmp_path)) + 1:] for f in iter_input_files([str(tmp_path)])]
    assert names == ["a.html", "b.txt", "sub/c.jsonl"]


def test_sample_corpus_reads_cleanly(sample_dir):
    items = read_all(sample_dir)
    assert len(items) >= 12
    assert not [i for i in items if isinstance(i, Exception)]


def _warc_bytes(pages, gzip=False):
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gzip)
    for url, ctype, body in pages:
        headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.0")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers))
    return buf.getvalue()


def test_warc_html_responses(tmp_path):
    page = (b"<html><head><title>Talks resume</title></head><body><article><h1>Talks resume</h1>"
            b"<p>TARROW - Government and rebel negotiators met again on Friday, the mediator said in a statement.</p>"
            b"<p>The talks are expected to last several days, officials told Reuters.</p></article></body></html>")
    (tmp_path / "crawl.warc.gz").write_bytes(_warc_bytes([
        ("https://news.example/talks", "text/html; charset=utf-8", page),
        ("https://news.example/logo.png", "image/png", b"\x89PNG..."),
    ], gzip=True))
    (tmp_path / "broken.warc").write_bytes(b"WARC/1.0\r\nnot really a warc")
    items = read_all(tmp_path)
    arts = [i for i in items if not isinstance(i, Exception)]
    errs = [i for i in items if isinstance(i, Exception)]
    assert len(arts) == 1 and arts[0].url == "https://news.example/talks" and arts[0].published is None
    assert arts[0].title == "Talks resume" and arts[0].cites == ["Reuters"]
    assert [e.code for e in errs] == ["E110"]
