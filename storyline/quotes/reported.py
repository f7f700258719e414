"""Reported speech on the dependency parse: the source (subject) of a cue verb, its content
(complement, parenthetical, clause before the comma, object), the cue's own words, and
"according to X"."""
from __future__ import annotations

from spacy.tokens import Doc, Token

from .cues import ADDRESSEE_VERBS, CUE_LEMMAS
from .spans import subtree_chars, tokens_span

# Verbs whose bare object is the thing put out, not words said ("police released video",
# "the ministry issued warnings"): no object content (PolNeAR dev tune half:
# 11 of 11 such attributions were not gold cues; validation agreed: precision up on source,
# cue and content; adding read/show/publish/post cost validation source recall, docs/quotes.md).
ARTEFACT_VERBS = {"release", "issue"}
QUOTE_CHARS = {'"', "“", "”", "''", "``"}
SUBJECTS = ("nsubj", "nsubjpass", "csubj")
# Dependents right before the cue verb that belong to the cue span. Calibrated on PolNeAR dev
# (cue exact F1): none 0.570, aux+neg 0.625, +auxpass 0.629, +advmod 0.667 (kept).
CUE_LEFT = ("aux", "auxpass", "neg", "advmod")
# Clauses cut off the end of a content when set off by a comma. Swept on PolNeAR dev (content
# exact F1): none 0.528, relcl 0.530, relcl+acl 0.531, acl+advcl 0.529, all three 0.531.
TRAILING = ("relcl", "acl", "advcl")
# Nouns of the channel a statement went out on: "denied it in a statement", "said on Twitter".
MEDIUM = {"statement", "interview", "tweet", "post", "letter", "email", "release", "briefing",
          "conference", "speech", "television", "radio", "twitter", "facebook", "rally", "call"}
STANCE_PRONOUNS = {"he", "she", "they", "we", "i"}
# Raising cues: "X is expected to …", "X seems to …" report X's prospect, not X's words.
RAISING = {"seem", "appear", "expect", "likely"}
OBJECT_PREPS = ("for", "on", "about", "to")
# Verbs whose to-infinitive is an act offered, not words ("offered to send engineers").
OFFER_VERBS = {"offer"}
# Verbs of conversation: "to X" is who they talked to, "about / on / over X" the topic.
TALK_VERBS = {"talk", "speak"}
TOPIC_PREPS = ("about", "on", "over", "of")
PHRASAL_CUES = {"call", "point", "refer", "speak", "respond", "reply", "allude"}
COMPLEMENTS = ("ccomp", "xcomp")
# Dependents of a cue verb that carry on its subject ("…, adding that …", "went on to say").
INHERITS_SUBJECT = ("advcl", "xcomp", "conj", "pcomp")


def _dateline_word(tok: Token) -> bool:
    """"KABUL -", "BRANNOCK (Coastline Radio News) —": a place name opening a dateline."""
    nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
    return tok.is_upper and len(tok) > 1 and nxt is not None and nxt.text in ("-", "—", "–", "--", "(")


def subject_of(verb: Token, depth: int = 0) -> Token | None:
    for child in verb.children:
        if child.dep_ == "agent":
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    return pobj
    subjects = [c for c in verb.children if c.dep_ in SUBJECTS and not _dateline_word(c)]
    if subjects:  # the one nearest the verb ("KABUL - “…” said Mujahid": not KABUL)
        return min(subjects, key=lambda c: abs(c.i - verb.i))
    head = verb.head
    if head.lower_ == "as" and head.head.lemma_ == "quote":  # "media quoted X as saying"
        return next((c for c in head.head.children if c.dep_ == "dobj"), None)
    if depth < 3 and verb.dep_ in INHERITS_SUBJECT and head is not verb:
        return subject_of(head, depth + 1)
    return None


def complement(verb: Token, text: str, cue_lemmas=CUE_LEMMAS) -> tuple[int, int] | None:
    comps = [c for c in verb.children if c.dep_ in COMPLEMENTS and not _across_paragraph(verb, c, text)]
    if not comps:
        return None
    if min(c.left_edge.i for c in comps) < verb.i < max(c.right_edge.i for c in comps):
        comps = [c for c in comps if (c.i < verb.i) == (comps[0].i < verb.i)]  # keep one side
    first = min(c.left_edge.i for c in comps)
    last = max(c.right_edge.i for c in comps)
    for c in comps:  # "said it was opposed and warned X to …": "warned" is its own cue
        for conj in c.children:
            if conj.dep_ == "conj" and conj.pos_ == "VERB" and conj.lemma_.lower() in cue_lemmas \
                    and not any(g.dep_ in SUBJECTS for g in conj.children):
                cut = conj.left_edge.i - 1
                while cut > c.i and verb.doc[cut].dep_ in ("cc", "punct"):
                    cut -= 1
                last = min(last, cut)
    return tokens_span(verb.doc, first, _cut_trailing_clause(verb.doc, first, last))


