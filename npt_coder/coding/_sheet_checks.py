"""Checking a returned coding workbook's structure before its rows are read: the hidden integrity data, and the
columns of each transcript sheet.

A workbook is read only as it was made (see :mod:`._sheet`). Its hidden ``_integrity`` sheet records the project,
coder, unit and number of code columns, then one row per unit (sheet, row, transcript, segment, offsets, a hash of
the text); each transcript sheet has a fixed set of columns ending with the hidden key. Someone who edits the
integrity data, or deletes, inserts or moves a column, gets one line saying where, and nothing is imported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from .._words import count
from ..errors import CodingImportError
from ..ingest import UNITS

__all__ = ["INTEGRITY_COLUMNS", "Integrity", "check_sheet_columns", "read_integrity"]

INTEGRITY_COLUMNS = ["sheet", "row", "transcript_id", "segment_id", "start", "end", "text_hash"]
_HASH = re.compile(r"^[0-9a-f]{16}$")
_MAX_CODES = 50


@dataclass(frozen=True)
class Integrity:
    """What a workbook's hidden integrity data says: its settings and the unit made on each row."""

    meta: dict
    n_codes: int
    unit: str
    expected: pd.DataFrame  # INTEGRITY_COLUMNS and context (1 on a question shown for context), start/end as int


def _changed(where: str, detail: str) -> CodingImportError:
    return CodingImportError(f"{where}: the workbook's hidden integrity data was changed ({detail}); import the "
                             "workbook as it was made, or make a new one with 'npt-coder sheet'")


def _whole(value) -> int | None:
    """A cell's value as a whole number (``5`` or ``5.0``), else ``None``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return None


def read_integrity(rows: list[tuple], where: str) -> Integrity:
    """The integrity sheet's rows (``values_only``) checked and read; :class:`CodingImportError` naming the first
    change found."""
    heads = [i for i, r in enumerate(rows) if r and r[0] == "sheet"]
    if len(heads) != 1:
        raise _changed(where, "its header row 'sheet, row, transcript_id, ...' is missing" if not heads
                       else "its header row appears more than once")
    split = heads[0]
    header = list(rows[split])
    while header and header[-1] is None:
        header.pop()
    if header not in (INTEGRITY_COLUMNS, INTEGRITY_COLUMNS + ["context"]):  # workbooks before 0.2 had no context
        raise _changed(where, f"its header row reads {', '.join(map(str, header))}")
    width = len(header)
    meta = {r[0]: (r[1] if len(r) > 1 else None) for r in rows[:split] if r and r[0]}
    for key in ("project_id", "coder", "unit", "n_codes"):
        if key not in meta:
            raise _changed(where, f"its {key} entry is missing")
    n_codes = _whole(meta["n_codes"])
    if n_codes is None or not 1 <= n_codes <= _MAX_CODES:
        raise _changed(where, f"n_codes is {meta['n_codes']!r}, not a number of code columns")
    unit = str(meta["unit"])
    if unit not in UNITS:
        raise _changed(where, f"unit is {meta['unit']!r}, not one of {', '.join(UNITS)}")
    out = []
    for i, r in enumerate(rows[split + 1:], start=split + 2):
        values = list(r[:width]) + [None] * (width - len(r))
        if all(v in (None, "") for v in r):
            continue
        if any(v not in (None, "") for v in r[width:]):
            raise _changed(where, f"row {i} has more than {width} values")
        sheet, _, tid, seg, start, end, text_hash = values[:7]
        context = _whole(values[7]) if width > 7 else 0
        if context not in (0, 1):
            raise _changed(where, f"row {i}: its context mark is not 0 or 1")
        if not isinstance(sheet, str) or not isinstance(tid, str) or not isinstance(seg, str) or not sheet:
            raise _changed(where, f"row {i} does not name a sheet, transcript and unit")
        s, e = _whole(start), _whole(end)
        if s is None or e is None or not 0 <= s < e:
            raise _changed(where, f"row {i}: its offsets are not whole numbers with 0 <= start < end")
        if not isinstance(text_hash, str) or not _HASH.match(text_hash):
            raise _changed(where, f"row {i}: its text hash is not one npt-coder wrote")
        out.append((sheet, _whole(values[1]), tid, seg, s, e, text_hash, context))
    if not out:
        raise _changed(where, "it lists no units")
    expected = pd.DataFrame(out, columns=INTEGRITY_COLUMNS + ["context"])
    dup = expected.duplicated(["sheet", "segment_id"])
    if dup.any():
        first = expected[dup].iloc[0]
        raise _changed(where, f"unit {first['segment_id']} of sheet {first['sheet']!r} is listed twice")
    return Integrity(meta=meta, n_codes=n_codes, unit=unit, expected=expected)


def check_sheet_columns(header: tuple, expected: list[str], sheet: str, where: str) -> None:
    """Refuse a transcript sheet whose first row is not ``expected`` (a column deleted, inserted or moved)."""
    found = list(header)
    while found and found[-1] in (None, ""):
        found.pop()
    if found == expected:
        return
    for col, want in enumerate(expected):
        got = found[col] if col < len(found) else None
        if got != want:
            letter = _letter(col)
            what = (f"column {letter} should be {want!r} but is {got!r}" if got not in (None, "")
                    else f"column {letter} ({want!r}) is missing")
            break
    else:
        what = f"it has {count(len(found) - len(expected), 'column')} more than it was made with"
    raise CodingImportError(f"{where}: sheet {sheet!r}: {what}; columns were deleted, inserted or moved. Use the "
                            "workbook as it was made (columns may be resized, not changed)")


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)
