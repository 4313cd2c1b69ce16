"""Charts as figures of a document: a numbered caption from the chart's title, and alt text from its data.

A chart made by this package says in its title what it counts and how many; placed in a report, that title
becomes the caption ("Figure 3. Cohen's κ per code, ...") and the image itself is drawn without it, so it is not
said twice. The alt text, which screen readers read instead of the image, is written from the figure's own data:
what kind of chart it is, what it shows, and its largest values.
"""

from __future__ import annotations

import html
import re
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Iterator, Sequence

import plotly.graph_objects as go
import plotly.io as pio

from .._words import and_list, count
from ._docx import add_figure, add_figure_later
from ._images import image_job

__all__ = ["alt_text", "caption_of", "chart_html", "chart_request", "docx_chart", "images_placed_last",
           "untitled"]

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


def untitled(fig: go.Figure) -> dict:
    """``fig`` as a plotly figure dict without its title (the caption says it), with the top margin the title took
    given back. A dict, not a new ``go.Figure``: kaleido and ``plotly.io`` take it as it is, and building and checking
    a figure again cost a tenth of a second per chart, several times per report.

    >>> bare = untitled(go.Figure(layout=dict(title="Codes", height=500, margin=dict(t=90, l=10))))
    >>> "title" in bare["layout"], bare["layout"]["margin"], bare["layout"]["height"]
    (False, {'l': 10, 't': 40}, 450)
    """
    spec = fig.to_dict()
    layout = spec.setdefault("layout", {})
    layout.pop("title", None)
    margin = layout.get("margin") or {}
    top = margin["t"] if margin.get("t") is not None else 80
    layout["margin"] = {**margin, "t": max(20, min(top, 40))}
    if layout.get("height"):
        layout["height"] = max(200, int(layout["height"]) - max(0, top - 40))
    return spec


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


def chart_request(fig: go.Figure, *, width_px: int = 900) -> tuple[dict, dict]:
    """The image :func:`docx_chart` draws for ``fig``: the figure without its title and its size in pixels, as
    :func:`~npt_coder.render._images.drawing_ahead` takes them (so an image drawn ahead is the one asked for)."""
    bare = untitled(fig)
    return bare, {"width": width_px, "height": int(bare["layout"].get("height") or 600)}


_LATER: ContextVar[list | None] = ContextVar("npt_coder_images_later", default=None)


@contextmanager
def images_placed_last() -> Iterator[None]:
    """Within this block, :func:`docx_chart` lays out a chart whose image is still being drawn (its place and
    numbered caption) and goes on; the images are put in their places when the block ends. A document is then laid
    out while the browser draws, instead of waiting at each chart."""
    places: list = []
    token = _LATER.set(places)
    try:
        yield
    finally:
        _LATER.reset(token)
    for place, job in places:
        place(*job.result())


def docx_chart(doc, fig: go.Figure, fallback: str, *, width_px: int = 900, width_cm: float | None = None) -> None:
    """``fig`` as a numbered figure of ``doc``: the image without its title, the title as the caption below it,
    alt text from its data (or a note where no image can be made). Inside :func:`images_placed_last`, an image not
    drawn yet is put in its place when that block ends."""
    bare, size = chart_request(fig, width_px=width_px)
    caption, alt = caption_of(fig, fallback), alt_text(fig)
    job = image_job(bare, format="png", **size)
    later = _LATER.get()
    if later is not None and not job.done():
        later.append((add_figure_later(doc, caption=caption, alt=alt, width_cm=width_cm), job))
        return
    png, why = job.result()
    add_figure(doc, png, caption=caption, alt=alt, width_cm=width_cm, missing=why)


def chart_html(fig: go.Figure, fallback: str, number: int, *, plotlyjs: bool = False) -> dict:
    """What a page template needs to show ``fig`` as figure ``number``: its markup without the title, the caption
    and the alt text."""
    markup = pio.to_html(untitled(fig), full_html=False, include_plotlyjs=plotlyjs, config={"displaylogo": False},
                         validate=False)  # made from a figure plotly has checked
    return {"html": markup, "caption": caption_of(fig, fallback), "alt": alt_text(fig), "number": number}
