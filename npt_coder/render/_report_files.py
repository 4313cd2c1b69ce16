"""Writing a study report's files: the Word file last, its charts drawn in the background meanwhile.

The charts of the Word file are drawn by the browser kaleido drives, a quarter of a second or more each; the Excel
workbook and the HTML page need none. :func:`write_report` has the charts drawn while the other files are written
and the Word file's tables laid out, so the wait for them overlaps other work.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Callable, Sequence

from ._images import drawing_ahead
from ._report import report_charts
from ._save import save

__all__ = ["write_report"]


def write_report(report, paths: Sequence[str | Path], *, progress: Callable[[str, int, int], None] | None = None,
                 timings: dict[str, float] | None = None) -> None:
    """Write ``report`` to each of ``paths`` (``.docx``, ``.xlsx``, ``.html``, as :func:`save` does), Word files
    last. ``progress(stage, done, total)`` hears ``"writing"`` per file; ``timings`` gets seconds per file name."""
    word = [p for p in paths if Path(p).suffix.lower() == ".docx"]
    order = [p for p in paths if Path(p).suffix.lower() != ".docx"] + word
    with drawing_ahead(report_charts(report) if word else []):
        for i, path in enumerate(order):
            if progress is not None:
                progress("writing", i, len(order))
            start = time.perf_counter()
            save(report, path)
            if timings is not None:
                timings[Path(path).name] = time.perf_counter() - start
    if progress is not None:
        progress("writing", len(order), len(order))
