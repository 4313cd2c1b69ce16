"""The study report (:class:`npt_coder.report.StudyReport`) as Word, Excel and one offline HTML page.

Order: methods (the study, what the findings rest on, transcripts by site and role, coders), inter-coder agreement
(its methods paragraph, the chart, pooled and per-domain tables), findings, the framework matrix and the logic
models; then the appendices: agreement per construct, code and transcript (A) and the codebook with its
definitions (B). Each paragraph is said once; figures and tables are numbered and captioned; the Word document
opens with a table of contents and the HTML page with a contents list.
"""

from __future__ import annotations

import pandas as pd
from openpyxl import Workbook
from plotly.offline import get_plotlyjs

from .._xlsx import methods_sheet, write_sheet
from ._agreement import (CHART_WIDTH, agreement_caption, agreement_detail_docx, agreement_summary_docx,
                         agreement_tables)
from ._docx import add_contents, add_table, fill_contents, landscape_pages, new_document
from ._figures import chart_html, chart_request, images_placed_last
from ._headers import header, readable_columns
from ._html import html_table, render_page
from ._images import drawing_ahead
from ._logic_model import logic_model_figure, logic_model_to_docx
from ._matrix import add_matrix_table, matrix_for_report, matrix_html
from ._themes import quotes_sheet, summary_sheet, themes_html_context, themes_to_docx

__all__ = ["report_charts", "report_to_docx", "report_to_html", "report_to_xlsx"]

_APPENDIX_A = "Appendix A. Agreement per construct, code and transcript"
_APPENDIX_B = "Appendix B. Codebook"


def _design(report) -> pd.DataFrame:
    frame = report.design.reset_index()
    frame.columns.name = None  # a named column index would add a heading row with an empty cell
    return frame.rename(columns={frame.columns[0]: "Site"})


def _codebook(report) -> pd.DataFrame:
    cb = report.codebook
    return pd.DataFrame({"Code": (cb["code_id"] + " " + cb["name"]).tolist(),
                         "CMO domain": cb["domain"].str.title().tolist(),
                         "Maps to (inductive codes)": cb["maps_to"].str.replace("; ", ", ").tolist(),
                         "Definition": cb["definition"].tolist()})


def _codebook_title(report) -> str:
    """The codebook's name and versions, without the hash the methods give."""
    return report.codebook_label.rsplit(" (", 1)[0]


def _matrix_intro(report) -> str:
    return ("Coded segments per participant and NPT construct (the Framework Method's matrix): each row is a "
            "participant (each focus-group speaker is one), each column a construct or an inductive code. The full "
            "matrix with the coded passages is written by npt-coder matrix.")


def report_charts(report) -> list[tuple]:
    """The chart images :func:`report_to_docx` draws, in order, each as ``(figure, size)`` the way
    :func:`~npt_coder.render._figures.docx_chart` asks for it (for :func:`~npt_coder.render._images.drawing_ahead`)."""
    charts = []
    if report.agreement is not None and report.agreement_figure is not None:
        charts.append(chart_request(report.agreement_figure, width_px=CHART_WIDTH))
    return charts + [chart_request(fig) for _, fig in report.figures or ()]


def report_to_docx(report):
    """Word: a table of contents, methods, agreement (chart and summary tables), findings (themes with quotes and
    charts), the framework matrix (on landscape pages), logic models as editable tables, then the appendices.
    Real heading styles throughout; every table and figure numbered and captioned, every image with alt text. The
    charts are drawn in the background while the tables are laid out, and put in their places at the end."""
    with drawing_ahead(report_charts(report)), images_placed_last():
        return _report_docx(report)


def _report_docx(report):
    doc = new_document(font_size=10)
    doc.add_heading(report.title, level=0)
    contents = add_contents(doc)
    doc.add_heading("Methods", level=1)
    for paragraph in report.methods.split("\n\n"):
        doc.add_paragraph(paragraph)
    doc.add_heading("Transcripts by site and role", level=2)
    add_table(doc, _design(report), caption="Transcripts by site (rows) and participant role (columns).")
    doc.add_heading("Coders", level=2)
    add_table(doc, readable_columns(report.coders), caption="Coders, the transcripts each coded, and their codings.")
    if report.agreement is not None:
        shown = report.agreement
        agreement_summary_docx(doc, shown, report.agreement_methods, figure=report.agreement_figure, level=1,
                               detail_note=f"Tables per construct, code and transcript are in {_APPENDIX_A}.")
    doc.add_heading("Findings", level=1)
    themes_to_docx(report.themes, figures=report.figures, document=doc, title=None, level=2, methods=False)
    with landscape_pages(doc):
        doc.add_heading("Framework matrix", level=1)
        doc.add_paragraph(_matrix_intro(report))
        add_matrix_table(doc, report.matrix)
    if report.logic_models:
        with landscape_pages(doc):
            doc.add_heading("Logic models", level=1)
            for k, (spec, other, ev, ev_other) in enumerate(report.logic_models):
                if k:
                    doc.add_paragraph().paragraph_format.page_break_before = True
                logic_model_to_docx(spec, compare_with=other, evidence=ev, compare_evidence=ev_other, document=doc,
                                    heading_level=2)
    if report.agreement is not None:
        with landscape_pages(doc):  # the detail tables have every statistic: landscape, headings with them
            doc.add_heading(_APPENDIX_A, level=1)
            agreement_detail_docx(doc, report.agreement, level=2)
    doc.add_heading(_APPENDIX_B, level=1)
    doc.add_paragraph(f"Each code of the codebook {_codebook_title(report)}, with its definition.")
    add_table(doc, _codebook(report), caption="The codebook: codes, their CMO domain, what inductive codes map to, "
                                              "and definitions.", font_size=8.5)
    fill_contents(doc, contents)
    return doc


