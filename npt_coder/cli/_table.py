"""Tables and paragraphs for the terminal: as wide as the terminal, never wider.

:func:`echo_table` writes a DataFrame with readable headings: counts as whole numbers (a count read back as
``244.0`` is written ``244``), other numbers to a fixed number of places, missing values as ``–``. Columns that hold
text wrap within their cells; if the table is still too wide, the columns at the right are left out and a last line
says which (``--json`` has everything). :func:`echo_wrapped` writes a paragraph wrapped to the terminal.
"""

from __future__ import annotations

import math
import shutil
import textwrap
from typing import Mapping, Sequence

import pandas as pd
import typer

from .._words import and_list

__all__ = ["echo_table", "echo_wrapped", "format_table", "is_count", "terminal_width"]

_GAP = "  "
_MIN_WRAP = 10


def terminal_width(default: int = 100) -> int:
    """Columns of the terminal (``COLUMNS`` wins; ``default`` when output is not a terminal), at least 40."""
    return max(40, shutil.get_terminal_size((default, 24)).columns)


def _cell(value, digits: int) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and digits == 0 else f"{value:.{digits}f}"
    if hasattr(value, "item"):  # NumPy scalars
        return _cell(value.item(), digits)
    return str(value)


def is_count(series: pd.Series) -> bool:
    """Whole numbers only (an integer column, or floats that are all whole, as counts read back with gaps are): the
    one rule for what the terminal writes as a count (here and in :func:`npt_coder.cli._app.for_display`)."""
    if pd.api.types.is_integer_dtype(series):
        return True
    if pd.api.types.is_float_dtype(series):
        values = series.dropna()
        return bool(len(values)) and bool((values == values.round()).all())
    return False


def format_table(frame: pd.DataFrame, *, width: int, headers: Mapping[str, str] | None = None,
                 digits: Mapping[str, int] | None = None, wrap: Sequence[str] = ()) -> str:
    """``frame`` as lines of text no wider than ``width``.

    ``headers`` gives readable headings, ``digits`` the places per column for non-count numbers (default 2),
    ``wrap`` the columns whose text may wrap (default: every text column).

    >>> df = pd.DataFrame({"label": ["C1 Strategic intentions", "M3.3 Relational integration"],
    ...                    "n_codings": [244.0, 3.0], "kappa": [0.8123, float("nan")]})
    >>> print(format_table(df, width=28, headers={"label": "Code", "n_codings": "Codings", "kappa": "κ"}))
    Code           Codings     κ
    C1 Strategic       244  0.81
    intentions
    M3.3                 3     –
    Relational
    integration
    """
    headers = dict(headers or {})
    digits = dict(digits or {})
    cols = list(frame.columns)
    counts = {c: is_count(frame[c]) for c in cols}
    texts = {c: [_cell(v, 0 if counts[c] else digits.get(c, 2)) for v in frame[c]] for c in cols}
    numeric = {c: counts[c] or pd.api.types.is_float_dtype(frame[c]) for c in cols}
    heads = {c: str(headers.get(c, c)) for c in cols}
    wrappable = set(wrap) if wrap else {c for c in cols if not numeric[c]}

    def natural(c: str) -> int:
        return max([len(heads[c])] + [len(t) for t in texts[c]])

    widths = {c: natural(c) for c in cols}

    def total(names) -> int:
        return sum(widths[c] for c in names) + len(_GAP) * (len(names) - 1)

    # wrap the widest text columns first, down to the longest word they hold (and never below 10)
    while total(cols) > width:
        candidates = [c for c in cols if c in wrappable and widths[c] > _MIN_WRAP]
        if not candidates:
            break
        c = max(candidates, key=lambda k: widths[k])
        longest_word = max([len(w) for t in texts[c] for w in t.split()] + [_MIN_WRAP])
        floor = min(widths[c], max(_MIN_WRAP, longest_word))
        excess = total(cols) - width
        new = max(floor, widths[c] - excess)
        if new == widths[c]:
            wrappable.discard(c)
            continue
        widths[c] = new
    shown = list(cols)
    while len(shown) > 1 and total(shown) > width:
        shown.pop()
    left_out = [heads[c] for c in cols if c not in shown]

    def lines_of(c: str, text: str) -> list[str]:
        if len(text) <= widths[c]:
            return [text]
        return textwrap.wrap(text, widths[c], break_long_words=True, break_on_hyphens=False) or [""]

    def block(cells: dict[str, list[str]]) -> list[str]:
        height = max(len(v) for v in cells.values())
        out = []
        for k in range(height):
            parts = []
            for c in shown:
                piece = cells[c][k] if k < len(cells[c]) else ""
                parts.append(piece.rjust(widths[c]) if numeric[c] else piece.ljust(widths[c]))
            out.append(_GAP.join(parts).rstrip())
        return out

    rows = block({c: lines_of(c, heads[c]) if c in wrappable or len(heads[c]) > widths[c] else [heads[c]]
                  for c in shown})
    for i in range(len(frame)):
        rows += block({c: lines_of(c, texts[c][i]) for c in shown})
    if left_out:
        rows.append(textwrap.fill(f"({len(left_out)} more {'column' if len(left_out) == 1 else 'columns'} in a "
                                  f"wider terminal or with --json: {and_list(left_out)})", width))
    return "\n".join(rows)


def echo_table(frame: pd.DataFrame, **kwargs) -> None:
    """:func:`format_table` at the terminal's width, echoed."""
    typer.echo(format_table(frame, width=terminal_width(), **kwargs))


def echo_wrapped(text: str, *, err: bool = False, indent: str = "") -> None:
    """A paragraph (or paragraphs, blank-line separated) wrapped to the terminal's width, echoed (to stderr with
    ``err``; lines after the first indented by ``indent``)."""
    width = terminal_width()
    typer.echo("\n\n".join(textwrap.fill(p, width, subsequent_indent=indent) for p in text.split("\n\n")
                            if p.strip()), err=err)
