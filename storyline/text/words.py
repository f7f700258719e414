"""Calendar and number words read by both ingest (header dates) and timex (expressions)."""
from __future__ import annotations

# Month names and their abbreviations, lower case -> month number.
MONTHS = {m: i + 1 for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august",
     "september", "october", "november", "december"])}
MONTHS.update({"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
               "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12})

# Cardinal number words, one to ninety (single words: "twenty-four" is two of them).
CARDINALS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
             "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
             "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
             "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
             "eighty": 80, "ninety": 90}

# Words and phrases that state a count ("a week", "half an hour", "a hundred years").
NUMBER_WORDS = {"a": 1, "an": 1, **CARDINALS,
                "hundred": 100, "a hundred": 100, "half a": 0.5, "a half": 0.5}
