"""Verbs for coded work: sheet, import, history, undo, export."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from .._words import count
from ..errors import NptCoderError
from ._app import (
    PROGRESS_DELAY,
    SEGMENT_UNIT,
    AllowOpt,
    DenyOpt,
    JsonOpt,
    NoNerOpt,
    OneOf,
    ProjectOpt,
    QuietOpt,
    app,
    echo_json,
    one_line_errors,
    project_at,
    term_lists,
)
from ._codebook import codebook_export
from ._progress import terminal_progress, writing
from ._table import echo_table


@app.command()
def sheet(
    coder: Annotated[str, typer.Option(help="Name or initials of the coder the workbook is for.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Workbook to write (.xlsx).")],
    transcripts: Annotated[Optional[str], typer.Option(help="Comma-separated transcript ids (default: all).")] = None,
    unit: Annotated[str, typer.Option(help="turn, paragraph or sentence.", parser=SEGMENT_UNIT)] = "turn",
    include_interviewer: Annotated[bool, typer.Option("--include-interviewer", help="Also list interviewer and "
                                                      "facilitator talk.")] = False,
    codes: Annotated[int, typer.Option(help="Number of code columns per unit.", min=1, max=10)] = 3,
    project: ProjectOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Write a coding workbook for one coder: a sheet per transcript with drop-down code lists.

    Example:

      npt-coder sheet --coder AK --transcripts S1_P01,S1_P02 --unit paragraph -o AK_coding.xlsx
    """
    from ..coding import make_coding_workbook
    from ..render import save

    with one_line_errors():
        ids = [t.strip() for t in transcripts.split(",") if t.strip()] if transcripts else None
        with terminal_progress(quiet=quiet, delay=PROGRESS_DELAY) as progress:  # on a terminal only, then cleared
            wb = make_coding_workbook(project_at(project), coder, transcripts=ids, unit=unit,
                                      include_interviewer=include_interviewer, n_codes=codes, progress=progress)
            for out in writing([output], progress):
                save(wb, out)  # a workbook is .xlsx: "-o sheet.csv" is refused, not written as an xlsx so named
        n = len(wb.sheetnames) - 4
        typer.echo(f"wrote {output}: {count(n, 'transcript sheet')} for {coder}, unit {unit}")



