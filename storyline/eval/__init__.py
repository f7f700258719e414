"""`storyline eval TASK PATH`: score the system on a data set in its native format.

Each task is a function `(path, **options) -> dict of metrics`, registered with `@task`.
The same functions back the quality gates in the tests.
"""
from .registry import TASKS, run_task, task

__all__ = ["TASKS", "run_task", "task"]
