"""A story's summary: 5-8 sentences chosen across its articles, each with its citations.

The method (`select_summary`) is a greedy coverage selection over the facts the extractors
found, not over words:

- Candidates are the sentences of the story's articles (headlines, date and byline lines
  and fragments left out), each with the *units* it carries: the claim groups of its
  claims, the event groups of its events, its quotes (the same words quoted by several
  reports are one unit), the canonical actors it names and the dates it resolves.
- A unit weighs more the more independent sources report it (1 + ln n): what several
  outlets confirm is the core of the story.
- Each step takes the sentence with the largest gain: the weight of the units not yet
  covered, plus a bonus for a source (origin, see `link.lineage`) not yet cited, plus a
  small lead prior (earlier sentences of a report carry its news), times the sentence's
  quality (fragments, garbled or run-on text, reposted copies lose to a clean original of
  the same fact). A sentence whose words repeat a chosen one (Jaccard >= 0.5) is never
  chosen twice.
- It stops at 8 sentences, or after 5 once the best gain is small.

The summary then reads in story order (article date, position), and each sentence cites
its own article and every other article that carries the same sentence (a syndicated copy
or a repost), with outlet and date.

Two baselines are here for `bench/bench_summary.py` to compare against: the lead of the
earliest report (`lead_baseline`) and a TF-IDF centroid selection with maximal marginal
relevance (`centroid_mmr`). Thresholds were set on the sample corpus and checked on
ECB+ dev topics (see docs/web.md for the figures).
"""
from __future__ import annotations

import bisect
import math
import re
from collections import Counter, defaultdict
from typing import Iterable, Optional

MIN_SENTENCES, MAX_SENTENCES = 5, 8
MIN_WORDS, MAX_WORDS = 7, 60
REPEAT_JACCARD = 0.5  # word-set overlap at which a sentence repeats another (copies measure 0.8-1.0)
SOURCE_BONUS = 0.6  # gain for citing an origin not yet cited (about one confirmed fact)
LEAD_PRIOR = 0.4  # gain for a report's first sentence, decaying as 1/(1 + position)
STOP_GAIN = 0.5  # after MIN_SENTENCES, stop when the best gain is below this
ENTITY_WEIGHT, DATE_WEIGHT = 0.35, 0.25  # names and dates count less than facts, quotes and events

_SENT_END = re.compile(r"(?<=[.!?])([\"'”’)\]]*)\s+(?=[\"'“‘(\[]?[A-Z0-9])|\n\s*\n|\n(?=\S)")
_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][a-z]+)?")
_STOP = frozenset("""a an the and or but of to in on at by for with from as is are was were be been being it its
this that these those he she they we you i his her their our has have had will would could should may might
not no said says say also than then there here who whom which what when where while after before over into
about up out more most""".split())
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*$")
_DATELINE_ONLY = re.compile(r"^\s*(date\b|posted on\b|by\b|author:|source:|\d{4}-\d{2}-\d{2}\s*$)", re.I)


