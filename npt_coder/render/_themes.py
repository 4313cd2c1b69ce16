"""Themed summaries and framework matrices as Word, Excel, HTML and Markdown.

Everything here takes what :mod:`npt_coder.themes` returns (a :class:`~npt_coder.themes.Themes`, a framework matrix
DataFrame) and, optionally, plotly figures; nothing queries the project. Numbers are formatted only here.
"""

from __future__ import annotations

import math
import re
from io import BytesIO
from typing import TYPE_CHECKING, Sequence

import pandas as pd
from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from openpyxl import Workbook
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.styles import Alignment, Border, PatternFill, Side
from openpyxl.utils import get_column_letter

from ._colour import bare, tint
from ._docx import add_table, colour_runs
from ._html import render_page
from ._images import figure_png
from ._style import DOMAIN_COLOURS, DOMAIN_NAMES, UNMAPPED_COLOUR
from ._xlsx import HEADER_FILL, set_widths, style_header, to_cell, write_pairs, write_sheet

if TYPE_CHECKING:  # pragma: no cover
    import plotly.graph_objects as go

    from ..themes import Themes

__all__ = ["matrix_to_xlsx", "themes_to_docx", "themes_to_html", "themes_to_markdown", "themes_to_xlsx"]

Figures = Sequence[tuple[str, "go.Figure"]]
_QUOTE_STYLE = "Block Quote"


# -- walking a summary ------------------------------------------------------------------------------------------------

def _sections(t: "Themes"):
    """Yield ``(group_id, group heading, [(construct heading or None, [rows])])`` in table order."""
    table = t.table
    by_construct = "construct" in t.by
    for gid in pd.unique(table["group_id"]):
        g = table[table["group_id"] == gid]
        heading = g["group"].iloc[0]
        if t.by == ("rq",):
            heading = f"{gid}: {heading}" if gid != "unlinked" else heading
        blocks = []
        if by_construct:
            for cid in pd.unique(g["construct_id"]):
                c = g[g["construct_id"] == cid]
                title = f"{cid} {c['construct'].iloc[0]}" if cid else None
                blocks.append((title, list(c.itertuples(index=False))))
        else:
            blocks.append((None, list(g.itertuples(index=False))))
        yield gid, heading, blocks


def _single(title: str | None, rows) -> bool:
    """A construct of one code with the construct's own id (C1..C4, O1..O4): no separate code heading."""
    deductive = [r for r in rows if r.kind == "deductive"]
    return title is not None and len(deductive) == 1 and title.split(" ", 1)[0] == deductive[0].code_id


def _stats(t: "Themes", r) -> str:
    unit = t.unit
    if r.absent:
        return f"No coded material: no {unit} was coded {r.code_id}."
    spread = ", ".join(f"{c.split('=', 1)[1]} {int(_spread_value(r, t, c))}" for c in t.spread_columns)
    return (f"{r.n_segments} coded {unit}{'s' if r.n_segments != 1 else ''} · {r.n_transcripts} transcript"
            f"{'s' if r.n_transcripts != 1 else ''} · {r.n_participants} participant"
            f"{'s' if r.n_participants != 1 else ''} · {t.attribute}: {spread}")


def _spread_value(row, t: "Themes", col: str):
    """A spread column's value from an itertuples row (its name is not an identifier)."""
    return row[list(t.table.columns).index(col)]


def _see_also(r, t: "Themes") -> str:
    """The line shown where an inductive code is listed again under a second or third target."""
    home = t.table[(t.table["code_id"] == r.code_id) & t.table["primary"]]
    where = home["parent"].iloc[0] if len(home) else "its first target"
    return f"{r.label} (inductive) also maps here; its material is summarised under {where}."


def _overview(t: "Themes") -> pd.DataFrame:
    """One row per code (its primary row), the columns the overview tables show."""
    rows = t.table[t.table["primary"]].drop_duplicates(["group_id", "code_id"])
    out = pd.DataFrame({"Code": rows["label"], "Domain": rows["domain"].map(lambda d: DOMAIN_NAMES.get(d, d)),
                        f"Coded {t.unit}s": rows["n_segments"], "Transcripts": rows["n_transcripts"],
                        "Participants": rows["n_participants"]})
    for c in t.spread_columns:
        out[c.split("=", 1)[1]] = rows[c]
    if t.by == ("rq",):
        out.insert(0, "RQ", rows["group_id"])
    return out.reset_index(drop=True)


