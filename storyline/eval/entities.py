"""`storyline eval entities ECBPLUS`: cross-document entity coreference on ECB+.

What is scored (say it exactly when quoting figures):
- gold mentions: the ECB+ entity mentions of participants and locations (`HUMAN_PART*`,
  `NON_HUMAN_PART*`, `LOC_*`; time expressions `TIME_*` are the time work's) in the
  standard evaluation sentences (`ECBplus_coreference_sentences.csv`; `--all-sentences`
  scores every sentence). Gold clusters are the `CROSS_DOC_COREF` instances; a mention in
  no relation is a singleton, and singletons are scored (as in most ECB+ work).
- system: the storyline pipeline (entity ruler + actors component) on each document, then
  the cross-article merge run per topic (both sub-topics together: gold topics, as usual;
  nothing can link across topics). Each gold mention takes the canonical entity of the
  system mention it overlaps most (`actor_resolver`'s rule), or, when no system mention
  overlaps it, the one entity of the topic whose name or alias ends in the same word.
  - `system`: clusters are the connected components of "same canonical entity" and "same
    last word within the topic" (the standard head-word baseline's links), except that a
    pronoun the system resolved is not also joined to every other "he"/"it" of the topic.
    This is the figure to quote; most gold mentions are common nouns ("the actress", "the
    facility") that the actors work does not try to resolve.
  - `system_alone`: only the system's links; every mention it did not resolve is a singleton.
  - `baseline_head_word`: only the head-word links, for scale.
- metrics: MUC, B³, CEAF-e and CoNLL F1 (their mean of F1), and mention detection P/R/F1
  of the system's own actor mentions against the gold mentions (exact span, and lenient:
  the system span inside the gold span and sharing its last token).
"""
from __future__ import annotations

from collections import defaultdict
from typing import Optional

from scipy.cluster.hierarchy import DisjointSet

from .ecbplus import EcbDoc, evaluation_sentences, read_corpus
from .metrics import prf

ACTOR_PREFIXES = ("HUMAN_PART", "NON_HUMAN_PART", "LOC_")
PRONOUNS = {"he", "she", "him", "her", "his", "hers", "they", "them", "their", "it", "its", "who",
            "whom", "whose", "which", "that", "we", "us", "our", "i", "me", "my", "you", "your"}


