"""The framework matrix (Gale et al. 2013) as a workbook, and as the table a report shows.

Takes the :class:`~npt_coder.themes.FrameworkMatrix` :func:`npt_coder.themes.framework_matrix` returns. A case
nobody has coded yet shows "not coded" in every code column, never ``0`` or an empty cell, which would read as
"absent".
"""

from __future__ import annotations

import html

import pandas as pd
from docx.shared import Pt, RGBColor
from openpyxl import Workbook
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from .._xlsx import HEADER_FILL, LOCKED_FILL, print_setup, row_lines, set_widths, style_header, to_cell, write_pairs
from ._colour import bare, tint
from ._docx import add_table
from ._headers import header
from ._style import DOMAIN_COLOURS, DOMAIN_NAMES

__all__ = ["NOT_CODED", "add_matrix_table", "matrix_for_report", "matrix_html", "matrix_to_xlsx"]

NOT_CODED = "not coded"
_REFERENCE = ("Gale, N. K., Heath, G., Cameron, E., Rashid, S., & Redwood, S. (2013). Using the framework method for "
              "the analysis of qualitative data in multi-disciplinary health research. BMC Medical Research "
              "Methodology, 13, 117.")


def _coded(found) -> list[bool]:
    return list(found.coded_rows) if len(found.coded_rows) == len(found.table) else [True] * len(found.table)


def _short(label: str) -> str:
    return label.split(" ", 1)[0]


_REPORT_LEADING = ("participant", "transcript_id", "site", "role", "method")


def matrix_for_report(found, *, short: bool = True) -> tuple[pd.DataFrame, str]:
    """The matrix as a report table: case columns with readable headings (in a short report table only
    participant, transcript, site, role and method), code or construct columns headed by their ids (``M3``,
    ``IND-IT``; ``short=False``: their full labels and every case column) so that a matrix of many columns stays
    legible, rows nobody has coded yet reading "not coded"; and the caption, which names every id."""
    table = found.table
    leading = [c for c in found.leading if not short or c in _REPORT_LEADING] or list(found.leading)
    code_cols = [c for c in table.columns if c not in found.leading]
    out = table[leading].rename(columns={c: header(c) for c in leading}).copy()
    coded = _coded(found)
    for c in code_cols:
        out[_short(c) if short else c] = [v if ok else NOT_CODED for v, ok in zip(table[c], coded)]
    what = (f"coded {found.unit}s" if found.cell == "count" else "coded passages")
    key = "; ".join(f"{_short(c)} {c.split(' ', 1)[1]}" if " " in c else c for c in code_cols)
    caption = (f"Framework matrix: {what} per {found.row_kind} and {found.column_kind}; "
               f"\"{NOT_CODED} yet\" marks a case nobody has coded. Columns: {key}.")
    return out, caption


def add_matrix_table(doc, found) -> None:
    """The matrix as a numbered Word table (see :func:`matrix_for_report`): a row nobody has coded yet has one
    cell, "not coded yet", across its code columns, in grey italics."""
    frame, caption = matrix_for_report(found)
    coded = _coded(found)
    n_lead = len([c for c in frame.columns if c in {header(x) for x in found.leading}])
    blank = frame.astype(object)
    for name in frame.columns[n_lead:]:
        blank[name] = [v if ok else "" for v, ok in zip(frame[name], coded)]
    table = add_table(doc, blank, caption=caption, font_size=8, na="", digits=None)
    for i, ok in enumerate(coded, start=1):
        if ok or n_lead >= len(frame.columns):
            continue
        row = table.rows[i]
        cell = row.cells[n_lead].merge(row.cells[len(frame.columns) - 1])
        cell.text = f"{NOT_CODED} yet"
        run = cell.paragraphs[0].runs[0]
        run.italic = True
        run.font.size = Pt(8)
        run.font.color.rgb = RGBColor(0x59, 0x59, 0x59)  # 7:1 on white
        cell.paragraphs[0].paragraph_format.space_after = Pt(0)


