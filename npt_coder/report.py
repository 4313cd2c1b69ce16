"""The study report: everything the earlier stages compute, gathered once, with a methods paragraph written from
the data, rendered as Word, Excel and HTML by :mod:`npt_coder.render._report`.

:func:`build_report` queries the project and computes; the renderers only lay out what it returns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

import pandas as pd

from ._consensus import (CONSENSUS, individual_coders, is_group_method, not_recorded, participant_ids, recorded_values,
                         reviewed)
from ._words import and_list, count, noun, real_plurals
from .agreement import agreement_table
from .logic_model import LogicModel, load_logic_model
from .logic_model import evidence as logic_model_evidence
from .store import Project, snapshot
from .themes import Themes, cmo_links, cooccurrence, framework_matrix, theme_summary

__all__ = ["StudyReport", "build_report", "study_methods"]

@dataclass
class StudyReport:
    """What a study report shows; every number traceable to the project, coders, unit and codebook."""

    title: str
    methods: str
    design: pd.DataFrame  # transcripts by site x role
    coders: pd.DataFrame  # coder, transcripts, codings
    codebook: pd.DataFrame
    codebook_label: str
    themes: Themes
    figures: list[tuple[str, object]]
    matrix: object  # the FrameworkMatrix (counts per participant and construct)
    agreement: pd.DataFrame | None = None
    agreement_methods: str = ""
    agreement_figure: object | None = None
    logic_models: list[tuple[LogicModel, LogicModel | None, object, object]] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


def _participants(project: Project) -> pd.DataFrame:
    """One row per participant (site, role, participant), counted by the project-wide rule
    (:func:`npt_coder._consensus.participant_ids`): the case attribute in interviews, each speaker in groups."""
    t = project.transcripts
    attrs = t.set_index("transcript_id")
    group_ids = {tid for tid, m in zip(t["transcript_id"], t.get("method", pd.Series([None] * len(t))))
                 if is_group_method(m)}
    single = t[~t["transcript_id"].isin(group_ids)]
    n = len(single)
    cases = participant_ids(single["transcript_id"], pd.Series([""] * n), pd.Series(["participant"] * n), attrs)
    rows = list(zip(single["site"] if "site" in single else [""] * n, single["role"] if "role" in single
                    else [""] * n, cases))
    if group_ids:
        seg = project.segments("turn", include_interviewer=False, transcripts=sorted(group_ids))
        site = attrs.get("site")
        ids = participant_ids(seg["transcript_id"], seg["speaker"], seg["speaker_role"], attrs)
        for tid, who in dict.fromkeys(zip(seg["transcript_id"], ids)):
            if who is not None:
                rows.append((site.get(tid, "") if site is not None else "", "focus group participant", who))
    return pd.DataFrame(rows, columns=["site", "role", "participant"]).drop_duplicates("participant")


def _tally(frame: pd.DataFrame, attribute: str) -> tuple[pd.Series, int]:
    """How many rows take each recorded value of ``attribute`` (most first), and how many have none recorded."""
    values = recorded_values(frame[attribute], attribute) if attribute in frame else pd.Series(
        not_recorded(attribute), index=frame.index)
    missing = values == not_recorded(attribute)
    return values[~missing].value_counts(), int(missing.sum())


def _unrecorded(no_site: int, no_method: int, no_role: int) -> str:
    """The sentence naming transcripts with no site or method recorded and participants with no role ("" when
    every one is recorded), with a leading space."""
    parts = []
    missing = [(k, what) for k, what in ((no_site, "site"), (no_method, "method")) if k]
    if missing:
        (k, what), *rest = missing
        parts.append(f"{count(k, 'transcript')} {noun(k, 'has')} no {what} recorded"
                     + "".join(f" and {k} no {what} recorded" for k, what in rest))
    if no_role:
        parts.append(f"{count(no_role, 'participant')} {noun(no_role, 'has')} no role recorded")
    return f" {'; '.join(parts)}." if parts else ""


def _design(t: pd.DataFrame) -> pd.DataFrame:
    """Transcripts by site (rows) and role (columns), recorded values in order, the unrecorded group last."""
    if not len(t):
        return pd.DataFrame()
    site, role = (recorded_values(t[a], a) if a in t else pd.Series(not_recorded(a), index=t.index)
                  for a in ("site", "role"))
    table = pd.crosstab(site.rename("site"), role.rename("role"))

    def order(labels, attribute):
        return sorted(labels, key=lambda v: (v == not_recorded(attribute), v))

    return table.reindex(index=order(table.index, "site"), columns=order(table.columns, "role"))


def study_methods(project: Project, *, agreement_methods: str = "", themes_basis: str = "") -> str:
    """Methods written from the project: transcripts, participants, coders, codebook; then the agreement and the
    themes' basis as paragraphs of their own (separated by blank lines)."""
    t = project.transcripts
    n = len(t)
    methods, no_method = _tally(t, "method")
    sites, no_site = _tally(t, "site")
    people = _participants(project)
    roles, no_role = _tally(people, "role")
    seg_counts = {u: len(project.segments(u, include_interviewer=False, text=False))
                  for u in ("turn", "paragraph", "sentence")}
    codings = project.codings
    codings = codings[reviewed(codings)]  # machine suggestions no coder accepted are nobody's coding
    cb = project.load_codebook()
    coders = codings[codings["coder"] != CONSENSUS].groupby("coder")["transcript_id"].nunique()
    coder_text = and_list(f"{c} coded {count(k, 'transcript')}" for c, k in coders.items()) or "no codings yet"
    per_t = codings[codings["coder"] != CONSENSUS].groupby("transcript_id")["coder"].nunique()
    double = sorted(per_t[per_t >= 2].index)
    method_text = f" ({', '.join(f'{k} {v}' for k, v in methods.items())})" if len(methods) else ""
    by_site = ", ".join(f"{s}: {k}" for s, k in sites.sort_index().items())
    site_text = f" from {count(len(sites), 'site')} ({by_site})" if len(sites) else ""
    role_text = f" by role: {', '.join(f'{r} {k}' for r, k in roles.items())}" if len(roles) else ""
    text = (f"The study holds {count(n, 'transcript')}{method_text}{site_text}, with "
            f"{count(len(people), 'participant')}{role_text}.{_unrecorded(no_site, no_method, no_role)} "
            "Participant talk forms "
            f"{count(seg_counts['turn'], 'turn')}, {count(seg_counts['paragraph'], 'paragraph')} and "
            f"{count(seg_counts['sentence'], 'sentence')} ({int(t['n_words'].sum()):,} words in all). Coding used "
            f"the codebook {cb.title} (hash {cb.sha256[:12]}) in a Context-Mechanism-Outcome frame: "
            f"{cb.composition}. {coder_text[:1].upper() + coder_text[1:]}; {count(len(double), 'transcript')} "
            f"{noun(len(double), 'was')} double-coded" + (f" ({', '.join(double)})" if double else "") + ".")
    if CONSENSUS in set(codings["coder"]):
        k = codings.loc[codings["coder"] == CONSENSUS, "transcript_id"].nunique()
        text += (f" Disagreements were settled in review and recorded as a consensus coding on "
                 f"{count(k, 'transcript')}.")
    # one paragraph each: the study, its agreement, the basis of the themes
    return "\n\n".join(part for part in (text, agreement_methods, themes_basis) if part)


