"""Events from a parsed spaCy Doc: who did what to whom, when and where, in PLOVER and CAMEO.

One event per trigger clause. The trigger is a verb (or an event noun governed by a light verb:
"launched an attack") found in the lexicon; actor and recipient come from the same clause, by
the parse (subject; object, passive subject or prepositional object); date and place must be in
that clause or sentence. Modes change the meaning: negation, conditionals, intent/future,
refusal, and reported speech (`source_quote`).
"""
from __future__ import annotations

import re

from . import lexicon as L
from ..text.tokens import TokenTable
from .classifier import default_classifier
from .tagger import default_tagger, sentence_features, spans

# Confidence recipe (docs/events.md): confidence = 0.5 * parse + 0.5 * classifier, where the
# classifier term is the sentence's probability of the event's quad class plus half the
# probability of the neighbouring class of the same polarity, and the parse term starts at
# 0.45 and gains for an actor, a recipient, a verb trigger and loses for pronoun actors,
# hypotheticals and event nouns. DEFAULT_THRESHOLD is calibrated in the eval (docs/events.md).
DEFAULT_THRESHOLD = 0.6  # eval events cameo_class: precision 0.862 tune / 0.867 validation, sentence recall 0.55 / 0.56

_PREP_RECIPIENT = {"against", "with", "on", "to", "at", "into", "from", "upon", "toward", "towards"}
_LOC_PREP = {"in", "at", "near", "outside", "inside", "across", "around", "throughout", "within"}
_NP_DROP = {"relcl", "acl", "appos", "punct", "advcl", "prep", "cc", "parataxis"}
_PRONOUNS = {"he", "she", "it", "they", "we", "i", "you", "who", "which", "that", "this", "those"}
_COND_MARKS = {"if", "unless", "should"}
_PRECISION = [(re.compile(r"^\d{4}-\d{2}-\d{2}"), "day"), (re.compile(r"^\d{4}-W\d{2}"), "week"),
              (re.compile(r"^\d{4}-\d{2}$"), "month"), (re.compile(r"^\d{4}$"), "year")]


def _span(text: str, start: int, end: int) -> dict:
    return {"start": start, "end": end, "text": text[start:end]}


def _np_tokens(head):
    """The noun phrase of `head`: its subtree without clauses, appositions and trailing preps."""
    keep = [head]
    stack = [c for c in head.children if c.dep_ not in _NP_DROP or (c.dep_ == "prep" and c.i < head.i)]
    while stack:
        t = stack.pop()
        keep.append(t)
        stack.extend(c for c in t.children if c.dep_ not in ("relcl", "acl", "appos", "advcl", "parataxis"))
    keep.sort(key=lambda t: t.i)
    # a contiguous run around the head
    lo = hi = keep.index(head)
    while lo > 0 and keep[lo - 1].i == keep[lo].i - 1:
        lo -= 1
    while hi < len(keep) - 1 and keep[hi + 1].i == keep[hi].i + 1:
        hi += 1
    run = keep[lo:hi + 1]
    while run and (run[-1].is_punct or run[-1].dep_ in ("cc", "case")) and run[-1] is not head:
        run.pop()
    while run and (run[0].is_punct or run[0].dep_ == "cc") and run[0] is not head:
        run.pop(0)
    return run


def _party(text, head):
    if head is None:
        return None
    toks = _np_tokens(head)
    s, e = toks[0].idx, toks[-1].idx + len(toks[-1].text)
    return {"text": text[s:e], "span": _span(text, s, e), "_head": head}


def _child(tok, deps):
    for c in tok.children:
        if c.dep_ in deps:
            return c
    return None


def _subject(tok):
    """(actor head, recipient head from a passive subject) of the clause headed by `tok`."""
    subj = _child(tok, ("nsubj", "csubj"))
    if subj is not None:
        return subj, None
    psubj = _child(tok, ("nsubjpass",))
    agent = _child(tok, ("agent",))
    actor = _child(agent, ("pobj",)) if agent is not None else None
    return actor, psubj


