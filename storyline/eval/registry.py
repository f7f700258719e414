"""`storyline eval TASK PATH`: each task is declared by its extractor (`eval_tasks=` in
storyline/extractors.py) as a function `(path, **options) -> dict of metrics`."""
from __future__ import annotations

from .. import registry
from ..errors import Codes, UsageError


def task_names() -> list[str]:
    return sorted(registry.eval_tasks())


def run_task(name: str, path: str, **options) -> dict:
    tasks = registry.eval_tasks()
    if name not in tasks:
        raise UsageError(Codes.E002, f"'{name}' (tasks: {', '.join(sorted(tasks))})")
    return registry.resolve(tasks[name])(path, **options)
