"""The accurate profile (issue 16): the fast profile is untouched, the shipped tagger and its
tokenizer are the ones measured (checksums), the tagger's spans combine with the rules as documented,
a missing extra is one coded line, and (with the extra) the fine-tuned MiniLM tagger runs on an
invented article without downloading anything."""
from __future__ import annotations

import pytest

from storyline.cli import main
from storyline.errors import Codes, UsageError

TEXT = ("MARLOW FALLS - The harbour board said on Tuesday that the new ferry terminal would open in "
        "June. \"We are ready for the summer crowds,\" board chair Ilse Varnum told the Marlow Courier. "
        "According to the transport office, ticket prices will stay the same.")


def test_tagger_is_the_profiles_model_checksum_and_size():
    from storyline.pipeline import profile_config
    from storyline.quotes import tagger

    if tagger.available():
        assert profile_config("accurate") == {"storyline_quotes": {"tagger_model": str(tagger.TAGGER_PATH)}}
    assert tagger.TAGGER_PATH.stat().st_size <= 25_000_000  # issue 16: "at most about 25 MB"
    assert tagger.sha256(tagger.TAGGER_PATH) == tagger.TAGGER_SHA256, \
        "the tagger changed: re-measure (docs/quotes.md) and update tagger.TAGGER_SHA256"
    assert tagger.sha256(tagger.TOKENIZER_PATH) == tagger.TOKENIZER_SHA256


def test_fast_profile_is_the_default_and_unchanged(nlp):
    from storyline.pipeline import build_nlp, profile_config

    assert profile_config("fast") == {}
    assert nlp.get_pipe_config("storyline_quotes")["tagger_model"] == ""
    assert nlp.get_pipe("storyline_quotes").tagger is None
    fast = build_nlp(components=["storyline_quotes"], profile="fast")
    assert fast.get_pipe_config("storyline_quotes") == \
        build_nlp(components=["storyline_quotes"]).get_pipe_config("storyline_quotes")


def test_missing_extra_is_one_coded_line(monkeypatch, tmp_path, capsys):
    from storyline.pipeline import profile_config
    from storyline.quotes import tagger

    monkeypatch.setattr(tagger, "available", lambda: False)
    with pytest.raises(UsageError) as err:
        profile_config("accurate")
    assert err.value.code == Codes.E003
    (tmp_path / "a.txt").write_text(TEXT, "utf-8")
    code = main(["analyze", str(tmp_path / "a.txt"), "--db", str(tmp_path / "t.db"), "--quiet",
                 "--profile", "accurate"])
    out, errs = capsys.readouterr()
    assert code == 2 and "E003" in errs and len(errs.strip().splitlines()) == 1


def _need_extra() -> None:
    for mod in ("onnxruntime", "tokenizers"):
        pytest.importorskip(mod, reason="the accurate extra is not installed (pip install 'storyline[accurate]')")


def test_accurate_profile_runs_offline(monkeypatch):
    _need_extra()
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    from storyline.pipeline import build_nlp

    nlp = build_nlp(components=["storyline_quotes"], profile="accurate")
    assert nlp.get_pipe("storyline_quotes").tagger is not None
    quotes = nlp(TEXT)._.storyline_quotes
    cues = {q["cue"] for q in quotes}
    assert {"said", "told", "According to"} <= cues
    told = next(q for q in quotes if q["cue"] == "told")
    assert told["speaker"]["text"].endswith("Ilse Varnum")
    assert told["kind"] == "direct"


def test_shipped_tokenizer_gives_each_word_its_pieces():
    _need_extra()
    from storyline.quotes.tagger import encode_words, first_pieces, load_tokenizer

    words = ["Ilse", "Varnum", "told", "reporters", " ", "Unbelievably", "."]
    ids, wids = encode_words(load_tokenizer(), words)
    assert ids[0] == 101 and ids[-1] == 102  # [CLS] ... [SEP] of MiniLM's uncased vocabulary
    first = first_pieces(wids, len(words))
    assert (first > 0).all() and list(first) == sorted(first)
    assert len(ids) > len(words) + 2  # "Varnum", "Unbelievably" split into several pieces


