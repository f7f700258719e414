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
_AHEAD = re.compile(r"\b(?:until|till|by|ahead\s+of|starting|due|payable|(?:deadline|ultimatum)(?:\s+(?:of|for|on|is|was|expires))?|next)"
                    r"(?:\s+(?:the\s+)?(?:end|start|middle|beginning)\s+of)?\s+(?:the\s+)?(?:midnight\s+|noon\s+)?(?:on\s+)?$", re.I)
_BEHIND = re.compile(r"\b(?:since|as\s+of|through)\s+(?:on\s+)?$", re.I)
# Words after which the clause's verb says nothing about the date: "declared a dividend
# ... effective Feb. 1", "to holders of record Nov. 22" (the date is the nearest one).
# A date right after a past speech verb dates the saying, whatever the parser attached it to
# ("said on Wednesday it would press ahead": the parse hangs "on Wednesday" on "press").
_SAID_ON = re.compile(r"\b(?:said|told\s+\w+|announced|stated|added|confirmed|denied|declared|reported)"
                      r"\s+(?:(?:late|early)\s+)?(?:on\s+)?$", re.I)
_NEUTRAL = re.compile(r"\b(?:effective|of\s+record)\s+(?:on\s+)?$", re.I)


def preposition_tense(text: str, start: int) -> Optional[str]:
    before = text[max(0, start - 40):start]
    m = _AHEAD.search(before)
    if m:
        return "by" if m.group(0).lower().startswith("by") else "future"
    if _BEHIND.search(before):
        return "past"
    return None


def _past_perfect(tok) -> bool:
    """'had' among the auxiliaries of `tok` (or of the verb an adjective like 'due' hangs on)."""
    for t in (tok, tok.head) if tok.pos_ == "ADJ" else (tok,):
        if any(c.dep_ in ("aux", "auxpass") and c.lower_ in ("had", "'d") and c.tag_ == "VBD" for c in t.children):
            return True
    return False


def verb_tense(v, depth: int = 0) -> Optional[str]:
    auxes = [c for c in v.children if c.dep_ in ("aux", "auxpass")]
    words = {a.lower_ for a in auxes}
    if words & FUTURE_AUX:
        return "future"
    if "to" in words and v.tag_ == "VB":
        head = v.head
        if head is not v and depth < 3:
            if head.lemma_.lower() in FUTURE_HEADS:
                # "had been scheduled to expire Friday": planned, but in the past
                return "past" if _past_perfect(head) else "future"
            if head.lemma_.lower() == "be" and head.tag_ in ("VBZ", "VBP"):
                return "future"  # "is to resume trading Tuesday"
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
    if _NEUTRAL.search(text[max(0, start - 20):start]):
        return None
    prep = preposition_tense(text, start)
    if prep is None and _SAID_ON.search(text[max(0, start - 30):start]):
        return "past"
    if prep == "by":  # "will leave by Friday" looks ahead; "had filed reports by Friday" back
        return "past" if clause_tense(doc, start, end) == "past" else "future"
    return prep or clause_tense(doc, start, end)