# -- Word -------------------------------------------------------------------------------------------------------------

def _quote_style(doc) -> str:
    styles = doc.styles
    if _QUOTE_STYLE not in [s.name for s in styles]:
        st = styles.add_style(_QUOTE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
        st.base_style = styles["Normal"]
        st.quick_style = True
        pf = st.paragraph_format
        pf.left_indent = Cm(1.0)
        pf.right_indent = Cm(1.0)
        pf.space_before = Pt(3)
        pf.space_after = Pt(6)
        st.font.italic = False
        st.font.size = Pt(10)
        st.font.color.rgb = RGBColor(0x33, 0x33, 0x33)
        # a thin rule on the left, as a block quote
        ppr = st.element.get_or_add_pPr()
        bdr = OxmlElement("w:pBdr")
        left = OxmlElement("w:left")
        for k, v in (("w:val", "single"), ("w:sz", "12"), ("w:space", "8"), ("w:color", "BBBBBB")):
            left.set(qn(k), v)
        bdr.append(left)
        ppr.append(bdr)
    return _QUOTE_STYLE


def image_size(fig) -> dict:
    """The size a chart is drawn at for Word: 900 px over 17 cm keeps the labels legible."""
    return {"width": 900, "height": int(fig.layout.height or 600)}


def _add_figures(doc, figures: Figures | None, level: int) -> None:
    for caption, fig in figures or ():
        doc.add_heading(caption, level=level)
        png, why = figure_png(fig, **image_size(fig))
        if png is not None:
            doc.add_picture(BytesIO(png), width=Cm(17))
        else:
            doc.add_paragraph(f"[Chart not included: {why}. The HTML version has it interactively.]")


def themes_to_docx(themes: "Themes", *, figures: Figures | None = None, document=None,
                   title: str | None = "Coded themes", level: int = 1):
    """The themed summary as a Word document.

    Real heading styles (domain or research question, construct, code), a counts line per code, quotes as
    indented block quotes (style "Block Quote") with their attribution, an overview table with a repeating header
    row, and the charts as images (or a note where each would be when no static image can be made).

    Parameters
    ----------
    themes : Themes
    figures : sequence of (caption, plotly Figure), optional
        Charts to include after the overview.
    document : docx.Document, optional
        Append to this document (e.g. a study report) instead of starting a new one.
    title : str or None
        Title (heading level ``level - 1``); ``None``: none.
    level : int, default 1
        Heading level of the sections (domains / questions); constructs and codes go one and two levels down.
    """
    doc = document if document is not None else Document()
    if document is None:
        section = doc.sections[0]
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)  # A4
        section.left_margin = section.right_margin = Cm(2.0)
        doc.styles["Normal"].font.name = "Calibri"
        doc.styles["Normal"].font.size = Pt(10.5)
    qstyle = _quote_style(doc)
    if title:
        doc.add_heading(title, level=max(level - 1, 0))
    doc.add_paragraph(themes.methods_text())
    doc.add_heading("Overview", level=level)
    ov = _overview(themes)
    fills = [tint(DOMAIN_COLOURS[d.lower()], 0.8) if d.lower() in DOMAIN_COLOURS else None for d in ov["Domain"]]
    n_extra = len(ov.columns) - (6 if themes.by == ("rq",) else 5)
    rq = themes.by == ("rq",)
    fixed = [1.1, 3.6, 2.3, 2.6, 2.4, 2.6] if rq else [4.0, 2.3, 2.6, 2.4, 2.6]
    extra_w = max(0.9, min(1.6, (17.4 - sum(fixed)) / max(n_extra, 1)))
    excess = sum(fixed) + extra_w * n_extra - 17.4
    if excess > 0:  # many attribute values: narrow the code column (down to 3 cm) before anything overflows
        fixed[1 if rq else 0] = max(3.0, fixed[1 if rq else 0] - excess)
    widths = fixed + [extra_w] * n_extra
    add_table(doc, ov, style="Table Grid", alignment=WD_TABLE_ALIGNMENT.LEFT, header_fill="E6E6E6", repeat=True,
              na="", digits=None, widths=widths, fills=fills, fill_col=1 if rq else 0, font_size=8.5, space_after=0)
    _add_figures(doc, figures, level)
    sub = level + 1
    for gid, heading, blocks in _sections(themes):
        doc.add_heading(heading, level=level)
        for title_c, rows in blocks:
            single = _single(title_c, rows)
            if title_c:
                doc.add_heading(title_c, level=sub)
            for r in rows:
                if not r.primary:
                    p = doc.add_paragraph()
                    p.add_run(_see_also(r, themes)).italic = True
                    continue
                if not (single and r.code_id == title_c.split(" ", 1)[0]):
                    head = r.label + ("  (inductive)" if r.kind == "inductive" else "")
                    h = doc.add_heading(head, level=sub + 1 if title_c else sub)
                    colour_runs(h, DOMAIN_COLOURS.get(r.domain))
                p = doc.add_paragraph()
                run = p.add_run(_stats(themes, r))
                run.italic = bool(r.absent)
                run.font.size = Pt(9)
                for q in themes.quotes_for(r.code_id).itertuples(index=False):
                    para = doc.add_paragraph(style=qstyle)
                    para.add_run(f"“{q.text}”")
                    para.add_run(f" {q.attribution}").bold = True
    return doc


