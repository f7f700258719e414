"""An entity ruler over the model's NER: fixes what the small English model gets wrong in
news copy, without re-parsing.

In order, each step seeing the result of the one before:
1. drop garbled "names" that have no capital letter at all;
2. gazetteer matches (countries, capitals, demonyms, IGOs, outlets, seats of government)
   take their label from the gazetteer ("Meridian Wire" is not a PERSON, "Reuters" an ORG);
3. datelines ("KABUL (Reuters) -", "TARROW –" at the start of a line) are places;
4. "the town of Osk" makes Osk a place;
5. facilities: "Kabul airport", "Hamid Karzai International Airport", "Fennick Bridge";
6. people: a name with a title before it or a role apposition after it is a PERSON, and
   every other mention of a person's surname or full name in the article is that PERSON
   too ("Quillan" tagged ORG after "Marta Quillan").
"""
from __future__ import annotations

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from ..ingest.outlets import is_outlet
from ..text.datelines import DATELINE_PLACE
from .gazetteer import Hit, load
from .names import drop_possessive
from .roles import apposition_after, role_head, title_before

KIND_LABEL = {"country": "GPE", "capital": "GPE", "demonym": "NORP", "igo": "ORG", "group": "ORG",
              "outlet": "ORG", "seat": "ORG"}
