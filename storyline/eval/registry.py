"""The eval task registry."""
from __future__ import annotations

import importlib
from typing import Callable

from ..errors import Codes, UsageError

TASKS: dict[str, Callable] = {}
# Modules that register tasks; imported lazily so `storyline --help` stays fast.
TASK_MODULES = ["storyline.eval.metadata", "storyline.eval.stories", "storyline.eval.duplicates",
                "storyline.eval.quotes", "storyline.eval.timex", "storyline.eval.entities"]


def task(name: str):
    def register(fn):
        TASKS[name] = fn
        return fn

    return register


def load_tasks() -> dict[str, Callable]:
    for mod in TASK_MODULES:
        importlib.import_module(mod)
    return TASKS


def run_task(name: str, path: str, **options) -> dict:
    tasks = load_tasks()
    if name not in tasks:
        raise UsageError(Codes.E002, f"'{name}' (tasks: {', '.join(sorted(tasks))})")
    return tasks[name](path, **options)
