"""Word helpers shared by the renderers: documents, tables, captions, figures, contents and landscape pages.

:func:`add_table` is the one place a python-docx table is filled from a DataFrame, so every Word table the toolkit
writes has the same properties: column widths from the content (no column narrower than its longest word, a wide
first column, never wider than the text area), a heading row repeated on every page, rows that do not split across
a page break, and numbers right-aligned. A table too wide for a portrait page is put on landscape pages of its own.

:func:`new_document` starts an A4 document whose text colours all reach WCAG's 4.5:1 on white (the default
template's heading blue does not); :func:`add_caption`, :func:`add_figure` and :func:`add_contents` give numbered
captions, images with alt text and a table of contents.
"""

from __future__ import annotations

import math
import re
from typing import Any, Callable, Mapping, Sequence

import pandas as pd
from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Pt, RGBColor

from ._colour import INK, bare, readable, rgb
from ._docx_captions import add_caption, add_contents, add_figure, add_figure_later, fill_contents, renumber
from ._text_metrics import text_width
from ._docx_rows import append_row_copies, copyable

__all__ = ["add_caption", "add_contents", "add_figure", "add_figure_later", "add_table", "cell_text", "colour_runs",
           "fill_contents", "keep_row_together", "landscape_pages", "new_document", "readable_styles", "renumber",
           "repeat_header", "shade_cell", "table_title", "text_area_cm"]

#: The shading of table heading rows (black text on it: about 15:1).
HEADER_FILL = "#E6E6E6"
_CELL_PADDING_CM = 0.38  # Word's default cell margins, left and right (0.19 cm each)
_SLACK_CM = 0.12  # room for the metrics' rounding and a renderer's different font
_MIN_FONT = 6.5
_SMALLEST_PORTRAIT = 7.0
_CHEAP = 0.15  # a column needing less than this share of the width to read on one line gets it first
_KEEP_TOGETHER = 25  # a table of at most this many rows is kept on one page where it fits


# -- documents -----------------------------------------------------------------------------------------------------

def readable_styles(doc, background: str = "#FFFFFF") -> None:
    """Darken every paragraph and character style colour of ``doc`` that is under 4.5:1 on ``background`` (the
    default template's headings, captions and subtitles are #4F81BD, about 4.1:1)."""
    for style in doc.styles:
        if style.type not in (WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER):
            continue
        colour = style.font.color
        if colour is None or colour.type is None or colour.rgb is None:
            continue
        hex_ = f"#{colour.rgb}"
        fixed = readable(hex_, background)
        if fixed != hex_:
            style.font.color.rgb = RGBColor(*rgb(fixed))


def new_document(*, landscape: bool = False, margin_cm: float = 2.0, font: str | None = "Arial",
                 font_size: float = 10.5):
    """An empty A4 document (portrait, or ``landscape``) in ``font`` with readable style colours and a caption
    style in the text colour.

    Arial by default: a plain sans-serif that accessibility guidance for public-sector documents recommends, that
    Word has everywhere and LibreOffice draws with Liberation Sans, of the same widths, so the widths tables are
    given fit in both. Headings take the same font."""
    doc = Document()
    section = doc.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    else:
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(margin_cm))
    normal = doc.styles["Normal"]
    normal.font.size = Pt(font_size)
    if font:
        for style in doc.styles:
            if style.type in (WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER, WD_STYLE_TYPE.TABLE):
                _set_font(style, font)
    readable_styles(doc)
    caption = doc.styles["Caption"]
    caption.font.color.rgb = RGBColor(*rgb(INK))
    caption.font.size = Pt(max(font_size - 1, 8))
    caption.paragraph_format.space_after = Pt(6)
    return doc


def _set_font(style, font: str) -> None:
    """Name ``font`` for every script of ``style`` (the theme fonts of the default template would win otherwise)."""
    r_pr = style.element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    for attr in list(fonts.attrib):
        if attr.lower().endswith("theme"):
            del fonts.attrib[attr]
    for side in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(side), font)


