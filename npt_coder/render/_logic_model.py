"""Logic-model drawings: a plotly figure, an editable Word table and an HTML page with its text description.

Everything here takes a logic model (:class:`npt_coder.logic_model.LogicModel`, its mapping or its YAML file) and
optional evidence already computed by :func:`npt_coder.logic_model.evidence`; nothing queries the project.

The figure is laid out in pixels before plotly sees it (:func:`logic_model_layout`). Text is wrapped with a
character-width model, and every box's height is computed from the number of wrapped lines, so text never runs
out of its box. The model takes, for each character, the wider of Arial (Liberation Sans has the same metrics) and
DejaVu Sans (the usual sans-serif where Arial is missing), plus 2%, so the text fits whichever of the fonts
named in :data:`FONT_FAMILY` the browser or kaleido finds. Lines are spaced as plotly.js spaces them (1.3 em).
"""

from __future__ import annotations

import html
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from ..logic_model import (
    Comparison,
    LogicModel,
    LogicModelColumn,
    LogicModelItem,
    compare,
    describe,
    evidence_labels,
    load_logic_model,
)
from ._style import DOMAIN_COLOURS

__all__ = [
    "DEFAULT_LOGIC_MODEL_THEME",
    "FONT_FAMILY",
    "LogicModelLayout",
    "logic_model_figure",
    "logic_model_layout",
    "logic_model_to_docx",
    "logic_model_to_html",
    "text_width",
    "wrap_text",
]

FONT_FAMILY = "Arial, 'Liberation Sans', Helvetica, 'DejaVu Sans', sans-serif"
LINE_SPACING = 1.3  # plotly.js draws multi-line text 1.3 em apart
#: Column colours by kind (CMO domains as everywhere in npt-coder), the harms box in red, and the text colour.
DEFAULT_LOGIC_MODEL_THEME: dict[str, str] = {
    "context": DOMAIN_COLOURS["context"],
    "activities": "#5D6D7E",
    "mechanism": DOMAIN_COLOURS["mechanism"],
    "outcome": DOMAIN_COLOURS["outcome"],
    "other": "#6B6B6B",
    "harms": "#C62828",
    "text": "#1A1A1A",
}
Layout = str  # "stacked" or "side-by-side"

# Advance widths in 1/1000 em: per character the wider of Liberation Sans (Arial metrics) and DejaVu Sans, read
# from the fonts' hmtx tables. Characters not listed count as 1 em (wide, so still safe).
_CHARS = (" !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~"
          "–—‘’“”•…éèáàóöüç£€·→×")
_REGULAR = dict(zip(_CHARS, (
    318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636, 636, 636, 636,
    636, 636, 636, 636, 337, 337, 838, 838, 838, 556, 1015, 684, 686, 722, 770, 667, 611, 778, 752, 295, 500, 667,
    557, 863, 748, 787, 667, 787, 722, 667, 611, 732, 684, 989, 685, 667, 685, 390, 337, 390, 838, 556, 500, 613,
    635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592, 818,
    592, 592, 525, 636, 337, 636, 838, 556, 1000, 318, 318, 518, 518, 590, 1000, 615, 615, 613, 613, 612, 612, 634,
    550, 636, 636, 318, 1000, 838)))
_BOLD = dict(zip(_CHARS, (
    348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365, 696, 696, 696, 696, 696, 696,
    696, 696, 696, 696, 400, 400, 838, 838, 838, 611, 1015, 774, 762, 734, 830, 683, 683, 821, 837, 372, 556, 775,
    637, 995, 837, 850, 733, 850, 770, 720, 682, 812, 774, 1103, 771, 724, 725, 457, 365, 457, 838, 556, 500, 675,
    716, 593, 716, 678, 435, 716, 712, 343, 343, 665, 343, 1042, 712, 687, 716, 716, 493, 595, 478, 712, 652, 924,
    645, 652, 582, 712, 365, 712, 838, 556, 1000, 380, 380, 657, 657, 639, 1000, 678, 678, 675, 675, 687, 687, 712,
    593, 696, 696, 380, 1000, 838)))
_SAFETY = 1.02


def _char_em(ch: str, bold: bool) -> float:
    table = _BOLD if bold else _REGULAR
    if ch in table:
        return table[ch] / 1000
    if unicodedata.combining(ch):
        return 0.0
    base = unicodedata.normalize("NFD", ch)[0]  # accented letters take their base letter's width
    if base in table:
        return table[base] / 1000
    return 1.0


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """Width in pixels of ``text`` set in :data:`FONT_FAMILY` at ``size`` px (an upper bound, see the module notes).

    >>> round(text_width("Trust", 10), 1)
    26.2
    """
    return sum(_char_em(ch, bold) for ch in text) * size * _SAFETY


