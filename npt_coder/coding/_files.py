"""Import and export of coding files: dispatch by kind, and the plain exports (CSV, XLSX, Word copy)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Callable, Sequence

import pandas as pd
from docx import Document
from docx.shared import Pt, RGBColor

from .._archive import xlsx_sheet_names
from .._io import file_problem
from ..errors import CodingImportError
from ..store import Project
from ._docx_comments import FRONT_MATTER_TAG, front_matter, read_docx_comments, without_front_matter
from ._import import ImportResult, Prepared, codings_from_table, prepare_codings, write_batches
from ._sheet import read_coding_workbook
from ..ingest._tables import read_table

__all__ = ["EXPORT_COLUMNS", "FRONT_MATTER_TAG", "export_codings_table", "import_files", "transcript_to_docx",
           "without_front_matter"]

EXPORT_COLUMNS = ["transcript_id", "coder", "code_id", "code_name", "start", "end", "text", "memo", "source",
                  "imported_at"]


def _long_table(path: Path) -> pd.DataFrame:
    """A long table of codings, every cell as text (a CSV is comma-separated)."""
    return read_table(path, fail=lambda reason: CodingImportError(f"{path.name}: {reason}"), delimiter=",")


def read_coding_file(path: str | Path, project: Project, *, coder: str | None = None,
                     new_inductive: bool = False, code_map=None, left_out: list[str] | None = None,
                     progress: Callable[[str, int, int], None] | None = None) -> tuple[pd.DataFrame, str]:
    """Codings in one file, whatever its kind: ``(codings, source)``.

    ``.xlsx`` made by ``npt-coder sheet`` -> the coding workbook; other ``.xlsx`` and ``.csv`` -> a long table;
    ``.docx`` -> Word comments; ``.qdpx`` -> a REFI-QDA project. What the file holds that cannot be coded text
    (codings on a picture in a REFI-QDA project, replies to Word comments) is described in lines appended to
    ``left_out`` (see :func:`read_docx_comments`, :func:`read_qdpx_codings`). ``progress`` hears a coding
    workbook's transcript sheets as they are read (see :func:`read_coding_workbook`).
    """
    path = Path(path)
    problem = file_problem(path)
    if problem:
        raise CodingImportError(f"{path.name}: {problem}")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        names = xlsx_sheet_names(path, fail=lambda reason: CodingImportError(f"{path.name}: {reason}"))
        if "_integrity" in names:
            return read_coding_workbook(path, project, coder=coder, progress=progress), "sheet"
        if {"Instructions", "Lists"} <= set(names):
            raise CodingImportError(f"{path.name}: a coding workbook made by 'npt-coder sheet' whose hidden integrity "
                                    "data is gone; import the workbook as it was made, or make a new one")
        return codings_from_table(_long_table(path), project, coder=coder, where=path.name), "xlsx"
    if suffix == ".csv":
        return codings_from_table(_long_table(path), project, coder=coder, where=path.name), "csv"
    if suffix == ".docx":
        return read_docx_comments(path, project, coder=coder, new_inductive=new_inductive,
                                  left_out=left_out), "docx-comments"
    if suffix == ".qdpx":
        from ._qdpx import read_qdpx_codings

        return read_qdpx_codings(path, project, coder=coder, code_map=code_map, new_inductive=new_inductive,
                                 left_out=left_out), "qdpx"
    raise CodingImportError(f"{path.name}: cannot import {suffix or 'files without an extension'}; use .xlsx, .csv, "
                            ".docx or .qdpx")


def import_files(project: Project, paths: Sequence[str | Path], *, coder: str | None = None,
                 new_inductive: bool = False, code_map=None, who: str | None = None,
                 progress: Callable[[str, int, int], None] | None = None) -> list[ImportResult]:
    """Import coding files in ONE transaction (one batch per file); if any file fails, nothing is imported.

    ``code_map`` (a dict, or a CSV/YAML file of foreign code name -> code id) is used for REFI-QDA projects whose
    codes are not named by our ids or names. ``progress(stage, done, total)``, when given, hears ``"reading"``
    (files read), ``"sheets"`` (the transcript sheets of the coding workbook being read) and ``"storing"``.
    """
    if not paths:
        raise CodingImportError("no files given to import")
    tell = progress or (lambda stage, done, total: None)
    tell("reading", 0, len(paths))
    prepared: list[Prepared | ImportResult] = []
    codebook = project.load_codebook()
    done = project.imported_hashes()
    for p in paths:
        path = Path(p)
        problem = file_problem(path)
        if problem:
            raise CodingImportError(f"{path.name}: {problem}")
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
        earlier = done.get(sha)
        if earlier is not None:
            prepared.append(ImportResult(batch_id=None, already_imported=earlier))
        else:
            left_out: list[str] = []
            codings, source = read_coding_file(path, project, coder=coder, new_inductive=new_inductive,
                                               code_map=code_map, left_out=left_out, progress=progress)
            prepared.append(prepare_codings(project, codings, source=source, source_name=path.name, sha256=sha,
                                            new_inductive=new_inductive, codebook=codebook, left_out=left_out))
        tell("reading", len(prepared), len(paths))
    to_write = [p for p in prepared if isinstance(p, Prepared)]
    tell("storing", 0, 1)
    written = iter(write_batches(project, to_write, who=who) if to_write else [])
    tell("storing", 1, 1)
    return [p if isinstance(p, ImportResult) else next(written) for p in prepared]


def export_codings_table(project: Project) -> pd.DataFrame:
    """Current codings with the code name and the coded text, one row per span (:data:`EXPORT_COLUMNS`)."""
    codings = project.codings
    if codings.empty:
        return pd.DataFrame(columns=EXPORT_COLUMNS)
    texts = dict(project.transcripts[["transcript_id", "text"]].itertuples(index=False, name=None))
    names = dict(project.codebook[["code_id", "name"]].itertuples(index=False, name=None))
    out = codings.copy()
    out["code_name"] = out["code_id"].map(names)
    out["text"] = [texts[t][s:e] for t, s, e in zip(out["transcript_id"], out["start"], out["end"])]
    return out[EXPORT_COLUMNS]


def transcript_to_docx(text: str, *, title: str | None = None, transcript_id: str | None = None,
                       attributes: dict | None = None) -> Document:
    """A clean Word copy of a transcript's canonical text, one paragraph per line, for coding with comments.

    With ``transcript_id`` (and ``attributes``: site, participant, role, ...) the copy opens with a title, the
    transcript's attributes and how to code it, in a locked block the import leaves out. Reading the copy back
    gives the same text (up to blank lines), so comments made in it import exactly.
    """
    doc = Document()
    doc.styles["Normal"].font.size = Pt(11)
    doc.styles["Normal"].font.name = "Arial"
    for name in ("Title", "Heading 2"):  # the template's heading blue is under 4.5:1 on white
        doc.styles[name].font.color.rgb = RGBColor(0x1F, 0x3A, 0x5F)
        doc.styles[name].font.name = "Arial"
    if title or transcript_id:
        doc.core_properties.title = title or transcript_id
    for line in text.split("\n"):
        if line.strip():
            doc.add_paragraph(line)
    if transcript_id:
        shown = {k: v for k, v in (attributes or {}).items() if v not in (None, "") and str(v) != "nan"}
        about = " · ".join(f"{k.replace('_', ' ').capitalize()}: {v}" for k, v in shown.items())
        front_matter(doc, [
            (title or f"Transcript {transcript_id}", "Title"),
            (f"Transcript {transcript_id}" + (f" · {about}" if about else ""), None),
            ("How to code this copy", "Heading 2"),
            ("Select the words a code applies to and add a comment (Review > New Comment) that starts with the "
             "code's id or name, for example “M3.3”, “Relational integration” or “M3.3, IND-IT: a memo”. Several "
             "codes may share one comment; anything after a colon is kept as a memo.", "List Bullet"),
            ("Your name as Word records it (the comment's author) is the coder; set it under Options > General if "
             "it is not your name or initials.", "List Bullet"),
            ("Do not edit the transcript's text: the copy is matched to the project by its text. This box is left "
             "out when the file is imported.", "List Bullet"),
            ("Return the file to your project lead, who imports it with npt-coder import followed by the file's "
             "name, whatever it is called by then (renaming it, e.g. to add your initials, does no harm).",
             "List Bullet"),
            ("Transcript", "Heading 2"),
        ])
    return doc
