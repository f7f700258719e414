"""Cue words: which verbs introduce speech, writing or stated belief.

The lexicon is learned from PolNeAR train (scripts/train_quote_cues.py writes lexicon_data.py
with, per lemma, how often it headed a gold cue and how often it occurred as a verb), then
filtered here. A small hand list covers speech verbs news wires use that the 2016 US politics
corpus under-represents (e.g. "insist", "deny", "warn" in conflict reporting).
"""
from __future__ import annotations

try:
    from .lexicon_data import CUE_COUNTS
except ImportError:  # lexicon not generated yet: the hand list alone
    CUE_COUNTS = {}

# Calibrated on PolNeAR dev (the component's source/cue/content F1, docs/quotes.md): swept
# MIN_COUNT 3/5/10 x MIN_RATE 0.05/0.1/0.2/0.3/0.5. Differences are small (source exact F1
# 0.595-0.628 at the time); 5 / 0.2 was the best on source and content exact F1 together.
MIN_COUNT = 5
MIN_RATE = 0.2

# Speech-act verbs that always count as cues (reporting verbs of wire copy).
SPEECH_VERBS = {
    "say", "tell", "add", "state", "announce", "declare", "insist", "deny", "warn", "claim",
    "report", "write", "tweet", "explain", "note", "stress", "confirm", "assert", "argue",
    "reply", "respond", "acknowledge", "admit", "predict", "vow", "pledge", "threaten",
    "urge", "quote", "testify", "recall", "complain", "emphasize", "emphasise", "reiterate",
    "remark", "comment", "allege", "suggest", "estimate", "caution", "concede", "contend",
    "maintain", "observe",
}
# Verbs whose object is the outlet or person spoken to ("told Reuters").
ADDRESSEE_VERBS = {"tell", "inform", "assure", "warn"}


def cue_lemmas(min_count: int = MIN_COUNT, min_rate: float = MIN_RATE) -> frozenset[str]:
    learned = {lem for lem, (n, v) in CUE_COUNTS.items() if n >= min_count and v and n / v >= min_rate}
    return frozenset(learned | SPEECH_VERBS)


CUE_LEMMAS = cue_lemmas()
