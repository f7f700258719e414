"""Quotes and reported speech: who said what, how (cue), to whom, and when.

`nlp.add_pipe("storyline_quotes")` after a parser assigns `doc._.storyline_quotes`, one record
per attribution:

    {"kind": "direct"|"indirect"|"mixed", "text", "span",          # what was said
     "cue", "cue_span",                                           # "told", "according to"
     "speaker": {"entity": None, "name", "text"}, "speaker_span",  # who (span in the text)
     "speaker_resolved",                                          # pronoun/description resolved
     "told", "told_span",                                         # the outlet/person addressed
     ["via", "via_span"],                                         # the outlet it was reported by
     "date", "date_precision", "date_span"}                       # when the speech act was

`speaker.name` is the in-article name (a pronoun or "the spokesman" resolved to the nearest
compatible named entity); `speaker.entity` is left None here: the export links it to the
corpus-level actor. When `storyline_time` ran first, `date` is the value of the time
expression attached to the cue ("said on Friday"); otherwise `date` is None and `date_span`
still points at the words.

Attributions come from the rules on the parse (storyline/quotes/extract.py); the end of each
non-quoted content is then chosen by a small model trained on PolNeAR
(storyline/quotes/boundary.py, package data, no download; the rules' end when it is absent).

Config (calibrated on PolNeAR dev, docs/quotes.md): `cue_min_count` and `cue_min_rate`, the
cut-offs of the learned cue lexicon (storyline/quotes/cues.py); `boundary_model`, the path of
the content-end model ("" for the rules' end); `boundary_max_sentences` and
`boundary_max_candidates`, how far past the rules' end a content may run; `tagger_model`,
the accurate profile's fine-tuned MiniLM quote tagger ("" by default: the fast rules;
`build_nlp(profile="accurate")` sets it, storyline/quotes/tagger.py).
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..quotes.boundary import MAX_CANDIDATES, MAX_SENTENCES, MODEL_PATH, _model, open_model, refine
from ..quotes.cues import MIN_COUNT, MIN_RATE, cue_lemmas
from ..quotes.extract import Attribution, find_attributions
from ..quotes.marks import quote_segments
from ..quotes.speaker import resolve
from ..text.spans import span_record
from ..text.tokens import TokenTable
from ..timex.dating import timex_for_verb
from .context import extension, set_extensions

set_extensions("quotes")


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


def _speech_date(doc: Doc, text: str, ents: tuple, a: Attribution) -> dict:
    """When the speech act was: the time expression attached to the cue verb, outside the
    content (storyline.timex.timex_for_verb)."""
    t = None
    if a.verb is not None:
        timexes = getattr(doc._, extension("timexes")) if Doc.has_extension(extension("timexes")) else None
        t = timex_for_verb(doc[a.verb], timexes or [], ents, text, exclude=a.content,
                           include=a.source_extent or a.source)
    if t is None:
        return {"date": None, "date_precision": None, "date_span": None}
    return {"date": t.get("value"), "date_precision": t.get("precision"), "date_span": t.get("span") or {}}


class QuoteExtractor:
    """The component: its cue lexicon and content-end model, built once from the config."""

    def __init__(self, cue_min_count: int = MIN_COUNT, cue_min_rate: float = MIN_RATE,
                 boundary_model: str | None = None, boundary_max_sentences: int = MAX_SENTENCES,
                 boundary_max_candidates: int = MAX_CANDIDATES, tagger_model: str = ""):
        """`boundary_model`: a path, "" for none, None for the shipped one (boundary.MODEL_PATH).
        `tagger_model`: the accurate profile's tagger (storyline/quotes/tagger.py), "" for none."""
        self.cues = cue_lemmas(cue_min_count, cue_min_rate)
        if boundary_model is None:
            self.model = _model()
        else:
            self.model = open_model(boundary_model) if boundary_model else None
        self.max_sentences = boundary_max_sentences
        self.max_candidates = boundary_max_candidates
        self.tagger = None
        if tagger_model:  # the accurate profile (needs the `accurate` extra)
            from ..quotes.tagger import Tagger

            self.tagger = Tagger(tagger_model)

    def __call__(self, doc: Doc) -> Doc:
        doc._.storyline_quotes = self.records(doc)
        return doc

    def records(self, doc: Doc) -> list[dict]:
        # doc.text and doc.ents are rebuilt by spaCy on each access: read once per Doc
        # (per-mention rebuilds made a 1,200-quote article take 43.7 s instead of 3.1 s)
        text, ents = doc.text, tuple(doc.ents)
        segments = quote_segments(text)
        out = []
        found = self.attributions(doc, text, ents)
        for a in found:
            rec: dict = {"kind": _kind(doc, a, segments), "text": text[a.content[0]:a.content[1]],
                   "span": span_record(text, *a.content), "cue": text[a.cue[0]:a.cue[1]],
                   "cue_span": span_record(text, *a.cue)}
            if a.source is not None:
                who = resolve(doc, *a.source, text=text, ents=ents)
                rec["speaker"] = {"entity": None, "name": who["name"], "text": text[a.source[0]:a.source[1]]}
                rec["speaker_span"] = span_record(text, *a.source)
                rec["speaker_resolved"] = who["resolved"]
            else:
                rec["speaker"], rec["speaker_span"], rec["speaker_resolved"] = None, None, False
            rec["told"] = text[a.told[0]:a.told[1]] if a.told else None
            rec["told_span"] = span_record(text, *a.told) if a.told else None
            if a.via:  # "…, according to Reuters" over a clause with its own speaker
                rec["via"], rec["via_span"] = text[a.via[0]:a.via[1]], span_record(text, *a.via)
            rec.update(_speech_date(doc, text, ents, a))
            out.append(rec)
        return out

    def attributions(self, doc: Doc, text: str, ents: tuple) -> list[Attribution]:
        """The rules' attributions, their content ends moved by the boundary model and (accurate
        profile) the fine-tuned tagger's corrections (storyline/quotes/tagger.py)."""
        table = TokenTable(doc)  # token attributes read once for both steps
        found = find_attributions(doc, self.cues, text=text, ents=ents, table=table)
        if self.model is not None:
            found = refine(doc, found, self.model, text, self.max_sentences, self.max_candidates, table)
        if self.tagger is not None:
            from ..quotes.tagger import refine as tagger_refine

            found = tagger_refine(doc, found, self.cues, self.tagger, text)
        return found


def quote_records(doc: Doc) -> list[dict]:
    """The quote records of a parsed Doc with the calibrated settings and the current
    content-end model (scripts/train_quote_model.py swaps boundary.MODEL_PATH)."""
    return QuoteExtractor().records(doc)


@Language.factory("storyline_quotes",
                  default_config={"cue_min_count": MIN_COUNT, "cue_min_rate": MIN_RATE,
                                  "boundary_model": str(MODEL_PATH),
                                  "boundary_max_sentences": MAX_SENTENCES,
                                  "boundary_max_candidates": MAX_CANDIDATES, "tagger_model": ""},
                  requires=["token.dep", "token.lemma", "token.pos", "doc.sents", "doc.ents",
                            "doc._.storyline_timexes"],
                  assigns=["doc._.storyline_quotes"])
def make_quotes(nlp: Language, name: str, cue_min_count: int, cue_min_rate: float, boundary_model: str,
                boundary_max_sentences: int, boundary_max_candidates: int, tagger_model: str) -> QuoteExtractor:
    return QuoteExtractor(cue_min_count, cue_min_rate, boundary_model, boundary_max_sentences,
                          boundary_max_candidates, tagger_model)