def build_report(
    project: Project,
    *,
    title: str | None = None,
    logic_models: Sequence[str | Path | Sequence[str | Path]] = (),
    agreement_coders: Sequence[str] | None = None,
    segment_unit: str = "paragraph",
    n_resamples: int = 1000,
    research_questions: str | Path | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> StudyReport:
    """Compute everything a study report shows.

    ``logic_models`` lists spec files, or pairs of files to draw compared; their evidence is counted from the
    project. Agreement is computed between every pair of ``agreement_coders`` (default: every coder except
    ``consensus`` and the machine whose suggestions no coder accepted yet) on the transcripts both coded, at the segment unit, when at least one transcript is
    double-coded. The project is read once for all of it (:func:`npt_coder.store.snapshot`).
    ``progress(stage, done, total)``, when given, hears each step begin and end: ``"agreement"``, ``"themes"``
    (its five figures and the matrix counted) and ``"logic models"``.
    """
    import time

    project = snapshot(project)
    tell = progress or (lambda stage, done, total: None)

    from .render import (agreement_figure, cmo_sankey_figure, code_frequency_figure, code_heatmap_figure,
                         code_sunburst_figure, cooccurrence_figure, methods_paragraph)

    timings: dict[str, float] = {}
    start = time.perf_counter()
    tell("agreement", 0, 1)
    cb = project.load_codebook()
    codebook_label = f"{cb.title} ({cb.sha256[:12]})"
    codings = project.codings
    human = individual_coders(codings)
    coders = list(agreement_coders) if agreement_coders is not None else human
    per_t = codings[codings["coder"].isin(coders)].groupby("transcript_id")["coder"].nunique()
    table = a_methods = a_fig = None
    if len(coders) >= 2 and (per_t >= 2).any():
        table = agreement_table(project, coders=coders, unit=segment_unit, n_resamples=n_resamples)
        # the codebook is named once, in the study's methods
        a_methods = real_plurals(methods_paragraph(table, segment_unit=segment_unit, n_resamples=n_resamples))
        domains = project.codebook.set_index("code_id")["domain"]
        a_fig = agreement_figure(table.assign(domain=table["key"].map(domains)))
    timings["agreement"] = time.perf_counter() - start
    tell("agreement", 1, 1)

    start = time.perf_counter()
    tell("themes", 0, 7)
    rq_path = research_questions
    coded = theme_summary(project, unit=segment_unit, rq=rq_path)
    tell("themes", 1, 7)
    steps = [("Coded segments per code", lambda: code_frequency_figure(coded)),
             ("Codes by site", lambda: code_heatmap_figure(coded)),
             ("Domain, construct and code", lambda: code_sunburst_figure(coded)),
             ("Codes on the same segment", lambda: cooccurrence_figure(cooccurrence(project, unit=segment_unit))),
             ("Context → Mechanism → Outcome", lambda: cmo_sankey_figure(cmo_links(project, within="turn")))]
    figures = []
    for i, (name, make) in enumerate(steps, start=2):
        figures.append((name, make()))
        tell("themes", i, 7)
    matrix = framework_matrix(project, columns="construct", cell="count", unit=segment_unit)
    tell("themes", 7, 7)
    timings["themes"] = time.perf_counter() - start

    start = time.perf_counter()
    tell("logic models", 0, max(1, len(logic_models)))
    models = []
    for entry in logic_models:
        pair = [entry] if isinstance(entry, (str, Path)) else list(entry)
        specs = [load_logic_model(p, codebook=cb) for p in pair]
        found = [logic_model_evidence(s, project) for s in specs]
        models.append((specs[0], specs[1] if len(specs) > 1 else None, found[0], found[1] if len(found) > 1 else None))
        tell("logic models", len(models), max(1, len(logic_models)))
    tell("logic models", max(1, len(logic_models)), max(1, len(logic_models)))
    timings["logic models"] = time.perf_counter() - start

    t = project.transcripts
    design = _design(t)
    coder_table = codings[reviewed(codings)].groupby("coder").agg(transcripts=("transcript_id", "nunique"),
                                               codings=("code_id", "size")).reset_index()
    # each paragraph once: the study and what the themes rest on here; the agreement paragraph in its own section
    methods = study_methods(project, themes_basis=coded.methods_text(codebook=False))
    return StudyReport(title=title or f"Study report: {project.root.name}", methods=methods, design=design,
                       coders=coder_table, codebook=project.codebook, codebook_label=codebook_label, themes=coded,
                       figures=figures, matrix=matrix, agreement=table, agreement_methods=a_methods or "",
                       agreement_figure=a_fig, logic_models=models, timings=timings)