# --- sentences -------------------------------------------------------------------------
def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of `text`, trimmed of surrounding white space."""
    out, pos = [], 0
    for m in _SENT_END.finditer(text):
        out.append((pos, m.end(1) if m.group(1) is not None else m.start()))  # closing quotes stay
        pos = m.end()
    out.append((pos, len(text)))
    spans = []
    for s, e in out:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            spans.append((s, e))
    return spans


def words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def content_words(text: str, ws: Optional[list[str]] = None) -> set[str]:
    """`ws`: `words(text)` when the caller has them."""
    return {w for w in (words(text) if ws is None else ws) if w not in _STOP and len(w) > 2}


def jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def quality(sentence: str, ws: Optional[list[str]] = None) -> float:
    """1.0 for a clean sentence; less for a fragment, a run-on, a sentence that starts in
    lower case, repeats a word twice in a row, has unbalanced quote marks or a high share of
    characters that are not letters (garbled or machine-translated text shows these).
    `ws`: `words(sentence)` when the caller has them."""
    if ws is None:
        ws = words(sentence)
    q = 1.0
    if len(ws) < MIN_WORDS or len(ws) > MAX_WORDS:
        q *= 0.5
    stripped = sentence.lstrip("\"'“‘([")
    if stripped[:1].islower():
        q *= 0.6
    if any(a == b and a not in ("had", "that") for a, b in zip(ws, ws[1:])):
        q *= 0.6
    if (sentence.count('"') % 2) or (sentence.count("“") != sentence.count("”")):
        q *= 0.85
    # letters or white space (no character is both); map runs the tests without a Python
    # frame per character (the briefs read every sentence of a story)
    letters = sum(map(str.isalpha, sentence)) + sum(map(str.isspace, sentence))
    if sentence and letters / len(sentence) < 0.8:
        q *= 0.7
    if ws and sum(map(_STOP.__contains__, ws)) / len(ws) < 0.15:  # no function words: a list or a garble
        q *= 0.6
    if not _SENTENCE_END.search(sentence):  # a headline or caption, not a sentence
        q *= 0.5
    return q


# --- candidates and units ----------------------------------------------------------------
def _sentence_hits(units, spans: list[tuple[int, int]]) -> list[list[tuple[str, Optional[str]]]]:
    """For each sentence span (in text order, not overlapping), the (unit, record id) of the
    units whose span overlaps it (starts before its end and ends after its start), in the
    units' order: each unit finds its sentences by bisection instead of every sentence
    testing every unit of its article."""
    starts = [s for s, _ in spans]
    ends = [e for _, e in spans]
    out: list[list[tuple[str, Optional[str]]]] = [[] for _ in spans]
    for u, sp, rid in units:
        if not sp:
            continue
        for j in range(bisect.bisect_right(ends, sp.get("start", -1)), bisect.bisect_left(starts, sp.get("end", -1))):
            out[j].append((u, rid))
    return out


def _quote_key(text: str) -> str:
    return "q:" + " ".join(words(text))[:80]


def candidates(data: dict, article_ids: Iterable[str], origin_of: Optional[dict] = None) -> list[dict]:
    """Every candidate sentence of the story with its units.

    `data`: an export-shaped dict (articles, quotes, claims, events, entities, timexes) that
    holds at least the story's articles; `origin_of`: article id -> origin key (independent
    source); by default each outlet (or article, when it has none) is its own origin."""
    ids = list(article_ids)
    idset = set(ids)
    arts = {a["id"]: a for a in data.get("articles", []) if a["id"] in idset}
    origin_of = origin_of or {aid: "outlet:" + (a.get("source") or aid) for aid, a in arts.items()}
    by_article: dict[str, list[tuple[str, dict, Optional[str]]]] = defaultdict(list)
    for q in data.get("quotes", []):
        if q["article"] in idset:
            by_article[q["article"]].append((_quote_key(q.get("text") or ""), q.get("span"), q["id"]))
    for c in data.get("claims", []):
        if c["article"] in idset:
            by_article[c["article"]].append(("c:" + (c.get("group") or c["id"]), c.get("span"), c["id"]))
    for ev in data.get("events", []):
        if ev["article"] in idset:
            by_article[ev["article"]].append(("v:" + (ev.get("group") or ev["id"]), ev.get("span"), ev["id"]))
    for ent in data.get("entities", []):
        if ent.get("type") in ("DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "PERCENT"):
            continue
        for m in ent.get("mentions", []):
            if m["article"] in idset:
                by_article[m["article"]].append(("e:" + ent["id"], m.get("span"), None))
    for t in data.get("timexes", []):
        if t["article"] in idset and t.get("value") and t.get("type") in ("DATE", "TIME"):
            by_article[t["article"]].append(("t:" + t["value"][:10], t.get("span"), None))
    out = []
    for aid in ids:
        art = arts.get(aid)
        if art is None:
            continue
        text = art["text"]
        title = (art.get("title") or "").strip()
        spans = sentences(text)
        position = 0
        for (s, e), hits in zip(spans, _sentence_hits(by_article.get(aid, ()), spans)):
            sent = text[s:e]
            if (title and sent.strip() == title) or _DATELINE_ONLY.match(sent):
                continue
            ws = words(sent)
            if len(ws) < 4:
                continue
            units = {u for u, _ in hits}
            out.append({"article": aid, "start": s, "end": e, "text": sent, "position": position,
                        "units": units, "records": [rid for _, rid in hits if rid], "words": content_words(sent, ws), "origin": origin_of.get(aid, aid),
                        "quality": quality(sent, ws) * (0.8 if art.get("duplicate_of") else 1.0)})
            position += 1
    return out


def _unit_weights(cands: list[dict]) -> dict[str, float]:
    origins: dict[str, set] = defaultdict(set)
    for c in cands:
        for u in c["units"]:
            origins[u].add(c["origin"])
    base = {"e": ENTITY_WEIGHT, "t": DATE_WEIGHT}
    return {u: base.get(u[0], 1.0) * (1 + math.log(len(o))) for u, o in origins.items()}


# --- selection ---------------------------------------------------------------------------
def _repeats(c: dict, chosen: list[dict]) -> bool:
    return any(jaccard(c["words"], d["words"]) >= REPEAT_JACCARD for d in chosen)


def select_summary(cands: list[dict], k_min: int = MIN_SENTENCES, k_max: int = MAX_SENTENCES) -> list[dict]:
    """Greedy coverage selection (see the module doc); returns the chosen candidates."""
    weights = _unit_weights(cands)
    covered: set = set()
    cited: set = set()
    chosen: list[dict] = []
    pool = list(cands)
    while pool and len(chosen) < k_max:
        best, best_gain = None, -1.0
        for c in pool:
            gain = sum(weights.get(u, 0.0) for u in c["units"] - covered)
            gain += SOURCE_BONUS * (c["origin"] not in cited) + LEAD_PRIOR / (1 + c["position"])
            gain *= c["quality"]
            if gain > best_gain:
                best, best_gain = c, gain
        if best is None or (len(chosen) >= k_min and best_gain < STOP_GAIN):
            break
        chosen.append(best)
        covered |= best["units"]
        cited.add(best["origin"])
        pool = [c for c in pool if c is not best and not _repeats(c, [best])]
    return chosen


def lead_baseline(cands: list[dict], articles: dict, k: int) -> list[dict]:
    """The first `k` sentences of the earliest report (by publication date, undated last,
    then order of arrival)."""
    order = {aid: i for i, aid in enumerate(dict.fromkeys(c["article"] for c in cands))}
    if not order:
        return []
    first = min(order, key=lambda a: (articles[a].get("published") is None, articles[a].get("published") or "",
                                      order[a]))
    return [c for c in cands if c["article"] == first][:k]


def centroid_mmr(cands: list[dict], k: int, lam: float = 0.7) -> list[dict]:
    """TF-IDF centroid selection with maximal marginal relevance (Carbonell and Goldstein,
    1998): relevance is cosine to the story centroid, redundancy the largest cosine to a
    chosen sentence. Uses numpy only."""
    import numpy as np

    if not cands:
        return []
    vocab: dict[str, int] = {}
    docs = [Counter(w for w in words(c["text"]) if w not in _STOP) for c in cands]
    for d in docs:
        for w in d:
            vocab.setdefault(w, len(vocab))
    m = np.zeros((len(cands), max(1, len(vocab))))
    for i, d in enumerate(docs):
        for w, n in d.items():
            m[i, vocab[w]] = n
    df = (m > 0).sum(axis=0)
    m = m * np.log((1 + len(cands)) / (1 + df)) + m * 1e-9
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    m = m / np.where(norms == 0, 1, norms)
    centroid = m.mean(axis=0)
    rel = m @ (centroid / (np.linalg.norm(centroid) or 1))
    sim = m @ m.T
    chosen: list[int] = []
    while len(chosen) < min(k, len(cands)):
        best, best_score = None, -np.inf
        for i in range(len(cands)):
            if i in chosen:
                continue
            red = max((sim[i, j] for j in chosen), default=0.0)
            score = lam * rel[i] - (1 - lam) * red
            if score > best_score:
                best, best_score = i, score
        chosen.append(best)
    return [cands[i] for i in chosen]


# --- the summary records -----------------------------------------------------------------
def _story_order(chosen: list[dict], articles: dict) -> list[dict]:
    order = {aid: i for i, aid in enumerate(articles)}
    return sorted(chosen, key=lambda c: (articles[c["article"]].get("published") or "9999",
                                         order.get(c["article"], 0), c["start"]))


def summarise(data: dict, article_ids: Iterable[str], origin_of: Optional[dict] = None) -> list[dict]:
    """The story's summary records: {text, article, span, articles[], records[]} in story
    order; `articles` cites the sentence's own article first, then every other article of
    the story carrying the same sentence."""
    ids = list(article_ids)
    cands = candidates(data, ids, origin_of)
    arts = {a["id"]: a for a in data.get("articles", []) if a["id"] in set(ids)}
    chosen = select_summary(cands)
    out = []
    for c in _story_order(chosen, arts):
        same = [d["article"] for d in cands if d["article"] != c["article"]
                and jaccard(d["words"], c["words"]) >= 0.8]
        out.append({"text": c["text"], "article": c["article"],
                    "span": {"start": c["start"], "end": c["end"], "text": c["text"]},
                    "articles": list(dict.fromkeys([c["article"], *same])),
                    "records": c["records"]})
    return out


def story_summary(store, article_ids: Iterable[str]) -> list[dict]:
    """`summarise` over the records the store holds for these articles (the `stories`
    export section calls this for each story)."""
    from ..link.lineage import origins

    ids = list(article_ids)
    browse = store.browse
    arts = browse.articles(ids)
    group_of: dict[str, str] = {}
    for kind, key in (("claim", "claims"), ("event", "events")):  # link.claims / link.events GROUP_KIND
        for g in browse.groups(kind, {a.get("story") for a in arts}):
            for rid in g.get(key, []):
                group_of[rid] = g["id"]
    data: dict = {"articles": arts, "entities": []}
    for kind in ("quotes", "claims", "events", "timexes"):
        data[kind] = [dict(r, group=group_of.get(r["id"])) for r in browse.records(kind, ids)]
    links = browse.entity_links(ids)
    mentions: dict[str, list] = defaultdict(list)
    for rec in browse.records("actors", ids):
        eid = links.get((rec["article"], rec.get("local")))
        if eid:
            mentions[eid] += [{"article": rec["article"], "span": m.get("span")} for m in rec.get("mentions", [])]
    data["entities"] = [{"id": eid, "type": None, "mentions": ms} for eid, ms in mentions.items()]
    return summarise(data, ids, origins({a["id"]: a for a in arts}, ids))