# -- Excel ------------------------------------------------------------------------------------------------------------

def themes_to_xlsx(themes: "Themes") -> Workbook:
    """The themed summary as a workbook: Summary (one row per code under each heading, counts as numbers), Quotes
    (one row per quote, with its place in the transcript), Basis (which codings each transcript contributed) and
    About (how the summary was made)."""
    wb = Workbook()
    ws = wb.active
    t = themes.table
    cols = ["group_id", "code_id", "name", "construct_id", "kind", "parent", "primary", "n_segments",
            "n_transcripts", "n_participants", "n_attribute_values", *themes.spread_columns, "absent", "rq_ids",
            "group"]
    heads = {"group_id": "Section", "group": "Heading", "construct_id": "Construct", "code_id": "Code",
             "name": "Name", "kind": "Kind", "parent": "Listed under", "primary": "Main entry",
             "rq_ids": "Research questions", "n_segments": f"Coded {themes.unit}s", "n_transcripts": "Transcripts",
             "n_participants": "Participants", "n_attribute_values": f"{themes.attribute.title()} values",
             "absent": "No material", **{c: c.split("=", 1)[1] for c in themes.spread_columns}}
    write_sheet(ws, "Summary", t[cols], headers=heads,
                widths={"group": 60, "code_id": 16, "name": 30, "rq_ids": 16, "parent": 12, "group_id": 11},
                wrap=["group"], freeze="D2", autofilter=True)
    for i, d in enumerate(t["domain"], start=2):
        if d in DOMAIN_COLOURS:
            ws.cell(i, 2).fill = PatternFill("solid", fgColor=bare(tint(DOMAIN_COLOURS[d], 0.7)))
    q = themes.quotes
    extra = [c for c in q.columns if c not in ("code_id", "rank", "text", "attribution")]
    write_sheet(wb, "Quotes", q[["code_id", "rank", "text", "attribution", *extra]],
                headers={"code_id": "Code", "rank": "Rank", "text": "Quote", "attribution": "Attribution"},
                widths={"text": 90, "attribution": 14, "coders": 14}, wrap=["text"], freeze="C2", autofilter=True)
    write_sheet(wb, "Basis", themes.basis, widths={"transcript_id": 16, "basis": 14, "coders": 20}, freeze="B2",
                autofilter=True)
    rows = [("Themed summary", themes.methods_text()), ("Codebook", themes.codebook),
            ("Organised by", " → ".join(themes.by)), ("Attribute", themes.attribute), ("Unit", themes.unit),
            ("Interviewer talk", "included" if themes.include_interviewer else "left out"),
            ("Quote attribution", themes.options.get("attribution", ""))]
    if themes.research_questions is not None:
        rows += [(q.rq_id, q.question) for q in themes.research_questions]
    write_pairs(wb, "About", rows, widths=(20, 110))
    return wb


