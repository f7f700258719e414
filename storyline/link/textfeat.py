"""Plain text features shared by the corpus linkers: normalised words, shingles, content
terms and a capitalised-name fallback for entities. No spaCy here: linkers read the store.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter

# Curly and typographic quote marks, dashes and ellipses map to their plain forms, so a
# syndicated copy that only "smartened" the quotes shingles exactly like its original.
_TRANSLATE = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u2026": "...", "\u00a0": " ",
})
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?")

STOPWORDS = frozenset("""
a about above after again against all almost also although am among an and another any are around as at
back be became because become been before being below between both but by can could did do does doing done
down during each either else even ever every few for from further get got had has have having he her here
hers herself him himself his how however i if in into is it its itself just last least less like made make
many may me might more most much must my myself near need neither never new next no nor not now of off
often on once one only onto or other others our ours ourselves out over own per perhaps put rather same
say says said see seen several she should since so some still such than that the their theirs them
themselves then there these they this those though through thus to told too toward under until up upon
us use used very via was we well were what when where whether which while who whom whose why will with
within without would yet you your yours yourself yourselves mr mrs ms monday tuesday wednesday thursday
friday saturday sunday today yesterday tomorrow week weeks year years day days time times two three four
five six first second reported report reports according people percent including told going news
""".split())


def normalise(text: str) -> str:
    """NFKC, plain quotes and dashes, lower case."""
    return unicodedata.normalize("NFKC", text or "").translate(_TRANSLATE).lower()


def words(text: str) -> list[str]:
    """Lower-cased word tokens (apostrophes inside words kept, other punctuation dropped)."""
    return _WORD.findall(normalise(text))


def shingles(text: str, k: int = 3) -> set[str]:
    """The set of k-word shingles of the text (the whole text if shorter than k words)."""
    w = words(text)
    if len(w) < k:
        return {" ".join(w)} if w else set()
    return {" ".join(w[i:i + k]) for i in range(len(w) - k + 1)}


def jaccard(a: set, b: set) -> float:
    if not a or not b:
        return 0.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)


def content_terms(text: str) -> Counter:
    """Counts of content words: no stop words, no numbers, at least three letters."""
    return Counter(w for w in words(text) if len(w) > 2 and w not in STOPWORDS and not w[0].isdigit())


_NOT_NAMES = frozenset("""january february march april may june july august september october
november december monday tuesday wednesday thursday friday saturday sunday""".split())
_CAP_SEQ = re.compile(r"(?<![\w])([A-Z][\w'\-]+(?:\s+(?:of|de|al|van|von)?\s*[A-Z][\w'\-]+){0,3})")
_SENT_START = re.compile(r"(?:^|[.!?\"'\n]\s*)$")


def capitalised_names(text: str) -> Counter:
    """A fallback for entities when no NER mentions are stored: capitalised word sequences
    that do not start a sentence (so "The" or "After" at a sentence start are skipped)."""
    out: Counter = Counter()
    text = unicodedata.normalize("NFKC", text or "").translate(_TRANSLATE)
    for m in _CAP_SEQ.finditer(text):
        name = m.group(1)
        if _SENT_START.search(text[max(0, m.start() - 3):m.start()]):
            first, _, rest = name.partition(" ")
            if first.lower() in STOPWORDS or not rest:
                continue
            name = rest if first.lower() in STOPWORDS else name
        key = re.sub(r"'s$", "", name.lower())
        if key not in STOPWORDS and key not in _NOT_NAMES and len(key) > 2:
            out[key] += 1
    return out
