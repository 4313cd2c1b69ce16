"""The one sheet writer: openpyxl helpers every workbook the toolkit makes is built with.

A low module (it imports only openpyxl and pandas), so the coding workbook (:mod:`npt_coder.coding`), the review
workbook (:mod:`npt_coder.review`) and the reports (:mod:`npt_coder.render`) share one look and one set of rules:

- numbers stay numbers (NaN becomes an empty cell, NumPy scalars plain Python values);
- the heading row is bold on grey, wrapped, and repeated on every printed page;
- columns are as wide as their content (within bounds) unless a width is given, and wrapped text gets rows tall
  enough to show it, because not every spreadsheet program grows a row to fit its text on opening;
- printed sheets fit the page width, so no text is cut at the page edge.
"""

from __future__ import annotations

import math
from typing import Any, Iterable, Mapping, Sequence

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

__all__ = [
    "EDIT_FILL", "HEADER_FILL", "PORTRAIT_WIDTH", "LOCKED_FILL", "LOCKED_FONT", "TOP_WRAP", "fit_heights", "fit_widths",
    "methods_sheet", "print_setup", "row_lines", "set_widths", "style_header", "text_sheet", "to_cell",
    "write_pairs", "write_sheet",
]

#: Heading rows: light grey (black text on it has a contrast of about 15:1).
HEADER_FILL = "DDDDDD"
#: Cells a user fills in (codes, decisions, notes): a pale yellow.
EDIT_FILL = "FFF8DC"
#: Rows shown for context only (an interviewer's question in a coding workbook): pale grey, text in dark grey.
LOCKED_FILL = "EFEFEF"
LOCKED_FONT = Font(color="595959", italic=True)  # 6.4:1 on LOCKED_FILL
TOP_WRAP = Alignment(wrap_text=True, vertical="top")

_LINE_POINTS = 15.0  # row height per line of 11 pt text
#: Total column width (Excel's character units) that prints on a portrait A4 page at the default margins. Not
#: every program scales a sheet to the page width as asked (LibreOffice does not for a single wrapped column), so
#: text sheets are made no wider than this.
PORTRAIT_WIDTH = 70
_MAX_ROW = 409.0  # Excel's tallest row, in points


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
    """Bold, grey-filled, wrapped heading cells in ``row``, repeated at the top of every printed page."""
    for cell in ws[row]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=fill)
        cell.alignment = TOP_WRAP
    ws.print_title_rows = f"{row}:{row}"


def set_widths(ws: Worksheet, widths: Sequence[float]) -> None:
    """Column widths (in Excel's character units), from column A on."""
    for j, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = w


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def fit_widths(ws: Worksheet, *, columns: Iterable[int] | None = None, minimum: float = 6, maximum: float = 60,
               header_words: bool = True) -> list[float]:
    """Set each column's width from its content: the longest line of any cell, plus a margin, within
    ``minimum``..``maximum``; a heading counts by its longest word (headings wrap), so a short column keeps a short
    width under a long heading. Returns the widths set, column A first.

    >>> from openpyxl import Workbook
    >>> ws = Workbook().active
    >>> ws.append(["Code", "Transcripts coded"]); ws.append(["M3.3 Relational integration", 3])
    >>> fit_widths(ws)
    [29, 13]
    """
    wanted = set(columns) if columns is not None else None
    widths: list[float] = []
    for j, col in enumerate(ws.iter_cols(), start=1):
        if wanted is not None and j not in wanted:
            widths.append(ws.column_dimensions[get_column_letter(j)].width or 13)
            continue
        longest = 0
        for i, cell in enumerate(col):
            text = _text(cell.value)
            if not text:
                continue
            if i == 0 and header_words:
                longest = max(longest, max(len(w) for w in text.split()))
            else:
                longest = max(longest, max(len(line) for line in text.split("\n")))
        width = max(minimum, min(maximum, longest + 2))
        ws.column_dimensions[get_column_letter(j)].width = width
        widths.append(width)
    return widths


def row_lines(values: Sequence[Any], widths: Sequence[float]) -> int:
    """How many lines the tallest of ``values`` wraps to in columns ``widths`` wide (a character is about one
    width unit, less a little for the cell's padding).

    >>> row_lines(["short", "x" * 50], [10, 20])
    3
    """
    lines = 1
    for v, w in zip(values, widths):
        text = _text(v)
        if not text:
            continue
        per = max(int((w or 10) * 1.2) - 1, 4)
        lines = max(lines, sum(max(1, math.ceil(len(part) / per)) for part in text.split("\n")))
    return lines


def fit_heights(ws: Worksheet, *, first_row: int = 1, minimum_lines: int = 1,
                line_points: float = _LINE_POINTS) -> None:
    """Give every row from ``first_row`` on the height its wrapped text needs at the sheet's column widths (at
    most Excel's 409 points)."""
    widths = [ws.column_dimensions[get_column_letter(j)].width or 13 for j in range(1, ws.max_column + 1)]
    hidden = [ws.column_dimensions[get_column_letter(j)].hidden for j in range(1, ws.max_column + 1)]
    for row in ws.iter_rows(min_row=first_row):
        values = [c.value if not h else None for c, h in zip(row, hidden)]
        lines = max(minimum_lines, row_lines(values, widths))
        ws.row_dimensions[row[0].row].height = min(_MAX_ROW, line_points * lines + 3)


