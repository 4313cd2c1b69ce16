"""OpenDocument text (.odt, LibreOffice Writer) transcripts: body paragraphs, headings, lists and table cells in
document order, read from ``content.xml`` with lxml as the Word reader reads ``document.xml``.

Comments (``office:annotation``), footnotes and endnotes (``text:note``), tracked deletions (kept apart in
``text:tracked-changes``), drawings and frames are not transcript text; headers and footers live in ``styles.xml`` and
are never read. Spaces (``text:s``), tabs and line breaks count as the characters they stand for. A run is bold when
its automatic style (in ``content.xml``) or a named style (``styles.xml``), or the style it inherits from, sets
``fo:font-weight`` to bold or a weight of 600 or more; leading bold runs give a label as in Word. Tables follow the
Word reader's rule (:func:`~npt_coder.ingest._docx.rows_to_paragraphs`).
"""

from __future__ import annotations

import zipfile
import zlib
from io import BytesIO

from lxml import etree

from ..errors import TranscriptFormatError
from ._docx import rows_to_paragraphs, xml_error
from ._turns import RawParagraph

__all__ = ["read_odt_paragraphs"]

OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
FO = "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"

_P, _H, _SPAN, _S, _TAB, _BR, _NOTE, _LIST, _ITEM, _HEADER, _SECTION, _A = (
    f"{{{TEXT}}}{n}" for n in ("p", "h", "span", "s", "tab", "line-break", "note", "list", "list-item",
                               "list-header", "section", "a"))
_STYLE_NAME, _C = f"{{{TEXT}}}style-name", f"{{{TEXT}}}c"
_ANNOTATION, _ANNOTATION_END = f"{{{OFFICE}}}annotation", f"{{{OFFICE}}}annotation-end"
_TBL, _ROW, _CELL, _ROWS, _HEADER_ROWS, _ROW_GROUP = (f"{{{TABLE}}}{n}" for n in (
    "table", "table-row", "table-cell", "table-rows", "table-header-rows", "table-row-group"))
_SKIP_INLINE = {_NOTE, _ANNOTATION, _ANNOTATION_END}
_MAX_SPACES = 10_000  # text:c of a space run beyond this is damage, not layout


def _bold_styles(*roots) -> set[str]:
    """Names of text styles that make a run bold, following ``style:parent-style-name`` chains."""
    weight: dict[str, bool | None] = {}
    parent: dict[str, str | None] = {}
    for root in roots:
        if root is None:
            continue
        for st in root.iter(f"{{{STYLE}}}style"):
            name = st.get(f"{{{STYLE}}}name")
            if not name:
                continue
            props = st.find(f"{{{STYLE}}}text-properties")
            value = props.get(f"{{{FO}}}font-weight") if props is not None else None
            weight[name] = None if value is None else (value == "bold" or (value.isdigit() and int(value) >= 600))
            parent[name] = st.get(f"{{{STYLE}}}parent-style-name")
    bold: set[str] = set()
    for name in weight:
        seen, current = set(), name
        while current is not None and current not in seen:
            seen.add(current)
            if weight.get(current) is not None:
                if weight[current]:
                    bold.add(name)
                break
            current = parent.get(current)
    return bold


