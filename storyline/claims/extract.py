"""Numeric and dated claims from a parsed spaCy Doc.

`extract_claims(doc, text=None, timexes=(), quotes=())` returns JSON-ready records (see
docs/claims.md for the full format). How it works, in order:

1. **Find numbers** with one character-level scan of the text (`MENTION`): digits with
   thousands separators, decimals, scale words and abbreviations ("1.2 million", "$1.7bn",
   "25k"), currency before the number ("US$", "PS2.7m"), number words ("two dozen",
   "twenty-five"), vague amounts ("dozens", "tens of thousands", "a few hundred"), fractions
   ("half", "a third of"), ranges ("between 3 and 5", "3-5", "15 to 22", "one to two").
   Characters are scanned, not tokens, because the tokenizer splits "5-10W", "~1.2mm",
   "PS2.7m" inconsistently.
2. **Drop what is not a claim**: years, dates and times (pattern, spaCy DATE/TIME entities that
   name a month, weekday or clock time, and the caller's timexes), ordinals, phone numbers,
   scores ("won 3-1"), product and label numbers ("iPhone 14", "S&P 500", "Game 2", "787
   Dreamliner").
3. **Read the parts** around the number with the parse: unit (units table, else the counted
   noun phrase), qualifier (words before it; change verbs for up/down), subject (the noun the
   quantity modifies, "X of Y", or the subject of its clause), attribution (according to X,
   X said, a quote's speaker) and the time it refers to (nearest date timex in the sentence).
4. **Dated claims**: a deadline cue ("by", "no later than", "scheduled for", "due on") directly
   before a DATE timex with a resolved value.
"""
from __future__ import annotations

import re
from bisect import bisect_right

from ..quotes.cues import SPEECH_VERBS
from ..text.datelines import DATELINE_PREFIX
from . import units as U
from .numbers import TENS, UNITS, parse_number

# --- the number scan ------------------------------------------------------------------------
_NUMW = "|".join(sorted(list(UNITS) + list(TENS), key=len, reverse=True))
_WORDNUM = (rf"(?:{_NUMW})(?:(?:[\s-]+|\s+and\s+)(?:{_NUMW}|hundred|thousand|million|billion|trillion|dozen)\b)*"
            r"\b|a\s+dozen\b|half\s+a\s+dozen\b|a\s+couple\s+of\b|a\s+pair\s+of\b")
_DIG = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+"
_CUR = (r"US\s?\$|\$\s?US|A\$|AU\$|C\$|CA\$|HK\$|NZ\$|S\$|R\$|\$|€|£|¥|₹|₪|"
        r"\b(?:USD|EUR|GBP|CHF)\s?|\bRs\.?\s?|\bRM(?=\d)|\bPS(?=\d)")
_SCALE = r"(?:[\s-]*(?:hundred|thousand|million|billion|trillion|dozen)\b|\s?(?:mn|mln|bn|tn|trn|[kKmMb])\b)"
_CORE = rf"(?:(?P<cur>{_CUR})\s?)?(?P<tilde>~\s?)?(?P<num>(?:{_DIG}){_SCALE}?|(?:{_WORDNUM}){_SCALE}?)"
_VAGUE = (r"(?P<vague>(?:tens|hundreds)\s+of\s+(?:thousands|millions|billions)|(?:a\s+few|several)\s+"
          r"(?:hundred|thousand|million|billion)|dozens|hundreds|thousands|millions|billions)\b")
_FRAC = r"(?P<frac>(?:a|one|two|three)[\s-](?:half|third|quarter|fifth|tenth|thirds|quarters)(?=\s+of\b)|half)\b"
MENTION = re.compile(rf"(?<![\w.,$])(?:{_VAGUE}|{_FRAC}|{_CORE})(?![\d$])",
                     re.IGNORECASE)

MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|december|"
          "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec")
WEEKDAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_DATE_WORD = re.compile(rf"\b(?:{MONTHS}|{WEEKDAYS})\b\.?", re.IGNORECASE)
_CLOCK = re.compile(r"\b\d{1,2}(?:[:.]\d{2})?\s?(?:a\.?m\.?|p\.?m\.?)(?!\w)|\b\d{1,2}:\d{2}(?::\d{2})?\b", re.IGNORECASE)
_PHONE = re.compile(r"(?:\+\d{1,3}[\s-]?)?\(?\b\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}\b")
_ORDINAL_AFTER = re.compile(r"^(?:st|nd|rd|th)\b", re.IGNORECASE)
_SCORE_WORDS = {"win", "victory", "defeat", "loss", "lead", "draw", "down", "up", "win.", "scoreline", "thrashing", "home", "away"}
_SCORE_BEFORE = {"won", "lost", "beat", "beating", "defeated", "trailing", "leading", "drew", "at", "a", "the"}

# --- qualifiers -----------------------------------------------------------------------------
# Phrases before the number (lower case, longest first) -> NewsQuant qualifier.
QUALIFIERS = {
    "about": "~", "around": "~", "approximately": "~", "approx.": "~", "roughly": "~", "nearly": "~",
    "almost": "~", "some": "~", "close to": "~", "an estimated": "~", "estimated": "~", "circa": "~",
    "an approximate": "~", "as much as": "<", "more or less": "~", "~": "~", "nigh on": "~",
    "more than": ">", "over": ">", "at least": ">", "above": ">", "upwards of": ">", "in excess of": ">",
    "greater than": ">", "higher than": ">", "north of": ">", "well over": ">", "just over": ">",
    "exceeding": ">", "over than": ">", "no fewer than": ">", "no less than": ">", "beyond": ">",
    "less than": "<", "under": "<", "up to": "<", "fewer than": "<", "below": "<", "at most": "<",
    "no more than": "<", "just under": "<", "lower than": "<", "a maximum of": "<", "maximum of": "<",
    "not more than": "<", "shy of": "<", "just shy of": "<", "a little under": "<", "a little over": ">",
}
_QUAL_RE = re.compile(r"(?:^|(?<=\W))(" + "|".join(re.escape(q) for q in sorted(QUALIFIERS, key=len, reverse=True))
                      + r")\s*$", re.IGNORECASE)
