"""The coding workbook: an Excel file a coder works in all day, and reading it back as codings.

One sheet per transcript (unit id, speaker, the unit's text, code columns with drop-down lists of ``id – name``
from the project's codebook, a memo column), a Codebook sheet, and hidden integrity data (project id, coder, unit,
and for every row its segment id and a hash of its text). On import, a sheet whose rows were re-sorted, deleted or
added, or whose text was changed, is refused with the sheet and row named, so codes can never land on the wrong
text.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import re
from pathlib import Path
from typing import Iterable

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .._archive import load_xlsx
from ..codebook import Codebook
from ..errors import CodingImportError
from ..store import Project
from ._docx_comments import parse_code_text
from ._sheet_checks import check_sheet_columns, read_integrity

__all__ = ["make_coding_workbook", "read_coding_workbook"]

_INTEGRITY = "_integrity"
_LISTS = "Lists"
_HEADER = ["Unit", "Speaker", "Text"]
_KEY_HEADER = "key (do not edit)"


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _sheet_name(tid: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", "_", tid)[:31] or "transcript"
    name, n = base, 2
    while name.casefold() in used:
        suffix = f"~{n}"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(name.casefold())
    return name


def make_coding_workbook(
    project: Project,
    coder: str,
    *,
    transcripts: Iterable[str] | None = None,
    unit: str = "turn",
    include_interviewer: bool = False,
    n_codes: int = 3,
) -> Workbook:
    """A coding workbook for ``coder`` over the chosen transcripts (default: all) at ``unit``.

    Interviewer and facilitator talk is left out unless ``include_interviewer``. The caller saves the workbook.
    """
    if not coder.strip():
        raise CodingImportError("the coder name is empty")
    codebook = project.load_codebook()
    segments = project.segments(unit, include_interviewer=include_interviewer,
                                transcripts=list(transcripts) if transcripts is not None else None)
    all_ids = set(project.transcripts["transcript_id"])
    if transcripts is not None:
        missing = sorted(set(transcripts) - all_ids)
        if missing:
            raise CodingImportError(f"transcript(s) not in the project: {', '.join(missing)}")
    if segments.empty:
        raise CodingImportError("no segments to code (no transcripts, or only interviewer talk)")

    wb = Workbook()
    guide = wb.active
    guide.title = "Instructions"
    lines = [
        f"Coding workbook for {coder}",
        f"Unit: {unit} · {segments['transcript_id'].nunique()} transcript(s) · {len(segments)} units · codebook "
        f"{codebook.name} {codebook.version}",
        "",
        "How to code:",
        f"• Each transcript has its own sheet. For each unit, pick up to {n_codes} codes from the drop-down lists "
        "(or type a code id such as M3.3) and write any memo in the Memo column.",
        "• Leave a unit's code cells empty if nothing applies. Definitions are on the Codebook sheet.",
        "• Do not sort, insert or delete rows and do not edit the text: the import checks every row against the "
        "project and refuses a changed sheet, naming the sheet and row.",
        "• Return the file to your project lead, who imports it with: npt-coder import THIS_FILE.xlsx",
    ]
    for line in lines:
        guide.append([line])
    guide["A1"].font = Font(bold=True, size=14)
    guide.column_dimensions["A"].width = 120
    for row in guide.iter_rows(min_row=2):
        row[0].alignment = Alignment(wrap_text=True)

    lists = wb.create_sheet(_LISTS)
    lists.append(["code"])
    for code in codebook:
        lists.append([code.label])
    lists.sheet_state = "hidden"
    list_ref = f"={_LISTS}!$A$2:$A${len(codebook) + 1}"

    integrity = wb.create_sheet(_INTEGRITY)
    integrity.append(["project_id", project.project_id])
    integrity.append(["coder", coder.strip()])
    integrity.append(["unit", unit])
    integrity.append(["codebook_sha256", codebook.sha256])
    integrity.append(["created_at", _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat()])
    integrity.append(["n_codes", n_codes])
    integrity.append([])
    integrity.append(["sheet", "row", "transcript_id", "segment_id", "start", "end", "text_hash"])

    header = _HEADER + [f"Code {i}" for i in range(1, n_codes + 1)] + ["Memo", _KEY_HEADER]
    widths = [8, 14, 80] + [30] * n_codes + [40, 24]
    used: set[str] = {"instructions", _LISTS.casefold(), _INTEGRITY.casefold(), "codebook"}
    head_fill = PatternFill("solid", fgColor="DDDDDD")
    code_fill = PatternFill("solid", fgColor="FFF8DC")
    for tid, seg in segments.groupby("transcript_id", sort=False):
        ws = wb.create_sheet(_sheet_name(tid, used))
        ws.append(header)
        for cell in ws[1]:
            cell.font = Font(bold=True)
            cell.fill = head_fill
            cell.alignment = Alignment(vertical="top", wrap_text=True)
        for r in seg.itertuples(index=False):
            text = r.text
            ws.append([r.segment_id, r.speaker, text] + [None] * n_codes + [None, f"{r.segment_id}:{_hash(text)}"])
            integrity.append([ws.title, ws.max_row, tid, r.segment_id, int(r.start), int(r.end), _hash(text)])
        last = ws.max_row
        dv = DataValidation(type="list", formula1=list_ref, allow_blank=True, showErrorMessage=False,
                            promptTitle="Code", prompt="Pick a code, or type an id such as M3.3")
        first_code = get_column_letter(len(_HEADER) + 1)
        last_code = get_column_letter(len(_HEADER) + n_codes)
        dv.add(f"{first_code}2:{last_code}{last}")
        ws.add_data_validation(dv)
        for i, w in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = w
        ws.column_dimensions[get_column_letter(len(header))].hidden = True
        for row in ws.iter_rows(min_row=2, max_row=last):
            for j, cell in enumerate(row):
                editable = len(_HEADER) <= j < len(_HEADER) + n_codes + 1
                cell.alignment = Alignment(vertical="top", wrap_text=True)
                if editable:
                    cell.protection = Protection(locked=False)
                    if j < len(_HEADER) + n_codes:
                        cell.fill = code_fill
        for i, r in enumerate(seg.itertuples(index=False), start=2):
            # explicit heights: not every spreadsheet program grows rows to fit wrapped text on opening
            lines = sum(max(1, -(-len(part) // 95)) for part in r.text.split("\n"))
            ws.row_dimensions[i].height = min(409, 15 * max(2, lines) + 4)
        ws.freeze_panes = "A2"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_title_rows = "1:1"
        ws.protection.sheet = True
        ws.protection.formatColumns = False  # coders may resize columns and rows
        ws.protection.formatRows = False
    integrity.sheet_state = "veryHidden"

    book = wb.create_sheet("Codebook", 1)
    book.append(["Code", "Name", "Domain", "Construct", "Kind", "Definition", "Questions"])
    for code in codebook:
        book.append([code.code_id, code.name, code.domain.title(), f"{code.construct_id} {code.construct}".strip(),
                     code.kind, code.definition, "\n".join(code.questions)])
    for i, w in enumerate([10, 28, 12, 32, 11, 80, 60], start=1):
        book.column_dimensions[get_column_letter(i)].width = w
    for row in book.iter_rows():
        for cell in row:
            cell.alignment = Alignment(vertical="top", wrap_text=True)
    for cell in book[1]:
        cell.font = Font(bold=True)
        cell.fill = head_fill
    book.freeze_panes = "A2"
    return wb


def _code_of(value: str, codebook: Codebook) -> list[str] | None:
    """Code ids in a cell: ``"M3.3 – Relational integration"``, ``"M3.3"``, a name, or several."""
    text = str(value).strip()
    if not text:
        return []
    label = text.split(" – ", 1)[0].strip()
    if label in codebook:
        return [label]
    codes, memo = parse_code_text(text, codebook)
    return codes if codes and not memo else None


def read_coding_workbook(path: str | Path, project: Project, *, coder: str | None = None) -> pd.DataFrame:
    """Codings from a filled coding workbook (see :func:`make_coding_workbook`), checked row by row.

    Each code in a unit's code cells becomes a span over that unit; the unit's memo goes on each of them.
    Raises :class:`~npt_coder.errors.CodingImportError` naming the sheet and row of the first problem.
    """
    path = Path(path)
    wb = load_xlsx(path, fail=lambda reason: CodingImportError(f"{path.name}: {reason}"))
    if _INTEGRITY not in wb.sheetnames:
        raise CodingImportError(f"{path.name}: not a coding workbook made by 'npt-coder sheet' (no integrity data); "
                                "import a long table with transcript_id, coder, code_id, start, end instead")
    integrity = read_integrity(list(wb[_INTEGRITY].iter_rows(values_only=True)), path.name)
    meta, expected, n_codes = integrity.meta, integrity.expected, integrity.n_codes
    if meta.get("project_id") != project.project_id:
        raise CodingImportError(f"{path.name}: this workbook was made for a different project")
    codebook = project.load_codebook()
    who = coder or str(meta.get("coder") or "").strip()
    segs = {(r.transcript_id, r.segment_id): (r.start, r.end, r.text)
            for r in project.segments(integrity.unit).itertuples(index=False)}
    header = _HEADER + [f"Code {i}" for i in range(1, n_codes + 1)] + ["Memo", _KEY_HEADER]
    out, unknown = [], []
    for sheet, exp in expected.groupby("sheet", sort=False):
        if sheet not in wb.sheetnames:
            raise CodingImportError(f"{path.name}: sheet {sheet!r} is missing")
        ws = wb[sheet]
        check_sheet_columns(next(ws.iter_rows(max_row=1, values_only=True), ()), header, sheet, path.name)
        actual = [r + (None,) * (len(header) - len(r)) for r in ws.iter_rows(min_row=2, max_col=len(header),
                                                                            values_only=True)
                  if any(v not in (None, "") for v in r)]
        exp_keys = [f"{s}:{h}" for s, h in zip(exp["segment_id"], exp["text_hash"])]
        act_keys = [r[len(_HEADER) + n_codes + 1] for r in actual]
        if len(actual) != len(exp):
            first = next((i for i, (a, b) in enumerate(zip(act_keys, exp_keys)) if a != b), min(len(actual), len(exp)))
            raise CodingImportError(
                f"{path.name}: sheet {sheet!r} has {len(actual)} unit rows, expected {len(exp)} (rows were deleted "
                f"or added near row {first + 2}); use the workbook as it was made")
        for i, (row, (_, e)) in enumerate(zip(actual, exp.iterrows())):
            excel_row = i + 2
            if row[0] != e["segment_id"] or act_keys[i] != exp_keys[i]:
                moved = act_keys[i] in exp_keys
                what = (f"holds unit {row[0]}, expected {e['segment_id']}: the rows were re-sorted; sort by the "
                        "Unit column to restore their order") if moved else "does not match the unit made there"
                raise CodingImportError(f"{path.name}: sheet {sheet!r}, row {excel_row} {what}")
            if _hash(str(row[2] or "")) != e["text_hash"]:
                raise CodingImportError(f"{path.name}: sheet {sheet!r}, row {excel_row}: the text of unit "
                                        f"{e['segment_id']} was changed; text cells must stay as made")
            key = (e["transcript_id"], e["segment_id"])
            if key not in segs or _hash(segs[key][2]) != e["text_hash"]:
                raise CodingImportError(f"{path.name}: sheet {sheet!r}, row {excel_row}: unit {e['segment_id']} no "
                                        "longer matches the project transcript")
            memo = str(row[len(_HEADER) + n_codes] or "").strip()
            for cell in row[len(_HEADER):len(_HEADER) + n_codes]:
                if cell in (None, ""):
                    continue
                codes = _code_of(cell, codebook)
                if codes is None:
                    unknown.append(f"sheet {sheet!r} row {excel_row}: {str(cell)[:40]!r}")
                    continue
                for code in codes:
                    out.append((e["transcript_id"], who, code, int(e["start"]), int(e["end"]), memo))
    if unknown:
        raise CodingImportError(f"{path.name}: unknown code(s) in {'; '.join(unknown[:6])}"
                                + (f" and {len(unknown) - 6} more" if len(unknown) > 6 else ""))
    return pd.DataFrame(out, columns=["transcript_id", "coder", "code_id", "start", "end", "memo"])
