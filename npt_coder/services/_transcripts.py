"""Services on transcripts and imports: add with the anonymisation gate, attributes, remove, replace, coding
files and whole projects from other programs."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping, Sequence

from .._words import count, noun
from ..anon import CACHE_FOLDER, CheckCache, check_identifiers
from ..coding import ImportResult, import_files, merge_overlaps
from ..errors import AnonymisationError, ProjectError
from ..ingest import (HEADER_ATTRIBUTES, IngestOptions, Transcript, align, read_attribute_table, read_transcripts,
                      resolve_attributes)
from ..store import TRANSCRIPT_COLUMNS, AddResult, AnonCheck, Project

__all__ = [
    "Progress", "ProjectImportResult", "ReplaceResult", "add_read_transcripts", "add_transcripts", "check_cache",
    "check_transcripts", "import_attributes",
    "import_codings", "import_project", "read_for_project", "remove_transcript", "replace_transcript", "set_attributes",
]

#: ``progress(stage, done, total)``: how far a long operation has come (see :func:`add_transcripts`)
Progress = Callable[[str, int, int], None]


def check_cache(project: Project) -> CheckCache:
    """Where the project keeps the anonymisation checks already run (:class:`~npt_coder.anon.CheckCache`, in
    ``.cache/anon-checks`` of its folder): what ``check-anon`` found is reused by ``add`` and ``replace``, and a
    refused ``add`` run again with ``--accept-flagged`` does not check again. It is no part of the project's
    data: deleting the folder only makes the next check slower."""
    return CheckCache(Path(project.root) / CACHE_FOLDER)


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
    n_process: int | None = None,
    progress: Progress | None = None,
) -> AddResult:
    """Read transcript files, check them for identifiers and add them in one transaction: if any file fails,
    nothing is added.

    ``progress(stage, done, total)``, when given, hears how far the add has come: ``"reading"`` (files),
    ``"sentences"``, ``"names"`` and ``"patterns"`` (characters checked for identifiers), ``"storing"``; a front
    end shows it for long adds. ``n_process`` is as for :func:`npt_coder.anon.check_identifiers`.

    Attributes come from ``name_pattern`` (e.g. ``"{site}_{participant}"``), then ``attributes_table`` (CSV or
    XLSX keyed by ``file`` or ``transcript_id``), then ``attributes`` (given values win). A file whose bytes the
    project already holds is recognised before the anonymisation check (which it therefore never fails), skipped
    and reported in :attr:`~npt_coder.store.AddResult.duplicates`; a different file under an existing transcript
    id raises :class:`~npt_coder.errors.ProjectError`. The anonymisation check is that of
    :func:`add_read_transcripts`.
    """
    if not paths:
        raise ProjectError("no files given to add")
    transcripts = read_for_project(paths, attributes_table=attributes_table, name_pattern=name_pattern,
                                   attributes=attributes, options=options, progress=progress)
    known = project.known_files()
    fresh, duplicates = [], []
    for t in transcripts:  # a file the project holds is recognised before any check is run on it
        if t.sha256 in known:
            duplicates.append((Path(t.source_path).name, known[t.sha256]))
        elif any(f.sha256 == t.sha256 for f in fresh):
            duplicates.append((Path(t.source_path).name, next(f.transcript_id for f in fresh if f.sha256 == t.sha256)))
        else:
            fresh.append(t)
    if not fresh:
        return AddResult(duplicates=duplicates)
    result = add_read_transcripts(project, fresh, who=who, accept_flagged=accept_flagged, deny=deny, allow=allow,
                                  nlp=nlp, n_process=n_process, progress=progress)
    result.duplicates[:0] = duplicates
    return result


def read_for_project(paths: Sequence[str | Path], *, attributes_table: str | Path | None = None,
                     name_pattern: str | None = None, attributes: Mapping[str, str] | None = None,
                     options: IngestOptions | None = None, progress: Progress | None = None) -> list[Transcript]:
    """Read transcript files with their attributes resolved as :func:`add_transcripts` resolves them
    (``progress`` hears ``"reading"`` after each file, then ``"sentences"``)."""
    table = read_attribute_table(attributes_table) if attributes_table else None
    ids: list[str | None] = []
    attr_list: list[dict[str, str]] = []
    for p in paths:
        tid, attrs = resolve_attributes(Path(p), table=table, name_pattern=name_pattern, given=attributes)
        ids.append(tid)
        attr_list.append(attrs)
    return read_transcripts(paths, options=options, transcript_ids=ids, attributes=attr_list, progress=progress)


def _warnings(transcripts: Sequence[Transcript]) -> list[tuple[str, str]]:
    out = [(t.transcript_id, w) for t in transcripts for w in t.warnings]
    for t in transcripts:
        # the recording's date and duration from an export's header say nothing of the case
        if not any(str(v).strip() for k, v in t.attributes.items() if k not in HEADER_ATTRIBUTES):
            out.append((t.transcript_id, "added with no attributes at all (site, participant, role, ...); set them "
                                         f"with 'npt-coder attrs set {t.transcript_id} KEY=VALUE' or 'attrs import'"))
    return out


def _where(t: Transcript, findings, limit: int = 3) -> str:
    """Where a transcript's findings are, by type, offsets and place in the source file (never the values)."""
    parts = [f"{r.type} at {int(r.start)}-{int(r.end)} ({t.source_location(int(r.start))})"
             for r in findings.head(limit).itertuples(index=False)]
    more = f" and {len(findings) - limit} more" if len(findings) > limit else ""
    return f"{t.transcript_id} " + ", ".join(parts) + more


