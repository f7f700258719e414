"""Who a source span names: itself, or (for a pronoun or a description such as "the
spokesman") the nearest compatible named entity earlier in the article.

Compatibility: he/she/I and person descriptions ("the spokesman", "the senator") take a
PERSON; it/its and organisation descriptions ("the ministry", "the group") take an ORG (or
GPE/NORP); they/we take either. A short name ("Mujahid") takes the fullest earlier form of
the same person ("Zabihullah Mujahid").
"""
from __future__ import annotations

from spacy.tokens import Doc, Span

from ..actors.names import drop_possessive
from ..actors.roles import role_head

PERSON_PRONOUNS = {"he", "she", "him", "her", "i", "me"}
GROUP_PRONOUNS = {"they", "them", "we", "us"}
THING_PRONOUNS = {"it"}
ORG_LABELS = ("ORG", "GPE", "NORP")
# Descriptions that name a government: "the ministry said" after "Dornland's government said".
GOVERNMENT_NOUNS = {"government", "ministry", "administration", "cabinet"}
# Heads of descriptions that refer to an organisation rather than a person.
ORG_NOUNS = {
    "ministry", "department", "group", "office", "agency", "government", "organization",
    "organisation", "movement", "party", "campaign", "committee", "council", "statement",
    "release", "company", "firm", "police", "military", "army", "embassy", "administration",
    "board", "commission", "court", "observatory", "monitor", "network", "outlet", "newspaper",
    "service", "authority", "bureau", "front", "union",
    "paper", "alliance", "coalition", "foundation", "institute", "center", "centre",
}


def _entity_in(doc: Doc, ents: tuple, start: int, end: int) -> Span | None:
    """The named entity a source span is about: the one holding the span's head word
    ("Taliban spokesman Zabihullah Mujahid"), else an organisation named inside it ("a press
    release issued by the Taliban"); not a nationality ("Russian media")."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    inside = [e for e in ents if e.start_char >= start and e.end_char <= end]
    root = span.root
    for ent in inside:
        if ent.start <= root.i < ent.end and ent.label_ in ("PERSON",) + ORG_LABELS:
            return ent
    orgs = [e for e in inside if e.label_ == "ORG"]
    return orgs[0] if orgs else None


def _bare(name: str) -> str:
    """An entity's name without a leading article ("The Kessara Monitor" -> "Kessara Monitor")."""
    return name[4:] if name[:4] in ("The ", "the ") and len(name) > 4 else name


def _split_first(doc: Doc, ent: Span) -> str | None:
    """"The spokesman of the movement Kasim. Darrel said …": a garbled translation puts a
    full stop inside a name. A one-word name opening a sentence, right after a capitalised
    word that ends a verbless "sentence", is that word's surname ("Kasim Darrel"); a real
    sentence has a verb."""
    if len(ent) != 1 or ent.start < 2 or doc[ent.start - 1].text != "." or "\n" in doc[ent.start - 1].whitespace_ \
            or not (ent[0].is_alpha and ent[0].text[:1].isupper() and ent[0].pos_ == "PROPN"):
        return None
    first = doc[ent.start - 2]
    if not (first.is_alpha and first.text[:1].isupper() and first.text[1:].islower() and first.pos_ == "PROPN"):
        return None
    prev = first.sent
    if prev.start == ent.sent.start or any(t.pos_ in ("VERB", "AUX") for t in prev):
        return None
    return f"{first.text} {ent.text}"


def _fullest(doc: Doc, ents: tuple, ent: Span) -> str:
    """The longest earlier PERSON mention ending with this one's last word (also a name
    split by a false sentence break, `_split_first`)."""
    split = _split_first(doc, ent)
    if split is not None:
        return split
    if ent.label_ != "PERSON":
        return _bare(ent.text)
    last = ent.text.split()[-1]
    best = ent.text
    for other in ents:
        if other.start_char >= ent.end_char:
            break
        if other.label_ == "PERSON" and other.text.split()[-1] == last and len(other.text) > len(best):
            best = other.text
    return best


def _nearest_before(doc: Doc, ents: tuple, pos: int, labels: tuple[str, ...]) -> Span | None:
    best = None
    for ent in ents:
        if ent.start_char >= pos:
            break
        if ent.label_ in labels:
            best = ent
    return best


