"""TimeML span and value conventions: what is inside an expression ("Friday's" -> "Friday",
"a third-quarter loss" -> "third-quarter"), definite periods ("for the year"), references
("current", "soon", "recent weeks"), month + year, ages and names that are not time,
year chaining, and tense cues ("payable Dec. 1", "had been scheduled to expire Friday")."""
from __future__ import annotations

import pytest

from storyline.timex import extract_timexes

# Report dated Monday 30 October 1989.
PUB = "1989-10-30"


def spans(text, published=PUB):
    return [(t["text"], t["type"], t["value"]) for t in extract_timexes(text, published)]


def run(nlp, text, published=PUB):
    doc = nlp.make_doc(text)
    doc._.storyline_published = published
    return [(t["text"], t["type"], t["value"]) for t in nlp(doc)._.storyline_timexes]


@pytest.mark.parametrize("text,expected", [
    ("Friday's close was weak.", ("Friday", "DATE", "1989-10-27")),
    ("It posted a third-quarter loss.", ("third-quarter", "DATE", "1989-Q3")),
    ("Sales in its fourth quarter rose.", ("fourth quarter", "DATE", "1989-Q4")),
    ("It signed a five year contract.", ("five year", "DURATION", "P5Y")),
    ("It began a 30-day review.", ("30-day", "DURATION", "P30D")),
    ("Prices rose over the next two years.", ("the next two years", "DURATION", "P2Y")),
    ("They grew in the late 1970s.", ("the late 1970s", "DATE", "197")),
    ("The year-ago results included a gain.", ("year-ago", "DATE", "1988")),
    ("It left today's market.", ("today", "DATE", "1989-10-30")),
])
def test_timeml_spans(text, expected):
    assert expected in spans(text)


def test_noun_phrase_keeps_its_article():
    assert ("the third quarter", "DATE", "1989-Q3") in spans("Profit rose in the third quarter.")
    assert ("the nine months", "DURATION", "P9M") in spans("Net fell in the nine months.")


@pytest.mark.parametrize("text,expected", [
    ("For the year, volume was flat.", ("the year", "DATE", "1989")),
    ("Revenue for the year ended March 31 rose.", ("the year", "DURATION", "P1Y")),
    ("It forecast a gain for the full year.", ("the full year", "DATE", "1989")),
    ("It was the week's busiest session.", ("the week", "DATE", "1989-W44")),
    ("It blamed current market conditions.", ("current", "DATE", "PRESENT_REF")),
    ("Shares were sold at the then current price.", ("then current", "DATE", "PAST_REF")),
    ("It will soon begin selling boxes.", ("soon", "DATE", "FUTURE_REF")),
    ("It plans an offering in the near future.", ("the near future", "DATE", "FUTURE_REF")),
    ("Prices fell in recent weeks.", ("recent weeks", "DURATION", "PXW")),
    ("The city was ruled from Moscow for centuries.", ("centuries", "DURATION", "PXCE")),
    ("He died within weeks or months.", ("weeks or months", "DURATION", "PXW")),
    ("Buyers came in the morning.", ("the morning", "TIME", "1989-10-30TMO")),
    ("Flights leave on Tuesday nights.", ("Tuesday nights", "SET", "XXXX-WXX-2TNI")),
    ("The fair opens each July.", ("each July", "SET", "XXXX-07")),
    ("It saves $2 million a year.", ("a year", "SET", "P1Y")),
])
def test_periods_and_references(text, expected):
    assert expected in spans(text)


def test_month_with_its_year_is_one_expression():
    assert ("June last year", "DATE", "1988-06") in spans("It was signed in June last year.")
    assert spans("A bomb went off in January nineteen ninety-seven.", None) == [
        ("January nineteen ninety-seven", "DATE", "1997-01")]
    assert ("the winter of 1994", "DATE", "1994-WI") in spans("It snowed in the winter of 1994.")


def test_related_dates_count_from_the_text():
    found = spans("The plant opened in 1995. The following year it closed. In 1988 imports grew; that year was bad.")
    assert ("The following year", "DATE", "1996") in found
    assert ("that year", "DATE", "1988") in found


def test_year_ago_does_not_chain():
    found = spans("Net rose in the third quarter from a year ago. Sales were flat a year earlier.")
    assert [v for t, _, v in found if t.startswith("a year")] == ["1988-Q3", "1988-Q3"]


def test_ages_and_names_are_not_time():
    assert spans("Mr. Reupke, 52 years old, joined a 136-year-old bank.") == []
    assert spans('Baker said on ABC News\' "This Week," that it held. This is VOA Today.') == []
    assert ("This week", "DATE", "1989-W44") in spans("This week he left.")
    assert spans("Each may have a vote.") == []


def test_dates_without_year_follow_tense_cues(nlp):
    # "declared ... payable Dec. 1" (past verb) still means this December
    assert ("Dec. 1", "DATE", "1989-12-01") in run(nlp, "It declared a dividend payable Dec. 1 to holders.")
    # a month with no tense is the nearest one
    assert ("January", "DATE", "1990-01") in run(nlp, "An agreement to acquire the bank in January was signed.")


def test_weekday_tense_cues(nlp):
    # planned, but in the past perfect: the last Friday
    assert ("Friday evening", "TIME", "1989-10-27TEV") in run(nlp, "It had been due to expire Friday evening.")
    # "by" in a past perfect clause looks back
    assert ("Wednesday", "DATE", "1989-10-25") in run(nlp, "Thirty members had filed reports by Wednesday.")
    # "is to resume" looks ahead
    assert ("Tuesday", "DATE", "1989-10-31") in run(nlp, "The stock is to resume trading in Paris Tuesday.")
    # and "will leave by Friday" still looks ahead
    assert ("Friday", "DATE", "1989-11-03") in run(nlp, "The troops will leave by Friday.")


def test_years_that_modify_a_noun_are_years(nlp):
    found = run(nlp, "Sanctions were imposed after its 1990 invasion; the 1987 crash hurt. About 2000 troops left.")
    assert ("1990", "DATE", "1990") in found and ("1987", "DATE", "1987") in found
    assert all(t != "2000" for t, _, _ in found)
