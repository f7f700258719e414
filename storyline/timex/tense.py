"""Tense of the clause a time expression sits in, read from the dependency parse.

"said on Friday" -> past (the last Friday); "will meet on Friday" -> future (the next);
"is expected to meet on Friday" -> future. Prepositions that look ahead ("until", "by",
"ahead of") outrank the verb: "gave them until Friday" points forward.
"""
from __future__ import annotations

import re
from typing import Optional

FUTURE_AUX = {"will", "shall", "'ll", "wo", "would", "could", "may", "might", "must", "should", "can", "ca", "'d"}
# Verbs whose "to"-complement lies ahead of them: "plans to meet on Friday".
FUTURE_HEADS = {"plan", "expect", "schedule", "due", "set", "go", "intend", "aim", "hope", "want",
                "agree", "promise", "prepare", "seek", "threaten", "vow", "pledge", "decide", "propose"}
_AHEAD = re.compile(r"\b(?:until|till|by|ahead\s+of|starting|due|(?:deadline|ultimatum)(?:\s+(?:of|for|on|is|was|expires))?|next)"
                    r"(?:\s+(?:the\s+)?(?:end|start|middle|beginning)\s+of)?\s+(?:the\s+)?(?:midnight\s+|noon\s+)?(?:on\s+)?$", re.I)
_BEHIND = re.compile(r"\b(?:since|as\s+of|through)\s+(?:on\s+)?$", re.I)


def preposition_tense(text: str, start: int) -> Optional[str]:
    before = text[max(0, start - 40):start]
    if _AHEAD.search(before):
        return "future"
    if _BEHIND.search(before):
        return "past"
    return None


def verb_tense(v, depth: int = 0) -> Optional[str]:
    auxes = [c for c in v.children if c.dep_ in ("aux", "auxpass")]
    words = {a.lower_ for a in auxes}
    if words & FUTURE_AUX:
        return "future"
    if "to" in words and v.tag_ == "VB":
        head = v.head
        if head is not v and depth < 3:
            if head.lemma_.lower() in FUTURE_HEADS:
                return "future"
            return verb_tense(head, depth + 1)
        return None
    if v.tag_ == "VBD" or any(a.tag_ == "VBD" for a in auxes):
        return "past"
    if v.tag_ == "VBN":
        if v.lemma_.lower() in FUTURE_HEADS and any(a.tag_ in ("VBZ", "VBP") for a in auxes):
            return "future"  # "is scheduled for Thursday", "are expected on Monday"
        if any(a.dep_ == "auxpass" and a.tag_ in ("VBZ", "VBP") for a in auxes):
            return None  # present passive: no tense cue
        return "past"  # present perfect or a reduced relative ("presented on Friday")
    if v.tag_ == "VBG" and any(a.tag_ in ("VBZ", "VBP") for a in auxes):
        return "future"  # "is meeting on Friday": a schedule
    return None


def clause_tense(doc, start: int, end: int) -> Optional[str]:
    if doc is None:
        return None
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    tok = span.root
    for _ in range(6):
        if tok.pos_ in ("VERB", "AUX") and not (tok.i >= span.start and tok.i < span.end):
            return verb_tense(tok)
        if tok.head is tok:
            return None
        tok = tok.head
    return None


def tense_at(doc, text: str, start: int, end: int) -> Optional[str]:
    return preposition_tense(text, start) or clause_tense(doc, start, end)