def _lookup(tok):
    """Lexicon entry (type, mode, cameo) for a trigger token, or None."""
    lemma = tok.lemma_.lower()
    if tok.pos_ in ("VERB", "AUX") or tok.tag_.startswith("VB"):
        for c in tok.children:
            if c.dep_ in ("prt", "prep", "dobj") and (lemma, c.lower_) in L.PHRASAL:
                return L.PHRASAL[(lemma, c.lower_)]
        if lemma in L.VERBS:
            return L.VERBS[lemma]
        return None
    if tok.pos_ in ("NOUN", "PROPN") and lemma == "strike" and any(
            c.dep_ in ("compound", "amod") and c.lower_ in L.ATTACK_STRIKE for c in tok.children):
        return ("ASSAULT", "aerial", "195")
    if tok.pos_ in ("NOUN", "PROPN") and lemma in L.NOUNS:
        return L.NOUNS[lemma]
    if tok.pos_ in ("NOUN", "PROPN") and tok.lower_ in L.NOUNS:
        return L.NOUNS[tok.lower_]
    return None


def _negated(tok):
    """"did not attack", "never attacked", and "ended the talks without agreeing"."""
    if any(c.dep_ == "neg" or c.lower_ in L.NEGATORS and c.dep_ in ("neg", "det", "advmod") for c in tok.children):
        return True
    return tok.dep_ == "pcomp" and tok.head.lower_ == "without"


def _future(tok):
    return any(c.dep_ == "aux" and c.lower_ in L.MODAL_FUTURE for c in tok.children)


def _conditional(tok):
    """True when `tok` sits inside an if/unless clause (up the head chain within the sentence)."""
    t = tok
    while True:
        if any(c.dep_ == "mark" and c.lower_ in _COND_MARKS for c in t.children):
            return True
        if t.head is t or t.dep_ in ("ROOT",):
            return False
        if t.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in _COND_MARKS for c in t.children):
            return True
        t = t.head


def _has_unless(tok):
    """The clause headed by `tok` carries an "unless" condition: "will withdraw unless ..."."""
    return any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ == "unless" for m in c.children)
               for c in tok.children)


def _has_condition(tok):
    """The clause headed by `tok` has an if/unless clause attached ("if X, they will fight")."""
    return any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in _COND_MARKS for m in c.children)
               for c in tok.children)


_NOT_PARTY = {"DATE", "TIME", "CARDINAL", "PERCENT", "MONEY", "QUANTITY", "ORDINAL"}


def _recipient(tok, objects=True):
    if objects:
        obj = _child(tok, ("dobj", "dative"))
        if obj is not None and obj.pos_ in ("NOUN", "PROPN", "PRON") and obj.ent_type_ not in _NOT_PARTY:
            return obj
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ in _PREP_RECIPIENT:
            p = _child(c, ("pobj",))
            if p is not None and p.ent_type_ not in _NOT_PARTY and p.pos_ in ("NOUN", "PROPN", "PRON"):
                return p
    return None


_CLAUSE_CUT = {"ccomp", "advcl", "relcl", "parataxis", "xcomp", "csubj"}


def _clause(head):
    """Token indices of the clause headed by `head` (its subtree without embedded clauses
    other than the chain that holds the trigger)."""
    out, stack = set(), [head]
    while stack:
        t = stack.pop()
        out.add(t.i)
        for c in t.children:
            if c.dep_ in _CLAUSE_CUT or (c.dep_ == "conj" and c.pos_ in ("VERB", "AUX")):
                continue
            stack.append(c)
    return out


