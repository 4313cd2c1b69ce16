"""The bundled demo study, run end to end: ``npt-coder demo`` or ``nc.run_demo()``.

The demo is a fictional multi-agency "Children's Front Door" evaluation written for this project (``data/demo``):
twelve transcripts from three sites and five practitioner roles in Word, plain text (three encodings) and Teams
WebVTT, an attributes table, the study's inductive codes, and two fictional coders' work in ``data/demo/coding``:
AK coded six transcripts in a coding workbook (paragraph unit), JT double-coded three of them with Word comments,
and the team's settled review of their disagreements (``data/demo/review``) becomes the consensus coding. Running it
creates a fresh project and writes what every finished stage produces into its ``reports/`` folder, and a copy of
the study's source files into its ``sources/`` folder, so that someone with only the installed package can follow
the README's walkthrough.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ._resources import demo_path
from .errors import ProjectError
from .render import codebook_to_docx, codebook_to_markdown, codebook_to_xlsx
from .store import PROJECT_FILE, Project, init_project

__all__ = ["DemoResult", "run_demo"]

_DEMO_MARKER = ".npt-coder-demo"
SOURCES = "sources"  # the folder in the demo project that holds a copy of the study's source files
DEMO_PROJECT_ID = "demo0000000000000000000000000001"  # fixed so the shipped coding workbook matches every demo run


@dataclass
class DemoResult:
    project: Project
    outputs: list[Path] = field(default_factory=list)
    imports: list = field(default_factory=list)
    agreement: object = None
    sources: Path | None = None  # the demo's source files, copied beside the project


def demo_files() -> list[Path]:
    """The demo transcripts in name order."""
    folder = demo_path()
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in (".docx", ".txt", ".vtt", ".srt"))


_STEPS = 8  # what run_demo tells its progress of: add, import, hand-outs, agreement, themes, models, report, tables


def run_demo(out: str | Path = "reports/demo", *,
             progress: Callable[[str, int, int], None] | None = None) -> DemoResult:
    """Create the demo project at ``out`` (replacing an earlier demo there), write its reports, and copy the
    study's source files (transcripts, attributes table, allow list, inductive codebook, research questions, logic
    models, the coders' work and the settled review) into ``out/sources/``.

    A folder that holds a project which is *not* a demo project is never touched. ``progress(stage, done,
    total)``, when given, hears ``"demo"`` as each of its steps is done.
    """
    tell = progress or (lambda stage, done, total: None)
    tell("demo", 0, _STEPS)
    out = Path(out)
    if (out / PROJECT_FILE).exists():
        if not (out / _DEMO_MARKER).exists():
            raise ProjectError(f"{out} holds a project that is not the demo; choose another folder with --out")
        shutil.rmtree(out)
    folder = demo_path()
    project = init_project(out, codebook=folder / "inductive_codes.yaml", project_id=DEMO_PROJECT_ID)
    (out / _DEMO_MARKER).write_text("This folder is recreated by 'npt-coder demo'.\n", encoding="utf-8")
    sources = shutil.copytree(folder, out / SOURCES, ignore=shutil.ignore_patterns("__pycache__", ".*"))
    # every transcript passes the anonymisation check (with the trained name pipeline when installed); the team's
    # allow list records the one common word the pipeline mistakes for a name
    from .anon import load_terms
    from .services import add_transcripts, import_codings

    add_transcripts(project, demo_files(), attributes_table=folder / "attributes.csv", who="demo",
                    allow=load_terms(folder / "lists" / "allow.txt"))
    tell("demo", 1, _STEPS)
    result = DemoResult(project, sources=Path(sources))
    reports = project.reports_dir

    cb = project.load_codebook()
    manual_md = reports / "codebook.md"
    manual_md.write_text(codebook_to_markdown(cb), encoding="utf-8")
    manual_docx = reports / "codebook.docx"
    codebook_to_docx(cb).save(manual_docx)
    manual_xlsx = reports / "codebook.xlsx"
    codebook_to_xlsx(cb).save(manual_xlsx)
    # the two demo coders' work arrives as a user's would: AK's filled coding workbook, JT's Word comments
    from .coding import export_codings_table

    coded = sorted((folder / "coding").glob("*.*"))
    result.imports = import_codings(project, coded, who="demo")
    tell("demo", 2, _STEPS)

    # what a new coder is handed: a coding workbook for two transcripts nobody has coded yet, and a Word copy of a
    # third to code with comments
    from .coding import make_coding_workbook, transcript_to_docx

    sheet = reports / "coding_workbook_KL.xlsx"
    make_coding_workbook(project, "KL", transcripts=["S2_P09", "S3_P13"], unit="paragraph").save(sheet)
    t = project.transcripts.set_index("transcript_id")
    copy = reports / "S2_P12_for_coding.docx"
    transcript_to_docx(project.transcript_text("S2_P12"), transcript_id="S2_P12",
                       title="S2_P12: a copy for coding with comments",
                       attributes={k: t.at["S2_P12", k] for k in ("site", "participant", "role", "method")
                                   if k in t.columns}).save(copy)
    result.outputs += [sheet, copy]
    tell("demo", 3, _STEPS)

    # agreement between the two coders, the disagreements to settle, and the team's settled review as consensus
    from .agreement import agreement_table
    from .review import disagreements, reconcile, review_workbook
    from .render import (agreement_figure, agreement_to_docx, agreement_to_html, agreement_to_xlsx,
                         disagreements_to_docx, methods_paragraph)

    table = agreement_table(project, coders=["AK", "JT"], unit="paragraph")
    cb_text = f"{cb.title} ({cb.sha256[:12]})"
    methods = methods_paragraph(table, segment_unit="paragraph", codebook=cb_text)
    domains = project.codebook.set_index("code_id")["domain"]
    figure = agreement_figure(table.assign(domain=table["key"].map(domains)))
    for suffix in ("docx", "xlsx", "html"):
        path = reports / f"agreement_AK_JT.{suffix}"
        if suffix == "docx":
            agreement_to_docx(table, methods, figure=figure).save(path)
        elif suffix == "xlsx":
            agreement_to_xlsx(table, methods).save(path)
        else:
            path.write_text(agreement_to_html(table, methods, figure=figure), encoding="utf-8")
        result.outputs.append(path)
    found = disagreements(project, "AK", "JT")
    review = reports / "review_AK_JT.xlsx"
    review_workbook(found, project_id=project.project_id).save(review)
    review_docx = reports / "review_AK_JT.docx"
    disagreements_to_docx(found).save(review_docx)
    result.outputs += [review, review_docx]
    result.imports.append(reconcile(project, folder / "review" / "AK_JT_review_settled.xlsx", who="demo"))
    result.agreement = table
    tell("demo", 4, _STEPS)

    # themed summaries (consensus coding where it exists), charts, the framework matrix, and themes by research question
    from .render import (cmo_sankey_figure, code_frequency_figure, code_heatmap_figure, code_sunburst_figure,
                         cooccurrence_figure, matrix_to_xlsx, themes_to_docx, themes_to_html, themes_to_markdown,
                         themes_to_xlsx)
    from .themes import cmo_links, cooccurrence, framework_matrix, theme_summary

    coded = theme_summary(project)
    figs = [("Coded paragraphs per code", code_frequency_figure(coded)), ("Codes by site", code_heatmap_figure(coded)),
            ("Domain, construct and code", code_sunburst_figure(coded)),
            ("Codes on the same paragraph", cooccurrence_figure(cooccurrence(project))),
            ("Context → Mechanism → Outcome", cmo_sankey_figure(cmo_links(project, within="turn")))]
    themes_to_docx(coded, figures=figs).save(reports / "themes.docx")
    themes_to_xlsx(coded).save(reports / "themes.xlsx")
    (reports / "themes.html").write_text(themes_to_html(coded, figures=figs), encoding="utf-8")
    (reports / "themes.md").write_text(themes_to_markdown(coded), encoding="utf-8")
    by_rq = theme_summary(project, by="rq", rq=folder / "research_questions.yaml")
    themes_to_docx(by_rq, title="Themes by research question").save(reports / "themes_by_rq.docx")
    matrix_to_xlsx(framework_matrix(project)).save(reports / "framework_matrix.xlsx")
    result.outputs += [reports / n for n in ("themes.docx", "themes.xlsx", "themes.html", "themes.md",
                                             "themes_by_rq.docx", "framework_matrix.xlsx")]
    tell("demo", 5, _STEPS)

    # logic models: the two demo specs with their evidence from the (consensus) coding, singly and compared
    from .logic_model import describe as describe_logic_model
    from .logic_model import evidence as logic_model_evidence
    from .logic_model import load_logic_model
    from .render import figure_png, logic_model_figure, logic_model_to_docx, logic_model_to_html

    specs = {name: load_logic_model(folder / "logic_models" / f"{name}_model.yaml", codebook=cb)
             for name in ("risk", "needs")}
    found = {name: logic_model_evidence(spec, project) for name, spec in specs.items()}
    for stem, a, b in (("risk", "risk", None), ("needs", "needs", None), ("compare", "risk", "needs")):
        kw = dict(compare_with=specs[b] if b else None, evidence=found[a], compare_evidence=found[b] if b else None)
        page = reports / f"logic_model_{stem}.html"
        page.write_text(logic_model_to_html(specs[a], **kw), encoding="utf-8")
        alt = reports / f"logic_model_{stem}.txt"
        alt.write_text(describe_logic_model(specs[a], **kw) + "\n", encoding="utf-8")
        result.outputs += [page, alt]
        fig = logic_model_figure(specs[a], **kw)
        png, _ = figure_png(fig, width=fig.layout.width, height=fig.layout.height, scale=2)
        if png is not None:  # no browser for kaleido: the HTML page still holds the figure
            (reports / f"logic_model_{stem}.png").write_bytes(png)
            result.outputs.append(reports / f"logic_model_{stem}.png")
    word = reports / "logic_models.docx"
    logic_model_to_docx(specs["risk"], compare_with=specs["needs"], evidence=found["risk"],
                        compare_evidence=found["needs"]).save(word)
    result.outputs.append(word)
    tell("demo", 6, _STEPS)


    # the study report: everything above in one Word, Excel and HTML document
    from .render import report_to_docx, report_to_html, report_to_xlsx
    from .report import build_report

    study = build_report(project, title="Children's Front Door evaluation (fictional demo study)",
                         logic_models=[[folder / "logic_models" / "risk_model.yaml",
                                        folder / "logic_models" / "needs_model.yaml"]],
                         research_questions=folder / "research_questions.yaml")
    report_to_docx(study).save(reports / "study.docx")
    report_to_xlsx(study).save(reports / "study.xlsx")
    (reports / "study.html").write_text(report_to_html(study), encoding="utf-8")
    result.outputs += [reports / "study.docx", reports / "study.xlsx", reports / "study.html"]
    tell("demo", 7, _STEPS)

    codings = reports / "codings.csv"
    export_codings_table(project).to_csv(codings, index=False)
    result.outputs.append(codings)
    listing = reports / "transcripts.csv"
    project.transcripts.drop(columns=["text"]).to_csv(listing, index=False)
    segments = reports / "segments_turn.csv"
    project.segments("turn").to_csv(segments, index=False)
    result.outputs += [manual_md, manual_docx, manual_xlsx, listing, segments]
    tell("demo", _STEPS, _STEPS)
    return result
