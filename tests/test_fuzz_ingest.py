"""Issue 14: property tests (hypothesis) on ingest and on each text extractor, and a short
fixed-budget atheris run over the text-level readers. No exception escapes; every span an
extractor reports is the article text between its offsets."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyline import registry
from storyline.errors import InputError
from storyline.ingest.formats import READERS

WORDS = ["The", "minister", "said", "on", "Friday", "“", "”", '"', "Reuters", "BRANNOCK", "-", "—", "March 3, 2026",
         "last week", "told", "according to", "rebels", "Dr.", "O'Neil", "\n\n", "\u00e9", "\ufffd", ".", ",", "5",
         "million", "(AP)", "By", "Source:", "\t", "’s", "<b>", "#", "2026-03-10"]
texty = st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=6)), max_size=60).map(" ".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.one_of(st.binary(max_size=3000), texty.map(lambda t: t.encode("utf-8", "surrogatepass"))),
       suffix=st.sampled_from(sorted(READERS)))
def test_no_exception_escapes_a_reader(data, suffix):
    try:
        for item in READERS[suffix](data, "x" + suffix):
            assert isinstance(item, InputError) or item.text.strip()
    except InputError:
        pass


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(text=texty)
def test_every_extractor_span_is_the_text_between_its_offsets(nlp, text):
    from storyline.ingest.article import clean_text

    text = clean_text(text)
    doc = nlp(text)  # no exception escapes the pipeline
    for ext in registry.components():
        if not ext.records:
            continue
        for rec in getattr(doc._, ext.extension) or []:
            spans = [v for v in _walk(rec) if isinstance(v, dict) and {"start", "end", "text"} <= set(v)]
            for sp in spans:
                assert text[sp["start"]:sp["end"]] == sp["text"], (ext.name, sp)


def _walk(x):
    yield x
    if isinstance(x, dict):
        for v in x.values():
            yield from _walk(v)
    elif isinstance(x, list):
        for v in x:
            yield from _walk(v)


FUZZ = textwrap.dedent('''
    import sys, atheris
    with atheris.instrument_imports():
        from storyline.errors import InputError
        from storyline.ingest.article import clean_text
        from storyline.ingest.formats import READERS
        from storyline.ingest.text_meta import recover
    KEYS = sorted(READERS)
    def one(data):
        fdp = atheris.FuzzedDataProvider(data)
        suffix = KEYS[fdp.ConsumeIntInRange(0, len(KEYS) - 1)]
        raw = fdp.ConsumeBytes(4096)
        try:
            for _ in READERS[suffix](raw, "f" + suffix):
                pass
        except InputError:
            pass
        recover(clean_text(raw.decode("utf-8", "replace")))
    atheris.Setup([sys.argv[0], "-max_total_time=%d", "-rss_limit_mb=2048", "-seed=14"], one)
    atheris.Fuzz()
''')
FUZZ_SECONDS = 15


def test_atheris_fuzz_of_the_text_level_readers(tmp_path):
    pytest.importorskip("atheris", reason="atheris is not installed (pip install -e '.[test]')")
    script = tmp_path / "fuzz.py"
    script.write_text(FUZZ % FUZZ_SECONDS)
    r = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=FUZZ_SECONDS + 120,
                       cwd=tmp_path)
    runs = [ln for ln in r.stderr.splitlines() if "Done" in ln]
    print("\n" + (runs[-1] if runs else r.stderr[-300:]))
    assert r.returncode == 0, r.stderr[-3000:]
    json.dumps(runs)