def wrap_text(text: str, width: float, size: float, *, bold: bool = False) -> list[str]:
    """Greedy word wrap of ``text`` into lines no wider than ``width`` px; a word longer than a line is split.

    >>> wrap_text("Parents are asked for consent before information is shared", 150, 12)
    ['Parents are asked for', 'consent before', 'information is shared']
    """
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if text_width(candidate, size, bold=bold) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = ""
        while text_width(word, size, bold=bold) > width:  # break an over-long word (a URL, a long compound)
            cut = 1
            while cut < len(word) and text_width(word[: cut + 1], size, bold=bold) <= width:
                cut += 1
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current or not lines:
        lines.append(current)
    return lines


# -- colours ---------------------------------------------------------------------------------------------------------

def _rgb(colour: str) -> tuple[int, int, int]:
    c = colour.lstrip("#")
    if len(c) == 3:
        c = "".join(ch * 2 for ch in c)
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)


def _hex(rgb: Sequence[float]) -> str:
    return "#" + "".join(f"{max(0, min(255, round(v))):02X}" for v in rgb)


def _mix(colour: str, other: str, share: float) -> str:
    """``colour`` moved ``share`` of the way towards ``other``."""
    a, b = _rgb(colour), _rgb(other)
    return _hex([x + (y - x) * share for x, y in zip(a, b)])


