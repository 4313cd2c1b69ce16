"""Verbs that manage transcripts after ``add``: attrs set, attrs import, remove, replace."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .._words import count
from ..ingest import DEFAULT_INTERVIEWER_LABELS, IngestOptions
from ._app import (
    KEY_VALUE,
    AllowOpt,
    DenyOpt,
    InterviewerOpt,
    JsonOpt,
    NoNerOpt,
    ProjectOpt,
    SpeakerPatternOpt,
    Verbs,
    app,
    echo_json,
    one_line_errors,
    project_at,
    term_lists,
)

attrs_app = Verbs(help="Set or correct case attributes of transcripts already in the project.\n\nExample:\n\n"
                       "  npt-coder attrs set S1_P02 site=S1 role=\"social worker\"",
                  no_args_is_help=True, rich_markup_mode=None)
app.add_typer(attrs_app, name="attrs")


def _changes(changed: dict) -> str:
    return ", ".join(f"{k}: {old if old is not None else '-'} -> {new if new is not None else '-'}"
                     for k, (old, new) in changed.items())


@attrs_app.command("set")
def attrs_set(
    transcript: Annotated[str, typer.Argument(help="Transcript id (see 'npt-coder list').")],
    pairs: Annotated[list[str], typer.Argument(help="KEY=VALUE pairs; KEY= (nothing after =) removes KEY.",
                                               parser=KEY_VALUE, metavar="KEY=VALUE...")],
    project: ProjectOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Set or correct one transcript's attributes (kept in the history as an 'attributes' batch).

    Example:

      npt-coder attrs set S1_P02 role="family worker" date=2024-03 speaker=
    """
    from ..services import set_attributes

    with one_line_errors():
        values = {key.lower().replace(" ", "_"): value for key, value in pairs}
        changed = set_attributes(project_at(project), transcript, values)
        if as_json:
            echo_json({"transcript_id": transcript, "changed": changed})
            return
        typer.echo(f"{transcript}: {_changes(changed)}" if changed else f"{transcript}: nothing changed")


@attrs_app.command("import")
def attrs_import(
    table: Annotated[Path, typer.Argument(help="CSV/XLSX keyed by 'transcript_id' or 'file' (the file added).")],
    project: ProjectOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Set attributes of many transcripts from a table, in one transaction; empty cells change nothing.

    Example:

      npt-coder attrs import attributes_corrected.xlsx
    """
    from ..services import import_attributes

    with one_line_errors():
        changed = import_attributes(project_at(project), table)
        if as_json:
            echo_json(changed)
            return
        for tid, diff in changed.items():
            typer.echo(f"{tid}: {_changes(diff)}")
        typer.echo(f"changed attributes of {count(len(changed), 'transcript')}")


@app.command()
def remove(
    transcript: Annotated[str, typer.Argument(help="Transcript id (see 'npt-coder list').")],
    with_codings: Annotated[bool, typer.Option("--with-codings", help="Remove it even though it has codings; "
                                               "they are kept in the history.")] = False,
    project: ProjectOpt = None,
) -> None:
    """Take a transcript out of the project (refused while it has codings, unless --with-codings).

    Its text, segments and codings are kept in the project's history, never deleted.

    Example:

      npt-coder remove S3_P09 --with-codings
    """
    from ..services import remove_transcript

    with one_line_errors():
        n = remove_transcript(project_at(project), transcript, with_codings=with_codings)
        typer.echo(f"removed {transcript}" + (f" and its {count(n, 'coding')} (kept in the history)" if n else ""))


@app.command()
def replace(
    transcript: Annotated[str, typer.Argument(help="Transcript id (see 'npt-coder list').")],
    file: Annotated[Path, typer.Argument(help="The corrected transcript file (.docx, .odt, .txt, .vtt, .srt).")],
    speaker_pattern: SpeakerPatternOpt = None,
    interviewer: InterviewerOpt = [],  # noqa: B006 - typer needs a list default
    unlabelled: Annotated[bool, typer.Option("--unlabelled", help="Read a file without speaker labels as one "
                                             "unnamed speaker.")] = False,
    accept_flagged: Annotated[bool, typer.Option("--accept-flagged", help="Replace even if the anonymisation "
                              "check flags the new file (recorded with who and when).")] = False,
    deny: DenyOpt = None,
    allow: AllowOpt = None,
    no_ner: NoNerOpt = False,
    project: ProjectOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Replace a transcript by a corrected file; codings whose text is unchanged are carried over.

    Codings that cannot be carried (their text was edited or removed) are listed; they stay in the history.

    Example:

      npt-coder replace S1_P02 corrected/S1_P02.docx
    """
    from ..services import replace_transcript

    with one_line_errors():
        options = IngestOptions(speaker_pattern=speaker_pattern, unlabelled=True if unlabelled else None,
                                interviewer_labels=tuple(interviewer) or DEFAULT_INTERVIEWER_LABELS)
        deny_terms, allow_terms = term_lists(deny, allow)
        r = replace_transcript(project_at(project), transcript, file, options=options, accept_flagged=accept_flagged,
                               deny=deny_terms, allow=allow_terms, nlp=None if no_ner else "auto")
        if as_json:
            echo_json({"batch_id": r.batch_id, "carried": r.carried, "warnings": r.warnings,
                       "not_carried": [dict(zip(("coding_id", "coder", "code_id", "start", "end"), x))
                                       for x in r.not_carried]})
            return
        for w in r.warnings:
            typer.echo(f"warning: {transcript}: {w}")
        typer.echo(f"replaced {transcript} from {file.name} as batch {r.batch_id}: {count(r.carried, 'coding')} "
                   f"carried over, "
                   f"{len(r.not_carried)} could not be")
        for coding_id, coder, code_id, start, end in r.not_carried:
            typer.echo(f"  not carried: coding {coding_id} ({coder}, {code_id}, {start}-{end} in the old text)")
