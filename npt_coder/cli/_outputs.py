"""Verbs that write findings: themes, matrix, report, and the demo study."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from .._words import count
from ._app import (PROGRESS_DELAY, SEGMENT_UNIT, JsonOpt, OneOf, ProjectOpt, QuietOpt, app, echo_json, one_line_errors,
                   output_files, project_at, split_coders)
from ._progress import terminal_progress, writing
from ._table import echo_table, echo_wrapped

THEMES_FORMATS = (".docx", ".xlsx", ".html", ".md")


@app.command("themes")
def themes_(
    output: Annotated[list[Path], typer.Option("--output", "-o", help="Write the summary: .docx, .xlsx, .html and/or "
                      ".md (Word and HTML include the charts); repeatable.")] = [],  # noqa: B006
    by: Annotated[str, typer.Option(help="domain,construct,code (default), domain,code, or rq (one section per "
                                    "research question).")] = "domain,construct,code",
    rq: Annotated[Optional[Path], typer.Option(help="Research-questions YAML for --by rq (default: "
                                               "research_questions.yaml in the project folder).")] = None,
    attribute: Annotated[str, typer.Option(help="Attribute whose spread is counted and quotes should cover.")] = "site",
    quotes: Annotated[int, typer.Option(help="Quotes per code.")] = 3,
    attribution: Annotated[str, typer.Option(help="Quote attribution from attributes.")] = "({site}, {participant})",
    max_chars: Annotated[int, typer.Option(help="Longest quote in characters (cut at a sentence, …).")] = 400,
    unit: Annotated[str, typer.Option(help="Segment counted: paragraph, turn or sentence.",
                                      parser=SEGMENT_UNIT)] = "paragraph",
    include_interviewer: Annotated[bool, typer.Option("--include-interviewer", help="Count and quote interviewer "
                                                      "talk too.")] = False,
    coder: Annotated[Optional[str], typer.Option(help="Use one coder's codings (default: consensus where it exists, "
                                                 "else every coder's).")] = None,
    project: ProjectOpt = None,
    as_json: JsonOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Coded material per CMO domain -> construct -> code (or per research question): counts, spread, quotes.

    Example:

      npt-coder themes -o reports/themes.docx

      npt-coder themes --by rq --rq research_questions.yaml -o reports/themes_rq.html
    """
    from ..render import code_frequency_figure, code_heatmap_figure, code_sunburst_figure, save
    from ..themes import theme_summary as make_themes

    with one_line_errors():
        outputs = output_files(output, THEMES_FORMATS, "themes output") if output else []
        p = project_at(project)
        levels = "rq" if by.strip() == "rq" else tuple(b.strip() for b in by.split(",") if b.strip())
        with terminal_progress(quiet=quiet, delay=PROGRESS_DELAY) as progress:  # on a terminal only, then cleared
            tell = progress or (lambda stage, done, total: None)
            tell("themes", 0, 1)
            t = make_themes(p, by=levels, rq=rq, attribute=attribute, n_quotes=quotes, attribution=attribution,
                            max_chars=max_chars, unit=unit, include_interviewer=include_interviewer, coder=coder)
            tell("themes", 1, 1)
            if outputs:
                figures = [("Coded material per code", code_frequency_figure(t)),
                           (f"Codes by {attribute}", code_heatmap_figure(t)),
                           ("Domain, construct and code", code_sunburst_figure(t))]
                for out in writing(outputs, progress):
                    save(t, out, figures=figures)
        if as_json:
            echo_json({"basis": t.methods_text(), "codes": json.loads(t.table.to_json(orient="records")),
                        "quotes": json.loads(t.quotes.to_json(orient="records"))})
            return
        shown = t.table[t.table["primary"]][["group_id", "label", "n_segments", "n_transcripts", "n_participants",
                                              *t.spread_columns]]
        echo_table(shown, headers={"group_id": "Section", "label": "Code", "n_segments": f"Coded {t.unit}s",
                                   "n_transcripts": "Transcripts", "n_participants": "Participants",
                                   **{c: c.split("=", 1)[1] for c in t.spread_columns}},
                   wrap=["label"])
        typer.echo("")
        echo_wrapped(f"Columns {', '.join(c.split('=', 1)[1] for c in t.spread_columns)}: coded {t.unit}s per "
                     f"{attribute}. {t.methods_text()}")
        for out in outputs:
            typer.echo(f"wrote {out}")