class _Reader:
    def __init__(self, bold: set[str]):
        self.bold = bold

    def paragraph(self, p) -> tuple[str, str]:
        """Text of a ``text:p``/``text:h`` and the text of its leading bold runs (as the Word reader gives them)."""
        runs: list[tuple[str, bool]] = []
        self._inline(p, p.get(_STYLE_NAME) in self.bold, runs)
        parts, bold_prefix, in_prefix = [], [], True
        for text, is_bold in runs:
            if not text:
                continue
            if in_prefix:
                if is_bold:
                    bold_prefix.append(text)
                elif text.strip():
                    in_prefix = False
            parts.append(text)
        return "".join(parts), ("".join(bold_prefix) if not in_prefix else "")

    def _inline(self, el, bold: bool, runs: list) -> None:
        if el.text:
            runs.append((el.text, bold))
        for child in el:
            tag = child.tag
            if not isinstance(tag, str):  # comments, processing instructions
                pass
            elif tag in _SKIP_INLINE:
                pass
            elif tag == _S:
                try:
                    n = int(child.get(_C, "1"))
                except ValueError:
                    n = 1
                runs.append((" " * max(1, min(n, _MAX_SPACES)), bold))
            elif tag == _TAB:
                runs.append(("\t", bold))
            elif tag == _BR:
                runs.append(("\n", bold))
            elif tag in (_SPAN, _A) or tag.startswith(f"{{{TEXT}}}"):
                style = child.get(_STYLE_NAME)
                self._inline(child, (style in self.bold) if style is not None else bold, runs)
            if child.tail:
                runs.append((child.tail, bold))

    def blocks(self, container) -> list[RawParagraph]:
        out: list[RawParagraph] = []
        for child in container:
            tag = child.tag
            if tag in (_P, _H):
                text, bold = self.paragraph(child)
                out.append(RawParagraph(text, bold_prefix=bold))
            elif tag == _TBL:
                out.extend(rows_to_paragraphs([[self._cell(c) for c in row if c.tag == _CELL]
                                               for row in self._rows(child)]))
            elif tag in (_LIST, _ITEM, _HEADER, _SECTION):
                out.extend(self.blocks(child))
        return out

    def _rows(self, table) -> list:
        rows = []
        for child in table:
            if child.tag == _ROW:
                rows.append(child)
            elif child.tag in (_ROWS, _HEADER_ROWS, _ROW_GROUP):
                rows.extend(self._rows(child))
        return rows

    def _cell(self, cell) -> list[tuple[str, str, list]]:
        return [(p.text, p.bold_prefix, []) for p in self.blocks(cell)]


def _parse(data: bytes, what: str):
    try:
        return etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True))
    except etree.XMLSyntaxError as err:
        raise TranscriptFormatError(f"the OpenDocument file's {what} is damaged ({xml_error(err)})") from None


def read_odt_paragraphs(data: bytes) -> list[RawParagraph]:
    """Paragraphs of an OpenDocument text's body in order; :class:`TranscriptFormatError` with a reason if it is
    not a usable .odt (a damaged archive included: zipfile reports some damage as ``ValueError``)."""
    if not data:
        raise TranscriptFormatError("the file is empty")
    try:
        with zipfile.ZipFile(BytesIO(data)) as zf:
            names = set(zf.namelist())
            if "content.xml" not in names:
                raise TranscriptFormatError("not an OpenDocument text (no content.xml inside)")
            mimetype = zf.read("mimetype").strip() if "mimetype" in names else b""
            content = zf.read("content.xml")
            styles = zf.read("styles.xml") if "styles.xml" in names else None
    except TranscriptFormatError:
        raise
    except zipfile.BadZipFile:
        raise TranscriptFormatError("not a valid OpenDocument .odt file (the archive is damaged or truncated)"
                                    ) from None
    except (zipfile.LargeZipFile, OSError, EOFError, zlib.error, RuntimeError, NotImplementedError, ValueError) as err:
        raise TranscriptFormatError(f"the OpenDocument file could not be read ({type(err).__name__})") from None
    if mimetype and not mimetype.startswith(b"application/vnd.oasis.opendocument.text"):
        raise TranscriptFormatError("not an OpenDocument text (it is another kind of OpenDocument file)")
    root = _parse(content, "content.xml")
    style_root = _parse(styles, "styles.xml") if styles else None
    body = root.find(f"{{{OFFICE}}}body")
    office_text = body.find(f"{{{OFFICE}}}text") if body is not None else None
    if office_text is None:
        raise TranscriptFormatError("the OpenDocument file has no text body")
    reader = _Reader(_bold_styles(root.find(f"{{{OFFICE}}}automatic-styles"), style_root))
    return reader.blocks(office_text)
