"""The codebook verbs: show, check, use, export."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..codebook import load_codebook
from ..errors import NptCoderError
from ._app import JsonOpt, ProjectOpt, check_choice, codebook_app, echo_json, one_line_errors, project_at


@codebook_app.command("show")
def codebook_show(
    file: Annotated[Optional[Path], typer.Option("--file", "-f", help="Show this codebook file instead of the "
                                                 "project's.")] = None,
    project: ProjectOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Print the codebook as a tree: domain > construct > code, inductive codes under what they map to.

    Outside a project (and without --file) the default NPT/CMO codebook is shown.

    Example:

      npt-coder codebook show --file my_inductive_codes.yaml
    """
    with one_line_errors():
        cb = resolve_codebook(file, project)
        if as_json:
            echo_json(json.loads(cb.frame.to_json(orient="records")))
            return
        typer.echo(f"{cb.title}: {cb.composition}")  # the count said once
        typer.echo(cb.tree())



def resolve_codebook(file: Optional[Path], project: Optional[Path]):
    if file is not None:
        return load_codebook(file)
    try:
        return project_at(project).load_codebook()
    except NptCoderError:
        if project is not None:
            raise
        return load_codebook()



@codebook_app.command("check")
def codebook_check(file: Annotated[Path, typer.Argument(help="Codebook file (YAML).")]) -> None:
    """Validate a codebook file and list every problem with its location.

    Example:

      npt-coder codebook check my_inductive_codes.yaml
    """
    try:
        cb = load_codebook(file)
    except NptCoderError as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(code=1) from None
    typer.echo(f"ok: {cb.title}, {len(cb)} codes")



@codebook_app.command("use")
def codebook_use(file: Annotated[Path, typer.Argument(help="Codebook file (YAML).")],
                 project: ProjectOpt = None) -> None:
    """Make the project use a new codebook version (kept beside the earlier versions).

    Example:

      npt-coder codebook use my_inductive_codes_v2.yaml
    """
    with one_line_errors():
        version = project_at(project).set_codebook(file)
        typer.echo(f"project now uses codebook version {version} ({file.name})")



@codebook_app.command("export")
def codebook_export(
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write.")],
    fmt: Annotated[Optional[str], typer.Option("--format", help="md, csv, xlsx or docx (default: from the "
                                               "output's extension).")] = None,
    file: Annotated[Optional[Path], typer.Option("--file", "-f", help="Export this codebook file instead of the "
                                                 "project's.")] = None,
    project: ProjectOpt = None,
) -> None:
    """Write a printable coder's manual: domain > construct > subconstruct, definitions, questions, inductive codes.

    Example:

      npt-coder codebook export --format docx -o coders_manual.docx
    """
    from ..render import codebook_to_docx, codebook_to_markdown, codebook_to_xlsx

    with one_line_errors():
        fmt = check_choice("format", (fmt or output.suffix.lstrip(".")).lower(), ("md", "csv", "xlsx", "docx"))
        cb = resolve_codebook(file, project)
        output.parent.mkdir(parents=True, exist_ok=True)
        if fmt == "md":
            output.write_text(codebook_to_markdown(cb), encoding="utf-8")
        elif fmt == "csv":
            cb.frame.to_csv(output, index=False)
        elif fmt == "xlsx":
            codebook_to_xlsx(cb).save(output)
        else:
            codebook_to_docx(cb).save(output)
        typer.echo(f"wrote {output}")
