"""Validate an export against the JSON Schema shipped in the package, and check spans."""
from __future__ import annotations

import json
from importlib import resources


def load_schema() -> dict:
    return json.loads(resources.files("storyline.outputs").joinpath("schema/storyline-1.schema.json").read_text("utf-8"))


def validate_export(data: dict) -> list[str]:
    """Problems found (empty when valid): schema violations, then spans that do not match."""
    from jsonschema import Draft202012Validator

    problems = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
                for e in Draft202012Validator(load_schema()).iter_errors(data)]
    texts = {a["id"]: a.get("text") for a in data.get("articles", [])}
    for name, rows in data.items():  # every section whose records point into an article
        if name in ("schema", "articles", "entities") or not isinstance(rows, list):
            continue
        for rec in rows:
            if isinstance(rec, dict) and "article" in rec:
                _check_span(problems, texts, name, rec.get("article"), rec.get("span"), rec.get("id"))
    for ent in data.get("entities", []):
        for m in ent.get("mentions", []):
            _check_span(problems, texts, "entities", m["article"], m["span"], ent["id"])
    return problems


def _check_span(problems, texts, name, article, span, rid) -> None:
    if not span or article not in texts or texts[article] is None:
        return
    if texts[article][span["start"]:span["end"]] != span["text"]:
        problems.append(f"{name}/{rid}: span text does not match article {article}[{span['start']}:{span['end']}]")
