"""Retrieved passages (:func:`npt_coder.services.retrieve`) as a Word document or an Excel workbook, for the
workbench's export of what it shows."""

from __future__ import annotations

from typing import Mapping

import pandas as pd
from docx import Document
from docx.shared import Cm, Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment

from ._xlsx import methods_sheet, write_sheet

__all__ = ["passages_to_docx", "passages_to_xlsx"]

_COLUMNS = ["transcript_id", "segment_id", "speaker", "attribution", "codes", "coders", "start", "end", "text"]


def _query_text(query: Mapping[str, str]) -> str:
    return "; ".join(f"{k}: {v}" for k, v in query.items()) or "everything"


def passages_to_xlsx(passages: pd.DataFrame, *, query: Mapping[str, str] | None = None) -> Workbook:
    """A "Query" sheet (what was asked, how many passages) and a "Passages" sheet, one row per passage."""
    wb = Workbook()
    methods_sheet(wb.active, "Retrieved passages", f"Query: {_query_text(query or {})}.\n\n{len(passages)} "
                  "passage(s); offsets are characters into each transcript's text.")
    wb.active.title = "Query"
    write_sheet(wb, "Passages", passages.reindex(columns=_COLUMNS), default_width=14, list_sep=", ",
                widths={"text": 90, "attribution": 30, "codes": 22, "coders": 14})
    for row in wb["Passages"].iter_rows(min_row=2):
        row[-1].alignment = Alignment(wrap_text=True, vertical="top")
    return wb


def passages_to_docx(passages: pd.DataFrame, *, query: Mapping[str, str] | None = None) -> Document:
    """Each passage as a quotation with its source, speaker, attribution and codes beneath."""
    doc = Document()
    section = doc.sections[0]
    section.left_margin = section.right_margin = Cm(2.2)
    doc.add_heading("Retrieved passages", level=0)
    doc.add_paragraph(f"Query: {_query_text(query or {})}. {len(passages)} passage(s).")
    for r in passages.to_dict("records"):
        quote = doc.add_paragraph(" ".join(str(r["text"]).split()))
        quote.paragraph_format.left_indent = Cm(0.8)
        source = doc.add_paragraph()
        source.paragraph_format.left_indent = Cm(0.8)
        run = source.add_run(f"{r['transcript_id']} {r['segment_id']}, {r['speaker'] or 'speaker not named'} "
                             f"({r['attribution']}). Codes: {r['codes'] or 'none'}; coded by {r['coders'] or 'nobody'}.")
        run.italic = True
        run.font.size = Pt(9)
    return doc
