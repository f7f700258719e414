"""Article -> clustering features (content terms, entities, date, title)."""
from __future__ import annotations

import re
from collections import Counter
from datetime import date
from functools import lru_cache
from typing import Iterable, Optional

from ..text.datelines import DATELINE_HEADER
from .cluster import Features
from .textfeat import capitalised_names, content_terms, normalise

ENTITY_LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"}
TITLE_WEIGHT = 2  # title words count as this many body occurrences
# Years named in the text count as names: two events of the same kind (two earthquakes,
# two summits) are often told apart by their year (+0.006 sub-topic B3 F1 on ECB+ 1-35).
_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20[0-4]\d)(?!\d)")
_PLACE_KINDS = {"country", "capital", "demonym"}


@lru_cache(maxsize=1)
def _place_keys() -> dict:
    """Lower-cased country, capital and demonym names -> the country's gazetteer key."""
    from ..actors.gazetteer import load

    return {s.lower(): hit.entry.key for s, hit in load().surfaces.items() if hit.kind in _PLACE_KINDS}


def places_of(text: str, ents: Counter) -> Counter:
    """Countries the article names (by name, capital or demonym) and its dateline place."""
    keys = _place_keys()
    out: Counter = Counter()
    for name, c in ents.items():
        key = keys.get(name)
        if key:
            out[key] += c
    m = DATELINE_HEADER.match((text or "").lstrip()[:200])
    if m:
        place = m.group("place").split(",")[0].strip().lower()
        out[keys.get(place, "dateline:" + place)] += 1
    return out


def day_of(article: dict) -> Optional[int]:
    """The article's stated date (or the start of its estimated window) as an ordinal."""
    value = article.get("published") or ((article.get("published_estimate") or {}).get("from"))
    if not value:
        return None
    try:
        parts = [int(p) for p in str(value)[:10].split("-")]
        return date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1).toordinal()
    except (ValueError, IndexError):
        return None


def fallback_title(text: str) -> str:
    first = (text or "").strip().split("\n", 1)[0].strip()
    return first[:120] + ("..." if len(first) > 120 else "")


def article_features(text: str, title: Optional[str] = None, mentions: Optional[Iterable[dict]] = None,
                     day: Optional[int] = None) -> Features:
    """Features of one article. `mentions` are stored NER records ({label, text}); without
    them capitalised names in the text stand in for entities."""
    terms = content_terms(text)
    if title:
        for k, v in content_terms(title).items():
            terms[k] += TITLE_WEIGHT * v
    if mentions is not None:
        ents: Counter = Counter()
        for m in mentions:
            if m.get("label") in ENTITY_LABELS and m.get("text"):
                key = " ".join(normalise(m["text"]).split())
                if key.startswith("the "):
                    key = key[4:]
                if len(key) > 1:
                    ents[key] += 1
    else:
        ents = capitalised_names(text)
    years = _YEAR.findall(text or "")
    for y in years:
        ents["year " + y] += 1
    # the report year: the year of its date when known, else the latest year it names (a
    # news report rarely names a year after its own)
    if day is not None:
        year = date.fromordinal(day).year
    else:
        year = max(int(y) for y in years) if years else None
    return Features(terms, ents, day, (title or fallback_title(text)).strip(), year,
                    places_of(text, ents))
