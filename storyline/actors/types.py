"""Actor types usable for events: government, military, rebel group, party, IGO, media,
NGO, person; places get "place", nationalities "group", other organisations
"organisation". Decided by the gazetteer where it knows the name, else by the words an
organisation's name is made of (general English naming conventions, not any one story's).
"""
from __future__ import annotations

import re
from typing import Optional

# Checked in this order; the first list with a word in the name decides.
ORG_WORDS = [
    ("media", {"news", "wire", "times", "post", "radio", "television", "tv", "press", "journal",
               "ledger", "herald", "tribune", "gazette", "daily", "chronicle", "telegraph",
               "broadcasting", "magazine", "dispatch", "blog", "courier", "newspaper"}),
    ("IGO", {"nations", "un", "u.n.", "nato", "alliance", "accord"}),
    ("party", {"party"}),
    ("rebel group", {"front", "rebels", "rebel", "militia", "militias", "insurgents", "liberation",
                     "brigades", "mujahideen", "guerrillas", "resistance"}),
    ("military", {"army", "forces", "military", "navy", "troops", "guard", "corps", "command",
                  "regiment", "battalion", "air force"}),
    ("NGO", {"monitor", "watch", "rights", "foundation", "charity", "crescent", "cross", "amnesty",
             "union", "chamber", "association", "federation", "institute", "observatory", "aid",
             "relief", "ngo", "society", "trust", "coalition"}),
    ("government", {"ministry", "government", "cabinet", "parliament", "council", "presidency",
                    "senate", "congress", "department", "administration", "authority", "police",
                    "office", "agency", "commission", "court", "assembly", "municipality", "service"}),
]
PLACE_LABELS = {"GPE", "LOC", "FAC"}


def actor_type(label: str, name: str, gaz_type: Optional[str] = None, key: Optional[str] = None) -> str:
    if key and key.endswith("#government"):
        return "government"
    if key and key.endswith("#military"):
        return "military"
    if gaz_type:
        return gaz_type
    if label == "PERSON":
        return "person"
    if label in PLACE_LABELS:
        return "place"
    if label == "NORP":
        return "group"
    words = set(re.findall(r"[\w.]+", name.lower()))
    for kind, vocab in ORG_WORDS:
        if words & vocab:
            return kind
    return "organisation"
