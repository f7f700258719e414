"""Per-token attributes of a parsed spaCy Doc, read once into Python lists.

spaCy makes a new Token object on every `doc[i]`, `for t in sent`, `t.head` or `t.children`
and looks every string attribute up in its StringStore; a component that reads the same
attributes of a sentence's tokens many times spends more there than in its own rules.
`TokenTable(doc)` reads them in one `Doc.to_array` call, with one StringStore lookup per
distinct value. No spaCy import: it only calls the Doc it is given (ingest and the linkers
import this package too).

The table is a snapshot: build it after the last change to what it holds (the entities
component rewrites `doc.ents`, so `ent_iob` / `ent_type` are those of the moment it is built).
"""
from __future__ import annotations

_COLUMNS = ["ORTH", "LOWER", "LEMMA", "POS", "TAG", "DEP", "HEAD", "ENT_IOB", "ENT_TYPE", "IDX", "SENT_START",
            "IS_PUNCT", "IS_SPACE"]
_IOB = ("", "I", "O", "B")  # Token.ent_iob_ of Token.ent_iob


class TokenTable:
    """`text`, `lower`, `lemma`, `pos`, `tag`, `dep`, `ent_iob`, `ent_type` (the strings of
    Token.text, .lower_, .lemma_, .pos_, .tag_, .dep_, .ent_iob_, .ent_type_), `head` (the head's
    index, Token.head.i), `idx` (Token.idx), `sent_start` (true where Token.is_sent_start is),
    `is_punct` and `is_space`, each a list indexed by token position."""

    __slots__ = ("text", "lower", "lemma", "pos", "tag", "dep", "head", "ent_iob", "ent_type", "idx", "sent_start",
                 "is_punct", "is_space")

    def __init__(self, doc):
        arr = doc.to_array(_COLUMNS)
        rows = arr.T.tolist() if len(doc) else [[] for _ in _COLUMNS]
        strings = doc.vocab.strings

        def names(ids: list[int]) -> list[str]:
            memo = {h: strings[h] if h else "" for h in set(ids)}
            return list(map(memo.__getitem__, ids))

        orth, lower, lemma, pos, tag, dep, _head, iob, ent, idx, sent_start, punct, space = rows
        self.text, self.lower, self.lemma = names(orth), names(lower), names(lemma)
        self.pos, self.tag, self.dep, self.ent_type = names(pos), names(tag), names(dep), names(ent)
        # HEAD is the offset to the head, stored unsigned: as signed, plus the token's index
        self.head = (arr[:, 6].astype("int64") + range(len(doc))).tolist() if len(doc) else []
        self.ent_iob = [_IOB[v] for v in iob]
        self.idx = idx
        self.sent_start = [v == 1 for v in sent_start]  # 1 start, -1 not, 0 unknown (None)
        self.is_punct = [v == 1 for v in punct]
        self.is_space = [v == 1 for v in space]

    def __len__(self) -> int:
        return len(self.idx)