@app.command()
def matrix(
    output: Annotated[list[Path], typer.Option("--output", "-o", help="Workbook to write (.xlsx); .csv writes the "
                                               "table; repeatable.")],
    rows: Annotated[str, typer.Option(help="participant, transcript, or an attribute (site, role).")] = "participant",
    columns: Annotated[str, typer.Option(help="code or construct.",
                                         parser=OneOf("columns", ("code", "construct")))] = "code",
    cell: Annotated[str, typer.Option(help="excerpts or count.", parser=OneOf("cell", ("excerpts", "count")))] =
        "excerpts",
    max_chars: Annotated[int, typer.Option(help="Longest excerpt in a cell.")] = 300,
    unit: Annotated[str, typer.Option(help="Segment counted (cell count): paragraph, turn or sentence.",
                                      parser=SEGMENT_UNIT)] = "paragraph",
    include_interviewer: Annotated[bool, typer.Option("--include-interviewer")] = False,
    coder: Annotated[Optional[str], typer.Option(help="Use one coder's codings.")] = None,
    project: ProjectOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """A Framework Method matrix: cases x codes or constructs, one sheet per CMO domain (Gale and colleagues, 2013).

    Example:

      npt-coder matrix -o reports/matrix.xlsx

      npt-coder matrix --columns construct --cell count -o reports/matrix_counts.xlsx
    """
    from ..render import save
    from ..themes import framework_matrix

    with one_line_errors():
        outputs = output_files(output, (".xlsx", ".csv"), "matrix output")
        p = project_at(project)
        with terminal_progress(quiet=quiet, delay=PROGRESS_DELAY) as progress:  # on a terminal only, then cleared
            tell = progress or (lambda stage, done, total: None)
            tell("matrix", 0, 1)
            found = framework_matrix(p, rows=rows, columns=columns, cell=cell, max_chars=max_chars, unit=unit,
                                     include_interviewer=include_interviewer, coder=coder)
            tell("matrix", 1, 1)
            for out in writing(outputs, progress):
                save(found, out)
        m = found.table
        for out in outputs:
            typer.echo(f"wrote {out}: {count(len(m), f'{rows} row')} × "
                       f"{count(len(m.columns) - len(found.leading), f'{columns} column')}")



@app.command()
def report(
    output: Annotated[list[Path], typer.Option("--output", "-o", help="Report files (one or more): .docx, .xlsx "
                                                                      "and/or .html; "
                                               "repeatable.")],
    logic_model: Annotated[list[str], typer.Option("--logic-model", help="A logic-model spec, or two joined by a "
                                                   "comma to draw them compared; repeatable.")] = [],  # noqa: B006
    rq: Annotated[Optional[Path], typer.Option(help="Research questions YAML (codes per question).")] = None,
    coders: Annotated[Optional[str], typer.Option(help="Coders compared for agreement (default: all but "
                                                  "consensus).")] = None,
    segment_unit: Annotated[str, typer.Option(help="turn, paragraph or sentence.", parser=SEGMENT_UNIT)] = "paragraph",
    title: Annotated[Optional[str], typer.Option(help="Report title.")] = None,
    project: ProjectOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Write the study report: methods written from the data, agreement, codebook, themes, matrix, logic models.

    Example:

      npt-coder report -o reports/study.docx -o reports/study.xlsx -o reports/study.html \\
          --logic-model risk.yaml,needs.yaml --rq research_questions.yaml
    """
    from ..render import warm_up, write_report
    from ..report import build_report

    with one_line_errors():
        output_files(output, (".docx", ".xlsx", ".html"), "report files")
        models = [[Path(x.strip()) for x in m.split(",") if x.strip()] for m in logic_model]
        p = project_at(project)
        if any(out.suffix.lower() == ".docx" for out in output):
            warm_up()  # the browser for the Word file's charts starts while the report is computed
        with terminal_progress(quiet=quiet, delay=PROGRESS_DELAY) as progress:  # on a terminal only, then cleared
            rep = build_report(p, title=title, logic_models=models, agreement_coders=split_coders(coders),
                               segment_unit=segment_unit, research_questions=rq, progress=progress)
            write_report(rep, output, progress=progress)  # the Word file last, its charts drawn meanwhile
        for out in output:
            typer.echo(f"wrote {out}")



@app.command()
def demo(out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the demo project and its reports "
                                           "(recreated each run).")] = Path("reports/demo"),
         quiet: QuietOpt = False) -> None:
    """Run the bundled demo study end to end: create a project, add the transcripts, write reports.

    Example:

      npt-coder demo --out reports/demo
    """
    from ..demo import run_demo

    with one_line_errors():
        with terminal_progress(quiet=quiet, delay=PROGRESS_DELAY) as progress:  # on a terminal only, then cleared
            result = run_demo(out, progress=progress)
        t = result.project.transcripts
        typer.echo(f"demo project: {result.project.root}")
        typer.echo(f"  {count(len(t), 'transcript')}, {count(t['site'].nunique(), 'site')}, "
                   f"{count(t['role'].nunique(), 'role')}, {count(int(t['n_turns'].sum()), 'turn')}, "
                   f"{count(int(t['n_words'].sum()), 'word')}")
        for imp in result.imports:
            typer.echo(f"  {imp.summary()}")
        for path in result.outputs:
            typer.echo(f"  wrote {path}")
        typer.echo(f"the demo's source files (transcripts, attributes.csv, lists/, inductive_codes.yaml, "
                   f"research_questions.yaml, logic_models/, coding/, review/) are in {result.sources}; the "
                   "README's walkthrough uses them")
