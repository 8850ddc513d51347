"""Progress of long work as plain callbacks (core layer).

A long function takes ``progress``: a callable ``progress(stage, done, total)`` or ``None``.
``stage`` names what is being done in words (``"reading bom.xlsx"``, ``"rolling up"``,
``"writing report"``); ``done`` of ``total`` steps of that stage are finished. Nothing here
knows about terminals: an interface decides whether and how to show it (the command line draws
a bar on a terminal only, :mod:`bomcalc.cli_progress`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

#: ``progress(stage, done, total)``: ``done`` of ``total`` steps of ``stage`` are finished.
Progress = Callable[[str, int, int], None]

T = TypeVar("T")


def tell(progress: Progress | None, stage: str, done: int, total: int) -> None:
    """Call ``progress`` when there is one."""
    if progress is not None:
        progress(stage, done, total)


def counted(progress: Progress | None, stage: str, items: Iterable[T], total: int) -> Iterator[T]:
    """Yield ``items``, telling ``progress`` after each one (and once before the first)."""
    tell(progress, stage, 0, total)
    for done, item in enumerate(items, start=1):
        yield item
        tell(progress, stage, done, total)
