"""The study report (:class:`npt_coder.report.StudyReport`) as Word, Excel and one offline HTML page."""

from __future__ import annotations

import html
import math

import numpy as np
import pandas as pd
from docx import Document
from docx.shared import Cm, Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from plotly.offline import get_plotlyjs

from ._agreement import agreement_to_docx, methods_sheet
from ._logic_model import logic_model_figure, logic_model_to_docx
from ._themes import THEMES_CSS, themes_to_docx, themes_to_html

__all__ = ["report_to_docx", "report_to_html", "report_to_xlsx"]


def _table(doc, frame: pd.DataFrame, *, font: float = 8.5, index: bool = False) -> None:
    df = frame.reset_index() if index else frame
    t = doc.add_table(rows=1, cols=len(df.columns))
    t.style = "Light Grid Accent 1"
    for cell, c in zip(t.rows[0].cells, df.columns):
        cell.text = str(c)
    for row in df.itertuples(index=False):
        cells = t.add_row().cells
        for cell, v in zip(cells, row):
            cell.text = "–" if v is None or (isinstance(v, float) and math.isnan(v)) else (
                f"{v:.2f}" if isinstance(v, float) else str(v))
    for row in t.rows:
        for cell in row.cells:
            for p in cell.paragraphs:
                for run in p.runs:
                    run.font.size = Pt(font)


def report_to_docx(report) -> Document:
    """Word: methods, design, agreement (chart + tables), codebook, themes with quotes and charts, framework matrix
    (counts), logic models as editable tables. Real heading styles throughout."""
    doc = Document()
    section = doc.sections[0]
    section.left_margin = section.right_margin = Cm(2.0)
    doc.styles["Normal"].font.size = Pt(10)
    doc.add_heading(report.title, level=0)
    doc.add_heading("Methods", level=1)
    for paragraph in report.methods.split("\n\n"):
        doc.add_paragraph(paragraph)
    doc.add_heading("Transcripts by site and role", level=2)
    _table(doc, report.design, index=True)
    doc.add_heading("Coders", level=2)
    _table(doc, report.coders)
    if report.agreement is not None:
        agreement_to_docx(report.agreement[report.agreement["level"].isin(["pooled", "domain", "code"])],
                          report.agreement_methods, figure=report.agreement_figure, document=doc, level=1)
    doc.add_heading("Codebook", level=1)
    doc.add_paragraph(f"Codebook {report.codebook_label}.")
    _table(doc, report.codebook[["code_id", "name", "domain", "construct", "kind", "maps_to"]])
    doc.add_heading("Findings", level=1)
    themes_to_docx(report.themes, figures=report.figures, document=doc, title="Findings", level=2)
    doc.add_heading("Framework matrix (coded segments per participant and construct)", level=1)
    _table(doc, report.matrix, font=7)
    if report.logic_models:
        doc.add_heading("Logic models", level=1)
        for spec, other, ev, ev_other in report.logic_models:
            logic_model_to_docx(spec, compare_with=other, evidence=ev, compare_evidence=ev_other, document=doc,
                                heading_level=2)
    return doc


def _sheet(wb: Workbook, title: str, frame: pd.DataFrame, *, widths: dict[str, float] | None = None) -> None:
    ws = wb.create_sheet(title[:31])
    ws.append([str(c) for c in frame.columns])
    for row in frame.itertuples(index=False):
        ws.append([None if (isinstance(v, float) and math.isnan(v)) else (v.item() if isinstance(v, np.generic) else
                   (", ".join(map(str, v)) if isinstance(v, (list, tuple)) else v)) for v in row])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDDDDD")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for j, c in enumerate(frame.columns, start=1):
        ws.column_dimensions[get_column_letter(j)].width = (widths or {}).get(str(c), 14)
    ws.freeze_panes = "A2"


