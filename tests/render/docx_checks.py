"""What an editor checks in a Word report, read back from the saved file (python-docx and the raw XML).

Each check returns a list of problems (empty when the document passes), each naming where it is, so a failing test
says which table, column, figure or run is at fault.
"""

from __future__ import annotations

import re
from collections import Counter

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Emu

from npt_coder.render._colour import contrast_ratio
from npt_coder.render._docx import _CELL_PADDING_CM, longest_word_cm

W_P, W_TBL, W_TR, W_TC = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
HIGHLIGHT = {"yellow": "#FFFF00", "green": "#00FF00", "cyan": "#00FFFF", "magenta": "#FF00FF", "blue": "#0000FF",
             "red": "#FF0000", "darkBlue": "#000080", "darkCyan": "#008080", "darkGreen": "#008000",
             "darkMagenta": "#800080", "darkRed": "#800000", "darkYellow": "#808000", "darkGray": "#808080",
             "lightGray": "#C0C0C0", "black": "#000000", "white": "#FFFFFF"}


def _text(el) -> str:
    return "".join(t.text or "" for t in el.iter(qn("w:t")))


def _twips_cm(value) -> float:
    return int(value) / 1440 * 2.54


def sections_of_tables(doc) -> list[tuple[object, float]]:
    """Every table of the body (nested ones too) with the text width (cm) of the section it is in."""
    body = doc.element.body
    out, pending = [], []

    def width(sect_pr) -> float:
        size, margins = sect_pr.find(qn("w:pgSz")), sect_pr.find(qn("w:pgMar"))
        return _twips_cm(size.get(qn("w:w"))) - _twips_cm(margins.get(qn("w:left"))) - _twips_cm(
            margins.get(qn("w:right")))

    for child in body:
        if child.tag == W_TBL:
            pending += [child] + [t for t in child.iter(W_TBL) if t is not child]
        elif child.tag == W_P:
            ppr = child.find(qn("w:pPr"))
            sect = ppr.find(qn("w:sectPr")) if ppr is not None else None
            if sect is not None:
                out += [(t, width(sect)) for t in pending]
                pending = []
        elif child.tag == qn("w:sectPr"):
            out += [(t, width(child)) for t in pending]
            pending = []
    return out


def _grid(tbl) -> list[float]:
    return [_twips_cm(g.get(qn("w:w"))) for g in tbl.find(qn("w:tblGrid")).findall(qn("w:gridCol"))]


def _cells(tr):
    """``(first grid column, span, tc)`` of each cell of a row."""
    col = 0
    for tc in tr.findall(W_TC):
        tc_pr = tc.find(qn("w:tcPr"))
        span_el = tc_pr.find(qn("w:gridSpan")) if tc_pr is not None else None
        span = int(span_el.get(qn("w:val"))) if span_el is not None else 1
        yield col, span, tc
        col += span


def _run_size(run, default: float) -> float:
    sz = run.find(qn("w:rPr") + "/" + qn("w:sz")) if run.find(qn("w:rPr")) is not None else None
    return int(sz.get(qn("w:val"))) / 2 if sz is not None else default


def table_problems(doc, name: str) -> list[str]:
    """Heading rows that do not repeat, rows that may split, tables wider than their text area, columns narrower
    than their longest word."""
    problems = []
    normal = doc.styles["Normal"].font.size
    default = normal.pt if normal is not None else 11.0
    for k, (tbl, text_width) in enumerate(sections_of_tables(doc), start=1):
        where = f"{name}: table {k}"
        rows = tbl.findall(W_TR)
        first = rows[0].find(qn("w:trPr"))
        if first is None or first.find(qn("w:tblHeader")) is None:
            problems.append(f"{where}: its heading row does not repeat on a new page")
        grid = _grid(tbl)
        if sum(grid) > text_width + 0.01:
            problems.append(f"{where}: {sum(grid):.2f} cm wide, the text area {text_width:.2f} cm")
        for i, tr in enumerate(rows):
            tr_pr = tr.find(qn("w:trPr"))
            if (tr_pr is None or tr_pr.find(qn("w:cantSplit")) is None) and not (_is_layout(tbl) and i == 1):
                problems.append(f"{where}, row {i + 1}: may split across a page break")
                break
        for i, tr in enumerate(rows):
            for col, span, tc in _cells(tr):
                width = sum(grid[col:col + span])
                for p in tc.findall(W_P):
                    for run in p.iter(qn("w:r")):
                        text = "".join(t.text or "" for t in run.iter(qn("w:t")))
                        if not text.strip():
                            continue
                        bold = run.find(qn("w:rPr") + "/" + qn("w:b")) is not None if run.find(
                            qn("w:rPr")) is not None else False
                        need = longest_word_cm(text, _run_size(run, default), bold=bold or i == 0) + _CELL_PADDING_CM
                        if need > width + 0.02:
                            word = max(text.split(), key=len)
                            problems.append(f"{where}, row {i + 1}, column {col + 1}: {word!r} needs {need:.2f} cm, "
                                            f"the column is {width:.2f} cm")
    return problems