UP_LEMMAS = {"rise", "increase", "gain", "jump", "climb", "grow", "surge", "soar", "advance", "rally",
             "boost", "raise", "spike", "rocket", "widen", "add", "up", "improve", "balloon", "swell", "lift"}
DOWN_LEMMAS = {"fall", "drop", "decline", "decrease", "lose", "slip", "slide", "plunge", "plummet", "tumble",
               "sink", "dip", "shed", "shrink", "down", "lower", "slump", "retreat", "ease", "erode", "cut",
               "reduce", "narrow", "crash", "sag", "fell", "slash"}

# --- dated claims ---------------------------------------------------------------------------
DEADLINE_CUES = {
    "by": "<", "by the end of": "<", "before": "<", "no later than": "<", "not later than": "<",
    "until": "<", "till": "<", "ahead of": "<", "deadline of": "<", "deadline": "<",
    "scheduled for": "=", "set for": "=", "due on": "=", "due": "=", "slated for": "=", "planned for": "=",
    "on": "=",
}
_DEADLINE_RE = re.compile(r"\b(" + "|".join(re.escape(c) for c in sorted(DEADLINE_CUES, key=len, reverse=True))
                          + r")\s*$", re.IGNORECASE)
# A dated claim needs a future-looking or scheduling word in its clause, or it is just the date of
# an event ("on Friday the army said"): verbs/nouns of plans, deadlines and completion.
SCHEDULE_LEMMAS = {"complete", "finish", "withdraw", "leave", "deadline", "schedule", "plan", "expect",
                   "due", "set", "begin", "start", "end", "close", "open", "hold", "launch", "deliver",
                   "pull", "exit", "return", "vote", "submit", "decide", "extend", "postpone", "delay",
                   "move", "push", "agree", "announce", "take", "effect", "implement", "expire", "reach",
                   "pay", "hand", "transfer", "release", "elect", "publish", "sign", "ratify", "must",
                   "will", "shall", "would", "to", "should", "aim", "target", "goal", "promise", "pledge",
                   "vow", "intend", "slate"}

DET_SKIP = {"det", "poss", "predet", "case", "punct", "prep", "cc", "quantmod", "advmod"}
STOP = {"the", "a", "an", "of", "its", "their", "his", "her", "our", "my", "your", "this", "that", "these",
        "those", "which", "who", "it", "they", "he", "she", "we", "i", "you", "there", "some", "all", "each"}


def _span(text: str, start: int, end: int) -> dict:
    return {"start": start, "end": end, "text": text[start:end]}


class _Ctx:
    """What one call reads once: text, tokens' offsets, entities, sentences."""

    def __init__(self, doc, text):
        self.doc = doc
        self.text = text
        self.starts = [t.idx for t in doc]
        self.ents = [(e.start_char, e.end_char, e.label_, e.text) for e in doc.ents]
        self.chunks = None  # noun chunks, read on first need
        self.sents = [(s.start_char, s.end_char, s.start, s.end) for s in doc.sents] if doc.has_annotation("SENT_START") or doc.has_annotation("DEP") else [(0, len(text), 0, len(doc))]

    def tok_at(self, char: int):
        """The token covering (or starting just before) a character offset."""
        i = bisect_right(self.starts, char) - 1
        return self.doc[max(i, 0)] if len(self.doc) else None

    def toks_in(self, start: int, end: int):
        i = max(bisect_right(self.starts, start) - 1, 0)
        out = []
        while i < len(self.doc) and self.starts[i] < end:
            t = self.doc[i]
            if t.idx + len(t) > start:
                out.append(t)
            i += 1
        return out

    def sent_of(self, char: int):
        for s in self.sents:
            if s[0] <= char < s[1]:
                return s
        return (0, len(self.text), 0, len(self.doc))

    def ents_over(self, start: int, end: int):
        return [e for e in self.ents if e[0] < end and start < e[1]]


# --- step 1: numbers ------------------------------------------------------------------------
def _mention_value(m: re.Match):
    if m["vague"]:
        return parse_number(m["vague"])
    if m["frac"]:
        return parse_number(m["frac"])
    return parse_number(re.sub(r"(?<=\d)\s+(?=[a-z])", " ", m["num"]))


def _excluded_ranges(text: str, ctx: _Ctx, timexes) -> list[tuple[int, int, str]]:
    out = [(m.start(), m.end(), "time") for m in _CLOCK.finditer(text)]
    out += [(m.start(), m.end(), "phone") for m in _PHONE.finditer(text)]
    for s, e, label, etext in ctx.ents:
        if label in ("DATE", "TIME") and (_DATE_WORD.search(etext) or _CLOCK.search(etext)
                                          or re.search(r"\b(1[5-9]|20)\d\d\b", etext)):
            out.append((s, e, "date"))
    for tx in timexes or ():
        sp = tx.get("span") or {}
        ttype = (tx.get("type") or "DATE").upper()
        if ttype in ("DATE", "TIME") and sp.get("end") is not None:
            ttext = text[sp["start"]:sp["end"]]
            if _DATE_WORD.search(ttext) or _CLOCK.search(ttext) or re.search(r"\b(1[5-9]|20)\d\d\b", ttext):
                out.append((sp["start"], sp["end"], "date"))
    return out


def _is_year(num_text: str, value) -> bool:
    return (re.fullmatch(r"\d{4}s?", num_text) is not None and isinstance(value, int)
            and 1500 <= value <= 2100)


