"""Reading a long table of codings (CSV or a plain Excel sheet) cell by cell as text, checked for its shape.

Every cell is read as text, so an offset is never silently turned into a date, a boolean or a wrapped 64-bit
integer; the import's checks (:mod:`._import`) then read the numbers. A CSV is decoded as transcripts are (byte-order
marks, UTF-16, Windows-1252) and refused, naming the line, when a row has more or fewer values than the header (a
comma inside an unquoted value, a row cut short). A header that names a column twice is refused too.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pandas as pd

from .._io import read_user_bytes
from ..errors import CodingImportError, FileReasonError, TranscriptFormatError
from ..ingest import decode_text_bytes

__all__ = ["read_table"]


class _TableFileError(FileReasonError):
    """An unreadable table file (turned into a CodingImportError)."""


def _csv_rows(path: Path) -> list[list[str]]:
    try:
        data = read_user_bytes(path, _TableFileError, "table file")
        text, _ = decode_text_bytes(data)
    except _TableFileError as err:
        raise CodingImportError(str(err)) from None
    except TranscriptFormatError as err:
        raise CodingImportError(f"{path.name}: not a readable CSV table ({err})") from None
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    rows: list[list[str]] = []
    try:
        for row in reader:
            if not any(v.strip() for v in row):
                continue
            if rows and len(row) != len(rows[0]):
                raise CodingImportError(
                    f"{path.name}: line {reader.line_num} has {len(row)} values but the header has {len(rows[0])}; "
                    "a value holding a comma must be in double quotes, and no row may be cut short")
            rows.append(row)
    except csv.Error as err:
        raise CodingImportError(f"{path.name}: line {reader.line_num} is not valid CSV ({err})") from None
    return rows


def _xlsx_rows(path: Path) -> list[list[str]]:
    try:
        frame = pd.read_excel(path, header=None, dtype=str, keep_default_na=False)
    except Exception as err:  # pandas and openpyxl raise many types for unreadable workbooks
        raise CodingImportError(f"{path.name}: could not be read as a table ({type(err).__name__})") from None
    rows = [list(r) for r in frame.itertuples(index=False, name=None) if any(str(v).strip() for v in r)]
    while rows and rows[0] and rows[0][-1] == "":  # trailing empty header cells: columns nobody named
        width = len(rows[0]) - 1
        if any(str(r[width]).strip() for r in rows[1:]):
            break
        rows = [r[:width] for r in rows]
    return rows


def read_table(path: str | Path) -> pd.DataFrame:
    """A CSV or Excel long table as a DataFrame of text cells, its column names as written (see the module
    docstring). Raises :class:`~npt_coder.errors.CodingImportError` for an empty, ragged or unreadable table."""
    path = Path(path)
    rows = _csv_rows(path) if path.suffix.lower() == ".csv" else _xlsx_rows(path)
    if not rows:
        raise CodingImportError(f"{path.name}: the table is empty")
    header = [str(h).strip() for h in rows[0]]
    seen: dict[str, str] = {}
    for h in header:
        key = re.sub(r"\s+", "_", h.lower())
        if key and key in seen:
            also = f" (as {seen[key]!r} and {h!r})" if seen[key] != h else ""
            raise CodingImportError(f"{path.name}: the header names the column {key!r} twice{also}; keep one")
        seen[key] = h
    return pd.DataFrame(rows[1:], columns=header, dtype=object).astype(str)
