"""Which function runs each kind of job (issue 12 point 8). Apps above jobs register their
runners in a `jobs` module of their own, found at start-up (`JobsConfig.ready`), so that
jobs imports no app above it (core/tests/test_layers.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Runner = Callable[..., Any]
_RUNNERS: dict[str, Runner] = {}


def register(kind: str) -> Callable[[Runner], Runner]:
    """Decorator: `runner(job, **params)` does the work of jobs of `kind`; it may call
    `job_progress` and must end with `job_finish` (or raise: the job then fails)."""

    def decorate(runner: Runner) -> Runner:
        if _RUNNERS.get(kind, runner) is not runner:
            raise ValueError(f"Job kind {kind!r} is already registered")
        _RUNNERS[kind] = runner
        return runner

    return decorate


def runner_for(kind: str) -> Runner:
    try:
        return _RUNNERS[kind]
    except KeyError:
        raise LookupError(f"No runner registered for job kind {kind!r}") from None
