"""A component that raises on one article: the engine reports that article (E201, naming the
component) and stores the rest of the batch; a plain spaCy user of the same pipeline still
sees the exception."""
from __future__ import annotations

import pytest
import spacy
from spacy.language import Language

import storyline.components.context  # noqa: F401  (registers doc._.storyline_article_id)
from storyline.engine import analyze
from storyline.store import open_store


@Language.component("test_boom_on_marker")
def boom_on_marker(doc):
    if "BOOM" in doc.text:
        raise ValueError("boom")
    return doc


@pytest.fixture
def boom_nlp():
    nlp = spacy.blank("en")
    nlp.add_pipe("test_boom_on_marker")
    return nlp


def test_one_raising_article_is_e201_and_the_rest_is_stored(tmp_path, boom_nlp):
    d = tmp_path / "in"
    d.mkdir()
    for name, text in [("a.txt", "The river rose on Friday."), ("b.txt", "BOOM said the mayor on Monday."),
                       ("c.txt", "The bridge reopened on Tuesday.")]:
        (d / name).write_text(text)
    (d / "feed.jsonl").write_text('{"text": "First record about the floods."}\n{"text": "BOOM again."}\n'
                                  '{"text": "Third record about the dam."}\n')
    with open_store(str(tmp_path / "t.db")) as store:
        s = analyze([str(d)], store, nlp=boom_nlp, batch_size=8, link=False)
        assert s.processed == 4
        assert sorted(f.where.rsplit("/", 1)[-1] for f in s.failed) == ["b.txt", "feed.jsonl#2"]
        assert all(f.code == "E201" and "test_boom_on_marker: ValueError: boom" in f.line for f in s.failed)
        stored = {a["path"].rsplit("/", 1)[-1] for a in store.articles()}
        assert stored == {"a.txt", "c.txt", "feed.jsonl#1", "feed.jsonl#3"}
        assert len(store.failures()) == 2
    with pytest.raises(ValueError):  # the engine's handler is gone once it returns
        boom_nlp("BOOM")


def test_storyline_components_do_not_hide_exceptions(nlp, monkeypatch):
    import storyline.components.quotes as quotes

    def broken(self, doc):
        raise RuntimeError("broken")

    monkeypatch.setattr(quotes.QuoteExtractor, "records", broken)
    with pytest.raises(RuntimeError):
        nlp("The minister said on Friday that the talks would resume.")
