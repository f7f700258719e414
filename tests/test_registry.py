"""One declaration per extractor: a tiny extractor registered through `storyline.registry`
is run by the pipeline, its records stored, its linker run and relinked, its section
exported and span-checked, without touching any other file."""
from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from storyline import registry
from storyline.engine import analyze
from storyline.link import relink_all
from storyline.outputs.export import build_export
from storyline.outputs.validate import validate_export
from storyline.registry import Extractor
from storyline.store import open_store

if not Doc.has_extension("storyline_widgets"):
    Doc.set_extension("storyline_widgets", default=None)


@Language.factory("test_widgets", default_config={"word": "widget"}, assigns=["doc._.storyline_widgets"])
def make_widgets(nlp, name, word: str):
    def component(doc):
        text = doc.text
        doc._.storyline_widgets = [{"text": t.text, "span": {"start": t.idx, "end": t.idx + len(t), "text": text[t.idx:t.idx + len(t)]}}
                                   for t in doc if t.lower_ == word]
        return doc
    return component


LINK_RUNS: list[int] = []


def link_widgets(store) -> None:
    widgets = list(store.records("widgets"))
    LINK_RUNS.append(len(widgets))
    with store.transaction():
        store.groups.replace("widget", [{"id": "wg1", "count": len(widgets), "articles": sorted({w["article"] for w in widgets})}]
                             if widgets else [])


def export_widgets(store) -> list[dict]:
    return [{k: r[k] for k in ("id", "article", "text", "span")} for r in store.records("widgets")]


def export_widget_groups(store) -> list[dict]:
    return store.groups.list("widget")


@pytest.fixture()
def widgets():
    ext = registry.register(Extractor(
        name="widgets", factory="test_widgets", component="test_registry", records="widgets",
        sections={"widgets": "test_registry:export_widgets", "widget_groups": "test_registry:export_widget_groups"},
        linker="test_registry:link_widgets", tables=("groups",)))
    yield ext
    registry.unregister("widgets")


def test_registered_extractor_flows_everywhere(widgets, tmp_path):
    from storyline.pipeline import build_nlp

    assert widgets in registry.extractors()
    nlp = build_nlp(components=["storyline_entities", "test_widgets"])
    assert "test_widgets" in nlp.pipe_names
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("Widget makers met.\n\nThe widget count rose, a widget maker said.\n", "utf-8")
    (tmp_path / "in" / "b.txt").write_text("Nothing to see here today, officials said.\n", "utf-8")
    db = tmp_path / "w.db"
    with open_store(str(db)) as store:
        summary = analyze([str(tmp_path / "in")], store, nlp=nlp)
        assert summary.failed == []
        stored = list(store.records("widgets"))
        assert len(stored) == 3 and all(r["id"].startswith("xwid") for r in stored)
        assert LINK_RUNS and LINK_RUNS[-1] == 3

        data = build_export(store)
        assert len(data["widgets"]) == 3 and data["widget_groups"][0]["count"] == 3
        assert validate_export(data) == []
        # a widget whose span does not match its article's text is caught by the span check
        bad = dict(data, widgets=[dict(data["widgets"][0], span={"start": 0, "end": 3, "text": "xyz"})])
        assert any(p.startswith("widgets/") for p in validate_export(bad))

        before = len(LINK_RUNS)
        relink_all(store)  # clears the tables the extractor owns, then runs its linker again
        assert len(LINK_RUNS) == before + 1
        assert store.groups.list("widget")[0]["count"] == 3


def test_unregistered_extractor_is_gone():
    assert "widgets" not in [e.name for e in registry.extractors()]
    assert "widgets" not in build_export.__globals__["section_names"]()


def test_every_builtin_declaration_resolves():
    for ext in registry.extractors():
        for ref in [*ext.sections.values(), *ext.eval_tasks.values(), *([ext.linker] if ext.linker else [])]:
            assert callable(registry.resolve(ref)), (ext.name, ref)
        assert bool(ext.factory) == bool(ext.records) == bool(ext.component), ext.name
