"""Agreement outputs: the per-code chart, a methods paragraph, and the report as Word, Excel and HTML.

Everything here takes the table :func:`npt_coder.agreement.agreement_table` returns (and plain values); nothing
queries the project. Numbers are rounded only here.
"""

from __future__ import annotations

import math
from io import BytesIO

import pandas as pd
import plotly.graph_objects as go
from docx import Document
from docx.shared import Cm, Pt
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference

from ..agreement import FLAGS, agreement_warnings
from ._docx import add_table
from ._html import render_page
from ._images import figure_png
from ._style import DOMAIN_COLOURS
from ._xlsx import methods_sheet, write_sheet

__all__ = [
    "agreement_figure", "agreement_to_docx", "agreement_to_html", "agreement_to_xlsx", "disagreements_to_docx",
    "methods_paragraph",
]

_STAT_NAMES = {"cohen_kappa": "Cohen's κ", "krippendorff_alpha": "Krippendorff's α", "gwet_ac1": "Gwet's AC1",
               "brennan_prediger": "Brennan–Prediger κ", "percent_agreement": "percent agreement"}
_UNIT_TEXT = {
    "segment": "{seg}s of participant talk, a code counting on a {seg} when a coder's span overlapped it by at least "
               "{min_overlap} character(s)",
    "character": "characters of the whole transcript (as NVivo's coding comparison)",
    "document": "whole transcripts (code present anywhere, as MAXQDA's code-existence mode)",
    "overlap": "coded spans matched when they overlapped by at least {threshold:.0%} of their union (as MAXQDA's "
               "segment mode)",
}
SHOWN = ["label", "n_units", "both", "only_a", "only_b", "neither", "prevalence", "percent_agreement", "cohen_kappa",
         "kappa_ci_low", "kappa_ci_high", "kappa_se", "kappa_se_low", "kappa_se_high", "krippendorff_alpha",
         "alpha_ci_low", "alpha_ci_high", "alpha_se", "alpha_se_low", "alpha_se_high", "gwet_ac1", "ac1_se",
         "ac1_se_low", "ac1_se_high", "brennan_prediger", "kappa_label", "alpha_label", "caution"]
HEADERS = {"label": "Code / group", "n_units": "Units", "both": "Both", "only_a": "Only A", "only_b": "Only B",
           "neither": "Neither", "prevalence": "Prevalence", "percent_agreement": "% agreement",
           "cohen_kappa": "κ", "kappa_ci_low": "κ CI low", "kappa_ci_high": "κ CI high",
           "krippendorff_alpha": "α", "alpha_ci_low": "α CI low", "alpha_ci_high": "α CI high", "gwet_ac1": "AC1",
           "brennan_prediger": "BP", "kappa_label": "κ (Landis & Koch)", "alpha_label": "α (Krippendorff)",
           "kappa_se": "κ SE", "kappa_se_low": "κ SE-CI low", "kappa_se_high": "κ SE-CI high", "alpha_se": "α SE",
           "alpha_se_low": "α SE-CI low", "alpha_se_high": "α SE-CI high", "ac1_se": "AC1 SE",
           "ac1_se_low": "AC1 SE-CI low", "ac1_se_high": "AC1 SE-CI high", "caution": "Flags"}


def _flag_text(flags) -> str:
    """The flags of a row in words ("too rare to judge; degenerate interval"), for the tables."""
    return "; ".join(FLAGS.get(f, f) for f in str(flags or "").split(";") if f)


def _fmt(x, digits=2) -> str:
    return "–" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.{digits}f}"


