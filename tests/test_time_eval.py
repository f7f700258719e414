"""Quality gate: TempEval-3 task A on a fixed TimeBank subset (skips without the data).

Measured on the first 20 documents (name order) when the floors were set:
strict F1 0.93, relaxed F1 0.95, type accuracy 0.97, value F1 0.84 (all 183 documents:
0.90 / 0.95 / 0.96 / 0.82). Floors sit a few points under; do not lower them silently.
(Earlier floors: 0.80 / 0.88 / 0.92 / 0.74, measured 0.84 / 0.92 / 0.95 / 0.78.)
"""
from __future__ import annotations

from pathlib import Path

from conftest import shared_data

from storyline.eval.timex import read_timeml, score

SUBSET = 20
FLOORS = {"strict": 0.90, "relaxed": 0.92, "value": 0.81}
TYPE_ACCURACY_FLOOR = 0.94


def test_timebank_subset_floors():
    from storyline.eval.registry import run_task

    path = shared_data("tempeval3", "TimeBank")
    res = run_task("timex", str(path), limit=SUBSET)
    assert res["documents"] == SUBSET
    for k, floor in FLOORS.items():
        assert res[k]["f1"] >= floor, (k, res[k])
    assert res["type_accuracy"] >= TYPE_ACCURACY_FLOOR, res


def test_timeml_reader_offsets_and_scoring(tmp_path: Path):
    tml = tmp_path / "x.tml"
    tml.write_text('<?xml version="1.0" ?><TimeML><DCT><TIMEX3 tid="t0" type="DATE" value="1998-01-08" '
                   'functionInDocument="CREATION_TIME">19980108</TIMEX3></DCT><TEXT>Sales rose &amp; fell '
                   '<TIMEX3 tid="t1" type="DATE" value="1998-01-07">yesterday</TIMEX3>, for <TIMEX3 tid="t2" '
                   'type="DURATION" value="P2W">two weeks</TIMEX3>.</TEXT></TimeML>', "utf-8")
    doc = read_timeml(tml)
    assert doc.dct == "1998-01-08"
    assert [doc.text[t["start"]:t["end"]] for t in doc.timexes] == ["yesterday", "two weeks"]
    pred = [{"text": "yesterday", "span": {"start": doc.timexes[0]["start"], "end": doc.timexes[0]["end"]},
             "type": "DATE", "value": "1998-01-07"},
            {"text": "two", "span": {"start": doc.timexes[1]["start"], "end": doc.timexes[1]["start"] + 3},
             "type": "DURATION", "value": "P3W"}]
    s = score([doc], [pred])
    assert s["strict"]["tp"] == 1 and s["relaxed"]["tp"] == 2 and s["value"]["tp"] == 1
    assert s["type_accuracy"] == 1.0
