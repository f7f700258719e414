"""A story's timeline from the dated records of its articles.

`build_timeline(store, article_ids)` returns entries `{date, precision, text, records,
articles, basis}` in time order:
- every resolved DATE/TIME expression (and every quote/claim/event record that carries a
  `date`) gives a candidate entry: its date at its own precision (a month stays a month),
  the sentence it sits in as the text;
- candidates with the same date whose sentences say the same thing (word overlap, below)
  are one happening reported by several articles: one entry with all its records and
  articles;
- a date an undated report gets from its story (anchor "story") is marked `basis: "story"`;
- an article with no dated statement at all gets one entry at its publication date,
  marked `basis: "publication"` (or `basis: "undated"` with date null when it has none).
The stories work calls this per story; it reads the store and writes nothing.
"""
from __future__ import annotations

import re
from datetime import date
from typing import Iterable, Optional

from ..store.protocol import Store
from ..timex.calendar import precision_of, value_bounds
from .story_dating import story_span, story_window
from .textfeat import jaccard

# Two candidate entries with the same date are one happening when the Jaccard overlap of
# their sentences' content words reaches this. Set by hand on the sample corpus: syndicated
# copies of a sentence overlap at 0.8-1.0, different sentences on the same day of one story
# at 0.05-0.25; 0.35 sits between. Not tuned on held-out data.
MERGE_JACCARD = 0.35
# Kinds of per-article records (besides timexes) whose `date` field dates a happening.
DATED_KINDS = ("events", "quotes", "claims")
_STOP = set("that this with from have were been they their there which would about after before said says "
            "will also into than then when where while more most other some such only over under".split())
_SENT_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])|\n\s*\n|\n(?=\S)")
# Words before a date that make it a limit of something else rather than when it happened.
_BOUND = re.compile(r"\b(?:until|till|since|by|before|after|from|as\s+late\s+as|deadline\s+of)\s+(?:the\s+)?(?:midnight\s+|noon\s+)?(?:on\s+)?$", re.I)
# A sentence about the text itself, not a happening: a repost's "Here is the wire story from
# last weekend", "this article was first published on Friday". Its date is when a copy
# appeared, which the article's own metadata says. Evidence: of 2,357 sentences with a
# relative date in PolNeAR (dev and train) and TimeBank, none matches (scripts in
# docs/time.md); the sample corpus's repost intro does.
_NOUN = r"(?:story|article|piece|post|column|dispatch|copy|report)"
_META = re.compile(r"\b(?:(?:here|below|above)\s+is\s+(?:the\s+|a\s+|our\s+)?(?:\w+\s+){0,2}" + _NOUN + r"\b|"
                   + _NOUN + r"\b[^.]{0,40}\b(?:reposted|republished|reprinted|first\s+published|originally\s+published"
                   r"|reproduced))", re.I)
_PREC_RANK = {"century": 0, "decade": 1, "year": 2, "half_year": 3, "quarter": 4, "season": 4, "month": 5,
              "week": 6, "weekend": 6, "day": 7}


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    s = 0
    for m in _SENT_END.finditer(text):
        if m.end() <= start:
            s = m.end()
        elif m.start() >= end:
            return s, m.start()
    return s, len(text)