# --- coreference metrics (clusters: lists of hashable mention ids) ---------------------
def _f(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def muc(gold: list[set], sys: list[set]) -> tuple[float, float, float]:
    def score(keys, resp):
        where = {m: i for i, c in enumerate(resp) for m in c}
        num = den = 0
        for k in keys:
            parts = {where.get(m, ("s", m)) for m in k}
            num += len(k) - len(parts)
            den += len(k) - 1
        return num / den if den else 0.0
    r, p = score(gold, sys), score(sys, gold)
    return p, r, _f(p, r)


def b_cubed(gold: list[set], sys: list[set]) -> tuple[float, float, float]:
    g_of = {m: c for c in gold for m in c}
    s_of = {m: c for c in sys for m in c}
    ms = list(g_of)
    r = sum(len(g_of[m] & s_of.get(m, {m})) / len(g_of[m]) for m in ms) / len(ms) if ms else 0.0
    ss = list(s_of)
    p = sum(len(s_of[m] & g_of.get(m, {m})) / len(s_of[m]) for m in ss) / len(ss) if ss else 0.0
    return p, r, _f(p, r)


def ceaf_e(gold: list[set], sys: list[set]) -> tuple[float, float, float]:
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    if not gold or not sys:
        return 0.0, 0.0, 0.0
    sim = np.zeros((len(gold), len(sys)))
    s_index = defaultdict(list)
    for j, c in enumerate(sys):
        for m in c:
            s_index[m].append(j)
    for i, g in enumerate(gold):
        for j in {j for m in g for j in s_index.get(m, [])}:
            sim[i, j] = 2 * len(g & sys[j]) / (len(g) + len(sys[j]))
    rows, cols = linear_sum_assignment(-sim)
    total = sim[rows, cols].sum()
    p, r = float(total) / len(sys), float(total) / len(gold)
    return p, r, _f(p, r)


def coref_scores(gold: list[set], sys: list[set]) -> dict:
    out = {}
    for name, fn in (("muc", muc), ("b3", b_cubed), ("ceafe", ceaf_e)):
        p, r, f = fn(gold, sys)
        out[name] = {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}
    out["conll_f1"] = round(sum(out[k]["f1"] for k in ("muc", "b3", "ceafe")) / 3, 4)
    return out


# --- the task --------------------------------------------------------------------------
def _head_word(text: str) -> str:
    words = [w for w in text.lower().split() if any(c.isalnum() for c in w)]
    return words[-1] if words else text.lower()


def _clusters(assign: dict) -> list[set]:
    groups = defaultdict(set)
    for m, c in assign.items():
        groups[c].add(m)
    return list(groups.values())


def system_actors(docs: list[EcbDoc], nlp=None) -> dict[str, list[dict]]:
    """The actors records of each document (article id = ECB+ document name)."""
    if nlp is None:
        from ..pipeline import build_nlp

        nlp = build_nlp(["storyline_entities", "storyline_actors"])
    out = {}
    for d, doc in zip(docs, nlp.pipe((d.text for d in docs), batch_size=32)):
        recs = []
        for r in doc._.storyline_actors or []:
            recs.append({**r, "article": d.name})
        out[d.name] = recs
    return out


def eval_entities(path: str, limit: Optional[int] = None, details: bool = False, topics=None,
                  all_sentences: bool = False, nlp=None, **_ignored) -> dict:
    from ..actors.merge import merge
    from ..link.actors import make_resolver

    docs = read_corpus(path, topics=topics, limit=limit)
    ev = None if all_sentences else evaluation_sentences(path)
    actors = system_actors(docs, nlp)
    by_topic = defaultdict(list)
    for d in docs:
        by_topic[d.topic].append(d)
    acc = {name: _Split() for name in SPLITS}
    misses = []
    for topic, tdocs in by_topic.items():
        parts = [acc["all"], acc[split_of_topic(topic)]]
        recs = [r for d in tdocs for r in actors[d.name]]
        entities, links = merge(recs, {d.name: topic for d in tdocs})
        names = {e["id"]: e["name"] for e in entities}
        spans = defaultdict(list)
        for r in recs:
            eid = links.get((r["article"], r["local"]))
            for m in r["mentions"]:
                spans[r["article"]].append((m["span"]["start"], m["span"]["end"], eid))
        resolve = make_resolver({a: sorted(v) for a, v in spans.items()}, names)
        by_word = defaultdict(set)  # last word of each entity name or alias -> entities
        for e in entities:
            for n in [e["name"], *e.get("aliases", [])]:
                if n.split():
                    by_word[_head_word(n)].add(e["id"])
        for d in tdocs:
            sent_of = _sentence_lookup(d)
            gold = [m for m in d.mentions if m.type.startswith(ACTOR_PREFIXES)
                    and (ev is None or (d.name, m.sentence) in ev)]
            gold_spans = {(m.start, m.end) for m in gold}
            gold_last = {}
            for m in gold:
                gold_last.setdefault(m.end, []).append(m.start)
            sys_ments = [(s, e) for s, e, _ in spans.get(d.name, [])
                         if ev is None or (d.name, sent_of(s)) in ev]
            det = (len(sys_ments), len(gold), sum(1 for sm in set(sys_ments) if sm in gold_spans),
                   sum(1 for s, e in set(sys_ments) if any(gs <= s for gs in gold_last.get(e, []))))
            for sp in parts:
                sp.count(*det)
            for m in gold:
                mid = (d.name, m.m_id)
                head = f"{topic}|lemma|{_head_word(m.text)}"
                hit = resolve(d.name, m.start, m.end)
                by_span = bool(hit)
                word = _head_word(m.text)
                if not hit and len(by_word.get(word, ())) == 1:
                    # a name the system did not tag here but knows in the topic ("Lohan")
                    hit = {"entity": next(iter(by_word[word]))}
                link = f"{topic}|{hit['entity']}" if hit else None
                for sp in parts:
                    sp.mention(mid, m.chain, head, link, by_span, join_head=not (hit and word in PRONOUNS))
                if not hit and details and len(misses) < 200:
                    misses.append({"doc": d.name, "text": m.text, "type": m.type})
    result = {
        "task": "entities",
        "data": "ECB+ entity mentions (HUMAN_PART*, NON_HUMAN_PART*, LOC_*), gold mentions, "
                + ("all sentences" if ev is None else "evaluation_sentences subset")
                + ", clustered within gold topics, singletons included",
        "split": f"tune = topics {TUNE_TOPICS[0]}-{TUNE_TOPICS[1]}, validation = the later topics",
        "documents": len(docs),
        "topics": len(by_topic),
        **acc["all"].scores(),
        "splits": {name: acc[name].scores() for name in SPLITS},
    }
    if details:
        result["unresolved_examples"] = misses
    return result


# ECB+ topics 1-25 tune the actor rules; the later ones (26-35 in dev) validate them (issue 10).
TUNE_TOPICS = (1, 25)
SPLITS = ("tune", "validation", "all")


def split_of_topic(topic: str) -> str:
    try:
        n = int(topic)
    except ValueError:
        return "validation"
    return "tune" if TUNE_TOPICS[0] <= n <= TUNE_TOPICS[1] else "validation"


class _Split:
    """Gold and system clusters of one split's topics (clusters never cross topics, so a
    split's scores are those of its topics alone)."""

    def __init__(self):
        self.gold, self.single, self.lemma = {}, {}, {}
        self.hybrid = DisjointSet()
        self.n_det = self.n_gold = self.tp_exact = self.tp_lenient = self.by_span = 0

    def count(self, n_det: int, n_gold: int, tp_exact: int, tp_lenient: int) -> None:
        self.n_det += n_det
        self.n_gold += n_gold
        self.tp_exact += tp_exact
        self.tp_lenient += tp_lenient

    def mention(self, mid, chain, head: str, link, by_span: bool, join_head: bool) -> None:
        self.gold[mid] = chain
        self.lemma[mid] = head
        self.by_span += by_span
        self.hybrid.add(mid)
        if link:
            self.single[mid] = link
            self.hybrid.add(("entity", link))
            self.hybrid.merge(mid, ("entity", link))
        else:
            self.single[mid] = f"single|{mid[0]}|{mid[1]}"
        if join_head:
            self.hybrid.add(head)
            self.hybrid.merge(mid, head)

    def scores(self) -> dict:
        gold_c = _clusters(self.gold)
        if not gold_c:
            return {"gold_mentions": 0}
        return {
            "gold_mentions": len(self.gold),
            "gold_clusters": len(gold_c),
            "resolved_by_system": sum(1 for v in self.single.values() if not v.startswith("single|")),
            "resolved_by_span": self.by_span,
            "system": coref_scores(gold_c, _clusters({m: self.hybrid[m] for m in self.gold})),
            "system_alone": coref_scores(gold_c, _clusters(self.single)),
            "baseline_head_word": coref_scores(gold_c, _clusters(self.lemma)),
            "mention_detection": {"exact": prf(self.tp_exact, self.n_det, self.n_gold),
                                  "lenient": prf(self.tp_lenient, self.n_det, self.n_gold)},
        }


def _sentence_lookup(d: EcbDoc):
    import bisect

    starts = [t.start for t in d.tokens]

    def sent(char: int) -> int:
        i = max(0, bisect.bisect_right(starts, char) - 1)
        return d.tokens[i].sentence if d.tokens else 0

    return sent
