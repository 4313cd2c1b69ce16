"""Reading a table a user gives (CSV, TSV or an Excel sheet) cell by cell as text, checked for its shape.

Every cell is read as text, so a value is never silently turned into a date, a boolean, a float or a wrapped 64-bit
integer; each reader then reads what it needs (offsets, attributes). A CSV is decoded as transcripts are (byte-order
marks, UTF-16, Windows-1252) and refused, naming the line, when a row has more or fewer values than the header (a
delimiter inside an unquoted value, a row cut short), which pandas would otherwise shift or fill without a word. A
header that names a column twice is refused too. Used for case-attribute tables and for long tables of codings.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Callable

import pandas as pd

from .._archive import check_archive
from .._io import read_user_bytes
from ..errors import FileReasonError, TranscriptFormatError
from ._decode import decode_text_bytes

__all__ = ["read_table"]

Fail = Callable[[str], Exception]


class _TableFileError(FileReasonError):
    """An unreadable table file (turned into the caller's error)."""


def _delimiter(text: str, path: Path, delimiter: str | None) -> str:
    if delimiter is not None:
        return delimiter
    if path.suffix.lower() == ".tsv":
        return "\t"
    header = next((line for line in text.splitlines() if line.strip()), "")
    return max(",;\t", key=lambda d: (header.count(d), d == ","))  # the header's delimiter; a comma on a tie


def _csv_rows(path: Path, fail: Fail, delimiter: str | None) -> list[list[str]]:
    try:
        text, _ = decode_text_bytes(read_user_bytes(path, _TableFileError, "table file"))
    except _TableFileError as err:
        raise fail(err.reason) from None
    except TranscriptFormatError as err:
        raise fail(f"not a readable CSV table ({err})") from None
    text = text.lstrip("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text, path, delimiter))
    rows: list[list[str]] = []
    try:
        for row in reader:
            if not any(v.strip() for v in row):
                continue
            if rows and len(row) != len(rows[0]):
                raise fail(f"line {reader.line_num} has {len(row)} values but the header has {len(rows[0])}; a value "
                           "holding the delimiter must be in double quotes, and no row may be cut short")
            rows.append(row)
    except csv.Error as err:
        raise fail(f"line {reader.line_num} is not valid CSV ({err})") from None
    return rows


def _xlsx_rows(path: Path, fail: Fail) -> list[list[str]]:
    check_archive(path, fail=fail, what=".xlsx workbook")
    try:
        with open(path, "rb") as handle:  # closed even when openpyxl fails half way
            frame = pd.read_excel(handle, header=None, dtype=str, keep_default_na=False)
    except OSError as err:
        raise fail(f"could not be read ({err.strerror or type(err).__name__})") from None
    except Exception as err:  # pandas and openpyxl raise many types for unreadable workbooks
        raise fail(f"could not be read as a table ({type(err).__name__})") from None
    rows = [list(r) for r in frame.itertuples(index=False, name=None) if any(str(v).strip() for v in r)]
    while rows and rows[0] and rows[0][-1] == "":  # trailing empty header cells: columns nobody named
        width = len(rows[0]) - 1
        if any(str(r[width]).strip() for r in rows[1:]):
            break
        rows = [r[:width] for r in rows]
    return rows


def read_table(path: str | Path, *, fail: Fail, delimiter: str | None = None) -> pd.DataFrame:
    """A CSV/TSV or Excel table as a DataFrame of text cells (``""`` for an empty one), its column names as written.

    ``fail`` builds the caller's error from a one-line reason (for an empty, ragged, repeated-column or unreadable
    table); ``delimiter`` is the CSV's (default: the one of comma, semicolon and tab that the header line uses most;
    tab for ``.tsv``).

    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "sites.csv"
    >>> _ = path.write_text("file;site\\nS1_P01.docx;S1\\nS1_P02.docx;S1;north\\n", encoding="utf-8")
    >>> read_table(path, fail=ValueError)
    Traceback (most recent call last):
    ...
    ValueError: line 3 has 3 values but the header has 2; a value holding the delimiter must be in double quotes, and no row may be cut short
    """
    path = Path(path)
    suffix = path.suffix.lower()
    rows = _xlsx_rows(path, fail) if suffix in (".xlsx", ".xlsm") else _csv_rows(path, fail, delimiter)
    if not rows:
        raise fail("the table is empty")
    header = [str(h).strip() for h in rows[0]]
    seen: dict[str, str] = {}
    for h in header:
        key = re.sub(r"\s+", "_", h.lower())
        if key and key in seen:
            also = f" (as {seen[key]!r} and {h!r})" if seen[key] != h else ""
            raise fail(f"the header names the column {key!r} twice{also}; keep one")
        seen[key] = h
    return pd.DataFrame(rows[1:], columns=header, dtype=object).astype(str)
