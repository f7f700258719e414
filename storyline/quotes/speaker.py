"""Who a source span names: itself, or (for a pronoun or a description such as "the
spokesman") the nearest compatible named entity earlier in the article.

Compatibility: he/she/I and person descriptions ("the spokesman", "the senator") take a
PERSON; it/its and organisation descriptions ("the ministry", "the group") take an ORG (or
GPE/NORP); they/we take either. A short name ("Mujahid") takes the fullest earlier form of
the same person ("Zabihullah Mujahid").
"""
from __future__ import annotations

from spacy.tokens import Doc, Span

PERSON_PRONOUNS = {"he", "she", "him", "her", "i", "me"}
GROUP_PRONOUNS = {"they", "them", "we", "us"}
THING_PRONOUNS = {"it"}
ORG_LABELS = ("ORG", "GPE", "NORP")
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


def _fullest(doc: Doc, ents: tuple, ent: Span) -> str:
    """The longest earlier PERSON mention ending with this one's last word."""
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


def resolve(doc: Doc, start: int, end: int, text: str | None = None, ents: tuple | None = None) -> dict:
    """{name, resolved, label} for the source span text[start:end]; `text` and `ents` are
    doc.text and doc.ents when the caller has read them already."""
    text = doc.text if text is None else text
    ents = tuple(doc.ents) if ents is None else ents
    span = doc.char_span(start, end, alignment_mode="expand")
    ent = _entity_in(doc, ents, start, end)
    if ent is not None:
        return {"name": _fullest(doc, ents, ent), "resolved": False, "label": ent.label_}
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
            if ref is None:
                return {"name": text[start:end], "resolved": False, "label": None}
            return {"name": _bare(ref.text), "resolved": True, "label": ref.label_}
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
