"""The study report (:class:`npt_coder.report.StudyReport`) as Word, Excel and one offline HTML page."""

from __future__ import annotations

import pandas as pd
from docx import Document
from docx.shared import Cm, Pt
from openpyxl import Workbook
from plotly.offline import get_plotlyjs

from ._agreement import IMAGE_SIZE as AGREEMENT_IMAGE
from ._agreement import agreement_to_docx
from ._docx import add_table
from ._images import drawing_ahead
from ._logic_model import logic_model_figure, logic_model_to_docx
from ._html import render_page
from ._themes import image_size, themes_html_context, themes_to_docx
from ._xlsx import methods_sheet, write_sheet

__all__ = ["report_charts", "report_to_docx", "report_to_html", "report_to_xlsx"]


def _table(doc, frame: pd.DataFrame, *, font: float = 8.5, index: bool = False) -> None:
    add_table(doc, frame.reset_index() if index else frame, font_size=font)


def report_charts(report) -> list[tuple]:
    """The charts :func:`report_to_docx` draws, in order, with the size it draws each at (for
    :func:`~npt_coder.render._images.drawing_ahead`)."""
    charts = [(report.agreement_figure, AGREEMENT_IMAGE)] if report.agreement is not None and \
        report.agreement_figure is not None else []
    return charts + [(fig, image_size(fig)) for _, fig in report.figures or ()]


def report_to_docx(report) -> Document:
    """Word: methods, design, agreement (chart + tables), codebook, themes with quotes and charts, framework matrix
    (counts), logic models as editable tables. Real heading styles throughout. The charts are drawn in the
    background while the tables are laid out."""
    with drawing_ahead(report_charts(report)):
        return _report_docx(report)


def _report_docx(report) -> Document:
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
    write_sheet(wb, title, frame, widths=widths, default_width=14, list_sep=", ")


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
    toc = [("methods", "Methods")]
    agreement = None
    if report.agreement is not None:
        toc.append(("agreement", "Inter-coder agreement"))
        shown = report.agreement[report.agreement["level"].isin(["pooled", "domain", "code"])]
        cols = ["level", "label", "coder_a", "coder_b", "n_units", "percent_agreement", "cohen_kappa", "kappa_ci_low",
                "kappa_ci_high", "krippendorff_alpha", "gwet_ac1", "brennan_prediger", "kappa_label"]
        figure = report.agreement_figure
        agreement = {
            "methods": report.agreement_methods,
            "figure_html": figure.to_html(full_html=False, include_plotlyjs=False) if figure is not None else "",
            "table_html": shown[cols].to_html(index=False, na_rep="–", float_format=lambda v: f"{v:.3f}", border=0),
        }
    toc += [("codebook", "Codebook"), ("findings", "Findings"), ("matrix", "Framework matrix")]
    models = []
    if report.logic_models:
        toc.append(("logic-models", "Logic models"))
        for spec, other, ev, ev_other in report.logic_models:
            fig = logic_model_figure(spec, compare_with=other, evidence=ev, compare_evidence=ev_other)
            models.append((spec.title, fig.to_html(full_html=False, include_plotlyjs=False,
                                                   config={"displayModeBar": False})))
    codebook = report.codebook[["code_id", "name", "domain", "construct", "kind", "maps_to", "definition"]]
    return render_page(
        "report.html", title=report.title, toc=toc, plotly_js=get_plotlyjs(), methods=report.methods.split("\n\n"),
        design_html=report.design.to_html(escape=True, border=0),
        coders_html=report.coders.to_html(index=False, escape=True, border=0), agreement=agreement,
        codebook_label=report.codebook_label, codebook_html=codebook.to_html(index=False, escape=True, border=0),
        t=themes_html_context(report.themes, figures=report.figures, plotlyjs=False),
        matrix_html=report.matrix.to_html(index=False, escape=True, border=0), logic_models=models)
