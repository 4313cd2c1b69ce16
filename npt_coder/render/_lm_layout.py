"""Where every box, line of text and arrow of a logic-model figure goes, in pixels, before plotly sees it.

Everything here takes a logic model (:class:`npt_coder.logic_model.LogicModel`, its mapping or its YAML file) and
optional evidence already computed by :func:`npt_coder.logic_model.evidence`; nothing queries the project.

Text is wrapped with the character-width model of :mod:`npt_coder.render._text_metrics`, and every box's height is
computed from the number of wrapped lines, so text never runs out of its box
(:meth:`LogicModelLayout.overflows` checks it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Union

import pandas as pd

from ..errors import RenderError
from ..logic_model import (
    Comparison,
    LogicModel,
    LogicModelColumn,
    LogicModelItem,
    compare,
    evidence_labels,
    load_logic_model,
)
from ._colour import INK, mix, readable, text_on
from ._style import DOMAIN_COLOURS
from ._text_metrics import LINE_SPACING, text_width, wrap_text

__all__ = ["DEFAULT_LOGIC_MODEL_THEME", "Arrow", "Layout", "LogicModelLayout", "Rect", "TextBlock",
           "logic_model_layout"]

#: Column colours by kind (CMO domains as everywhere in npt-coder), the harms box in red, and the text colour.
DEFAULT_LOGIC_MODEL_THEME: dict[str, str] = {
    "context": DOMAIN_COLOURS["context"],
    "activities": "#5D6D7E",
    "mechanism": DOMAIN_COLOURS["mechanism"],
    "outcome": DOMAIN_COLOURS["outcome"],
    "other": "#6B6B6B",
    "harms": "#C62828",
    "text": INK,
}
Layout = str  # "stacked" or "side-by-side"
#: what the renderers take as a model: a loaded spec, its mapping, or a path to its YAML
SpecLike = Union[LogicModel, Mapping[str, Any], str]
#: evidence under each item: evidence() frame, item id -> label, True (the counts in the spec) or None
EvidenceLike = Union[pd.DataFrame, Mapping[str, str], bool, None]


def model_theme(model: LogicModel) -> dict[str, str]:
    return {**DEFAULT_LOGIC_MODEL_THEME, **dict(model.theme)}


def column_colour(model: LogicModel, col: LogicModelColumn) -> str:
    return col.colour or model_theme(model)[col.kind]


# -- layout ----------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Rect:
    """A filled box; ``role`` is model, header, panel, item, harms, harms-item or notes."""

    role: str
    x0: float
    y0: float
    x1: float
    y1: float
    fill: str
    line: str | None = None
    line_width: float = 0.0
    radius: float = 0.0


@dataclass(frozen=True)
class TextBlock:
    """Wrapped text drawn from its top-left corner (``x``, ``y``) inside ``rects[container]``."""

    role: str
    x: float
    y: float
    lines: tuple[str, ...]
    size: float
    container: int
    bold: bool = False
    italic: bool = False
    colour: str = INK
    path: str | None = None
    hover: str | None = None

    @property
    def height(self) -> float:
        """Height of the wrapped lines: line count × font size × plotly's line spacing."""
        return len(self.lines) * self.size * LINE_SPACING

    @property
    def width(self) -> float:
        return max((text_width(line, self.size, bold=self.bold) for line in self.lines), default=0.0)


@dataclass(frozen=True)
class Arrow:
    x0: float
    y0: float
    x1: float
    y1: float
    colour: str


@dataclass
class LogicModelLayout:
    """Every box, text block and arrow of a logic-model figure, in pixels (y grows downwards)."""

    width: float
    height: float
    rects: list[Rect] = field(default_factory=list)
    blocks: list[TextBlock] = field(default_factory=list)
    arrows: list[Arrow] = field(default_factory=list)

    def overflows(self) -> list[str]:
        """Text blocks that do not fit inside their box (should always be empty)."""
        bad = []
        for b in self.blocks:
            r = self.rects[b.container]
            if b.x < r.x0 or b.y < r.y0 or b.x + b.width > r.x1 + 0.01 or b.y + b.height > r.y1 + 0.01:
                bad.append(f"{b.role} {b.path or b.lines[0][:30]!r}: text {b.width:.0f}×{b.height:.0f} px at "
                           f"({b.x:.0f}, {b.y:.0f}) outside its {r.role} box ({r.x0:.0f}, {r.y0:.0f})–({r.x1:.0f}, "
                           f"{r.y1:.0f})")
        return bad