# --- step 3: parts --------------------------------------------------------------------------
def _unit_after(text: str, pos: int, glued_ok: bool):
    """(unit surface, start, end, normalised, currency) of a unit right after `pos`, or None."""
    rest = text[pos:pos + 40]
    lead = len(rest) - len(rest.lstrip(" \u00a0")) if not glued_ok else 0
    if glued_ok:
        m = U.GLUED.match(rest)
        if m:
            surf = m["unit"]
            norm = U.lookup(surf) if surf not in ("in", "s") else ({"in": "inch", "s": "second"}[surf])
            if surf == "G":
                norm = "generation wireless"
            if surf in ("m", "b") or norm is None:
                return None
            return surf, pos, pos + len(surf), norm, None
    if lead > 2:
        return None
    body = rest[lead:]
    best = None
    # the longest surface first (one set lookup per length; one surface per length can match)
    for n in _UNIT_LENGTHS:
        if len(body) < n:
            continue
        surf = body[:n].lower()
        if len(surf) == n and surf in _UNIT_SET and (len(body) == n or not body[n].isalnum()):
            if surf in _CASED_LOWER and body[:n] not in U.CASED:
                continue
            best = surf
            break
    if best is None:
        return None
    surf_text = body[:len(best)]
    if best in U.CURRENCY_WORDS:
        norm, cur = U.CURRENCY_WORDS[best]
    elif best in _CASED_LOWER:
        norm, cur = U.CASED[surf_text], None
        if norm is None:
            return None
    else:
        norm, cur = U.MEASURES[best], None
    if best in ("c", "f", "l", "g") and not glued_ok:
        # a lone letter after a space is only a unit before a word boundary we trust
        nxt = body[len(best):len(best) + 2]
        if nxt[:1].isalpha():
            return None
    return surf_text, pos + lead, pos + lead + len(best), norm, cur


_UNIT_SURFACES = sorted(set(U.MEASURES) | set(U.CURRENCY_WORDS) | {k.lower() for k in U.CASED}, key=len, reverse=True)
_CASED_LOWER = {k.lower() for k in U.CASED} - set(U.MEASURES) - set(U.CURRENCY_WORDS)
_UNIT_SET = frozenset(_UNIT_SURFACES)
_UNIT_LENGTHS = tuple(sorted({len(s) for s in _UNIT_SURFACES}, reverse=True))


def _lemma_phrase(toks) -> str:
    words = [t.lemma_.lower() if t.tag_ in ("NNS", "NNPS", "JJS", "JJR") else t.text.lower() for t in toks]
    return " ".join(w for w in words if w not in STOP and w.strip("-,."))


def _counted_noun(ctx: _Ctx, end: int, numtoks):
    """The noun phrase a number counts: '13000 workers', 'two dozen troops', 'one of the best X'."""
    if not numtoks:
        return None
    last = numtoks[-1]
    doc = ctx.doc
    i = last.i + 1
    # "dozens of people", "one of the students", "tens of thousands of dollars"
    if i < len(doc) and doc[i].lower_ == "of":
        j = i + 1
        while j < len(doc) and (doc[j].dep_ in ("det", "poss", "predet") or doc[j].lower_ in ("the", "those", "these")):
            j += 1
        head = None
        k = j
        while k < len(doc) and k < j + 6:
            if doc[k].pos_ in ("NOUN", "PROPN") and (k + 1 >= len(doc) or doc[k + 1].pos_ not in ("NOUN", "PROPN")):
                head = doc[k]
                break
            if doc[k].pos_ not in ("ADJ", "NOUN", "PROPN", "ADV", "NUM") and doc[k].dep_ not in ("amod", "compound"):
                break
            k += 1
        if head is not None and head.pos_ == "NOUN" and head.tag_ in ("NNS", "NN"):
            toks = [t for t in doc[j:head.i + 1]]
            return toks
        return None
    # the number's head noun to its right ("13000 workers", "seven European countries")
    head = last.head
    if last.dep_ in ("nummod", "quantmod", "compound", "amod", "npadvmod") and head.i > last.i and head.pos_ in ("NOUN", "PROPN"):
        if head.i - last.i > 5:
            return None
        toks = [t for t in doc[last.i + 1:head.i + 1] if t.dep_ not in ("punct",)]
        if any(t.pos_ in ("VERB", "AUX", "ADP", "CCONJ", "NUM") for t in toks):
            return None
        return toks
    if i < len(doc) and doc[i].pos_ == "NOUN" and doc[i].tag_ == "NNS" and doc[i].head.i != last.i:
        return [doc[i]]
    return None


def _np_span(tok, text: str) -> tuple[int, int]:
    """Character span of a noun's phrase: its left modifiers and 'of' complements, no clauses."""
    left = tok
    for t in tok.lefts:
        if t.dep_ in ("det", "poss", "amod", "compound", "nmod", "nummod", "quantmod") or t.dep_ == "poss":
            left = t if t.i < left.i else left
            break
    lefts = [t for t in tok.lefts if t.dep_ in ("det", "poss", "amod", "compound", "nmod", "nummod", "quantmod", "predet")]
    start_tok = min([tok] + [min(t.subtree, key=lambda x: x.i) for t in lefts], key=lambda x: x.i)
    end_tok = tok
    for r in tok.rights:
        if r.dep_ == "prep" and r.lower_ in ("of", "in", "on", "for") and r.i == end_tok.i + 1:
            pob = [c for c in r.children if c.dep_ == "pobj"]
            if pob:
                end_tok = max(pob[0].subtree, key=lambda x: x.i)
                break
        if r.dep_ in ("compound", "appos") and r.i == end_tok.i + 1:
            end_tok = r
    s, e = start_tok.idx, end_tok.idx + len(end_tok)
    return s, e


def _clause_verb(tok):
    t = tok
    for _ in range(12):
        if t.pos_ in ("VERB", "AUX") and t.dep_ not in ("amod", "aux", "auxpass"):
            return t
        if t.head is t:
            return t if t.pos_ in ("VERB", "AUX") else None
        t = t.head
    return None


