"""Word captions, figures and a table of contents, for the renderers' documents (see :mod:`._docx`).

:func:`add_caption` numbers with a SEQ field whose cached number every program shows (:func:`renumber` sets them
again); :func:`add_figure` puts an image with alt text above its caption, and :func:`add_figure_later` leaves the
place for one still being drawn; :func:`add_contents` and :func:`fill_contents` make a table of contents of
linked headings that Word completes with page numbers.
"""

from __future__ import annotations

import re
from io import BytesIO

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

__all__ = ["add_caption", "add_contents", "add_figure", "add_figure_later", "fill_contents", "renumber"]


def _next_number(doc, kind: str) -> int:
    instr = [el.text or "" for el in doc.element.body.iter(qn("w:instrText"))]
    return 1 + sum(1 for i in instr if i.split()[:2] == ["SEQ", kind])


def add_caption(doc, kind: str, text: str, *, keep_with_next: bool = False):
    """A numbered caption paragraph, ``"Figure 3. text"`` (style Caption; the number is a SEQ field, which Word
    renumbers, holding the number every program shows); returns it.

    >>> from docx import Document
    >>> doc = Document()
    >>> [add_caption(doc, "Figure", t).text for t in ("One.", "Two.")]
    ['Figure 1. One.', 'Figure 2. Two.']
    """
    number = _next_number(doc, kind)
    p = doc.add_paragraph(style="Caption")
    p.add_run(f"{kind} ").bold = True
    _field_start(p._p, f" SEQ {kind} \\* ARABIC ")
    p.add_run(str(number)).bold = True
    p._p.append(_field_char("end"))
    p.add_run(". ").bold = True
    p.add_run(text)
    p.paragraph_format.keep_with_next = keep_with_next
    return p


def add_figure(doc, png: bytes | None, *, caption: str, alt: str, width_cm: float | None = None,
               missing: str = "") -> None:
    """An image with ``alt`` text (the description screen readers read) and a numbered caption below it; where no
    image could be made, a note saying so (``missing`` names why) in its place, without a number."""
    if png is None:
        doc.add_paragraph(_missing_note(caption, missing))
        return
    add_figure_later(doc, caption=caption, alt=alt, width_cm=width_cm)(png, "")


def _missing_note(caption: str, missing: str) -> str:
    return f"[{caption.rstrip('.')}: not included ({missing}). The HTML version has it.]"


def add_figure_later(doc, *, caption: str, alt: str, width_cm: float | None = None):
    """The place for a figure whose image is still being drawn: an empty paragraph, and the numbered caption below
    it, laid out now. Returns ``place(png, missing)``, which puts the image in that place; or, where none could be
    made, the note :func:`add_figure` writes, with the caption taken out and the figures after it renumbered."""
    from ._docx import text_area_cm

    width = min(width_cm or text_area_cm(doc), text_area_cm(doc))  # the page this figure is on, as it is now
    p = doc.add_paragraph()
    p.paragraph_format.keep_with_next = True
    label = add_caption(doc, "Figure", caption)

    def place(png: bytes | None, missing: str) -> None:
        if png is None:
            p.add_run(_missing_note(caption, missing))
            p.paragraph_format.keep_with_next = False
            label._p.getparent().remove(label._p)
            renumber(doc, "Figure")
            return
        shape = p.add_run().add_picture(BytesIO(png), width=Cm(width))
        doc_pr = shape._inline.docPr
        doc_pr.set("descr", alt)
        doc_pr.set("title", caption)

    return place


def renumber(doc, kind: str) -> int:
    """Set the number every program shows in each ``kind`` caption (the cached result of its SEQ field) to its
    place in the document, 1, 2, 3 …; returns how many there are. Word renumbers the fields itself when it updates
    them; other programs show the cached numbers.

    Meant for this package's own documents, whose captions :func:`add_caption` makes (one complex field, numbered
    1, 2, 3 … without chapter numbers); simple fields and fields split over several runs are not seen."""
    n = 0
    for instr in doc.element.body.iter(qn("w:instrText")):
        if (instr.text or "").split()[:2] != ["SEQ", kind]:
            continue
        n += 1
        separate = instr.getparent().getnext()
        result = separate.getnext() if separate is not None else None
        text = result.find(qn("w:t")) if result is not None else None
        if text is not None:
            text.text = str(n)
    return n


