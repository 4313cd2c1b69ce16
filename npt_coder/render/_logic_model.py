"""Logic-model drawings: a plotly figure, an editable Word table and an HTML page with its text description.

Everything here takes a logic model (:class:`npt_coder.logic_model.LogicModel`, its mapping or its YAML file) and
optional evidence already computed by :func:`npt_coder.logic_model.evidence`; nothing queries the project.

The figure is laid out in pixels before plotly sees it (:func:`logic_model_layout`, in
:mod:`npt_coder.render._lm_layout`), with text measured by :mod:`npt_coder.render._text_metrics`, so text never
runs out of its box.
"""

from __future__ import annotations

import html
from typing import Mapping, Sequence

import plotly.graph_objects as go
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.shared import Mm, Pt, RGBColor

from ..logic_model import LogicModel, LogicModelItem, compare, describe, evidence_labels, load_logic_model
from ._colour import mix, readable, rgb, text_on
from ._docx import keep_row_together, new_document, repeat_header, shade_cell, table_title
from ._html import render_page
from ._lm_layout import (
    DEFAULT_LOGIC_MODEL_THEME,
    Arrow,
    EvidenceLike,
    Layout,
    LogicModelLayout,
    Rect,
    SpecLike,
    TextBlock,
    coding_note,
    column_colour,
    figure_notes,
    logic_model_layout,
    model_theme,
)
from ._text_metrics import FONT_FAMILY, LINE_SPACING, text_width, wrap_text

__all__ = [
    "DEFAULT_LOGIC_MODEL_THEME",
    "FONT_FAMILY",
    "LINE_SPACING",
    "Arrow",
    "LogicModelLayout",
    "Rect",
    "TextBlock",
    "logic_model_figure",
    "logic_model_layout",
    "logic_model_to_docx",
    "logic_model_to_html",
    "text_width",
    "wrap_text",
]


def _rounded(r: Rect) -> str:
    rad = min(r.radius, (r.x1 - r.x0) / 2, (r.y1 - r.y0) / 2)
    x0, y0, x1, y1 = r.x0, r.y0, r.x1, r.y1
    if rad <= 0:
        return f"M {x0},{y0} H {x1} V {y1} H {x0} Z"
    return (f"M {x0 + rad},{y0} H {x1 - rad} Q {x1},{y0} {x1},{y0 + rad} V {y1 - rad} Q {x1},{y1} {x1 - rad},{y1} "
            f"H {x0 + rad} Q {x0},{y1} {x0},{y1 - rad} V {y0 + rad} Q {x0},{y0} {x0 + rad},{y0} Z")


