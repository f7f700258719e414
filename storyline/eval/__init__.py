"""`storyline eval TASK PATH`: score the system on a data set in its native format.

Each task is a function `(path, **options) -> dict of metrics`, declared by its extractor in
storyline/extractors.py. The same functions back the quality gates in the tests.
"""
from .registry import run_task, task_names

__all__ = ["run_task", "task_names"]