@app.command("import")
def import_(
    files: Annotated[list[Path], typer.Argument(help="Coding files: filled workbooks (.xlsx), Word files with "
                                                "comments (.docx), long tables (.csv/.xlsx); or one whole REFI-QDA "
                                                "project (.qdpx) from NVivo, ATLAS.ti, MAXQDA or QualCoder.")],
    coder: Annotated[Optional[str], typer.Option(help="Coder for every coding (default: from the file: the workbook's "
                                                 "coder, the comment author, the table's coder column).")] = None,
    new_inductive: Annotated[bool, typer.Option("--new-inductive", help="Add unknown codes as inductive codes "
                                                "mapped to nothing yet, instead of stopping.")] = False,
    code_map: Annotated[Optional[Path], typer.Option(help="CSV or YAML: a .qdpx file's code name -> our code id, "
                                                     "for codes not named by our ids or names.")] = None,
    accept_flagged: Annotated[bool, typer.Option("--accept-flagged", help="A .qdpx project: add its sources even "
                              "if the anonymisation check flags them (recorded with who and when).")] = False,
    deny: DenyOpt = None,
    allow: AllowOpt = None,
    no_ner: NoNerOpt = False,
    project: ProjectOpt = None,
    as_json: JsonOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Import coded work in one transaction (one batch per file); a failure imports nothing.

    Re-importing an identical file does nothing; a newer file from the same coder supersedes that coder's earlier
    codings on those transcripts (kept in history, see 'npt-coder history' and 'npt-coder undo'). A .qdpx project
    brings its sources as transcripts (through the anonymisation check, as 'add' does), its codes, users as coders,
    codings, memos and cases as attributes; it is imported on its own.

    Example:

      npt-coder import AK_coding.xlsx JT_S1_P01.docx

      npt-coder import nvivo_export.qdpx --new-inductive --deny real_names.txt
    """
    from ..services import import_codings, import_project

    with one_line_errors():
        projects = [f for f in files if f.suffix.lower() == ".qdpx"]
        if projects and len(files) > 1:
            raise NptCoderError("import a .qdpx project on its own (it brings transcripts as well as codings); "
                                "then the other files")
        p = project_at(project)
        if projects:
            deny_terms, allow_terms = term_lists(deny, allow)
            with terminal_progress(quiet=quiet, delay=PROGRESS_DELAY) as progress:
                r = import_project(p, projects[0], coder=coder, new_inductive=new_inductive, code_map=code_map,
                                   accept_flagged=accept_flagged, deny=deny_terms, allow=allow_terms,
                                   nlp=None if no_ner else "auto", progress=progress)
            if as_json:
                c = r.codings
                echo_json({"file": r.file, "already_imported": r.already_imported, "added": r.added,
                           "matched": r.matched, "batch_id": c.batch_id if c else None,
                           "n_codings": c.n_codings if c else 0, "coders": c.coders if c else [],
                           "new_codes": r.new_codes, "n_memos": r.n_memos, "attributes": r.attributes,
                           "users": r.users, "left_aside": r.left_aside,
                           "warnings": [{"transcript_id": t, "warning": w} for t, w in r.warnings]})
                return
            for tid, warning in r.warnings:
                typer.echo(f"warning: {tid}: {warning}")
            typer.echo(f"{r.file}: {r.summary()}")
            return
        with terminal_progress(quiet=quiet, delay=PROGRESS_DELAY) as progress:
            results = import_codings(p, files, coder=coder, new_inductive=new_inductive, code_map=code_map,
                                     progress=progress)
        if as_json:
            echo_json([{"file": f.name, "batch_id": r.batch_id, "already_imported": r.already_imported,
                         "n_codings": r.n_codings, "n_merged": r.n_merged, "n_superseded": r.n_superseded,
                         "coders": r.coders, "transcripts": r.transcripts, "new_codes": r.new_codes,
                         "left_out": r.left_out}
                        for f, r in zip(files, results)])
            return
        for f, r in zip(files, results):
            typer.echo(f"{f.name}: {r.summary()}")



@app.command()
def history(project: ProjectOpt = None, as_json: JsonOpt = False) -> None:
    """List the project's batches: every add and import, who, when, from which file, and undos.

    Example:

      npt-coder history
    """
    from ..coding import history as _history

    with one_line_errors():
        df = _history(project_at(project))
        if as_json:
            echo_json(json.loads(df.to_json(orient="records")))
            return
        when = [str(v).replace("T", " ")[:16] if isinstance(v, str) and v else "" for v in df["undone_at"]]
        view = df.assign(created_at=df["created_at"].astype(str).str.replace("T", " ").str[:16], undone_at=when)
        echo_table(view, headers={"batch_id": "Batch", "kind": "Kind", "created_at": "When (UTC)",
                                  "created_by": "By", "files": "Files", "undone_at": "Undone",
                                  "n_codings": "Codings", "coders": "Coders", "left_out": "Left out"},
                   wrap=["files", "coders"])



@app.command()
def undo(batch: Annotated[int, typer.Argument(help="Batch id from 'npt-coder history'.")],
         project: ProjectOpt = None) -> None:
    """Revert one import batch: its codings go, the codings it superseded come back.

    Example:

      npt-coder undo 7
    """
    from ..coding import undo as _undo

    with one_line_errors():
        n = _undo(project_at(project), batch)
        typer.echo(f"undid batch {batch}: removed {count(n, 'coding')}, restored what it had superseded")



@app.command()
def export(
    what: Annotated[str, typer.Argument(help="codings, transcript or codebook.",
                                        parser=OneOf("what", ("codings", "transcript", "codebook")))],
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write.")],
    fmt: Annotated[Optional[str], typer.Option("--format", help="codings: csv, xlsx or qdpx; transcript: docx; "
                                               "codebook: qdc, md, csv, xlsx or docx. Default: from the "
                                               "output's extension.")] = None,
    transcript: Annotated[Optional[str], typer.Option(help="Transcript id (for 'export transcript').")] = None,
    project: ProjectOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Export codings (with the coded text), a transcript as a Word copy to code with comments, or the codebook.

    Example:

      npt-coder export codings --format qdpx -o study.qdpx

      npt-coder export transcript --transcript S2_P11 -o S2_P11_for_coding.docx
    """
    from ..coding import export_codings_table, transcript_to_docx

    with one_line_errors():
        p = project_at(project)
        fmt = (fmt or output.suffix.lstrip(".")).lower()
        output.parent.mkdir(parents=True, exist_ok=True)
        if what == "codings":
            if fmt not in ("csv", "xlsx", "qdpx"):
                raise NptCoderError(f"codings export format must be csv, xlsx or qdpx; got {fmt!r}")
            with terminal_progress(quiet=quiet, delay=PROGRESS_DELAY) as progress:
                if fmt == "qdpx":
                    from ..coding._qdpx import project_to_qdpx

                    project_to_qdpx(p, output, progress=progress)
                else:
                    for out in writing([output], progress):
                        table = export_codings_table(p)
                        if fmt == "csv":
                            table.to_csv(out, index=False)
                        else:
                            table.to_excel(out, index=False, sheet_name="Codings")
        elif what == "transcript":
            if not transcript:
                raise NptCoderError("give --transcript ID (see 'npt-coder list')")
            if fmt != "docx":
                raise NptCoderError(f"transcript export format must be docx; got {fmt!r}")
            t = p.transcripts.set_index("transcript_id")
            if transcript not in t.index:
                raise NptCoderError(f"no transcript {transcript!r} in this project (see 'npt-coder list')")
            attrs = {k: t.at[transcript, k] for k in ("site", "participant", "role", "method", "date")
                     if k in t.columns}
            transcript_to_docx(p.transcript_text(transcript), transcript_id=transcript, attributes=attrs,
                               title=f"{transcript}: a copy for coding with comments").save(output)
        elif what == "codebook":
            if fmt == "qdc":
                from ..coding._qdpx import codebook_to_qdc

                codebook_to_qdc(p.load_codebook(), output)
            else:
                return codebook_export(output=output, fmt=fmt, file=None, project=project)
        else:
            raise NptCoderError(f"export what? use codings, transcript or codebook; got {what!r}")
        typer.echo(f"wrote {output}")
