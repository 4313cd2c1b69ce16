"""Case attributes (site, participant, role, method, date, ...) from a table, a file-name pattern or options."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Mapping

import pandas as pd

from .._io import file_problem
from ..errors import IngestError
from ._tables import read_table

__all__ = ["STANDARD_ATTRIBUTES", "attributes_from_name", "read_attribute_table", "resolve_attributes"]

STANDARD_ATTRIBUTES = ("site", "participant", "role", "method", "date")
_KEY_COLUMNS = ("transcript_id", "file")


def read_attribute_table(path: str | Path) -> pd.DataFrame:
    """Read a CSV or XLSX attributes table keyed by a ``file`` and/or ``transcript_id`` column.

    Every other column is an attribute; column names are lower-cased with spaces turned into underscores; cells
    are read as text (``01`` stays ``01``); empty cells mean "not given". A ragged CSV (a row with more or fewer
    values than the header) or a column named twice is refused, naming the line (see :mod:`._tables`).
    """
    path = Path(path)
    problem = file_problem(path)  # missing, a folder, a symbolic link that loops, unreadable
    if problem:
        raise IngestError(path, f"attributes table: {problem}")
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".xlsm", ".csv", ".tsv", ".txt"):
        raise IngestError(path, "attributes table must be .csv, .tsv or .xlsx")
    table = read_table(path, fail=lambda reason: IngestError(path, f"attributes table: {reason}"))
    table.columns = [re.sub(r"\s+", "_", str(c).strip().lower()) for c in table.columns]
    if not any(k in table.columns for k in _KEY_COLUMNS):
        raise IngestError(path, "attributes table needs a 'file' or 'transcript_id' column to match transcripts")
    for key in _KEY_COLUMNS:
        if key in table.columns:
            keys = table[key].str.strip()
            keys = keys[keys != ""]
            dup = keys[keys.duplicated()]
            if len(dup):
                raise IngestError(path, f"attributes table lists {key} {dup.iloc[0]!r} twice")
    return table


def attributes_from_name(stem: str, pattern: str) -> dict[str, str]:
    """Attributes parsed from a file name (without extension) by a pattern such as ``{site}_{participant}``.

    Each ``{name}`` matches a run of characters other than the pattern's separators; a name that does not match
    the pattern gives no attributes.

    >>> attributes_from_name("S2_ID14_interview", "{site}_{participant}_{method}")
    {'site': 'S2', 'participant': 'ID14', 'method': 'interview'}
    >>> attributes_from_name("notes", "{site}_{participant}")
    {}
    """
    regex = ""
    pos = 0
    for m in re.finditer(r"\{(\w+)\}", pattern):
        regex += re.escape(pattern[pos:m.start()]) + rf"(?P<{m.group(1)}>.+?)"
        pos = m.end()
    regex += re.escape(pattern[pos:])
    found = re.fullmatch(regex, stem)
    return {k: v for k, v in found.groupdict().items()} if found else {}


def resolve_attributes(
    path: Path,
    *,
    table: pd.DataFrame | None = None,
    name_pattern: str | None = None,
    given: Mapping[str, str] | None = None,
) -> tuple[str | None, dict[str, str]]:
    """Merge attribute sources for one file: name pattern < table row < explicitly given values.

    Returns ``(transcript_id or None, attributes)``; the table row is found by file name, then by stem.
    """
    attrs: dict[str, str] = {}
    transcript_id = None
    if name_pattern:
        attrs.update(attributes_from_name(path.stem, name_pattern))
    if table is not None:
        row = None
        if "file" in table.columns:
            hits = table[table["file"].fillna("").str.strip().isin([path.name, str(path)])]
            row = hits.iloc[0] if len(hits) else None
        if row is None and "transcript_id" in table.columns:
            hits = table[table["transcript_id"].fillna("").str.strip() == path.stem]
            row = hits.iloc[0] if len(hits) else None
        if row is not None:
            for key, value in row.items():
                if key == "file" or pd.isna(value) or str(value).strip() == "":
                    continue
                if key == "transcript_id":
                    transcript_id = str(value).strip()
                else:
                    attrs[key] = str(value).strip()
    for key, value in (given or {}).items():
        if value is not None and str(value) != "":
            attrs[key] = str(value)
    return transcript_id, attrs
