"""Quotes and reported speech: who said what, how (cue), to whom, and when.

`nlp.add_pipe("storyline_quotes")` after a parser assigns `doc._.quotes`, one record per
attribution:

    {"kind": "direct"|"indirect"|"mixed", "text", "span",          # what was said
     "cue", "cue_span",                                           # "told", "according to"
     "speaker": {"entity": None, "name", "text"}, "speaker_span",  # who (span in the text)
     "speaker_resolved",                                          # pronoun/description resolved
     "told", "told_span",                                         # the outlet/person addressed
     "date", "date_precision", "date_span"}                       # when the speech act was

`speaker.name` is the in-article name (a pronoun or "the spokesman" resolved to the nearest
compatible named entity); `speaker.entity` is left None here: the export links it to the
corpus-level actor. When `storyline_time` ran first, `date` is the value of the time
expression attached to the cue ("said on Friday"); otherwise `date` is None and `date_span`
still points at the words.

Attributions come from the rules on the parse (storyline/quotes/extract.py); the end of each
non-quoted content is then chosen by a small model trained on PolNeAR
(storyline/quotes/boundary.py, package data, no download; the rules' end when it is absent).
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..quotes.boundary import refine
from ..quotes.extract import Attribution, find_attributions
from ..quotes.marks import quote_segments
from ..quotes.speaker import resolve
from .context import doc_ents, guarded

if not Doc.has_extension("quotes"):
    Doc.set_extension("quotes", default=None)


def _span(text: str, start: int, end: int) -> dict:
    """The span schema of context.span_record, from a text read once (doc.text rebuilds it)."""
    return {"start": start, "end": end, "text": text[start:end]}


def _kind(doc: Doc, a: Attribution, segments) -> str:
    if a.quoted:
        return "direct"
    s, e = a.content
    inner = [g for g in segments if g.start >= s and g.end <= e and g.closed]
    if inner:
        if len(inner) == 1 and inner[0].start == s and inner[0].end == e:
            return "direct"
        return "mixed"
    return "indirect"


def _speech_date(doc: Doc, text: str, a: Attribution) -> dict | None:
    """The time expression attached to the cue verb, outside the content and the source."""
    if a.verb is None:
        return None
    verb = doc[a.verb]
    region = set()
    for child in verb.children:
        if child.dep_ in ("prep", "npadvmod", "advmod", "obl", "tmod", "advcl") :
            lo, hi = child.left_edge.idx, child.right_edge.idx + len(child.right_edge)
            if lo >= a.content[1] or hi <= a.content[0]:
                region.add((lo, hi))
    extent = a.source_extent or a.source
    if extent is not None:  # "said a press release issued by the Taliban on Sunday"
        region.add(extent)
    if not region:
        return None

    def inside(s, e):
        return any(lo <= s and e <= hi for lo, hi in region)

    for t in (doc._.timexes if Doc.has_extension("timexes") else None) or []:
        sp = t.get("span") or {}
        if inside(sp.get("start", -1), sp.get("end", -1)) and t.get("type") in ("DATE", "TIME"):
            return {"date": t.get("value"), "date_precision": t.get("precision"), "date_span": sp}
    for ent in doc_ents(doc):
        if ent.label_ in ("DATE", "TIME") and inside(ent.start_char, ent.end_char):
            return {"date": None, "date_precision": None,
                    "date_span": _span(text, ent.start_char, ent.end_char)}
    return None


def quote_records(doc: Doc) -> list[dict]:
    text = doc.text
    doc_ents(doc, fresh=True)  # entities as they are now, read once for this Doc
    segments = quote_segments(text)
    out = []
    for a in refine(doc, find_attributions(doc)):
        rec = {"kind": _kind(doc, a, segments), "text": text[a.content[0]:a.content[1]],
               "span": _span(text, *a.content), "cue": text[a.cue[0]:a.cue[1]],
               "cue_span": _span(text, *a.cue)}
        if a.source is not None:
            who = resolve(doc, *a.source, text=text)
            rec["speaker"] = {"entity": None, "name": who["name"], "text": text[a.source[0]:a.source[1]]}
            rec["speaker_span"] = _span(text, *a.source)
            rec["speaker_resolved"] = who["resolved"]
        else:
            rec["speaker"], rec["speaker_span"], rec["speaker_resolved"] = None, None, False
        rec["told"] = text[a.told[0]:a.told[1]] if a.told else None
        rec["told_span"] = _span(text, *a.told) if a.told else None
        rec.update(_speech_date(doc, text, a) or {"date": None, "date_precision": None, "date_span": None})
        out.append(rec)
    return out


@Language.factory("storyline_quotes", requires=["token.dep", "token.lemma", "doc.sents"],
                  assigns=["doc._.quotes"])
def make_quotes(nlp: Language, name: str):
    def component(doc: Doc) -> Doc:
        doc._.quotes = quote_records(doc)
        return doc

    return guarded(name, component)