def text_area_cm(doc) -> float:
    """Width of the text area of the document's last section, in cm."""
    s = doc.sections[-1]
    return Emu(s.page_width - s.left_margin - s.right_margin).cm


def _set_orientation(section, landscape: bool) -> None:
    w, h = section.page_width, section.page_height
    if landscape != (w > h):
        section.page_width, section.page_height = h, w
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT


def _is_landscape(section) -> bool:
    return section.page_width > section.page_height


def _section_is_empty(doc) -> bool:
    """Nothing has been added since the last section break (the body ends with the paragraph carrying it)."""
    paragraphs = doc.element.body.findall(qn("w:p"))
    last = paragraphs[-1] if paragraphs else None
    return last is not None and last.pPr is not None and last.pPr.find(qn("w:sectPr")) is not None and \
        doc.element.body[-2] is last


class landscape_pages:
    """``with landscape_pages(doc): ...``: what is added inside goes on landscape pages (a new section), and the
    pages after it return to the orientation before. Inside a document already landscape, nothing changes."""

    def __init__(self, doc) -> None:
        self.doc = doc
        self.active = False

    def __enter__(self):
        s = self.doc.sections[-1]
        if s.page_width <= s.page_height:
            self.active = True
            if _section_is_empty(self.doc) and len(self.doc.sections) > 1 and _is_landscape(self.doc.sections[-2]):
                _set_orientation(s, True)  # straight after other landscape pages: no empty portrait page between
            else:
                _set_orientation(self.doc.add_section(WD_SECTION.NEW_PAGE), True)
        return self

    def __exit__(self, *exc) -> None:
        if self.active:
            _set_orientation(self.doc.add_section(WD_SECTION.NEW_PAGE), False)


# -- cells and rows ------------------------------------------------------------------------------------------------

def shade_cell(cell, colour: str) -> None:
    """Fill a table cell with ``colour`` (``"#RRGGBB"`` or ``"RRGGBB"``)."""
    tc_pr = cell._tc.get_or_add_tcPr()
    for old in tc_pr.findall(qn("w:shd")):
        tc_pr.remove(old)
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), bare(colour))
    tc_pr.append(shd)


def colour_runs(paragraph, colour: str | None, background: str = "#FFFFFF") -> None:
    """Set the text colour of every run of ``paragraph`` (e.g. a heading in its CMO domain's colour), darkened
    where needed to 4.5:1 on ``background``; ``None`` leaves it as it is."""
    if colour:
        fixed = readable(colour, background)
        for run in paragraph.runs:
            run.font.color.rgb = RGBColor(*rgb(fixed))


def _row_property(row, tag: str) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    if tr_pr.find(qn(tag)) is None:
        el = OxmlElement(tag)
        el.set(qn("w:val"), "true")
        tr_pr.append(el)


def repeat_header(row, *, bold: bool = False) -> None:
    """Mark a table row as a heading row, repeated at the top of every page; ``bold`` also sets its text bold."""
    _row_property(row, "w:tblHeader")
    if bold:
        for cell in row.cells:
            for p in cell.paragraphs:
                for run in p.runs:
                    run.bold = True


def keep_row_together(row) -> None:
    """Do not let a page break fall inside this row."""
    _row_property(row, "w:cantSplit")


def cell_text(value: Any, *, na: str | None = "–", digits: int | None = 2) -> str:
    """The text of one table cell: ``na`` for a missing value (``None`` or NaN), floats to ``digits`` places.

    ``na=None`` and ``digits=None`` write missing values and floats as ``str`` does.

    >>> cell_text(0.4567), cell_text(float("nan")), cell_text(3), cell_text(0.5, digits=None), cell_text(None, na="")
    ('0.46', '–', '3', '0.5', '')
    """
    if na is not None and (value is None or (isinstance(value, float) and math.isnan(value))):
        return na
    if digits is not None and isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


# -- column widths -------------------------------------------------------------------------------------------------

def _cm(points: float) -> float:
    return points / 72 * 2.54


_BREAKS = re.compile(r"(?<=[–—/-])(?=\w)")  # Word and LibreOffice may break a line after a dash or slash


