"""Entity mentions from the model's NER, with spans. The actors work builds on these."""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from .context import guarded, span_record

# NER labels that name actors, places and things a news reader tracks; numeric and
# temporal labels (DATE, CARDINAL, MONEY, ...) belong to the time and claims extractors.
ENTITY_LABELS = {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "PRODUCT", "LAW", "WORK_OF_ART"}

if not Doc.has_extension("mentions"):
    Doc.set_extension("mentions", default=None)


def entity_mentions(doc: Doc) -> list[dict]:
    out = []
    for ent in doc.ents:
        if ent.label_ not in ENTITY_LABELS:
            continue
        text = ent.text.strip()
        if not text:
            continue
        out.append({"label": ent.label_, "text": text, "span": span_record(doc, ent.start_char, ent.end_char)})
    return out


@Language.factory("storyline_entities", requires=["doc.ents"], assigns=["doc._.mentions"])
def make_entities(nlp: Language, name: str):
    def component(doc: Doc) -> Doc:
        doc._.mentions = entity_mentions(doc)
        return doc

    return guarded(name, component)
