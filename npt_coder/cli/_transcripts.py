"""Verbs on transcripts: init, add, list, show, check-anon, pseudonymise."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from .._words import count
from ..errors import NptCoderError
from ..ingest import DEFAULT_INTERVIEWER_LABELS, IngestOptions
from ..services import add_transcripts, check_cache
from ..store import init_project
from ._app import (
    KEY_VALUE,
    PROGRESS_DELAY,
    SEGMENT_UNIT,
    AllowOpt,
    DenyOpt,
    InterviewerOpt,
    JsonOpt,
    NoNerOpt,
    OneOf,
    ProjectOpt,
    QuietOpt,
    SpeakerPatternOpt,
    app,
    echo_json,
    for_display,
    one_line_errors,
    project_at,
    term_lists,
)
from ._progress import terminal_progress


@app.command()
def init(
    folder: Annotated[Path, typer.Argument(help="Folder to create the project in (created if missing).")],
    codebook: Annotated[Optional[Path], typer.Option(help="Codebook file to use, e.g. your inductive codes with "
                                                     "'extends: default'. Default: the NPT/CMO codebook.")] = None,
) -> None:
    """Create a project: a folder with its SQLite store, the codebook it uses and reports/.

    Example:

      npt-coder init mystudy --codebook my_inductive_codes.yaml
    """
    with one_line_errors():
        project = init_project(folder, codebook=codebook)
        cb = project.load_codebook()
        typer.echo(f"created project in {project.root} (codebook: {cb.title}, {len(cb)} codes)")



@app.command()
def add(
    files: Annotated[list[Path], typer.Argument(help="Transcript files: .docx, .odt, .txt, .vtt, .srt.")],
    attributes: Annotated[Optional[Path], typer.Option("--attributes", "-a", help="CSV/XLSX table of case "
                          "attributes keyed by a 'file' or 'transcript_id' column.")] = None,
    name_pattern: Annotated[Optional[str], typer.Option(help="Attributes from file names, e.g. "
                            "'{site}_{participant}'.")] = None,
    site: Annotated[Optional[str], typer.Option(help="Site for every file added.")] = None,
    participant: Annotated[Optional[str], typer.Option(help="Participant id for every file added.")] = None,
    role: Annotated[Optional[str], typer.Option(help="Participant role for every file added.")] = None,
    method: Annotated[Optional[str], typer.Option(help="interview, focus group, workshop, ...")] = None,
    date: Annotated[Optional[str], typer.Option(help="Date (or month) of data collection.")] = None,
    attr: Annotated[list[str], typer.Option(help="Any other attribute, KEY=VALUE; repeatable.",
                                            parser=KEY_VALUE)] = [],  # noqa: B006
    speaker_pattern: SpeakerPatternOpt = None,
    interviewer: InterviewerOpt = [],  # noqa: B006 - typer needs a list default
    unlabelled: Annotated[bool, typer.Option("--unlabelled", help="Read files without speaker labels as one "
                                             "unnamed speaker (captions are read so anyway).")] = False,
    accept_flagged: Annotated[bool, typer.Option("--accept-flagged", help="Add transcripts even if the "
                              "anonymisation check flags them (recorded with who and when).")] = False,
    deny: DenyOpt = None,
    allow: AllowOpt = None,
    no_ner: NoNerOpt = False,
    project: ProjectOpt = None,
    as_json: JsonOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Add transcripts to the project in one transaction: if any file fails, nothing is added.

    The layout (Otter, Teams, Zoom, Rev, captions, ...) is detected in each file; see it with 'npt-coder show ID
    --layout'. Every transcript goes through the anonymisation check first; one with findings is not added unless
    --accept-flagged. A file the project already holds (same bytes) is reported and skipped before any check; a
    different file under an existing transcript id is refused. A file 'check-anon' has checked (in the project's
    folder, with the same lists) is not checked again.

    Example:

      npt-coder add interviews/*.docx focus_groups/*.vtt --attributes attributes.csv
    """
    with one_line_errors():
        p = project_at(project)
        given = {"site": site, "participant": participant, "role": role, "method": method, "date": date,
                 **{key.lower().replace(" ", "_"): value for key, value in attr}}
        options = IngestOptions(speaker_pattern=speaker_pattern, unlabelled=True if unlabelled else None,
                                interviewer_labels=tuple(interviewer) or DEFAULT_INTERVIEWER_LABELS)
        deny_terms, allow_terms = term_lists(deny, allow)
        with terminal_progress(quiet=quiet, delay=PROGRESS_DELAY) as progress:  # on a terminal only, then cleared
            result = add_transcripts(p, files, attributes_table=attributes, name_pattern=name_pattern,
                                     attributes=given, options=options, accept_flagged=accept_flagged,
                                     deny=deny_terms, allow=allow_terms, nlp=None if no_ner else "auto",
                                     progress=progress)
        if as_json:
            echo_json({"added": result.added, "duplicates": [{"file": f, "transcript_id": t}
                                                               for f, t in result.duplicates],
                        "batch_id": result.batch_id,
                        "warnings": [{"transcript_id": t, "warning": w} for t, w in result.warnings]})
            return
        for name, tid in result.duplicates:
            typer.echo(f"skipped {name}: already in the project as {tid} (same file)")
        for tid, warning in result.warnings:
            typer.echo(f"warning: {tid}: {warning}")
        names = f": {', '.join(result.added)}" if result.added else ""
        typer.echo(f"added {count(len(result.added), 'transcript')}{names}")



