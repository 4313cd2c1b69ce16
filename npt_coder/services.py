"""The operations a user performs on a project, shared by every front end (the CLI, the workbench, a notebook).

Each service runs the checks a policy asks for and then the store's change, which is one transaction. The store
records what it is given; the rules of *when* it may be given something live here, for instance that no transcript
enters a project without the anonymisation check.

Examples
--------
>>> import tempfile, npt_coder as nc
>>> p = nc.init_project(tempfile.mkdtemp() + "/study")
>>> add_transcripts(p, [nc.demo_path() / "S1_P02.txt"], attributes={"site": "S1"}).added
['S1_P02']
"""

from __future__ import annotations

from pathlib import Path
from typing import Mapping, Sequence

from .anon import find_identifiers_many
from .assist import Evaluation, SuggestResult, evaluate, suggest
from .coding import ImportResult, import_files
from .errors import AnonymisationError, ProjectError
from .ingest import IngestOptions, Transcript, read_attribute_table, read_transcripts, resolve_attributes
from .store import AddResult, AnonCheck, Project

__all__ = ["accept_suggestion", "add_read_transcripts", "add_transcripts", "evaluate_suggestions", "import_codings",
           "reject_suggestion", "suggest_codes"]


def add_transcripts(
    project: Project,
    paths: Sequence[str | Path],
    *,
    attributes_table: str | Path | None = None,
    name_pattern: str | None = None,
    attributes: Mapping[str, str] | None = None,
    options: IngestOptions | None = None,
    who: str | None = None,
    accept_flagged: bool = False,
    deny: Sequence[str] = (),
    allow: Sequence[str] = (),
    nlp="auto",
) -> AddResult:
    """Read transcript files, check them for identifiers and add them in one transaction: if any file fails,
    nothing is added.

    Attributes come from ``name_pattern`` (e.g. ``"{site}_{participant}"``), then ``attributes_table`` (CSV or
    XLSX keyed by ``file`` or ``transcript_id``), then ``attributes`` (given values win). A file whose bytes the
    project already holds is skipped and reported in :attr:`~npt_coder.store.AddResult.duplicates`; a different
    file under an existing transcript id raises :class:`~npt_coder.errors.ProjectError`. The anonymisation check
    is that of :func:`add_read_transcripts`.
    """
    if not paths:
        raise ProjectError("no files given to add")
    table = read_attribute_table(attributes_table) if attributes_table else None
    ids: list[str | None] = []
    attr_list: list[dict[str, str]] = []
    for p in paths:
        tid, attrs = resolve_attributes(Path(p), table=table, name_pattern=name_pattern, given=attributes)
        ids.append(tid)
        attr_list.append(attrs)
    transcripts = read_transcripts(paths, options=options, transcript_ids=ids, attributes=attr_list)
    return add_read_transcripts(project, transcripts, who=who, accept_flagged=accept_flagged, deny=deny,
                                allow=allow, nlp=nlp)


def add_read_transcripts(project: Project, transcripts: Sequence[Transcript], *, who: str | None = None,
                         note: str | None = None, accept_flagged: bool = False, deny: Sequence[str] = (),
                         allow: Sequence[str] = (), nlp="auto") -> AddResult:
    """Add already-read transcripts after the anonymisation check, in one transaction.

    Every transcript goes through :func:`npt_coder.anon.find_identifiers_many` with the ``deny``/``allow`` terms
    and, with ``nlp="auto"``, the trained English pipeline when installed; speaker labels are skipped. If any
    finding remains, nothing is added and :class:`~npt_coder.errors.AnonymisationError` says which transcripts
    hold how many of which type (never the values), unless ``accept_flagged``; the project records every check,
    and that the findings were accepted, with who and when.
    """
    findings = find_identifiers_many([t.text for t in transcripts], nlp=nlp, deny=deny, allow=allow,
                                     skip_spans=[t.label_spans() for t in transcripts])
    flagged = {t.transcript_id: f for t, f in zip(transcripts, findings) if len(f)}
    if flagged and not accept_flagged:
        parts = []
        for tid, f in flagged.items():
            counts = f["type"].value_counts()
            parts.append(f"{tid}: " + ", ".join(f"{n} {kind}" for kind, n in counts.items()))
        raise AnonymisationError(
            f"{len(flagged)} transcript(s) may hold residual identifiers ({'; '.join(parts)}); nothing was added. "
            "Review them with 'npt-coder check-anon FILES', fix or pseudonymise the files ('npt-coder "
            "pseudonymise'), or add them with --accept-flagged to record that you accept them"
        )
    checks = [AnonCheck(name_detection=bool(f.attrs.get("name_detection")),
                        by_type={str(k): int(n) for k, n in f["type"].value_counts().items()},
                        accepted_flagged=len(f) > 0) for f in findings]
    return project.store_transcripts(transcripts, checks, who=who, note=note)


