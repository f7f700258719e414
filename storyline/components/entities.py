"""Entity mentions: the model's NER corrected by storyline's entity ruler and gazetteer
(storyline/actors/ruler.py), with spans. The actors component builds on these.

Assigns `doc._.storyline_mentions`. Each record: `label` (spaCy label after correction),
`text`, `span`, `source` (model | gazetteer | dateline | rule), and where known `key`
(gazetteer key, e.g. "TUR", "IGO:NATO", "MEDIA:Reuters"), `kind` (country | capital | demonym |
igo | group | outlet | seat) and `dateline: true`. The corrected spans are also written back
to `doc.ents`, as an entity ruler would, so later components see the fixed labels.

Config: `labels`, the NER labels kept as mentions.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..actors.ruler import EntityFixer
from ..text.spans import span_record
from .context import set_extensions

# NER labels that name actors, places and things a news reader tracks; numeric and
# temporal labels (DATE, CARDINAL, MONEY, ...) belong to the time and claims extractors.
ENTITY_LABELS = {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "PRODUCT", "LAW", "WORK_OF_ART"}

set_extensions("mentions")


def entity_mentions(doc: Doc, fixer: EntityFixer | None = None, labels=ENTITY_LABELS) -> list[dict]:
    pairs = fixer(doc) if fixer is not None else [(e, {"source": "model"}) for e in doc.ents]
    text = doc.text  # once: spaCy rebuilds doc.text on every access
    out = []
    for ent, meta in pairs:
        if ent.label_ not in labels:
            continue
        words = ent.text.strip()
        if not words:
            continue
        rec = {"label": ent.label_, "text": words, "span": span_record(text, ent.start_char, ent.end_char),
               "source": meta.get("source", "model")}
        for k in ("key", "kind", "dateline"):
            if meta.get(k):
                rec[k] = meta[k]
        out.append(rec)
    return out


class EntityMentions:
    def __init__(self, nlp: Language, labels: list[str]):
        self.fixer = EntityFixer(nlp)
        self.labels = frozenset(labels)

    def __call__(self, doc: Doc) -> Doc:
        doc._.storyline_mentions = entity_mentions(doc, self.fixer, self.labels)
        return doc


@Language.factory("storyline_entities", default_config={"labels": sorted(ENTITY_LABELS)},
                  requires=["doc.ents"], assigns=["doc._.storyline_mentions", "doc.ents"])
def make_entities(nlp: Language, name: str, labels: list[str]) -> EntityMentions:
    return EntityMentions(nlp, labels)
