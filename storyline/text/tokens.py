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

import numpy as np

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
        strings = doc.vocab.strings
        if not len(doc):
            for name in self.__slots__:
                setattr(self, name, [])
            return

        def names(col: int) -> list[str]:
            # one StringStore lookup per distinct value, spread over the column by numpy
            ids, where = np.unique(arr[:, col], return_inverse=True)
            return np.array([strings[h] if h else "" for h in ids.tolist()], dtype=object)[where].tolist()

        self.text, self.lower, self.lemma = names(0), names(1), names(2)
        self.pos, self.tag, self.dep, self.ent_type = names(3), names(4), names(5), names(8)
        # HEAD is the offset to the head, stored unsigned: as signed, plus the token's index
        self.head = (arr[:, 6].astype("int64") + range(len(doc))).tolist()
        self.ent_iob = np.array(_IOB, dtype=object)[arr[:, 7]].tolist()
        self.idx = arr[:, 9].tolist()
        self.sent_start = (arr[:, 10] == 1).tolist()  # 1 start, -1 not, 0 unknown (None)
        self.is_punct = (arr[:, 11] == 1).tolist()
        self.is_space = (arr[:, 12] == 1).tolist()

    def __len__(self) -> int:
        return len(self.idx)
