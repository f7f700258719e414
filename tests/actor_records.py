"""Synthetic actor records and a content view of entities, for the actors linker's tests
(tests/test_actor_moves.py, tests/test_actor_clusters.py)."""
from __future__ import annotations

import json


def actor(local: str, name: str, type_: str, key=None, form="name", start=0, names=None, **extra) -> dict:
    """An actor record as the actors component stores it, one mention at `start`."""
    span = {"start": start, "end": start + len(name), "text": name}
    return {"local": local, "name": name, "type": type_, "key": key,
            "names": names if names is not None else ([name] if form == "name" else []),
            "roles": [], "mentions": [{"span": span, "form": form}], "span": span, **extra}


def by_content(entities: list[dict], links: dict) -> dict:
    """Each entity (less its id) -> its members: equal for two stores with the same entities."""
    members: dict[str, list] = {}
    for (art, local), eid in links.items():
        members.setdefault(eid, []).append([art, local])
    return {json.dumps({k: v for k, v in e.items() if k != "id"}, sort_keys=True): sorted(members.get(e["id"], []))
            for e in entities}