def _nearest_named(doc: Doc, ents: tuple, pos: int, labels: tuple[str, ...], noun: str) -> Span | None:
    best = None
    for ent in ents:
        if ent.start_char >= pos:
            break
        if ent.label_ in labels and noun in ent.text.lower().split():
            best = ent
    return best


def _nearest_owner(doc: Doc, ents: tuple, pos: int, noun: str) -> str | None:
    """"the campaign" after "the Clinton campaign", "the ministry" after "Dornland's
    government": the nearest earlier phrase of a name and this noun (for a government noun,
    any of them: the ministry of a country whose government was named), named by the
    phrase ("Clinton campaign") or, for a government, the country."""
    nouns = GOVERNMENT_NOUNS if noun in GOVERNMENT_NOUNS else {noun}
    by_end = {e.end: e for e in ents if e.end_char <= pos and e.label_ in ("PERSON",) + ORG_LABELS}
    best = None
    for e_end, ent in by_end.items():
        i = e_end + (1 if e_end < len(doc) and doc[e_end].text in ("'s", "’s") else 0)
        if i < len(doc) and doc[i].idx < pos and doc[i].lower_ in nouns and doc[i].pos_ == "NOUN":
            if best is None or ent.start > best[0].start:
                best = (ent, doc[i])
    if best is None:
        return None
    ent, tok = best
    name = drop_possessive(_bare(ent.text))
    if tok.lower_ == "government" and ent.label_ in ("GPE", "ORG"):
        return name  # the country speaks through its government
    return f"{name} {tok.text}"


def _unique_full(ents: tuple, ent: Span) -> str | None:
    """A titled name as written ("Kasim Darrel"), a bare surname ("Senator Cruz") by the
    one full name the article gives it, or as written when it gives none; None when two
    people share the surname."""
    if len(ent) > 1:
        return ent.text
    full = {e.text for e in ents if e.label_ == "PERSON" and len(e) > 1 and e[-1].text == ent.text}
    if len(full) > 1:
        return None
    return full.pop() if full else ent.text


def _titled(doc: Doc, ents: tuple, head, pos: int) -> str | None:
    """"the spokesman of the movement said …" (a definite description, not "his lawyer", whose
    role is the possessor's) in an article that names "Harun Movement
    spokesman Kasim Darrel" or "the spokesman of the movement Kasim Darrel": the person
    the article introduces with that role (a name right after the role noun, or after its
    "of" phrase of common nouns); nobody when the article gives the role to two people."""
    want = role_head(head.text)
    person_at = {e.start: e for e in ents if e.label_ == "PERSON"}
    names = set()
    for tok in doc:
        if tok.i == head.i or tok.pos_ not in ("NOUN", "PROPN") or role_head(tok.text) != want:
            continue
        j = tok.i + 1
        if j < len(doc) and doc[j].lower_ in ("of", "for"):
            j += 1
            while j < len(doc) and j <= tok.i + 5 and doc[j].pos_ in ("DET", "NOUN", "ADJ") and doc[j].text[:1].islower():
                j += 1
        if j >= len(doc) or doc[j].sent.start != tok.sent.start:
            continue
        if j in person_at:
            name = _unique_full(ents, person_at[j])
            if name is None:
                return None
            names.add(name)
        elif doc[j].pos_ == "PROPN" and j + 1 < len(doc):  # "… movement Kasim. Darrel"
            split = _split_first(doc, doc[j + 2:j + 3]) if j + 2 < len(doc) and doc[j + 1].text == "." else None
            if split is not None:
                names.add(split)
    return names.pop() if len(names) == 1 else None


