"""The review workbook: the disagreements laid out for a team to settle in Excel, and read back once settled."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .._archive import load_xlsx
from ..errors import NptCoderError
from ._disagreements import Disagreements, fingerprint

__all__ = ["DECISIONS", "read_review", "review_workbook"]

DECISIONS = ("A", "B", "both", "neither", "other code")
_SHEET = "Disagreements"
_META = "_review"


def review_workbook(found: Disagreements, *, project_id: str) -> Workbook:
    """The review workbook for what :func:`disagreements` found (coders and unit travel in its hidden metadata)."""
    a, b = found.coder_a, found.coder_b
    wb = Workbook()
    ws = wb.active
    ws.title = _SHEET
    header = ["Transcript", "Unit", "Speaker", "Text", f"{a}'s codes", f"{b}'s codes", "Decision", "Other codes",
              "Note", "key (do not edit)"]
    ws.append(header)
    for r in found.table.to_dict("records"):
        ws.append([r["transcript_id"], r["segment_id"], r["speaker"], r["text"], r["codes_a"], r["codes_b"], None,
                   None, None, fingerprint(r)])
    last = ws.max_row
    dv = DataValidation(type="list", formula1='"' + ",".join(DECISIONS) + '"', allow_blank=True,
                        showErrorMessage=True, errorTitle="Decision",
                        error=f"Choose one of: {', '.join(DECISIONS)}", promptTitle="Decision",
                        prompt=f"A = {a}'s codes, B = {b}'s codes, both, neither, or other code (fill Other codes)")
    dv.add(f"G2:G{max(last, 2)}")
    ws.add_data_validation(dv)
    widths = [12, 8, 12, 70, 22, 22, 12, 22, 30, 18]
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.column_dimensions["J"].hidden = True
    fill = PatternFill("solid", fgColor="FFF8DC")
    for row in ws.iter_rows(min_row=2, max_row=last):
        for j, cell in enumerate(row):
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            if 6 <= j <= 8:
                cell.protection = Protection(locked=False)
                cell.fill = fill
        lines = sum(max(1, -(-len(part) // 85)) for part in str(row[3].value or "").split("\n"))
        ws.row_dimensions[row[0].row].height = min(409, 15 * max(2, lines) + 4)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDDDDD")
    ws.freeze_panes = "A2"
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    meta = wb.create_sheet(_META)
    # the key "segment_unit" is the file format of workbooks already in use: kept as it is
    for key, value in (("project_id", project_id), ("coder_a", a), ("coder_b", b), ("segment_unit", found.unit),
                       ("include_interviewer", str(found.include_interviewer)),
                       ("transcripts", ", ".join(found.transcripts))):
        meta.append([key, value])
    meta.sheet_state = "veryHidden"
    return wb


def read_review(path: str | Path) -> tuple[dict, pd.DataFrame]:
    """The metadata and rows of a review workbook (decisions as typed)."""
    path = Path(path)
    wb = load_xlsx(path, fail=lambda reason: NptCoderError(f"{path.name}: {reason}"))
    if _META not in wb.sheetnames or _SHEET not in wb.sheetnames:
        raise NptCoderError(f"{path.name}: not a review workbook made by 'npt-coder disagreements'")
    meta = {r[0]: r[1] for r in wb[_META].iter_rows(values_only=True) if r and r[0]}
    rows = [r for r in wb[_SHEET].iter_rows(min_row=2, values_only=True) if any(v not in (None, "") for v in r)]
    cols = ["transcript_id", "segment_id", "speaker", "text", "codes_a", "codes_b", "decision", "other", "note", "key"]
    df = pd.DataFrame([list(r[:10]) for r in rows], columns=cols)
    for c in ("codes_a", "codes_b", "decision", "other", "note", "speaker", "text"):
        df[c] = df[c].fillna("").astype(str).str.strip()
    return meta, df