def logic_model_figure(spec: SpecLike, *,
                       compare_with: SpecLike | None = None,
                       evidence: EvidenceLike = None,
                       compare_evidence: EvidenceLike = None,
                       layout: Layout = "stacked", width: int = 1400, font_size: float = 14) -> go.Figure:
    """The logic model as a plotly figure: coloured column panels, arrows from left to right, the harms box in red.

    The harms box hangs below the Mechanisms column (or the last two columns when there is none): under that
    panel alone when the column is short enough, otherwise spanning it and the columns to its right below all
    panels, whichever keeps the figure shorter. Notes (what bold means, what the evidence counts, the spec's
    ``notes``) go beside or below it.

    Parameters
    ----------
    spec : LogicModel, mapping or path
    compare_with : LogicModel, mapping or path, optional
        A second model, drawn below the first (``layout="stacked"``, the default) or beside it
        (``"side-by-side"``); in each, the items not in the other model are in bold.
    evidence, compare_evidence : optional
        Evidence for each model (what :func:`npt_coder.logic_model.evidence` returns, a mapping of item path to
        text, or ``True`` for the counts recorded in the spec), written in small italics under each item.
    layout : {"stacked", "side-by-side"}
        Stacked keeps each model at full width, so its text stays as legible as a single model's at A4
        landscape, and lines up the same columns of the two models one above the other; side by side doubles
        the figure's width.
    width, font_size : int, float
        Width of one model in px, and the item text size in px. The defaults (1400 px, 14 px) print at about
        8 pt across A4 landscape; the height follows from the content.

    Returns
    -------
    plotly.graph_objects.Figure
        Sized in pixels (``layout.width``/``height``). Save it with ``fig.write_html(path, include_plotlyjs=True)``
        (works offline) or :func:`npt_coder.render.save` ``(fig, "model.png")`` / ``.svg`` / ``.pdf``, which draws it
        in the local, offline browser (plotly's own ``write_image`` starts kaleido's, which may fetch MathJax).

    Examples
    --------
    >>> fig = logic_model_figure({"title": "T", "columns": [{"name": "Context", "items": ["High demand"]},
    ...                                                     {"name": "Mechanisms", "items": ["Trust"]}]})
    >>> fig.layout.width, len(fig.layout.shapes) > 0
    (1400, True)
    """
    lay = logic_model_layout(spec, compare_with=compare_with, evidence=evidence, compare_evidence=compare_evidence,
                             layout=layout, width=width, font_size=font_size)
    shapes = []
    for r in lay.rects:
        shapes.append(dict(type="path", path=_rounded(r), xref="x", yref="y", fillcolor=r.fill, layer="below",
                           line=dict(color=r.line or r.fill, width=r.line_width if r.line else 0)))
    annotations = []
    for blk in lay.blocks:
        body = "<br>".join(html.escape(line, quote=False) for line in blk.lines)
        if blk.bold:
            body = "<br>".join(f"<b>{html.escape(line, quote=False)}</b>" for line in blk.lines)
        if blk.italic:
            body = "<br>".join(f"<i>{part}</i>" for part in body.split("<br>"))
        annotations.append(dict(
            x=blk.x, y=blk.y, xref="x", yref="y", xanchor="left", yanchor="top", align="left", showarrow=False,
            text=body, borderpad=0, borderwidth=0,
            font=dict(family=FONT_FAMILY, size=blk.size, color=blk.colour), hovertext=blk.hover,
        ))
    for a in lay.arrows:
        annotations.append(dict(x=a.x1, y=a.y1, ax=a.x0, ay=a.y0, xref="x", yref="y", axref="x", ayref="y",
                                showarrow=True, arrowhead=2, arrowsize=1.1, arrowwidth=2.5, arrowcolor=a.colour,
                                text=""))
    fig = go.Figure()
    fig.update_layout(
        width=lay.width, height=lay.height, margin=dict(l=0, r=0, t=0, b=0), showlegend=False,
        paper_bgcolor="#FFFFFF", plot_bgcolor="#FFFFFF", shapes=shapes, annotations=annotations,
        xaxis=dict(range=[0, lay.width], visible=False, fixedrange=True),
        yaxis=dict(range=[lay.height, 0], visible=False, fixedrange=True),
        font=dict(family=FONT_FAMILY), dragmode=False, hovermode="closest",
    )
    return fig


# -- Word --------------------------------------------------------------------------------------------------------------

def _para(cell, first: list[bool]):
    """The cell's first (empty) paragraph the first time, a new one after."""
    if first[0]:
        first[0] = False
        return cell.paragraphs[0]
    return cell.add_paragraph()


def _items_into(cell, items: Sequence[LogicModelItem], *, first: list[bool], unique: frozenset[str] | None,
                labels: Mapping[str, str], size: float) -> None:
    for item in items:
        p = _para(cell, first)
        p.style = "List Bullet"
        p.paragraph_format.space_after = Pt(2)
        run = p.add_run(item.text)
        run.font.size = Pt(size)
        run.bold = bool(unique is not None and item.path in unique)
        if item.path in labels:
            e = cell.add_paragraph()
            e.paragraph_format.left_indent = Mm(6.35)
            e.paragraph_format.space_after = Pt(3)
            r = e.add_run(labels[item.path])
            r.italic = True
            r.font.size = Pt(size - 1.5)
            r.font.color.rgb = RGBColor(0x4D, 0x4D, 0x4D)


