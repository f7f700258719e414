"""Units: surface forms -> a normalised unit name (NewsQuant / quantulum3 naming), and currencies.

Normalised names follow the vocabulary NewsQuant annotates with (itself quantulum3's unit
names): "percentage", "dollar", "kilometre", "mile per hour", "year of age", ... so a claim's
`unit_normalised` is scored against NewsQuant directly. Money carries an ISO currency code
beside it (`currency`), because "dollar" alone does not say whose dollar.

Coverage, measured on NewsQuant dev (347 quantities; 128 distinct normalised units): the table
(with "X per Y" rates) names 60 of them, covering 252 of the 347 quantities; 16 more have no unit
("-"). Every unit that occurs more than once and is missing is a count of things (people, users,
homes, headsets, lightning strikes): not units but the counted noun itself, normalised to the
lemmas of that noun phrase instead (`extract._counted_noun`).
"""
from __future__ import annotations

import re

# Currency written before the number: symbol or code -> (normalised unit, ISO code).
CURRENCY_PREFIX = {
    "$": ("dollar", "USD"), "us$": ("dollar", "USD"), "us $": ("dollar", "USD"), "$us": ("dollar", "USD"),
    "usd": ("dollar", "USD"), "a$": ("australian dollar", "AUD"), "au$": ("australian dollar", "AUD"),
    "c$": ("canadian dollar", "CAD"), "ca$": ("canadian dollar", "CAD"), "hk$": ("hong kong dollar", "HKD"),
    "nz$": ("new zealand dollar", "NZD"), "s$": ("singapore dollar", "SGD"),
    "€": ("euro", "EUR"), "eur": ("euro", "EUR"), "£": ("pound sterling", "GBP"), "gbp": ("pound sterling", "GBP"),
    # NewsQuant's text lost "£" to "PS" upstream (a mojibake of the pound sign): "PS2.7m"
    "ps": ("pound sterling", "GBP"), "¥": ("japanese yen", "JPY"), "₹": ("indian rupee", "INR"),
    "rs": ("indian rupee", "INR"), "rs.": ("indian rupee", "INR"), "rm": ("malaysian ringgit", "MYR"),
    "r$": ("brazilian real", "BRL"), "₪": ("shekel", "ILS"), "chf": ("swiss franc", "CHF"),
}
# Currency written after the number (words); longest first when matching.
CURRENCY_WORDS = {
    "dollars": ("dollar", "USD"), "dollar": ("dollar", "USD"), "us dollars": ("dollar", "USD"),
    "australian dollars": ("australian dollar", "AUD"), "canadian dollars": ("canadian dollar", "CAD"),
    "hong kong dollars": ("hong kong dollar", "HKD"), "new zealand dollars": ("new zealand dollar", "NZD"),
    "singapore dollars": ("singapore dollar", "SGD"),
    "euros": ("euro", "EUR"), "euro": ("euro", "EUR"), "pounds sterling": ("pound sterling", "GBP"),
    "pounds": ("pound sterling", "GBP"), "cents": ("cent", None), "cent": ("cent", None),
    "pence": ("penny", "GBP"), "yuan": ("chinese yuan", "CNY"), "chinese yuan": ("chinese yuan", "CNY"),
    "renminbi": ("chinese yuan", "CNY"), "yen": ("japanese yen", "JPY"), "rupees": ("indian rupee", "INR"),
    "danish crowns": ("danish krone", "DKK"), "danish kroner": ("danish krone", "DKK"),
    "swedish crowns": ("swedish krona", "SEK"), "norwegian crowns": ("norwegian krone", "NOK"),
    "crowns": ("krone", None), "shekels": ("shekel", "ILS"), "shekel": ("shekel", "ILS"),
    "rubles": ("russian ruble", "RUB"), "roubles": ("russian ruble", "RUB"), "lira": ("turkish lira", "TRY"),
    "francs": ("swiss franc", "CHF"), "ringgit": ("malaysian ringgit", "MYR"), "rand": ("south african rand", "ZAR"),
    "pesos": ("peso", None), "naira": ("nigerian naira", "NGN"), "afghanis": ("afghani", "AFN"),
}
# Measurement units after the number (lower-cased surface -> normalised), longest first when matching.
# Case matters for a few (m/M, g/G, W, PS) and is handled in `unit_after` by CASED.
MEASURES = {
    "%": "percentage", "percent": "percentage", "per cent": "percentage", "pc": "percentage",
    "percentage points": "percentage point", "percentage point": "percentage point",
    "basis points": "basis point", "points": "point", "point": "point", "pts": "point",
    "km": "kilometre", "kms": "kilometre", "kilometres": "kilometre", "kilometers": "kilometre",
    "kilometre": "kilometre", "kilometer": "kilometre", "miles": "mile", "mile": "mile", "mi": "mile",
    "metres": "metre", "meters": "metre", "metre": "metre", "meter": "metre",
    "cm": "centimetre", "centimetres": "centimetre", "centimeters": "centimetre", "mm": "millimetre",
    "millimetres": "millimetre", "millimeters": "millimetre", "feet": "foot", "foot": "foot", "ft": "foot",
    "inches": "inch", "inch": "inch", "yards": "yard", "yard": "yard", "nautical miles": "nautical mile",
    "square miles": "square mile", "square kilometres": "square kilometre", "square kilometers": "square kilometre",
    "sq km": "square kilometre", "square feet": "square foot", "square foot": "square foot", "sq ft": "square foot",
    "square metres": "square metre", "square meters": "square metre", "hectares": "hectare", "acres": "acre",
    "mph": "mile per hour", "miles per hour": "mile per hour", "km/h": "kilometre per hour",
    "kph": "kilometre per hour", "kmh": "kilometre per hour", "kilometres per hour": "kilometre per hour",
    "kilometers per hour": "kilometre per hour", "knots": "knot",
    "hp": "horsepower", "horsepower": "horsepower", "bhp": "brake horsepower",
    "kw": "kilowatt", "kilowatts": "kilowatt", "kwh": "kilowatt hour", "mw": "megawatt", "megawatts": "megawatt",
    "mwh": "megawatt hour", "gw": "gigawatt", "gigawatts": "gigawatt", "gwh": "gigawatt hour", "w": "watt",
    "watts": "watt", "nm": "newton metre", "lb-ft": "foot pound-force", "pound-feet": "pound-foot",
    "rpm": "revolutions per minute", "khz": "kilohertz", "mhz": "megahertz", "ghz": "gigahertz", "hz": "hertz",
    "gb": "gigabyte", "tb": "terabyte", "mb": "megabyte", "mbps": "megabit per second",
    "gbps": "gigabit per second", "l": "litre", "litres": "litre", "liters": "litre", "litre": "litre",
    "liter": "litre", "ml": "millilitre", "gallons": "gallon", "gallon": "gallon", "barrels": "barrel",
    "g": "gram", "grams": "gram", "kg": "kilogram", "kilograms": "kilogram", "kilos": "kilogram",
    "lb": "pound-mass", "lbs": "pound-mass", "pounds of": "pound-mass", "ounces": "ounce", "oz": "ounce",
    "tons": "ton", "tonnes": "ton", "ton": "ton", "tonne": "ton", "metric tons": "ton",
    "gigatonnes": "gigaton", "gigatons": "gigaton", "megatons": "megaton",
    "degrees celsius": "celsius", "degrees fahrenheit": "fahrenheit", "celsius": "celsius",
    "fahrenheit": "fahrenheit", "°c": "celsius", "°f": "fahrenheit", "c": "celsius", "f": "fahrenheit",
    "degrees": "degree", "degree": "degree", "decibels": "decibel", "db": "decibel",
    "years": "year", "year": "year", "yrs": "year", "months": "month", "month": "month", "weeks": "week",
    "week": "week", "days": "day", "day": "day", "hours": "hour", "hour": "hour", "hrs": "hour",
    "minutes": "minute", "minute": "minute", "min": "minute", "mins": "minute", "seconds": "second",
    "second": "second", "secs": "second", "decades": "decade", "centuries": "century",
    "year-old": "year of age", "years old": "year of age", "year old": "year of age", "years-old": "year of age",
    "times": "count", "fold": "count",
}
# Units whose short form is ambiguous in lower case: only these exact spellings count.
CASED = {"m": "metre", "M": None, "W": "watt", "G": "generation wireless", "PS": "horsepower",
         "L": "litre", "C": "celsius", "F": "fahrenheit", "K": None}