def _across_paragraph(verb: Token, comp: Token, text: str) -> bool:
    """The parser sometimes hangs the previous paragraph's clause on this paragraph's verb
    ("“Our teams …”\n\nFerren said the government …"); reported speech does not cross a
    paragraph break between its cue and its content."""
    if comp.i < verb.i:
        between = text[comp.right_edge.idx:verb.idx]
    else:
        between = text[verb.idx:comp.left_edge.idx]
    return "\n" in between


def _cut_trailing_clause(doc: Doc, first: int, last: int) -> int:
    """End the content before a trailing ", which …" / ", known as …" / ", citing …" clause:
    the writer's aside, not the reported words."""
    for t in doc[first:last + 1]:
        if t.dep_ in TRAILING and t.left_edge.i > first and doc[t.left_edge.i - 1].text == "," \
                and t.right_edge.i >= last - 1:
            return t.left_edge.i - 2
    return last


def parataxis(verb: Token) -> tuple[int, int] | None:
    """", he said," inside or after the main clause: the content is the rest of the head
    (the hull of both sides when the cue sits inside it: "Acts of protest, Mr. Obama said,
    are acts of patriotism")."""
    if verb.dep_ != "parataxis":
        return None
    head = verb.head
    left, right = head.left_edge.i, head.right_edge.i
    if verb.left_edge.i > left:
        if verb.right_edge.i < right - 1 and any(t.is_alpha for t in verb.doc[verb.right_edge.i + 1:right + 1]):
            return tokens_span(verb.doc, left, right)
        return tokens_span(verb.doc, left, verb.left_edge.i - 1)
    if verb.right_edge.i < right:
        return tokens_span(verb.doc, verb.right_edge.i + 1, right)
    return None


def clause_before_comma(verb: Token, source: Token | None) -> tuple[int, int] | None:
    """"If the foreign forces want …, be it Turkey …, Mujahid told VOA." when the parse gave
    no complement: the sentence up to the comma that opens the attributing clause."""
    doc, sent = verb.doc, verb.sent
    lo = min([verb.i] + ([source.left_edge.i] if source is not None else []))
    if lo - 1 <= sent.start or doc[lo - 1].text not in (",", "—"):
        return None
    if any(t.is_alpha for t in doc[verb.i + 1:sent.end] if t.dep_ not in ("dobj", "dative", "prep", "pobj", "npadvmod", "compound", "det", "amod", "advmod")):
        return None
    return tokens_span(doc, sent.start, lo - 2)


def continued_start(sent) -> int:
    """The first token of an unmarked quote that a garbled text breaks into "sentences" that
    start in lower case ("… as occupiers. and we will answer them …, Doresh told VOA."): the
    parser's sentence start moved back over such breaks, within the paragraph, never into a
    sentence that has a cue or a quote mark of its own."""
    doc, start = sent.doc, sent.start
    while start > 0 and doc[start].is_alpha and doc[start].text[:1].islower():
        prev = doc[start - 1].sent
        words = doc[prev.start:start]
        if "\n" in words.text_with_ws or any(t.text in QUOTE_CHARS for t in words) \
                or any(t.pos_ == "VERB" and t.lemma_.lower() in CUE_LEMMAS and t.dep_ == "ROOT" for t in words):
            break
        start = prev.start
    return start


def object_content(verb: Token) -> tuple[int, int] | None:
    """What was criticised / called for / announced: the direct object, or the object of
    the verb's first preposition ("called for X")."""
    if verb.lemma_.lower() in ADDRESSEE_VERBS | ARTEFACT_VERBS:
        return None
    for child in verb.children:
        if child.dep_ == "dobj" and child.i > verb.i:
            last = child.right_edge.i  # "invited X to the stage": the object and what follows
            for more in verb.children:
                if more.i > child.i and more.dep_ in ("prep", "xcomp", "oprd") \
                        and not any(t.ent_type_ in ("DATE", "TIME") or t.lemma_.lower() in MEDIUM
                                    for t in more.subtree):
                    last = max(last, more.right_edge.i)
            return tokens_span(verb.doc, child.left_edge.i, _cut_trailing_clause(verb.doc, child.i, last))
    for child in verb.children:
        if child.dep_ == "prep" and child.i == verb.i + 1 and child.lower_ in OBJECT_PREPS:
            pobj = next((c for c in child.children if c.dep_ in ("pobj", "pcomp")), None)
            if pobj is not None and child.lower_ == "to" and verb.lemma_.lower() in TALK_VERBS:
                return talk_topic(verb, child)
            if pobj is not None:
                return subtree_chars(pobj)
    return None