def _model_table(doc, model: LogicModel, *, unique: frozenset[str] | None, other: LogicModel | None,
                 labels: Mapping[str, str], coding: str | None, heading_level: int, size: float,
                 new_page: bool = False, notes: Sequence[str] | None = None) -> None:
    # a new page by the heading's own property: a page-break paragraph after a full page would leave one empty
    doc.add_heading(model.title, level=heading_level).paragraph_format.page_break_before = new_page
    if model.model != model.title or model.summary:
        p = doc.add_paragraph()
        if model.model != model.title:
            p.add_run(model.model + (". " if model.summary else "")).bold = True
        if model.summary:
            p.add_run(model.summary).italic = True
    n = len(model.columns)
    harms = model.harms if model.harms is not None and model.harms.items else None
    table = doc.add_table(rows=2 + (1 if harms else 0), cols=n)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    section = doc.sections[-1]
    usable = section.page_width - section.left_margin - section.right_margin
    for k, col in enumerate(model.columns):
        colour = column_colour(model, col)
        head = table.cell(0, k)
        head.width = int(usable / n)
        shade_cell(head, colour)
        run = head.paragraphs[0].add_run(col.name)
        run.bold = True
        run.font.size = Pt(size + 1.5)
        run.font.color.rgb = RGBColor(*rgb(text_on(colour)))
        body = table.cell(1, k)
        body.width = int(usable / n)
        tint = mix(colour, "#FFFFFF", 0.88)
        shade_cell(body, tint)
        first = [True]
        if not col.items and not any(g.name for g in col.groups):
            r = _para(body, first).add_run("(no items yet)")
            r.italic = True
            r.font.size = Pt(size)
        for g in col.groups:
            if g.name:
                p = _para(body, first)
                p.paragraph_format.space_before = Pt(4)
                p.paragraph_format.keep_with_next = True
                r = p.add_run(g.name)
                r.bold = True
                r.font.size = Pt(size)
                r.font.color.rgb = RGBColor(*rgb(readable(colour, tint)))
            _items_into(body, g.items, first=first, unique=unique, labels=labels, size=size)
    repeat_header(table.rows[0])
    keep_row_together(table.rows[0])
    # a drawing made of cells: its long middle row may run over a page, so it alone may split
    table_title(table, f"Logic model: {model.title}", "The model's columns side by side, then its unintended harms; "
                                                      "each item with its evidence.")
    if harms is not None:
        red = model_theme(model)["harms"]
        pale = mix(red, "#FFFFFF", 0.9)
        cell = table.cell(2, 0).merge(table.cell(2, n - 1)) if n > 1 else table.cell(2, 0)
        keep_row_together(table.rows[2])
        shade_cell(cell, pale)
        r = cell.paragraphs[0].add_run(harms.title)
        r.bold = True
        r.font.size = Pt(size + 1)
        r.font.color.rgb = RGBColor(*rgb(readable(red, pale)))
        _items_into(cell, harms.items, first=[False], unique=unique, labels=labels, size=size)
    for note in figure_notes(model, unique, other, labels, coding) if notes is None else notes:
        p = doc.add_paragraph()
        p.paragraph_format.space_after = Pt(2)
        r = p.add_run(note)
        r.font.size = Pt(size)


