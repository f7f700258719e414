"""Roles and affiliations from titles and appositions.

"Defense Minister Hulusi Akar", "Taliban spokesman Zabihullah Mujahid" (a title before the
name) and "Suhail Shaheen, the Taliban spokesman in Doha", "Jake Sullivan, national
security adviser" (an apposition after it) give `{role, of}`. The role nouns are general
English news vocabulary for offices and functions (hand list, not taken from any story).
"""
from __future__ import annotations

from typing import Callable, Optional

from spacy.tokens import Doc, Span, Token

ROLE_NOUNS = {
    "president", "vice-president", "minister", "premier", "chancellor", "secretary",
    "secretary-general", "spokesman", "spokeswoman", "spokesperson", "envoy", "ambassador",
    "mediator", "negotiator", "leader", "chief", "head", "commander", "general", "colonel",
    "major", "captain", "lieutenant", "admiral", "governor", "mayor", "chairman",
    "chairwoman", "chair", "director", "adviser", "advisor", "official", "officer",
    "diplomat", "senator", "lawmaker", "legislator", "congressman", "congresswoman", "king",
    "queen", "prince", "princess", "emir", "sultan", "sheikh", "speaker", "deputy", "judge",
    "prosecutor", "attorney", "lawyer", "founder", "ceo", "executive", "coordinator",
    "commissioner", "inspector", "rapporteur", "administrator", "manager", "councillor",
    "councilor", "correspondent", "reporter", "editor", "journalist", "analyst", "mufti",
    "cleric", "imam", "bishop", "pope", "patriarch", "rabbi", "superintendent", "sheriff",
    "representative", "delegate", "member", "spokesmen", "activist",
}
# Heads that name the same function ("the spokeswoman" can refer back to a "spokesperson").
ROLE_EQUIV = {"spokeswoman": "spokesman", "spokesperson": "spokesman", "spokesmen": "spokesman",
              "advisor": "adviser", "chairwoman": "chairman", "chair": "chairman", "councilor": "councillor"}
# Words before a role that say whose it is without naming an entity.
GENERIC_OF = {"government", "rebel", "rebels", "army", "military", "opposition", "union",
              "police", "party", "state", "militia", "insurgent", "insurgents", "regime",
              "palace", "ministry", "defence", "city", "court", "company", "group"}
_STOP_LEFT = {"the", "a", "an", "and", "or", "by", "of", "to", "for", "with", "said", "told", "says"}
_OFFICE_NAME_LABELS = {"ORG", "GPE", "NORP"}


def role_head(word: str) -> Optional[str]:
    """The role a word names ("Spokeswoman" -> "spokesman", "officials" -> "official")."""
    w = word.lower()
    if w not in ROLE_NOUNS and w.endswith("s") and w[:-1] in ROLE_NOUNS:
        w = w[:-1]
    if w in ROLE_NOUNS:
        return ROLE_EQUIV.get(w, w)
    return None


def _ent_covering(doc: Doc, i: int) -> Optional[Span]:
    for e in doc.ents:
        if e.start <= i < e.end:
            return e
    return None


def _split(tokens: list[Token], canon: Callable[[str], str]) -> Optional[dict]:
    """A role and its owner from the words of a title: entity words and generic owners
    ("government") give `of`, the remaining words ending in a role noun give `role`."""
    if not tokens:
        return None
    last_role = max((k for k, t in enumerate(tokens) if role_head(t.text)), default=None)
    if last_role is None:
        return None
    tokens = tokens[:last_role + 1]
    of, words = None, []
    k = 0
    while k < len(tokens):
        t = tokens[k]
        ent = _ent_covering(t.doc, t.i) if t.ent_type_ in _OFFICE_NAME_LABELS else None
        if ent is not None and not role_head(t.text):
            of = canon(ent.text)
            k = max(k + 1, min(len(tokens), k + (ent.end - t.i)))
            continue
        if t.text in {"'s", "’s", "'"}:
            k += 1
            continue
        if t.lower_ in GENERIC_OF and k < last_role and of is None and not words:
            of = t.lower_
        elif t.is_upper and len(t.text) >= 2 and t.is_alpha and k < last_role and of is None:
            of = t.text  # an acronym the model did not tag: "SLF officials"
        else:
            words.append(t.text)
        k += 1
    role = " ".join(words).lower().strip(" ,")
    if not role or not role_head(role.split()[-1]):
        return None
    last = role.split()[-1]
    if last not in ROLE_NOUNS:  # a plural: "one of several officials" -> official
        role = role[: len(role) - len(last)] + last[:-1]
    return {"role": role, "of": of}


