"""Link passes during a run (`analyze --link-every N`): the linkers whose product only
readers use (`Extractor.view`, the briefs) run in every `VIEW_EVERY`-th pass and at the
run's end, and the run ends with the same briefs as one that links once."""
from __future__ import annotations

import json

import storyline.link.briefing as briefing
from storyline import registry
from storyline.engine import local
from storyline.engine.local import analyze
from storyline.store import open_store


def _briefs(store) -> list[str]:
    fps = store.briefs.fingerprints()
    got = store.briefs.get(list(fps))
    return sorted(json.dumps(b, sort_keys=True) for b in got.values())


def test_the_briefs_are_the_only_view_linker():
    assert [e.name for e in registry.linkers() if e.view] == ["briefing"]


def test_link_passes_leave_the_briefs_to_every_few_passes_and_the_end(sample_dir, nlp, tmp_path, monkeypatch):
    with open_store(str(tmp_path / "once.db")) as store:
        analyze([str(sample_dir)], store, nlp=nlp, link_every=0)
        once = _briefs(store)
    assert once
    calls: list[int] = []
    real = briefing.link_briefing

    def counted(store):
        calls.append(store.link_state.last_seq("stories"))
        return real(store)

    monkeypatch.setattr(briefing, "link_briefing", counted)
    monkeypatch.setattr(local, "VIEW_EVERY", 2)
    with open_store(str(tmp_path / "every4.db")) as store:
        summary = analyze([str(sample_dir)], store, nlp=nlp, link_every=4, batch_size=4)
        assert summary.link_passes >= 3
        # every second pass and the end: the passes between left the briefs alone
        assert len(calls) == summary.link_passes // 2 + 1 < summary.link_passes + 1
        assert _briefs(store) == once


def test_the_help_says_how_often_passes_brief():
    from storyline.cli import build_parser

    sub = next(a for a in build_parser()._actions if a.choices and "analyze" in a.choices)
    assert f"every {local.VIEW_EVERY}th pass" in " ".join(sub.choices["analyze"].format_help().split())
