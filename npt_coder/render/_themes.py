"""Themed summaries as Word, Excel, HTML and Markdown.

Everything here takes what :mod:`npt_coder.themes` returns (a :class:`~npt_coder.themes.Themes`) and, optionally,
plotly figures; nothing queries the project. Numbers are formatted only here. Each code is summarised once, under
its home (an inductive code's other targets carry a one-line pointer); the overview names what its count columns
count ("Site S1 (paragraphs)"); charts are numbered figures whose caption is the chart's title.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Sequence

import pandas as pd
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from openpyxl import Workbook
from openpyxl.styles import PatternFill

from .._words import count
from .._xlsx import write_pairs, write_sheet
from ._colour import bare, tint
from ._docx import add_table, colour_runs, new_document
from ._figures import chart_html, docx_chart
from ._headers import header
from ._html import html_table, render_page
from ._style import DOMAIN_COLOURS, DOMAIN_NAMES, UNMAPPED_COLOUR

if TYPE_CHECKING:  # pragma: no cover
    import plotly.graph_objects as go

    from ..themes import Themes

__all__ = ["quotes_sheet", "summary_sheet", "themes_to_docx", "themes_to_html", "themes_to_markdown", "themes_to_xlsx"]

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


def _spread_value(row, t: "Themes", col: str):
    """A spread column's value from an itertuples row (its name is not an identifier)."""
    return row[list(t.table.columns).index(col)]


def _stats(t: "Themes", r) -> str:
    unit = t.unit
    if r.absent:
        return f"No coded material: no {unit} was coded {r.code_id}."
    spread = ", ".join(f"{c.split('=', 1)[1]} {int(_spread_value(r, t, c))}" for c in t.spread_columns)
    text = (f"{count(r.n_segments, f'coded {unit}')} · {count(r.n_transcripts, 'transcript')} · "
            f"{count(r.n_participants, 'participant')} · coded {unit}s by {t.attribute}: {spread}")
    if r.kind == "inductive" and r.maps_to:
        text += f" · maps to {r.maps_to}"
    return text


def _see_also(r, t: "Themes") -> str:
    """The line shown where a code is listed again: an inductive code under another of its targets, or, by research
    question, a code under a later question it also serves."""
    home = t.table[(t.table["code_id"] == r.code_id) & t.table["primary"]]
    if t.by == ("rq",):
        where = home["group_id"].iloc[0] if len(home) else "an earlier question"
        return f"{r.label} also serves this question; its material is summarised under {where}."
    where = home["parent"].iloc[0] if len(home) else "its first target"
    return f"{r.label} (inductive) also maps here; its material is summarised under {where}."


def spread_header(t: "Themes", column: str, *, unit: bool = True) -> str:
    """The heading of a spread column: ``"Site S1 (paragraphs)"``: which value, and what is counted (``unit=False``:
    ``"Site S1"``, for a table whose caption says what its spread columns count)."""
    return f"{header(column)} ({t.unit}s)" if unit else header(column)


def _overview(t: "Themes") -> pd.DataFrame:
    """One row per code (its primary row), the columns the overview tables show."""
    rows = t.table[t.table["primary"]].drop_duplicates(["group_id", "code_id"])
    out = pd.DataFrame({"Code": rows["label"], "CMO domain": rows["domain"].map(lambda d: DOMAIN_NAMES.get(d, d)),
                        f"Coded {t.unit}s": rows["n_segments"], "Transcripts": rows["n_transcripts"],
                        "Participants": rows["n_participants"]})
    for c in t.spread_columns:
        out[spread_header(t, c, unit=False)] = rows[c]
    if t.by == ("rq",):
        out.insert(1, "Research questions", rows["rq_ids"].where(rows["rq_ids"] != "", rows["group_id"]))
    return out.reset_index(drop=True)


def _overview_caption(t: "Themes") -> str:
    return (f"Coded material per code: coded {t.unit}s, the transcripts and participants they come from, and, in "
            f"the {header(t.attribute)} columns, the coded {t.unit}s at each {t.attribute}.")


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


def themes_to_docx(themes: "Themes", *, figures: Figures | None = None, document=None,
                   title: str | None = "Coded themes", level: int = 1, methods: bool = True):
    """The themed summary as a Word document.

    Real heading styles (domain or research question, construct, code), a counts line per code, quotes as
    indented block quotes (style "Block Quote") with their attribution, a numbered overview table, and the charts
    as numbered figures with alt text (or a note where each would be when no static image can be made).

    Parameters
    ----------
    themes : Themes
    figures : sequence of (caption, plotly Figure), optional
        Charts to include after the overview; a chart's title becomes its caption (the given one if it has none).
    document : docx.Document, optional
        Append to this document (e.g. a study report) instead of starting a new one.
    title : str or None
        Title (heading level ``level - 1``); ``None``: none.
    level : int, default 1
        Heading level of the sections (domains / questions); constructs and codes go one and two levels down.
    methods : bool, default True
        Start with the paragraph saying what the summary rests on (a study report has it in its methods).
    """
    doc = document if document is not None else new_document()
    qstyle = _quote_style(doc)
    if title:
        doc.add_heading(title, level=max(level - 1, 0))
    if methods:
        doc.add_paragraph(themes.methods_text())
    doc.add_heading("Overview", level=level)
    ov = _overview(themes)
    fills = [tint(DOMAIN_COLOURS[d.lower()], 0.8) if str(d).lower() in DOMAIN_COLOURS else None
             for d in ov["CMO domain"]]
    add_table(doc, ov, na="", digits=None, fills=fills, fill_col=0, font_size=8.5,
              caption=_overview_caption(themes))
    if figures:
        doc.add_heading("Charts", level=level)
        for caption, fig in figures:
            docx_chart(doc, fig, caption)
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

