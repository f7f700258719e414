"""`storyline eval quotes PATH`: quotes and reported speech against PolNeAR (BRAT standoff).

Reader: `PATH/text/NAME.txt` + `PATH/attributions/NAME_XXXX.ann`. An `.ann` file holds `T`
lines (`T12<TAB>Label START END[;START END...]<TAB>text`) and `E` lines tying an attribution
together (`E3<TAB>Attribution:T12 Cue:T11 Source:T10 Content:T9`). Only `E` relations whose
trigger is `Attribution` or `Attribution-no-source` are read (`Discuss` / `Discard` spans are
annotator notes, not attributions). Some articles were annotated by several annotators (one
file each, suffix `_XXXX` = the annotator's id); the reader takes the file whose suffix sorts
first (`_4b22` before `_4e07` before `_5fec` ...), so the choice is deterministic.

Scores, for source, cue and content spans separately (as Citron and CofeNet report them):
- `exact`: a predicted span counts when its offsets equal a gold span's, after trimming
  whitespace and the punctuation `.,;:` at both edges of both (PolNeAR contents stop before the
  sentence's full stop; quote marks are kept and must match). Discontinuous gold spans are
  compared by their hull (first start, last end). One-to-one matching.
- `overlap`: a predicted span counts when it shares at least one token with a gold span
  (one-to-one, greedy by most shared tokens).
- `tokens`: token-level precision/recall over all tokens inside predicted vs gold spans
  (tokens = runs of word characters or single punctuation marks).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .metrics import prf

SUFFIX = re.compile(r"^(?P<name>.+)_(?P<annotator>[0-9a-f]{4})\.ann$")
ATTRIBUTION_TRIGGERS = {"Attribution", "Attribution-no-source"}


@dataclass
class GoldSpan:
    fragments: list[tuple[int, int]]  # one (start, end) per BRAT fragment

    @property
    def start(self) -> int:
        return self.fragments[0][0]

    @property
    def end(self) -> int:
        return self.fragments[-1][1]


@dataclass
class GoldAttribution:
    source: GoldSpan | None
    cue: GoldSpan | None
    content: GoldSpan | None


@dataclass
class PolnearDoc:
    name: str
    annotator: str
    text: str
    attributions: list[GoldAttribution] = field(default_factory=list)


def _parse_ann(raw: str) -> list[GoldAttribution]:
    spans: dict[str, tuple[str, GoldSpan]] = {}
    events: list[dict[str, str]] = []
    for line in raw.splitlines():
        parts = line.split("\t")
        if len(parts) < 2:
            continue
        if parts[0].startswith("T"):
            label, _, offsets = parts[1].partition(" ")
            frags = []
            for piece in offsets.split(";"):
                try:
                    s, e = piece.split()
                    frags.append((int(s), int(e)))
                except ValueError:
                    continue
            if frags:
                spans[parts[0]] = (label, GoldSpan(sorted(frags)))
        elif parts[0].startswith("E"):
            roles = {}
            for arg in parts[1].split():
                role, _, ref = arg.partition(":")
                roles[role] = ref
            events.append(roles)
    out = []
    for roles in events:
        trigger = next((r for r in roles if r in ATTRIBUTION_TRIGGERS), None)
        if trigger is None:
            continue

        out.append(GoldAttribution(*(_role_span(roles, spans, r) for r in ("Source", "Cue", "Content"))))
    return out


def _role_span(roles: dict, spans: dict, role: str):
    ref = roles.get(role)
    return spans[ref][1] if ref in spans else None


def read_polnear(root: str | Path, limit: int | None = None) -> list[PolnearDoc]:
    """Documents of one PolNeAR split folder (`.../polnear/dev`), sorted by name."""
    root = Path(root)
    chosen: dict[str, tuple[str, Path]] = {}
    for ann in sorted((root / "attributions").glob("*.ann")):
        m = SUFFIX.match(ann.name)
        name, annotator = (m["name"], m["annotator"]) if m else (ann.stem, "")
        if name not in chosen:  # sorted: the first annotator suffix wins
            chosen[name] = (annotator, ann)
    docs = []
    for name in sorted(chosen):
        txt = root / "text" / f"{name}.txt"
        if not txt.exists():
            continue
        annotator, ann = chosen[name]
        text = txt.read_text("utf-8")
        docs.append(PolnearDoc(name, annotator, text, _parse_ann(ann.read_text("utf-8"))))
        if limit is not None and len(docs) >= limit:
            break
    return docs


# ---------------------------------------------------------------- scoring

TOKEN = re.compile(r"\w+|[^\w\s]")
EDGE = " \t\r\n.,;:"
ROLES = ("source", "cue", "content")


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start] in EDGE or text[start].isspace()):
        start += 1
    while end > start and (text[end - 1] in EDGE or text[end - 1].isspace()):
        end -= 1
    return start, end


def _token_starts(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in TOKEN.finditer(text)]


def _tokens_in(tokens: list[tuple[int, int]], fragments) -> set[int]:
    out = set()
    for s, e in fragments:
        for i, (ts, te) in enumerate(tokens):
            if ts >= e:
                break
            if te > s:
                out.add(i)
    return out


class SpanScorer:
    """Accumulates exact / overlap / token counts for one role over many documents."""

    def __init__(self):
        self.c = {k: [0, 0, 0] for k in ("exact", "overlap", "tokens")}  # tp, pred, gold

    def add(self, text: str, tokens, pred: list[list[tuple[int, int]]], gold: list[list[tuple[int, int]]]):
        pe = [_trim(text, p[0][0], p[-1][1]) for p in pred]
        ge = [_trim(text, g[0][0], g[-1][1]) for g in gold]
        pool = list(ge)
        tp = 0
        for span in pe:
            if span in pool:
                pool.remove(span)
                tp += 1
        self._inc("exact", tp, len(pe), len(ge))
        ptoks = [_tokens_in(tokens, p) for p in pred]
        gtoks = [_tokens_in(tokens, g) for g in gold]
        pairs = sorted(((len(a & b), i, j) for i, a in enumerate(ptoks) for j, b in enumerate(gtoks) if a & b),
                       reverse=True)
        used_p, used_g = set(), set()
        for _, i, j in pairs:
            if i not in used_p and j not in used_g:
                used_p.add(i)
                used_g.add(j)
        self._inc("overlap", len(used_p), len(pred), len(gold))
        pt = set().union(*ptoks) if ptoks else set()
        gt = set().union(*gtoks) if gtoks else set()
        self._inc("tokens", len(pt & gt), len(pt), len(gt))

    def _inc(self, key, tp, n_pred, n_gold):
        c = self.c[key]
        c[0] += tp
        c[1] += n_pred
        c[2] += n_gold

    def result(self) -> dict:
        return {k: prf(*v) for k, v in self.c.items()}


def predicted_spans(record: dict) -> dict[str, list[tuple[int, int]] | None]:
    """source / cue / content fragments of one `doc._.storyline_quotes` record."""
    def frag(span):
        return [(span["start"], span["end"])] if span else None

    return {"source": frag(record.get("speaker_span")), "cue": frag(record.get("cue_span")),
            "content": frag(record.get("span"))}


def score_documents(docs: list[PolnearDoc], predictions: list[list[dict]], details: bool = False) -> dict:
    scorers = {r: SpanScorer() for r in ROLES}
    per_doc = []
    for doc, records in zip(docs, predictions):
        tokens = _token_starts(doc.text)
        preds = [predicted_spans(r) for r in records]
        for role in ROLES:
            gold = [getattr(a, role).fragments for a in doc.attributions if getattr(a, role) is not None]
            pred = [p[role] for p in preds if p[role]]
            scorers[role].add(doc.text, tokens, pred, gold)
        if details:
            per_doc.append({"name": doc.name, "annotator": doc.annotator, "gold": len(doc.attributions),
                            "predicted": len(records)})
    out = {role: scorers[role].result() for role in ROLES}
    if details:
        out["documents_detail"] = per_doc
    return out


# PolNeAR dev halves (issue 10): the first half of the name-sorted article list tunes, the
# second validates; rules are kept only when the validation half agrees.
SPLITS = ("tune", "validation", "all")
JUNK_KINDS = ("relative", "pronoun", "noun")


def split_indices(n: int) -> dict[str, list[int]]:
    half = (n + 1) // 2
    return {"tune": list(range(half)), "validation": list(range(half, n)), "all": list(range(n))}


def junk_speakers(kinds: list[str]) -> dict:
    """Counts of speakers that are relative pronouns, unresolved pronouns or plain nouns."""
    out = {k: kinds.count(k) for k in JUNK_KINDS}
    out["total"] = sum(out.values())
    out["of_speakers"] = len(kinds)
    return out


def eval_quotes(path: str, limit: int | None = None, details: bool = False, profile: str = "fast") -> dict:
    """`profile`: the pipeline profile (storyline/pipeline.py PROFILES)."""
    import time

    from ..pipeline import build_nlp
    from ..quotes.speaker import speaker_kind

    docs = read_polnear(path, limit=limit)
    nlp = build_nlp(components=["storyline_quotes"], profile=profile)
    t0 = time.perf_counter()
    predictions, kinds = [], []
    for d in nlp.pipe(doc.text for doc in docs):
        recs = list(d._.storyline_quotes or [])
        predictions.append(recs)
        kinds.append([speaker_kind(d, r["speaker_span"]["start"], r["speaker_span"]["end"],
                                   bool(r.get("speaker_resolved")))
                      for r in recs if r.get("speaker_span")])
    seconds = time.perf_counter() - t0
    splits = {}
    for name, idx in split_indices(len(docs)).items():
        sub = [docs[i] for i in idx]
        splits[name] = {"documents": len(sub), "gold_attributions": sum(len(d.attributions) for d in sub),
                        "predicted_quotes": sum(len(predictions[i]) for i in idx),
                        **score_documents(sub, [predictions[i] for i in idx]),
                        "junk_speakers": junk_speakers([k for i in idx for k in kinds[i]])}
    out = {"task": "quotes", "data": "PolNeAR", "profile": profile, "documents": len(docs),
           "gold_attributions": sum(len(d.attributions) for d in docs),
           "predicted_quotes": sum(len(p) for p in predictions),
           "annotator_choice": "first annotator suffix in sort order",
           "split": "tune = first half of the name-sorted articles, validation = second half",
           **score_documents(docs, predictions, details=details),
           "junk_speakers": splits["all"]["junk_speakers"],
           "splits": splits,
           "articles_per_second": round(len(docs) / seconds, 2) if seconds else None}
    return out
