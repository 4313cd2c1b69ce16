"""Disagreements between two coders, the review workbook a team settles them in, and the consensus coding.

:func:`disagreements` lists every segment where the two coders' code sets differ. :func:`review_workbook` writes
them to Excel with a Decision drop-down (``A``, ``B``, ``both``, ``neither``, ``other code``), an "Other codes"
column and a note column; :func:`reconcile` reads the settled workbook and imports, as the coder ``consensus``,
every code both coders agreed on plus every decision: one transaction, refused when the workbook no longer matches
the project (a transcript, a segment's text or either coder's codes changed since the review was made).

Consensus spans keep the coders' own extents: a code taken from coder A (or agreed by both) is the union of that
coder's (or both coders') spans of the code, clipped to the segment; an "other code" covers the whole segment.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ..coding import ImportResult, import_codings, parse_code_text
from ..errors import NptCoderError
from ._study import presence_data

__all__ = ["DECISIONS", "REVIEW_COLUMNS", "disagreements", "read_review", "reconcile", "review_workbook"]

DECISIONS = ("A", "B", "both", "neither", "other code")
REVIEW_COLUMNS = ["transcript_id", "segment_id", "start", "end", "speaker", "text", "codes_a", "codes_b", "agreed"]
_SHEET = "Disagreements"
_META = "_review"


def _fingerprint(row) -> str:
    raw = json.dumps([row["transcript_id"], row["segment_id"], row["text"], row["codes_a"], row["codes_b"]])
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:16]


def disagreements(project, coder_a: str, coder_b: str, *, segment_unit: str = "paragraph",
                  include_interviewer: bool = False) -> pd.DataFrame:
    """Segments (on transcripts both coders coded) where the coders' code sets differ.

    Columns: :data:`REVIEW_COLUMNS`; ``codes_a``/``codes_b``/``agreed`` are ``"; "``-joined code ids.
    """
    codings = project.codings
    codes = project.codebook["code_id"].tolist()
    for coder in (coder_a, coder_b):
        if coder not in set(codings["coder"]):
            raise NptCoderError(f"no codings by {coder!r} in this project")
    segments = project.segments(segment_unit, include_interviewer=include_interviewer)
    data = presence_data(codings, coder_a, coder_b, unit="segment", codes=codes, segments=segments)
    if not data.transcripts:
        raise NptCoderError(f"no transcript was coded by both {coder_a} and {coder_b}")
    differ = (data.a != data.b).any(axis=1)
    seg = data.units.merge(segments[["transcript_id", "segment_id", "speaker", "text"]],
                           on=["transcript_id", "segment_id"], how="left")
    codes_arr = np.array(codes, dtype=object)

    def joined(mask_row) -> str:
        return "; ".join(codes_arr[mask_row])

    out = seg[differ].copy()
    idx = np.flatnonzero(differ)
    out["codes_a"] = [joined(data.a[i]) for i in idx]
    out["codes_b"] = [joined(data.b[i]) for i in idx]
    out["agreed"] = [joined(data.a[i] & data.b[i]) for i in idx]
    out.attrs.update(coder_a=coder_a, coder_b=coder_b, segment_unit=segment_unit, transcripts=data.transcripts,
                     include_interviewer=include_interviewer)
    return out[REVIEW_COLUMNS].reset_index(drop=True)


def review_workbook(table: pd.DataFrame, *, project_id: str) -> Workbook:
    """The review workbook for a :func:`disagreements` table (coders and unit travel in its hidden metadata)."""
    a, b = table.attrs["coder_a"], table.attrs["coder_b"]
    wb = Workbook()
    ws = wb.active
    ws.title = _SHEET
    header = ["Transcript", "Unit", "Speaker", "Text", f"{a}'s codes", f"{b}'s codes", "Decision", "Other codes",
              "Note", "key (do not edit)"]
    ws.append(header)
    for r in table.to_dict("records"):
        ws.append([r["transcript_id"], r["segment_id"], r["speaker"], r["text"], r["codes_a"], r["codes_b"], None,
                   None, None, _fingerprint(r)])
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
    for key, value in (("project_id", project_id), ("coder_a", a), ("coder_b", b),
                       ("segment_unit", table.attrs["segment_unit"]),
                       ("include_interviewer", str(table.attrs.get("include_interviewer", False))),
                       ("transcripts", ", ".join(table.attrs["transcripts"]))):
        meta.append([key, value])
    meta.sheet_state = "veryHidden"
    return wb


def read_review(path: str | Path) -> tuple[dict, pd.DataFrame]:
    """The metadata and rows of a review workbook (decisions as typed)."""
    path = Path(path)
    try:
        wb = load_workbook(path, data_only=True)
    except Exception as err:  # openpyxl raises many types
        raise NptCoderError(f"{path.name}: not a readable .xlsx workbook ({type(err).__name__})") from None
    if _META not in wb.sheetnames or _SHEET not in wb.sheetnames:
        raise NptCoderError(f"{path.name}: not a review workbook made by 'npt-coder disagreements'")
    meta = {r[0]: r[1] for r in wb[_META].iter_rows(values_only=True) if r and r[0]}
    rows = [r for r in wb[_SHEET].iter_rows(min_row=2, values_only=True) if any(v not in (None, "") for v in r)]
    cols = ["transcript_id", "segment_id", "speaker", "text", "codes_a", "codes_b", "decision", "other", "note", "key"]
    df = pd.DataFrame([list(r[:10]) for r in rows], columns=cols)
    for c in ("codes_a", "codes_b", "decision", "other", "note", "speaker", "text"):
        df[c] = df[c].fillna("").astype(str).str.strip()
    return meta, df


def reconcile(project, path: str | Path, *, as_coder: str = "consensus", who: str | None = None) -> ImportResult:
    """Import a settled review workbook as ``as_coder``: agreed codes plus decisions, in one transaction."""
    path = Path(path)
    meta, review = read_review(path)
    if meta.get("project_id") != project.project_id:
        raise NptCoderError(f"{path.name}: this review was made for a different project")
    a, b = meta["coder_a"], meta["coder_b"]
    include_interviewer = str(meta.get("include_interviewer")) == "True"
    current = disagreements(project, a, b, segment_unit=meta["segment_unit"], include_interviewer=include_interviewer)
    if ", ".join(current.attrs["transcripts"]) != meta.get("transcripts"):
        raise NptCoderError(f"{path.name}: the transcripts coded by both {a} and {b} changed since the review was made;"
                            " make a new review")
    cur_keys = [_fingerprint(r) for r in current.to_dict("records")]
    if len(cur_keys) != len(review):
        raise NptCoderError(f"{path.name}: {len(review)} review rows, but {len(cur_keys)} disagreements now; the "
                            "codings changed since the review was made (or rows were deleted); make a new review")
    codebook = project.load_codebook()
    for i, (key, row) in enumerate(zip(cur_keys, review.itertuples(index=False)), start=2):
        if row.key != key:
            raise NptCoderError(f"{path.name}: row {i} ({row.transcript_id} {row.segment_id}) no longer matches the "
                                "project (its text or either coder's codes changed, or rows were re-sorted)")
        if row.decision not in DECISIONS:
            what = f"has decision {row.decision!r}" if row.decision else "has no decision"
            raise NptCoderError(f"{path.name}: row {i} ({row.transcript_id} {row.segment_id}) {what}; choose one of "
                                f"{', '.join(DECISIONS)}")
        if row.decision == "other code":
            codes, rest = parse_code_text(row.other, codebook)
            if not codes or rest:
                raise NptCoderError(f"{path.name}: row {i}: 'other code' needs code ids in Other codes; got "
                                    f"{row.other!r}")
    codings = project.codings
    segments = project.segments(meta["segment_unit"], include_interviewer=include_interviewer)
    codes = codebook.ids
    data = presence_data(codings, a, b, unit="segment", codes=codes, segments=segments)
    decisions = {(r.transcript_id, r.segment_id): r for r in review.itertuples(index=False)}
    spans = {c: g for c, g in codings[codings["coder"].isin([a, b])].groupby(["transcript_id", "coder", "code_id"])}
    rows: list[tuple] = []
    empty = codings.iloc[:0]

    def clipped(tid, coder, code, s, e):
        g = spans.get((tid, coder, code), empty)
        g = g[(g["end"] > s) & (g["start"] < e)]
        return [(max(x, s), min(y, e)) for x, y in zip(g["start"], g["end"])]

    for i, unit in enumerate(data.units.itertuples(index=False)):
        s, e = int(unit.start), int(unit.end)
        key = (unit.transcript_id, unit.segment_id)
        for j, code in enumerate(codes):
            chosen: list[str] = []
            if data.a[i, j] and data.b[i, j]:
                chosen = [a, b]
            elif key in decisions and (data.a[i, j] or data.b[i, j]):
                d = decisions[key].decision
                if d == "both" or (d == "A" and data.a[i, j]) or (d == "B" and data.b[i, j]):
                    chosen = [a] if data.a[i, j] else [b]
            for coder in chosen:
                for x, y in clipped(unit.transcript_id, coder, code, s, e):
                    rows.append((unit.transcript_id, as_coder, code, x, y, ""))
        if key in decisions:
            r = decisions[key]
            if r.decision == "other code":
                for code in parse_code_text(r.other, codebook)[0]:
                    rows.append((unit.transcript_id, as_coder, code, s, e, r.note))
            elif r.note:
                rows.append((unit.transcript_id, as_coder, "__note__", s, e, r.note))
    df = pd.DataFrame(rows, columns=["transcript_id", "coder", "code_id", "start", "end", "memo"])
    notes = df[df["code_id"] == "__note__"]
    df = df[df["code_id"] != "__note__"]
    for n in notes.itertuples(index=False):  # a reviewer's note goes on the consensus codings of its segment
        m = (df["transcript_id"] == n.transcript_id) & (df["start"] >= n.start) & (df["end"] <= n.end)
        df.loc[m, "memo"] = n.memo
    if df.empty:
        raise NptCoderError(f"{path.name}: the consensus would hold no codings")
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    return import_codings(project, df, source="consensus", source_name=path.name, sha256=sha, who=who)