def report_to_xlsx(report) -> Workbook:
    """Excel: a Methods sheet (every methods paragraph once), then one sheet per table with readable headings,
    numbers as numbers."""
    wb = Workbook()
    text = "\n\n".join(p for p in (report.methods, report.agreement_methods) if p)
    methods_sheet(wb.active, report.title, text)
    write_sheet(wb, "Design", _design(report))
    write_sheet(wb, "Coders", readable_columns(report.coders))
    if report.agreement is not None:
        a = report.agreement
        write_sheet(wb, "Agreement", a, headers={c: header(c) for c in a.columns}, widths={"transcripts": 30},
                    number_formats={c: "0.000" for c in ("cohen_kappa", "kappa_ci_low", "kappa_ci_high",
                                                        "krippendorff_alpha", "alpha_ci_low", "alpha_ci_high",
                                                        "gwet_ac1", "brennan_prediger")}
                    | {"prevalence": "0.0%", "percent_agreement": "0.0%"}, max_width=36)
    cb = report.codebook
    write_sheet(wb, "Codebook", cb, headers={c: header(c) for c in cb.columns},
                widths={"definition": 70, "questions": 60}, wrap=["definition", "questions"], max_width=30)
    summary_sheet(wb, report.themes, "Themes")
    quotes_sheet(wb, report.themes)
    frame, _ = matrix_for_report(report.matrix, short=False)
    write_sheet(wb, "Framework matrix", frame, freeze="B2", max_width=18)
    return wb


def report_to_html(report) -> str:
    """One self-contained, offline page: a contents list, plotly.js embedded once, interactive charts as numbered
    figures with alt text, numbered tables with captions, the appendices last."""
    toc = [("methods", "Methods")]
    number = {"table": 1, "figure": 1}

    def table(frame: pd.DataFrame, caption: str) -> str:
        out = html_table(frame, caption, number=number["table"])
        number["table"] += 1
        return out

    design_html = table(_design(report), "Transcripts by site (rows) and participant role (columns).")
    coders_html = table(readable_columns(report.coders), "Coders, the transcripts each coded, and their codings.")
    agreement = None
    if report.agreement is not None:
        toc.append(("agreement", "Inter-coder agreement"))
        figure = report.agreement_figure
        chart = None
        if figure is not None:
            chart = chart_html(figure, "Agreement per code.", number["figure"])
            number["figure"] += 1
        agreement = {"methods": report.agreement_methods, "chart": chart,
                     "tables": [table(frame, agreement_caption(title, report.agreement))
                                for title, frame in agreement_tables(report.agreement, levels=("pooled", "domain"),
                                                                     summary=True)],
                     "appendix": _APPENDIX_A}
    toc += [("findings", "Findings"), ("matrix", "Framework matrix")]
    t = themes_html_context(report.themes, figures=report.figures, plotlyjs=False, first_figure=number["figure"],
                            first_table=number["table"], methods=False, base=3)
    number["figure"] += len(report.figures)
    number["table"] += 1
    matrix = matrix_html(report.matrix, number["table"])
    number["table"] += 1
    models = []
    if report.logic_models:
        toc.append(("logic-models", "Logic models"))
        for spec, other, ev, ev_other in report.logic_models:
            fig = logic_model_figure(spec, compare_with=other, evidence=ev, compare_evidence=ev_other)
            title = spec.title if other is None else f"{spec.model} and {other.model}"
            models.append({"heading": spec.title, "number": number["figure"], "caption": f"Logic model: {title}.",
                           "alt": f"Logic model diagram: {title}; its columns and items are listed in the "
                                  "logic-model description that comes with this report.",
                           "html": fig.to_html(full_html=False, include_plotlyjs=False,
                                               config={"displayModeBar": False})})
            number["figure"] += 1
    appendix_a = []
    if report.agreement is not None:
        toc.append(("appendix-a", _APPENDIX_A))
        appendix_a = [(title, table(frame, agreement_caption(title, report.agreement)))
                      for title, frame in agreement_tables(report.agreement, levels=("construct", "code",
                                                                                      "transcript"))]
    toc.append(("appendix-b", _APPENDIX_B))
    codebook_html = table(_codebook(report), "The codebook: codes, their CMO domain, what inductive codes map to, "
                                             "and definitions.")
    return render_page(
        "report.html", title=report.title, toc=toc, plotly_js=get_plotlyjs(), methods=report.methods.split("\n\n"),
        design_html=design_html, coders_html=coders_html, agreement=agreement, t=t, matrix_intro=_matrix_intro(report),
        matrix_html=matrix, logic_models=models, appendix_a=appendix_a, appendix_a_title=_APPENDIX_A,
        appendix_b_title=_APPENDIX_B, codebook_title=_codebook_title(report), codebook_html=codebook_html)
