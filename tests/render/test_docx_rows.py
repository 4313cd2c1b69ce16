"""Long Word tables are filled by copying the first data row (npt_coder.render._docx_rows): the XML is the one
python-docx writes cell by cell, whatever the options."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from docx import Document

from npt_coder.render import _docx
from npt_coder.render._docx import add_table

FRAME = pd.DataFrame({
    "participant": ["ID01", "ID02", " padded ", "", "ID05", "ID06"],
    "count": [3, 0, 12, 7, 1, 2],
    "share": [0.5, float("nan"), 1 / 3, 0.0, 2.25, 1.0],
    "note": ["fine", None, "two  spaces", "trailing ", "Ünïcödé – dash", "x"],
})
OPTIONS = [
    {},
    {"font_size": 7},
    {"font_size": 8.5, "space_after": 0, "widths": [3, 2, 2, 6], "headers": {"count": "n"}, "repeat": True},
    {"header_fill": "#DDDDDD", "na": "", "digits": 1, "formats": {"share": lambda v: f"{v:.0%}" if v == v else ""}},
]


def _xml(frame, monkeypatch, *, copy: bool, **options) -> str:
    if not copy:
        monkeypatch.setattr(_docx, "copyable", lambda rows: False)
    doc = Document()
    table = add_table(doc, frame, **options)
    monkeypatch.undo()
    return table._tbl.xml


@pytest.mark.parametrize("options", OPTIONS)
def test_copied_rows_are_the_rows_python_docx_writes(monkeypatch, options):
    fast = _xml(FRAME, monkeypatch, copy=True, **options)
    slow = _xml(FRAME, monkeypatch, copy=False, **options)
    assert fast == slow
    assert len(re.findall(r"<w:tr[ >]", fast)) == len(FRAME) + 1 and "two  spaces" in fast


def test_a_large_table_is_the_same_too(monkeypatch):
    rng = np.random.default_rng(3)
    frame = pd.DataFrame(rng.integers(0, 9, size=(300, 12)), columns=[f"C{i}" for i in range(12)])
    frame.insert(0, "participant", [f"ID{i:04d}" for i in range(300)])
    copied: list[int] = []
    real = _docx.append_row_copies
    monkeypatch.setattr(_docx, "append_row_copies", lambda table, rows: copied.append(len(rows)) or real(table, rows))
    fast = Document()
    add_table(fast, frame, font_size=7)
    assert copied == [299]  # every row after the first was a copy
    monkeypatch.undo()
    assert fast.tables[0]._tbl.xml == _xml(frame, monkeypatch, copy=False, font_size=7)


def test_texts_with_tabs_or_line_breaks_are_left_to_python_docx(monkeypatch):
    frame = pd.DataFrame({"a": ["one", "two\nlines", "tab\there"], "b": [1, 2, 3]})
    assert not _docx.copyable([["two\nlines"]]) and _docx.copyable([["plain", " "]])
    xml = _xml(frame, monkeypatch, copy=True, font_size=7)
    assert xml == _xml(frame, monkeypatch, copy=False, font_size=7)
    assert "<w:br/>" in xml and "<w:tab/>" in xml


def test_shaded_rows_are_written_cell_by_cell(monkeypatch):
    fills = ["#FF0000", None, "#00FF00", None, None, "#0000FF"]
    fast = _xml(FRAME, monkeypatch, copy=True, fills=fills, fill_col=1)
    assert fast == _xml(FRAME, monkeypatch, copy=False, fills=fills, fill_col=1)
    assert fast.count("<w:shd") == 3 + len(FRAME.columns)  # and the heading row, shaded by default
