"""Agreement outputs: the per-code chart, a methods paragraph, and the report as Word, Excel and HTML.

Everything here takes the table :func:`npt_coder.agreement.agreement_table` returns (and plain values); nothing
queries the project. Numbers are rounded only here. Tables name the coders (``Only AK``) and show each statistic
with its confidence interval in one cell (``0.81 (0.74–0.86)``); the summary (pooled and per CMO domain) comes
first, the tables per construct, code and transcript after it (in a study report, in an appendix).
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference

from .._words import count, interval, noun, real_plurals, signed
from .._xlsx import methods_sheet, write_sheet
from ..agreement import FLAGS, agreement_warnings
from ._colour import readable
from ._docx import add_table, new_document
from ._figures import chart_html, docx_chart
from ._headers import header
from ._html import html_table, render_page
from ._style import DOMAIN_COLOURS, DOMAIN_NAMES

__all__ = ["CHART_WIDTH", "agreement_caption", "agreement_detail_docx", "agreement_figure", "agreement_summary_docx",
           "agreement_tables", "agreement_to_docx", "agreement_to_html", "agreement_to_xlsx", "flag_text",
           "methods_paragraph"]

_STAT_NAMES = {"cohen_kappa": "Cohen's κ", "krippendorff_alpha": "Krippendorff's α", "gwet_ac1": "Gwet's AC1",
               "brennan_prediger": "Brennan–Prediger κ", "percent_agreement": "percent agreement"}

_UNIT_TEXT = {
    "segment": "{seg}s of participant talk, a code counting on a {seg} when a coder's span overlapped it by at least "
               "{min_overlap} {characters}",
    "character": "characters of the whole transcript (as NVivo's coding comparison)",
    "document": "whole transcripts (code present anywhere, as MAXQDA's code-existence mode)",
    "overlap": "coded spans matched when they overlapped by at least {threshold:.0%} of their union (as MAXQDA's "
               "segment mode)",
}


def flag_text(flags) -> str:
    """The flags of a row in words ("too rare to judge; degenerate interval"), for the tables."""
    return "; ".join(FLAGS.get(f, f) for f in str(flags or "").split(";") if f)


def _fmt(x, digits=2) -> str:
    return "–" if x is None or (isinstance(x, float) and math.isnan(x)) else signed(x, digits)


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
    unit_text = _UNIT_TEXT[unit].format(seg=segment_unit, min_overlap=min_overlap, threshold=threshold,
                                       characters=noun(min_overlap, "character"))
    parts = []
    for r in pooled.itertuples(index=False):
        ci_text = (f" (95% bootstrap CI {_fmt(r.kappa_ci_low)} to {_fmt(r.kappa_ci_high)})"
                   if not math.isnan(r.kappa_ci_low) else "")
        alpha_ci = (f" (CI {_fmt(r.alpha_ci_low)} to {_fmt(r.alpha_ci_high)})"
                    if not math.isnan(r.alpha_ci_low) else "")
        parts.append(
            f"{r.coder_a} and {r.coder_b} both coded {count(r.n_transcripts, 'transcript')} ({r.transcripts}); over "
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




_SYMBOLS = ("circle", "diamond", "square", "triangle-up", "x", "star", "cross", "triangle-down")
_GREY_TEXT = "#595959"  # 7:1 on white


def _tick_colour(domain) -> str:
    return readable(DOMAIN_COLOURS.get(str(domain), "#555555"), "#FFFFFF")


def agreement_figure(table: pd.DataFrame, *, statistic: str = "cohen_kappa") -> go.Figure:
    """Per-code estimate with bootstrap CI whiskers and threshold lines: markers coloured by CMO domain, one marker
    shape per coder pair (pairs side by side at each code), and a legend for both."""
    codes = table[(table["level"] == "code") & table[statistic].notna()].copy()
    if "domain" not in codes.columns:
        codes["domain"] = ""
    lo_col, hi_col = ("kappa_ci_low", "kappa_ci_high") if statistic == "cohen_kappa" else (
        ("alpha_ci_low", "alpha_ci_high") if statistic == "krippendorff_alpha" else (None, None))
    name = _STAT_NAMES.get(statistic, statistic)
    fig = go.Figure()
    pairs = list(codes[["coder_a", "coder_b"]].drop_duplicates().itertuples(index=False, name=None))
    for k, (a, b) in enumerate(pairs):
        sub = codes[(codes["coder_a"] == a) & (codes["coder_b"] == b)]
        colours = [DOMAIN_COLOURS.get(str(d), "#555555") for d in sub["domain"]]
        error = None
        if lo_col is not None and sub[lo_col].notna().any():
            error = dict(type="data", symmetric=False, array=(sub[hi_col] - sub[statistic]).clip(lower=0),
                         arrayminus=(sub[statistic] - sub[lo_col]).clip(lower=0), thickness=1.2, width=3,
                         color="#6E6E6E")
        fig.add_trace(go.Scatter(
            x=sub["label"], y=sub[statistic], mode="markers", name=f"{a} vs {b}", legendgroup="pairs",
            legendgrouptitle_text="Coder pair" if k == 0 else None, showlegend=False, offsetgroup=str(k),
            marker=dict(color=colours, size=9, symbol=_SYMBOLS[k % len(_SYMBOLS)], line=dict(color="white", width=1)),
            error_y=error, hovertemplate="%{x}<br>%{y:.2f}<extra>" + f"{a} vs {b}</extra>"))
    # legend entries: one per pair (its marker shape, in grey) and one per CMO domain (its colour)
    for k, (a, b) in enumerate(pairs):
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=f"{a} vs {b}", legendgroup="pairs",
                                 legendgrouptitle_text="Coder pair",
                                 marker=dict(color=_GREY_TEXT, size=9, symbol=_SYMBOLS[k % len(_SYMBOLS)])))
    for d in [d for d in DOMAIN_COLOURS if d in set(codes["domain"])]:
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=DOMAIN_NAMES[d], legendgroup="domains",
                                 legendgrouptitle_text="CMO domain",
                                 marker=dict(color=DOMAIN_COLOURS[d], size=10, symbol="square")))
    for y, text in ((0.8, "0.800 (Krippendorff: reliable)"), (0.667, "0.667 (tentative conclusions)")):
        fig.add_hline(y=y, line_dash="dash", line_color="#8C8C8C", annotation_text=text,
                      annotation_position="top left", annotation_font_color=_GREY_TEXT)
    n_t = int(table["n_transcripts"].max()) if len(table) else 0
    labels = list(pd.unique(codes["label"]))
    domain_of = dict(zip(codes["label"], codes["domain"]))
    fig.update_layout(
        title=f"{name} per code, {table['unit'].iloc[0]} unit, {count(n_t, 'double-coded transcript')}"
              + (f": {count(len(pairs), 'coder pair')}" if len(pairs) > 1 else ""),
        yaxis=dict(title=name, range=[-0.25, 1.05]), template="plotly_white", height=560,
        xaxis=dict(tickangle=-50, tickmode="array", tickvals=labels,
                   ticktext=[f"<span style='color:{_tick_colour(domain_of[lab])}'>{lab}</span>" for lab in labels]),
        margin=dict(b=190, t=70), scattermode="group", scattergap=0.4,
        legend=dict(orientation="v", x=1.01, y=1, groupclick="toggleitem"), font=dict(color="#1A1A1A"))
    return fig


# -- tables ----------------------------------------------------------------------------------------------------------

_LEVELS = (("pooled", "Pooled"), ("domain", "By CMO domain"), ("construct", "By construct"),
           ("code", "By code"), ("transcript", "By transcript"))  # also the workbook's sheet names, kept as they are


def _level_tables(table: pd.DataFrame, levels=None) -> list[tuple[str, str, pd.DataFrame]]:
    out = []
    for level, title in _LEVELS:
        if levels is not None and level not in levels:
            continue
        sub = table[table["level"] == level]
        if not sub.empty:
            out.append((level, title, sub))
    return out


def _ci(value, low, high) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if low is None or high is None or (isinstance(low, float) and math.isnan(low)):
        return signed(value)
    return f"{signed(value)} ({interval(low, high)})"


def _pct(v) -> str:
    return "–" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{v:.1%}"


def _num(v) -> str:
    return "–" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{v:.2f}"


_DETAIL_ONLY = ("Neither", "κ SE", "Brennan–Prediger κ")


def agreement_tables(table: pd.DataFrame, levels=None, *, summary: bool = False) -> list[tuple[str, pd.DataFrame]]:
    """The agreement table as the tables a reader sees: per level, ``(title, frame)`` with readable headings,
    numbers formatted, each statistic with its 95% CI in one cell, and the coders named (``Only AK``); with several
    coder pairs, a Coders column; a Flags column says in words why a row must not be read as it stands (only where
    some row is flagged). ``summary`` leaves out the Neither count, κ's analytic SE and Brennan–Prediger κ, so that
    a summary table fits a portrait page (the detail tables and the workbook have them)."""
    out = []
    for level, title, sub in _level_tables(table, levels):
        pairs = sub[["coder_a", "coder_b"]].drop_duplicates()
        one_pair = len(pairs) == 1
        a, b = (pairs.iloc[0]["coder_a"], pairs.iloc[0]["coder_b"]) if one_pair else ("A", "B")
        frame = pd.DataFrame({
            {"code": "Code", "construct": "Construct", "domain": "CMO domain", "transcript": "Transcript",
             "pooled": "Codes"}[level]: sub["label"].tolist()})
        if not one_pair:
            frame["Coders"] = [f"{x} vs {y}" for x, y in zip(sub["coder_a"], sub["coder_b"])]
        frame["Units"] = [f"{int(v):,}" for v in sub["n_units"]]
        frame["Both coded"] = sub["both"].astype(int).tolist()
        frame[f"Only {a}"] = sub["only_a"].astype(int).tolist()
        frame[f"Only {b}"] = sub["only_b"].astype(int).tolist()
        frame["Neither"] = sub["neither"].astype(int).tolist()
        frame["% agreement"] = [_pct(v) for v in sub["percent_agreement"]]
        frame["Cohen's κ (95% CI)"] = [_ci(*v) for v in sub[["cohen_kappa", "kappa_ci_low", "kappa_ci_high"]]
                                       .itertuples(index=False, name=None)]
        frame["Krippendorff's α (95% CI)"] = [_ci(*v) for v in sub[["krippendorff_alpha", "alpha_ci_low",
                                                                     "alpha_ci_high"]].itertuples(index=False,
                                                                                                 name=None)]
        frame["κ SE"] = [_num(v) for v in sub["kappa_se"]]
        frame["Gwet's AC1"] = [_num(v) for v in sub["gwet_ac1"]]
        frame["Brennan–Prediger κ"] = [_num(v) for v in sub["brennan_prediger"]]
        frame["κ (Landis & Koch)"] = sub["kappa_label"].fillna("–").tolist()
        flags = [flag_text(v) for v in sub["caution"]] if "caution" in sub.columns else []
        if any(flags):
            frame["Flags"] = flags
        out.append((title, frame.drop(columns=list(_DETAIL_ONLY)) if summary else frame))
    return out


_SCALES = ("Scales: Landis, J. R., & Koch, G. G. (1977). The measurement of observer agreement for categorical "
           "data. Biometrics, 33, 159-174 (κ: below 0 poor, 0-0.20 slight, 0.21-0.40 fair, 0.41-0.60 moderate, "
           "0.61-0.80 substantial, 0.81-1 almost perfect). Krippendorff, K. (2004). Content Analysis (α of 0.800 "
           "or more reliable; 0.667-0.800 tentative conclusions only).")


def agreement_caption(title: str, table: pd.DataFrame) -> str:
    """The caption of one agreement table: ``"Inter-coder agreement, by code (segment unit)."``."""
    unit = str(table["unit"].iloc[0]) if len(table) else "segment"
    what = "all codes pooled" if title == "Pooled" else f"{title[0].lower()}{title[1:]}"
    return f"Inter-coder agreement, {what} ({unit} unit)."


def agreement_to_xlsx(table: pd.DataFrame, methods: str) -> Workbook:
    """One sheet per level (numbers as numbers, readable headings), a Methods sheet, and a native Excel chart of
    κ per code."""
    wb = Workbook()
    methods_sheet(wb.active, "Inter-coder agreement", real_plurals(methods))
    cols = ["label", "coder_a", "coder_b", "unit", "n_units", "both", "only_a", "only_b", "neither", "prevalence",
            "percent_agreement", "cohen_kappa", "kappa_ci_low", "kappa_ci_high", "kappa_se", "kappa_se_low",
            "kappa_se_high", "krippendorff_alpha", "alpha_ci_low", "alpha_ci_high", "alpha_se", "alpha_se_low",
            "alpha_se_high", "gwet_ac1", "ac1_se", "ac1_se_low", "ac1_se_high", "brennan_prediger", "kappa_label",
            "alpha_label", "caution", "n_transcripts", "transcripts"]
    formats = {**{c: "0.0%" for c in ("prevalence", "percent_agreement")},
               **{c: "0.000" for c in ("cohen_kappa", "kappa_ci_low", "kappa_ci_high", "krippendorff_alpha",
                                       "alpha_ci_low", "alpha_ci_high", "gwet_ac1", "brennan_prediger", "kappa_se",
                                       "kappa_se_low", "kappa_se_high", "alpha_se", "alpha_se_low", "alpha_se_high",
                                       "ac1_se", "ac1_se_low", "ac1_se_high")}}
    for level, title, sub in _level_tables(table):
        sub = sub.assign(caution=sub["caution"].map(flag_text))
        pairs = sub[["coder_a", "coder_b"]].drop_duplicates()
        heads = {c: header(c) for c in cols}
        heads["label"] = {"code": "Code", "construct": "Construct", "domain": "CMO domain",
                          "transcript": "Transcript", "pooled": "Codes"}[level]
        if len(pairs) == 1:
            heads["only_a"], heads["only_b"] = f"Only {pairs.iloc[0]['coder_a']}", f"Only {pairs.iloc[0]['coder_b']}"
        sheet = write_sheet(wb, title, sub[cols], headers=heads, widths={"transcripts": 30, "unit": 10},
                            number_formats=formats, freeze="B2", max_width=40)
        if level == "code" and len(sub) > 0:
            chart = BarChart()
            chart.type = "col"
            chart.title = "Cohen's κ per code"
            chart.y_axis.title = "Cohen's κ"
            chart.y_axis.scaling.min, chart.y_axis.scaling.max = -0.25, 1.0
            k = cols.index("cohen_kappa") + 1
            chart.add_data(Reference(sheet, min_col=k, min_row=1, max_row=len(sub) + 1), titles_from_data=True)
            chart.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=len(sub) + 1))
            chart.height, chart.width = 9, 26
            sheet.add_chart(chart, f"A{len(sub) + 4}")
    return wb


#: The width in pixels the per-code chart is drawn at for Word.
CHART_WIDTH = 1100


def agreement_summary_docx(doc, table: pd.DataFrame, methods: str, *, figure: go.Figure | None = None,
                           level: int = 1, detail_note: str | None = None) -> None:
    """The agreement section of a document: the methods paragraph, the chart (a numbered figure), and the pooled and
    per-domain tables (numbered); ``detail_note`` says where the detail tables are."""
    doc.add_heading("Inter-coder agreement", level=level)
    doc.add_paragraph(real_plurals(methods))
    if figure is not None:
        docx_chart(doc, figure, "Agreement per code.", width_px=CHART_WIDTH)
    for title, frame in agreement_tables(table, levels=("pooled", "domain"), summary=True):
        add_table(doc, frame, caption=agreement_caption(title, table), font_size=8.5)
        doc.add_paragraph()
    if detail_note:
        doc.add_paragraph(detail_note)
    doc.add_paragraph(_SCALES).runs[0].font.size = doc.styles["Caption"].font.size


def agreement_detail_docx(doc, table: pd.DataFrame, *, level: int = 2) -> None:
    """The detail tables (per construct, code and transcript), each numbered, under headings of ``level``."""
    for title, frame in agreement_tables(table, levels=("construct", "code", "transcript")):
        doc.add_heading(title, level=level)
        add_table(doc, frame, caption=agreement_caption(title, table), font_size=8)


def agreement_to_docx(table: pd.DataFrame, methods: str, *, figure: go.Figure | None = None, document=None,
                      level: int = 1):
    """A Word report: the methods paragraph, the per-code chart (or a note where it would be), the pooled and
    per-domain tables, then the tables per construct, code and transcript.

    With ``document``, the same sections are appended to it under a heading of ``level`` (e.g. in a study report).
    """
    doc = document if document is not None else new_document(landscape=True, margin_cm=1.8, font_size=10)
    if document is None:
        doc.add_heading("Inter-coder agreement", level=0)
        doc.add_paragraph(real_plurals(methods))
        if figure is not None:
            docx_chart(doc, figure, "Agreement per code.", width_px=CHART_WIDTH)
        doc.add_paragraph(_SCALES)
        for title, frame in agreement_tables(table):
            doc.add_heading("All codes pooled" if title == "Pooled" else title, level=1)
            add_table(doc, frame, caption=agreement_caption(title, table), font_size=8)
        return doc
    agreement_summary_docx(doc, table, methods, figure=figure, level=level)
    agreement_detail_docx(doc, table, level=level + 1)
    return doc


def agreement_to_html(table: pd.DataFrame, methods: str, *, figure: go.Figure | None = None) -> str:
    """One self-contained, offline HTML page (plotly.js embedded once) with the chart and the tables."""
    tables = [(title, html_table(frame, agreement_caption(title, table), number=k), agreement_caption(title, table))
              for k, (title, frame) in enumerate(agreement_tables(table), start=1)]
    chart = chart_html(figure, "Agreement per code.", 1, plotlyjs=True) if figure is not None else None
    return render_page("agreement.html", title="Inter-coder agreement", methods=real_plurals(methods),
                       chart=chart, tables=tables, scales=_SCALES)
