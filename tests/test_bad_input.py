"""Bad input: one line `path: E### message` each, the batch completes, exit code 1."""
from __future__ import annotations

import codecs
import os
import sys

import pytest

from storyline.cli import main
from storyline.engine import analyze
from storyline.store import open_store

GOOD = "KESSARA - The government said on Friday that talks with the rebels would resume next week.\n"


def run_cli(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def mixed_dir(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "good.txt").write_text(GOOD)
    (d / "empty.txt").write_bytes(b"")
    (d / "blank.txt").write_bytes(b"  \n\n ")
    (d / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (d / "latin1.txt").write_bytes("Caf\xe9 owners in S\xe3o Paulo said on Friday the strike would go on.".encode("latin-1"))
    (d / "utf16.txt").write_bytes(codecs.BOM_UTF16_LE + "Officials in Kabul said the talks would resume.".encode("utf-16-le"))
    (d / "noarticle.html").write_text("<html><head><title>x</title></head><body><nav>Home</nav></body></html>")
    (d / "feed.jsonl").write_text('{"text": "A good record about the floods in the valley."}\n{broken json\n{"title": "no text"}\n')
    os.symlink(d / "missing-target.txt", d / "dangling.txt")
    return d


def test_each_bad_input_gets_one_coded_line_and_the_rest_completes(mixed_dir, tmp_path, capsys, nlp, monkeypatch):
    import storyline.pipeline as pipeline
    monkeypatch.setattr(pipeline, "build_nlp", lambda components=None: nlp)
    code, out, err = run_cli(capsys, "analyze", str(mixed_dir), "--db", str(tmp_path / "t.db"), "--quiet")
    assert code == 1
    lines = [l for l in err.strip().splitlines() if l]
    expect = {"empty.txt": "E102", "blank.txt": "E102", "binary.txt": "E103", "noarticle.html": "E106",
              "feed.jsonl": "E107", "dangling.txt": "E101"}
    for name, code_ in expect.items():
        hits = [l for l in lines if name in l and code_ in l]
        assert hits, (name, code_, lines)
    assert any("feed.jsonl#3" in l and "E108" in l for l in lines)
    assert all(": E" in l for l in lines), lines
    assert "Traceback" not in err
    with open_store(str(tmp_path / "t.db")) as store:
        paths = {a["path"].rsplit("/", 1)[-1]: a for a in store.articles()}
        assert {"good.txt", "latin1.txt", "utf16.txt", "feed.jsonl#1"} <= set(paths)
        assert "Café owners in São Paulo" in paths["latin1.txt"]["text"]
        assert paths["utf16.txt"]["text"].startswith("Officials in Kabul")
        assert len(store.failures()) == len(lines)


def test_huge_text_file_is_refused_not_parsed(tmp_path, nlp):
    big = tmp_path / "big.txt"
    with open(big, "w") as fh:
        line = "The river rose again on Friday and the town was evacuated by the army. " * 10 + "\n"
        while fh.tell() < 50_000_000:
            fh.write(line)
    (tmp_path / "ok.txt").write_text(GOOD)
    with open_store(str(tmp_path / "t.db")) as store:
        s = analyze([str(tmp_path)], store, nlp=nlp)
        assert s.processed == 1
        assert [f.code for f in s.failed] == ["E105"]
        assert s.exit_code == 1


def test_missing_path_and_usage_errors(tmp_path, capsys):
    code, _, err = run_cli(capsys, "analyze", str(tmp_path / "nope"), "--db", str(tmp_path / "t.db"), "--quiet")
    assert code == 1 and "E100" in err
    with pytest.raises(SystemExit) as exc:
        main(["analyze"])
    assert exc.value.code == 2
    assert "E001" in capsys.readouterr().err
    code, _, err = run_cli(capsys, "export", "--db", str(tmp_path / "absent.db"))
    assert code == 2 and "E301" in err
    code, _, err = run_cli(capsys, "eval", "no-such-task", str(tmp_path))
    assert code == 2 and "E002" in err


def test_thousands_of_files(tmp_path, nlp):
    d = tmp_path / "many"
    d.mkdir()
    for i in range(2000):
        (d / f"r{i:05d}.txt").write_text(f"Report {i}: officials said on Friday that {i} people were moved.")
    for i in range(0, 2000, 400):
        (d / f"r{i:05d}.txt").write_bytes(b"")  # a few bad ones among them
    with open_store(str(tmp_path / "t.db")) as store:
        s = analyze([str(d)], store, nlp=nlp, batch_size=64, link=False)
        assert s.processed == 1995 and len(s.failed) == 5
        assert store.count("articles") == 1995


def test_stdin(tmp_path, monkeypatch, nlp):
    import io

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"date 2026-03-10\nHeadline\n\n" + GOOD.encode())))
    with open_store(str(tmp_path / "t.db")) as store:
        s = analyze(["-"], store, nlp=nlp)
        assert s.processed == 1
        (art,) = list(store.articles())
        assert art["path"] == "-" and art["published"] == "2026-03-10"


def test_lone_surrogate_in_a_json_record_does_not_sink_the_run(tmp_path, nlp):
    d = tmp_path / "in"
    d.mkdir()
    (d / "f.jsonl").write_text('{"text": "The mayor said on Monday \\ud83d that the bridge would reopen.", "title": "Bridge \\udc00"}\n'
                               '{"text": "A second record about the bridge and the river."}\n')
    with open_store(str(tmp_path / "t.db")) as store:
        s = analyze([str(d)], store, nlp=nlp)
        assert s.processed == 2 and not s.failed
        texts = [a["text"] for a in store.articles()]
        assert any("\ufffd" in t for t in texts)


def test_a_fixed_jsonl_line_clears_its_failure(tmp_path, nlp):
    d = tmp_path / "in"
    d.mkdir()
    feed = d / "feed.jsonl"
    feed.write_text('{"text": "First good record about the floods."}\n{broken\n')
    with open_store(str(tmp_path / "t.db")) as store:
        s1 = analyze([str(d)], store, nlp=nlp)
        assert [f.where.rsplit("/", 1)[-1] for f in s1.failed] == ["feed.jsonl#2"]
        assert len(store.failures()) == 1
        feed.write_text('{"text": "First good record about the floods."}\n{"text": "Second record, now fixed."}\n')
        s2 = analyze([str(d)], store, nlp=nlp)
        assert s2.processed == 1 and not s2.failed
        assert store.failures() == []
        s3 = analyze([str(d)], store, nlp=nlp)
        assert s3.unchanged_inputs == 1