def _is_layout(tbl) -> bool:
    """A logic-model table, a drawing made of cells, titled so: its long middle row may run over a page."""
    title = tbl.find(qn("w:tblPr") + "/" + qn("w:tblCaption"))
    return title is not None and (title.get(qn("w:val")) or "").startswith("Logic model: ")


def figure_problems(doc, name: str) -> list[str]:
    """Images without alt text, and figures without a numbered caption right after them (numbered 1, 2, 3, ...)."""
    problems = []
    paragraphs = doc.paragraphs
    number = 0
    for i, p in enumerate(paragraphs):
        pics = p._p.findall(".//" + qn("wp:docPr"))
        for pr in pics:
            number += 1
            if not (pr.get("descr") or "").strip():
                problems.append(f"{name}: image {number} has no alt text")
            nxt = paragraphs[i + 1] if i + 1 < len(paragraphs) else None
            if nxt is None or nxt.style.name != "Caption" or not nxt.text.startswith(f"Figure {number}. "):
                problems.append(f"{name}: image {number} is not followed by the caption 'Figure {number}. …'")
    return problems


def text_problems(doc, name: str, *, long: int = 200) -> list[str]:
    """``(s)`` plurals anywhere, and any paragraph of ``long`` characters or more said twice."""
    problems = []
    texts = [_text(p) for p in doc.element.body.iter(W_P)]
    for t in texts:
        for m in re.finditer(r"\w+\(s\)", t):
            problems.append(f"{name}: {m.group(0)!r} in “{t[:60]}…”")
    counts = Counter(t.strip() for t in texts if len(t.strip()) >= long)
    problems += [f"{name}: a paragraph is said {n} times: “{t[:80]}…”" for t, n in counts.items() if n > 1]
    return problems


def _style_colour(style) -> str | None:
    while style is not None:
        colour = style.font.color
        if colour is not None and colour.type is not None and colour.rgb is not None:
            return f"#{colour.rgb}"
        style = style.base_style
    return None


def _shading(tc) -> str | None:
    shd = tc.find(qn("w:tcPr") + "/" + qn("w:shd")) if tc.find(qn("w:tcPr")) is not None else None
    fill = shd.get(qn("w:fill")) if shd is not None else None
    return f"#{fill}" if fill and fill.lower() != "auto" else None


def colour_problems(doc, name: str, ratio: float = 4.5) -> list[str]:
    """Text whose colour (its own, or its paragraph style's) is under ``ratio`` against what it is on: a highlight,
    the cell's shading, or the white page."""
    problems = []
    styles = {s.style_id: s for s in doc.styles}
    body = doc.element.body
    for p in body.iter(W_P):
        tc = next((a for a in p.iterancestors(W_TC)), None)
        background = (_shading(tc) if tc is not None else None) or "#FFFFFF"
        ppr = p.find(qn("w:pPr"))
        style_el = ppr.find(qn("w:pStyle")) if ppr is not None else None
        style = styles.get(style_el.get(qn("w:val"))) if style_el is not None else doc.styles["Normal"]
        para_colour = _style_colour(style) if style is not None else None
        for run in p.iter(qn("w:r")):
            text = "".join(t.text or "" for t in run.iter(qn("w:t")))
            if not text.strip():
                continue
            rpr = run.find(qn("w:rPr"))
            colour_el = rpr.find(qn("w:color")) if rpr is not None else None
            colour = None
            if colour_el is not None and (colour_el.get(qn("w:val")) or "auto").lower() != "auto":
                colour = f"#{colour_el.get(qn('w:val'))}"
            colour = colour or para_colour
            if colour is None:
                continue
            back = background
            hl = rpr.find(qn("w:highlight")) if rpr is not None else None
            if hl is not None and hl.get(qn("w:val")) in HIGHLIGHT:
                back = HIGHLIGHT[hl.get(qn("w:val"))]
            if contrast_ratio(colour, back) < ratio:
                problems.append(f"{name}: {colour} on {back} ({contrast_ratio(colour, back):.2f}:1) in “{text[:40]}”")
    return problems


def all_problems(path) -> list[str]:
    doc = Document(str(path))
    name = path.name
    return (table_problems(doc, name) + figure_problems(doc, name) + text_problems(doc, name)
            + colour_problems(doc, name))


def text_width_cm(section) -> float:
    return Emu(section.page_width - section.left_margin - section.right_margin).cm