def add_contents(doc, title: str = "Contents"):
    """A heading and a placeholder for the table of contents; call :func:`fill_contents` with what this returns
    once the document is complete."""
    doc.add_heading(title, level=1)
    return doc.add_paragraph()


def _bookmark(paragraph, name: str, ident: int) -> None:
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(ident))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(ident))
    paragraph._p.insert(1 if paragraph._p.pPr is not None else 0, start)
    paragraph._p.append(end)


def _field_start(p_el, instruction: str) -> None:
    """Begin a Word field in paragraph element ``p_el``: its instruction, then the separator after which the
    cached result follows (the caller adds the result and ``_field_char("end")``)."""
    p_el.append(_field_char("begin"))
    r = OxmlElement("w:r")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = instruction
    r.append(instr)
    p_el.append(r)
    p_el.append(_field_char("separate"))


def _field_char(kind: str):
    r = OxmlElement("w:r")
    fc = OxmlElement("w:fldChar")
    fc.set(qn("w:fldCharType"), kind)
    r.append(fc)
    return r


def fill_contents(doc, placeholder, *, levels: int = 2) -> int:
    """Fill the table of contents at ``placeholder`` with the document's headings (levels 1 to ``levels``) after
    it, each a link to its heading; returns the number of entries.

    The entries are a Word TOC field: Word adds page numbers when it updates the field (the document asks it to
    on opening), and every program shows the linked headings as they are.
    """
    body = doc.element.body
    after = False
    entries = []
    for p in doc.paragraphs:
        if p._p is placeholder._p:
            after = True
            continue
        name = p.style.name if p.style is not None else ""
        m = re.fullmatch(r"Heading (\d)", name)
        if after and m and int(m.group(1)) <= levels and p.text.strip():
            entries.append((int(m.group(1)), p))
    for k, (level, p) in enumerate(entries):
        mark = f"_Toc{k + 1:04d}"
        _bookmark(p, mark, 9000 + k)
        entry = placeholder.insert_paragraph_before()
        entry.paragraph_format.left_indent = Cm(0.6 * (level - 1))
        entry.paragraph_format.space_after = Pt(1)
        if k == 0:
            _field_start(entry._p, f' TOC \\o "1-{levels}" \\h \\z \\u ')
        link = OxmlElement("w:hyperlink")
        link.set(qn("w:anchor"), mark)
        r = OxmlElement("w:r")
        if level == 1:
            r_pr = OxmlElement("w:rPr")
            r_pr.append(OxmlElement("w:b"))
            r.append(r_pr)
        t = OxmlElement("w:t")
        t.text = p.text
        t.set(qn("xml:space"), "preserve")
        r.append(t)
        link.append(r)
        entry._p.append(link)
        if k == len(entries) - 1:
            entry._p.append(_field_char("end"))
    body.remove(placeholder._p)
    settings = doc.settings.element
    if entries and settings.find(qn("w:updateFields")) is None:
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        # the schema fixes the order of settings: updateFields comes before these
        later = next((el for el in settings if el.tag.rsplit("}", 1)[-1] in _AFTER_UPDATE_FIELDS), None)
        if later is not None:
            later.addprevious(update)
        else:
            settings.append(update)
    return len(entries)


_AFTER_UPDATE_FIELDS = {
    "hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids", "mathPr", "attachedSchema",
    "themeFontLang", "clrSchemeMapping", "doNotIncludeSubdocsInStats", "doNotAutoCompressPictures", "forceUpgrade",
    "captions", "readModeInkLockDown", "smartTagType", "schemaLibrary", "shapeDefaults", "doNotEmbedSmartTags",
    "decimalSymbol", "listSeparator",
}