def logic_model_to_docx(spec: SpecLike, *,
                        compare_with: SpecLike | None = None,
                        evidence: EvidenceLike = None,
                        compare_evidence: EvidenceLike = None,
                        document=None, heading_level: int = 2, font_size: float = 9):
    """The logic model as a native, editable Word table: one column per model column, a red harms row.

    Column headings are shaded in the column colours, group headings are bold, items are bulleted paragraphs (bold
    where they differ from ``compare_with``), evidence is in small italics under each item, and the harms box is a
    merged, red-tinted last row. With ``compare_with`` both models follow one another, each in its own table.

    Parameters
    ----------
    document : docx.Document, optional
        Append to this document (e.g. a report); by default a new A4 landscape document.
    heading_level : int
        Level of each model's title heading.

    Returns
    -------
    docx.Document
        The caller saves it.

    Examples
    --------
    >>> doc = logic_model_to_docx({"title": "T", "columns": [{"name": "Context", "items": ["High demand"]}],
    ...                            "harms": ["Parents feel judged"]})
    >>> [c.text for c in doc.tables[0].rows[0].cells], doc.tables[0].rows[2].cells[0].paragraphs[1].text
    (['Context'], 'Parents feel judged')
    """
    model = load_logic_model(spec)
    if document is None:
        document = new_document(landscape=True, margin_cm=1.5, font_size=10)
    if compare_with is None:
        _model_table(document, model, unique=None, other=None, labels=evidence_labels(model, evidence),
                     coding=coding_note(evidence), heading_level=heading_level, size=font_size)
        return document
    other = load_logic_model(compare_with)
    comp = compare(model, other)
    labels_a, labels_b = evidence_labels(model, evidence), evidence_labels(other, compare_evidence)
    notes_a = figure_notes(model, comp.only_a, other, labels_a, coding_note(evidence))
    notes_b = figure_notes(other, comp.only_b, model, labels_b, coding_note(compare_evidence))
    # a note both models carry is said once, under the first, for both: the second model's page keeps its room
    shared = [n for n in notes_a if n in notes_b]
    notes_a = [n for n in notes_a if n not in shared] + [f"Both models. {n}" for n in shared]
    _model_table(document, model, unique=comp.only_a, other=other, labels=labels_a, coding=None,
                 heading_level=heading_level, size=font_size, notes=notes_a)
    _model_table(document, other, unique=comp.only_b, other=model, labels=labels_b, coding=None,
                 heading_level=heading_level, size=font_size, new_page=True,
                 notes=[n for n in notes_b if n not in shared])
    return document


# -- HTML --------------------------------------------------------------------------------------------------------------

def _description_blocks(text: str) -> list[tuple[str, object]]:
    """The text description as ``(kind, content)`` blocks for the page: ``list`` (its items), ``heading`` (a column,
    box or model), ``label`` (a line ending in a colon) or ``paragraph``."""
    out: list[tuple[str, object]] = []
    items: list[str] | None = None
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("- "):
            if items is None:
                items = []
                out.append(("list", items))
            items.append(stripped[2:])
            continue
        items = None
        if not stripped:
            continue
        if stripped.startswith(("Column ", "Box: ", "Model 1 of", "Model 2 of")):
            out.append(("heading", stripped))
        elif stripped.endswith(":"):
            out.append(("label", stripped))
        else:
            out.append(("paragraph", stripped))
    return out


def logic_model_to_html(spec: SpecLike, *,
                        compare_with: SpecLike | None = None,
                        evidence: EvidenceLike = None,
                        compare_evidence: EvidenceLike = None,
                        layout: Layout = "stacked", width: int = 1400, font_size: float = 14) -> str:
    """A self-contained HTML page (plotly.js embedded, works offline): the figure and its text description.

    The figure is labelled as an image described by the text description below it (``aria-describedby``), which
    lists every item for screen-reader users.

    >>> page = logic_model_to_html({"title": "T", "columns": [{"name": "Context", "items": ["High demand"]}]})
    >>> page.startswith("<!DOCTYPE html>"), "High demand" in page
    (True, True)
    """
    model = load_logic_model(spec)
    fig = logic_model_figure(model, compare_with=compare_with, evidence=evidence, compare_evidence=compare_evidence,
                             layout=layout, width=width, font_size=font_size)
    text = describe(model, compare_with=compare_with, evidence=evidence, compare_evidence=compare_evidence)
    figure_html = fig.to_html(full_html=False, include_plotlyjs=True, config={"displayModeBar": False})
    title = model.title if compare_with is None else f"{model.model} and {load_logic_model(compare_with).model}"
    return render_page("logic_model.html", title=title, font_family=FONT_FAMILY, figure_html=figure_html,
                       compared=compare_with is not None, description=_description_blocks(text))