def title_before(span: Span, canon: Callable[[str], str]) -> Optional[dict]:
    """ "Interior Minister Dalia Ferren", "Turkey's defense minister Hulusi Akar"."""
    doc = span.doc
    i = span.start - 1
    toks: list[Token] = []
    while i >= 0 and len(toks) < 7:
        t = doc[i]
        if t.is_punct and t.text not in {"'s", "’s"} or t.lower_ in _STOP_LEFT or t.is_space:
            break
        if t.ent_type_ == "PERSON" or t.pos_ in {"VERB", "AUX", "ADP", "DET", "PRON", "NUM", "CCONJ", "SCONJ"}:
            if not (t.text in {"'s", "’s"} or role_head(t.text)):
                break
        toks.insert(0, t)
        i -= 1
    if not toks or not role_head(toks[-1].text):
        return None  # the word right before the name must be the office
    return _split(toks, canon)


def apposition_after(span: Span, canon: Callable[[str], str]) -> Optional[dict]:
    """ "Suhail Shaheen, the Taliban spokesman in Doha", "Jake Sullivan, national security
    adviser", "Kaspar Lind, the head of the authority"."""
    doc = span.doc
    i = span.end
    if i >= len(doc) or doc[i].text != ",":
        return None
    i += 1
    spoke = _spoke_for(doc, i, canon)
    if spoke:
        return spoke
    one_of = False
    # "one of several SLF officials", "one of the group's negotiators"
    if i + 1 < len(doc) and doc[i].lower_ == "one" and doc[i + 1].lower_ == "of":
        one_of = True
        i += 2
        if i < len(doc) and doc[i].lower_ in {"several", "many", "two", "three", "its", "their"}:
            i += 1
    if i < len(doc) and doc[i].lower_ in {"the", "a", "an"}:
        i += 1
    toks: list[Token] = []
    while i < len(doc) and len(toks) < 8:
        t = doc[i]
        if t.is_punct and t.text not in {"'s", "’s", "-"} or t.pos_ in {"VERB", "AUX", "ADP", "PRON", "SCONJ", "CCONJ", "DET"} \
                and not role_head(t.text) and t.text not in {"'s", "’s"}:
            break
        toks.append(t)
        i += 1
    if not toks or not role_head(toks[-1].text):
        return None
    if toks[-1].tag_ in {"NNS", "NNPS"} and not one_of:
        return None  # "Lower Mill, officials said": a plural is a new clause's subject
    if i < len(doc) and doc[i].pos_ in {"VERB", "AUX"}:
        return None
    found = _split(toks, canon)
    if found is None:
        return None
    # "the head of the authority", "a special envoy of the Halden Accord group"
    if found["of"] is None and i < len(doc) and doc[i].lower_ in {"of", "for", "at", "to"}:
        j, owner = i + 1, []
        while j < len(doc) and len(owner) < 8 and not (doc[j].is_punct or doc[j].pos_ in {"VERB", "AUX", "SCONJ", "PRON"}):
            owner.append(doc[j])
            j += 1
        ents = [e for e in doc.ents if i < e.start < j and e.label_ in _OFFICE_NAME_LABELS]
        if ents:
            found["of"] = canon(ents[0].text)
        elif owner:
            found["of"] = " ".join(t.text for t in owner if t.lower_ not in {"the", "a", "an"}) or None
    return found


def _spoke_for(doc: Doc, i: int, canon: Callable[[str], str]) -> Optional[dict]:
    """ "X, who spoke for the SLF's delegation": a spokesman of the SLF."""
    words = [t.lower_ for t in doc[i:i + 4]]
    if len(words) < 3 or words[0] != "who" or words[1] not in {"spoke", "speaks"} and words[1:3] != ["has", "spoken"]:
        return None
    j = i + (3 if words[1] == "has" else 2)
    if j >= len(doc) or doc[j].lower_ != "for":
        return None
    end = j + 1
    while end < len(doc) and end < j + 8 and not doc[end].is_punct and doc[end].pos_ not in {"VERB", "AUX", "SCONJ", "ADP"}:
        if doc[end].text in {"'s", "’s"}:
            break  # "the SLF's delegation": the owner is the SLF
        end += 1
    ents = [e for e in doc.ents if j < e.start and e.end <= end and e.label_ in _OFFICE_NAME_LABELS]
    span = doc[j + 1:end]
    if span and span[0].lower_ in {"the", "a", "an"}:
        span = span[1:]
    owner = canon(ents[0].text) if ents else span.text
    return {"role": "spokesman", "of": owner or None}


def roles_for(span: Span, canon: Callable[[str], str]) -> list[dict]:
    out = []
    for fn in (title_before, apposition_after):
        r = fn(span, canon)
        if r and r not in out:
            out.append(r)
    return out



def role_of_description(tokens: list[Token], canon: Callable[[str], str]) -> Optional[dict]:
    """The role a definite description names, as a title would give it: "the rebel
    spokesman" -> spokesman of rebel; "the Taliban spokesman" -> spokesman of Taliban."""
    return _split(tokens, canon)