def words_of(text: str) -> list[str]:
    """The pieces a line of ``text`` can break into: words, and the parts of a word after a dash or slash.

    >>> words_of("Brennan–Prediger κ (0.75–0.86)")
    ['Brennan–', 'Prediger', 'κ', '(0.75–', '0.86)']
    """
    return [piece for word in text.split() for piece in _BREAKS.split(word) if piece]


def longest_word_cm(text: str, size: float, *, bold: bool = False) -> float:
    """Width in cm of the widest unbreakable piece of ``text`` at ``size`` pt (an upper bound: see
    :mod:`._text_metrics`)."""
    return max((_cm(text_width(w, size, bold=bold, arial=True)) for w in words_of(text)), default=0.0)


def column_widths(columns: Sequence[Sequence[str]], headers: Sequence[str], *, size: float, available: float,
                  first_weight: float = 2.0) -> list[float] | None:
    """Column widths in cm for cell texts ``columns`` (one list per column) under ``headers`` at ``size`` pt, or
    ``None`` when even the narrowest layout (each column as wide as its longest word) is wider than ``available``.

    Each column gets at least its longest word (headings in bold) and at most its longest line (headings wrap
    between words and do not count). Of what is left of ``available``, the columns that need little to read on one
    line get it first, the cheapest first; the rest goes to the columns whose text still wraps, in proportion to
    the text they hold, the first column counting ``first_weight`` times, so labels stay on as few lines as
    possible. A table whose text fits on one line per cell is only as wide as that.

    >>> column_widths([["M3.3 Relational integration"], ["4"]], ["Code", "n"], size=9, available=16)
    [4.35, 0.7]
    """
    pad = _CELL_PADDING_CM + _SLACK_CM
    lows, highs = [], []
    for texts, head in zip(columns, headers):
        low = longest_word_cm(head, size, bold=True)  # headings wrap between words: only their words count
        high = 0.0
        for t in texts:
            low = max(low, longest_word_cm(t, size))
            high = max(high, max((_cm(text_width(line, size, arial=True)) for line in t.split("\n")), default=0.0))
        lows.append(low + pad)
        highs.append(max(high, low) + pad)
    if sum(lows) > available + 1e-9:
        return None
    if sum(highs) <= available:
        return [round(h, 2) for h in highs]
    widths = list(lows)
    spare = available - sum(widths)
    # first, the columns that need least to stop wrapping get it (the first column's need counts first_weight
    # times less), so that as many columns as possible read on one line; the rest is shared out below
    for j in sorted(range(len(widths)), key=lambda j: (highs[j] - lows[j]) / (first_weight if j == 0 else 1.0)):
        need = highs[j] - widths[j]
        if need <= spare and need < available * _CHEAP:
            widths[j] += need
            spare -= need
    open_ = [j for j in range(len(widths)) if highs[j] > widths[j] + 1e-9]
    while spare > 1e-6 and open_:
        weights = {j: (highs[j] - lows[j]) * (first_weight if j == 0 else 1.0) for j in open_}
        total = sum(weights.values()) or 1.0
        given = 0.0
        for j in list(open_):
            add = min(spare * weights[j] / total, highs[j] - widths[j])
            widths[j] += add
            given += add
            if highs[j] - widths[j] <= 1e-6:
                open_.remove(j)
        spare -= given
        if given <= 1e-9:
            break
    return [math.floor(w * 100) / 100 for w in widths]


def _wrapping(columns: Sequence[Sequence[str]], size: float, widths: Sequence[float]) -> int:
    """How many of the columns have a cell whose text wraps at these widths."""
    pad = _CELL_PADDING_CM + _SLACK_CM
    return sum(any(_cm(text_width(line, size, arial=True)) + pad > w for t in texts for line in t.split("\n"))
               for texts, w in zip(columns, widths))


def _numeric(values: Sequence[Any]) -> bool:
    seen = False
    for v in values:
        if v is None or (isinstance(v, float) and math.isnan(v)) or v == "":
            continue
        if isinstance(v, bool) or not isinstance(v, (int, float)) and not hasattr(v, "dtype"):
            return False
        seen = True
    return seen


