"""Choose how the accurate profile's quote tagger combines with the rules (tagger.SETTINGS), on the
PolNeAR dev tune half, and print the validation half beside it.

    .venv/bin/python scripts/tune_quote_tagger.py ../shared/data/polnear/dev \
        --cache ~/.cache/storyline/qtag [--model PATH.onnx]

Once per model: the dev articles are parsed (scripts/train_quote_model.py's `parsed`, cached as a
DocBin), the fast profile's attributions found (QuoteExtractor.attributions, rules + content-end
model), and the tagger run on the candidate sentences (tagger.refine's own steps); its log
probabilities are cached beside the model's sha256. Then every setting of the grid below is
applied (tagger.combine on a copy of the rules' attributions) and scored with the eval's scorer
(storyline/eval/quotes.py score_documents, exact / overlap / token F1), split into the eval's tune
and validation halves. Rows are sorted by the tune half's mean exact F1 of the three roles; the
settings to ship are the best tune row whose validation half does not fall below the rules'.

Also printed: the tagger alone (its spans paired cue -> nearest content -> nearest source, no rule
attributions in tagged sentences; rules elsewhere), to see how far the model is from replacing
the rules.
"""
from __future__ import annotations

import argparse
import copy
import itertools
import json
import pickle
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

MOVES = [(), ("content",), ("content", "source"), ("content", "cue"), ("source",), ("content", "source", "cue")]
MOVE_MIN = [0.5, 0.6, 0.7, 0.8, 0.9]
ADD_MIN = [None, 0.6, 0.7, 0.8]
DROP_MIN = [None, 0.99]


def prepared(dev: str, cache: Path, model: Path):
    """(gold docs, spaCy docs, rule attributions, candidate sentences, log probabilities)."""
    from train_quote_model import parsed

    from storyline.components.quotes import QuoteExtractor
    from storyline.quotes import tagger as qt

    gold, docs = parsed(dev, cache)
    ext = QuoteExtractor()
    found = [ext.attributions(d, d.text, tuple(d.ents)) for d in docs]
    sents = [qt.candidate_sentences(d, ext.cues, f) for d, f in zip(docs, found)]
    path = cache / f"tagger-lps.{qt.sha256(model)[:12]}.{Path(dev).name}.pkl"
    if path.exists():
        lps = pickle.loads(path.read_bytes())
    else:
        t0 = time.perf_counter()
        tagger = qt.Tagger(model, threads=2)
        lps = [tagger.log_probs([[t.text for t in s] for s in ss], [qt.rule_codes(d, s, f) for s in ss]) if ss else []
               for d, f, ss in zip(docs, found, sents)]
        print(f"tagged {sum(map(len, sents))} sentences in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
        path.write_bytes(pickle.dumps(lps))
    return gold, docs, found, sents, lps


def records(text: str, attributions) -> list[dict]:
    """The scorer's view of attributions (what the quotes component's records carry)."""
    def span(s):
        return {"start": s[0], "end": s[1]} if s else None

    return [{"speaker_span": span(a.source), "cue_span": span(a.cue), "span": span(a.content)} for a in attributions]


def alone(doc, found, sents, tagged, text):
    """The tagger's own attributions in tagged sentences; the rules' outside them."""
    from storyline.quotes import tagger as qt
    from storyline.quotes.spans import Attribution

    starts = {s.start for s in sents}
    keep = [a for a in found if (t := qt.char_tokens(doc, a.cue)) is None or doc[t[0]].sent.start not in starts]
    for spans in tagged:
        for s, e, _p in spans["cue"]:
            content = qt._nearest(spans["content"], (s, e))
            if content is None:
                continue
            source = qt._nearest([x for x in spans["source"] if not (x[0] < content[1] and content[0] < x[1])], (s, e))
            keep.append(Attribution(cue=qt._chars(doc, text, s, e), content=qt._chars(doc, text, *content[:2]),
                                    source=qt._chars(doc, text, *source[:2]) if source else None))
    return keep


def score(gold, preds) -> dict:
    from storyline.eval.quotes import ROLES, score_documents, split_indices

    out = {}
    for name, idx in split_indices(len(gold)).items():
        s = score_documents([gold[i] for i in idx], [preds[i] for i in idx])
        out[name] = tuple(round(s[r]["exact"]["f1"], 4) for r in ROLES)
    return out


def main() -> None:
    from storyline.quotes import tagger as qt

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dev")
    ap.add_argument("--cache", type=Path, required=True)
    ap.add_argument("--model", type=Path, default=qt.TAGGER_PATH)
    ap.add_argument("--top", type=int, default=15)
    args = ap.parse_args()
    cache = args.cache.expanduser()
    gold, docs, found, sents, lps = prepared(args.dev, cache, args.model)
    texts = [d.text for d in docs]
    tagged = [qt.decode(d, ss, lp) for d, ss, lp in zip(docs, sents, lps)]
    rows = []
    base = score(gold, [records(t, f) for t, f in zip(texts, found)])
    rows.append(("rules (fast profile)", base))
    rows.append(("tagger alone", score(gold, [records(t, alone(d, f, ss, tg, t))
                                              for d, f, ss, tg, t in zip(docs, found, sents, tagged, texts)])))
    for moves, move_min, add_min, drop_min in itertools.product(MOVES, MOVE_MIN, ADD_MIN, DROP_MIN):
        if not moves and move_min != MOVE_MIN[0]:
            continue
        settings = {"moves": moves, "move_min": move_min, "add_min": add_min, "drop_min": drop_min}
        preds = [records(t, qt.combine(d, copy.deepcopy(f), ss, tg, t, lps=lp, **settings)) if ss else records(t, f)
                 for d, f, ss, tg, lp, t in zip(docs, found, sents, tagged, lps, texts)]
        rows.append((json.dumps(settings), score(gold, preds)))
    shipped = json.dumps({"moves": tuple(qt.SETTINGS.get("moves", ())), "move_min": qt.SETTINGS.get("move_min", 0.0),
                          "add_min": qt.SETTINGS.get("add_min"), "drop_min": qt.SETTINGS.get("drop_min")})
    print(f"model {args.model} sha256 {qt.sha256(args.model)[:12]}; "
          "exact F1 source / cue / content, tune | validation | all")
    fixed, grid = rows[:2], sorted(rows[2:], key=lambda r: -sum(r[1]["tune"]))
    for name, s in [*fixed, *grid[:args.top], *[r for r in grid if r[0] == shipped and r not in grid[:args.top]]]:
        mark = " (shipped)" if name == shipped else ""
        cols = " | ".join("/".join(f"{x:.3f}" for x in s[k]) for k in ("tune", "validation", "all"))
        print(f"{cols}  {name}{mark}")


if __name__ == "__main__":
    main()