class _Builder:
    def __init__(self, font_size: float):
        self.fs = font_size
        self.rects: list[Rect] = []
        self.blocks: list[TextBlock] = []
        self.arrows: list[Arrow] = []

    def rect(self, rect: Rect) -> int:
        self.rects.append(rect)
        return len(self.rects) - 1

    def replace(self, index: int, **changes: Any) -> None:
        r = self.rects[index]
        self.rects[index] = Rect(**{**r.__dict__, **changes})

    def text(self, role: str, text: str, x: float, y: float, width: float, size: float, container: int,
             **kw: Any) -> TextBlock:
        lines = tuple(wrap_text(text, width, size, bold=kw.get("bold", False)))
        block = TextBlock(role, x, y, lines, size, container, **kw)
        self.blocks.append(block)
        return block


def _model_block(b: _Builder, model: LogicModel, x0: float, y0: float, width: float, *,
                 unique: frozenset[str] | None, other: LogicModel | None, labels: Mapping[str, str],
                 coding: str | None) -> float:
    """Lay out one model from (x0, y0) across ``width`` px; returns its bottom edge."""
    fs = b.fs
    pad = round(fs * 1.0)          # inside the model's frame
    ppad = round(fs * 0.55)        # inside a panel
    ipad = round(fs * 0.45)        # inside an item box
    gutter = round(fs * 2.4)       # between panels, for the arrows
    gap = round(fs * 0.45)         # between items
    theme = model_theme(model)
    ink = theme["text"]
    frame = b.rect(Rect("model", x0, y0, x0 + width, y0 + 1, "#FBFBFB", "#D0D0D0", 1.0, 6))
    inner = width - 2 * pad
    y = y0 + pad
    t = b.text("title", model.title, x0 + pad, y, inner, fs * 1.45, frame, bold=True, colour=ink)
    y += t.height
    if model.model != model.title:
        t = b.text("model", model.model, x0 + pad, y + fs * 0.15, inner, fs * 1.05, frame, colour="#444444")
        y += t.height + fs * 0.15
    if model.summary:
        t = b.text("summary", model.summary, x0 + pad, y + fs * 0.2, inner, fs, frame, italic=True, colour="#333333")
        y += t.height + fs * 0.2
    y += fs * 0.7

    n = len(model.columns)
    panel_w = (inner - (n - 1) * gutter) / n
    least = 8 * fs + 2 * ppad + 2 * ipad
    if panel_w < least:
        need = round(n * least + (n - 1) * gutter + 2 * pad + 2 * round(fs * 1.2))
        raise RenderError(f"width {round(width)} px is too narrow for {n} columns at font size {fs:g}; give a width of "
                         f"at least {need} px or a smaller font_size")
    xs = [x0 + pad + k * (panel_w + gutter) for k in range(n)]
    head_size = fs * 1.15
    head_lines = [wrap_text(c.name, panel_w - 2 * ppad, head_size, bold=True) for c in model.columns]
    head_h = max(len(h) for h in head_lines) * head_size * LINE_SPACING + 2 * ppad
    top = y
    panels: list[int] = []
    bottoms: list[float] = []
    for k, col in enumerate(model.columns):
        colour = column_colour(model, col)
        tint = mix(colour, "#FFFFFF", 0.88)
        panel = b.rect(Rect("panel", xs[k], top, xs[k] + panel_w, top + 1, tint, colour, 1.5, 8))
        panels.append(panel)
        header = b.rect(Rect("header", xs[k], top, xs[k] + panel_w, top + head_h, colour, colour, 1.5, 8))
        b.text("header", col.name, xs[k] + ppad, top + ppad, panel_w - 2 * ppad, head_size, header, bold=True,
               colour=text_on(colour))
        cy = top + head_h + ppad
        heading_colour = readable(colour, tint)
        border = mix(colour, "#FFFFFF", 0.35)
        box_w = panel_w - 2 * ppad
        if not col.items:
            if not any(g.name for g in col.groups):
                t = b.text("placeholder", "(no items yet)", xs[k] + ppad, cy, box_w, fs * 0.9, panel, italic=True,
                           colour="#595959")
                cy += t.height + gap
        for g in col.groups:
            if g.name:
                t = b.text("group", g.name, xs[k] + ppad, cy, box_w, fs, panel, bold=True, colour=heading_colour)
                cy += t.height + gap * 0.8
                if not g.items:
                    t = b.text("placeholder", "(no items yet)", xs[k] + ppad, cy, box_w, fs * 0.9, panel,
                               italic=True, colour="#595959")
                    cy += t.height + gap
            for item in g.items:
                cy = _item_box(b, item, xs[k] + ppad, cy, box_w, ipad, border, ink, unique, labels) + gap
            if g.name:
                cy += gap
        bottoms.append(cy - gap + ppad)
    # The harms box goes under the mechanisms column (or the last two columns when there is none), either
    # spanning that column and the ones to its right below every panel ("below"), or tucked under the mechanisms
    # panel alone when that column is short enough for it to fit ("under"): whichever makes the figure shorter.
    notes = figure_notes(model, unique, other, labels, coding)
    harms = model.harms if model.harms is not None and model.harms.items else None
    tallest = max(bottoms) if bottoms else top + head_h
    drop = fs * 1.6  # room for the arrow into the harms box
    kinds = [c.kind for c in model.columns]
    start = kinds.index("mechanism") if "mechanism" in kinds else max(0, n - 2)
    placement = None
    if harms is not None:
        red = theme["harms"]
        span_w = xs[-1] + panel_w - xs[start]
        n_sub = 2 if span_w >= 2 * max(panel_w, 220) - 1 and len(harms.items) > 1 else 1

        def harms_height(box_w: float, subs: int) -> float:
            return _harms_box(_Builder(fs), harms, 0, 0, box_w, subs, red, ink, unique, labels, ppad, ipad, gap)

        def notes_height(w: float) -> float:
            return sum(len(wrap_text(note, w, fs * 0.85)) * fs * 0.85 * LINE_SPACING + fs * 0.3 for note in notes)

        beside = xs[start - 1] + panel_w - xs[0] if start > 0 else 0
        below_end = tallest + drop + max(harms_height(span_w, n_sub),
                                         notes_height(beside) if beside else 0)
        if not beside and notes:
            below_end += fs * 0.8 + notes_height(inner)
        others = [bt for k, bt in enumerate(bottoms) if k != start] or [top + head_h]
        under_end = max(max(others), bottoms[start] + drop + harms_height(panel_w, 1))
        if notes:
            under_end += fs * 0.8 + notes_height(inner)
        placement = "under" if under_end < below_end - 0.5 else "below"

    if placement == "under":
        h = harms_height(panel_w, 1)
        panel_bottom = max(max(others), bottoms[start] + drop + h)
        harms_top = panel_bottom - h
        heights = {k: panel_bottom for k in range(n)}
        heights[start] = harms_top - drop
    else:
        panel_bottom = tallest
        heights = {k: panel_bottom for k in range(n)}
    for k, p in enumerate(panels):
        b.replace(p, y1=heights[k])
    arrow_y = top + head_h + (min(heights.values()) - top - head_h) / 2
    for k in range(n - 1):
        b.arrows.append(Arrow(xs[k] + panel_w + 4, arrow_y, xs[k + 1] - 4, arrow_y, "#555555"))

    bottom = panel_bottom
    if placement == "under":
        _harms_box(b, harms, xs[start], harms_top, panel_w, 1, red, ink, unique, labels, ppad, ipad, gap)
        source = xs[start] + panel_w / 2
        b.arrows.append(Arrow(source, heights[start] + 3, source, harms_top - 3, red))
    elif placement == "below":
        hbottom = _harms_box(b, harms, xs[start], panel_bottom + drop, span_w, n_sub, red, ink, unique, labels,
                             ppad, ipad, gap)
        source = xs[start] + panel_w / 2
        b.arrows.append(Arrow(source, panel_bottom + 3, source, panel_bottom + drop - 3, red))
        bottom = hbottom
    if notes:
        if placement == "below" and start > 0:
            nx0, nx1, ny = xs[0], xs[start - 1] + panel_w, panel_bottom + drop
        else:
            nx0, nx1, ny = x0 + pad, x0 + width - pad, bottom + fs * 0.8
        for note in notes:
            t = b.text("note", note, nx0, ny, nx1 - nx0, fs * 0.85, frame, colour="#404040")
            ny += t.height + fs * 0.3
        bottom = max(bottom, ny - fs * 0.3)
    end = bottom + pad
    b.replace(frame, y1=end)
    return end