def _candidates(sent, table=None):
    """Trigger candidates in a sentence: (clause verb, trigger token, entry, event noun or None).
    `table`: the Doc's TokenTable, to skip the tokens that are no verb without making them."""
    out = []
    if table is None:
        toks = iter(sent)
    else:
        pos, tag, doc = table.pos, table.tag, sent.doc
        toks = (doc[i] for i in range(sent.start, sent.end) if pos[i] in ("VERB", "AUX") or tag[i].startswith("VB"))
    for tok in toks:
        if tok.pos_ in ("VERB", "AUX") or tok.tag_.startswith("VB"):
            entry = _lookup(tok)
            noun = None
            if tok.lemma_.lower() in L.LIGHT_VERBS:
                obj = _child(tok, ("dobj",))
                if obj is not None and _lookup(obj) is None:  # "provided $10 million in aid"
                    for c in obj.children:
                        if c.dep_ == "prep" and c.lower_ in ("in", "of"):
                            p = _child(c, ("pobj",))
                            if p is not None and _lookup(p) is not None:
                                obj = p
                if obj is not None and _lookup(obj) is not None and obj.lemma_.lower() not in ("fire",):
                    noun = obj
                    entry = _lookup(obj)
            if entry is None and tok.lemma_.lower() in L.END_VERBS:  # "ended mediation efforts"
                obj = _child(tok, ("dobj",))
                cands = [obj] + [c for c in obj.children if c.dep_ == "compound"] if obj is not None else []
                if any(_lookup(c) is not None and _lookup(c)[0] in L.COOPERATIVE for c in cands):
                    entry = ("SANCTION", "withdraw", "161")
            if entry is None and tok.lemma_.lower() in L.EVENT_SUBJECT_VERBS:  # "riots are continuing"
                subj = _child(tok, ("nsubj",))
                if subj is not None and _lookup(subj) is not None and _lookup(subj)[0] != "MOBILIZE":
                    noun, entry = subj, _lookup(subj)
            if entry is None:  # "arrived in Amman on a visit", "returned to Geneva for talks"
                for c in tok.children:
                    if c.dep_ == "prep" and c.lower_ in L.PURPOSE_PREPS:
                        p = _child(c, ("pobj",))
                        if p is not None and _lookup(p) is not None and _lookup(p)[0] in ("CONSULT", "AGREE"):
                            noun, entry = p, _lookup(p)
                            break
            if entry is not None:
                out.append((tok, noun or tok, entry, noun))
    return out


def _resolve(verb, trig, entry):
    """Follow xcomp chains up to the governing verb: intent, refusal, negation, future.

    Returns (head verb whose subject is the actor, type, mode, cameo, flags)."""
    typ, mode, cameo = entry
    flags = {"negated": _negated(verb), "future": _future(verb), "intent": False, "refused": False,
             "action": typ}
    head = verb
    while head.dep_ in ("xcomp", "acomp"):
        gov = head.head
        glemma = gov.lemma_.lower()
        if glemma in L.REFUSAL_VERBS:
            flags["refused"] = True
            flags["negated"] = flags["negated"] or _negated(gov)
        elif glemma in L.INTENT_VERBS or glemma in L.INTENT_ADJ or gov.lower_ in L.INTENT_ADJ:
            flags["intent"] = True
            if glemma == "threaten":
                flags["threat"] = True
            flags["negated"] = flags["negated"] or _negated(gov)
        else:  # a negated governor negates its complement: "not staying to fight anyone"
            flags["negated"] = flags["negated"] or _negated(gov)
        flags["future"] = flags["future"] or _future(gov)
        head = gov
        if gov.pos_ == "ADJ" and gov.dep_ == "acomp":
            head = gov.head
    return head, typ, mode, cameo, flags


def _reported_by(head):
    """The speech verb whose complement holds this clause, or None."""
    t = head
    for _ in range(4):
        if t.dep_ in ("ccomp", "parataxis") and t.head.lemma_.lower() in L.SPEECH_VERBS:
            return t.head
        if t.dep_ in ("ROOT",) or t.head is t:
            return None
        t = t.head
    return None


def _precision(value):
    if not value:
        return None
    for rx, p in _PRECISION:
        if rx.match(str(value)):
            return p
    return None


