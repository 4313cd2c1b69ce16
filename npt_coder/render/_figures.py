"""Charts as figures of a document: a numbered caption from the chart's title, and alt text from its data.

A chart made by this package says in its title what it counts and how many; placed in a report, that title
becomes the caption ("Figure 3. Cohen's κ per code, ...") and the image itself is drawn without it, so it is not
said twice. The alt text, which screen readers read instead of the image, is written from the figure's own data:
what kind of chart it is, what it shows, and its largest values.
"""

from __future__ import annotations

import html
import re
from typing import Sequence

import plotly.graph_objects as go

from .._words import and_list, count
from ._docx import add_figure
from ._images import figure_png

__all__ = ["alt_text", "caption_of", "chart_html", "chart_request", "docx_chart", "untitled"]

_TAG = re.compile(r"<[^>]+>")


def _plain(text: str) -> str:
    """Plotly title markup as plain text: ``<br>`` becomes a colon and a space, tags go, entities are decoded."""
    text = re.sub(r"<br\s*/?>\s*(<sup>)?", ": ", str(text))
    return " ".join(html.unescape(_TAG.sub("", text)).split()).replace(": : ", ": ")


def caption_of(fig: go.Figure, fallback: str) -> str:
    """The caption for ``fig``: its title as plain text (a sentence ending in a full stop), else ``fallback``.

    >>> caption_of(go.Figure(layout=dict(title="Codes per site<br><sup>12 codes × 3 sites</sup>")), "x")
    'Codes per site: 12 codes × 3 sites.'
    """
    title = fig.layout.title.text if fig.layout.title is not None else None
    text = _plain(title) if title else fallback
    text = text.strip()
    return text if text.endswith((".", "?", "!")) else f"{text}."


def untitled(fig: go.Figure) -> go.Figure:
    """A copy of ``fig`` without its title (the caption says it), with the top margin the title took given back."""
    out = go.Figure(fig)
    top = out.layout.margin.t if out.layout.margin is not None and out.layout.margin.t is not None else 80
    out.update_layout(title=None, margin=dict(t=max(20, min(top, 40))))
    if out.layout.height:
        out.update_layout(height=max(200, int(out.layout.height) - max(0, top - 40)))
    return out


def _seq(values) -> list:
    """A trace's data array as a list (plotly holds tuples or NumPy arrays; ``None`` when unset)."""
    return [] if values is None else list(values)


def _top(pairs: Sequence[tuple[str, float]], n: int = 3) -> str:
    best = sorted(pairs, key=lambda p: -p[1])[:n]
    return and_list(f"{name} ({value:g})" for name, value in best)


def alt_text(fig: go.Figure) -> str:
    """A short description of what ``fig`` shows, for screen readers: its kind, its measure and its largest values.

    >>> fig = go.Figure(go.Bar(y=["C1", "M3.3"], x=[2, 9], orientation="h"), layout=dict(xaxis_title="coded turns"))
    >>> alt_text(fig)
    'Bar chart of coded turns for 2 categories. Largest: M3.3 (9) and C1 (2).'
    """
    traces = list(fig.data)
    if not traces:
        return "A figure; its description is in the text."
    kind = traces[0].type
    if kind == "bar":
        pairs: list[tuple[str, float]] = []
        for t in traces:
            names = t.y if t.orientation == "h" else t.x
            values = t.x if t.orientation == "h" else t.y
            pairs += [(_plain(str(a)), float(b)) for a, b in zip(_seq(names), _seq(values)) if b is not None]
        axis = fig.layout.xaxis if traces[0].orientation == "h" else fig.layout.yaxis
        measure = _plain(axis.title.text) if axis.title is not None and axis.title.text else "values"
        zero = [n for n, v in pairs if v == 0]
        text = f"Bar chart of {measure} for {count(len(pairs), 'category', 'categories')}. Largest: {_top(pairs)}."
        if zero:
            text += f" None for {and_list(zero[:6])}{' and others' if len(zero) > 6 else ''}."
        return text
    if kind == "heatmap":
        t = traces[0]
        rows, cols = _seq(t.y), _seq(t.x)
        cells = [(f"{_plain(str(r))} × {_plain(str(c))}", float(v))
                 for r, line in zip(rows, _seq(t.z)) for c, v in zip(cols, line) if v == v and v is not None]
        return (f"Heatmap of {len(rows)} rows by {len(cols)} columns, darker cells holding more. Largest: "
                f"{_top(cells)}.")
    if kind == "sunburst":
        t = traces[0]
        rings = [(str(label), float(v)) for label, parent, v in zip(t.labels, t.parents, t.values) if parent == ""]
        return (f"Sunburst chart: CMO domains in the inner ring, their constructs around them, codes outside, each "
                f"wedge sized by its coded material. Domains: {_top(rings, n=len(rings))}.")
    if kind == "sankey":
        t = traces[0]
        labels = list(t.node.label)
        links = [(f"{labels[s]} → {labels[g]}", float(v)) for s, g, v in zip(t.link.source, t.link.target,
                                                                           t.link.value)]
        return (f"Sankey diagram from context codes through mechanism codes to outcome codes; a band's width is the "
                f"number of units in which both ends were coded (co-occurrence, not causation). Widest: "
                f"{_top(links)}.")
    if kind == "scatter":
        points = [(_plain(str(x)), float(y)) for t in traces for x, y in zip(_seq(t.x), _seq(t.y))
                  if y is not None and y == y]
        if not points:
            return "A chart with no values."
        pairs_named = and_list(t.name for t in traces if t.name and any(y is not None for y in _seq(t.y)))
        low = min(points, key=lambda p: p[1])
        high = max(points, key=lambda p: p[1])
        measure = _plain(fig.layout.yaxis.title.text) if fig.layout.yaxis.title.text else "value"
        return (f"Dot plot of {measure} for {count(len(points), 'estimate')}"
                + (f" ({pairs_named})" if pairs_named else "") + f", with confidence intervals. Lowest: {low[0]} "
                f"({low[1]:.2f}); highest: {high[0]} ({high[1]:.2f}).")
    return f"A {kind} chart; its values are in the tables of this report."


def chart_request(fig: go.Figure, *, width_px: int = 900) -> tuple[go.Figure, dict]:
    """The image :func:`docx_chart` draws for ``fig``: the figure without its title and its size in pixels, as
    :func:`~npt_coder.render._images.drawing_ahead` takes them (so an image drawn ahead is the one asked for)."""
    bare = untitled(fig)
    return bare, {"width": width_px, "height": int(bare.layout.height or 600)}


def docx_chart(doc, fig: go.Figure, fallback: str, *, width_px: int = 900, width_cm: float | None = None) -> None:
    """``fig`` as a numbered figure of ``doc``: the image without its title, the title as the caption below it,
    alt text from its data (or a note where no image can be made)."""
    bare, size = chart_request(fig, width_px=width_px)
    png, why = figure_png(bare, **size)
    add_figure(doc, png, caption=caption_of(fig, fallback), alt=alt_text(fig), width_cm=width_cm, missing=why)


def chart_html(fig: go.Figure, fallback: str, number: int, *, plotlyjs: bool = False) -> dict:
    """What a page template needs to show ``fig`` as figure ``number``: its markup without the title, the caption
    and the alt text."""
    markup = untitled(fig).to_html(full_html=False, include_plotlyjs=plotlyjs, config={"displaylogo": False})
    return {"html": markup, "caption": caption_of(fig, fallback), "alt": alt_text(fig), "number": number}