def talk_topic(verb: Token, to: Token) -> tuple[int, int] | None:
    """"talking to Aldoria about sharing the task": the one talked to is the addressee, not
    what was said; with a topic ("about …", "on …") the content runs from "to" through the
    topic, as PolNeAR annotates it; without one there is no content (PolNeAR train: "talk /
    speak to X" headed 7 of 112 gold cues, "… to X about" 3 of 8)."""
    topics = [p for p in list(verb.children) + list(to.children) + [t for c in to.children for t in c.children]
              if p.dep_ == "prep" and p.i > to.i and p.lower_ in TOPIC_PREPS
              and not any(t.ent_type_ in ("DATE", "TIME") for t in p.subtree)]  # not "on Monday"
    if not topics:
        return None
    return tokens_span(verb.doc, to.i, max(p.right_edge.i for p in topics))


def not_said(verb: Token) -> bool:
    """Cue verbs in frames that report no words:
    - "without agreeing on …", "without saying …": the act did not happen (PolNeAR train:
      0 of 10 cue gerunds after "without" head a gold cue; dev 0 of 1);
    - "offered to send engineers": an offer to act, not speech (PolNeAR train: "offer(ed)
      to" + verb heads a gold cue 3 times in 16, under the lexicon's 0.2 cue rate);
    - "let's say you think …", "let's focus on …": the writer's suggestion (PolNeAR train:
      3 gold cues in 60 "let's" + verb)."""
    if verb.tag_ == "VBG" and verb.dep_ == "pcomp" and verb.head.lower_ == "without":
        return True
    if verb.head.lemma_.lower() == "let" and verb.head is not verb \
            and any(c.dep_ == "nsubj" and c.lower_ in ("'s", "’s", "us") for c in verb.children):
        return True
    if verb.lemma_.lower() in OFFER_VERBS and not any(c.dep_ in ("ccomp", "dobj") for c in verb.children):
        return any(c.dep_ == "xcomp" and c.i > verb.i and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)
                   for c in verb.children)
    return False


def cue_chars(verb: Token) -> tuple[int, int]:
    """The verb with its auxiliaries and adverbs right before it ("has also said") and its
    particle or object preposition right after ("pointed out", "called for")."""
    doc = verb.doc
    first = verb.i
    while first > 0 and doc[first - 1].head == verb and doc[first - 1].dep_ in CUE_LEFT:
        first -= 1
    last = verb.i
    if last + 1 < len(doc) and doc[last + 1].head == verb and (
            doc[last + 1].dep_ == "prt" or doc[last + 1].dep_ == "prep" and doc[last + 1].lower_ in OBJECT_PREPS
            and verb.lemma_.lower() in PHRASAL_CUES):
        last += 1
    return tokens_span(doc, first, last)


def according_to(tok: Token):
    """("according to", X) -> (cue chars, source token, content chars)."""
    doc = tok.doc
    if tok.lower_ != "according" or tok.i + 1 >= len(doc) or doc[tok.i + 1].lower_ != "to":
        return None
    to = doc[tok.i + 1]
    pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
    sent = tok.sent
    phrase_first = tok.i
    phrase_last = pobj.right_edge.i if pobj is not None else to.i
    if phrase_first > sent.start + 1:
        content = tokens_span(doc, sent.start, phrase_first - 1)
    elif phrase_last + 1 < sent.end:
        content = tokens_span(doc, phrase_last + 1, sent.end - 1)
    else:
        return None
    return tokens_span(doc, tok.i, to.i), pobj, content


def clausal_stance(verb: Token) -> bool:
    """A verb outside the lexicon that still reports a stance: a person, organisation or
    pronoun subject and a finite "that"-clause ("Clinton knows that …")."""
    if verb.pos_ != "VERB":
        return False
    subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subj is None or not (subj.ent_type_ in ("PERSON", "ORG", "NORP", "GPE") or subj.lower_ in STANCE_PRONOUNS):
        return False
    return any(c.dep_ == "ccomp" and c.i > verb.i and any(g.dep_ == "mark" and g.lower_ == "that" for g in c.children)
               for c in verb.children)