def _embedded(verb, head) -> float:
    """Parse penalty of an event that is the content of another one: a clause modifying a noun
    ("property seized in the 1970s") or the complement of a demand ("demanded that Hamas
    renounce ...": the demand is the event)."""
    if verb.dep_ in ("relcl", "acl"):
        return 0.1
    t = head
    for _ in range(3):
        if t.dep_ in ("ccomp", "xcomp") and _lookup(t.head) is not None and _lookup(t.head)[0] == "REQUEST":
            return 0.15
        if t.head is t:
            break
        t = t.head
    return 0.0


def _confidence(actor, actor_h, recipient, noun, hypothetical, probs, quad, penalty=0.0) -> float:
    parse = 0.45 - penalty
    if actor is not None:
        pronoun = (actor_h.lower_ if actor_h is not None else actor["text"].lower()) in _PRONOUNS
        parse += 0.1 if pronoun else 0.25
    if recipient is not None:
        parse += 0.1
    if noun is None:
        parse += 0.1
    if hypothetical:
        parse -= 0.1
    parse = max(0.0, min(1.0, parse))
    if probs is not None:
        p = float(probs[quad]) + 0.5 * float(probs[{1: 2, 2: 1, 3: 4, 4: 3}[quad]])
        return round(0.5 * parse + 0.5 * min(1.0, p), 3)
    return round(parse * 0.8, 3)


def _tok_set(doc, span):
    if span is None:
        return set()
    return {t.i for t in doc.char_span(span["start"], span["end"], alignment_mode="expand") or ()}


def _tagger_anchor(sent_events):
    """The event a sentence's tagger features are anchored on: the one with the best
    parse-only score, as in training (no classifier)."""
    return max(sent_events, key=lambda x: (_confidence(x[0]["actor"], x[3], x[0]["recipient"], x[2],
                                                       x[0]["hypothetical"], None, 0, x[4]),
                                           -x[0]["span"]["start"]))[0]


def _apply_taggers(doc, text, pending, tagger, table=None):
    """`_apply_tagger` for each (sentence, its events, its classifier probabilities) of
    `pending`, the sentences' tags decoded side by side (SpanTagger.tag_many)."""
    tops = [_tagger_anchor(sent_events) for _, sent_events, _ in pending]
    labels = tagger.tag_many([sentence_features(sent, top, table) for (sent, _, _), top in zip(pending, tops)])
    for (sent, sent_events, probs), top, tags in zip(pending, tops, labels):
        _apply_tagger(doc, text, sent, sent_events, tagger, probs, table, top=top, tags=tags)


def _apply_tagger(doc, text, sent, sent_events, tagger, probs, table=None, top=None, tags=None):
    """Replace or fill the rule actor/recipient of each event of one sentence with the tagger's
    source/target span: a tagged span that overlaps the rule's span wins (boundaries); where the
    rules found none, a tagged span inside the event's clause fills it; for the event the tagger
    was anchored on, a lone tagged span also fills a missing party, or replaces a rule party
    when it lies in the event's clause (docs/events.md). `top` and `tags`: the anchor event and
    the sentence's tags when the caller has them (`_apply_taggers`)."""
    if top is None:
        top = _tagger_anchor(sent_events)
    if tags is None:
        tags = tagger.tag(sentence_features(sent, top, table))
    tagged = spans(tags, sent.start)
    for ev, clause, noun, _, penalty in sent_events:
        for role, key in (("S", "actor"), ("T", "recipient")):
            cands = [(a, b) for r, a, b in tagged if r == role]
            if not cands:
                continue
            rule = _tok_set(doc, ev[key]["span"]) if ev[key] else set()
            pick = None
            if rule:
                over = [c for c in cands if rule & set(range(*c))]
                if over:
                    pick = max(over, key=lambda c: len(rule & set(range(*c))))
                elif ev is top and len(cands) == 1 and set(range(*cands[0])) & clause:
                    pick = cands[0]  # the tagger was anchored on this event: its span wins
            else:
                inside = [c for c in cands if set(range(*c)) & clause]
                if inside:
                    pick = inside[0]
                elif ev is top and len(cands) == 1:
                    pick = cands[0]  # no rule party: the anchored tagger's lone span
            if pick is None:
                continue
            other = "recipient" if key == "actor" else "actor"
            if ev[other] and _tok_set(doc, ev[other]["span"]) & set(range(*pick)):
                continue
            s0, s1 = doc[pick[0]].idx, doc[pick[1] - 1].idx + len(doc[pick[1] - 1].text)
            ev[key] = {"text": text[s0:s1], "span": _span(text, s0, s1)}
        ev["confidence"] = _confidence(ev["actor"], None, ev["recipient"], noun, ev["hypothetical"], probs,
                                       ev["quad_class"], penalty)


