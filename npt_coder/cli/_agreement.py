"""Agreement verbs: agree, disagreements, reconcile."""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Annotated, Optional

import pandas as pd
import typer

from .._consensus import CONSENSUS, individual_coders
from .._words import count, interval, real_plurals
from ..agreement import COMPARISONS
from ..errors import NptCoderError
from ._app import (PROGRESS_DELAY, SEGMENT_UNIT, JsonOpt, OneOf, ProjectOpt, QuietOpt, app, echo_json, one_line_errors,
                   output_files, project_at, split_coders)
from ._progress import terminal_progress, writing
from ._table import echo_table, echo_wrapped

REPORT_FORMATS = (".docx", ".xlsx", ".html")
# units at which the all-coders table is not computed, and the one line saying why (the pairwise tables still are)
ALL_CODERS_LEFT_OUT = {
    "character": "All coders together: left out at the character unit, where each character of every shared "
                 "transcript would be a unit rated once per code (millions on a study); use --unit segment or "
                 "document for it.",
    "overlap": "All coders together: left out at the overlap unit, which matches one coder's spans with another's "
               "and so has no unit all coders rate; use --unit segment or document for it.",
}


@app.command()
def agree(
    coders: Annotated[Optional[str], typer.Option(help="Comma-separated coders to compare pairwise (default: every "
                                                  "coder except consensus).")] = None,
    unit: Annotated[str, typer.Option(help="segment, character, document or overlap.",
                                      parser=OneOf("unit", COMPARISONS))] = "segment",
    segment_unit: Annotated[str, typer.Option(help="For --unit segment: turn, paragraph or sentence.",
                                              parser=SEGMENT_UNIT)] = "paragraph",
    by: Annotated[str, typer.Option(help="Row levels: any of code,transcript,construct,domain,pooled.")] =
        "code,transcript,construct,domain,pooled",
    min_overlap: Annotated[int, typer.Option(help="Segment unit: characters a span must overlap a segment by.")] = 1,
    threshold: Annotated[float, typer.Option(help="Overlap unit: share of the union two spans must overlap.")] = 0.9,
    include_interviewer: Annotated[bool, typer.Option("--include-interviewer", help="Segment unit: count interviewer "
                                                      "segments as units too.")] = False,
    resamples: Annotated[int, typer.Option(help="Bootstrap resamples for the CIs (0: none).")] = 1000,
    cluster: Annotated[bool, typer.Option("--cluster", help="Resample whole transcripts (segment unit).")] = False,
    seed: Annotated[int, typer.Option(help="Bootstrap seed.")] = 0,
    output: Annotated[list[Path], typer.Option("--output", "-o", help="Also write a report: .docx, .xlsx and/or "
                      ".html (chart, methods paragraph, tables); repeatable.")] = [],  # noqa: B006
    project: ProjectOpt = None,
    as_json: JsonOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Inter-coder agreement per code, transcript, construct, domain and pooled, for every pair of coders.

    Statistics: percent agreement, Cohen's kappa and Krippendorff's alpha (with bootstrap CIs and Gwet's analytic
    standard errors), Gwet's AC1, Brennan-Prediger; with three or more coders also Fleiss', Conger's kappa, AC1
    and alpha across all of them. Rows that must not be read as they stand are flagged (too rare to judge,
    degenerate interval, too few transcripts for --cluster, overlap that matched nothing) and the warnings are
    printed, put in the methods paragraph and, with --json, under "warnings".

    Example:

      npt-coder agree --coders AK,JT --unit segment --segment-unit paragraph -o reports/agreement.docx
    """
    from ..agreement import agreement_table, agreement_warnings, multi_coder_table
    from ..errors import AgreementWarning
    from ..render import agreement_figure, methods_paragraph, save
    from ..render._agreement import flag_text
    from ..render._headers import header

    with one_line_errors():
        outputs = output_files(output, REPORT_FORMATS, "report format") if output else []
        p = project_at(project)
        levels = [b.strip() for b in by.split(",") if b.strip()]
        unit = segment_unit if unit == "segment" else unit  # the library names the segment itself as the unit
        with terminal_progress(quiet=quiet, delay=PROGRESS_DELAY) as progress:  # on a terminal only, then cleared
            tell = progress or (lambda stage, done, total: None)
            tell("agreement", 0, 1)
            with warnings.catch_warnings():  # the table's flags carry the cluster warning; printed below, once
                warnings.simplefilter("ignore", AgreementWarning)
                table = agreement_table(p, coders=split_coders(coders), unit=unit, by=levels,
                                        min_overlap=min_overlap, overlap_threshold=threshold,
                                        include_interviewer=include_interviewer, ci=0.95 if resamples > 0 else None,
                                        n_resamples=max(resamples, 1), cluster=cluster, seed=seed)
            names = split_coders(coders) or individual_coders(p.codings)
            left_out = ALL_CODERS_LEFT_OUT.get(unit) if len(names) > 2 else None
            multi = (multi_coder_table(p, coders=names, unit=unit, include_interviewer=include_interviewer)
                     if len(names) > 2 and left_out is None else None)
            tell("agreement", 1, 1)
            cb = p.load_codebook()
            methods = methods_paragraph(table, segment_unit=segment_unit, min_overlap=min_overlap,
                                        threshold=threshold, n_resamples=resamples, cluster=cluster,
                                        multi_coder=multi is not None, codebook=f"{cb.title} ({cb.sha256[:12]})")
            cautions = agreement_warnings(table)
            if outputs:
                meta = p.codebook.set_index("code_id")["domain"]
                figure = agreement_figure(table.assign(domain=table["key"].map(meta)))
                for out in writing(outputs, progress):
                    save(table, out, formats=REPORT_FORMATS, what="report format", methods=methods, figure=figure)
        if as_json:
            echo_json({"methods": methods, "warnings": cautions, "rows": json.loads(table.to_json(orient="records")),
                        "multi_coder": json.loads(multi.to_json(orient="records")) if multi is not None else None,
                        **({"multi_coder_left_out": left_out} if left_out else {})})
            return
        shown = table[table["level"].isin(["pooled", "domain", "transcript", "code"])]
        pairs = shown[["coder_a", "coder_b"]].drop_duplicates()
        view = pd.DataFrame({"label": shown["label"]})
        if len(pairs) > 1:
            view["pair"] = shown["coder_a"] + " vs " + shown["coder_b"]
        view = view.assign(n_units=shown["n_units"], both=shown["both"], only_a=shown["only_a"],
                           only_b=shown["only_b"], neither=shown["neither"],
                           percent_agreement=shown["percent_agreement"] * 100, cohen_kappa=shown["cohen_kappa"],
                           kappa_ci=[interval(lo, hi) if lo == lo else "–"
                                     for lo, hi in zip(shown["kappa_ci_low"], shown["kappa_ci_high"])],
                           kappa_se=shown["kappa_se"], krippendorff_alpha=shown["krippendorff_alpha"],
                           gwet_ac1=shown["gwet_ac1"], brennan_prediger=shown["brennan_prediger"],
                           kappa_label=shown["kappa_label"],
                           caution=[flag_text(f) for f in shown["caution"]])
        if not view["caution"].astype(bool).any():
            view = view.drop(columns="caution")
        a, b = (pairs.iloc[0]["coder_a"], pairs.iloc[0]["coder_b"]) if len(pairs) == 1 else ("A", "B")
        echo_table(view, headers={"label": "Code or group", "pair": "Coders", "n_units": "Units",
                                  "both": "Both", "only_a": f"Only {a}", "only_b": f"Only {b}", "neither": "Neither",
                                  "percent_agreement": "% agree", "cohen_kappa": "κ", "kappa_ci": "κ 95% CI",
                                  "kappa_se": "κ SE", "krippendorff_alpha": "α", "gwet_ac1": "AC1",
                                  "brennan_prediger": "BP", "kappa_label": "Landis & Koch", "caution": "Flags"},
                   digits={"percent_agreement": 1}, wrap=["label", "kappa_label", "caution"])
        if multi is not None:
            typer.echo("\nAll coders together (missing ratings as Gwet, 2014):")
            echo_table(multi, headers={c: header(c) for c in multi.columns})
        if left_out:
            typer.echo("")
            echo_wrapped(left_out)
        typer.echo("")
        echo_wrapped(real_plurals(methods))
        for caution in cautions:  # last, where they are seen (with --json they travel under "warnings")
            echo_wrapped(f"warning: {real_plurals(caution)}", err=True, indent="  ")
        for out in outputs:
            typer.echo(f"wrote {out}")



@app.command("disagreements")
def disagreements_(
    coders: Annotated[str, typer.Option(help="The two coders, A,B.")],
    output: Annotated[list[Path], typer.Option("--output", "-o", help="Review files (one or more): .xlsx (to settle "
                                               "and reconcile) and/or .docx (to read in a meeting); repeatable.")],
    segment_unit: Annotated[str, typer.Option(help="turn, paragraph or sentence.", parser=SEGMENT_UNIT)] = "paragraph",
    include_interviewer: Annotated[bool, typer.Option("--include-interviewer")] = False,
    project: ProjectOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """List every segment where two coders' codes differ, with a Decision column for the team to settle.

    Example:

      npt-coder disagreements --coders AK,JT -o review.xlsx -o review.docx
    """
    from ..render import save
    from ..review import disagreements, review_workbook

    with one_line_errors():
        outputs = output_files(output, (".xlsx", ".docx"), "review file")
        names = split_coders(coders) or []
        if len(names) != 2:
            raise NptCoderError(f"--coders needs exactly two coders, A,B; got {coders!r}")
        p = project_at(project)
        with terminal_progress(quiet=quiet, delay=PROGRESS_DELAY) as progress:  # on a terminal only, then cleared
            found = disagreements(p, names[0], names[1], unit=segment_unit, include_interviewer=include_interviewer,
                                  progress=progress)
            # the .xlsx review is a coding file (review_workbook, to settle and reconcile); the .docx is for reading
            for out in writing(outputs, progress):
                save(review_workbook(found, project_id=p.project_id) if out.suffix.lower() == ".xlsx" else found, out)
        for out in outputs:
            typer.echo(f"wrote {out}: {count(len(found.codes), 'code')} in dispute on "
                       f"{count(len(found.table), found.unit)} between {names[0]} and {names[1]} "
                       f"({count(len(found.transcripts), 'transcript')})")



@app.command()
def reconcile(
    review: Annotated[Path, typer.Argument(help="The settled review workbook (.xlsx).")],
    as_coder: Annotated[str, typer.Option("--as", help="Coder name for the consensus codings.")] = CONSENSUS,
    project: ProjectOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Import a settled review as the consensus coding: agreed codes plus every decision, in one transaction.

    Example:

      npt-coder reconcile review.xlsx --as consensus
    """
    from ..review import reconcile as _reconcile

    with one_line_errors():
        p = project_at(project)
        with terminal_progress(quiet=quiet, delay=PROGRESS_DELAY) as progress:  # on a terminal only, then cleared
            result = _reconcile(p, review, as_coder=as_coder, progress=progress)
        typer.echo(f"{review.name}: {result.summary()}")
