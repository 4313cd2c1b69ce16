"""Word (.docx) transcripts: body paragraphs and table cells in document order.

Read straight from ``word/document.xml`` with lxml (python-docx builds an object per run, which is several times
slower for whole-study ingest and gives nothing more here). Headers, footers, footnotes and comments live in other
parts of the package and are never transcript text; deleted text (tracked changes) and field codes are skipped,
inserted text is kept. A table whose rows have two cells and a short first cell (``Speaker`` | ``Transcript``, as
transcription services deliver) is read as ``label: text`` turns; any other table contributes its cells'
paragraphs in row order.
"""

from __future__ import annotations

import zipfile
import zlib
from io import BytesIO

from lxml import etree

from ..errors import TranscriptFormatError
from ._turns import RawParagraph

__all__ = ["read_docx_paragraphs", "rows_to_paragraphs", "xml_error"]

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_P, _TBL, _TR, _TC, _R, _T, _SDT, _SDTCONTENT = (f"{{{W}}}{n}" for n in ("p", "tbl", "tr", "tc", "r", "t", "sdt", "sdtContent"))
_TAB, _BR, _CR, _DEL, _RPR, _B, _INS, _HYPERLINK, _SMARTTAG = (
    f"{{{W}}}{n}" for n in ("tab", "br", "cr", "del", "rPr", "b", "ins", "hyperlink", "smartTag")
)
_VAL = f"{{{W}}}val"
_ID = f"{{{W}}}id"
_CRS, _CRE = f"{{{W}}}commentRangeStart", f"{{{W}}}commentRangeEnd"
_SPEAKER_HEADERS = {"speaker", "name", "who", "person", "label"}


def _run_bold(run) -> bool:
    rpr = run.find(_RPR)
    if rpr is None:
        return False
    b = rpr.find(_B)
    return b is not None and b.get(_VAL, "true").lower() not in ("0", "false", "off")


def _paragraph_text(p, anchors: list | None = None) -> tuple[str, str]:
    """Text of a ``w:p`` and the text of its leading bold runs.

    When ``anchors`` is a list, Word comment range markers found in the paragraph are appended to it as
    ``("start" | "end", comment id, offset into the returned text)``.
    """
    parts: list[str] = []
    bold_prefix: list[str] = []
    in_prefix = True
    length = 0
    for el in p.iter(_R, _CRS, _CRE):
        if el.tag != _R:
            if anchors is not None:
                anchors.append(("start" if el.tag == _CRS else "end", el.get(_ID), length))
            continue
        parent = el.getparent()
        if parent is not None and parent.tag == _DEL:  # deleted text (tracked changes) is not text
            continue
        run_text = []
        for child in el:
            tag = child.tag
            if tag == _T:
                run_text.append(child.text or "")
            elif tag == _TAB:
                run_text.append("\t")
            elif tag in (_BR, _CR):
                run_text.append("\n")
        text = "".join(run_text)
        if not text:
            continue
        if in_prefix:
            if _run_bold(el):
                bold_prefix.append(text)
            elif text.strip():
                in_prefix = False
        parts.append(text)
        length += len(text)
    # a bold prefix counts only when plain text follows it (an all-bold paragraph is a heading, not a label)
    return "".join(parts), ("".join(bold_prefix) if not in_prefix else "")


def xml_error(err: etree.XMLSyntaxError) -> str:
    """lxml's reason for refusing XML, on one line (its messages can hold line breaks)."""
    return " ".join(str(err.msg or err).split())


def rows_to_paragraphs(rows: list[list[list[tuple[str, str, list]]]]) -> list[RawParagraph]:
    """A table's rows (cells of ``(text, bold prefix, anchors)`` paragraphs) as reader paragraphs.

    Rows of two cells whose first cells are short (at most 40 characters) are ``speaker | text`` turns: a header
    row (``Speaker``, ``Name``...) is skipped and a row with an empty first cell continues the turn above. Any other
    table gives its cells' paragraphs in row order. Shared by the Word and OpenDocument readers.
    """
    out: list[RawParagraph] = []
    if rows and all(len(cells) == 2 for cells in rows):
        firsts = [" ".join(t for t, _, _ in cells[0]).strip() for cells in rows]
        if all(len(f) <= 40 for f in firsts):
            for i, (first, cells) in enumerate(zip(firsts, rows)):
                paras = [(t, a) for t, _, a in cells[1] if t.strip() or a]
                if i == 0 and first.lower().rstrip(":") in _SPEAKER_HEADERS:
                    continue  # header row
                if not first:  # an unlabelled row continues the turn above
                    out.extend(RawParagraph(t, anchors=a) for t, a in paras)
                    continue
                label = first.rstrip(":：").strip()
                for j, (t, a) in enumerate(paras or [("", [])]):
                    out.append(RawParagraph(t, speaker=label if j == 0 else None, anchors=a))
            return out
    for cells in rows:
        for cell in cells:
            out.extend(RawParagraph(t, bold_prefix=b, anchors=a) for t, b, a in cell)
    return out


def _cell_paragraphs(tc) -> list[tuple[str, str, list]]:
    out = []
    for p in tc.iter(_P):
        anchors: list = []
        text, bold = _paragraph_text(p, anchors)
        out.append((text, bold, anchors))
    return out


def _table_paragraphs(tbl) -> list[RawParagraph]:
    return rows_to_paragraphs([[_cell_paragraphs(tc) for tc in row.findall(_TC)] for row in tbl.findall(_TR)])


def _block_paragraphs(container) -> list[RawParagraph]:
    out: list[RawParagraph] = []
    for child in container:
        tag = child.tag
        if tag == _P:
            anchors: list = []
            text, bold = _paragraph_text(child, anchors)
            out.append(RawParagraph(text, bold_prefix=bold, anchors=anchors))
        elif tag == _TBL:
            out.extend(_table_paragraphs(child))
        elif tag == _SDT:
            content = child.find(_SDTCONTENT)
            if content is not None:
                out.extend(_block_paragraphs(content))
        elif tag in (_INS, _SMARTTAG):
            out.extend(_block_paragraphs(child))
    return out


def read_docx_paragraphs(data: bytes) -> list[RawParagraph]:
    """Paragraphs of a Word document's body in order; :class:`TranscriptFormatError` with a reason if it is not a
    usable .docx (a damaged archive included: zipfile reports some damage as ``ValueError``)."""
    if not data:
        raise TranscriptFormatError("the file is empty")
    try:
        with zipfile.ZipFile(BytesIO(data)) as zf:
            xml = zf.read("word/document.xml")
    except zipfile.BadZipFile:
        raise TranscriptFormatError("not a valid Word .docx file (the archive is damaged or truncated, or it is an "
                                    "old .doc)") from None
    except KeyError:
        raise TranscriptFormatError("not a Word .docx file (no word/document.xml inside)") from None
    except (zipfile.LargeZipFile, OSError, EOFError, zlib.error, RuntimeError, NotImplementedError, ValueError) as err:
        raise TranscriptFormatError(f"the Word file could not be read ({type(err).__name__}: the archive is "
                                    "damaged)") from None
    try:
        root = etree.fromstring(xml, parser=etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True))
    except etree.XMLSyntaxError as err:
        raise TranscriptFormatError(f"the Word file's document.xml is damaged ({xml_error(err)})") from None
    body = root.find(f"{{{W}}}body")
    if body is None:
        raise TranscriptFormatError("the Word file has no document body")
    return _block_paragraphs(body)
