"""storyline/text/tokens.py: the Doc's token attributes read once must be exactly what the
Token objects give (the events, quotes and boundary code read them instead of Tokens)."""
from pathlib import Path

from storyline.text.tokens import TokenTable

SAMPLE = Path(__file__).resolve().parents[1] / "examples" / "sample"


def _attrs(t):
    return (t.text, t.lower_, t.lemma_, t.pos_, t.tag_, t.dep_, t.head.i, t.ent_iob_, t.ent_type_, t.idx,
            bool(t.is_sent_start), t.is_punct, t.is_space)


def _row(tb, i):
    return (tb.text[i], tb.lower[i], tb.lemma[i], tb.pos[i], tb.tag[i], tb.dep[i], tb.head[i], tb.ent_iob[i],
            tb.ent_type[i], tb.idx[i], tb.sent_start[i], tb.is_punct[i], tb.is_space[i])


def test_table_matches_tokens(nlp):
    texts = [p.read_text(encoding="utf-8") for p in sorted(SAMPLE.glob("*.txt"))[:3]]
    texts.append("“We will not leave,” the minister said on Friday.\n\nKABUL (Reuters) - Talks ended.")
    for doc in nlp.pipe(texts):
        tb = TokenTable(doc)
        assert len(tb) == len(doc)
        assert [_row(tb, t.i) for t in doc] == [_attrs(t) for t in doc]


def test_table_of_unparsed_and_empty_docs(nlp):
    for doc in (nlp.make_doc("Two words"), nlp.make_doc("")):
        tb = TokenTable(doc)
        assert [_row(tb, t.i) for t in doc] == [_attrs(t) for t in doc]