def matrix_html(found, number: int) -> str:
    """The matrix as a numbered HTML table, every value escaped; a row nobody has coded yet has one cell, "not
    coded yet", across its code columns."""
    frame, caption = matrix_for_report(found)
    coded = _coded(found)
    n_lead = len([c for c in frame.columns if c in {header(x) for x in found.leading}])
    esc = html.escape
    head = "".join(f"<th scope='col'>{esc(str(c))}</th>" for c in frame.columns)
    rows = []
    for values, ok in zip(frame.itertuples(index=False), coded):
        cells = "".join(f"<td>{esc(str(v))}</td>" for v in values[:n_lead])
        if ok:
            cells += "".join(f"<td>{esc(str(v))}</td>" for v in values[n_lead:])
        else:
            cells += f"<td class='not-coded' colspan='{len(values) - n_lead}'>{NOT_CODED} yet</td>"
        rows.append(f"<tr>{cells}</tr>")
    return (f"<table class='dataframe matrix'><caption><strong>Table {number}.</strong> {esc(caption)}</caption>"
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>")


def matrix_to_xlsx(found, *, title: str | None = None) -> Workbook:
    """A framework matrix as a workbook: one sheet per CMO domain (Context, Mechanism, Outcome, then any codes not
    mapped to a domain), the case attributes as leading columns on every sheet, wrapped text, row heights that fit
    the excerpts, frozen header row and case columns; counts as numbers with a colour scale; a case nobody has
    coded yet reads "not coded" on a grey row. An About sheet says what the rows, columns and cells are.
    """
    matrix = found.table
    leading = list(found.leading or [c for c in matrix.columns if c in ("participant", "transcript_id")])
    domains = dict(found.domains or {})
    code_cols = [c for c in matrix.columns if c not in leading]
    count = found.cell == "count"
    coded = _coded(found)
    wb = Workbook()
    wb.remove(wb.active)
    groups: dict[str, list[str]] = {}
    for c in code_cols:
        groups.setdefault(domains.get(c, ""), []).append(c)
    order = [d for d in ("context", "mechanism", "outcome") if d in groups] + [d for d in groups if d not in
                                                                               ("context", "mechanism", "outcome")]
    lead_w = [14 if c in ("participant", "transcript_id") else 12 for c in leading]
    thin = Side(style="thin", color="BFBFBF")
    grey = PatternFill("solid", fgColor=LOCKED_FILL)
    for d in order:
        cols = groups[d]
        ws = wb.create_sheet(DOMAIN_NAMES.get(d, "Not mapped"))
        ws.append([header(c) for c in leading] + cols)
        fill = bare(tint(DOMAIN_COLOURS[d], 0.7)) if d in DOMAIN_COLOURS else HEADER_FILL
        style_header(ws)
        for cell in ws[1][len(leading):]:
            cell.fill = PatternFill("solid", fgColor=fill)
        widths = lead_w + [14 if count else 55] * len(cols)
        for values, ok in zip(matrix[leading + cols].itertuples(index=False), coded):
            cells = [to_cell(v) if not (isinstance(v, str) and v == "") else None for v in values]
            if not ok:
                cells = cells[:len(leading)] + [NOT_CODED] * len(cols)
            ws.append(cells)
            r = ws.max_row
            for j in range(1, len(cells) + 1):
                cell = ws.cell(r, j)
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                cell.border = Border(bottom=thin, right=thin)
                if not ok and j > len(leading):
                    cell.fill = grey
                    cell.font = Font(italic=True, color="595959")
            if not count:
                ws.row_dimensions[r].height = min(409.0, 13.0 * row_lines(cells, widths) + 4)
        ws.row_dimensions[1].height = 45
        set_widths(ws, widths)
        ws.freeze_panes = ws.cell(2, len(leading) + 1).coordinate
        if count and len(matrix):
            rng = (f"{get_column_letter(len(leading) + 1)}2:{get_column_letter(len(leading) + len(cols))}"
                   f"{ws.max_row}")
            ws.conditional_formatting.add(rng, ColorScaleRule(start_type="num", start_value=0, start_color="FFFFFF",
                                                              end_type="max", end_color=fill))
        print_setup(ws, landscape=True)
    rows_text = {"participant": "participants (each focus-group speaker is a participant)",
                 "transcript": "transcripts"}.get(str(found.row_kind), f"values of {found.row_kind}")
    cell_text = ("the number of coded " + str(found.unit) + "s" if count else
                 "the coded passages, whole sentences cut at … where long, each followed by [transcript turn]")
    write_pairs(wb, "About", (
        ("Framework matrix", title or "Cases × " + ("constructs" if found.column_kind == "construct" else "codes")),
        ("Rows", rows_text),
        ("Columns", "one per " + str(found.column_kind) + ", one sheet per CMO domain"),
        ("Cells", cell_text),
        ("Not coded", f"\"{NOT_CODED}\" (on a grey row): none of the case's transcripts has been coded yet, so "
                      "an empty or zero cell there would say nothing about the codes"),
        *(("Note", note) for note in found.notes),
        ("Method", _REFERENCE)))
    return wb
