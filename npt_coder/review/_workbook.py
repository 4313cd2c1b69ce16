"""The review workbook: the disagreements laid out for a team to settle in Excel, and read back once settled.

One row per disputed code of a segment (a code one coder applied there and the other did not), grouped by segment:
the segment's text once (merged over its rows, each coder's selected words marked in it), the codes both coders
agreed on, the code in dispute by id and name, what each coder selected, and a Decision drop-down whose options
are the two coders' names (whose call stands for this code) and ``other code`` (replace it with the codes in Other
codes). The drop-down refuses anything else as it is typed.

Workbooks of the first layout (one row per segment, decisions ``A``/``B``/``both``/``neither``/``other code``) are
still read: :func:`read_review` tells the two apart by their hidden metadata.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.styles import PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .._archive import load_xlsx
from .._words import count
from .._xlsx import EDIT_FILL, TOP_WRAP, print_setup, row_lines, set_widths, style_header, text_sheet
from ..errors import NptCoderError
from ._disagreements import Disagreements, fingerprint, selection_runs

__all__ = ["DECISIONS", "OTHER_CODE", "decisions_for", "read_review", "review_workbook"]

#: Decisions of the first layout (one row per segment), still read.
DECISIONS = ("A", "B", "both", "neither", "other code")
OTHER_CODE = "other code"
FORMAT = "2"
_SHEET = "Disagreements"
_META = "_review"
_HEADER = ["Transcript", "Unit", "Speaker", "Text", "Both coded", "Code in dispute", "{a}", "{b}", "Decision",
           "Other codes", "Note", "key (do not edit)"]
_WIDTHS = [11, 7, 10, 62, 14, 26, 30, 30, 12, 16, 28, 18]
_EDIT = (8, 9, 10)  # Decision, Other codes, Note (0-based)
_MERGED = (0, 1, 2, 3, 4)  # one value per segment, merged down over its rows
_MARK_A = InlineFont(u="single", color="1F4E79")  # underlined, dark blue (9:1 on white)
_MARK_B = InlineFont(b=True, i=True, color="7B2C00")  # bold italic, dark brown (10:1 on white)
_MARK_AB = InlineFont(u="single", b=True, i=True, color="1A1A1A")


def decisions_for(coder_a: str, coder_b: str) -> tuple[str, str, str]:
    """The Decision options of a review between ``coder_a`` and ``coder_b``: whose call stands, or other code."""
    return (coder_a, coder_b, OTHER_CODE)


def _selection(spans, start: int, end: int, text: str, unit: str) -> str:
    """What one coder selected of a segment for one code: the words, the whole segment, or nothing."""
    if not spans:
        return "not coded"
    if len(spans) == 1 and spans[0][0] <= start and spans[0][1] >= end:
        return f"✓ the whole {unit}"
    parts = []
    for s, e in spans:
        words = " ".join(text[s - start:e - start].split())
        parts.append(f"“{words[:197]}…”" if len(words) > 200 else f"“{words}”")
    return "✓ " + " … ".join(parts)


def _marked(text: str, start: int, spans_a, spans_b) -> CellRichText | str:
    """The segment's text with coder A's selections underlined and coder B's in bold italics (plain text where
    the marks would say nothing: no one selected, or one coder selected the whole of it)."""
    runs = selection_runs(text, start, spans_a, spans_b)
    if len(runs) <= 1 and not (runs and runs[0][1] and runs[0][2]):
        return text
    fonts = {(True, False): _MARK_A, (False, True): _MARK_B, (True, True): _MARK_AB}
    return CellRichText(*(TextBlock(fonts[(in_a, in_b)], piece) if in_a or in_b else piece
                          for piece, in_a, in_b in runs))


def _instructions(wb: Workbook, found: Disagreements, n_rows: int) -> None:
    a, b = found.coder_a, found.coder_b
    ws = wb.create_sheet("Instructions", 0)
    text_sheet(ws, f"Review of the disagreements between {a} and {b}", [
        f"{count(n_rows, 'code')} in dispute on {count(len(found.table), found.unit)} of "
        f"{count(len(found.transcripts), 'transcript')} ({', '.join(found.transcripts)}). Each row of the "
        f"Disagreements sheet is one code that one coder applied to the {found.unit} and the other did not.",
        f"Decision: choose {a} if {a}'s call stands for that code (the code is applied if {a} applied it, and not "
        f"if {a} did not), {b} if {b}'s call stands, or 'other code' to replace it with the codes you write in "
        "Other codes (ids such as M3.3, separated by commas). The list refuses anything else.",
        f"In the Text column, the words {a} selected for a code in dispute are underlined, and the words {b} "
        "selected are in bold italics; the coder columns quote each one's selection for that code.",
        "Both coded: the codes both coders applied to the segment; they go into the consensus as they are.",
        "Note: anything the team wants kept with the decision; it is stored with the consensus coding.",
        "Do not sort, insert or delete rows. When every row has a decision, import the workbook with: "
        "npt-coder reconcile THIS_FILE.xlsx",
    ])


def review_workbook(found: Disagreements, *, project_id: str) -> Workbook:
    """The review workbook for what :func:`disagreements` found (coders, unit and layout travel in its hidden
    metadata): one row per disputed code, each coder's selection shown, decisions by coder name."""
    a, b = found.coder_a, found.coder_b
    wb = Workbook()
    ws = wb.active
    ws.title = _SHEET
    ws.append([h.format(a=a, b=b) for h in _HEADER])
    style_header(ws)
    set_widths(ws, _WIDTHS)
    options = decisions_for(a, b)
    groups = found.codes.groupby(["transcript_id", "segment_id"], sort=False)
    segments = found.table.set_index(["transcript_id", "segment_id"])
    for (tid, sid), rows in groups:
        seg = segments.loc[(tid, sid)]
        first = ws.max_row + 1
        start, end, text = int(seg["start"]), int(seg["end"]), str(seg["text"])
        all_a = [s for spans in rows["spans_a"] for s in spans]
        all_b = [s for spans in rows["spans_b"] for s in spans]
        for k, r in enumerate(rows.itertuples(index=False)):
            key = fingerprint(seg.to_dict() | {"transcript_id": tid, "segment_id": sid}, r.code_id)
            ws.append([tid if k == 0 else None, sid if k == 0 else None, seg["speaker"] if k == 0 else None,
                       None, seg["agreed"].replace("; ", ", ") or "–" if k == 0 else None,
                       f"{r.code_id} – {r.name}" if r.name else r.code_id,
                       _selection(r.spans_a, start, end, text, found.unit),
                       _selection(r.spans_b, start, end, text, found.unit), None, None, None, key])
        last = ws.max_row
        ws.cell(first, 4).value = _marked(text, start, all_a, all_b)
        if last > first:
            for j in _MERGED:
                col = get_column_letter(j + 1)
                ws.merge_cells(f"{col}{first}:{col}{last}")
        # the group's rows share the height its text needs; each row at least as tall as its own cells
        text_lines = row_lines([text], [_WIDTHS[3]])
        per_row = -(-text_lines // (last - first + 1))
        for i in range(first, last + 1):
            own = row_lines([ws.cell(i, j).value for j in range(5, 12)], _WIDTHS[4:11])
            ws.row_dimensions[i].height = min(409, 15 * max(2, per_row, own) + 3)
    last = ws.max_row
    for row in ws.iter_rows(min_row=2, max_row=last):
        for j, cell in enumerate(row):
            cell.alignment = TOP_WRAP
            if j in _EDIT:
                cell.protection = Protection(locked=False)
                cell.fill = PatternFill("solid", fgColor=EDIT_FILL)
    listed = ",".join(options)
    formula = f'"{listed}"' if len(listed) < 250 and not any(c in a + b for c in ',"') else None
    if formula is None:  # names a quoted list cannot hold: the options on a hidden sheet
        lists = wb.create_sheet("_decisions")
        for o in options:
            lists.append([o])
        lists.sheet_state = "hidden"
        formula = f"=_decisions!$A$1:$A${len(options)}"
    dv = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=True,
                        errorStyle="stop", errorTitle="Decision", error=f"Choose {a}, {b} or other code",
                        promptTitle="Decision", showInputMessage=True,
                        prompt=f"{a}: {a}'s call stands; {b}: {b}'s call stands; other code: fill Other codes")
    dv.add(f"I2:I{max(last, 2)}")
    ws.add_data_validation(dv)
    ws.column_dimensions["L"].hidden = True
    ws.freeze_panes = "E2"
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    print_setup(ws, landscape=True)
    meta = wb.create_sheet(_META)
    # the key "segment_unit" is the file format of workbooks already in use: kept as it is
    for key, value in (("project_id", project_id), ("coder_a", a), ("coder_b", b), ("segment_unit", found.unit),
                       ("include_interviewer", str(found.include_interviewer)),
                       ("transcripts", ", ".join(found.transcripts)), ("format", FORMAT)):
        meta.append([key, value])
    meta.sheet_state = "veryHidden"
    _instructions(wb, found, last - 1)
    wb.active = wb.sheetnames.index(_SHEET)
    return wb


