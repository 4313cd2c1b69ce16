"""Progress for long operations, drawn with rich on the terminal and nowhere else.

:func:`terminal_progress` gives the callback the services take (``progress(stage, done, total)``) when standard
error is a terminal, and ``None`` otherwise, so piped output, scripts and logs never receive progress bars. The bars
are transient: when the operation ends they are cleared, and the verb's summary is all that stays. ``quiet``
(the verbs' ``--quiet``) turns them off on a terminal too; with ``delay`` they appear only once the operation has
run that long, so a quick one draws nothing. :func:`writing` tells the callback of each output file in turn.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Callable, Iterator, Sequence, TypeVar

__all__ = ["STAGES", "terminal_progress", "writing"]

T = TypeVar("T")

#: what each stage of a service is called on the terminal
STAGES = {
    "reading": "Reading files",
    "sentences": "Finding sentences",
    "names": "Looking for names",
    "patterns": "Looking for other identifiers",
    "storing": "Storing",
    "agreement": "Computing agreement",
    "themes": "Gathering themes",
    "logic models": "Counting logic-model evidence",
    "writing": "Writing files",
    "pseudonymising": "Pseudonymising files",
    "sheets": "Transcript sheets",
    "sources": "Reading the project's sources",
    "exporting": "Exporting transcripts",
    "disagreements": "Finding disagreements",
    "deciding": "Applying the decisions",
    "embedding": "Embedding units",
    "scoring": "Scoring codes",
    "explaining": "Giving reasons",
    "matrix": "Building the matrix",
    "demo": "Running the demo study",
}


@contextmanager
def terminal_progress(console=None, *, quiet: bool = False,
                      delay: float = 0.0) -> Iterator[Callable[[str, int, int], None] | None]:
    """A progress callback drawing one bar per stage on ``console`` (default: standard error), or ``None`` when
    that is not a terminal or ``quiet`` is true; the bars appear after ``delay`` seconds."""
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    console = console or Console(stderr=True)
    if quiet or not console.is_terminal:
        yield None
        return
    columns = (TextColumn("{task.description}"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"),
               TimeElapsedColumn())
    bars = Progress(*columns, console=console, transient=True)
    tasks: dict[str, int] = {}

    def update(stage: str, done: int, total: int) -> None:
        if stage not in tasks:
            tasks[stage] = bars.add_task(STAGES.get(stage, stage), total=max(total, 1))
        bars.update(tasks[stage], completed=done, total=max(total, 1))

    timer = threading.Timer(delay, bars.start)
    timer.daemon = True
    if delay > 0:
        timer.start()
    else:
        bars.start()
    try:
        yield update
    finally:
        timer.cancel()
        if timer.is_alive():
            timer.join()
        if bars.live.is_started:
            bars.stop()


def writing(paths: Sequence[T], progress: Callable[[str, int, int], None] | None) -> Iterator[T]:
    """Each of ``paths`` in turn, ``progress`` (when given) told ``"writing"`` before each file and when all are
    written."""
    for i, path in enumerate(paths):
        if progress is not None:
            progress("writing", i, len(paths))
        yield path
    if progress is not None:
        progress("writing", len(paths), len(paths))