def check_transcripts(transcripts: Sequence[Transcript], *, accept_flagged: bool = False, deny: Sequence[str] = (),
                      allow: Sequence[str] = (), nlp="auto", what: str = "added", cache: CheckCache | None = None,
                      n_process: int | None = None, progress: Progress | None = None) -> list[AnonCheck]:
    """The anonymisation check of transcripts about to enter a project: one :class:`~npt_coder.store.AnonCheck`
    each, or :class:`~npt_coder.errors.AnonymisationError` when any has findings and ``accept_flagged`` is False.
    ``cache`` (see :func:`check_cache`) keeps and reuses checks; ``n_process`` and ``progress`` are as for
    :func:`npt_coder.anon.check_identifiers`.

    The error says which transcripts hold how many identifiers of which type and where: offsets into the
    transcript's text and the line and column of the source file (a paragraph of a Word or OpenDocument file), never
    the values.
    """
    check = check_identifiers([t.text for t in transcripts], nlp=nlp, deny=deny, allow=allow,
                              skip_spans=[t.label_spans() for t in transcripts], cache=cache, n_process=n_process,
                              progress=progress)
    findings = check.findings
    flagged = [(t, f) for t, f in zip(transcripts, findings) if len(f)]
    if flagged and not accept_flagged:
        parts, where = [], []
        for t, f in flagged:
            counts = f["type"].value_counts()
            parts.append(f"{t.transcript_id}: " + ", ".join(f"{n} {kind}" for kind, n in counts.items()))
            where.append(_where(t, f))
        raise AnonymisationError(
            f"{count(len(flagged), 'transcript')} may hold residual identifiers ({'; '.join(parts)}); nothing was "
            f"{what}. "
            f"Where: {'; '.join(where[:8])}. Review them with 'npt-coder check-anon FILES', fix or pseudonymise the "
            "files ('npt-coder pseudonymise'), or add them with --accept-flagged to record that you accept them"
        )
    return [AnonCheck(name_detection=check.name_detection,
                      by_type={str(k): int(n) for k, n in f["type"].value_counts().items()},
                      accepted_flagged=len(f) > 0) for f in findings]


