"""The logic-model verbs: draft, check, render, describe."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from .._words import count
from ..errors import NptCoderError
from ._app import (
    KEY_VALUE,
    JsonOpt,
    OneOf,
    ProjectOpt,
    echo_json,
    filter_pairs,
    logic_model_app,
    one_line_errors,
    output_files,
    project_at,
    split_coders,
)

MODEL_FORMATS = (".html", ".png", ".svg", ".pdf", ".docx", ".txt", ".md")

CoderOpt = Annotated[Optional[str], typer.Option(help="Comma-separated coders whose codings count (default: the "
                                                 "consensus coding where a transcript has one, else every coder's).")]


FilterOpt = Annotated[Optional[list[str]], typer.Option("--attribute-filter", "-f", help="Keep transcripts whose "
                      "attribute matches, KEY=VALUE or KEY=V1,V2; repeatable.", parser=KEY_VALUE)]


EvidenceOpt = Annotated[str, typer.Option(help="Evidence under each item: 'project' (counted from the project's "
                        "coding), 'spec' (the counts recorded in the file), 'none', or 'auto' (project when one is "
                        "found, else none).", parser=OneOf("--evidence", ("auto", "project", "spec", "none")))]


def lm_evidence(spec, mode: str, project: Optional[Path], coder: Optional[str], pairs: Optional[list[str]]):
    from ..logic_model import evidence as lm_evidence

    if mode == "spec":
        return True
    if mode == "none":
        return None
    if mode == "auto" and project is None:
        try:
            from ..store import find_project

            find_project()
        except NptCoderError:
            return None
    return lm_evidence(spec, project_at(project), coder=split_coders(coder), attribute_filter=filter_pairs(pairs))


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
    from ..logic_model import draft_logic_model, logic_model_to_yaml

    with one_line_errors():
        spec = draft_logic_model(project_at(project), coder=split_coders(coder), top=top, title=title,
                                 attribute_filter=filter_pairs(attribute_filter))
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(logic_model_to_yaml(spec), encoding="utf-8")
        items = [i for c in spec["columns"] for i in (c.get("items") or [x for g in c.get("groups", [])
                                                                         for x in g["items"]])]
        if as_json:
            echo_json({"output": str(output), "source": spec["source"],
                        "items": [{"id": i["id"], "codes": i["codes"], **i["evidence"]} for i in items]})
            return
        typer.echo(f"wrote {output}: {count(len(items), 'item')} drafted from {spec['source']['coding']}; rewrite "
                   "each as a claim about your service")


@logic_model_app.command("check")
def logic_model_check(
    files: Annotated[list[Path], typer.Argument(help="Logic-model specs (YAML).")],
    project: ProjectOpt = None,
) -> None:
    """Validate logic-model specs; codes are checked against the project's codebook when there is a project.

    Example:

      npt-coder logic-model check risk_model.yaml needs_model.yaml
    """
    from ..logic_model import load_logic_model

    with one_line_errors():
        try:
            codebook = project_at(project).load_codebook()
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
    output: Annotated[list[Path], typer.Option("--output", "-o", help="Files to write (one or more): .html (figure "
                                                                      "and text "
                      "description, works offline), .png, .svg, .pdf, .docx (editable Word table), .txt (text "
                      "description). Repeatable.")] = [],  # noqa: B006 - typer needs a list default
    evidence: EvidenceOpt = "auto",
    coder: CoderOpt = None,
    attribute_filter: FilterOpt = None,
    layout: Annotated[str, typer.Option(help="With two specs: stacked (default) or side-by-side.",
                                        parser=OneOf("layout", ("stacked", "side-by-side")))] = "stacked",
    width: Annotated[int, typer.Option(help="Width of one model in px.")] = 1400,
    font_size: Annotated[float, typer.Option(help="Item text size in px.")] = 14,
    project: ProjectOpt = None,
) -> None:
    """Draw a logic model, or two compared with their differences in bold, as HTML, PNG/SVG/PDF, Word or text.

    Example:

      npt-coder logic-model render risk_model.yaml needs_model.yaml -o compare.html -o compare.png -o compare.docx
    """
    from ..logic_model import load_logic_model
    from ..render import save

    with one_line_errors():
        if not output:
            raise NptCoderError("give at least one --output file (.html, .png, .svg, .pdf, .docx or .txt)")
        output_files(output, MODEL_FORMATS, "output")
        a = load_logic_model(spec)
        b = load_logic_model(other) if other is not None else None
        ev_a = lm_evidence(a, evidence, project, coder, attribute_filter)
        ev_b = lm_evidence(b, evidence, project, coder, attribute_filter) if b is not None else None
        kw = dict(compare_with=b, evidence=ev_a, compare_evidence=ev_b)
        for out in output:
            save(a, out, layout=layout, width=width, font_size=font_size, **kw)
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
    from ..logic_model import describe, load_logic_model

    with one_line_errors():
        a = load_logic_model(spec)
        b = load_logic_model(other) if other is not None else None
        ev_a = lm_evidence(a, evidence, project, coder, attribute_filter)
        ev_b = lm_evidence(b, evidence, project, coder, attribute_filter) if b is not None else None
        text = describe(a, compare_with=b, evidence=ev_a, compare_evidence=ev_b)
        if as_json:
            frames = [e for e in (ev_a, ev_b) if hasattr(e, "to_json")]
            echo_json({"description": text, "evidence": [r for e in frames
                                                          for r in json.loads(e.to_json(orient="records"))]})
            return
        typer.echo(text)