def report_to_xlsx(report) -> Workbook:
    """Excel: one sheet per table, numbers as numbers."""
    wb = Workbook()
    methods_sheet(wb.active, report.title, report.methods)
    _sheet(wb, "Design", report.design.reset_index())
    _sheet(wb, "Coders", report.coders)
    if report.agreement is not None:
        _sheet(wb, "Agreement", report.agreement, widths={"label": 34, "transcripts": 40})
    _sheet(wb, "Codebook", report.codebook, widths={"name": 28, "definition": 80, "questions": 60})
    table = report.themes.table
    _sheet(wb, "Themes", table.drop(columns=[c for c in table.columns if table[c].dtype == object and
                                             table[c].map(lambda v: isinstance(v, (list, dict))).any()]),
           widths={"label": 34})
    _sheet(wb, "Quotes", report.themes.quotes, widths={"text": 90, "attribution": 16})
    _sheet(wb, "Framework matrix", report.matrix)
    return wb


def report_to_html(report) -> str:
    """One self-contained, offline page: a table of contents, plotly.js embedded once, interactive charts."""
    parts: list[str] = []
    toc = [("methods", "Methods")]
    parts.append("<h2 id='methods'>Methods</h2>")
    parts += [f"<p>{html.escape(p)}</p>" for p in report.methods.split("\n\n")]
    parts.append("<h3>Transcripts by site and role</h3>" + report.design.to_html(escape=True, border=0))
    parts.append("<h3>Coders</h3>" + report.coders.to_html(index=False, escape=True, border=0))
    if report.agreement is not None:
        toc.append(("agreement", "Inter-coder agreement"))
        parts.append("<h2 id='agreement'>Inter-coder agreement</h2>")
        parts.append(f"<p>{html.escape(report.agreement_methods)}</p>")
        if report.agreement_figure is not None:
            parts.append(report.agreement_figure.to_html(full_html=False, include_plotlyjs=False))
        shown = report.agreement[report.agreement["level"].isin(["pooled", "domain", "code"])]
        cols = ["level", "label", "coder_a", "coder_b", "n_units", "percent_agreement", "cohen_kappa", "kappa_ci_low",
                "kappa_ci_high", "krippendorff_alpha", "gwet_ac1", "brennan_prediger", "kappa_label"]
        parts.append(shown[cols].to_html(index=False, na_rep="–", float_format=lambda v: f"{v:.3f}", border=0))
    toc.append(("codebook", "Codebook"))
    parts.append("<h2 id='codebook'>Codebook</h2>")
    parts.append(f"<p>Codebook {html.escape(report.codebook_label)}.</p>")
    parts.append(report.codebook[["code_id", "name", "domain", "construct", "kind", "maps_to", "definition"]]
                 .to_html(index=False, escape=True, border=0))
    toc.append(("findings", "Findings"))
    parts.append("<h2 id='findings'>Findings</h2>")
    parts.append(themes_to_html(report.themes, figures=report.figures, fragment=True))
    toc.append(("matrix", "Framework matrix"))
    parts.append("<h2 id='matrix'>Framework matrix</h2>")
    parts.append(report.matrix.to_html(index=False, escape=True, border=0))
    if report.logic_models:
        toc.append(("logic-models", "Logic models"))
        parts.append("<h2 id='logic-models'>Logic models</h2>")
        for spec, other, ev, ev_other in report.logic_models:
            fig = logic_model_figure(spec, compare_with=other, evidence=ev, compare_evidence=ev_other)
            parts.append(f"<h3>{html.escape(spec.title)}</h3>")
            parts.append(fig.to_html(full_html=False, include_plotlyjs=False, config={"displayModeBar": False}))
    nav = "<nav><strong>Contents</strong><ul>" + "".join(
        f"<li><a href='#{a}'>{html.escape(t)}</a></li>" for a, t in toc) + "</ul></nav>"
    return ("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
            f"<title>{html.escape(report.title)}</title><style>{THEMES_CSS}</style>"
            f"<script>{get_plotlyjs()}</script></head><body>"
            f"<h1>{html.escape(report.title)}</h1>{nav}" + "\n".join(parts) + "</body></html>")