def resolve(doc: Doc, start: int, end: int, text: str | None = None, ents: tuple | None = None) -> dict:
    """{name, resolved, label} for the source span text[start:end]; `text` and `ents` are
    doc.text and doc.ents when the caller has read them already."""
    text = doc.text if text is None else text
    ents = tuple(doc.ents) if ents is None else ents
    span = doc.char_span(start, end, alignment_mode="expand")
    ent = _entity_in(doc, ents, start, end)
    if ent is not None:
        return {"name": _fullest(doc, ents, ent), "resolved": False, "label": ent.label_}
    split = _split_first(doc, span) if span is not None and len(span) == 1 else None
    if split is not None:  # "… Mara. Holt told": a name the model left untyped
        return {"name": split, "resolved": False, "label": "PERSON"}
    words = [t for t in span] if span is not None else []
    head = span.root if span is not None and len(span) else None
    low = head.lower_ if head is not None else text[start:end].lower()
    if head is not None and head.tag_ in ("WP", "WDT") and head.head.dep_ == "relcl":
        noun = head.head.head
        ent = _entity_in(doc, ents, noun.left_edge.idx, noun.idx + len(noun))
        if ent is None:  # "advocates, who say …": the antecedent's words, not "who"
            ante = antecedent(head)
            name = text[ante.start_char:ante.end_char] if ante is not None else text[start:end]
            return {"name": name, "resolved": False, "label": None}
        return {"name": _fullest(doc, ents, ent), "resolved": True, "label": ent.label_}
    elif head is not None and head.pos_ == "PRON":
        labels: tuple[str, ...]
        if low in PERSON_PRONOUNS:
            labels = ("PERSON",)
        elif low in THING_PRONOUNS:
            labels = ORG_LABELS
        elif low in GROUP_PRONOUNS:
            labels = ("PERSON",) + ORG_LABELS
        else:
            return {"name": text[start:end], "resolved": False, "label": None}
    elif words and words[0].lower_ in ("the", "this", "that", "its", "his", "her", "their") \
            and not any(t.pos_ == "PROPN" and t.text[:1].isupper() for t in words):
        # (the small model tags a lower-case "minister" PROPN after curly quotes: only a
        # capitalised word makes the phrase a name)
        if low in ORG_NOUNS:  # "the ministry": the nearest earlier organisation named so
            ref = _nearest_named(doc, ents, start, ORG_LABELS, low)
            if ref is not None:
                return {"name": _bare(ref.text), "resolved": True, "label": ref.label_}
            owner = _nearest_owner(doc, ents, start, low)
            if owner is not None:
                return {"name": owner, "resolved": True, "label": "ORG"}
            return {"name": text[start:end], "resolved": False, "label": None}
        titled = _titled(doc, ents, head, start) \
            if head is not None and words[0].lower_ == "the" and role_head(head.text) and head.tag_ == "NN" else None
        if titled is not None:
            return {"name": titled, "resolved": True, "label": "PERSON"}
        labels = ("PERSON",)
    else:
        return {"name": text[start:end], "resolved": False, "label": None}
    ref = _nearest_before(doc, ents, start, labels)
    if ref is None:
        return {"name": text[start:end], "resolved": False, "label": None}
    return {"name": _fullest(doc, ents, ref), "resolved": True, "label": ref.label_}


RELATIVE_PRONOUNS = {"who", "whom", "whose", "which", "that"}
NAME_LABELS = ("PERSON",) + ORG_LABELS + ("FAC",)


def antecedent(rel) -> Span | None:
    """The noun phrase a relative pronoun stands for ("the ministry, which said" -> "the
    ministry"), without the relative clause; None when the parse gives none."""
    clause = rel.head
    if clause.dep_ != "relcl":
        return None
    noun = clause.head
    end = min(noun.i + 1, clause.left_edge.i)
    while end > noun.left_edge.i and rel.doc[end - 1].is_punct:
        end -= 1
    return rel.doc[noun.left_edge.i:end] if end > noun.left_edge.i else None


def speaker_kind(doc: Doc, start: int, end: int, resolved: bool = False) -> str:
    """What a source span is, read on the parse: `relative` ("who", "which", "that"),
    `pronoun` (an unresolved he/she/they/it), `noun` (a plain common noun phrase with no
    name in it: "warnings", "the villagers", "officials"), or `name` (a named actor, or a
    pronoun/description resolved to one). Issue 10 counts the first three as junk."""
    if resolved:
        return "name"
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return "noun"
    root = span.root
    if root.tag_ in ("WDT", "WP", "WP$") or len(span) == 1 and root.lower_ in RELATIVE_PRONOUNS:
        ante = antecedent(root)
        if ante is None or any(t.tag_ in ("WDT", "WP") for t in ante):
            return "relative"
        span, root = ante, ante.root  # the speaker shown is the antecedent
    if root.pos_ == "PRON":
        return "pronoun"
    if any(t.ent_type_ in NAME_LABELS or t.pos_ == "PROPN" and t.text[:1].isupper() for t in span):
        return "name"
    return "noun"