def _subject(ctx: _Ctx, numtoks, unit_toks, text: str):
    doc = ctx.doc
    anchor = unit_toks[-1] if unit_toks else numtoks[-1]
    first = numtoks[0]
    # the quantity modifies a noun: "the 40 yard line", "a $700000 award", "a 25% tax"
    h = anchor.head if anchor.dep_ in ("nummod", "compound", "amod", "npadvmod", "quantmod", "nmod") else None
    if anchor is numtoks[-1] and unit_toks:
        h = None
    if h is not None and h.i > anchor.i and h.pos_ in ("NOUN", "PROPN") and h not in unit_toks:
        s, e = _np_span(h, text)
        return s, e, h
    # "60 per cent of its revenue", "24 per cent of adults"
    nxt = (unit_toks[-1] if unit_toks else numtoks[-1]).i + 1
    if nxt < len(doc) and doc[nxt].lower_ == "of":
        pob = [c for c in doc[nxt].children if c.dep_ == "pobj"]
        if pob and not (unit_toks and _is_counted(unit_toks)):
            s, e = _np_span(pob[0], text)
            return s, e, pob[0]
    # "sales of 5835 units", "a fine of 10.5 million", "SF90 with 938 horsepower"
    t = anchor
    for _ in range(4):
        if t.dep_ == "pobj" and t.head.dep_ == "prep" and t.head.head.pos_ in ("NOUN", "PROPN") and t.head.lower_ in ("of", "with", "at", "worth"):
            n = t.head.head
            s, e = _np_span(n, text)
            if not (s <= first.idx < e):
                return s, e, n
            return n.idx, n.idx + len(n), n
        if t.head is t:
            break
        t = t.head
    # otherwise the subject of its clause
    verb = _clause_verb(anchor)
    seen = 0
    while verb is not None and seen < 4:
        seen += 1
        subj = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass", "expl")]
        subj = [c for c in subj if c.dep_ != "expl"]
        if not subj and anchor.head.lower_ == "by" and anchor.dep_ == "pobj":
            obj = [c for c in verb.children if c.dep_ == "dobj"]
            if obj:
                s, e = _np_span(obj[0], text)
                return s, e, obj[0]
        if subj:
            n = subj[0]
            if n.lower_ in ("which", "who", "that") and verb.dep_ == "relcl":
                n = verb.head
            if n.pos_ == "PRON" and n.lower_ not in ("which", "who", "that"):
                if verb.dep_ in ("ccomp", "xcomp", "conj", "advcl") and verb.head is not verb:
                    verb = _clause_verb(verb.head)
                    continue
                return None
            if n.i > first.i or n.lower_ in ("which", "who", "that"):
                return None
            s, e = _np_span(n, text)
            if s <= first.idx < e:
                return n.idx, n.idx + len(n), n
            return s, e, n
        if verb.dep_ in ("xcomp", "conj", "advcl", "ccomp", "relcl") and verb.head is not verb:
            verb = _clause_verb(verb.head)
        else:
            break
    return None


def _nearest_chunk(ctx: _Ctx, sent, start: int, end: int, unit_s, unit_e):
    """Fallback subject: the closest noun phrase before the claim in its sentence (else after it)."""
    if ctx.chunks is None:
        try:
            ctx.chunks = [(c.start_char, c.end_char, c.root) for c in ctx.doc.noun_chunks]
        except ValueError:  # no parse
            ctx.chunks = []
    before = after = None
    for cs, ce, root in ctx.chunks:
        if not (sent[0] <= cs < sent[1]) or root.pos_ in ("PRON", "NUM") or root.is_stop:
            continue
        if any(t.like_num for t in root.doc.char_span(cs, ce) or ()):
            continue  # another claim's counted phrase
        if cs < end and start < ce:
            continue
        if unit_s is not None and cs < unit_e and unit_s < ce:
            continue
        if ce <= start:
            before = (cs, ce, root)
        elif after is None:
            after = (cs, ce, root)
    return before or after


def _is_counted(unit_toks) -> bool:
    return bool(unit_toks) and unit_toks[-1].pos_ in ("NOUN", "PROPN") and U.lookup(unit_toks[-1].text) is None


def _change(ctx: _Ctx, before_start: int, numtoks):
    """'up' / 'down' and the word that said it, from the words right before the number."""
    doc = ctx.doc
    i = numtoks[0].i - 1
    hops = 0
    while i >= 0 and hops < 4:
        t = doc[i]
        low = t.lower_
        if low in ("by", "$", "us$", "us", "of", "a", "an") or t.is_punct and low in ("$",) or low in QUALIFIERS \
                or (t.pos_ == "ADV" and low not in ("up", "down")) or low in ("to",) and False:
            i -= 1
            hops += 1
            continue
        if low in ("up", "down") and t.pos_ in ("ADV", "ADP", "PART", "ADJ") and not (i + 1 < len(doc) and doc[i + 1].lower_ == "to"):
            return ("up" if low == "up" else "down"), t
        if t.pos_ == "VERB" or t.tag_.startswith("VB"):
            if t.lemma_.lower() in UP_LEMMAS:
                return "up", t
            if t.lemma_.lower() in DOWN_LEMMAS or low in DOWN_LEMMAS:
                return "down", t
        return None
    return None