# -- tables --------------------------------------------------------------------------------------------------------

def add_table(doc, frame: pd.DataFrame, *, headers: Mapping[str, str] | None = None, style: str = "Table Grid",
              font_size: float | None = 9, na: str | None = "–", digits: int | None = 2,
              formats: Mapping[str, Callable[[Any], str]] | None = None, widths: Sequence[float] | None = None,
              header_fill: str | None = HEADER_FILL, repeat: bool = True, fills: Sequence[str | None] | None = None,
              fill_col: int = 0, alignment=WD_TABLE_ALIGNMENT.LEFT, space_after: float | None = 0,
              caption: str | None = None, landscape: bool | None = None, first_weight: float = 2.0):
    """Append ``frame`` to ``doc`` as a table: one heading row, then one row per frame row; returns the table.

    Every table has a heading row repeated on every page and rows that do not split across pages; a table of up to
    25 rows is kept on one page where it fits. Column widths come from the content (see :func:`column_widths`)
    unless ``widths`` are given, at up to a point smaller where that lets more columns read on one line; a table
    whose words do not fit the text width is first set up to 1.5 pt smaller (not below 7 pt), then goes on
    landscape pages of its own (``landscape=None``, the default; ``False`` keeps it
    where it is), and if it is still too wide its text is set smaller there, down to 6.5 pt.

    Parameters
    ----------
    headers : mapping, optional
        Heading text per column (default: the column name).
    style : str
        A table style of the default python-docx template.
    font_size : float or None
        Point size of every cell's text (``None``: the document's).
    na, digits
        How missing values and floats are written (see :func:`cell_text`).
    formats : mapping of column to function, optional
        Columns written by their own function of the value instead (e.g. percentages).
    widths : sequence of float, optional
        Column widths in cm, instead of widths from the content. Set on the grid (read by LibreOffice) and on
        every cell (read by Word), with autofit off, so both programs show the same widths.
    header_fill : str or None
        Shade the heading row with this colour.
    repeat : bool
        Repeat the heading row on every page (and set it in bold). On by default; off only for a table that is a
        layout, not data.
    fills, fill_col
        A colour (or ``None``) per frame row, shading that row's cell in column ``fill_col``.
    alignment : WD_TABLE_ALIGNMENT
        Where the table sits between the margins.
    space_after : float or None
        Space after each cell paragraph, in points.
    caption : str, optional
        A numbered caption above the table ("Table 3. ..."); see :func:`add_caption`.
    landscape : bool or None
        Put the table on landscape pages: ``None`` when it does not fit portrait, ``True`` always, ``False`` never.
    first_weight : float
        How much more of the spare width the first column gets (see :func:`column_widths`).
    """
    headers = headers or {}
    formats = formats or {}
    columns = list(frame.columns)
    head_texts = [str(headers.get(name, name)) for name in columns]
    writers = [formats.get(name) for name in columns]
    body = [[w(v) if w is not None else cell_text(v, na=na, digits=digits) for v, w in zip(values, writers)]
            for values in frame.itertuples(index=False)]
    numeric = [writers[j] is None and _numeric(frame.iloc[:, j].tolist()) for j in range(len(columns))]
    size = font_size or (doc.styles["Normal"].font.size.pt if doc.styles["Normal"].font.size else 11.0)

    def layout(available: float, size: float) -> list[float] | None:
        if widths is not None:
            return list(widths)
        return column_widths([[row[j] for row in body] for j in range(len(columns))], head_texts, size=size,
                             available=available, first_weight=first_weight)

    base = size
    fitted = None if landscape is True else layout(text_area_cm(doc), size)
    if fitted is not None and widths is None:
        # up to a point smaller (not below 7 pt), if that lets more columns read on one line
        texts = [[row[j] for row in body] for j in range(len(columns))]
        best = (_wrapping(texts, size, fitted), -size, fitted)
        for smaller in (size - 0.5, size - 1.0):
            if smaller >= _SMALLEST_PORTRAIT and (w := layout(text_area_cm(doc), smaller)) is not None:
                best = min(best, (_wrapping(texts, smaller, w), -smaller, w), key=lambda b: (b[0], b[1]))
        size, fitted = -best[1], best[2]
    while fitted is None and landscape is not True and size - 0.5 >= max(_SMALLEST_PORTRAIT, base - 1.5):
        size -= 0.5  # a little smaller first: a table stays among its text where it can
        fitted = layout(text_area_cm(doc), size)
    pages = None
    if fitted is None and landscape is not False:
        pages = landscape_pages(doc)
        pages.__enter__()
        size = base
        fitted = layout(text_area_cm(doc), size)
    while fitted is None and size > _MIN_FONT:
        size = max(_MIN_FONT, size - 0.5)
        fitted = layout(text_area_cm(doc), size)
    if fitted is None:  # the words cannot all fit: share the width in proportion to them
        lows = [max([longest_word_cm(t, size) for t in [h, *[r[j] for r in body]]] or [1.0]) + _CELL_PADDING_CM
                for j, h in enumerate(head_texts)]
        scale = text_area_cm(doc) / sum(lows)
        fitted = [math.floor(w * scale * 100) / 100 for w in lows]
    if caption:
        add_caption(doc, "Table", caption, keep_with_next=True)
    t = doc.add_table(rows=1, cols=len(columns))
    t.style = style
    t.alignment = alignment
    for cell, text in zip(t.rows[0].cells, head_texts):
        cell.text = text
        if header_fill is not None:
            shade_cell(cell, header_fill)
    if repeat:
        repeat_header(t.rows[0], bold=True)
    # rows after the first are copies of it (fast for long tables); not for a table kept together, whose rows differ
    copies = body[1:] if fills is None and len(body) + 1 > _KEEP_TOGETHER and copyable(body[1:]) else []
    for i, texts in enumerate(body[:len(body) - len(copies)]):
        cells = t.add_row().cells
        for cell, text in zip(cells, texts):
            cell.text = text
        if fills is not None and fills[i]:
            shade_cell(cells[fill_col], fills[i])
    t.autofit = False
    _fixed_layout(t, fitted)
    if caption:
        table_title(t, caption)
    together = len(body) + 1 <= _KEEP_TOGETHER
    for r, row in enumerate(t.rows):
        keep_row_together(row)
        for j, cell in enumerate(row.cells):
            cell.width = Cm(fitted[j])
            for p in cell.paragraphs:
                if together and r < len(t.rows) - 1:
                    p.paragraph_format.keep_with_next = True
                if space_after is not None:
                    p.paragraph_format.space_after = Pt(space_after)
                if numeric[j] and r > 0:
                    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                for run in p.runs:
                    run.font.size = Pt(size)
    append_row_copies(t, copies)
    if pages is not None:
        pages.__exit__(None, None, None)
    return t