def add_read_transcripts(project: Project, transcripts: Sequence[Transcript], *, who: str | None = None,
                         note: str | None = None, accept_flagged: bool = False, deny: Sequence[str] = (),
                         allow: Sequence[str] = (), nlp="auto", n_process: int | None = None,
                         progress: Progress | None = None) -> AddResult:
    """Add already-read transcripts after the anonymisation check, in one transaction.

    Every transcript goes through :func:`check_transcripts` (:func:`npt_coder.anon.check_identifiers` with the
    ``deny``/``allow`` terms and, with ``nlp="auto"``, the trained English pipeline when installed; speaker labels
    are skipped). If any finding remains, nothing is added and :class:`~npt_coder.errors.AnonymisationError` says
    which transcripts hold how many of which type and where (never the values), unless ``accept_flagged``; the
    project records every check, and that the findings were accepted, with who and when. The result's ``warnings``
    hold what the reading noted (no speaker labels, control characters removed, ...) and transcripts added without
    any attribute. A check already run on the same text with the same settings (``check-anon``, a refused add)
    is reused (:func:`check_cache`); ``n_process`` and ``progress`` are as for :func:`add_transcripts`.
    """
    checks = check_transcripts(transcripts, accept_flagged=accept_flagged, deny=deny, allow=allow, nlp=nlp,
                               cache=check_cache(project), n_process=n_process, progress=progress)
    if progress is not None:
        progress("storing", 0, 1)
    result = project.store_transcripts(transcripts, checks, who=who, note=note)
    if progress is not None:
        progress("storing", 1, 1)
    added = set(result.added)
    result.warnings = _warnings([t for t in transcripts if t.transcript_id in added])
    return result


def import_codings(project: Project, paths: Sequence[str | Path], *, coder: str | None = None,
                   new_inductive: bool = False, code_map=None, who: str | None = None,
                   progress: Progress | None = None) -> list[ImportResult]:
    """Import coding files (workbooks, Word comments, long tables, REFI-QDA) in one transaction, one batch each.

    See :func:`npt_coder.coding.import_files` for the kinds of file and :mod:`npt_coder.coding._import` for the
    rules (validation, merging, no-op re-import, superseding). A ``.qdpx`` given here brings only its codings, onto
    transcripts the project already holds; :func:`import_project` brings a whole project, sources included (what
    ``npt-coder import PROJECT.qdpx`` does). ``progress`` hears ``"reading"`` (files), ``"sheets"`` (a coding
    workbook's transcript sheets) and ``"storing"``.
    """
    return import_files(project, paths, coder=coder, new_inductive=new_inductive, code_map=code_map, who=who,
                        progress=progress)


# -- managing transcripts after add ----------------------------------------------------------------------------------

def set_attributes(project: Project, transcript_id: str, values: Mapping[str, str | None], *,
                   who: str | None = None) -> dict:
    """Set or correct one transcript's case attributes (``""`` removes one); returns ``{key: [old, new]}`` of what
    changed. See :meth:`~npt_coder.store.Project.set_attributes`."""
    if not values:
        raise ProjectError("no attributes given (KEY=VALUE ...)")
    return project.set_attributes({transcript_id: dict(values)}, who=who).get(transcript_id, {})


def import_attributes(project: Project, table: str | Path, *, who: str | None = None) -> dict:
    """Set case attributes from a CSV/XLSX table keyed by ``transcript_id`` or ``file`` (the name of the file the
    transcript was added from), in one transaction; empty cells leave an attribute as it is.

    Every row must name a transcript of the project, else nothing changes and the error lists the rows that do not.
    Returns ``{transcript_id: {key: [old, new]}}`` for what changed.
    """
    path = Path(table)
    frame = read_attribute_table(path)
    tr = project.transcripts
    by_file = dict(zip(tr["source_name"], tr["transcript_id"]))
    ids = set(tr["transcript_id"])
    changes: dict[str, dict[str, str]] = {}
    unknown: list[str] = []
    for n, row in enumerate(frame.to_dict("records"), start=2):
        tid = str(row.get("transcript_id") or "").strip() if "transcript_id" in frame.columns else ""
        if tid in ("", "nan") and "file" in frame.columns:
            name = str(row.get("file") or "").strip()
            tid = by_file.get(name) or by_file.get(Path(name).name) or ""
        if tid not in ids:
            unknown.append(f"row {n}")
            continue
        values = {k: str(v).strip() for k, v in row.items() if k not in ("transcript_id", "file")
                  and v is not None and str(v).strip() not in ("", "nan")}
        changes.setdefault(tid, {}).update(values)
    if unknown:
        raise ProjectError(f"{path.name}: {count(len(unknown), 'row')} {noun(len(unknown), 'names', 'name')} no "
                           f"transcript of this project "
                           f"({', '.join(unknown[:8])}); nothing was changed (see 'npt-coder list')")
    return project.set_attributes(changes, who=who, files=[path.name])