def _attribution(ctx: _Ctx, tok, sent, text: str, quotes):
    """Who says so: a quote's speaker, 'according to X', or the subject of a speech verb above it."""
    pos = tok.idx
    for q in quotes or ():
        sp = q.get("span") or {}
        if sp.get("start") is not None and sp["start"] <= pos < sp["end"]:
            spk = q.get("speaker") or {}
            stext = spk.get("text") or spk.get("name")
            sspan = spk.get("span")
            if stext:
                rec = {"text": stext, "span": sspan, "via": "quote"}
                if spk.get("entity"):
                    rec["entity"] = spk["entity"]
                return rec
    s0, s1 = sent[0], sent[1]
    m = re.search(r"\baccording to\s+((?:the\s+)?(?:[A-Z][\w&.'-]*|of|the|and|for)(?:\s+(?:[A-Z][\w&.'-]*|of|the|and|for))*|(?:an?|the)\s+\w+(?:\s+\w+)?)",
                  text[s0:s1])
    if m:
        a, b = s0 + m.start(1), s0 + m.end(1)
        while text[a:b].split() and text[a:b].split()[-1].lower() in ("of", "the", "and", "for"):
            b = a + text[a:b].rstrip().rfind(" ")
        while b > a and text[b - 1] in ".,'" and not re.search(r"\b[A-Z]\.$", text[a:b]):
            b -= 1
        return {"text": text[a:b], "span": _span(text, a, b), "via": "according to"}
    t = tok
    for _ in range(12):
        if t.head is t:
            break
        prev, t = t, t.head
        if t.pos_ == "VERB" and t.lemma_.lower() in SPEECH_VERBS and prev.dep_ in ("ccomp", "dobj", "parataxis", "advcl", "conj", "xcomp") :
            subj = [c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")]
            if subj and subj[0].dep_ == "nsubj":
                n = subj[0]
                if n.pos_ == "PRON" and n.lower_ not in ("he", "she", "they", "we", "i"):
                    return None
                a, b = _np_span(n, text)
                return {"text": text[a:b], "span": _span(text, a, b), "via": t.lemma_.lower()}
    # "..., the ministry said." where the number is in the main clause and the speech verb is a parataxis
    root = tok.sent.root if tok.sent is not None else None
    if root is not None:
        for c in root.children:
            if c.dep_ in ("parataxis",) and c.lemma_.lower() in SPEECH_VERBS:
                subj = [s for s in c.children if s.dep_ == "nsubj"]
                if subj and subj[0].pos_ != "PRON":
                    a, b = _np_span(subj[0], text)
                    return {"text": text[a:b], "span": _span(text, a, b), "via": c.lemma_.lower()}
    return None


def _predicate(numtoks):
    """What the quantity does or is, in its clause: the first verb or predicative adjective up
    the parse from the number ("nine people were *killed*", "the toll *rose* to 14", "19 people
    had *died*", "*dead*"); None when the number is not inside a clause."""
    tok = numtoks[-1] if numtoks else None
    for _ in range(6):
        if tok is None:
            return None
        if tok.pos_ in ("VERB", "AUX") and tok.lemma_.lower() not in ("be", "have"):
            return tok
        if tok.pos_ == "ADJ" and tok.dep_ in ("acomp", "amod", "conj") and tok.i != numtoks[-1].i:
            return tok
        if tok.head is tok:
            return None
        tok = tok.head
    return None


def _date_fields(date: dict | None) -> dict:
    """The record's `date` (a TIMEX3 value, as quotes and events have it), its precision and
    the span of the expression it comes from."""
    if not date:
        return {"date": None, "date_precision": None, "date_span": None}
    return {"date": date.get("value"), "date_precision": date.get("precision"), "date_span": date.get("span")}


def _date_for(sent, timexes, text, exclude: tuple[int, int], want_day_free=False):
    """The nearest DATE timex in the same sentence, outside the claim's own span."""
    best = None
    for tx in timexes or ():
        sp = tx.get("span") or {}
        if sp.get("start") is None or not (sent[0] <= sp["start"] < sent[1]):
            continue
        if (tx.get("type") or "DATE").upper() not in ("DATE", "TIME"):
            continue
        if sp["start"] < exclude[1] and exclude[0] < sp["end"]:
            continue
        dist = min(abs(sp["start"] - exclude[1]), abs(exclude[0] - sp["end"]))
        if best is None or dist < best[0]:
            best = (dist, tx)
    if best is None:
        return None
    tx = best[1]
    sp = tx["span"]
    return {"value": tx.get("value"), "text": text[sp["start"]:sp["end"]], "span": _span(text, sp["start"], sp["end"]),
            "precision": tx.get("precision")}


# --- main entry point -----------------------------------------------------------------------
def extract_claims(doc, text: str | None = None, timexes=(), quotes=()) -> list[dict]:
    """Numeric and dated claims of one parsed Doc, sorted by position. See docs/claims.md."""
    text = doc.text if text is None else text
    if not text:
        return []
    ctx = _Ctx(doc, text)
    excluded = _excluded_ranges(text, ctx, timexes)
    claims: list[dict] = []
    taken: list[tuple[int, int]] = []
    matches = list(MENTION.finditer(text))
    k = 0
    while k < len(matches):
        m = matches[k]
        k += 1
        rec = _numeric(ctx, text, m, matches, k, excluded, timexes, quotes)
        if rec is None:
            continue
        if "_skip" in rec:
            k += rec["_skip"]
            continue
        if rec.pop("_consumed", 0):
            k += 1
        sp = rec["span"]
        if any(sp["start"] < e and s < sp["end"] for s, e in taken):
            continue
        taken.append((sp["start"], sp["end"]))
        # a conversion in brackets restates the claim before it: "just under 296 hp (224 kW / 300 PS)"
        if claims and claims[-1]["kind"] == "numeric" and re.fullmatch(r"\s*[(/]\s*", text[claims[-1]["span"]["end"]:sp["start"]]):
            prev = claims[-1]
            if rec["qualifier"] == "=" and prev["qualifier"] != "=":
                rec["qualifier"], rec["qualifier_text"] = prev["qualifier"], prev["qualifier_text"]
                rec["qualifier_span"] = prev["qualifier_span"]
            if rec["subject"] is None:
                rec["subject"] = prev["subject"]
            if rec["attributed_to"] is None:
                rec["attributed_to"] = prev["attributed_to"]
        claims.append(rec)
    claims += _dated(ctx, text, timexes, quotes)
    claims.sort(key=lambda r: (r["span"]["start"], r["span"]["end"]))
    return claims


def _numeric(ctx, text, m, matches, k, excluded, timexes, quotes):
    num_s = m.start("vague") if m["vague"] else m.start("frac") if m["frac"] else m.start("num")
    num_e = m.end("vague") if m["vague"] else m.end("frac") if m["frac"] else m.end("num")
    num_text = text[num_s:num_e]
    value = _mention_value(m)
    if value is None:
        return None
    start, end = m.start(), m.end()
    cur = m["cur"]
    # glued scale abbreviations only count with a currency or a clear unit; "5 m" is metres
    abbr = re.search(r"(?<=\d)\s?(mn|mln|bn|tn|trn|[kKmMb])$", num_text)
    if abbr and not cur and abbr[1] in ("m", "M", "b"):
        # "1.5m" without currency: metres (or millions); only "5m people" style stays a scale
        nxt = text[num_e:num_e + 12].lstrip()
        if not re.match(r"[a-z]", nxt) or " " in text[num_s:num_e]:
            num_e -= len(abbr[0])
            num_text = text[num_s:num_e]
            value = parse_number(num_text)
            end = num_e
            if value is None:
                return None
    # exclusions by pattern
    for s, e, _why in excluded:
        if s <= num_s < e or s < num_e <= e:
            return None
    after = text[end:end + 4]
    if _ORDINAL_AFTER.match(after) and re.search(r"\d$", num_text):
        return None
    before = text[max(0, start - 25):start]
    if re.search(r"[A-Za-z]-?$", before) and not cur:
        return None  # "S23", "V-12", "COVID-19", "TA-35"
    if re.search(r"\d[.,]?$", before):
        return None
    lo_text = num_text.lower()
    word_number = not re.search(r"\d", num_text)
    if lo_text == "one" or lo_text == "half":
        pass
    # ranges: "between 3 and 5", "3-5", "15 to 22", "from 252 to 287"
    consumed = 0
    range_m = None
    nxt = matches[k] if k < len(matches) else None
    if nxt is not None and not nxt["vague"] and not nxt["frac"]:
        gap = text[end:nxt.start()]
        unit_between = _unit_after(text, end, glued_ok=True) or _unit_after(text, end, glued_ok=False)
        gap_core = gap
        if unit_between and unit_between[1] - end <= 1:
            gap_core = text[unit_between[2]:nxt.start()]
        if re.fullmatch(r"\s*(?:-|–|—|to|-to-)\s*", gap_core) or (
                re.fullmatch(r"\s+and\s+", gap_core) and re.search(r"\bbetween\s+(?:\S+\s*)?$", text[max(0, start - 20):start], re.I)):
            v2 = _mention_value(nxt)
            is_score = re.fullmatch(r"\s*[-–]\s*", gap) and (
                text[nxt.end():nxt.end() + 12].strip().split(" ")[0].lower().strip(".,") in _SCORE_WORDS
                or (before.strip().split(" ")[-1].lower() if before.strip() else "") in _SCORE_BEFORE) \
                and not _unit_after(text, nxt.end(), True) and not _unit_after(text, nxt.end(), False) and not cur
            if is_score and isinstance(value, int) and isinstance(v2, int) and value < 200 and v2 < 200:
                return {"_skip": 1}
            unit2 = _unit_after(text, nxt.end(), glued_ok=True) or _unit_after(text, nxt.end(), glued_ok=False)
            same_unit = (not unit_between or gap_core is gap or (unit2 is not None and unit2[3] == unit_between[3])) and \
                (bool(cur) == bool(nxt["cur"]) or not nxt["cur"])
            after_change = re.search(r"\b(?:by|up|down)\s+$", before, re.I) or (
                ctx.tok_at(num_s) is not None and ctx.tok_at(num_s).i > 0 and
                ctx.doc[ctx.tok_at(num_s).i - 1].lemma_.lower() in UP_LEMMAS | DOWN_LEMMAS)
            if re.fullmatch(r"\s*to\s*", gap_core) and (after_change or not same_unit):
                v2 = None
            if v2 is not None and not same_unit:
                v2 = None
            if v2 is not None and not isinstance(v2, list) and not isinstance(value, list) and not _is_year(num_text, value):
                if not (unit_between and gap_core is not gap and re.fullmatch(r"\s+and\s+", gap_core)):
                    range_m = nxt
                    consumed = 1
    if range_m is not None:
        bw = re.search(r"\bbetween\s+$", text[max(0, start - 10):start], re.I)
        if bw:
            start = max(0, start - 10) + bw.start()
        # scale shared: "1.2 to 1.5 million" -> both in millions
        v2 = _mention_value(range_m)
        value = [value, v2]
        end = range_m.end()
        num_e = range_m.end("num")
        if range_m["cur"] and not cur:
            cur = range_m["cur"]
    # currency
    currency = None
    unit = unit_norm = None
    unit_s = unit_e = None
    if cur:
        c = re.sub(r"\s+", " ", cur.strip()).lower()
        c = {"us $": "us$", "$ us": "$us", "$us": "$us"}.get(c, c)
        unit_norm, currency = U.CURRENCY_PREFIX.get(c, ("dollar", "USD"))
        unit, unit_s, unit_e = cur.strip(), m.start("cur"), m.start("cur") + len(cur.strip())
    ua = _unit_after(text, end, glued_ok=True) or _unit_after(text, end, glued_ok=False)
    if ua and not cur:
        unit, unit_s, unit_e, unit_norm, currency = ua
        end = unit_e
        # "degrees Celsius", "per cent", "years old" are in the table; "miles wide" stays "mile"
    elif ua and cur and ua[3] in ("cent",):
        pass
    elif ua and cur and ua[3] in U.DURATIONS:
        pass
    # "$3500 a month", "US $58.24 per barrel", "5 percent a year"
    if unit_norm:
        rm = re.match(r"\s+(a|an|per|each)\s+([A-Za-z][\w/]*(?:\s+(?:foot|feet|metre|meter|hour))?)", text[end:end + 30])
        if rm:
            tgt = U.rate_target(rm[2])
            if tgt and rm[1].lower() != "each" and not re.match(r"\s+(?:earlier|ago|later|before|after|on)\b", text[end + rm.end():end + rm.end() + 10]):
                unit = f"{unit} {rm[1]} {rm[2]}"
                unit_norm = f"{unit_norm} per {tgt}"
                end = end + rm.end()
                unit_e = end if unit_s is not None else unit_e
    numtoks = ctx.toks_in(num_s, num_e)
    if not numtoks:
        return None
    # year / date / product checks that need the parse
    if not unit_norm and _is_year(num_text, value if not isinstance(value, list) else value[0]):
        ct = _counted_noun(ctx, num_e, numtoks)
        if not (ct and ct[-1].tag_ == "NNS"):
            return None
    prev_tok = ctx.doc[numtoks[0].i - 1] if numtoks[0].i > 0 else None
    if not cur and not unit_norm and prev_tok is not None and (
            prev_tok.tag_ in ("NNP", "NNPS") or prev_tok.lower_ in ("no.", "no", "number", "#", "game", "page", "chapter", "row", "section", "room", "flight", "route", "model", "version")):
        if not word_number and not (prev_tok.lower_ == "page"):
            return None
    # time-of-day words and dates next to month names ("March 31", "31 March")
    if not unit_norm and isinstance(value, int) and value <= 31 and not word_number and re.search(
            rf"(?:\b(?:{MONTHS})\.?\s+$)", text[max(0, start - 12):start], re.I):
        return None
    if not unit_norm and isinstance(value, int) and value <= 31 and re.match(rf"^\s+(?:{MONTHS})\b", text[end:end + 12], re.I):
        return None
    # counted noun as unit
    unit_toks = []
    if unit_norm is None:
        ct = _counted_noun(ctx, num_e, numtoks)
        if ct:
            if ct[-1].tag_ == "NNP" and not word_number:
                return None  # "787 Dreamliner", "2019 Rich List": a name, not a count
            unit_toks = ct
            unit_s, unit_e = ct[0].idx, ct[-1].idx + len(ct[-1])
            unit = text[unit_s:unit_e]
            unit_norm = _lemma_phrase(ct) or ct[-1].lemma_.lower()
            rm = re.match(r"\s+(a|an|per)\s+(\w+)", text[unit_e:unit_e + 20])
            if rm and U.rate_target(rm[2]):
                unit_norm = f"{U.lookup(ct[-1].text) or 'count'} per {U.rate_target(rm[2])}"
    elif unit_s is not None and unit_s >= num_e:
        unit_toks = ctx.toks_in(unit_s, unit_e)
    # bare "one" / "half" / number words are claims only when they count something
    if word_number and not m["vague"] and not unit_norm:
        if lo_text in ("one", "a couple of", "a pair of") or (m["frac"] and lo_text != "half"):
            return None
        if lo_text == "half":
            prev_w = text[max(0, start - 12):start].strip().split(" ")[-1].lower() if text[:start].strip() else ""
            if not (re.match(r"\s+(of|the|its|their|his|her)\b", text[end:end + 8]) or prev_w in ("almost", "nearly", "about", "than", "over", "roughly")):
                return None
        elif not re.match(r"\s*(?:[,.;:)]|$|\s+(?:of|who|which|that|were|are|was|is|have|had|will|would|in|on|at|to|from|with|for|and|or|but|more|less|per|percent)\b)", text[end:end + 12]):
            return None
    if lo_text == "one" and (prev_tok is not None and prev_tok.lower_ in ("no", "each", "every", "any", "the", "this", "that", "another", "which", "only") ):
        return None
    if word_number and lo_text == "one" and unit_toks and unit_toks[-1].lower_ in ("another", "day", "time", "way", "thing"):
        return None
    # qualifier
    qual = "="
    qual_text = None
    qual_s = qual_e = None
    if m["tilde"] or text[max(0, start - 1):start] == "~":
        qual, qual_text = "~", "~"
        qual_s = m.start("tilde") if m["tilde"] else start - 1
        qual_e = qual_s + 1
    else:
        pre = text[max(0, start - 30):start]
        qm = _QUAL_RE.search(pre)
        if qm:
            phrase = qm[1].lower()
            if not (phrase == "up to" and re.search(r"\b(?:rose|rise|rises|risen|jumped|climbed|increased|gained|up)\s+$", pre[:qm.start(1)], re.I)):
                qual, qual_text = QUALIFIERS[phrase], qm[1]
                qual_s, qual_e = max(0, start - 30) + qm.start(1), max(0, start - 30) + qm.end(1)
                if phrase == "some" and not re.search(r"\d", num_text) and not unit_norm:
                    qual, qual_text, qual_s = "=", None, None
        if qual == "=" and re.match(r"\s*(?:or so|\+|plus\b|or more|or higher)", text[end:end + 10]):
            qm2 = re.match(r"\s*(or so|\+|plus\b|or more|or higher)", text[end:end + 10])
            qual = "~" if qm2[1] == "or so" else ">"
            qual_text = qm2[1]
            qual_s, qual_e = end + qm2.start(1), end + qm2.end(1)
    # change: "rose 19 cents", "up 9.4 per cent", "fell by 3%" (not "rose to 40")
    ch = None
    prev_word = text[max(0, start - 8):start].strip().split(" ")[-1].lower() if text[:start].strip() else ""
    if prev_word not in ("to", "from", "at") and qual not in (">", "<"):
        ch = _change(ctx, start, numtoks)
    if ch is not None and (unit_toks and _is_counted(unit_toks) or ch[1].dep_ == "prt"):
        ch = None
    if ch is not None:
        qual = ch[0]
        qual_text = ch[1].text
        qual_s, qual_e = ch[1].idx, ch[1].idx + len(ch[1])
    if qual_s is not None and qual_s < start and qual_e is not None and text[qual_e:start].strip() in ("",) or (
            qual_s is not None and qual_s < start and re.fullmatch(r"\s*", text[qual_e:start])):
        start = qual_s
    sent = ctx.sent_of(num_s)
    subj = _subject(ctx, numtoks, unit_toks, text)
    if (subj is None or subj[2].is_stop or subj[2].pos_ in ("PRON", "DET", "NUM")) and not _is_counted(unit_toks):
        subj = _nearest_chunk(ctx, sent, start, end, unit_s, unit_e)
    if subj is not None and subj[0] < num_e and num_s < subj[1] and not (subj[0] < num_s or subj[1] > end):
        subj = None  # the number itself ("half were ...") is not what is counted
    subject = None
    if subj is not None:
        s, e, head = subj
        subject = {"text": text[s:e], "span": _span(text, s, e), "head": head.text}
    attributed = _attribution(ctx, numtoks[0], sent, text, quotes)
    pred = _predicate(numtoks)
    is_duration = unit_norm in U.DURATIONS
    date = None if is_duration and not subject else _date_for(sent, timexes, text, (start, end))
    rec = {
        "kind": "numeric",
        "text": text[start:end],
        "span": _span(text, start, end),
        "value": value,
        "number": _span(text, num_s, num_e),
        "qualifier": qual,
        "qualifier_text": qual_text,
        "qualifier_span": _span(text, qual_s, qual_e) if qual_s is not None else None,
        "unit": unit,
        "unit_normalised": unit_norm,
        "unit_span": _span(text, unit_s, unit_e) if unit_s is not None else None,
        "currency": currency,
        "subject": subject,
        "predicate": {"text": pred.text, "lemma": pred.lemma_.lower(), "span": _span(text, pred.idx, pred.idx + len(pred))}
        if pred is not None else None,
        "attributed_to": attributed,
        **_date_fields(date),
        "sentence": _span(text, sent[0], sent[1]),
    }
    if consumed:
        rec["_consumed"] = consumed
    return rec


# "on <day>" is a date set for something only when its own clause looks ahead ("talks will
# resume on Monday", "the vote is scheduled on May 3", "Friday's deadline"); the sentence
# holding a plan elsewhere ("said on Friday that it planned to …") is not enough.
AHEAD_AUX = {"will", "shall", "would", "must", "to", "going", "should", "may", "might", "can", "could"}
AHEAD_VERBS = {"schedule", "due", "plan", "expect", "slate", "set", "deadline"}
_DAY_TIME_RE = re.compile(r"\d{4}-\d\d-\d\dT")
# "gave them until Friday to accept", "have until March 18, to reply": time given to act
_TIME_TO_ACT_RE = re.compile(r"\s*(\([^)]{0,30}\))?\s*,?\s+to\s+[a-z]+\b")
_UNTIL_BEFORE_RE = re.compile(r"\b(until|till|by|before|no later than|ahead of)\b[^.;]*$", re.IGNORECASE)


def _past_dateline(subjects: list, text: str) -> list:
    """Subjects outside the sentence's dateline: the parser often makes "KESSARA (Meridian
    Wire) -" the subject, with the real one a second subject or its apposition."""
    if not subjects:
        return subjects
    sent = subjects[0].sent
    m = DATELINE_PREFIX.match(text, sent.start_char)
    if not m:
        return subjects
    kept = [c for c in subjects if c.idx >= m.end()]
    if kept:
        return kept
    appos = [a for c in subjects for a in c.children if a.dep_ == "appos" and a.idx >= m.end()]
    return appos[-1:]


def _looks_ahead(verb, toks) -> bool:
    after = toks[-1].doc[toks[-1].i + 1:toks[-1].i + 4]
    if any(t.lemma_.lower() == "deadline" for t in [*toks, *after]):
        return True
    if verb is None:
        return False
    if verb.lemma_.lower() in AHEAD_VERBS:
        return True
    return any(c.dep_ in ("aux", "auxpass") and c.lemma_.lower() in AHEAD_AUX for c in verb.children)


def _dated(ctx, text, timexes, quotes) -> list[dict]:
    out = []
    for tx in timexes or ():
        sp = tx.get("span") or {}
        kind = (tx.get("type") or "DATE").upper()
        # a TIME with a day ("midnight on Friday": 2026-03-20T24:00) is a deadline's day too
        if sp.get("start") is None or not (kind == "DATE" or (kind == "TIME" and _DAY_TIME_RE.match(tx.get("value") or ""))):
            continue
        s, e = sp["start"], sp["end"]
        pre = text[max(0, s - 30):s]
        cm = _DEADLINE_RE.search(pre)
        tx_text = text[s:e]
        cue = None
        if cm:
            cue_s = max(0, s - 30) + cm.start(1)
            cue = (cm[1].lower(), cue_s, cue_s + len(cm[1]))
        elif re.match(r"by\s+the\s+end\s+of\b", tx_text, re.I) or re.match(r"by\b", tx_text, re.I):
            cue = ("by", s, s + 2)
        if cue is None:
            continue
        toks = ctx.toks_in(s, e)
        if not toks:
            continue
        verb = _clause_verb(toks[0])
        sent = ctx.sent_of(s)
        lemmas = {t.lemma_.lower() for t in ctx.doc[sent[2]:sent[3]]}
        if not (lemmas & SCHEDULE_LEMMAS):
            continue
        if cue[0] in ("on", "before", "until", "till") and \
                not (lemmas & {"will", "schedule", "due", "plan", "deadline", "expect", "shall", "must", "slate"}) and \
                not (cue[0] in ("until", "till") and _TIME_TO_ACT_RE.match(text, e)):
            continue
        if cue[0] == "on" and not (_UNTIL_BEFORE_RE.search(pre) or _looks_ahead(verb, toks)):
            continue  # "said on Friday that it planned …": the day of a saying, not a date set
        subject = None
        sv = verb
        for _ in range(4):
            if sv is None or any(c.dep_ in ("nsubj", "nsubjpass") for c in sv.children):
                break
            sv = _clause_verb(sv.head) if sv.dep_ in ("xcomp", "conj", "advcl", "ccomp") and sv.head is not sv else None
        if sv is not None:
            subj = _past_dateline([c for c in sv.children if c.dep_ in ("nsubj", "nsubjpass")], text)
            if subj and subj[0].pos_ != "PRON":
                a, b = _np_span(subj[0], text)
                subject = {"text": text[a:b], "span": _span(text, a, b), "head": subj[0].text}
            elif subj:
                subject = {"text": subj[0].text, "span": _span(text, subj[0].idx, subj[0].idx + len(subj[0])), "head": subj[0].text}
        event = None
        if verb is not None:
            act = verb
            if _TIME_TO_ACT_RE.match(text, e):  # "gave them until D to accept the draft": accept
                act = next((c for c in verb.children if c.dep_ in ("xcomp", "advcl", "acl") and c.i > toks[-1].i
                            and c.pos_ == "VERB"), verb)
            obj = [c for c in act.children if c.dep_ in ("dobj", "prt")]
            words = [act.lemma_.lower()] + [o.lemma_.lower() for o in obj]
            event = {"text": " ".join(words), "span": _span(text, act.idx, act.idx + len(act))}
        start = min(cue[1], s)
        out.append({
            "kind": "dated",
            "text": text[start:e],
            "span": _span(text, start, e),
            "value": (tx.get("value") or "").split("T")[0] or None,
            "number": None,
            "qualifier": DEADLINE_CUES.get(cue[0], "<") if not cue[0].startswith("by") else "<",
            "qualifier_text": text[cue[1]:cue[2]],
            "qualifier_span": _span(text, cue[1], cue[2]),
            "unit": None,
            "unit_normalised": "date",
            "unit_span": None,
            "currency": None,
            "subject": subject,
            "event": event,
            "attributed_to": _attribution(ctx, toks[0], sent, text, quotes),
            **_date_fields({"value": tx.get("value"), "text": tx_text, "span": _span(text, s, e),
                            "precision": tx.get("precision")}),
            "sentence": _span(text, sent[0], sent[1]),
        })
    return out