def _luminance(colour: str) -> float:
    def lin(v: float) -> float:
        v /= 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (lin(v) for v in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _on(colour: str) -> str:
    """White or near-black, whichever reads better on ``colour``."""
    return "#FFFFFF" if _contrast("#FFFFFF", colour) >= _contrast("#1A1A1A", colour) else "#1A1A1A"


def _readable(colour: str, background: str, ratio: float = 4.5) -> str:
    """``colour`` darkened until it reaches WCAG contrast ``ratio`` on ``background``."""
    out = colour
    for step in range(1, 11):
        if _contrast(out, background) >= ratio:
            break
        out = _mix(colour, "#000000", step * 0.08)
    return out


def _theme(model: LogicModel) -> dict[str, str]:
    return {**DEFAULT_LOGIC_MODEL_THEME, **dict(model.theme)}


def _column_colour(model: LogicModel, col: LogicModelColumn) -> str:
    return col.colour or _theme(model)[col.kind]


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
    colour: str = "#1A1A1A"
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
    theme = _theme(model)
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
        raise ValueError(f"width {round(width)} px is too narrow for {n} columns at font size {fs:g}; give a width of "
                         f"at least {need} px or a smaller font_size")
    xs = [x0 + pad + k * (panel_w + gutter) for k in range(n)]
    head_size = fs * 1.15
    head_lines = [wrap_text(c.name, panel_w - 2 * ppad, head_size, bold=True) for c in model.columns]
    head_h = max(len(h) for h in head_lines) * head_size * LINE_SPACING + 2 * ppad
    top = y
    panels: list[int] = []
    bottoms: list[float] = []
    for k, col in enumerate(model.columns):
        colour = _column_colour(model, col)
        tint = _mix(colour, "#FFFFFF", 0.88)
        panel = b.rect(Rect("panel", xs[k], top, xs[k] + panel_w, top + 1, tint, colour, 1.5, 8))
        panels.append(panel)
        header = b.rect(Rect("header", xs[k], top, xs[k] + panel_w, top + head_h, colour, colour, 1.5, 8))
        b.text("header", col.name, xs[k] + ppad, top + ppad, panel_w - 2 * ppad, head_size, header, bold=True,
               colour=_on(colour))
        cy = top + head_h + ppad
        heading_colour = _readable(colour, tint)
        border = _mix(colour, "#FFFFFF", 0.35)
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
    notes = _figure_notes(model, unique, other, labels, coding)
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
    fill = _mix(red, "#FFFFFF", 0.9)
    box = b.rect(Rect("harms", x0, y0, x0 + w, y0 + 1, fill, red, 2.0, 8))
    t = b.text("harms-title", harms.title, x0 + ppad, y0 + ppad, w - 2 * ppad, fs * 1.1, box, bold=True,
               colour=_readable(red, fill))
    hy = y0 + ppad + t.height + gap
    sub_w = (w - 2 * ppad - (n_sub - 1) * ppad) / n_sub
    per = -(-len(harms.items) // n_sub)
    border = _mix(red, "#FFFFFF", 0.45)
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


def _figure_notes(model: LogicModel, unique: frozenset[str] | None, other: LogicModel | None,
                  labels: Mapping[str, str], coding: str | None) -> list[str]:
    notes = []
    if unique is not None and other is not None:
        notes.append(f"Bold: not in the model \"{other.model}\".")
    if labels:
        notes.append("Under each item: the participants, transcripts and sites whose coded talk supports it"
                     + (f" ({coding})." if coding else "."))
    notes += list(model.notes)
    return notes


def _coding_note(evidence: Any) -> str | None:
    if isinstance(evidence, pd.DataFrame) and "coding" in evidence.columns and len(evidence):
        return str(evidence["coding"].iloc[0])
    return None


def logic_model_layout(spec: LogicModel | Mapping[str, Any] | str, *,
                       compare_with: LogicModel | Mapping[str, Any] | str | None = None,
                       evidence: pd.DataFrame | Mapping[str, str] | bool | None = None,
                       compare_evidence: pd.DataFrame | Mapping[str, str] | bool | None = None,
                       layout: Layout = "stacked", width: int = 1400, font_size: float = 14) -> LogicModelLayout:
    """Where every box and line of text of the figure goes, in pixels; :func:`logic_model_figure` draws it.

    Box heights come from the wrapped line counts, so text always fits (see :meth:`LogicModelLayout.overflows`).
    ``width`` is the width of one model; side by side, the figure is two models wide.

    >>> lay = logic_model_layout({"title": "T", "columns": [{"name": "Context", "items": ["High demand"]}]})
    >>> lay.width, lay.overflows()
    (1400, [])
    """
    if layout not in ("stacked", "side-by-side"):
        raise ValueError(f"layout must be 'stacked' or 'side-by-side'; got {layout!r}")
    if font_size < 6 or width < 300:
        raise ValueError(f"font_size must be at least 6 and width at least 300 px; got {font_size} and {width}")
    model = load_logic_model(spec)
    b = _Builder(font_size)
    margin = round(font_size * 1.2)
    if compare_with is None:
        bottom = _model_block(b, model, margin, margin, width - 2 * margin, unique=None, other=None,
                              labels=evidence_labels(model, evidence), coding=_coding_note(evidence))
        return LogicModelLayout(width, round(bottom + margin), b.rects, b.blocks, b.arrows)
    other = load_logic_model(compare_with)
    comp: Comparison = compare(model, other)
    args_a = dict(unique=comp.only_a, other=other, labels=evidence_labels(model, evidence),
                  coding=_coding_note(evidence))
    args_b = dict(unique=comp.only_b, other=model, labels=evidence_labels(other, compare_evidence),
                  coding=_coding_note(compare_evidence))
    if layout == "stacked":
        mid = _model_block(b, model, margin, margin, width - 2 * margin, **args_a)
        bottom = _model_block(b, other, margin, mid + margin, width - 2 * margin, **args_b)
        return LogicModelLayout(width, round(bottom + margin), b.rects, b.blocks, b.arrows)
    total = 2 * width
    half = (total - 3 * margin) / 2
    bottom_a = _model_block(b, model, margin, margin, half, **args_a)
    bottom_b = _model_block(b, other, 2 * margin + half, margin, half, **args_b)
    return LogicModelLayout(total, round(max(bottom_a, bottom_b) + margin), b.rects, b.blocks, b.arrows)


def _rounded(r: Rect) -> str:
    rad = min(r.radius, (r.x1 - r.x0) / 2, (r.y1 - r.y0) / 2)
    x0, y0, x1, y1 = r.x0, r.y0, r.x1, r.y1
    if rad <= 0:
        return f"M {x0},{y0} H {x1} V {y1} H {x0} Z"
    return (f"M {x0 + rad},{y0} H {x1 - rad} Q {x1},{y0} {x1},{y0 + rad} V {y1 - rad} Q {x1},{y1} {x1 - rad},{y1} "
            f"H {x0 + rad} Q {x0},{y1} {x0},{y1 - rad} V {y0 + rad} Q {x0},{y0} {x0 + rad},{y0} Z")


def logic_model_figure(spec: LogicModel | Mapping[str, Any] | str, *,
                       compare_with: LogicModel | Mapping[str, Any] | str | None = None,
                       evidence: pd.DataFrame | Mapping[str, str] | bool | None = None,
                       compare_evidence: pd.DataFrame | Mapping[str, str] | bool | None = None,
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
        (works offline) or ``fig.write_image("model.png", scale=2)`` / ``.svg`` (kaleido).

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

def _shade(cell, colour: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), colour.lstrip("#").upper())
    tc_pr.append(shd)


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


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
                 labels: Mapping[str, str], coding: str | None, heading_level: int, size: float) -> None:
    doc.add_heading(model.title, level=heading_level)
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
        colour = _column_colour(model, col)
        head = table.cell(0, k)
        head.width = int(usable / n)
        _shade(head, colour)
        run = head.paragraphs[0].add_run(col.name)
        run.bold = True
        run.font.size = Pt(size + 1.5)
        run.font.color.rgb = RGBColor(*_rgb(_on(colour)))
        body = table.cell(1, k)
        body.width = int(usable / n)
        tint = _mix(colour, "#FFFFFF", 0.88)
        _shade(body, tint)
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
                r.font.color.rgb = RGBColor(*_rgb(_readable(colour, tint)))
            _items_into(body, g.items, first=first, unique=unique, labels=labels, size=size)
    _repeat_header(table.rows[0])
    if harms is not None:
        red = _theme(model)["harms"]
        cell = table.cell(2, 0).merge(table.cell(2, n - 1)) if n > 1 else table.cell(2, 0)
        _shade(cell, _mix(red, "#FFFFFF", 0.9))
        r = cell.paragraphs[0].add_run(harms.title)
        r.bold = True
        r.font.size = Pt(size + 1)
        r.font.color.rgb = RGBColor(*_rgb(_readable(red, _mix(red, "#FFFFFF", 0.9))))
        _items_into(cell, harms.items, first=[False], unique=unique, labels=labels, size=size)
    for note in _figure_notes(model, unique, other, labels, coding):
        p = doc.add_paragraph()
        p.paragraph_format.space_after = Pt(2)
        r = p.add_run(note)
        r.font.size = Pt(size)


def logic_model_to_docx(spec: LogicModel | Mapping[str, Any] | str, *,
                        compare_with: LogicModel | Mapping[str, Any] | str | None = None,
                        evidence: pd.DataFrame | Mapping[str, str] | bool | None = None,
                        compare_evidence: pd.DataFrame | Mapping[str, str] | bool | None = None,
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
        document = Document()
        section = document.sections[0]
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Mm(15))
    if compare_with is None:
        _model_table(document, model, unique=None, other=None, labels=evidence_labels(model, evidence),
                     coding=_coding_note(evidence), heading_level=heading_level, size=font_size)
        return document
    other = load_logic_model(compare_with)
    comp = compare(model, other)
    _model_table(document, model, unique=comp.only_a, other=other, labels=evidence_labels(model, evidence),
                 coding=_coding_note(evidence), heading_level=heading_level, size=font_size)
    document.add_page_break()
    _model_table(document, other, unique=comp.only_b, other=model, labels=evidence_labels(other, compare_evidence),
                 coding=_coding_note(compare_evidence), heading_level=heading_level, size=font_size)
    return document


# -- HTML --------------------------------------------------------------------------------------------------------------

def _description_html(text: str) -> str:
    out: list[str] = []
    open_list = False
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("- "):
            if not open_list:
                out.append("<ul>")
                open_list = True
            out.append(f"<li>{html.escape(stripped[2:])}</li>")
            continue
        if open_list:
            out.append("</ul>")
            open_list = False
        if not stripped:
            continue
        if stripped.startswith(("Column ", "Box: ", "Model 1 of", "Model 2 of")):
            out.append(f"<h3>{html.escape(stripped)}</h3>")
        elif stripped.endswith(":"):
            out.append(f"<p><strong>{html.escape(stripped)}</strong></p>")
        else:
            out.append(f"<p>{html.escape(stripped)}</p>")
    if open_list:
        out.append("</ul>")
    return "\n".join(out)


def logic_model_to_html(spec: LogicModel | Mapping[str, Any] | str, *,
                        compare_with: LogicModel | Mapping[str, Any] | str | None = None,
                        evidence: pd.DataFrame | Mapping[str, str] | bool | None = None,
                        compare_evidence: pd.DataFrame | Mapping[str, str] | bool | None = None,
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
    return f"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>body{{font-family:{FONT_FAMILY};margin:1.5em;color:#1A1A1A}} .lm-figure{{overflow-x:auto}}
.lm-figure{{margin:0}} .lm-text{{max-width:60em}} .lm-text h3{{margin:1em 0 .3em}}</style></head>
<body>
<h1>{html.escape(title)}</h1>
<figure class="lm-figure" role="img" aria-label="{html.escape(title)}" aria-describedby="lm-description">
{figure_html}
<figcaption>Logic model{'s' if compare_with is not None else ''}: {html.escape(title)}.
A text description follows.</figcaption>
</figure>
<section class="lm-text" id="lm-description">
<h2>Text description</h2>
{_description_html(text)}
</section>
</body>
</html>
"""