def _row_height(values: Sequence, widths: Sequence[float]) -> float:
    lines = 1
    for v, w in zip(values, widths):
        if isinstance(v, str) and v:
            per = max(int(w * 1.15), 8)
            lines = max(lines, sum(max(1, math.ceil(len(part) / per)) for part in v.split("\n")))
    return min(409.0, 13.0 * lines + 4)


def matrix_to_xlsx(found, *, title: str | None = None) -> Workbook:
    """A framework matrix as a workbook: one sheet per CMO domain (Context, Mechanism, Outcome, then any codes not
    mapped to a domain), the case attributes as leading columns on every sheet, wrapped text, row heights that fit
    the excerpts, frozen header row and case columns; counts as numbers with a colour scale. An About sheet says
    what the rows, columns and cells are.

    Takes the :class:`~npt_coder.themes.FrameworkMatrix` :func:`npt_coder.themes.framework_matrix` returns (it names
    the leading columns and each column's domain).
    """
    matrix = found.table
    leading = list(found.leading or [c for c in matrix.columns if c in ("participant", "transcript_id")])
    domains = dict(found.domains or {})
    code_cols = [c for c in matrix.columns if c not in leading]
    count = found.cell == "count"
    wb = Workbook()
    wb.remove(wb.active)
    groups: dict[str, list[str]] = {}
    for c in code_cols:
        groups.setdefault(domains.get(c, ""), []).append(c)
    order = [d for d in ("context", "mechanism", "outcome") if d in groups] + [d for d in groups if d not in
                                                                               ("context", "mechanism", "outcome")]
    lead_w = [14 if c in ("participant", "transcript_id") else 12 for c in leading]
    for d in order:
        cols = groups[d]
        ws = wb.create_sheet(DOMAIN_NAMES.get(d, "Not mapped"))
        ws.append([c.replace("_", " ") if c in leading else c for c in leading] + cols)
        fill = bare(tint(DOMAIN_COLOURS[d], 0.7)) if d in DOMAIN_COLOURS else HEADER_FILL
        style_header(ws)
        for cell in ws[1][len(leading):]:
            cell.fill = PatternFill("solid", fgColor=fill)
        code_w = 14 if count else 55
        widths = lead_w + [code_w] * len(cols)
        thin = Side(style="thin", color="CCCCCC")
        for values in matrix[leading + cols].itertuples(index=False):
            ws.append([to_cell(v) if not (isinstance(v, str) and v == "") else None for v in values])
            r = ws.max_row
            for j in range(1, len(values) + 1):
                cell = ws.cell(r, j)
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                cell.border = Border(bottom=thin, right=thin)
            if not count:
                ws.row_dimensions[r].height = _row_height(list(values), widths)
        ws.row_dimensions[1].height = 45
        set_widths(ws, widths)
        ws.freeze_panes = ws.cell(2, len(leading) + 1).coordinate
        if count and len(matrix):
            rng = (f"{get_column_letter(len(leading) + 1)}2:{get_column_letter(len(leading) + len(cols))}"
                   f"{ws.max_row}")
            ws.conditional_formatting.add(rng, ColorScaleRule(start_type="num", start_value=0, start_color="FFFFFF",
                                                              end_type="max", end_color=fill))
        ws.print_title_rows = "1:1"
        ws.page_setup.orientation = "landscape"
    rows_text = {"participant": "participants (each focus-group speaker is a participant)",
                 "transcript": "transcripts"}.get(str(found.row_kind), f"values of {found.row_kind}")
    cell_text = ("the number of coded " + str(found.unit) + "s" if count else
                 "the coded passages, whole sentences cut at … where long, each followed by [transcript turn]")
    write_pairs(wb, "About", (
        ("Framework matrix", title or "Cases × " + ("constructs" if found.column_kind == "construct" else "codes")),
        ("Rows", rows_text),
        ("Columns", "one per " + str(found.column_kind) + ", one sheet per CMO domain"),
        ("Cells", cell_text),
        ("Method", "Gale, N. K., Heath, G., Cameron, E., Rashid, S., & Redwood, S. (2013). Using the framework "
                   "method for the analysis of qualitative data in multi-disciplinary health research. BMC Medical "
                   "Research Methodology, 13, 117.")), widths=(18, 100))
    return wb


# -- HTML -------------------------------------------------------------------------------------------------------------

