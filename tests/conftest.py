"""Shared fixtures: small transcript files built in the test, never hand-edited binaries."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document


def write_docx(path: Path, paragraphs: list, *, header: str | None = None, footer: str | None = None,
               table: list[list[str]] | None = None, table_after: int | None = None) -> Path:
    """Write a .docx. Each paragraph is a str or a list of (text, bold) runs; ``table`` rows go after paragraph
    ``table_after`` (default: at the end)."""
    doc = Document()
    if header is not None:
        doc.sections[0].header.paragraphs[0].text = header
    if footer is not None:
        doc.sections[0].footer.paragraphs[0].text = footer

    def add_table():
        t = doc.add_table(rows=0, cols=len(table[0]))
        for row in table:
            cells = t.add_row().cells
            for cell, value in zip(cells, row):
                parts = value.split("\n\n")
                cell.paragraphs[0].text = parts[0]
                for extra in parts[1:]:
                    cell.add_paragraph(extra)

    for i, para in enumerate(paragraphs):
        if table is not None and table_after == i:
            add_table()
        p = doc.add_paragraph()
        runs = [(para, False)] if isinstance(para, str) else para
        for text, bold in runs:
            p.add_run(text).bold = bold
    if table is not None and (table_after is None or table_after >= len(paragraphs)):
        add_table()
    doc.save(path)
    return path


@pytest.fixture
def screen(monkeypatch):
    """Standard error as a terminal 100 columns wide, progress bars without the two-second wait: what the verbs
    draw on it (``.getvalue()``)."""
    import io

    import rich.console

    from npt_coder.cli import _agreement, _app, _assist, _coding, _outputs, _transcripts

    drawn = io.StringIO()

    class Terminal(rich.console.Console):
        def __init__(self, *args, **kw):
            super().__init__(file=drawn, force_terminal=True, width=100)

    monkeypatch.setattr(rich.console, "Console", Terminal)
    for module in (_app, _agreement, _assist, _coding, _outputs, _transcripts):
        monkeypatch.setattr(module, "PROGRESS_DELAY", 0.0)
    return drawn


@pytest.fixture
def docx_factory(tmp_path):
    def make(name: str, paragraphs: list, **kw) -> Path:
        return write_docx(tmp_path / name, paragraphs, **kw)

    return make


@pytest.fixture(scope="session")
def demo_steps() -> list[tuple[str, int, int]]:
    """What the session's demo run (:func:`demo_run`) told its progress callback, in order."""
    return []


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory, demo_steps):
    """The demo study, run once for the whole test session (it takes a while): its project and outputs."""
    from npt_coder.demo import run_demo

    return run_demo(tmp_path_factory.mktemp("demo") / "study",
                    progress=lambda stage, done, total: demo_steps.append((stage, done, total)))


@pytest.fixture
def demo_dir() -> Path:
    import npt_coder as nc

    return nc.demo_path()


# irrCAC pins pandas<3, so it lives only in the reference environment `make test` builds for it
# (scripts/test_installed.sh reference runs tests/reference_irrcac explicitly); other environments leave it out.
collect_ignore = [] if __import__("importlib.util").util.find_spec("irrCAC") else ["reference_irrcac"]


_ODT_NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
    "dc": "http://purl.org/dc/elements/1.1/",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
}


@pytest.fixture
def detector_calls(monkeypatch) -> list[int]:
    """How many texts the anonymisation detector itself was run on, call by call (a check read from the cache
    adds nothing)."""
    from npt_coder.anon import _check

    seen: list[int] = []
    real = _check.detect_many

    def detect_many(texts, *args, **kw):
        seen.append(len(texts))
        return real(texts, *args, **kw)

    monkeypatch.setattr(_check, "detect_many", detect_many)
    return seen


def _odt_inline(part) -> str:
    from xml.sax.saxutils import escape

    if isinstance(part, str):
        return escape(part)
    kind, *rest = part
    if kind == "b":  # bold through an automatic style in content.xml
        return f'<text:span text:style-name="T1">{escape(rest[0])}</text:span>'
    if kind == "strong":  # bold through a named style in styles.xml that inherits its weight
        return f'<text:span text:style-name="Speaker_20_label">{escape(rest[0])}</text:span>'
    if kind == "s":
        return f'<text:s text:c="{rest[0]}"/>'
    if kind == "tab":
        return "<text:tab/>"
    if kind == "br":
        return "<text:line-break/>"
    if kind == "comment":
        return (f'<office:annotation><dc:creator>AK</dc:creator><text:p>{escape(rest[0])}</text:p>'
                "</office:annotation>")
    if kind == "note":
        return (f'<text:note text:id="ftn1" text:note-class="footnote"><text:note-citation>1</text:note-citation>'
                f"<text:note-body><text:p>{escape(rest[0])}</text:p></text:note-body></text:note>")
    if kind == "link":
        return f'<text:a xlink:type="simple" xlink:href="#x">{escape(rest[0])}</text:a>'
    raise ValueError(kind)