def extract_events(doc, text=None, timexes=(), quotes=(), classifier="default", tagger="default") -> list[dict]:
    """PLOVER/CAMEO events of a parsed Doc, JSON-ready (see docs/events.md for the record).

    `classifier` and `tagger` are the sentence classifier and the source/target tagger
    ("default": the shipped models; None: without)."""
    text = doc.text if text is None else text
    if tagger == "default":
        tagger = default_tagger()
    ents = [(e.start_char, e.end_char, e.label_, e.root.i) for e in doc.ents]
    if classifier == "default":
        classifier = default_classifier()
    timexes = [t for t in timexes if t.get("span")]
    quotes = [q for q in quotes if q.get("span")]
    events = []
    table = TokenTable(doc)  # the Doc's token attributes, read once (storyline/text/tokens.py)
    tok_idx, tok_text = table.idx, table.text
    pending = []  # (sentence, its events, its classifier probabilities) for the tagger
    for sent in doc.sents:
        cands = _candidates(sent, table)
        if not cands:
            continue
        s0, s1 = sent.start_char, sent.end_char
        sent_text = text[s0:s1]
        probs = classifier.probs([sent_text])[0] if classifier is not None else None
        used_heads = set()
        sent_events = []
        resolved = [(verb, trig, entry, noun, *_resolve(verb, trig, entry)) for verb, trig, entry, noun in cands]
        governing = {r[4].i for r in resolved if r[4] is not r[0]}
        for verb, trig, entry, noun, head, typ, mode, cameo, flags in resolved:
            if verb.i in governing:  # "refused" in "refused to withdraw": coded with its complement
                continue
            actor_h, passive_h = _subject(head if head is not verb and _child(verb, ("nsubj", "nsubjpass")) is None else verb)
            if actor_h is None and head is not verb:
                actor_h, passive_h = _subject(head)
            if actor_h is None and verb.dep_ in ("conj",):  # "X met Y and signed ..."
                actor_h, passive_h = _subject(verb.head)
            rec_h = passive_h
            if rec_h is None and noun is not None:
                rec_h = _recipient(noun) or _recipient(verb, objects=False)
            elif rec_h is None:
                rec_h = _recipient(verb)
            if rec_h is trig:
                rec_h = None
            key = (head.i, typ)
            if key in used_heads:
                continue
            hypothetical = _conditional(verb)
            conditional_main = _has_condition(head) and (flags["future"] or flags["intent"])
            # PLOVER coding of modality: intent/future/conditional cooperation is AGREE,
            # intent/future/conditional material conflict is THREATEN; refusal is REJECT.
            if flags["refused"] or (flags["negated"] and typ in L.COOPERATIVE and (flags["future"] or flags["intent"])):
                # refusals, and "will not accept / would not allow": REJECT (manual: all refusals)
                typ, mode, cameo = "REJECT", "", "12"
            elif flags.get("threat") or (_has_unless(head) and not flags["negated"]):
                # "will withdraw its force unless ...": a conditional demand backed by an act
                typ, mode, cameo = "THREATEN", mode if entry[0] in L.MATERIAL_CONFLICT else "", "13"
            elif (flags["intent"] or flags["future"] or conditional_main) and not flags["negated"]:
                if typ in L.COOPERATIVE and typ not in ("AGREE",):
                    typ, mode, cameo = "AGREE", "", "03"
                elif typ in L.MATERIAL_CONFLICT:
                    typ, mode, cameo = "THREATEN", "", "13"
            if conditional_main:
                hypothetical = True
            used_heads.add((head.i, typ))
            root, quad = L.TYPES[typ]
            actor = _party(text, actor_h)
            recipient = _party(text, rec_h)
            if actor and recipient and actor["span"]["start"] == recipient["span"]["start"]:
                recipient = None
            # the clause: tokens of the governing head without embedded clauses, plus the
            # trigger's own clause when it is embedded (xcomp chain)
            clause = _clause(head) | _clause(verb)
            taken = [(p["span"]["start"], p["span"]["end"]) for p in (actor, recipient) if p]
            location = None
            best = None
            for (es, ee, lab, ri) in ents:
                if lab not in ("GPE", "LOC", "FAC") or ri not in clause:
                    continue
                if any(es < b and a < ee for a, b in taken):
                    continue
                r = doc[ri]
                score = 2 if (r.dep_ == "pobj" and r.head.lower_ in _LOC_PREP) else 1
                if best is None or score > best[0]:
                    best = (score, es, ee)
            if best and (best[0] == 2 or actor is not None):
                location = {"text": text[best[1]:best[2]], "span": _span(text, best[1], best[2])}
            clause_chars = [(tok_idx[i], tok_idx[i] + len(tok_text[i])) for i in clause]
            date, date_precision, date_span = None, None, None
            tbest = None
            for tx in timexes:
                ts, te = tx["span"]["start"], tx["span"]["end"]
                if ts < s0 or te > s1:
                    continue
                d = 0 if any(a <= ts < b for a, b in clause_chars) else 1
                dist = (d, abs(ts - trig.idx))
                if tbest is None or dist < tbest[0]:
                    tbest = (dist, tx)
            if tbest is not None:
                date = tbest[1].get("value")
                date_precision = tbest[1].get("precision") or _precision(date)
                date_span = _span(text, tbest[1]["span"]["start"], tbest[1]["span"]["end"])
            source_quote = None
            for q in quotes:
                qs, qe = q["span"]["start"], q["span"]["end"]
                if qs <= trig.idx < qe:
                    source_quote = {"speaker": q.get("speaker"), "quote": q.get("id"),
                                    "span": _span(text, qs, qe)}
                    break
            if source_quote is None:
                sv = _reported_by(head)
                if sv is not None:
                    sp = _child(sv, ("nsubj",))
                    if sp is not None:
                        p = _party(text, sp)
                        source_quote = {"speaker": {"text": p["text"], "span": p["span"]}, "quote": None,
                                        "cue": _span(text, sv.idx, sv.idx + len(sv.text))}
            penalty = _embedded(verb, head)
            conf = _confidence(actor, actor_h, recipient, noun, hypothetical, probs, quad, penalty)
            t0 = trig.idx
            t1 = t0 + len(trig.text)
            events.append({
                "type": typ, "mode": mode or None, "action": flags["action"], "cameo": cameo,
                "quad_class": quad,
                "actor": None if actor is None else {"text": actor["text"], "span": actor["span"]},
                "recipient": None if recipient is None else {"text": recipient["text"], "span": recipient["span"]},
                "trigger": {"text": text[t0:t1], "span": _span(text, t0, t1)},
                "location": location, "date": date, "date_precision": date_precision, "date_span": date_span,
                "negated": bool(flags["negated"]), "hypothetical": bool(hypothetical),
                "future": bool(flags["future"] or flags["intent"]),
                "source_quote": source_quote, "confidence": round(conf, 3),
                "text": sent_text, "span": _span(text, s0, s1),
            })
            sent_events.append((events[-1], clause, noun, actor_h, penalty))
        if tagger is not None and sent_events:
            pending.append((sent, sent_events, probs))
    if pending:  # each sentence's tagger step changes only that sentence's events
        _apply_taggers(doc, text, pending, tagger, table)
    return events
