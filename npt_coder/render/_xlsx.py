"""Excel helpers shared by the renderers: a DataFrame as a sheet, a sheet of labelled values, a methods sheet.

:func:`write_sheet` is the one place an openpyxl sheet is filled from a DataFrame: numbers stay numbers (NaN
becomes an empty cell, NumPy scalars plain Python values), the heading row is bold on grey, and the options cover
widths, wrapped columns, number formats, frozen panes and filters.
"""

from __future__ import annotations

import math
from typing import Any, Iterable, Mapping, Sequence

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["HEADER_FILL", "methods_sheet", "set_widths", "style_header", "to_cell", "write_pairs", "write_sheet"]

HEADER_FILL = "DDDDDD"
_TOP_WRAP = Alignment(wrap_text=True, vertical="top")


def to_cell(value: Any, *, list_sep: str = "; ") -> Any:
    """A value as an Excel cell takes it: ``None`` for missing, Python scalars for NumPy ones, lists joined.

    >>> import numpy as np
    >>> to_cell(np.int64(3)), to_cell(float("nan")), to_cell(["a", "b"]), to_cell(("a", "b"), list_sep=", ")
    (3, None, 'a; b', 'a, b')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):
        return value.item()
    if isinstance(value, (list, tuple)):
        return list_sep.join(map(str, value))
    return value


def style_header(ws: Worksheet, *, fill: str = HEADER_FILL, row: int = 1) -> None:
    """Bold, grey-filled, wrapped heading cells in ``row``."""
    for cell in ws[row]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=fill)
        cell.alignment = _TOP_WRAP


def set_widths(ws: Worksheet, widths: Sequence[float]) -> None:
    """Column widths (in Excel's character units), from column A on."""
    for j, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = w


def write_sheet(target: Workbook | Worksheet, name: str, frame: pd.DataFrame, *,
                headers: Mapping[str, str] | None = None,
                widths: Mapping[str, float] | Sequence[float] | None = None, default_width: float = 12,
                wrap: Iterable[str] | bool = (), number_formats: Mapping[str, str] | None = None,
                freeze: str | None = "A2", autofilter: bool = False, list_sep: str = "; ") -> Worksheet:
    """Write ``frame`` as a sheet: a bold heading row, then one row per frame row; returns the sheet.

    Parameters
    ----------
    target : Workbook or Worksheet
        A workbook gets a new sheet called ``name`` (cut to Excel's 31 characters); a worksheet (e.g. a new
        workbook's first sheet) is renamed ``name`` and filled.
    headers : mapping, optional
        Heading text per column (default: the column name).
    widths : mapping of column to width, or a sequence of widths, optional
        Column widths; columns not given are ``default_width`` wide.
    wrap : column names, or True
        Columns whose cells wrap their text (True: every column).
    number_formats : mapping of column to Excel number format, optional
        E.g. ``{"prevalence": "0.0%"}``.
    freeze : str or None
        The top-left cell of the scrolling area (``"A2"`` keeps the heading row in view); ``None``: no panes.
    autofilter : bool
        Add filter buttons to the heading row (when there are rows).
    list_sep : str
        What lists and tuples in cells are joined with.
    """
    if isinstance(target, Workbook):
        ws = target.create_sheet(name[:31])
    else:
        ws = target
        ws.title = name[:31]
    headers = headers or {}
    columns = list(frame.columns)
    ws.append([str(headers.get(c, c)) for c in columns])
    for values in frame.itertuples(index=False):
        ws.append([to_cell(v, list_sep=list_sep) for v in values])
    style_header(ws)
    if widths is None or isinstance(widths, Mapping):
        by_name = widths or {}
        set_widths(ws, [by_name.get(str(c), default_width) for c in columns])
    else:
        set_widths(ws, list(widths) + [default_width] * (len(columns) - len(widths)))
    wrapped = set(columns) if wrap is True else set(wrap or ())
    formats = number_formats or {}
    for j, c in enumerate(columns, start=1):
        if c in wrapped or c in formats:
            for cell in ws[get_column_letter(j)][1:]:
                if c in wrapped:
                    cell.alignment = _TOP_WRAP
                if c in formats:
                    cell.number_format = formats[c]
    if freeze is not None:
        ws.freeze_panes = freeze
    if autofilter and len(frame):
        ws.auto_filter.ref = ws.dimensions
    return ws


def write_pairs(target: Workbook, name: str, rows: Iterable[Sequence[Any]], *, widths: Sequence[float] = (20, 110),
                bold_keys: bool = True) -> Worksheet:
    """A sheet of labelled values (an About sheet): one ``(label, value)`` row each, wrapped, labels in bold."""
    ws = target.create_sheet(name[:31])
    for row in rows:
        ws.append(list(row))
    set_widths(ws, widths)
    for row in ws.iter_rows():
        for cell in row:
            cell.alignment = _TOP_WRAP
        if bold_keys:
            row[0].font = Font(bold=True)
    return ws


def methods_sheet(ws: Worksheet, title: str, text: str) -> None:
    """A readable, printable text sheet: a title, then one wrapped cell per paragraph (blank-line separated), each
    row as tall as its text (Excel caps a row at 409 points, so paragraphs get rows of their own)."""
    ws.title = "Methods"
    ws["A1"] = title
    ws["A1"].font = Font(bold=True, size=14)
    ws.column_dimensions["A"].width = 80  # fits an A4 page with default margins, so the text prints whole
    for i, paragraph in enumerate(p for p in text.split("\n\n") if p.strip()):
        cell = ws.cell(row=3 + i, column=1, value=paragraph)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[3 + i].height = min(409, 15 * (len(paragraph) // 70 + 2))
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