def _odt_block(block) -> str:
    if isinstance(block, dict) and "table" in block:
        rows = "".join("<table:table-row>" + "".join(
            "<table:table-cell>" + "".join(f"<text:p>{_odt_inline(x)}</text:p>" for x in cell.split("\n\n"))
            + "</table:table-cell>" for cell in row) + "</table:table-row>" for row in block["table"])
        n = len(block["table"][0])
        return f'<table:table table:name="T"><table:table-column table:number-columns-repeated="{n}"/>{rows}</table:table>'
    if isinstance(block, dict) and "h" in block:
        return f'<text:h text:outline-level="1">{_odt_inline(block["h"])}</text:h>'
    if isinstance(block, dict) and "list" in block:
        return "<text:list>" + "".join(f"<text:list-item>{_odt_block(b)}</text:list-item>" for b in block["list"]) \
            + "</text:list>"
    parts = [block] if isinstance(block, str) else block
    return "<text:p>" + "".join(_odt_inline(p) for p in parts) + "</text:p>"


def write_odt(path: Path, blocks: list, *, deleted: str | None = None) -> Path:
    """Write a minimal, valid OpenDocument text as LibreOffice lays one out: ``mimetype`` first and stored, a manifest,
    ``content.xml`` with automatic styles and ``styles.xml`` with a named bold style that inherits its weight.

    A block is a paragraph (a str, or a list of parts: str, ("b", text), ("strong", text), ("s", n), ("tab",),
    ("br",), ("comment", text), ("note", text), ("link", text)), ``{"h": text}``, ``{"list": [blocks]}`` or
    ``{"table": rows}`` (cells split into paragraphs at blank lines); ``deleted`` adds a tracked deletion."""
    import zipfile

    ns = " ".join(f'xmlns:{k}="{v}"' for k, v in _ODT_NS.items()) + ' xmlns:xlink="http://www.w3.org/1999/xlink"'
    tracked = ""
    if deleted is not None:
        from xml.sax.saxutils import escape

        tracked = ('<text:tracked-changes><text:changed-region text:id="ct1"><text:deletion><office:change-info>'
                   "<dc:creator>AK</dc:creator><dc:date>2024-03-01T10:00:00</dc:date></office:change-info>"
                   f"<text:p>{escape(deleted)}</text:p></text:deletion></text:changed-region></text:tracked-changes>")
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns} office:version="1.3">'
               '<office:automatic-styles><style:style style:name="T1" style:family="text">'
               '<style:text-properties fo:font-weight="bold"/></style:style></office:automatic-styles>'
               f"<office:body><office:text>{tracked}" + "".join(_odt_block(b) for b in blocks)
               + ("<text:p>Kept<text:change text:change-id=\"ct1\"/> text.</text:p>" if deleted is not None else "")
               + "</office:text></office:body></office:document-content>")
    styles = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-styles {ns} office:version="1.3">'
              '<office:styles><style:style style:name="Strong_20_Emphasis" style:display-name="Strong Emphasis" '
              'style:family="text"><style:text-properties fo:font-weight="700"/></style:style>'
              '<style:style style:name="Speaker_20_label" style:display-name="Speaker label" style:family="text" '
              'style:parent-style-name="Strong_20_Emphasis"/></office:styles>'
              '<office:master-styles><style:master-page style:name="Standard"><style:header><text:p>Confidential '
              "header</text:p></style:header></style:master-page></office:master-styles></office:document-styles>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:'
                'opendocument:xmlns:manifest:1.0" manifest:version="1.3"><manifest:file-entry manifest:full-path="/" '
                'manifest:version="1.3" manifest:media-type="application/vnd.oasis.opendocument.text"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                '<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>'
                "</manifest:manifest>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text",
                    compress_type=zipfile.ZIP_STORED)
        zf.writestr("META-INF/manifest.xml", manifest)
        zf.writestr("content.xml", content)
        zf.writestr("styles.xml", styles)
    return path


@pytest.fixture
def odt_factory(tmp_path):
    def make(name: str, blocks: list, **kw) -> Path:
        return write_odt(tmp_path / name, blocks, **kw)

    return make
