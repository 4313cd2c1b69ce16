"""The coding workbook: an Excel file a coder works in all day, and reading it back as codings.

One sheet per transcript (unit id, speaker, the unit's text, code columns with drop-down lists of ``id – name``
from the project's codebook that refuse anything else as it is typed, a memo column; the interviewer's questions in
locked grey rows between the answers), an Instructions and a Codebook sheet whose text wraps within the printed
page, and hidden integrity data (project id, coder, unit, and for every row its segment id and a hash of its text).
On import, a sheet whose rows were re-sorted, deleted or added, or whose text was changed, is refused with the
sheet and row named, so codes can never land on the wrong text.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import re
from pathlib import Path
from typing import Callable, Iterable

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .._archive import load_xlsx
from .._words import count, noun
from .._xlsx import (EDIT_FILL, LOCKED_FILL, LOCKED_FONT, TOP_WRAP, fit_heights, print_setup, set_widths,
                     style_header, text_sheet, write_sheet)
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


def _instructions(ws, coder: str, unit: str, segments, codebook: Codebook, n_codes: int, context: int) -> None:
    n_t = segments["transcript_id"].nunique()
    paragraphs = [
        f"Unit: {unit} · {count(n_t, 'transcript')} · {count(int((~segments['context']).sum()), 'unit')} to code · "
        f"codebook {codebook.title}: {codebook.composition}.",
        "How to code:",
        f"• Each transcript has its own sheet. For each unit, pick up to {n_codes} codes from the drop-down lists in "
        "the yellow Code columns, and write any memo in the Memo column. The lists accept only their own entries: "
        "a typing slip is refused as you type it, not at import.",
        "• Leave a unit's code cells empty if nothing applies. Definitions, and what each inductive code maps to, "
        "are on the Codebook sheet.",
    ]
    if context:
        paragraphs.append("• Grey rows in italics are the interviewer's or facilitator's questions, shown so that "
                          "each answer can be read with its question. They are locked: code the answers, not the "
                          "questions.")
    paragraphs += [
        "• Do not sort, insert or delete rows and do not edit the text: the import checks every row against the "
        "project and refuses a changed sheet, naming the sheet and row.",
        "• Return the file to your project lead, who imports it with: npt-coder import THIS_FILE.xlsx",
    ]
    text_sheet(ws, f"Coding workbook for {coder}", paragraphs)


def _codebook_sheet(book, codebook: Codebook) -> None:
    rows = []
    for code in codebook:
        home = codebook.home(code)
        rows.append({"Code": code.code_id, "Name": code.name,
                     "Domain": code.domain.title() if code.domain else "Not mapped",
                     "Construct": f"{code.construct_id} {code.construct}".strip() if code.kind == "deductive"
                     else f"listed under {codebook.target_label(home)}" if home else "",
                     "Kind": code.kind, "Maps to": "; ".join(codebook.target_label(t) for t in code.maps_to),
                     "Definition": code.definition, "Questions": "\n".join(code.questions)})
    write_sheet(book, "Codebook", pd.DataFrame(rows), widths=[11, 24, 11, 26, 10, 28, 62, 52], wrap=True,
                autofilter=True)


def make_coding_workbook(
    project: Project,
    coder: str,
    *,
    transcripts: Iterable[str] | None = None,
    unit: str = "turn",
    include_interviewer: bool = False,
    show_questions: bool = True,
    n_codes: int = 3,
    progress: Callable[[str, int, int], None] | None = None,
) -> Workbook:
    """A coding workbook for ``coder`` over the chosen transcripts (default: all) at ``unit``.

    Interviewer and facilitator talk is not coded unless ``include_interviewer``; with ``show_questions`` (the
    default) it is still shown, in locked grey rows, so that each answer is read with its question. The caller
    saves the workbook. ``progress(stage, done, total)``, when given, hears ``"sheets"`` as each transcript's
    sheet is made.
    """
    if not coder.strip():
        raise CodingImportError("the coder name is empty")
    codebook = project.load_codebook()
    all_ids = set(project.transcripts["transcript_id"])
    if transcripts is not None:
        missing = sorted(set(transcripts) - all_ids)
        if missing:
            raise CodingImportError(f"transcripts not in the project: {', '.join(missing)}")
    chosen = list(transcripts) if transcripts is not None else None
    segments = project.segments(unit, include_interviewer=include_interviewer or show_questions, transcripts=chosen)
    segments = segments.assign(context=(segments["speaker_role"] != "participant") & (not include_interviewer)
                               if "speaker_role" in segments else False)
    if segments.empty or segments["context"].all():
        raise CodingImportError("no segments to code (no transcripts, or only interviewer talk)")

    wb = Workbook()
    _instructions(wb.active, coder, unit, segments, codebook, n_codes, int(segments["context"].sum()))
    wb.active.title = "Instructions"

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
    integrity.append(["sheet", "row", "transcript_id", "segment_id", "start", "end", "text_hash", "context"])

    header = _HEADER + [f"Code {i}" for i in range(1, n_codes + 1)] + ["Memo", _KEY_HEADER]
    widths = [8, 14, 80] + [30] * n_codes + [40, 24]
    used: set[str] = {"instructions", _LISTS.casefold(), _INTEGRITY.casefold(), "codebook"}
    code_fill = PatternFill("solid", fgColor=EDIT_FILL)
    grey = PatternFill("solid", fgColor=LOCKED_FILL)
    tell = progress or (lambda stage, done, total: None)
    n_sheets = segments["transcript_id"].nunique()
    for done, (tid, seg) in enumerate(segments.groupby("transcript_id", sort=False)):
        tell("sheets", done, n_sheets)
        ws = wb.create_sheet(_sheet_name(tid, used))
        ws.append(header)
        style_header(ws)
        for r in seg.itertuples(index=False):
            ws.append([r.segment_id, r.speaker, r.text] + [None] * n_codes + [None, f"{r.segment_id}:{_hash(r.text)}"])
            integrity.append([ws.title, ws.max_row, tid, r.segment_id, int(r.start), int(r.end), _hash(r.text),
                              1 if r.context else 0])
        last = ws.max_row
        dv = DataValidation(type="list", formula1=list_ref, allow_blank=True, showErrorMessage=True,
                            errorStyle="stop", errorTitle="Not a code of this codebook",
                            error="Pick a code from the list (id – name); see the Codebook sheet",
                            showInputMessage=True, promptTitle="Code", prompt="Pick a code from the list")
        first_code = get_column_letter(len(_HEADER) + 1)
        last_code = get_column_letter(len(_HEADER) + n_codes)
        codable = [i for i, r in enumerate(seg.itertuples(index=False), start=2) if not r.context]
        for i in codable:
            dv.add(f"{first_code}{i}:{last_code}{i}")
        ws.add_data_validation(dv)
        set_widths(ws, widths)
        ws.column_dimensions[get_column_letter(len(header))].hidden = True
        for r, row in zip(seg.itertuples(index=False), ws.iter_rows(min_row=2, max_row=last)):
            for j, cell in enumerate(row):
                cell.alignment = TOP_WRAP
                if r.context:
                    cell.fill = grey
                    cell.font = LOCKED_FONT
                elif len(_HEADER) <= j < len(_HEADER) + n_codes + 1:
                    cell.protection = Protection(locked=False)
                    if j < len(_HEADER) + n_codes:
                        cell.fill = code_fill
        # explicit heights: not every spreadsheet program grows rows to fit wrapped text on opening
        fit_heights(ws, first_row=2, minimum_lines=2)
        ws.freeze_panes = "A2"
        print_setup(ws, landscape=True)
        ws.protection.sheet = True
        ws.protection.formatColumns = False  # coders may resize columns and rows
        ws.protection.formatRows = False
    tell("sheets", n_sheets, n_sheets)
    integrity.sheet_state = "veryHidden"
    book = wb.create_sheet("Codebook", 1)
    _codebook_sheet(book, codebook)
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


def read_coding_workbook(path: str | Path, project: Project, *, coder: str | None = None,
                         progress: Callable[[str, int, int], None] | None = None) -> pd.DataFrame:
    """Codings from a filled coding workbook (see :func:`make_coding_workbook`), checked row by row.

    Each code in a unit's code cells becomes a span over that unit; the unit's memo goes on each of them.
    Raises :class:`~npt_coder.errors.CodingImportError` naming the sheet and row of the first problem.
    ``progress(stage, done, total)``, when given, hears ``"sheets"`` as each transcript sheet is read.
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
    tell = progress or (lambda stage, done, total: None)
    n_sheets = expected["sheet"].nunique()
    tell("sheets", 0, n_sheets)
    for done, (sheet, exp) in enumerate(expected.groupby("sheet", sort=False), start=1):
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
            if int(e["context"] or 0):
                if any(v not in (None, "") for v in row[len(_HEADER):len(_HEADER) + n_codes + 1]):
                    raise CodingImportError(f"{path.name}: sheet {sheet!r}, row {excel_row} is an interviewer's "
                                            "question, shown for context only; move its codes to the answer")
                continue
            for cell in row[len(_HEADER):len(_HEADER) + n_codes]:
                if cell in (None, ""):
                    continue
                codes = _code_of(cell, codebook)
                if codes is None:
                    unknown.append(f"sheet {sheet!r} row {excel_row}: {str(cell)[:40]!r}")
                    continue
                for code in codes:
                    out.append((e["transcript_id"], who, code, int(e["start"]), int(e["end"]), memo))
        tell("sheets", done, n_sheets)
    if unknown:
        raise CodingImportError(f"{path.name}: unknown {noun(len(unknown), 'code')} in {'; '.join(unknown[:6])}"
                                + (f" and {len(unknown) - 6} more" if len(unknown) > 6 else ""))
    return pd.DataFrame(out, columns=["transcript_id", "coder", "code_id", "start", "end", "memo"])
