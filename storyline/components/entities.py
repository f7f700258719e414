"""Entity mentions: the model's NER corrected by storyline's entity ruler and gazetteer
(storyline/actors/ruler.py), with spans. The actors component builds on these.

Each record: `label` (spaCy label after correction), `text`, `span`, `source` (model |
gazetteer | dateline | rule), and where known `key` (gazetteer key, e.g. "TUR",
"IGO:NATO", "MEDIA:Reuters"), `kind` (country | capital | demonym | igo | group | outlet |
seat) and `dateline: true`. The corrected spans are also written back to `doc.ents`, as an
entity ruler would, so later components see the fixed labels.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..actors.ruler import EntityFixer
from .context import guarded, span_record

# NER labels that name actors, places and things a news reader tracks; numeric and
# temporal labels (DATE, CARDINAL, MONEY, ...) belong to the time and claims extractors.
ENTITY_LABELS = {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "PRODUCT", "LAW", "WORK_OF_ART"}

if not Doc.has_extension("mentions"):
    Doc.set_extension("mentions", default=None)


def entity_mentions(doc: Doc, fixer: EntityFixer | None = None) -> list[dict]:
    pairs = fixer(doc) if fixer is not None else [(e, {"source": "model"}) for e in doc.ents]
    out = []
    for ent, meta in pairs:
        if ent.label_ not in ENTITY_LABELS:
            continue
        text = ent.text.strip()
        if not text:
            continue
        rec = {"label": ent.label_, "text": text, "span": span_record(doc, ent.start_char, ent.end_char),
               "source": meta.get("source", "model")}
        for k in ("key", "kind", "dateline"):
            if meta.get(k):
                rec[k] = meta[k]
        out.append(rec)
    return out


@Language.factory("storyline_entities", requires=["doc.ents"], assigns=["doc._.mentions", "doc.ents"])
def make_entities(nlp: Language, name: str):
    fixer = EntityFixer(nlp)

    def component(doc: Doc) -> Doc:
        doc._.mentions = entity_mentions(doc, fixer)
        return doc

    return guarded(name, component)
