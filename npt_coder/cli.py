"""The ``npt-coder`` command line: thin wrappers over the Python API. Only this module prints or exits."""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Iterator, Optional

import typer

from ._consensus import CONSENSUS, individual_coders
from ._version import __version__
from .codebook import load_codebook
from .errors import NptCoderError
from .ingest import DEFAULT_INTERVIEWER_LABELS, IngestOptions
from .store import Project, init_project, open_project

app = typer.Typer(
    name="npt-coder",
    help=(
        "Code interview and focus-group transcripts with Normalisation Process Theory in a Context-Mechanism-"
        "Outcome frame.\n\nExample:\n\n  npt-coder init mystudy && cd mystudy && npt-coder add ../transcripts/*.docx "
        "--attributes ../attributes.csv && npt-coder list"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
codebook_app = typer.Typer(help="Show, check, export or change the codebook.\n\nExample:\n\n  npt-coder codebook show",
                           no_args_is_help=True, rich_markup_mode=None)
app.add_typer(codebook_app, name="codebook")

ProjectOpt = Annotated[Optional[Path], typer.Option("--project", "-p", help="Project folder (default: the current "
                                                      "folder or the nearest parent holding a project).")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON instead of a table.")]
DenyOpt = Annotated[Optional[Path], typer.Option(help="Deny list: a text file (one term a line) or CSV with a 'term' "
                                                 "column of real names of sites, staff and families to catch.")]
AllowOpt = Annotated[Optional[Path], typer.Option(help="Allow list: terms that are fine to keep (e.g. Early Help).")]
NoNerOpt = Annotated[bool, typer.Option("--no-ner", help="Patterns only: do not use the trained English pipeline "
                                        "for names.")]


def _term_lists(deny: Optional[Path], allow: Optional[Path]) -> tuple[list[str], list[str]]:
    from .anon import load_terms

    return (load_terms(deny) if deny else []), (load_terms(allow) if allow else [])


@contextmanager
def _errors() -> Iterator[None]:
    """Turn the toolkit's deliberate errors into one line on stderr and exit code 1."""
    try:
        yield
    except NptCoderError as err:
        first = str(err).splitlines()
        message = first[0] if len(first) == 1 else " ".join(line.strip() for line in first)
        typer.echo(f"error: {message}", err=True)
        raise typer.Exit(code=1) from None
    except BrokenPipeError:  # output piped into `head` and closed early: not an error
        sys.stderr.close()
        raise typer.Exit(code=0) from None
    except OSError as err:
        typer.echo(f"error: {err.strerror or err}: {err.filename or ''}".rstrip(": "), err=True)
        raise typer.Exit(code=1) from None


def _project(path: Optional[Path]) -> Project:
    return open_project(path)


def _echo_json(data) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def _version(value: bool) -> None:
    if value:
        typer.echo(f"npt-coder {__version__}")
        raise typer.Exit()


@app.callback()
def main(version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                               help="Show the version and exit.")] = False) -> None:
    """npt-coder: NPT/CMO coding, agreement and reporting for qualitative transcripts."""


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
    with _errors():
        project = init_project(folder, codebook=codebook)
        cb = project.load_codebook()
        typer.echo(f"created project in {project.root} (codebook: {cb.name}, {len(cb)} codes)")


def _parse_attrs(pairs: list[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        if "=" not in pair:
            raise typer.BadParameter(f"expected KEY=VALUE, got {pair!r}", param_hint="--attr")
        key, value = pair.split("=", 1)
        out[key.strip().lower().replace(" ", "_")] = value.strip()
    return out


@app.command()
def add(
    files: Annotated[list[Path], typer.Argument(help="Transcript files: .docx, .txt, .vtt, .srt.")],
    attributes: Annotated[Optional[Path], typer.Option("--attributes", "-a", help="CSV/XLSX table of case "
                          "attributes keyed by a 'file' or 'transcript_id' column.")] = None,
    name_pattern: Annotated[Optional[str], typer.Option(help="Attributes from file names, e.g. "
                            "'{site}_{participant}'.")] = None,
    site: Annotated[Optional[str], typer.Option(help="Site for every file added.")] = None,
    participant: Annotated[Optional[str], typer.Option(help="Participant id for every file added.")] = None,
    role: Annotated[Optional[str], typer.Option(help="Participant role for every file added.")] = None,
    method: Annotated[Optional[str], typer.Option(help="interview, focus group, workshop, ...")] = None,
    date: Annotated[Optional[str], typer.Option(help="Date (or month) of data collection.")] = None,
    attr: Annotated[list[str], typer.Option(help="Any other attribute, KEY=VALUE; repeatable.")] = [],  # noqa: B006
    speaker_pattern: Annotated[Optional[str], typer.Option(help="Regular expression for speaker labels with a "
                               "(?P<speaker>...) group, replacing the built-in detection.")] = None,
    interviewer: Annotated[list[str], typer.Option(help="Label (regular expression) of an interviewer or "
                           "facilitator; repeatable; replaces the default list.")] = [],  # noqa: B006
    accept_flagged: Annotated[bool, typer.Option("--accept-flagged", help="Add transcripts even if the "
                              "anonymisation check flags them (recorded with who and when).")] = False,
    deny: DenyOpt = None,
    allow: AllowOpt = None,
    no_ner: NoNerOpt = False,
    project: ProjectOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Add transcripts to the project in one transaction: if any file fails, nothing is added.

    Every transcript goes through the anonymisation check first; one with findings is not added unless
    --accept-flagged. A file the project already holds (same bytes) is reported and skipped; a different file under
    an existing transcript id is refused.

    Example:

      npt-coder add interviews/*.docx focus_groups/*.vtt --attributes attributes.csv
    """
    with _errors():
        p = _project(project)
        given = {"site": site, "participant": participant, "role": role, "method": method, "date": date,
                 **_parse_attrs(attr)}
        options = IngestOptions(speaker_pattern=speaker_pattern,
                                interviewer_labels=tuple(interviewer) or DEFAULT_INTERVIEWER_LABELS)
        deny_terms, allow_terms = _term_lists(deny, allow)
        result = p.add(files, attributes_table=attributes, name_pattern=name_pattern, attributes=given,
                       options=options, accept_flagged=accept_flagged, deny=deny_terms, allow=allow_terms,
                       nlp=None if no_ner else "auto")
        if as_json:
            _echo_json({"added": result.added, "duplicates": [{"file": f, "transcript_id": t}
                                                               for f, t in result.duplicates],
                        "batch_id": result.batch_id})
            return
        for name, tid in result.duplicates:
            typer.echo(f"skipped {name}: already in the project as {tid} (same file)")
        typer.echo(f"added {len(result.added)} transcript(s)" + (f": {', '.join(result.added)}" if result.added else ""))


@app.command("list")
def list_(project: ProjectOpt = None, as_json: JsonOpt = False) -> None:
    """List the project's transcripts with attributes, turns and words.

    Example:

      npt-coder list --json
    """
    with _errors():
        df = _project(project).transcripts
        cols = [c for c in df.columns if c not in ("text", "sha256", "text_sha256", "source_path", "encoding",
                                                    "added_at")]
        df = df[cols]
        if as_json:
            _echo_json(json.loads(df.to_json(orient="records")))
            return
        if df.empty:
            typer.echo("no transcripts yet: add some with 'npt-coder add FILES'")
            return
        typer.echo(df.fillna("").to_string(index=False))
        typer.echo(f"\n{len(df)} transcripts, {int(df['n_turns'].sum())} turns, {int(df['n_words'].sum()):,} words")


@app.command()
def show(
    transcript: Annotated[str, typer.Argument(help="Transcript id.")],
    unit: Annotated[str, typer.Option(help="turn, paragraph or sentence.")] = "turn",
    no_interviewer: Annotated[bool, typer.Option("--no-interviewer", help="Leave interviewer talk out.")] = False,
    project: ProjectOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Show one transcript's segments with their offsets.

    Example:

      npt-coder show S1_P02 --unit sentence --no-interviewer
    """
    with _errors():
        p = _project(project)
        if transcript not in set(p.transcripts["transcript_id"]):
            raise NptCoderError(f"no transcript {transcript!r} in this project (see 'npt-coder list')")
        try:
            seg = p.segments(unit, include_interviewer=not no_interviewer, transcripts=[transcript])
        except ValueError as err:
            raise NptCoderError(str(err)) from None
        if as_json:
            _echo_json(json.loads(seg.to_json(orient="records")))
            return
        for r in seg.itertuples(index=False):
            text = " ".join(r.text.split())
            typer.echo(f"{r.segment_id} [{r.start}:{r.end}] {r.speaker}: {text}")


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
    with _errors():
        cb = _resolve_codebook(file, project)
        if as_json:
            _echo_json(json.loads(cb.frame.to_json(orient="records")))
            return
        typer.echo(f"{cb.name} (version {cb.version}, {len(cb)} codes)")
        typer.echo(cb.tree())


def _resolve_codebook(file: Optional[Path], project: Optional[Path]):
    if file is not None:
        return load_codebook(file)
    try:
        return _project(project).load_codebook()
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
    typer.echo(f"ok: {cb.name} (version {cb.version}), {len(cb)} codes")


@codebook_app.command("use")
def codebook_use(file: Annotated[Path, typer.Argument(help="Codebook file (YAML).")], project: ProjectOpt = None) -> None:
    """Make the project use a new codebook version (kept beside the earlier versions).

    Example:

      npt-coder codebook use my_inductive_codes_v2.yaml
    """
    with _errors():
        version = _project(project).set_codebook(file)
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
    from .render import codebook_to_docx, codebook_to_markdown, codebook_to_xlsx

    with _errors():
        fmt = (fmt or output.suffix.lstrip(".")).lower()
        if fmt not in ("md", "csv", "xlsx", "docx"):
            raise NptCoderError(f"format must be one of md, csv, xlsx, docx; got {fmt!r}")
        cb = _resolve_codebook(file, project)
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


@app.command()
def sheet(
    coder: Annotated[str, typer.Option(help="Name or initials of the coder the workbook is for.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Workbook to write (.xlsx).")],
    transcripts: Annotated[Optional[str], typer.Option(help="Comma-separated transcript ids (default: all).")] = None,
    unit: Annotated[str, typer.Option(help="turn, paragraph or sentence.")] = "turn",
    include_interviewer: Annotated[bool, typer.Option("--include-interviewer", help="Also list interviewer and "
                                                      "facilitator talk.")] = False,
    codes: Annotated[int, typer.Option(help="Number of code columns per unit.", min=1, max=10)] = 3,
    project: ProjectOpt = None,
) -> None:
    """Write a coding workbook for one coder: a sheet per transcript with drop-down code lists.

    Example:

      npt-coder sheet --coder AK --transcripts S1_P01,S1_P02 --unit paragraph -o AK_coding.xlsx
    """
    from .coding import make_coding_workbook

    with _errors():
        if unit not in ("turn", "paragraph", "sentence"):
            raise NptCoderError(f"unit must be one of turn, paragraph, sentence; got {unit!r}")
        ids = [t.strip() for t in transcripts.split(",") if t.strip()] if transcripts else None
        wb = make_coding_workbook(_project(project), coder, transcripts=ids, unit=unit,
                                  include_interviewer=include_interviewer, n_codes=codes)
        output.parent.mkdir(parents=True, exist_ok=True)
        wb.save(output)
        n = len(wb.sheetnames) - 4
        typer.echo(f"wrote {output}: {n} transcript sheet(s) for {coder}, unit {unit}")


@app.command("import")
def import_(
    files: Annotated[list[Path], typer.Argument(help="Coding files: filled workbooks (.xlsx), Word files with "
                                                "comments (.docx), long tables (.csv/.xlsx), REFI-QDA (.qdpx).")],
    coder: Annotated[Optional[str], typer.Option(help="Coder for every coding (default: from the file: the workbook's "
                                                 "coder, the comment author, the table's coder column).")] = None,
    new_inductive: Annotated[bool, typer.Option("--new-inductive", help="Add unknown codes as inductive codes "
                                                "mapped to nothing yet, instead of stopping.")] = False,
    code_map: Annotated[Optional[Path], typer.Option(help="CSV or YAML: a .qdpx file's code name -> our code id, "
                                                     "for codes not named by our ids or names.")] = None,
    project: ProjectOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Import coded work in one transaction (one batch per file); a failure imports nothing.

    Re-importing an identical file does nothing; a newer file from the same coder supersedes that coder's earlier
    codings on those transcripts (kept in history, see 'npt-coder history' and 'npt-coder undo').

    Example:

      npt-coder import AK_coding.xlsx JT_S1_P01.docx
    """
    from .coding import import_files

    with _errors():
        results = import_files(_project(project), files, coder=coder, new_inductive=new_inductive,
                               code_map=code_map)
        if as_json:
            _echo_json([{"file": f.name, "batch_id": r.batch_id, "already_imported": r.already_imported,
                         "n_codings": r.n_codings, "n_merged": r.n_merged, "n_superseded": r.n_superseded,
                         "coders": r.coders, "transcripts": r.transcripts, "new_codes": r.new_codes}
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
    from .coding import history as _history

    with _errors():
        df = _history(_project(project))
        if as_json:
            _echo_json(json.loads(df.to_json(orient="records")))
            return
        typer.echo(df.fillna("").to_string(index=False))


@app.command()
def undo(batch: Annotated[int, typer.Argument(help="Batch id from 'npt-coder history'.")],
         project: ProjectOpt = None) -> None:
    """Revert one import batch: its codings go, the codings it superseded come back.

    Example:

      npt-coder undo 7
    """
    from .coding import undo as _undo

    with _errors():
        n = _undo(_project(project), batch)
        typer.echo(f"undid batch {batch}: removed {n} coding(s), restored what it had superseded")


@app.command()
def export(
    what: Annotated[str, typer.Argument(help="codings, transcript or codebook.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write.")],
    fmt: Annotated[Optional[str], typer.Option("--format", help="codings: csv, xlsx or qdpx; transcript: docx; "
                                               "codebook: qdc, md, csv, xlsx or docx. Default: from the "
                                               "output's extension.")] = None,
    transcript: Annotated[Optional[str], typer.Option(help="Transcript id (for 'export transcript').")] = None,
    project: ProjectOpt = None,
) -> None:
    """Export codings (with the coded text), a transcript as a Word copy to code with comments, or the codebook.

    Example:

      npt-coder export codings --format qdpx -o study.qdpx

      npt-coder export transcript --transcript S2_P11 -o S2_P11_for_coding.docx
    """
    from .coding import export_codings_table, transcript_to_docx

    with _errors():
        p = _project(project)
        fmt = (fmt or output.suffix.lstrip(".")).lower()
        output.parent.mkdir(parents=True, exist_ok=True)
        if what == "codings":
            if fmt == "csv":
                export_codings_table(p).to_csv(output, index=False)
            elif fmt == "xlsx":
                export_codings_table(p).to_excel(output, index=False, sheet_name="Codings")
            elif fmt == "qdpx":
                from .coding._qdpx import project_to_qdpx

                project_to_qdpx(p, output)
            else:
                raise NptCoderError(f"codings export format must be csv, xlsx or qdpx; got {fmt!r}")
        elif what == "transcript":
            if not transcript:
                raise NptCoderError("give --transcript ID (see 'npt-coder list')")
            if fmt != "docx":
                raise NptCoderError(f"transcript export format must be docx; got {fmt!r}")
            transcript_to_docx(p.transcript_text(transcript), title=transcript).save(output)
        elif what == "codebook":
            if fmt == "qdc":
                from .coding._qdpx import codebook_to_qdc

                codebook_to_qdc(p.load_codebook(), output)
            else:
                return codebook_export(output=output, fmt=fmt, file=None, project=project)
        else:
            raise NptCoderError(f"export what? use codings, transcript or codebook; got {what!r}")
        typer.echo(f"wrote {output}")


def _coders(value: Optional[str]) -> Optional[list[str]]:
    return [c.strip() for c in value.split(",") if c.strip()] if value else None


@app.command()
def agree(
    coders: Annotated[Optional[str], typer.Option(help="Comma-separated coders to compare pairwise (default: every "
                                                  "coder except consensus).")] = None,
    unit: Annotated[str, typer.Option(help="segment, character, document or overlap.")] = "segment",
    segment_unit: Annotated[str, typer.Option(help="For --unit segment: turn, paragraph or sentence.")] = "paragraph",
    by: Annotated[str, typer.Option(help="Row levels: any of code,transcript,construct,domain,pooled.")] =
        "code,transcript,construct,domain,pooled",
    min_overlap: Annotated[int, typer.Option(help="Segment unit: characters a span must overlap a segment by.")] = 1,
    threshold: Annotated[float, typer.Option(help="Overlap unit: share of the union two spans must overlap.")] = 0.9,
    include_interviewer: Annotated[bool, typer.Option("--include-interviewer", help="Segment unit: count interviewer "
                                                      "segments as units too.")] = False,
    resamples: Annotated[int, typer.Option(help="Bootstrap resamples for the CIs (0: none).")] = 1000,
    cluster: Annotated[bool, typer.Option("--cluster", help="Resample whole transcripts (segment unit).")] = False,
    seed: Annotated[int, typer.Option(help="Bootstrap seed.")] = 0,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Also write a report: .docx, .xlsx or "
                                                   ".html (chart, methods paragraph, tables).")] = None,
    project: ProjectOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Inter-coder agreement per code, transcript, construct, domain and pooled, for every pair of coders.

    Statistics: percent agreement, Cohen's kappa and Krippendorff's alpha (with bootstrap CIs), Gwet's AC1,
    Brennan-Prediger; with three or more coders also Fleiss' kappa and alpha across all of them.

    Example:

      npt-coder agree --coders AK,JT --unit segment --segment-unit paragraph -o reports/agreement.docx
    """
    from .agreement import agreement_table, multi_coder_table
    from .render import agreement_figure, agreement_to_docx, agreement_to_html, agreement_to_xlsx, methods_paragraph

    with _errors():
        p = _project(project)
        levels = [b.strip() for b in by.split(",") if b.strip()]
        unit = segment_unit if unit == "segment" else unit  # the library names the segment itself as the unit
        table = agreement_table(p, coders=_coders(coders), unit=unit, by=levels,
                                min_overlap=min_overlap, overlap_threshold=threshold,
                                include_interviewer=include_interviewer, ci=0.95 if resamples > 0 else None,
                                n_resamples=max(resamples, 1), cluster=cluster, seed=seed)
        names = _coders(coders) or individual_coders(p.codings)
        multi = multi_coder_table(p, coders=names, unit=unit) if len(names) > 2 else None
        cb = p.load_codebook()
        methods = methods_paragraph(table, segment_unit=segment_unit, min_overlap=min_overlap, threshold=threshold,
                                    n_resamples=resamples, cluster=cluster,
                                    codebook=f"{cb.name} {cb.version} ({cb.sha256[:12]})")
        if output is not None:
            fmt = output.suffix.lower()
            output.parent.mkdir(parents=True, exist_ok=True)
            meta = p.codebook.set_index("code_id")["domain"]
            figure = agreement_figure(table.assign(domain=table["key"].map(meta)))
            if fmt == ".docx":
                agreement_to_docx(table, methods, figure=figure).save(output)
            elif fmt == ".xlsx":
                agreement_to_xlsx(table, methods).save(output)
            elif fmt in (".html", ".htm"):
                output.write_text(agreement_to_html(table, methods, figure=figure), encoding="utf-8")
            else:
                raise NptCoderError(f"report format must be .docx, .xlsx or .html; got {fmt or 'none'!r}")
        if as_json:
            _echo_json({"methods": methods, "rows": json.loads(table.to_json(orient="records")),
                        "multi_coder": json.loads(multi.to_json(orient="records")) if multi is not None else None})
            return
        shown = table[table["level"].isin(["pooled", "domain", "transcript", "code"])]
        cols = ["level", "label", "coder_a", "coder_b", "n_units", "both", "only_a", "only_b", "neither",
                "percent_agreement", "cohen_kappa", "kappa_ci_low", "kappa_ci_high", "krippendorff_alpha", "gwet_ac1",
                "brennan_prediger", "kappa_label"]
        typer.echo(shown[cols].to_string(index=False, float_format=lambda v: f"{v:.3f}", na_rep="–"))
        if multi is not None:
            typer.echo("\nAll coders together (Fleiss' kappa, Krippendorff's alpha):")
            typer.echo(multi.to_string(index=False, float_format=lambda v: f"{v:.3f}", na_rep="–"))
        typer.echo(f"\n{methods}")
        if output is not None:
            typer.echo(f"wrote {output}")


@app.command("disagreements")
def disagreements_(
    coders: Annotated[str, typer.Option(help="The two coders, A,B.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Review file: .xlsx (to settle and reconcile) or "
                                         ".docx (to read in a meeting).")],
    segment_unit: Annotated[str, typer.Option(help="turn, paragraph or sentence.")] = "paragraph",
    include_interviewer: Annotated[bool, typer.Option("--include-interviewer")] = False,
    project: ProjectOpt = None,
) -> None:
    """List every segment where two coders' codes differ, with a Decision column for the team to settle.

    Example:

      npt-coder disagreements --coders AK,JT -o review.xlsx
    """
    from .review import disagreements, review_workbook
    from .render import disagreements_to_docx

    with _errors():
        names = _coders(coders) or []
        if len(names) != 2:
            raise NptCoderError(f"--coders needs exactly two coders, A,B; got {coders!r}")
        p = _project(project)
        found = disagreements(p, names[0], names[1], unit=segment_unit, include_interviewer=include_interviewer)
        output.parent.mkdir(parents=True, exist_ok=True)
        if output.suffix.lower() == ".xlsx":
            review_workbook(found, project_id=p.project_id).save(output)
        elif output.suffix.lower() == ".docx":
            disagreements_to_docx(found).save(output)
        else:
            raise NptCoderError(f"review file must be .xlsx or .docx; got {output.suffix or 'none'!r}")
        typer.echo(f"wrote {output}: {len(found.table)} disagreement(s) between {names[0]} and {names[1]} on "
                   f"{len(found.transcripts)} transcript(s)")


@app.command()
def reconcile(
    review: Annotated[Path, typer.Argument(help="The settled review workbook (.xlsx).")],
    as_coder: Annotated[str, typer.Option("--as", help="Coder name for the consensus codings.")] = CONSENSUS,
    project: ProjectOpt = None,
) -> None:
    """Import a settled review as the consensus coding: agreed codes plus every decision, in one transaction.

    Example:

      npt-coder reconcile review.xlsx --as consensus
    """
    from .review import reconcile as _reconcile

    with _errors():
        result = _reconcile(_project(project), review, as_coder=as_coder)
        typer.echo(f"{review.name}: {result.summary()}")


@app.command("check-anon")
def check_anon(
    files: Annotated[Optional[list[Path]], typer.Argument(help="Transcript files to check (default: the project's "
                                                          "transcripts).")] = None,
    deny: DenyOpt = None,
    allow: AllowOpt = None,
    no_ner: NoNerOpt = False,
    fmt: Annotated[str, typer.Option("--format", help="table, json, csv or xlsx.")] = "table",
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="File for csv/xlsx findings.")] = None,
    fail_on_findings: Annotated[bool, typer.Option("--fail-on-findings", help="Exit with status 3 if anything is "
                                                   "found (for scripts).")] = False,
    project: ProjectOpt = None,
) -> None:
    """Find residual identifiers (names, phone numbers, emails, NHS numbers, postcodes, addresses, dates, sites).

    Each finding is reported by transcript, type, turn and offsets with a masked preview (S***** W*******); the
    value itself is never printed or written.

    Example:

      npt-coder check-anon interviews/*.docx --deny real_names.txt --allow allowed.txt --format xlsx -o findings.xlsx
    """
    import pandas as pd

    from .anon import find_identifiers_many
    from .ingest import read_transcripts

    with _errors():
        if fmt not in ("table", "json", "csv", "xlsx"):
            raise NptCoderError(f"format must be one of table, json, csv, xlsx; got {fmt!r}")
        if fmt in ("csv", "xlsx") and output is None:
            raise NptCoderError(f"--format {fmt} needs --output FILE")
        deny_terms, allow_terms = _term_lists(deny, allow)
        if files:
            ts = read_transcripts(files, sentences=False)
            ids = [t.transcript_id for t in ts]
            texts = [t.text for t in ts]
            skips = [t.label_spans() for t in ts]
            turns = [[(x.start, x.end) for x in t.turns] for t in ts]
        else:
            p = _project(project)
            tr = p.transcripts
            ids, texts = tr["transcript_id"].tolist(), tr["text"].tolist()
            skips = [p.label_spans(t) for t in ids]
            seg = p.segments("turn")
            turns = [list(zip(g["start"], g["end"])) for _, g in seg.groupby("transcript_id", sort=True)]
        found = find_identifiers_many(texts, nlp=None if no_ner else "auto", deny=deny_terms, allow=allow_terms,
                                      skip_spans=skips)
        rows = []
        for tid, f, spans in zip(ids, found, turns):
            for r in f.itertuples(index=False):
                turn = next((f"t{i + 1:04d}" for i, (a, b) in enumerate(spans) if a <= r.start < b), "front matter")
                rows.append({"transcript_id": tid, "type": r.type, "severity": r.severity, "turn": turn,
                             "start": int(r.start), "end": int(r.end), "preview": r.preview, "detector": r.detector})
        table = pd.DataFrame(rows, columns=["transcript_id", "type", "severity", "turn", "start", "end", "preview",
                                            "detector"])
        note = found[0].attrs.get("name_detection_note", "") if found else ""
        names_on = bool(found and found[0].attrs.get("name_detection"))
        if fmt == "json":
            _echo_json({"name_detection": names_on, "note": note, "n_transcripts": len(ids),
                        "findings": json.loads(table.to_json(orient="records"))})
        elif fmt in ("csv", "xlsx"):
            output.parent.mkdir(parents=True, exist_ok=True)
            if fmt == "csv":
                table.to_csv(output, index=False)
            else:
                table.to_excel(output, index=False, sheet_name="Findings")
            typer.echo(f"wrote {output}: {len(table)} finding(s) in {table['transcript_id'].nunique()} of {len(ids)} "
                       "transcript(s)")
        else:
            if not names_on:
                typer.echo(f"note: {note or 'name detection is off: only patterns were checked'}")
            if table.empty:
                typer.echo(f"no residual identifiers found in {len(ids)} transcript(s)")
            else:
                typer.echo(table.to_string(index=False))
                typer.echo(f"\n{len(table)} finding(s) in {table['transcript_id'].nunique()} of {len(ids)} "
                           "transcript(s); values are masked")
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
) -> None:
    """Write copies with consistent placeholders ([PERSON 1], [PHONE], [SCHOOL 2]) across the study, same formats.

    The key file links placeholders to the original values: store it apart from the data (see README).

    Example:

      npt-coder pseudonymise raw/*.docx -o pseudonymised/ --deny real_names.txt --key ~/secure/key.csv
    """
    from .anon import Pseudonymiser, pseudonymise_file

    with _errors():
        deny_terms, allow_terms = _term_lists(deny, allow)
        key_path = key or output.parent / f"{output.name.rstrip('/') or 'pseudonymised'}_KEY.csv"
        if key_path.resolve().parent == output.resolve():
            raise NptCoderError("the key must not be written inside the output folder; give --key elsewhere")
        if key_path.exists() and not overwrite:
            raise NptCoderError(f"{key_path} exists; give another --key or --overwrite")
        output.mkdir(parents=True, exist_ok=True)
        pseudo = Pseudonymiser(nlp=None if no_ner else "auto", deny=deny_terms, allow=allow_terms)
        if not pseudo.name_detection:
            typer.echo(f"note: {pseudo.name_detection_note}")
        done = [pseudonymise_file(f, output, pseudo, overwrite=overwrite) for f in files]
        pseudo.key().to_csv(key_path, index=False)
        for d in done:
            kinds = ", ".join(f"{n} {t}" for t, n in sorted(d.replaced.items())) or "nothing to replace"
            typer.echo(f"wrote {d.dst}: {kinds}")
        typer.echo(f"wrote the key to {key_path}: keep it apart from the data, it re-identifies participants")


logic_model_app = typer.Typer(
    help="Draft, check, draw and describe logic models (programme theory as Context / Activities / Mechanisms / "
         "Intended impact columns and an unintended-harms box).\n\nExample:\n\n"
         "  npt-coder logic-model draft -o model.yaml --attribute-filter site=S1",
    no_args_is_help=True, rich_markup_mode=None)
app.add_typer(logic_model_app, name="logic-model")

CoderOpt = Annotated[Optional[str], typer.Option(help="Comma-separated coders whose codings count (default: the "
                                                 "consensus coding where a transcript has one, else every coder's).")]
FilterOpt = Annotated[Optional[list[str]], typer.Option("--attribute-filter", "-f", help="Keep transcripts whose "
                      "attribute matches, KEY=VALUE or KEY=V1,V2; repeatable.")]
EvidenceOpt = Annotated[str, typer.Option(help="Evidence under each item: 'project' (counted from the project's "
                        "coding), 'spec' (the counts recorded in the file), 'none', or 'auto' (project when one is "
                        "found, else none).")]


def _attribute_filter(pairs: Optional[list[str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for pair in pairs or []:
        if "=" not in pair:
            raise typer.BadParameter(f"expected KEY=VALUE, got {pair!r}", param_hint="--attribute-filter")
        key, value = pair.split("=", 1)
        out.setdefault(key.strip(), []).extend(v.strip() for v in value.split(",") if v.strip())
    return out


def _lm_evidence(spec, mode: str, project: Optional[Path], coder: Optional[str], pairs: Optional[list[str]]):
    from .logic_model import evidence as lm_evidence

    if mode not in ("auto", "project", "spec", "none"):
        raise NptCoderError(f"--evidence must be auto, project, spec or none; got {mode!r}")
    if mode == "spec":
        return True
    if mode == "none":
        return None
    if mode == "auto" and project is None:
        try:
            from .store import find_project

            find_project()
        except NptCoderError:
            return None
    return lm_evidence(spec, _project(project), coder=_coders(coder), attribute_filter=_attribute_filter(pairs))


@logic_model_app.command("draft")
def logic_model_draft(
    output: Annotated[Path, typer.Option("--output", "-o", help="YAML spec to write.")],
    coder: CoderOpt = None,
    attribute_filter: FilterOpt = None,
    top: Annotated[int, typer.Option(help="Most items per column, best supported first.")] = 6,
    title: Annotated[Optional[str], typer.Option(help="Title of the drafted model.")] = None,
    project: ProjectOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Draft a logic-model spec from the coded data, with evidence counts beside each item, to edit by hand.

    Context items come from C1-C4, Mechanisms from the M codes, Intended impact from O1-O4 and inductive codes
    mapped to outcomes, each ranked by the participants and transcripts supporting it.

    Example:

      npt-coder logic-model draft -o site1_model.yaml --attribute-filter site=S1
    """
    from .logic_model import draft_logic_model, logic_model_to_yaml

    with _errors():
        spec = draft_logic_model(_project(project), coder=_coders(coder), top=top, title=title,
                                 attribute_filter=_attribute_filter(attribute_filter))
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(logic_model_to_yaml(spec), encoding="utf-8")
        items = [i for c in spec["columns"] for i in (c.get("items") or [x for g in c.get("groups", [])
                                                                         for x in g["items"]])]
        if as_json:
            _echo_json({"output": str(output), "source": spec["source"],
                        "items": [{"id": i["id"], "codes": i["codes"], **i["evidence"]} for i in items]})
            return
        typer.echo(f"wrote {output}: {len(items)} item(s) drafted from {spec['source']['coding']}; rewrite each as a "
                   "claim about your service")


@logic_model_app.command("check")
def logic_model_check(
    files: Annotated[list[Path], typer.Argument(help="Logic-model specs (YAML).")],
    project: ProjectOpt = None,
) -> None:
    """Validate logic-model specs; codes are checked against the project's codebook when there is a project.

    Example:

      npt-coder logic-model check risk_model.yaml needs_model.yaml
    """
    from .logic_model import load_logic_model

    with _errors():
        try:
            codebook = _project(project).load_codebook()
        except NptCoderError:
            if project is not None:
                raise
            codebook = None
        for file in files:
            lm = load_logic_model(file, codebook=codebook)
            typer.echo(f"{file}: ok ({len(lm.columns)} columns, {len(lm.items)} items"
                       f"{'' if codebook else '; codes not checked: no project'})")


@logic_model_app.command("render")
def logic_model_render(
    spec: Annotated[Path, typer.Argument(help="Logic-model spec (YAML).")],
    other: Annotated[Optional[Path], typer.Argument(help="A second spec to compare with: items unique to one "
                                                    "model are drawn in bold.")] = None,
    output: Annotated[list[Path], typer.Option("--output", "-o", help="File(s) to write: .html (figure and text "
                      "description, works offline), .png, .svg, .pdf, .docx (editable Word table), .txt (text "
                      "description). Repeatable.")] = [],  # noqa: B006 - typer needs a list default
    evidence: EvidenceOpt = "auto",
    coder: CoderOpt = None,
    attribute_filter: FilterOpt = None,
    layout: Annotated[str, typer.Option(help="With two specs: stacked (default) or side-by-side.")] = "stacked",
    width: Annotated[int, typer.Option(help="Width of one model in px.")] = 1400,
    font_size: Annotated[float, typer.Option(help="Item text size in px.")] = 14,
    project: ProjectOpt = None,
) -> None:
    """Draw a logic model, or two compared with their differences in bold, as HTML, PNG/SVG/PDF, Word or text.

    Example:

      npt-coder logic-model render risk_model.yaml needs_model.yaml -o compare.html -o compare.png -o compare.docx
    """
    from .logic_model import describe, load_logic_model
    from .render import figure_png, logic_model_figure, logic_model_to_docx, logic_model_to_html

    with _errors():
        if not output:
            raise NptCoderError("give at least one --output file (.html, .png, .svg, .pdf, .docx or .txt)")
        a = load_logic_model(spec)
        b = load_logic_model(other) if other is not None else None
        ev_a = _lm_evidence(a, evidence, project, coder, attribute_filter)
        ev_b = _lm_evidence(b, evidence, project, coder, attribute_filter) if b is not None else None
        kw = dict(compare_with=b, evidence=ev_a, compare_evidence=ev_b)
        for out in output:
            fmt = out.suffix.lower()
            out.parent.mkdir(parents=True, exist_ok=True)
            if fmt in (".html", ".htm"):
                out.write_text(logic_model_to_html(a, layout=layout, width=width, font_size=font_size, **kw),
                               encoding="utf-8")
            elif fmt in (".png", ".svg", ".pdf"):
                fig = logic_model_figure(a, layout=layout, width=width, font_size=font_size, **kw)
                if fmt == ".png":
                    data, reason = figure_png(fig, width=fig.layout.width, height=fig.layout.height, scale=2)
                else:
                    try:
                        data, reason = fig.to_image(format=fmt[1:]), ""
                    except Exception as err:  # kaleido without a browser
                        data, reason = None, str(err).splitlines()[0] if str(err) else type(err).__name__
                if data is None:
                    raise NptCoderError(f"{out.name}: no image could be made ({reason}); write .html instead")
                out.write_bytes(data)
            elif fmt == ".docx":
                logic_model_to_docx(a, **kw).save(out)
            elif fmt in (".txt", ".md"):
                out.write_text(describe(a, **kw) + "\n", encoding="utf-8")
            else:
                raise NptCoderError(f"{out.name}: output must be .html, .png, .svg, .pdf, .docx or .txt")
            typer.echo(f"wrote {out}")


@logic_model_app.command("describe")
def logic_model_describe(
    spec: Annotated[Path, typer.Argument(help="Logic-model spec (YAML).")],
    other: Annotated[Optional[Path], typer.Argument(help="A second spec to compare with.")] = None,
    evidence: EvidenceOpt = "auto",
    coder: CoderOpt = None,
    attribute_filter: FilterOpt = None,
    project: ProjectOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Print the plain-language text description of a logic model (alt text listing every item).

    With --json, also the evidence counts per item.

    Example:

      npt-coder logic-model describe risk_model.yaml needs_model.yaml > alt_text.txt
    """
    from .logic_model import describe, load_logic_model

    with _errors():
        a = load_logic_model(spec)
        b = load_logic_model(other) if other is not None else None
        ev_a = _lm_evidence(a, evidence, project, coder, attribute_filter)
        ev_b = _lm_evidence(b, evidence, project, coder, attribute_filter) if b is not None else None
        text = describe(a, compare_with=b, evidence=ev_a, compare_evidence=ev_b)
        if as_json:
            frames = [e for e in (ev_a, ev_b) if hasattr(e, "to_json")]
            _echo_json({"description": text, "evidence": [r for e in frames
                                                          for r in json.loads(e.to_json(orient="records"))]})
            return
        typer.echo(text)
# ---- end of paste ---------------------------------------------------------------------------------------------------


@app.command("themes")
def themes_(
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write the summary: .docx, .xlsx, .html or "
                                                   ".md (Word and HTML include the charts).")] = None,
    by: Annotated[str, typer.Option(help="domain,construct,code (default), domain,code, or rq (one section per "
                                    "research question).")] = "domain,construct,code",
    rq: Annotated[Optional[Path], typer.Option(help="Research-questions YAML for --by rq (default: "
                                               "research_questions.yaml in the project folder).")] = None,
    attribute: Annotated[str, typer.Option(help="Attribute whose spread is counted and quotes should cover.")] = "site",
    quotes: Annotated[int, typer.Option(help="Quotes per code.")] = 3,
    attribution: Annotated[str, typer.Option(help="Quote attribution from attributes.")] = "({site}, {participant})",
    max_chars: Annotated[int, typer.Option(help="Longest quote in characters (cut at a sentence, …).")] = 400,
    unit: Annotated[str, typer.Option(help="Segment counted: paragraph, turn or sentence.")] = "paragraph",
    include_interviewer: Annotated[bool, typer.Option("--include-interviewer", help="Count and quote interviewer "
                                                      "talk too.")] = False,
    coder: Annotated[Optional[str], typer.Option(help="Use one coder's codings (default: consensus where it exists, "
                                                 "else every coder's).")] = None,
    project: ProjectOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Coded material per CMO domain -> construct -> code (or per research question): counts, spread, quotes.

    Example:

      npt-coder themes -o reports/themes.docx

      npt-coder themes --by rq --rq research_questions.yaml -o reports/themes_rq.html
    """
    from .render import (code_frequency_figure, code_heatmap_figure, code_sunburst_figure, themes_to_docx,
                         themes_to_html, themes_to_markdown, themes_to_xlsx)
    from .themes import theme_summary as make_themes

    with _errors():
        p = _project(project)
        levels = "rq" if by.strip() == "rq" else tuple(b.strip() for b in by.split(",") if b.strip())
        t = make_themes(p, by=levels, rq=rq, attribute=attribute, n_quotes=quotes, attribution=attribution,
                        max_chars=max_chars, unit=unit, include_interviewer=include_interviewer, coder=coder)
        if output is not None:
            fmt = output.suffix.lower()
            output.parent.mkdir(parents=True, exist_ok=True)
            figures = [("Coded material per code", code_frequency_figure(t)),
                       (f"Codes by {attribute}", code_heatmap_figure(t)),
                       ("Domain, construct and code", code_sunburst_figure(t))]
            if fmt == ".docx":
                themes_to_docx(t, figures=figures).save(output)
            elif fmt == ".xlsx":
                themes_to_xlsx(t).save(output)
            elif fmt in (".html", ".htm"):
                output.write_text(themes_to_html(t, figures=figures), encoding="utf-8")
            elif fmt == ".md":
                output.write_text(themes_to_markdown(t), encoding="utf-8")
            else:
                raise NptCoderError(f"themes output must be .docx, .xlsx, .html or .md; got {fmt or 'none'!r}")
        if as_json:
            _echo_json({"basis": t.methods_text(), "codes": json.loads(t.table.to_json(orient="records")),
                        "quotes": json.loads(t.quotes.to_json(orient="records"))})
            return
        shown = t.table[t.table["primary"]][["group_id", "label", "n_segments", "n_transcripts", "n_participants",
                                              *t.spread_columns]]
        typer.echo(shown.to_string(index=False))
        typer.echo(f"\n{t.methods_text()}")
        if output is not None:
            typer.echo(f"wrote {output}")


@app.command()
def matrix(
    output: Annotated[Path, typer.Option("--output", "-o", help="Workbook to write (.xlsx); .csv writes the table.")],
    rows: Annotated[str, typer.Option(help="participant, transcript, or an attribute (site, role).")] = "participant",
    columns: Annotated[str, typer.Option(help="code or construct.")] = "code",
    cell: Annotated[str, typer.Option(help="excerpts or count.")] = "excerpts",
    max_chars: Annotated[int, typer.Option(help="Longest excerpt in a cell.")] = 300,
    unit: Annotated[str, typer.Option(help="Segment counted (cell count): paragraph, turn or sentence.")] = "paragraph",
    include_interviewer: Annotated[bool, typer.Option("--include-interviewer")] = False,
    coder: Annotated[Optional[str], typer.Option(help="Use one coder's codings.")] = None,
    project: ProjectOpt = None,
) -> None:
    """A framework matrix (Gale et al. 2013): cases x codes or constructs, one sheet per CMO domain.

    Example:

      npt-coder matrix -o reports/matrix.xlsx

      npt-coder matrix --columns construct --cell count -o reports/matrix_counts.xlsx
    """
    from .render import matrix_to_xlsx
    from .themes import framework_matrix

    with _errors():
        found = framework_matrix(_project(project), rows=rows, columns=columns, cell=cell, max_chars=max_chars,
                                 unit=unit, include_interviewer=include_interviewer, coder=coder)
        m = found.table
        output.parent.mkdir(parents=True, exist_ok=True)
        if output.suffix.lower() == ".xlsx":
            matrix_to_xlsx(found).save(output)
        elif output.suffix.lower() == ".csv":
            m.to_csv(output, index=False)
        else:
            raise NptCoderError(f"matrix output must be .xlsx or .csv; got {output.suffix or 'none'!r}")
        typer.echo(f"wrote {output}: {len(m)} {rows} row(s) x {len(m.columns) - len(found.leading)} "
                   f"{columns} column(s)")


@app.command()
def report(
    output: Annotated[list[Path], typer.Option("--output", "-o", help="Report file(s): .docx, .xlsx and/or .html; "
                                               "repeatable.")],
    logic_model: Annotated[list[str], typer.Option("--logic-model", help="A logic-model spec, or two joined by a "
                                                   "comma to draw them compared; repeatable.")] = [],  # noqa: B006
    rq: Annotated[Optional[Path], typer.Option(help="Research questions YAML (codes per question).")] = None,
    coders: Annotated[Optional[str], typer.Option(help="Coders compared for agreement (default: all but "
                                                  "consensus).")] = None,
    segment_unit: Annotated[str, typer.Option(help="turn, paragraph or sentence.")] = "paragraph",
    title: Annotated[Optional[str], typer.Option(help="Report title.")] = None,
    project: ProjectOpt = None,
) -> None:
    """Write the study report: methods written from the data, agreement, codebook, themes, matrix, logic models.

    Example:

      npt-coder report -o reports/study.docx -o reports/study.xlsx -o reports/study.html \\
          --logic-model risk.yaml,needs.yaml --rq research_questions.yaml
    """
    from .render import report_to_docx, report_to_html, report_to_xlsx
    from .report import build_report

    with _errors():
        bad = [o for o in output if o.suffix.lower() not in (".docx", ".xlsx", ".html")]
        if bad:
            raise NptCoderError(f"report files must be .docx, .xlsx or .html; got {bad[0].name!r}")
        models = [[Path(x.strip()) for x in m.split(",") if x.strip()] for m in logic_model]
        rep = build_report(_project(project), title=title, logic_models=models, agreement_coders=_coders(coders),
                           segment_unit=segment_unit, research_questions=rq)
        for out in output:
            out.parent.mkdir(parents=True, exist_ok=True)
            if out.suffix.lower() == ".docx":
                report_to_docx(rep).save(out)
            elif out.suffix.lower() == ".xlsx":
                report_to_xlsx(rep).save(out)
            else:
                out.write_text(report_to_html(rep), encoding="utf-8")
            typer.echo(f"wrote {out}")


@app.command()
def demo(out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the demo project and its reports "
                                           "(recreated each run).")] = Path("reports/demo")) -> None:
    """Run the bundled demo study end to end: create a project, add the transcripts, write reports.

    Example:

      npt-coder demo --out reports/demo
    """
    from .demo import run_demo

    with _errors():
        result = run_demo(out)
        t = result.project.transcripts
        typer.echo(f"demo project: {result.project.root}")
        typer.echo(f"  {len(t)} transcripts, {t['site'].nunique()} sites, {t['role'].nunique()} roles, "
                   f"{int(t['n_turns'].sum())} turns, {int(t['n_words'].sum()):,} words")
        for imp in result.imports:
            typer.echo(f"  {imp.summary()}")
        for path in result.outputs:
            typer.echo(f"  wrote {path}")


def run() -> None:  # pragma: no cover - used by python -m npt_coder
    app(prog_name="npt-coder")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(run())
