"""Coding in and out: coding workbooks, Word comments, long tables and REFI-QDA, with every coder's work kept.

Imports are validated in full before anything is written, and written in one transaction (one batch per file);
a newer import of a coder's work on a transcript supersedes, never deletes, the older codings; ``undo`` reverts a
batch. See :mod:`npt_coder.coding._import` for the rules.
"""

from ._docx_comments import parse_code_text, read_docx_comments
from ._files import EXPORT_COLUMNS, export_codings_table, import_files, read_coding_file, transcript_to_docx
from ._import import (
    IMPORT_COLUMNS,
    ImportResult,
    closest_codes,
    code_hint,
    codings_from_table,
    history,
    import_codings,
    merge_overlaps,
    undo,
)
from ._qdpx import (
    QdpxProject,
    code_guid,
    codebook_to_qdc,
    project_to_qdpx,
    read_qdc,
    read_qdpx,
    read_qdpx_codings,
    to_code_points,
    validate_qdc,
    validate_qdpx,
)
from ._sheet import make_coding_workbook, read_coding_workbook

__all__ = [
    "EXPORT_COLUMNS",
    "IMPORT_COLUMNS",
    "ImportResult",
    "QdpxProject",
    "code_guid",
    "codebook_to_qdc",
    "project_to_qdpx",
    "read_qdc",
    "read_qdpx",
    "read_qdpx_codings",
    "to_code_points",
    "validate_qdc",
    "validate_qdpx",
    "closest_codes",
    "code_hint",
    "codings_from_table",
    "export_codings_table",
    "history",
    "import_codings",
    "import_files",
    "make_coding_workbook",
    "merge_overlaps",
    "parse_code_text",
    "read_coding_file",
    "read_coding_workbook",
    "read_docx_comments",
    "transcript_to_docx",
    "undo",
]
