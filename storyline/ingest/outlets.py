"""Recognising news outlets, agencies and monitors named as the origin of a report.

A name counts as an outlet when it is a well-known agency or outlet, or a capitalised name
ending in a word that outlets and monitoring groups use for themselves ("... Times",
"... Wire", "... Observatory"). The cue patterns ("told X", "X reported", "according to X",
"Source: X") are the ones news copy uses to credit an upstream source.
"""
from __future__ import annotations

import re

KNOWN_OUTLETS = {
    "Reuters", "AP", "Associated Press", "The Associated Press", "AFP", "Agence France-Presse",
    "VOA", "Voice of America", "BBC", "CNN", "Al Jazeera", "Al Mayadeen", "Al Arabiya", "TASS",
    "RIA Novosti", "Xinhua", "Anadolu", "Anadolu Agency", "Interfax", "DPA", "EFE", "ANSA",
    "Kyodo", "Yonhap", "NHK", "Bloomberg", "Sputnik", "RT", "IRNA", "Tolo News", "TOLOnews",
    "Dawn", "NPR", "PBS", "Fox News", "NBC", "CBS", "ABC", "Sky News", "Politico", "Axios",
    "The New York Times", "The Washington Post", "The Guardian", "The Wall Street Journal",
    "Financial Times", "The Times", "Breitbart", "Breitbart News", "Deutsche Welle", "DW",
    "France 24", "Euronews", "Radio Free Europe", "RFE/RL", "UPI", "PTI", "ANI", "Tasnim",
    "Fars", "Press TV", "Al-Manar", "SANA", "WAFA", "Ynet", "Haaretz", "Kommersant", "Izvestia",
}
OUTLET_SUFFIXES = (
    "News", "Wire", "Times", "Post", "Radio", "Television", "TV", "Agency", "Press", "Journal",
    "Ledger", "Herald", "Tribune", "Observer", "Monitor", "Observatory", "Dispatch", "Network",
    "Gazette", "Daily", "Chronicle", "Telegraph", "Broadcasting", "Service", "Magazine",
    "Reporter", "Bulletin", "Standard", "Courier", "Blog", "Report",
)
_WORD = r"[A-Z][\w&'\-]*(?:\.[A-Z][\w]*)*"
_NAME = rf"(?:{_WORD}|of|for|the|on|al|el|de)"
_OUTLET_NAME = rf"(?:[Tt]he[ \t]+)?{_WORD}(?:[ \t]+{_NAME}){{0,5}}"

CITE_PATTERNS = [
    re.compile(rf"\btold\s+(?P<o>{_OUTLET_NAME})"),
    re.compile(rf"\b(?:[Aa]ccording to|[Qq]uoted by|[Cc]ited by|[Ii]n an interview with|[Ss]peaking to|[Rr]eported by)\s+(?P<o>{_OUTLET_NAME})"),
    re.compile(rf"(?P<o>{_OUTLET_NAME})\s+(?:reported|said in a report|quoted|news agency reported)\b"),
    re.compile(rf"^\s*(?:Source|Sources|Via|Originally published (?:by|in|at))\s*:?\s*(?P<o>{_OUTLET_NAME})\s*\.?\s*$", re.M),
]
# Monitoring groups are cited by plain speech verbs too ("The Syrian Observatory said",
# "the X Monitor says"); for news outlets "X said" is too loose, so only these names.
MONITOR_SUFFIXES = ("Monitor", "Observatory")
MONITOR_PATTERNS = [
    re.compile(rf"(?P<o>{_OUTLET_NAME})\s+(?:said|says|reported|estimated|counted|documented|recorded)\b"),
]


def clean_outlet(name: str) -> str:
    name = name.strip().rstrip(".,;:")
    words = name.split()
    while words and words[-1].lower() in {"of", "for", "the", "on", "al", "el", "de"}:
        words.pop()
    return " ".join(words)


def is_outlet(name: str) -> bool:
    name = clean_outlet(name)
    bare = re.sub(r"^[Tt]he\s+", "", name)
    if name in KNOWN_OUTLETS or bare in KNOWN_OUTLETS:
        return True
    words = bare.split()
    if not words or not all(w[0].isupper() or w.lower() in {"of", "for", "the", "on", "al", "el", "de"} for w in words):
        return False
    for i, w in enumerate(words[1:], start=1):
        if w in OUTLET_SUFFIXES:
            rest = words[i + 1:]
            # "... Times" or "... Observatory for Human Rights"; not "... Wire on Monday"
            if not rest or (rest[0] in {"of", "for"} and len(rest) > 1 and rest[-1][0].isupper()):
                return True
    return False


def longest_outlet_prefix(name: str) -> str | None:
    """'Reuters on Friday' -> 'Reuters'; 'Meridian Wire' -> 'Meridian Wire'."""
    words = clean_outlet(name).split()
    for n in range(len(words), 0, -1):
        cand = clean_outlet(" ".join(words[:n]))
        if cand and is_outlet(cand):
            return re.sub(r"^[Tt]he\s+(?=[A-Z])", "The ", cand) if cand in KNOWN_OUTLETS else re.sub(r"^[Tt]he\s+", "", cand)
    return None


def _is_monitor(name: str) -> bool:
    words = name.split()
    return any(w in MONITOR_SUFFIXES for w in words[1:]) and name not in KNOWN_OUTLETS


def find_cited_outlets(text: str) -> list[str]:
    """Outlets the text credits as origin, in order of first mention, without repeats."""
    found: list[tuple[int, str]] = []
    for pat in CITE_PATTERNS:
        for m in pat.finditer(text):
            name = longest_outlet_prefix(m.group("o"))
            if name:
                found.append((m.start("o"), name))
    for pat in MONITOR_PATTERNS:
        for m in pat.finditer(text):
            name = longest_outlet_prefix(m.group("o"))
            if name and _is_monitor(name):
                found.append((m.start("o"), name))
    seen, out = set(), []
    for _, name in sorted(found):
        if name.lower() not in seen:
            seen.add(name.lower())
            out.append(name)
    return out