NAME_LABELS = {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP"}
FAC_HEADS = {"airport", "airfield", "airbase", "bridge", "dam", "hospital", "station", "stadium",
             "palace", "prison", "embassy", "consulate", "square", "terminal", "mosque", "church",
             "cathedral", "temple", "barracks"}
PLACE_NOUNS = {"town", "city", "village", "province", "district", "region", "capital", "port",
               "county", "state", "island", "valley", "municipality", "suburb", "neighbourhood",
               "neighborhood"}
class Ents:
    """The working set of entity spans, non-overlapping, with per-span metadata."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self.spans: dict[tuple[int, int], tuple[str, dict]] = {}
        for e in doc.ents:
            self.spans[(e.start, e.end)] = (e.label_, {"source": "model"})

    def overlapping(self, start: int, end: int) -> list[tuple[int, int]]:
        return [k for k in self.spans if k[0] < end and start < k[1]]

    def put(self, start: int, end: int, label: str, meta: dict) -> None:
        for k in self.overlapping(start, end):
            del self.spans[k]
        self.spans[(start, end)] = (label, meta)

    def items(self):
        for (s, e), (label, meta) in sorted(self.spans.items()):
            yield s, e, label, meta


class EntityFixer:
    def __init__(self, nlp: Language):
        self.gaz = load()
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.matcher.add("GAZ", list(nlp.tokenizer.pipe(self.gaz.patterns())))

    def __call__(self, doc: Doc) -> list[tuple[Span, dict]]:
        ents = Ents(doc)
        self._drop_garbled(ents)
        self._gazetteer(doc, ents)
        self._datelines(doc, ents, doc.text)
        self._place_of(doc, ents)
        self._facilities(doc, ents)
        self._people(doc, ents)
        self._outlets(doc, ents)
        self._consistent(doc, ents)
        out = []
        for s, e, label, meta in ents.items():
            out.append((Span(doc, s, e, label=label), meta))
        doc.ents = [sp for sp, _ in out]
        return [(sp, meta) for sp, meta in out if sp.label_ in NAME_LABELS or meta.get("source") != "model"]

    # --- steps ------------------------------------------------------------------
    @staticmethod
    def _drop_garbled(ents: Ents) -> None:
        for (s, e), (label, _meta) in list(ents.spans.items()):
            if label in NAME_LABELS and not any(c.isupper() for c in ents.doc[s:e].text):
                del ents.spans[(s, e)]

    def _gazetteer(self, doc: Doc, ents: Ents) -> None:
        # the longest match wins where matches overlap (spaCy's filter_spans)
        for sp in filter_spans(self.matcher(doc, as_spans=True)):
            s, e = sp.start, sp.end
            hit = self.gaz.lookup(sp.text)
            if hit is None or self._keep_model(doc, ents, s, e, hit):
                continue
            ents.put(s, e, KIND_LABEL[hit.kind], {"source": "gazetteer", "key": hit.entry.key, "kind": hit.kind})

    @staticmethod
    def _keep_model(doc: Doc, ents: Ents, s: int, e: int, hit: Hit) -> bool:
        for k in ents.overlapping(s, e):
            label, _ = ents.spans[k]
            if label not in NAME_LABELS:
                return True  # a date or number: leave it
            span = doc[k[0]:k[1]]
            if label == "PERSON" and len(span) > 1 and hit.kind in {"country", "capital", "demonym"}:
                return True  # "George Washington"
            extra = [t for t in span if not (s <= t.i < e) and t.lower_ not in {"the", "'s", "’s"}]
            if extra and hit.kind != "outlet":
                return True  # "the Turkish Foreign Ministry" is more than "Turkish"
        return False

    @staticmethod
    def _datelines(doc: Doc, ents: Ents, text: str) -> None:
        for m in DATELINE_PLACE.finditer(text):
            place = m.group("place")
            if len(place) < 3 or not any(c.isalpha() for c in place):
                continue
            sp = doc.char_span(m.start("place"), m.end("place"), alignment_mode="contract")
            if sp is None or len(sp) == 0:
                continue
            meta = {"source": "dateline", "dateline": True}
            hit = load().lookup(title_case(sp.text))
            if hit is not None and hit.kind in {"country", "capital"}:
                meta.update(key=hit.entry.key, kind=hit.kind)
            ents.put(sp.start, sp.end, "GPE", meta)

    @staticmethod
    def _place_of(doc: Doc, ents: Ents) -> None:
        for (s, e), (label, meta) in list(ents.spans.items()):
            if label in {"PERSON", "ORG"} and s >= 2 and doc[s - 1].lower_ == "of" and doc[s - 2].lower_ in PLACE_NOUNS:
                ents.put(s, e, "GPE", {**meta, "source": "rule"})

    @staticmethod
    def _facilities(doc: Doc, ents: Ents) -> None:
        for (s, e), (label, meta) in list(ents.spans.items()):
            if label not in NAME_LABELS or meta.get("kind") in {"outlet", "igo", "group", "seat"}:
                continue
            if doc[e - 1].lower_ in FAC_HEADS and label != "FAC":
                ents.put(s, e, "FAC", {"source": "rule"})
            elif e < len(doc) and doc[e].lower_ in FAC_HEADS and label in {"GPE", "LOC", "ORG", "PERSON", "FAC"} \
                    and not ents.overlapping(e, e + 1):
                ents.put(s, e + 1, "FAC", {"source": "rule"})  # "Kabul airport" is not Kabul

    def _people(self, doc: Doc, ents: Ents) -> None:
        canon = lambda t: t  # noqa: E731 - role extraction here only needs the shape
        # names with a title or a role apposition are people, whatever the model said
        for (s, e), (label, meta) in list(ents.spans.items()):
            if label in {"ORG", "GPE", "LOC", "FAC", "NORP"} and meta.get("source") == "model" and _name_shape(doc[s:e]):
                sp = doc[s:e]
                if title_before(sp, canon) or apposition_after(sp, canon) or _role_apposition_before(sp):
                    ents.put(s, e, "PERSON", {**meta, "source": "rule"})
        # two or three capitalised words the model missed, followed by a role apposition
        for t in doc:
            if t.i + 1 < len(doc) and _is_cap(t) and not ents.overlapping(t.i, t.i + 1):
                for n in (3, 2):
                    sp = doc[t.i:t.i + n]
                    inside = all(sp.start <= a and b <= sp.end and ents.spans[(a, b)][1].get("source") == "model"
                                 for a, b in ents.overlapping(sp.start, sp.end))
                    if len(sp) == n and _name_shape(sp) and inside \
                            and apposition_after(sp, canon) and (t.i == 0 or not _is_cap(doc[t.i - 1])):
                        ents.put(sp.start, sp.end, "PERSON", {"source": "rule"})
                        break
        full = {}
        for (s, e), (label, _meta) in ents.spans.items():
            sp = doc[s:e]
            if label == "PERSON" and _name_shape(sp):
                full[sp.text] = sp[-1].text
        surnames = set(full.values())
        for (s, e), (label, meta) in list(ents.spans.items()):
            text = drop_possessive(doc[s:e].text).strip()
            if label != "PERSON" and label in NAME_LABELS and (text in surnames or text in full) \
                    and (meta.get("source") in {"model", "rule"} or meta.get("kind") in {"country", "capital", "demonym"}):
                # "Michael Jordan ... Jordan said": the article's own full name wins
                ents.put(s, e, "PERSON", {**meta, "source": "rule"})
        # "Defense Minister Hulusi Akar": a one-word "organisation" inside a title is part
        # of the office, not an actor
        for (s, e), (label, meta) in list(ents.spans.items()):
            if e - s == 1 and label in {"ORG", "GPE", "NORP"} and meta.get("source") == "model" \
                    and not doc[s].is_upper and e + 1 < len(doc) and role_head(doc[e].text) \
                    and any(k[0] == e + 1 and ents.spans[k][0] == "PERSON" for k in ents.spans):
                del ents.spans[(s, e)]
        # "the Sarn highlands": a one-word "person" modifying a common noun is a place name
        for (s, e), (label, meta) in list(ents.spans.items()):
            t = doc[s]
            if label == "PERSON" and e - s == 1 and t.text not in surnames and t.dep_ in {"compound", "amod"} \
                    and t.head.pos_ == "NOUN" and t.head.text.islower() and not role_head(t.head.text):
                ents.put(s, e, "LOC", {**meta, "source": "rule"})
        # a surname the model did not tag at all
        for t in doc:
            if t.text in surnames and t.pos_ == "PROPN" and not ents.overlapping(t.i, t.i + 1):
                ents.put(t.i, t.i + 1, "PERSON", {"source": "rule"})

    @staticmethod
    def _outlets(doc: Doc, ents: Ents) -> None:
        """ "Meridian Wire" tagged PERSON: a name shaped like an outlet's is an ORG."""
        for (s, e), (label, meta) in list(ents.spans.items()):
            if label in {"PERSON", "GPE", "LOC", "FAC"} and meta.get("source") == "model" and is_outlet(doc[s:e].text):
                ents.put(s, e, "ORG", {**meta, "source": "rule"})

    @staticmethod
    def _consistent(doc: Doc, ents: Ents) -> None:
        """One name, one label within an article: a label a rule or the gazetteer gave a
        name overrides the model's label for the other mentions of the same name."""
        fixed: dict[str, str] = {}
        for (s, e), (label, meta) in ents.spans.items():
            if meta.get("source") in {"rule", "gazetteer", "dateline"} and label in NAME_LABELS:
                fixed.setdefault(title_case(drop_possessive(doc[s:e].text).strip()), label)
        for (s, e), (label, meta) in list(ents.spans.items()):
            want = fixed.get(drop_possessive(doc[s:e].text).strip())
            if want and want != label and label in NAME_LABELS and meta.get("source") == "model":
                ents.put(s, e, want, {**meta, "source": "rule"})


def _role_apposition_before(sp: Span) -> bool:
    """"The United Nations envoy for Tessaly, Sera Illum, urged ...": a name set in
    apposition to a role noun names the person holding it."""
    root = sp.root
    if root.dep_ != "appos" or root.head.i >= sp.start:
        return False
    head = root.head
    for _ in range(3):  # the parse may hang it on "Tessaly" in "the envoy for Tessaly, X"
        if role_head(head.text):
            return doc_comma_between(sp, head)
        if head.dep_ not in ("pobj", "prep") or head.head is head:
            return False
        head = head.head
    return False


def doc_comma_between(sp: Span, head) -> bool:
    return any(t.text == "," for t in sp.doc[head.i + 1:sp.start])


def _is_cap(t) -> bool:
    return t.is_alpha and t.text[:1].isupper() and not t.is_upper and t.pos_ == "PROPN"


def _name_shape(sp: Span) -> bool:
    """Two to four capitalised alphabetic words (hyphens allowed): the shape of a name."""
    return 2 <= len(sp) <= 4 and all(t.text[:1].isupper() and t.text.replace("-", "").isalpha() and not t.is_upper
                                     for t in sp)


def title_case(text: str) -> str:
    """ "KESSARA" -> "Kessara" (dateline capitals); mixed-case text is left alone."""
    return text.title() if text.isupper() and len(text) > 3 else text