def _harms_box(b: _Builder, harms, x0: float, y0: float, w: float, n_sub: int, red: str, ink: str,
               unique: frozenset[str] | None, labels: Mapping[str, str], ppad: float, ipad: float,
               gap: float) -> float:
    """Draw the harms box from (x0, y0), ``w`` wide, its items in ``n_sub`` columns; returns its bottom edge."""
    fs = b.fs
    fill = mix(red, "#FFFFFF", 0.9)
    box = b.rect(Rect("harms", x0, y0, x0 + w, y0 + 1, fill, red, 2.0, 8))
    t = b.text("harms-title", harms.title, x0 + ppad, y0 + ppad, w - 2 * ppad, fs * 1.1, box, bold=True,
               colour=readable(red, fill))
    hy = y0 + ppad + t.height + gap
    sub_w = (w - 2 * ppad - (n_sub - 1) * ppad) / n_sub
    per = -(-len(harms.items) // n_sub)
    border = mix(red, "#FFFFFF", 0.45)
    sub_bottoms = []
    for s in range(n_sub):
        sy = hy
        for item in harms.items[s * per:(s + 1) * per]:
            sy = _item_box(b, item, x0 + ppad + s * (sub_w + ppad), sy, sub_w, ipad, border, ink, unique, labels,
                           role="harms-item") + gap
        sub_bottoms.append(sy - gap)
    bottom = max(sub_bottoms) + ppad
    b.replace(box, y1=bottom)
    return bottom


def _item_box(b: _Builder, item: LogicModelItem, x: float, y: float, w: float, ipad: float, border: str, ink: str,
              unique: frozenset[str] | None, labels: Mapping[str, str], role: str = "item") -> float:
    fs = b.fs
    bold = unique is not None and item.path in unique
    box = b.rect(Rect(role, x, y, x + w, y + 1, "#FFFFFF", border, 1.0, 4))
    hover = (f"Codes: {', '.join(item.codes)}" if item.codes else None)
    if item.path in labels:
        hover = f"{hover + '<br>' if hover else ''}{labels[item.path]}"
    t = b.text(role, item.text, x + ipad, y + ipad, w - 2 * ipad, fs, box, bold=bold, colour=ink, path=item.path,
               hover=hover)
    bottom = y + ipad + t.height
    if item.path in labels:
        e = b.text("evidence", labels[item.path], x + ipad, bottom + fs * 0.15, w - 2 * ipad, fs * 0.78, box,
                   italic=True, colour="#4D4D4D", path=item.path)
        bottom += fs * 0.15 + e.height
    bottom += ipad
    b.replace(box, y1=bottom)
    return bottom


def figure_notes(model: LogicModel, unique: frozenset[str] | None, other: LogicModel | None,
                  labels: Mapping[str, str], coding: str | None) -> list[str]:
    notes = []
    if unique is not None and other is not None:
        notes.append(f"Bold: not in the model \"{other.model}\".")
    if labels:
        notes.append("Under each item: the participants, transcripts and sites whose coded talk supports it"
                     + (f" ({coding})." if coding else "."))
    notes += list(model.notes)
    return notes


def coding_note(evidence: Any) -> str | None:
    if isinstance(evidence, pd.DataFrame) and "coding" in evidence.columns and len(evidence):
        return str(evidence["coding"].iloc[0])
    return None


def logic_model_layout(spec: SpecLike, *,
                       compare_with: SpecLike | None = None,
                       evidence: EvidenceLike = None,
                       compare_evidence: EvidenceLike = None,
                       layout: Layout = "stacked", width: int = 1400, font_size: float = 14) -> LogicModelLayout:
    """Where every box and line of text of the figure goes, in pixels; :func:`logic_model_figure` draws it.

    Box heights come from the wrapped line counts, so text always fits (see :meth:`LogicModelLayout.overflows`).
    ``width`` is the width of one model; side by side, the figure is two models wide.

    >>> lay = logic_model_layout({"title": "T", "columns": [{"name": "Context", "items": ["High demand"]}]})
    >>> lay.width, lay.overflows()
    (1400, [])
    """
    if layout not in ("stacked", "side-by-side"):
        raise RenderError(f"layout must be 'stacked' or 'side-by-side'; got {layout!r}")
    if font_size < 6 or width < 300:
        raise RenderError(f"font_size must be at least 6 and width at least 300 px; got {font_size} and {width}")
    model = load_logic_model(spec)
    b = _Builder(font_size)
    margin = round(font_size * 1.2)
    if compare_with is None:
        bottom = _model_block(b, model, margin, margin, width - 2 * margin, unique=None, other=None,
                              labels=evidence_labels(model, evidence), coding=coding_note(evidence))
        return LogicModelLayout(width, round(bottom + margin), b.rects, b.blocks, b.arrows)
    other = load_logic_model(compare_with)
    comp: Comparison = compare(model, other)
    args_a = dict(unique=comp.only_a, other=other, labels=evidence_labels(model, evidence),
                  coding=coding_note(evidence))
    args_b = dict(unique=comp.only_b, other=model, labels=evidence_labels(other, compare_evidence),
                  coding=coding_note(compare_evidence))
    if layout == "stacked":
        mid = _model_block(b, model, margin, margin, width - 2 * margin, **args_a)
        bottom = _model_block(b, other, margin, mid + margin, width - 2 * margin, **args_b)
        return LogicModelLayout(width, round(bottom + margin), b.rects, b.blocks, b.arrows)
    total = 2 * width
    half = (total - 3 * margin) / 2
    bottom_a = _model_block(b, model, margin, margin, half, **args_a)
    bottom_b = _model_block(b, other, 2 * margin + half, margin, half, **args_b)
    return LogicModelLayout(total, round(max(bottom_a, bottom_b) + margin), b.rects, b.blocks, b.arrows)