# A short unit glued to the digits ("640bhp", "5kW", "1.5mm"), case-sensitive where it matters.
GLUED = re.compile(r"(?P<unit>%|°[CF]|km/h|lb-ft|kWh|MWh|GWh|kW|MW|GW|kHz|MHz|GHz|Hz|Mbps|Gbps|GB|TB|MB|"
                   r"bhp|hp|HP|mph|kph|rpm|mm|cm|km|kg|lbs|lb|ml|Nm|mg|min|g|l|L|m|W|G|ft|in|PS|pc|sec)(?![A-Za-z])")
# Time units whose quantity is a duration (kept), as opposed to a point in time (excluded).
DURATIONS = {"year", "month", "week", "day", "hour", "minute", "second", "decade", "century"}
RATE_WORDS = {"a", "an", "per", "each", "every"}
RATE_TARGETS = {"year", "month", "week", "day", "hour", "minute", "second", "barrel", "share", "gram",
                "gallon", "square foot", "square metre", "kilogram", "ton", "litre", "person", "head",
                "night", "mmbtu", "unit", "kilowatt hour", "mile", "kilometre", "ounce", "pound"}


def lookup(surface: str) -> str | None:
    """Normalised name of a measurement unit or currency word, or None."""
    if surface in CASED:
        return CASED[surface]
    low = surface.lower()
    if low in MEASURES:
        return MEASURES[low]
    if low in CURRENCY_WORDS:
        return CURRENCY_WORDS[low][0]
    return None


def rate_target(surface: str) -> str | None:
    """'month' -> 'month', 'barrel' -> 'barrel', 'mmBTU' -> 'mega british thermal unit'."""
    low = surface.lower()
    if low == "mmbtu":
        return "mega british thermal unit"
    base = MEASURES.get(low)
    if base in RATE_TARGETS:
        return base
    sing = low[:-1] if low.endswith("s") and not low.endswith("ss") else low
    if sing in RATE_TARGETS:
        return sing
    return None