def print_setup(ws: Worksheet, *, landscape: bool = True, title_rows: str | None = "1:1") -> None:
    """Print the sheet one page wide (as many pages down as needed), landscape by default, the heading row on
    every page."""
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if title_rows:
        ws.print_title_rows = title_rows


def write_sheet(target: Workbook | Worksheet, name: str, frame: pd.DataFrame, *,
                headers: Mapping[str, str] | None = None,
                widths: Mapping[str, float] | Sequence[float] | None = None, default_width: float | None = None,
                wrap: Iterable[str] | bool = (), number_formats: Mapping[str, str] | None = None,
                freeze: str | None = "A2", autofilter: bool = False, list_sep: str = "; ",
                max_width: float = 60) -> Worksheet:
    """Write ``frame`` as a sheet: a bold heading row, then one row per frame row; returns the sheet.

    Parameters
    ----------
    target : Workbook or Worksheet
        A workbook gets a new sheet called ``name`` (cut to Excel's 31 characters); a worksheet (e.g. a new
        workbook's first sheet) is renamed ``name`` and filled.
    headers : mapping, optional
        Heading text per column (default: the column name).
    widths : mapping of column to width, or a sequence of widths, optional
        Column widths; columns not given are ``default_width`` wide, or, by default, as wide as their content
        (see :func:`fit_widths`, at most ``max_width``).
    wrap : column names, or True
        Columns whose cells wrap their text (True: every column). Rows are made tall enough for wrapped text.
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
    fitted = fit_widths(ws, maximum=max_width) if columns else []
    by_name: Mapping[str, float] = {}
    if isinstance(widths, Mapping):
        by_name = widths
    elif widths is not None:
        by_name = {str(c): w for c, w in zip(columns, widths)}
    set_widths(ws, [by_name.get(str(c), default_width if default_width is not None else fitted[j])
                    for j, c in enumerate(columns)])
    wrapped = set(columns) if wrap is True else set(wrap or ())
    formats = number_formats or {}
    for j, c in enumerate(columns, start=1):
        if c in wrapped or c in formats:
            for cell in ws[get_column_letter(j)][1:]:
                if c in wrapped:
                    cell.alignment = TOP_WRAP
                if c in formats:
                    cell.number_format = formats[c]
    if wrapped:
        fit_heights(ws, first_row=2)
    if freeze is not None:
        ws.freeze_panes = freeze
    if autofilter and len(frame):
        ws.auto_filter.ref = ws.dimensions
    print_setup(ws, landscape=len(columns) > 6)
    return ws


def write_pairs(target: Workbook, name: str, rows: Iterable[Sequence[Any]], *,
                widths: Sequence[float] = (18, PORTRAIT_WIDTH - 18), bold_keys: bool = True) -> Worksheet:
    """A sheet of labelled values (an About sheet): one ``(label, value)`` row each, wrapped, labels in bold, each
    row as tall as its text, as wide as a portrait page in all (``widths``), so it prints whole."""
    ws = target.create_sheet(name[:31])
    for row in rows:
        ws.append([to_cell(v) for v in row])
    set_widths(ws, widths)
    for row in ws.iter_rows():
        for cell in row:
            cell.alignment = TOP_WRAP
        if bold_keys:
            row[0].font = Font(bold=True)
    fit_heights(ws)
    print_setup(ws, landscape=False, title_rows=None)
    return ws


def text_sheet(ws: Worksheet, title: str, paragraphs: Sequence[str], *, width: float = PORTRAIT_WIDTH) -> Worksheet:
    """A readable, printable text sheet (Instructions, Methods): a title, then one wrapped cell per paragraph, each
    row as tall as its text; one column ``width`` wide, printed portrait one page wide, so nothing is cut at the
    page edge."""
    ws["A1"] = title
    ws["A1"].font = Font(bold=True, size=14)
    ws.row_dimensions[1].height = 22
    ws.column_dimensions["A"].width = width
    for i, paragraph in enumerate(paragraphs):
        cell = ws.cell(row=3 + i, column=1, value=paragraph or None)
        cell.alignment = TOP_WRAP
        ws.row_dimensions[3 + i].height = min(_MAX_ROW, _LINE_POINTS * row_lines([paragraph], [width]) + 3)
    print_setup(ws, landscape=False, title_rows=None)
    return ws


def methods_sheet(ws: Worksheet, title: str, text: str) -> None:
    """A Methods sheet: :func:`text_sheet` with one row per paragraph of ``text`` (blank-line separated; Excel caps
    a row at 409 points, so paragraphs get rows of their own)."""
    ws.title = "Methods"
    text_sheet(ws, title, [p for p in text.split("\n\n") if p.strip()])