def _words(s: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", s.lower()) if len(w) >= 4 and w not in _STOP}


def _day_value(value: str, precision: Optional[str]) -> tuple[Optional[str], Optional[str]]:
    """Timeline date and precision for a TIMEX3 value: times become their day."""
    if precision in ("minute", "hour", "part_of_day"):
        return value[:10], "day"
    return value, precision


def _ahead(r: dict, value: str, bound: bool, published: Optional[date]) -> bool:
    """The expression names a time after the report's date that the report looks ahead to:
    a bound ("by", "until", "after", "before") or a future clause, ending after the
    report's date. Without a report date (an undated report) nothing is known to be ahead."""
    if published is None or not (bound or r.get("tense") == "future"):
        return False
    b = value_bounds(value[:10])
    return b is not None and b[1] > published


def _published(article: dict) -> Optional[date]:
    v = article.get("published")
    b = value_bounds(str(v)[:10]) if v else None
    return b[0] if b else None


def _candidates(store: Store, article: dict, reference: Optional[date] = None) -> list[dict]:
    """`reference`: the day the report was written on or after when it has no date of its
    own (the start of its estimated window, year from the story), for telling what lay ahead."""
    text = article["text"]
    published = _published(article) or reference
    out = []
    rows = [("timexes", r) for r in store.records("timexes", article["id"])]
    for kind in DATED_KINDS:  # a kind with no records in this store yields none
        rows += [(kind, r) for r in store.records(kind, article["id"]) if r.get("date")]
    for kind, r in rows:
        if kind == "timexes":
            if r.get("type") not in ("DATE", "TIME") or r.get("anchor") == "none":
                continue
            value, precision = r.get("value"), r.get("precision")
        else:
            value = r.get("date")
            precision = r.get("date_precision") or precision_of(value)
        if not value or value.startswith("XXXX") or value_bounds(value[:10]) is None:
            continue
        value, precision = _day_value(value, precision or precision_of(value))
        span = r.get("span") or {}
        s, e = _sentence(text, span.get("start", 0), span.get("end", 0))
        sentence = text[s:e].strip()
        rest = _words(sentence.replace(span.get("text", ""), " "))
        if len(rest) < 2:  # a date line or a caption, not a statement about a happening
            continue
        if _META.search(sentence):
            continue
        bound = bool(_BOUND.search(text[max(0, span.get("start", 0) - 25):span.get("start", 0)]))
        # a date whose year came from the story's dated reports says so (link/story_dating.py)
        basis = "story" if r.get("anchor") == "story" else "text"
        c = {"_bound": bound, "date": value, "precision": precision, "text": sentence, "records": [r["id"]],
             "articles": [article["id"]], "basis": basis, "_words": rest, "_sent": (article["id"], s)}
        if kind == "timexes" and _ahead(r, value, bound, published):
            # a deadline or plan still ahead when the report was written ("by the end of
            # June", "will vote on Friday"): its own entry, marked, never folded into the
            # sentence's happening
            c.update(ahead=True, _deadline=bound, _sent=(article["id"], s, "ahead", value))
        out.append(c)
    # One entry per sentence: the sentence's own date is its first expression that is not a
    # bound ("until Friday", "since Tuesday"); the other records of the sentence join it.
    merged: dict = {}
    for c in out:
        key = c["_sent"]
        if key not in merged:
            merged[key] = c
            continue
        m = merged[key]
        if m["_bound"] and not c["_bound"]:
            c["records"] = c["records"] + m["records"]
            merged[key] = c
        else:
            m["records"] += [r for r in c["records"] if r not in m["records"]]
    # a time ahead that is the sentence's own date ("would vote on Friday ... until Friday")
    # is that entry, marked ahead, not a second row with the same sentence
    for key in [k for k in merged if len(k) == 4]:
        a = merged[key]
        main = merged.get(key[:2])
        if main is not None and (main["date"], main["precision"]) == (a["date"], a["precision"]):
            main["records"] += [r for r in a["records"] if r not in main["records"]]
            main.update(ahead=True, _deadline=a["_deadline"])
            del merged[key]
    return list(merged.values())


def _sort_key(e: dict):
    b = value_bounds(e["date"]) if e.get("date") else None
    return (b is None, b[0] if b else date.max, _PREC_RANK.get(e.get("precision"), 9), e["text"])


def build_timeline(store: Store, article_ids: Iterable[str]) -> list[dict]:
    entries: list[dict] = []
    arts = [a for a in (store.article(aid) for aid in article_ids) if a is not None]
    span = story_span(arts)
    for art in arts:
        aid = art["id"]
        window = story_window(art.get("published_estimate"), span[0], span[1]) if span and not art.get("published") else None
        cands = _candidates(store, art, window[0] if window else None)
        if not cands:
            entries.append(_fallback(art))
            continue
        for c in cands:
            # happenings merge when their sentences say the same thing; a deadline ahead
            # ("by the end of June", "after the end of June") is one entry however each
            # report words it
            same = next((e for e in entries if e.get("_words") is not None and e["date"] == c["date"]
                         and e["precision"] == c["precision"]
                         and ((e.get("_deadline") and c.get("_deadline"))
                              or jaccard(e["_words"], c["_words"]) >= MERGE_JACCARD)), None)
            if same is None:
                entries.append(c)
                continue
            if not c.get("ahead"):  # a report that tells it as done: no longer only ahead
                same.pop("ahead", None)
                same.pop("_deadline", None)
            same["records"] += [r for r in c["records"] if r not in same["records"]]
            if aid not in same["articles"]:
                same["articles"].append(aid)
            same["_words"] |= c["_words"]
    entries.sort(key=_sort_key)
    return [{k: v for k, v in e.items() if not k.startswith("_")} for e in entries]


def _fallback(art: dict) -> dict:
    title = (art.get("title") or "").strip() or art["text"].strip().split("\n", 1)[0][:200]
    if art.get("published"):
        return {"date": art["published"], "precision": art.get("published_precision") or "day",
                "text": title, "records": [], "articles": [art["id"]], "basis": "publication"}
    return {"date": None, "precision": None, "text": title, "records": [], "articles": [art["id"]],
            "basis": "undated"}