@app.command("list")
def list_(project: ProjectOpt = None, as_json: JsonOpt = False) -> None:
    """List the project's transcripts with attributes, turns and words.

    Example:

      npt-coder list --json
    """
    with one_line_errors():
        df = project_at(project).transcripts
        cols = [c for c in df.columns if c not in ("text", "sha256", "text_sha256", "source_path", "encoding",
                                                    "added_at")]
        df = df[cols]
        if as_json:
            echo_json(json.loads(df.to_json(orient="records")))
            return
        if df.empty:
            typer.echo("no transcripts yet: add some with 'npt-coder add FILES'")
            return
        typer.echo(for_display(df).to_string(index=False))
        typer.echo(f"\n{len(df)} transcripts, {int(df['n_turns'].sum())} turns, {int(df['n_words'].sum()):,} words")



@app.command()
def show(
    transcript: Annotated[str, typer.Argument(help="Transcript id.")],
    unit: Annotated[str, typer.Option(help="turn, paragraph or sentence.", parser=SEGMENT_UNIT)] = "turn",
    no_interviewer: Annotated[bool, typer.Option("--no-interviewer", help="Leave interviewer talk out.")] = False,
    layout: Annotated[bool, typer.Option("--layout", help="Explain how the transcript's speakers were found "
                                         "instead of showing its segments.")] = False,
    project: ProjectOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Show one transcript's segments with their offsets, or with --layout how its layout was detected.

    Example:

      npt-coder show S1_P02 --unit sentence --no-interviewer

      npt-coder show S1_P02 --layout
    """
    with one_line_errors():
        p = project_at(project)
        if transcript not in set(p.transcripts["transcript_id"]):
            raise NptCoderError(f"no transcript {transcript!r} in this project (see 'npt-coder list')")
        if layout:
            from ..ingest import LayoutInfo

            name, info = p.layout_of(transcript)
            if as_json:
                echo_json({"transcript_id": transcript, "layout": name, **info})
            elif name is None:
                typer.echo(f"{transcript}: layout not recorded (added by a release before layouts were recorded; "
                           "'npt-coder replace' with its file records it)")
            else:
                fields = {k: info[k] for k in ("n_headers", "speakers", "legend", "roles", "dropped") if k in info}
                for line in LayoutInfo(name, info.get("reason", ""), **fields).explain():
                    typer.echo(line)
            return
        seg = p.segments(unit, include_interviewer=not no_interviewer, transcripts=[transcript])
        if as_json:
            echo_json(json.loads(seg.to_json(orient="records")))
            return
        for r in seg.itertuples(index=False):
            text = " ".join(r.text.split())
            typer.echo(f"{r.segment_id} [{r.start}:{r.end}] {r.speaker}: {text}")



@app.command("check-anon")
def check_anon(
    files: Annotated[Optional[list[Path]], typer.Argument(help="Transcript files to check (default: the project's "
                                                          "transcripts).")] = None,
    deny: DenyOpt = None,
    allow: AllowOpt = None,
    no_ner: NoNerOpt = False,
    fmt: Annotated[str, typer.Option("--format", help="table, json, csv or xlsx.",
                                     parser=OneOf("format", ("table", "json", "csv", "xlsx")))] = "table",
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="File for csv/xlsx findings.")] = None,
    fail_on_findings: Annotated[bool, typer.Option("--fail-on-findings", help="Exit with status 3 if anything is "
                                                   "found (for scripts).")] = False,
    project: ProjectOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Find residual identifiers (names, phone numbers, emails, NHS numbers, postcodes, addresses, dates, sites).

    Each finding is reported by transcript, type, turn, offsets and its line and column in the file (a paragraph of a
    Word or OpenDocument file) with a masked preview (S***** W*******); the value itself is never printed or written.
    Run inside a project (or with --project), the checks are kept there, so 'add' of the same files does not check
    them again.

    Example:

      npt-coder check-anon interviews/*.docx --deny real_names.txt --allow allowed.txt --format xlsx -o findings.xlsx
    """
    import pandas as pd

    from ..anon import check_identifiers
    from ..ingest import read_transcripts

    with one_line_errors():
        if fmt in ("csv", "xlsx") and output is None:
            raise NptCoderError(f"--format {fmt} needs --output FILE")
        deny_terms, allow_terms = term_lists(deny, allow)
        cache = None
        if files:
            try:  # checks of files are kept in the project they are checked from, for the add that follows
                cache = check_cache(project_at(project))
            except NptCoderError:
                if project is not None:
                    raise
                cache = None  # outside any project: nothing to keep them in
            ts = read_transcripts(files, sentences=False)
            ids = [t.transcript_id for t in ts]
            texts = [t.text for t in ts]
            skips = [t.label_spans() for t in ts]
            turns = [[(x.start, x.end) for x in t.turns] for t in ts]
            by_id = {t.transcript_id: t for t in ts}

            def locate(tid: str, offset: int) -> str:
                return by_id[tid].source_location(offset)
        else:
            p = project_at(project)
            cache = check_cache(p)
            tr = p.transcripts
            ids, texts = tr["transcript_id"].tolist(), tr["text"].tolist()
            skips = [p.label_spans(t) for t in ids]
            seg = p.segments("turn")
            turns = [list(zip(g["start"], g["end"])) for _, g in seg.groupby("transcript_id", sort=True)]
            text_of = dict(zip(ids, texts))

            def locate(tid: str, offset: int) -> str:  # the source file may be gone: lines of the project's text
                head = text_of[tid][:offset]
                return f"line {head.count(chr(10)) + 1}, column {offset - head.rfind(chr(10))} of the project text"
        with terminal_progress(quiet=quiet, delay=PROGRESS_DELAY) as progress:
            check = check_identifiers(texts, nlp=None if no_ner else "auto", deny=deny_terms, allow=allow_terms,
                                      skip_spans=skips, cache=cache, progress=progress)
        found = check.findings
        rows = []
        for tid, f, spans in zip(ids, found, turns):
            for r in f.itertuples(index=False):
                turn = next((f"t{i + 1:04d}" for i, (a, b) in enumerate(spans) if a <= r.start < b), "front matter")
                rows.append({"transcript_id": tid, "type": r.type, "severity": r.severity, "turn": turn,
                             "start": int(r.start), "end": int(r.end), "location": locate(tid, int(r.start)),
                             "preview": r.preview, "detector": r.detector})
        table = pd.DataFrame(rows, columns=["transcript_id", "type", "severity", "turn", "start", "end", "location",
                                            "preview", "detector"])
        note, names_on = check.note, check.name_detection
        if fmt == "json":
            echo_json({"name_detection": names_on, "note": note, "n_transcripts": len(ids),
                        "findings": json.loads(table.to_json(orient="records"))})
        elif fmt in ("csv", "xlsx"):
            output.parent.mkdir(parents=True, exist_ok=True)
            if fmt == "csv":
                table.to_csv(output, index=False)
            else:
                table.to_excel(output, index=False, sheet_name="Findings")
            typer.echo(f"wrote {output}: {count(len(table), 'finding')} in {table['transcript_id'].nunique()} of "
                       f"{count(len(ids), 'transcript')}")
        else:
            if not names_on:
                typer.echo(f"note: {note or 'name detection is off: only patterns were checked'}")
            if table.empty:
                typer.echo(f"no residual identifiers found in {count(len(ids), 'transcript')}")
            else:
                typer.echo(table.to_string(index=False))
                typer.echo(f"\n{count(len(table), 'finding')} in {table['transcript_id'].nunique()} of "
                           f"{count(len(ids), 'transcript')}; values are masked")
        if fail_on_findings and not table.empty:
            raise typer.Exit(code=3)



@app.command()
def pseudonymise(
    files: Annotated[list[Path], typer.Argument(help="Transcript files (.docx, .txt, .vtt, .srt).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder for the pseudonymised copies.")],
    key: Annotated[Optional[Path], typer.Option(help="Where to write the key (placeholder -> original); default: "
                                                "<output folder>_KEY.csv beside the folder, never inside it.")] = None,
    deny: DenyOpt = None,
    allow: AllowOpt = None,
    no_ner: NoNerOpt = False,
    overwrite: Annotated[bool, typer.Option("--overwrite", help="Replace existing copies and key.")] = False,
    quiet: QuietOpt = False,
) -> None:
    """Write copies with consistent placeholders ([PERSON 1], [PHONE], [SCHOOL 2]) across the study, same formats.

    The key file links placeholders to the original values: store it apart from the data (see README). All or
    nothing: if any file fails, or the key's folder does not exist, no copy and no key is left behind.

    Example:

      npt-coder pseudonymise raw/*.docx -o pseudonymised/ --deny real_names.txt --key ~/secure/key.csv
    """
    from ..anon import Pseudonymiser, pseudonymise_files

    with one_line_errors():
        deny_terms, allow_terms = term_lists(deny, allow)
        key_path = key or output.parent / f"{output.name.rstrip('/') or 'pseudonymised'}_KEY.csv"
        if key_path.resolve().parent == output.resolve():
            raise NptCoderError("the key must not be written inside the output folder; give --key elsewhere")
        if key_path.exists() and not overwrite:
            raise NptCoderError(f"{key_path} exists; give another --key or --overwrite")
        pseudo = Pseudonymiser(nlp=None if no_ner else "auto", deny=deny_terms, allow=allow_terms)
        if not pseudo.name_detection:
            typer.echo(f"note: {pseudo.name_detection_note}")
        with terminal_progress(quiet=quiet, delay=PROGRESS_DELAY) as progress:
            done = pseudonymise_files(files, output, pseudo, key_path, overwrite=overwrite,  # all or nothing
                                      progress=progress)
        for d in done:
            kinds = ", ".join(f"{n} {t}" for t, n in sorted(d.replaced.items())) or "nothing to replace"
            typer.echo(f"wrote {d.dst}: {kinds}")
        typer.echo(f"wrote the key to {key_path}: keep it apart from the data, it re-identifies participants")