def methods_paragraph(table: pd.DataFrame, *, segment_unit: str = "paragraph", min_overlap: int = 1,
                      threshold: float = 0.9, n_resamples: int = 1000, ci: float = 0.95, cluster: bool = False,
                      codebook: str | None = None, multi_coder: bool = False) -> str:
    """A methods paragraph written from the table: statistic, unit, coders, transcripts, pooled values with CIs,
    the conventions for categories, weights and missing data, the standard errors, and every warning the table's
    flags raise (:func:`npt_coder.agreement.agreement_warnings`). ``multi_coder`` adds the missing-data
    convention of the all-coders table."""
    pooled = table[(table["level"] == "pooled") & (table["coder_a"] != "*")]
    unit = str(table["unit"].iloc[0])
    n_codes = int((table["level"] == "code").sum() / max(len(pooled), 1))
    unit_text = _UNIT_TEXT[unit].format(seg=segment_unit, min_overlap=min_overlap, threshold=threshold)
    parts = []
    for r in pooled.itertuples(index=False):
        ci_text = (f" (95% bootstrap CI {_fmt(r.kappa_ci_low)} to {_fmt(r.kappa_ci_high)})"
                   if not math.isnan(r.kappa_ci_low) else "")
        alpha_ci = (f" (CI {_fmt(r.alpha_ci_low)} to {_fmt(r.alpha_ci_high)})"
                    if not math.isnan(r.alpha_ci_low) else "")
        parts.append(
            f"{r.coder_a} and {r.coder_b} both coded {r.n_transcripts} transcript(s) ({r.transcripts}); over "
            f"{r.n_units:,} unit × code decisions they agreed on {r.percent_agreement:.1%}, Cohen's κ = "
            f"{_fmt(r.cohen_kappa)}{ci_text}, Krippendorff's α = {_fmt(r.krippendorff_alpha)}{alpha_ci}, "
            f"Gwet's AC1 = {_fmt(r.gwet_ac1)} and Brennan–Prediger κ = {_fmt(r.brennan_prediger)} "
            f"({r.kappa_label} on the Landis & Koch scale; {r.alpha_label} on Krippendorff's 0.667/0.800 scale)."
        )
    resampling = ("whole transcripts (cluster bootstrap)" if cluster else "units within each row")
    text = (f"Inter-coder agreement was assessed code by code for {n_codes} codes at the {unit} level: "
            f"{unit_text}. Each unit was rated present or absent for each code by each coder, so statistics for "
            f"two categories apply: chance agreement uses both declared categories even for a code nobody applied "
            f"(AC1 and Brennan–Prediger are then 1, κ and α undefined), unweighted (presence has no order). No "
            f"rating is missing in the pairwise comparison: both coders rated every unit of the transcripts both "
            f"coded. " + " ".join(parts))
    if multi_coder:
        text += (" Across all coders at once, a coder who did not code a transcript is missing on its units; "
                 "following Gwet (2014), observed agreement is taken over the units rated by at least two coders "
                 "and chance agreement over every unit rated by at least one (Krippendorff's α uses the pairable "
                 "values).")
    if unit != "overlap":
        text += (f" Confidence intervals are {ci:.0%} percentile intervals from {n_resamples:,} bootstrap resamples of "
                 f"{resampling}, reported beside Gwet's (2014) analytic standard errors (conditional on the sample "
                 f"of units) with t-based {ci:.0%} intervals.")
    cautions = agreement_warnings(table)
    if cautions:
        text += " Cautions: " + " ".join(cautions)
    if codebook:
        text += f" Codebook: {codebook}."
    return text


def agreement_figure(table: pd.DataFrame, *, statistic: str = "cohen_kappa") -> go.Figure:
    """Per-code estimate with bootstrap CI whiskers and threshold lines, coloured by CMO domain."""
    codes = table[(table["level"] == "code") & table[statistic].notna()].copy()
    if "domain" not in codes.columns:
        codes["domain"] = ""
    lo_col, hi_col = ("kappa_ci_low", "kappa_ci_high") if statistic == "cohen_kappa" else (
        ("alpha_ci_low", "alpha_ci_high") if statistic == "krippendorff_alpha" else (None, None))
    fig = go.Figure()
    pairs = codes[["coder_a", "coder_b"]].drop_duplicates().itertuples(index=False)
    for a, b in pairs:
        sub = codes[(codes["coder_a"] == a) & (codes["coder_b"] == b)]
        colours = [DOMAIN_COLOURS.get(str(d), "#555555") for d in sub["domain"]]
        error = None
        if lo_col is not None and sub[lo_col].notna().any():
            error = dict(type="data", symmetric=False, array=(sub[hi_col] - sub[statistic]).clip(lower=0),
                         arrayminus=(sub[statistic] - sub[lo_col]).clip(lower=0), thickness=1.2, width=3)
        fig.add_trace(go.Scatter(x=sub["label"], y=sub[statistic], mode="markers", name=f"{a} vs {b}",
                                 marker=dict(color=colours, size=9), error_y=error,
                                 hovertemplate="%{x}<br>%{y:.2f}<extra>" + f"{a} vs {b}</extra>"))
    for y, text in ((0.8, "0.800 (Krippendorff: reliable)"), (0.667, "0.667 (tentative conclusions)")):
        fig.add_hline(y=y, line_dash="dash", line_color="#888", annotation_text=text, annotation_position="top left")
    n_t = int(table["n_transcripts"].max())
    fig.update_layout(
        title=f"{_STAT_NAMES.get(statistic, statistic)} per code, {table['unit'].iloc[0]} unit, {n_t} double-coded "
              f"transcript(s)", yaxis=dict(title=_STAT_NAMES.get(statistic, statistic), range=[-0.25, 1.05]),
        xaxis=dict(tickangle=-50), template="plotly_white", height=520, margin=dict(b=180, t=70),
        showlegend=len(codes[["coder_a", "coder_b"]].drop_duplicates()) > 1)
    return fig


