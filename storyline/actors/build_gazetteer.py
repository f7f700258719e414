"""Build storyline/data/gazetteer_countries.json from the `countryinfo` data package.

Run by a developer, not at run time (the JSON it writes ships as package data):

    pip install --target /tmp/ci countryinfo==1.0.1      # MIT licence, 250 country files
    python -m storyline.actors.build_gazetteer /tmp/ci/countryinfo/data

For each country file it keeps: the common name, the ISO alpha-3 code as the key, the
alternative spellings that are names (not two/three-letter codes, except the few codes that
news prose uses as names: US, USA, UK, UAE, DRC), the capital (for metonymy: "Ankara
said") and the demonym ("Turkish troops"). Hand additions that the package lacks are in
`EXTRA_ALIASES` below; each is a standard English short form, not a story's spelling.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

PROSE_CODES = {"US", "USA", "UK", "UAE", "DRC"}
# Short forms common in English news that countryinfo's altSpellings omit.
EXTRA_ALIASES = {
    "USA": ["U.S.", "U.S.A.", "America", "the United States"],
    "GBR": ["Britain", "U.K."],
    "RUS": ["the Russian Federation"],
    "KOR": ["South Korea"],
    "PRK": ["North Korea"],
    "COD": ["Democratic Republic of Congo", "DR Congo"],
    "ARE": ["the UAE", "the United Arab Emirates"],
    "NLD": ["the Netherlands"],
    "CZE": ["Czechia"],
    "TUR": ["Turkiye", "Türkiye"],
}
EXTRA_DEMONYMS = {"GBR": ["Briton", "English"], "USA": ["U.S."]}
OUT = Path(__file__).resolve().parents[1] / "data" / "gazetteer_countries.json"


def build(data_dir: str) -> list[dict]:
    out = []
    for f in sorted(Path(data_dir).glob("*.json")):
        d = json.loads(f.read_text(encoding="utf-8"))
        iso = (d.get("ISO") or {}).get("alpha3")
        name = d.get("name")
        if not iso or not name:
            continue
        aliases = []
        for a in d.get("altSpellings") or []:
            if not a or a == name:
                continue
            if a.isupper() and len(a) <= 3 and a not in PROSE_CODES:
                continue
            if "," in a:  # "Iran, Islamic Republic of": a catalogue form, not prose
                continue
            aliases.append(a)
        aliases += EXTRA_ALIASES.get(iso, [])
        capital = d.get("capital") or ""
        if isinstance(capital, list):  # a few countries list several seats; keep the first
            capital = capital[0] if capital else ""
        capital = capital.replace(" D.C.", "").strip() or None
        demonyms = [x for x in [d.get("demonym")] + EXTRA_DEMONYMS.get(iso, []) if x]
        out.append({"key": iso, "name": name, "aliases": sorted(set(aliases)),
                    "capital": capital, "demonyms": demonyms})
    out.sort(key=lambda e: e["key"])
    return out


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    rows = build(argv[0])
    OUT.write_text(json.dumps({"source": "countryinfo==1.0.1 (MIT) + EXTRA_ALIASES in build_gazetteer.py",
                               "countries": rows}, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"wrote {len(rows)} countries to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
