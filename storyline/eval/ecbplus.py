"""Reader for ECB+ (one XML file per article, topics with `ecb` / `ecbplus` sub-topics).

Text is rebuilt from the tokens (spaces between tokens, a newline between sentences) and
every token and mention gets character offsets into that text, so system output and gold
share the `{start, end, text}` span schema. Cross-document coreference comes from the
`CROSS_DOC_COREF` relations: each gold mention carries the `instance_id` of its chain;
mentions in no chain get a singleton id of their own.
"""
from __future__ import annotations

import csv
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

# Tune / validation halves of the dev topics (issue 10): topics 1-25 tune, later ones (26-35
# in the dev folder) validate; the held-out topics are not in the dev folder.
TUNE_TOPICS = (1, 25)
SPLITS = ("tune", "validation", "all")


def topic_split(topic: str) -> str:
    """'tune' or 'validation' for an ECB+ topic number."""
    return "tune" if topic.isdigit() and TUNE_TOPICS[0] <= int(topic) <= TUNE_TOPICS[1] else "validation"


ENTITY_PREFIXES = ("HUMAN_PART", "NON_HUMAN_PART", "LOC_", "TIME_")
EVENT_PREFIXES = ("ACTION_", "NEG_ACTION_")


@dataclass
class EcbToken:
    t_id: int
    sentence: int
    start: int
    end: int
    text: str


@dataclass
class EcbMention:
    m_id: str
    type: str  # e.g. HUMAN_PART_PER, LOC_GEO, ACTION_OCCURRENCE
    token_ids: list
    start: int
    end: int
    text: str
    sentence: int
    chain: Optional[str] = None  # cross-document instance id (gold cluster)

    @property
    def is_entity(self) -> bool:
        return self.type.startswith(ENTITY_PREFIXES)

    @property
    def is_event(self) -> bool:
        return self.type.startswith(EVENT_PREFIXES)


@dataclass
class EcbDoc:
    name: str  # e.g. 1_10ecb
    topic: str  # "1"
    subtopic: str  # "1_ecb" or "1_ecbplus"
    text: str
    tokens: list = field(default_factory=list)
    mentions: list = field(default_factory=list)


def read_doc(path: Path) -> EcbDoc:
    root = ET.parse(path).getroot()
    name = path.stem
    m = re.match(r"(\d+)_\d+(ecbplus|ecb)$", name)
    topic, half = (m.group(1), m.group(2)) if m else (name.split("_")[0], "ecb")
    parts, tokens, pos, prev_sent = [], {}, 0, None
    for tok in root.iter("token"):
        sent = int(tok.get("sentence"))
        word = tok.text or ""
        if prev_sent is not None:
            sep = "\n" if sent != prev_sent else " "
            parts.append(sep)
            pos += 1
        parts.append(word)
        t = EcbToken(int(tok.get("t_id")), sent, pos, pos + len(word), word)
        tokens[t.t_id] = t
        pos += len(word)
        prev_sent = sent
    text = "".join(parts)
    chains: dict[str, str] = {}
    relations = root.find("Relations")
    targets = {}
    markables = root.find("Markables")
    if markables is not None:
        for mk in markables:
            if not list(mk):  # a target (instance) markable without tokens
                targets[mk.get("m_id")] = mk.get("instance_id")
    if relations is not None:
        for rel in relations.findall("CROSS_DOC_COREF"):
            tgt = rel.find("target")
            inst = targets.get(tgt.get("m_id")) if tgt is not None else None
            inst = inst or rel.get("note")
            for src in rel.findall("source"):
                chains[src.get("m_id")] = inst
    mentions = []
    if markables is not None:
        for mk in markables:
            ids = [int(a.get("t_id")) for a in mk.findall("token_anchor") if int(a.get("t_id")) in tokens]
            if not ids:
                continue
            ids.sort()
            start, end = tokens[ids[0]].start, tokens[ids[-1]].end
            mid = mk.get("m_id")
            mentions.append(EcbMention(mid, mk.tag, ids, start, end, text[start:end], tokens[ids[0]].sentence,
                                       chains.get(mid) or f"{name}#{mid}"))
    mentions.sort(key=lambda x: (x.start, x.end))
    return EcbDoc(name, topic, f"{topic}_{half}", text, [tokens[k] for k in sorted(tokens)], mentions)


def read_corpus(root: str, topics: Optional[list[str]] = None, limit: Optional[int] = None) -> list[EcbDoc]:
    """All documents under `root` (the ecbplus folder), in topic and file order."""
    base = Path(root)
    docs = []
    for d in sorted((p for p in base.iterdir() if p.is_dir() and p.name.isdigit()), key=lambda p: int(p.name)):
        if topics and d.name not in topics:
            continue
        for f in sorted(d.glob("*.xml"), key=lambda p: [int(x) if x.isdigit() else x for x in re.split(r"(\d+)", p.name)]):
            docs.append(read_doc(f))
            if limit and len(docs) >= limit:
                return docs
    return docs


def evaluation_sentences(root: str) -> set[tuple[str, int]]:
    """(document name, sentence number) pairs of the standard evaluation subset."""
    path = Path(root) / "ECBplus_coreference_sentences.csv"
    out = set()
    if path.exists():
        with open(path, newline="") as fh:
            for row in csv.DictReader(fh):
                out.add((f"{row['Topic']}_{row['File']}", int(row["Sentence Number"])))
    return out