def _level_tables(table: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    out = []
    for level, title in (("pooled", "Pooled"), ("domain", "By CMO domain"), ("construct", "By construct"),
                         ("code", "By code"), ("transcript", "By transcript")):
        sub = table[table["level"] == level]
        if not sub.empty:
            out.append((title, sub))
    return out


def agreement_to_xlsx(table: pd.DataFrame, methods: str) -> Workbook:
    """One sheet per level (numbers as numbers), a Methods sheet, and a native Excel chart of κ per code."""
    wb = Workbook()
    methods_sheet(wb.active, "Inter-coder agreement", methods)
    cols = ["coder_a", "coder_b", "unit"] + SHOWN + ["n_transcripts", "transcripts"]
    headers = {c: HEADERS.get(c, c.replace("_", " ").title()) for c in cols}
    formats = {**{c: "0.0%" for c in ("prevalence", "percent_agreement")},
               **{c: "0.000" for c in ("cohen_kappa", "kappa_ci_low", "kappa_ci_high", "krippendorff_alpha",
                                       "alpha_ci_low", "alpha_ci_high", "gwet_ac1", "brennan_prediger", "kappa_se",
                                       "kappa_se_low", "kappa_se_high", "alpha_se", "alpha_se_low", "alpha_se_high",
                                       "ac1_se", "ac1_se_low", "ac1_se_high")}}
    for title, sub in _level_tables(table):
        sub = sub.assign(caution=sub["caution"].map(_flag_text)) if "caution" in sub.columns else sub
        sheet = write_sheet(wb, title, sub[cols], headers=headers, widths={"label": 34, "transcripts": 40},
                            default_width=11, number_formats=formats, freeze="E2")
        if title == "By code" and len(sub) > 0:
            chart = BarChart()
            chart.type = "col"
            chart.title = "Cohen's κ per code"
            chart.y_axis.title = "κ"
            chart.y_axis.scaling.min, chart.y_axis.scaling.max = -0.25, 1.0
            k = cols.index("cohen_kappa") + 1
            label = cols.index("label") + 1
            chart.add_data(Reference(sheet, min_col=k, min_row=1, max_row=len(sub) + 1), titles_from_data=True)
            chart.set_categories(Reference(sheet, min_col=label, min_row=2, max_row=len(sub) + 1))
            chart.height, chart.width = 9, 26
            sheet.add_chart(chart, f"A{len(sub) + 4}")
    return wb


#: The size the per-code chart is drawn at for Word.
IMAGE_SIZE = {"width": 1100, "height": 520}


def agreement_to_docx(table: pd.DataFrame, methods: str, *, figure: go.Figure | None = None,
                      document: Document | None = None, level: int = 1) -> Document:
    """A Word report: methods paragraph, the per-code chart (or a note where it would be), tables per level.

    With ``document``, the same sections are appended to it under headings of ``level`` (e.g. in a study report).
    """
    if document is None:
        doc = Document()
        section = doc.sections[0]
        section.left_margin = section.right_margin = Cm(1.8)
        doc.styles["Normal"].font.size = Pt(10)
        doc.add_heading("Inter-coder agreement", level=0)
    else:
        doc = document
        doc.add_heading("Inter-coder agreement", level=level)
        level += 1
    doc.add_heading("Methods", level=level)
    doc.add_paragraph(methods)
    if figure is not None:
        png, why = figure_png(figure, **IMAGE_SIZE)
        doc.add_heading("Agreement per code", level=level)
        if png is not None:
            doc.add_picture(BytesIO(png), width=Cm(17))
        else:
            doc.add_paragraph(f"[Chart not included: {why}. The HTML report has it interactively.]")
    cols = ["label", "n_units", "both", "only_a", "only_b", "neither", "percent_agreement", "cohen_kappa",
            "kappa_se", "krippendorff_alpha", "gwet_ac1", "brennan_prediger", "kappa_label", "caution"]
    for title, sub in _level_tables(table):
        doc.add_heading(title, level=level)
        sub = sub.assign(caution=sub["caution"].map(_flag_text))
        if sub["coder_a"].nunique() > 1 or title == "Pooled":
            sub = sub.assign(label=[f"{lab} ({a} vs {b})" if a != "*" else lab
                                    for lab, a, b in zip(sub["label"], sub["coder_a"], sub["coder_b"])])
        add_table(doc, sub[cols], headers=HEADERS, font_size=8,
                  formats={"percent_agreement": lambda v: "–" if pd.isna(v) else f"{v:.1%}"})
    doc.add_paragraph(
        "Scales: Landis, J. R., & Koch, G. G. (1977). The measurement of observer agreement for categorical data. "
        "Biometrics, 33, 159-174 (κ: < 0 poor, 0-0.20 slight, 0.21-0.40 fair, 0.41-0.60 moderate, 0.61-0.80 "
        "substantial, 0.81-1 almost perfect). Krippendorff, K. (2004). Content Analysis (α ≥ 0.800 reliable; "
        "0.667-0.800 tentative conclusions only).")
    return doc


def agreement_to_html(table: pd.DataFrame, methods: str, *, figure: go.Figure | None = None) -> str:
    """One self-contained, offline HTML page (plotly.js embedded once) with the chart and the tables."""
    cols = ["coder_a", "coder_b"] + SHOWN
    headers = {**HEADERS, "coder_a": "Coder A", "coder_b": "Coder B"}
    tables = [(title, sub.assign(caution=sub["caution"].map(_flag_text))[cols].rename(columns=headers).to_html(
        index=False, na_rep="–", float_format=lambda v: f"{v:.3f}", escape=True))
        for title, sub in _level_tables(table)]
    figure_html = figure.to_html(full_html=False, include_plotlyjs=True) if figure is not None else ""
    return render_page("agreement.html", title="Inter-coder agreement", methods=methods, figure_html=figure_html,
                       tables=tables)


def disagreements_to_docx(found) -> Document:
    """The disagreements (what :func:`npt_coder.review.disagreements` returns) as a Word table to read in a review
    meeting (decisions are recorded in the .xlsx)."""
    a, b, table = found.coder_a, found.coder_b, found.table
    doc = Document()
    section = doc.sections[0]
    section.left_margin = section.right_margin = Cm(1.5)
    doc.styles["Normal"].font.size = Pt(9.5)
    doc.add_heading(f"Disagreements between {a} and {b}", level=0)
    doc.add_paragraph(f"{len(table)} segment(s) on {len(found.transcripts)} transcript(s) where the "
                      f"two coders' codes differ. Record decisions in the review workbook (npt-coder disagreements "
                      f"-o review.xlsx), then import them with npt-coder reconcile.")
    for tid, sub in table.groupby("transcript_id", sort=False):
        doc.add_heading(str(tid), level=1)
        rows = pd.DataFrame({"Unit": sub["segment_id"], "Speaker": sub["speaker"], "Text": sub["text"],
                             "A": sub["codes_a"], "B": sub["codes_b"], "Decision / note": ""})
        add_table(doc, rows, headers={"A": f"{a}", "B": f"{b}"}, na=None, digits=None,
                  widths=[1.3, 2.0, 9.5, 2.2, 2.2, 2.3])
    return doc