def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def themes_html_context(themes: "Themes", *, figures: Figures | None = None, plotlyjs: bool = True) -> dict:
    """What ``templates/themes_body.html`` shows, as plain values (the template escapes them).

    With ``plotlyjs``, the first chart carries plotly.js (a page of its own); without, the page embedding the body
    must (the study report does).
    """
    sections = []
    for gid, heading, blocks in _sections(themes):
        contents, out_blocks = [], []
        for title_c, rows in blocks:
            single = _single(title_c, rows)
            entries = []
            for r in rows:
                if not r.primary:
                    entries.append({"also": _see_also(r, themes)})
                    continue
                anchor = _slug(str(gid) + "-" + r.code_id)
                contents.append((anchor, r.label))
                own_heading = not (single and r.code_id == title_c.split(" ", 1)[0])
                entries.append({
                    "also": None, "anchor": anchor, "label": r.label, "inductive": r.kind == "inductive",
                    "heading_tag": ("h4" if title_c else "h3") if own_heading else None,
                    "colour": DOMAIN_COLOURS.get(r.domain, UNMAPPED_COLOUR), "absent": bool(r.absent),
                    "stats": _stats(themes, r),
                    "quotes": [(q.text, q.attribution) for q in themes.quotes_for(r.code_id).itertuples(index=False)],
                })
            out_blocks.append({"title": title_c, "entries": entries})
        sections.append({"anchor": _slug(str(gid)), "heading": heading, "contents": contents, "blocks": out_blocks})
    charts = [(caption, fig.to_html(full_html=False, include_plotlyjs=plotlyjs and k == 0,
                                    config={"displaylogo": False}))
              for k, (caption, fig) in enumerate(figures or ())]
    return {"methods": themes.methods_text(), "sections": sections, "figures": charts,
            "overview_html": _overview(themes).to_html(index=False, escape=True, border=0)}


def themes_to_html(themes: "Themes", *, figures: Figures | None = None, title: str = "Coded themes",
                   fragment: bool = False) -> str:
    """One self-contained, offline HTML page: a table of contents, the overview table, interactive charts
    (plotly.js embedded once), then each section with its codes' counts and quotes.

    With ``fragment=True``, only the page's body content, without plotly.js (for a larger page that embeds
    plotly.js itself and includes the styles of ``templates/themes.css``, as the study report does)."""
    context = themes_html_context(themes, figures=figures, plotlyjs=not fragment)
    if fragment:
        return render_page("themes_body.html", t=context)
    return render_page("themes.html", title=title, t=context)


# -- Markdown ---------------------------------------------------------------------------------------------------------

def _md_cell(v) -> str:
    return str(v).replace("|", "\\|").replace("\n", " ")


def themes_to_markdown(themes: "Themes", *, title: str = "Coded themes") -> str:
    """The themed summary as Markdown: headings, an overview table, counts lines and ``>`` block quotes."""
    out = [f"# {title}", "", themes.methods_text(), "", "## Overview", ""]
    ov = _overview(themes)
    out.append("| " + " | ".join(map(_md_cell, ov.columns)) + " |")
    out.append("|" + "|".join("---" if i == 0 else "---:" for i in range(len(ov.columns))) + "|")
    for values in ov.itertuples(index=False):
        out.append("| " + " | ".join(_md_cell(v) for v in values) + " |")
    out.append("")
    for _, heading, blocks in _sections(themes):
        out += [f"## {heading}", ""]
        for title_c, rows in blocks:
            single = _single(title_c, rows)
            if title_c:
                out += [f"### {title_c}", ""]
            for r in rows:
                if not r.primary:
                    out += [f"*{_see_also(r, themes)}*", ""]
                    continue
                if not (single and r.code_id == title_c.split(" ", 1)[0]):
                    hashes = "####" if title_c else "###"
                    out += [f"{hashes} {r.label}" + (" *(inductive)*" if r.kind == "inductive" else ""), ""]
                stats = _stats(themes, r)
                out += [f"*{stats}*" if r.absent else stats, ""]
                for q in themes.quotes_for(r.code_id).itertuples(index=False):
                    out += [f"> “{q.text}”", ">", f"> — {q.attribution}", ""]
    return "\n".join(out).rstrip() + "\n"