def remove_transcript(project: Project, transcript_id: str, *, with_codings: bool = False,
                      who: str | None = None) -> int:
    """Take a transcript out of the project; see :meth:`~npt_coder.store.Project.remove_transcript`."""
    return project.remove_transcript(transcript_id, with_codings=with_codings, who=who)


@dataclass
class ReplaceResult:
    """What a ``replace`` did: its batch, how many codings were carried onto the new text, and the codings that
    could not be (their text changed or went): (coding_id, coder, code_id, start, end) in the old text."""

    batch_id: int
    carried: int
    not_carried: list[tuple[int, str, str, int, int]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def replace_transcript(project: Project, transcript_id: str, path: str | Path, *,
                       options: IngestOptions | None = None, attributes: Mapping[str, str] | None = None,
                       who: str | None = None, accept_flagged: bool = False, deny: Sequence[str] = (),
                       allow: Sequence[str] = (), nlp="auto") -> ReplaceResult:
    """Replace a transcript by a corrected file, carrying its codings over where their text is unchanged.

    The file is read as ``add`` reads it (the transcript's attributes apply, e.g. ``speaker``) and goes through the
    same anonymisation check. The old text is aligned onto the new (:func:`npt_coder.ingest.align`); a current coding
    is carried when its span maps onto exactly the same text, and listed in ``not_carried`` otherwise (it stays in
    the history, superseded by the replace, with its offsets into the earlier text kept in ``transcript_versions``).
    """
    old_text = project.transcript_text(transcript_id)
    row = project.transcripts.set_index("transcript_id").loc[transcript_id]
    current = {k: str(v) for k, v in row.items() if k not in _NOT_ATTRIBUTES and v is not None and str(v) != "nan"}
    new = read_transcripts([path], options=options, transcript_ids=[transcript_id],
                           attributes=[{**current, **dict(attributes or {})}])[0]
    if new.sha256 == row["sha256"]:
        raise ProjectError(f"{Path(path).name}: is the file {transcript_id} was added from; nothing to replace")
    check = check_transcripts([new], accept_flagged=accept_flagged, deny=deny, allow=allow, nlp=nlp,
                              what="replaced", cache=check_cache(project))[0]
    al = align(old_text, new.text)
    carried, missed = [], []
    for r in project.coding_table(transcript_id).itertuples(index=False):
        span = al.exact(int(r.start), int(r.end))
        if span is None:
            missed.append((int(r.coding_id), r.coder, r.code_id, int(r.start), int(r.end)))
        else:
            carried.append((int(r.coding_id), *span))
    batch = project.replace_transcript(transcript_id, new, check, carried, who=who)
    return ReplaceResult(batch, len(carried), missed, list(new.warnings))


_NOT_ATTRIBUTES = set(TRANSCRIPT_COLUMNS)


# -- whole projects from other programs ------------------------------------------------------------------------------

@dataclass
class ProjectImportResult:
    """What importing one ``.qdpx`` project did (see :func:`import_project`)."""

    file: str
    already_imported: int | None = None
    added: list[str] = field(default_factory=list)
    matched: dict[str, str] = field(default_factory=dict)  # source name -> transcript already in the project
    codings: ImportResult | None = None
    new_codes: list[str] = field(default_factory=list)
    n_memos: int = 0
    attributes: dict = field(default_factory=dict)
    users: list[str] = field(default_factory=list)
    left_aside: dict[str, int] = field(default_factory=dict)
    warnings: list[tuple[str, str]] = field(default_factory=list)

    @property
    def no_op(self) -> bool:
        return self.already_imported is not None

    def summary(self) -> str:
        """One line: what came in; then, if anything, one line of what was left aside."""
        if self.no_op:
            return f"nothing to do: this file was already imported as batch {self.already_imported}"
        parts = [f"added {count(len(self.added), 'transcript')}"]
        if self.matched:
            parts.append(f"matched {count(len(self.matched), 'source')} to transcripts already here")
        c = self.codings
        if c is not None and c.batch_id is not None and c.n_codings:
            parts.append(c.summary())
        else:
            parts.append("no codings")
        if self.new_codes:
            parts.append(f"{count(len(self.new_codes), 'new inductive code')}")
        if self.n_memos:
            parts.append(count(self.n_memos, "memo"))
        if self.attributes:
            parts.append(f"attributes of {count(len(self.attributes), 'transcript')} set")
        line = "; ".join(parts)
        if self.left_aside:
            line += "\nleft aside: " + ", ".join(f"{n} {what}" for what, n in sorted(self.left_aside.items()))
        return line


def import_project(project: Project, path: str | Path, *, options: IngestOptions | None = None,
                   coder: str | None = None, code_map=None, new_inductive: bool = False, who: str | None = None,
                   accept_flagged: bool = False, deny: Sequence[str] = (), allow: Sequence[str] = (),
                   nlp="auto", progress: Progress | None = None) -> ProjectImportResult:
    """Import a whole REFI-QDA project (``.qdpx`` from NVivo, ATLAS.ti, MAXQDA, QualCoder) in one transaction.

    Its sources become transcripts (or are matched to transcripts the project holds) and go through the same
    anonymisation check as ``add`` (:func:`check_transcripts`); its codes, codings, memos and cases come with them,
    as :func:`npt_coder.coding._qdpx.project.plan_qdpx_import` describes. A second import of the same file changes
    nothing; a later export of the same project supersedes each coder's earlier codings on its transcripts. What
    cannot be carried (pictures, audio, sets, graphs, codings on them or on folders, ...) is counted in
    :attr:`ProjectImportResult.left_aside` and kept, one line each, in the import batch's history (``left_out``).
    ``progress(stage, done, total)``, when given, hears ``"sources"`` (the file's sources read), the check's
    ``"names"`` and ``"patterns"``, and ``"storing"``.
    """
    from ..coding._qdpx.project import plan_qdpx_import
    from ..store import ImportBatch, ProjectImport

    plan = plan_qdpx_import(path, project, options=options, coder=coder, code_map=code_map,
                            new_inductive=new_inductive, progress=progress)
    name = Path(path).name
    result = ProjectImportResult(name, already_imported=plan.already_imported, matched=dict(plan.matched),
                                 users=plan.users, left_aside=dict(plan.left_aside))
    if plan.already_imported is not None:
        return result
    checks = check_transcripts(plan.transcripts, accept_flagged=accept_flagged, deny=deny, allow=allow, nlp=nlp,
                               what="imported", progress=progress) if plan.transcripts else []
    df, merged = merge_overlaps(plan.codings)
    left_out = tuple(f"{n} {what} left aside" for what, n in sorted(plan.left_aside.items()))  # kept in the history
    # even without codings: a second import is then a no-op
    imports = [ImportBatch(df, "qdpx", name, plan.sha256, merged, left_out=left_out)]
    tell = progress or (lambda stage, done, total: None)
    tell("storing", 0, 1)
    stored = project.store_project_import(ProjectImport(
        plan.transcripts, checks, imports, plan.new_codes, f"+ {count(len(plan.new_codes), 'code')} from {name}",
        plan.memos, plan.attributes, note=f"from {name}"), who=who)
    tell("storing", 1, 1)
    result.added = list(stored.added.added)
    result.n_memos, result.attributes = stored.n_memos, stored.attributes
    result.new_codes = [c["id"] for c in plan.new_codes]
    if stored.recorded:
        rec = stored.recorded[0]
        result.codings = ImportResult(batch_id=rec.batch_id, n_codings=len(df), n_merged=merged,
                                      n_superseded=rec.n_superseded, coders=sorted(df["coder"].unique()),
                                      transcripts=sorted(df["transcript_id"].unique()),
                                      already_imported=rec.already_imported)
    result.warnings = _warnings([t for t in plan.transcripts if t.transcript_id in set(result.added)])
    return result