def _log_probs(n: int, spans: dict[str, list[tuple[int, int]]], p: float = 0.95):
    """(n, 3, 3) log-probabilities that tag `spans` (sentence token indices) with probability p."""
    import numpy as np

    from storyline.quotes.tagger import ROLES

    probs = np.full((n, 3, 3), (1 - p) / 2)
    probs[:, :, 0] = p
    for r, role in enumerate(ROLES):
        for s, e in spans.get(role, []):
            probs[s:e, r] = (1 - p) / 2
            probs[s, r, 1] = p
            probs[s + 1:e, r, 2] = p
    return np.log(probs)


def test_tagger_combination_moves_adds_and_drops(nlp):
    """The combination of the tagger's spans with the rules', without the model: a content
    edge moves to the tagged span, a cue the rules missed is added with its tagged source and
    content, a rule cue the tagger calls O is dropped; each only past its probability bar."""
    import copy

    from storyline.quotes.spans import Attribution
    from storyline.quotes.tagger import combine, decode, rule_codes

    text = ("The harbour board said on Tuesday that the new ferry terminal would open in June. "
            "Ticket prices will stay the same, officials insisted.")
    doc = nlp(text)
    s1, s2 = list(doc.sents)[:2]
    words1, words2 = [t.text for t in s1], [t.text for t in s2]

    def chars(words, sent, first, last):
        i, j = sent.start + words.index(first), sent.start + len(words) - 1 - words[::-1].index(last)
        return doc[i].idx, doc[j].idx + len(doc[j])

    rule = Attribution(cue=chars(words1, s1, "said", "said"), content=chars(words1, s1, "new", "terminal"),
                       source=chars(words1, s1, "The", "board"))
    codes = rule_codes(doc, s1, [rule])
    assert codes[words1.index("The")] == 9 and codes[words1.index("board")] == 18
    assert codes[words1.index("said")] == 3 and codes[words1.index("new")] == 1 and codes[words1.index("on")] == 0

    k = words1.index
    lps = [_log_probs(len(s1), {"source": [(k("The"), k("board") + 1)], "cue": [(k("said"), k("said") + 1)],
                                "content": [(k("the"), k("June") + 1)]}),
           _log_probs(len(s2), {"source": [(words2.index("officials"), words2.index("officials") + 1)],
                                "cue": [(words2.index("insisted"), words2.index("insisted") + 1)],
                                "content": [(0, words2.index("same") + 1)]})]
    tagged = decode(doc, [s1, s2], lps)
    assert [(e - s) for s, e, _ in tagged[0]["content"]] == [k("June") + 1 - k("the")]

    moved = combine(doc, [copy.deepcopy(rule)], [s1, s2], tagged, text, moves=("content",), lps=lps)
    assert text[slice(*moved[0].content)] == "the new ferry terminal would open in June"
    kept = combine(doc, [copy.deepcopy(rule)], [s1, s2], tagged, text, moves=("content",), move_min=0.99, lps=lps)
    assert kept[0].content == rule.content

    added = combine(doc, [copy.deepcopy(rule)], [s1, s2], tagged, text, add_min=0.5, lps=lps)
    assert len(added) == 2
    new = added[1]
    assert (text[slice(*new.cue)], text[slice(*new.source)], text[slice(*new.content)]) == \
        ("insisted", "officials", "Ticket prices will stay the same")
    assert len(combine(doc, [copy.deepcopy(rule)], [s1, s2], tagged, text, add_min=0.99, lps=lps)) == 1

    no_cue = [_log_probs(len(s1), {}), lps[1]]
    assert combine(doc, [copy.deepcopy(rule)], [s1, s2], decode(doc, [s1, s2], no_cue), text,
                   drop_min=0.9, lps=no_cue) == []
    assert len(combine(doc, [copy.deepcopy(rule)], [s1, s2], tagged, text, drop_min=0.9, lps=lps)) == 1