def table_title(table, title: str, description: str | None = None) -> None:
    """The table's title (and description): its alt text, which screen readers announce before the table."""
    tbl_pr = table._tbl.tblPr
    for tag, value in (("w:tblCaption", title), ("w:tblDescription", description)):
        if value is None:
            continue
        el = tbl_pr.find(qn(tag))
        if el is None:
            el = OxmlElement(tag)
            tbl_pr.append(el)  # the last children of tblPr, as the schema orders them
        el.set(qn("w:val"), value[:255])


def _fixed_layout(table, widths: Sequence[float]) -> None:
    """Fixed layout with these column widths on the grid and the table (LibreOffice reads the grid)."""
    for j, w in enumerate(widths):
        table.columns[j].width = Cm(w)
    tbl_pr = table._tbl.tblPr
    layout = tbl_pr.find(qn("w:tblLayout"))
    if layout is None:
        layout = OxmlElement("w:tblLayout")
        tbl_pr.append(layout)
    layout.set(qn("w:type"), "fixed")
    tbl_w = tbl_pr.find(qn("w:tblW"))
    if tbl_w is None:
        tbl_w = OxmlElement("w:tblW")
        tbl_pr.append(tbl_w)
    tbl_w.set(qn("w:w"), str(int(sum(Cm(w).twips for w in widths))))
    tbl_w.set(qn("w:type"), "dxa")