def import_codings(project: Project, paths: Sequence[str | Path], *, coder: str | None = None,
                   new_inductive: bool = False, code_map=None, who: str | None = None) -> list[ImportResult]:
    """Import coding files (workbooks, Word comments, long tables, REFI-QDA) in one transaction, one batch each.

    See :func:`npt_coder.coding.import_files` for the kinds of file and :mod:`npt_coder.coding._import` for the
    rules (validation, merging, no-op re-import, superseding).
    """
    return import_files(project, paths, coder=coder, new_inductive=new_inductive, code_map=code_map, who=who)


def suggest_codes(project: Project, *, learn_from: Sequence[str] = (), transcripts: Sequence[str] | None = None,
                  unit: str = "paragraph", codes: Sequence[str] | None = None, coder: str = "assist",
                  threshold: float = 0.5, model="auto", include_interviewer: bool = False,
                  who: str | None = None) -> SuggestResult:
    """Suggest codes with a model that runs on this machine and store them as ``coder``'s coding, in one batch.

    The rules (never from the units learnt from; a coder name of its own; codebook-only without ``learn_from``) are
    those of :func:`npt_coder.assist.suggest`, which this calls.
    """
    return suggest(project, learn_from=learn_from, transcripts=transcripts, unit=unit, codes=codes, coder=coder,
                   threshold=threshold, model=model, include_interviewer=include_interviewer, who=who)


def evaluate_suggestions(project: Project, *, learn_from: Sequence[str], unit: str = "paragraph",
                         codes: Sequence[str] | None = None, folds: int = 5, threshold: float = 0.5, model="auto",
                         include_interviewer: bool = False) -> Evaluation:
    """How well suggestions agree with the ``learn_from`` coders, cross-validated by transcript (stores nothing);
    see :func:`npt_coder.assist.evaluate`."""
    return evaluate(project, learn_from=learn_from, unit=unit, codes=codes, folds=folds, threshold=threshold,
                    model=model, include_interviewer=include_interviewer)


def _suggestion(project: Project, coding_id: int):
    found = project.suggestions
    found = found[found["coding_id"] == int(coding_id)]
    if found.empty:
        raise ProjectError(f"coding {coding_id} is not a current suggestion (see Project.suggestions)")
    return found.iloc[0]


def accept_suggestion(project: Project, coding_id: int, *, coder: str, who: str | None = None) -> int:
    """Accept one suggestion (one click in a review): ``coder`` codes the same span with the same code, source
    ``accepted``, memo naming the suggestion; the suggestion stays as the model's record. Returns the new coding id.
    """
    s = _suggestion(project, coding_id)
    if not (coder or "").strip() or coder.strip() == s["coder"]:
        raise ProjectError(f"accepting a suggestion needs the reviewing coder's name (not {s['coder']!r})")
    return project.add_coding(s["transcript_id"], s["code_id"], int(s["start"]), int(s["end"]), coder=coder,
                              memo=f"accepted suggestion {int(coding_id)}", source="accepted", who=who)


def reject_suggestion(project: Project, coding_id: int, *, who: str | None = None) -> int:
    """Reject one suggestion (one click in a review): it is retired, kept in history; returns the batch."""
    _suggestion(project, coding_id)
    return project.remove_coding(int(coding_id), who=who)
