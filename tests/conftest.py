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
def docx_factory(tmp_path):
    def make(name: str, paragraphs: list, **kw) -> Path:
        return write_docx(tmp_path / name, paragraphs, **kw)

    return make


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory):
    """The demo study, run once for the whole test session (it takes a while): its project and outputs."""
    from npt_coder.demo import run_demo

    return run_demo(tmp_path_factory.mktemp("demo") / "study")


@pytest.fixture
def demo_dir() -> Path:
    import npt_coder as nc

    return nc.demo_path()


# irrCAC pins pandas<3, so it lives only in the reference environment `make test` builds for it
# (scripts/test_installed.sh reference runs tests/reference_irrcac explicitly); other environments leave it out.
collect_ignore = [] if __import__("importlib.util").util.find_spec("irrCAC") else ["reference_irrcac"]
