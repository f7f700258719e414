"""Near-duplicate detection: the MinHash/Jaccard check, the incremental linker, the sample
corpus's syndicated and reposted copies, and a quality gate on the generated copy set."""
from __future__ import annotations

import pytest

from conftest import shared_data
from storyline.link.duplicates import JACCARD_MIN, duplicate_pairs, link_duplicates, sign
from storyline.link.textfeat import jaccard

ORIGINAL = (
    'TARROW (Meridian Wire) - The government gave the rebels until midnight on Friday to accept the draft. '
    '"We have waited long enough," spokesman Tomas Varda said on Saturday. The rebels said they would study '
    'the text before their leadership council meets. Aid convoys have still not reached the town of Osk, where '
    'thousands are without clean water. The mediator said both sides still wanted an agreement. Talks in Tarrow '
    'resumed after a two-day pause, with the question of prisoners still open. The human rights monitor said six '
    'civilians had been killed in shelling near Osk since the talks began.'
)


def _copy(text: str) -> str:
    """A syndicated copy: new dateline, curly quotes, one sentence dropped, one added."""
    body = text.replace("TARROW (Meridian Wire) - ", "KESSARA \u2014 ").replace(' "We', " \u201cWe").replace('enough,"', "enough,\u201d")
    body = body.replace(" Aid convoys have still not reached the town of Osk, where thousands are without clean water.", "")
    return body + " Talks are expected to resume on Monday, officials said."


def test_copy_is_near_duplicate_and_distinct_text_is_not():
    a, b = sign("a", ORIGINAL), sign("b", _copy(ORIGINAL))
    assert jaccard(a.shingles, b.shingles) >= JACCARD_MIN
    other = sign("c", "Dockworkers at Port Elswick walked out on Monday over pay and night shifts, "
                      "leaving more than 60 ships waiting outside the harbour as the union and the ministry "
                      "traded accusations about the collapse of the talks.")
    assert jaccard(a.shingles, other.shingles) < 0.1
    pairs = duplicate_pairs([("a", ORIGINAL), ("b", _copy(ORIGINAL)), ("c", "x " * 5)])
    assert [(p[0], p[1]) for p in pairs] == [("a", "b")]


@pytest.mark.parametrize("text", ["", "\"", "\u201c\u201c\u201c", "word", "a b c d e f g h i j " * 3])
def test_odd_text_never_fails(text):
    s = sign("x", text)
    assert isinstance(s.keys, list)
    duplicate_pairs([("x", text), ("y", text)])


def _store(tmp_path, articles):
    from storyline.store import open_store

    store = open_store(str(tmp_path / "d.db"))
    for art in articles:
        store.save_article({"path": art["id"] + ".txt", **art}, {})
    return store


def test_linker_points_copies_at_the_original_even_when_it_arrives_last(tmp_path):
    store = _store(tmp_path, [
        {"id": "a1", "text": _copy(ORIGINAL), "source": "Harbour Ledger", "cites": ["Meridian Wire"]},
    ])
    link_duplicates(store)
    assert store.article("a1")["duplicate_of"] is None
    store.save_article({"id": "a2", "path": "a2.txt", "text": ORIGINAL.replace("Saturday", "Sunday"),
                        "source": "Meridian Wire", "cites": []}, {})
    store.save_article({"id": "a3", "path": "a3.txt", "text": _copy(ORIGINAL) + " More.", "source": "Valley Blog",
                        "cites": ["Meridian Wire"]}, {})
    link_duplicates(store)
    got = {a["id"]: a["duplicate_of"] for a in store.articles()}
    assert got == {"a1": "a2", "a2": None, "a3": "a2"}
    link_duplicates(store)  # nothing new: nothing changes
    assert {a["id"]: a["duplicate_of"] for a in store.articles()} == got
    store.close()


def test_sample_corpus_duplicates_match_gold(sample_db, sample_gold):
    from storyline.store import open_store

    with open_store(str(sample_db)) as store:
        arts = list(store.articles())
    by_path = {a["path"].split("sample/")[-1]: a for a in arts}
    id_to_key = {a["id"]: k for k, a in by_path.items()}
    got = {k: id_to_key.get(a["duplicate_of"]) for k, a in by_path.items()}
    want = {k: g["duplicate_of"] for k, g in sample_gold.items()}
    assert got == want


def test_generated_copies_gate():
    """Floor a few points under the measured figure on this subset (300 sources: P 1.0,
    R 0.991 measured)."""
    from storyline.eval.duplicates import evaluate

    res = evaluate(str(shared_data()), limit=300)
    assert res["pairs"]["precision"] >= 0.97, res
    assert res["pairs"]["recall"] >= 0.94, res
