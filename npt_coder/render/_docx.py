"""Word helpers shared by the renderers: a DataFrame as a table, cell shading, header rows that repeat.

:func:`add_table` is the one place a python-docx table is filled from a DataFrame; the options cover what the
agreement, themes and study reports each need (column headings, number formats, widths, shaded cells).
"""

from __future__ import annotations

import math
from typing import Any, Callable, Mapping, Sequence

import pandas as pd
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from ._colour import bare, rgb
from ._docx_rows import append_row_copies, copyable

__all__ = ["add_table", "cell_text", "colour_runs", "repeat_header", "shade_cell"]


def shade_cell(cell, colour: str) -> None:
    """Fill a table cell with ``colour`` (``"#RRGGBB"`` or ``"RRGGBB"``)."""
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), bare(colour))
    tc_pr.append(shd)


def colour_runs(paragraph, colour: str | None) -> None:
    """Set the text colour of every run of ``paragraph`` (e.g. a heading in its CMO domain's colour); ``None``
    leaves it as it is."""
    if colour:
        for run in paragraph.runs:
            run.font.color.rgb = RGBColor(*rgb(colour))


def repeat_header(row, *, bold: bool = False) -> None:
    """Mark a table row as a header row, repeated at the top of every page; ``bold`` also sets its text bold."""
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)
    if bold:
        for cell in row.cells:
            for p in cell.paragraphs:
                for run in p.runs:
                    run.bold = True


def cell_text(value: Any, *, na: str | None = "–", digits: int | None = 2) -> str:
    """The text of one table cell: ``na`` for a missing value (``None`` or NaN), floats to ``digits`` places.

    ``na=None`` and ``digits=None`` write missing values and floats as ``str`` does.

    >>> cell_text(0.4567), cell_text(float("nan")), cell_text(3), cell_text(0.5, digits=None), cell_text(None, na="")
    ('0.46', '–', '3', '0.5', '')
    """
    if na is not None and (value is None or (isinstance(value, float) and math.isnan(value))):
        return na
    if digits is not None and isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def add_table(doc, frame: pd.DataFrame, *, headers: Mapping[str, str] | None = None,
              style: str = "Light Grid Accent 1", font_size: float | None = None, na: str | None = "–",
              digits: int | None = 2, formats: Mapping[str, Callable[[Any], str]] | None = None,
              widths: Sequence[float] | None = None, header_fill: str | None = None, repeat: bool = False,
              fills: Sequence[str | None] | None = None, fill_col: int = 0, alignment=None,
              space_after: float | None = None):
    """Append ``frame`` to ``doc`` as a table: one heading row, then one row per frame row; returns the table.

    Parameters
    ----------
    headers : mapping, optional
        Heading text per column (default: the column name).
    style : str
        A table style of the default python-docx template.
    font_size : float, optional
        Point size of every cell's text.
    na, digits
        How missing values and floats are written (see :func:`cell_text`).
    formats : mapping of column to function, optional
        Columns written by their own function of the value instead (e.g. percentages).
    widths : sequence of float, optional
        Column widths in cm. Set on the grid (read by LibreOffice) and on every cell (read by Word), with autofit
        off, so both programs show the same widths.
    header_fill : str, optional
        Shade the heading row with this colour.
    repeat : bool
        Repeat the heading row on every page, in bold.
    fills, fill_col
        A colour (or ``None``) per frame row, shading that row's cell in column ``fill_col``.
    alignment : WD_TABLE_ALIGNMENT, optional
        Where the table sits between the margins.
    space_after : float, optional
        Space after each cell paragraph, in points.
    """
    headers = headers or {}
    formats = formats or {}
    columns = list(frame.columns)
    t = doc.add_table(rows=1, cols=len(columns))
    t.style = style
    if alignment is not None:
        t.alignment = alignment
    for cell, name in zip(t.rows[0].cells, columns):
        cell.text = str(headers.get(name, name))
        if header_fill is not None:
            shade_cell(cell, header_fill)
    if repeat:
        repeat_header(t.rows[0], bold=True)
    writers = [formats.get(name) for name in columns]
    texts = [[write(v) if write is not None else cell_text(v, na=na, digits=digits)
              for v, write in zip(values, writers)] for values in frame.itertuples(index=False)]
    copies = texts[1:] if fills is None and copyable(texts[1:]) else []  # rows made as copies of the first, at the end
    for i, row_texts in enumerate(texts[:len(texts) - len(copies)]):
        cells = t.add_row().cells
        for cell, text in zip(cells, row_texts):
            cell.text = text
        if fills is not None and fills[i]:
            shade_cell(cells[fill_col], fills[i])
    if widths is not None:  # Word reads the cell widths, LibreOffice the grid: set both, and no autofit
        t.autofit = False
        for j, w in enumerate(widths):
            t.columns[j].width = Cm(w)
    for row in t.rows:
        for j, cell in enumerate(row.cells):
            if widths is not None:
                cell.width = Cm(widths[j])
            for p in cell.paragraphs:
                if space_after is not None:
                    p.paragraph_format.space_after = Pt(space_after)
                if font_size is not None:
                    for run in p.runs:
                        run.font.size = Pt(font_size)
    append_row_copies(t, copies)
    return t