def summary_sheet(target, themes: "Themes", name: str = "Summary"):
    """The themed summary's table as a sheet (a workbook gets a new one; a worksheet is filled): one row per code,
    each code once (an inductive code where the codebook lists it, with what it maps to), counts as numbers, so a
    column adds up over codes."""
    t = themes.table[themes.table["primary"]]
    rq = themes.by == ("rq",)
    cols = (["group_id"] if rq else []) + ["code_id", "name", "domain", "construct_id", "kind", "maps_to",
                                           "n_segments", "n_transcripts", "n_participants", "n_attribute_values",
                                           *themes.spread_columns, "absent", "rq_ids"]
    heads = {c: header(c, unit=themes.unit) for c in cols}
    heads.update({"group_id": "Summarised under", "construct_id": "Construct (where listed)",
                  "n_attribute_values": f"{themes.attribute.title()} values with material",
                  **{c: spread_header(themes, c) for c in themes.spread_columns}})
    frame = t[cols].assign(domain=t["domain"].map(lambda d: DOMAIN_NAMES.get(d, d or "Not mapped")),
                           absent=t["absent"].map({True: "yes", False: ""}))
    ws = write_sheet(target, name, frame, headers=heads, widths={"name": 28, "maps_to": 40, "rq_ids": 16},
                     wrap=["maps_to", "name"], freeze="C2" if not rq else "D2", autofilter=True, max_width=30)
    code_col = cols.index("code_id") + 1
    for i, d in enumerate(t["domain"], start=2):
        if d in DOMAIN_COLOURS:
            ws.cell(i, code_col).fill = PatternFill("solid", fgColor=bare(tint(DOMAIN_COLOURS[d], 0.7)))
    return ws


def quotes_sheet(wb: Workbook, themes: "Themes", name: str = "Quotes"):
    """One row per quote with its code, rank, attribution and place in the transcript."""
    q = themes.quotes
    extra = [c for c in q.columns if c not in ("code_id", "rank", "text", "attribution")]
    return write_sheet(wb, name, q[["code_id", "rank", "text", "attribution", *extra]],
                       headers={c: header(c) for c in q.columns} | {"text": "Quote", "coders": "Coded by"},
                       widths={"text": 80}, wrap=["text"], freeze="C2", autofilter=True, max_width=24)


def themes_to_xlsx(themes: "Themes") -> Workbook:
    """The themed summary as a workbook: Summary (see :func:`summary_sheet`), Quotes (one row per quote, with its
    place in the transcript), Basis (which codings each transcript contributed) and About (how the summary was
    made)."""
    wb = Workbook()
    summary_sheet(wb.active, themes)
    quotes_sheet(wb, themes)
    write_sheet(wb, "Basis", themes.basis, headers={c: header(c) for c in themes.basis.columns}, freeze="B2",
                autofilter=True)
    rows = [("Themed summary", themes.methods_text()), ("Codebook", themes.codebook),
            ("Organised by", " → ".join(themes.by)), ("Attribute", themes.attribute), ("Unit", themes.unit),
            ("Interviewer talk", "included" if themes.include_interviewer else "left out"),
            ("Quote attribution", themes.options.get("attribution", "")),
            ("Summary sheet", "One row per code (an inductive code once, where the codebook lists it, with "
                              "everything it maps to), so each count column adds up over codes.")]
    if themes.research_questions is not None:
        rows += [(q.rq_id, q.question) for q in themes.research_questions]
    write_pairs(wb, "About", rows)
    return wb


# -- HTML -------------------------------------------------------------------------------------------------------------

def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def themes_html_context(themes: "Themes", *, figures: Figures | None = None, plotlyjs: bool = True,
                        first_figure: int = 1, first_table: int = 1, methods: bool = True, base: int = 2) -> dict:
    """What ``templates/themes_body.html`` shows, as plain values (the template escapes them).

    With ``plotlyjs``, the first chart carries plotly.js (a page of its own); without, the page embedding the body
    must (the study report does). Figures and the overview table are numbered from ``first_figure`` and
    ``first_table``; ``methods=False`` leaves out the paragraph on what the summary rests on. Sections are headings
    of level ``base`` (``<h2>`` on a page of its own), constructs and codes one and two levels down.
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
                    "heading_tag": f"h{base + 2 if title_c else base + 1}" if own_heading else None,
                    "colour": DOMAIN_COLOURS.get(r.domain, UNMAPPED_COLOUR), "absent": bool(r.absent),
                    "stats": _stats(themes, r),
                    "quotes": [(q.text, q.attribution) for q in themes.quotes_for(r.code_id).itertuples(index=False)],
                })
            out_blocks.append({"title": title_c, "entries": entries})
        sections.append({"anchor": _slug(str(gid)), "heading": heading, "contents": contents, "blocks": out_blocks})
    charts = [chart_html(fig, caption, first_figure + k, plotlyjs=plotlyjs and k == 0)
              for k, (caption, fig) in enumerate(figures or ())]
    return {"methods": themes.methods_text() if methods else "", "sections": sections, "figures": charts, "base": base,
            "overview_html": html_table(_overview(themes), _overview_caption(themes), number=first_table)}


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
    out = [f"# {title}", "", themes.methods_text(), "", "## Overview", "", f"Table 1. {_overview_caption(themes)}",
           ""]
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
