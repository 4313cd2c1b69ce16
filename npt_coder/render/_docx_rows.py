"""Long Word tables quickly: every data row after the first is a copy of the first with its own text.

python-docx builds each cell element by element (the cell, its width, a paragraph, a run, the run's font size),
which is most of the time a report spends on a table of a thousand participants. The rows of one table differ only
in their text, so :func:`append_row_copies` copies the finished first row's XML and puts each row's text in. The
result is the XML python-docx writes for the same rows (``tests/render/test_docx_rows.py`` compares the two); a
text holding a tab or a line break, which python-docx writes as ``<w:tab/>`` or ``<w:br/>``, is left to python-docx
(:func:`copyable` says so).
"""

from __future__ import annotations

import copy
from typing import Sequence

from docx.oxml.ns import qn

__all__ = ["append_row_copies", "copyable"]

_TC, _P, _R, _T, _SPACE = qn("w:tc"), qn("w:p"), qn("w:r"), qn("w:t"), qn("xml:space")


def copyable(rows: Sequence[Sequence[str]]) -> bool:
    """True if no text of ``rows`` holds a character python-docx writes as an element of its own."""
    return not any("\t" in text or "\n" in text or "\r" in text for row in rows for text in row)


def append_row_copies(table, rows: Sequence[Sequence[str]]) -> None:
    """Append one row per entry of ``rows`` to ``table`` (a python-docx table whose last row is a finished data row
    with one paragraph of one run per cell), each a copy of that last row holding its own texts."""
    if not rows:
        return
    tbl = table._tbl
    template = tbl.tr_lst[-1]
    for texts in rows:
        tr = copy.deepcopy(template)
        for tc, text in zip(tr.iterchildren(_TC), texts):
            run = tc.find(_P).find(_R)
            t = run.find(_T)
            if not text:
                if t is not None:
                    run.remove(t)
                continue
            if t is None:
                t = run.makeelement(_T, {})
                run.append(t)
            t.text = text
            if len(text.strip()) < len(text):
                t.set(_SPACE, "preserve")
            elif _SPACE in t.attrib:
                del t.attrib[_SPACE]
        tbl.append(tr)