def read_review(path: str | Path) -> tuple[dict, pd.DataFrame]:
    """The metadata and rows of a review workbook (decisions as typed).

    Returns ``(meta, rows)``. For this layout (``meta["format"] == "2"``) ``rows`` has ``transcript_id,
    segment_id, code_id, decision, other, note, key``, one row per disputed code; for the first layout,
    ``transcript_id, segment_id, speaker, text, codes_a, codes_b, decision, other, note, key``, one per segment.
    """
    path = Path(path)
    wb = load_xlsx(path, fail=lambda reason: NptCoderError(f"{path.name}: {reason}"))
    if _META not in wb.sheetnames or _SHEET not in wb.sheetnames:
        raise NptCoderError(f"{path.name}: not a review workbook made by 'npt-coder disagreements'")
    meta = {r[0]: r[1] for r in wb[_META].iter_rows(values_only=True) if r and r[0]}
    rows = [r for r in wb[_SHEET].iter_rows(min_row=2, values_only=True) if any(v not in (None, "") for v in r)]
    if str(meta.get("format")) == FORMAT:
        df = pd.DataFrame([list(r[:12]) for r in rows], columns=[
            "transcript_id", "segment_id", "speaker", "text", "agreed", "code", "sel_a", "sel_b", "decision",
            "other", "note", "key"])
        df[["transcript_id", "segment_id"]] = df[["transcript_id", "segment_id"]].ffill()
        df["code_id"] = df["code"].fillna("").astype(str).str.split(" – ", n=1).str[0].str.strip()
        for c in ("decision", "other", "note", "key"):
            df[c] = df[c].fillna("").astype(str).str.strip()
        return meta, df[["transcript_id", "segment_id", "code_id", "decision", "other", "note", "key"]]
    cols = ["transcript_id", "segment_id", "speaker", "text", "codes_a", "codes_b", "decision", "other", "note", "key"]
    df = pd.DataFrame([list(r[:10]) for r in rows], columns=cols)
    for c in ("codes_a", "codes_b", "decision", "other", "note", "speaker", "text"):
        df[c] = df[c].fillna("").astype(str).str.strip()
    return meta, df
