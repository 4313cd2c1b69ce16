"""Importing codings into a project: validation, merging, superseding, history and undo.

Every import is one transaction and one *batch*. Rules:

* every span must lie inside its transcript's text with ``0 <= start < end <= len(text)``, name a transcript of the
  project, a non-empty coder and a code of the project's codebook; otherwise nothing is imported and the error
  lists the problems (unknown codes with their closest codebook matches);
* overlapping or touching spans of the same code by the same coder on the same transcript are merged (memos joined),
  and the result says how many were merged;
* importing a file whose bytes were already imported (and not undone) changes nothing and says so;
* importing a coder's work on a transcript *supersedes* that coder's current codings there: they are kept, marked
  with the superseding batch, never deleted; ``undo`` of that batch restores them.

This module decides what may be imported; the store records it (:meth:`~npt_coder.store.Project.record_imports`).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np
import pandas as pd

from .._words import and_list, count, noun
from ..codebook import Codebook
from ..errors import CodingImportError, ProjectError
from ..store import ImportBatch, Project

__all__ = [
    "IMPORT_COLUMNS", "ImportResult", "closest_codes", "code_hint", "codings_from_table", "history", "import_codings",
    "merge_overlaps", "prepare_codings", "undo", "write_batches",
]

IMPORT_COLUMNS = ["transcript_id", "coder", "code_id", "start", "end", "memo"]
_MAX_LISTED = 8
_MAX_OFFSET = 2**53  # beyond this a float no longer holds every whole number: no transcript is that long


@dataclass
class ImportResult:
    """What one import did."""

    batch_id: int | None
    n_codings: int = 0
    n_merged: int = 0
    n_superseded: int = 0
    coders: list[str] = field(default_factory=list)
    transcripts: list[str] = field(default_factory=list)
    new_codes: list[str] = field(default_factory=list)
    already_imported: int | None = None  # batch id of the identical earlier import, when this was a no-op
    left_out: list[str] = field(default_factory=list)  # what the file held that was not imported, and why

    @property
    def no_op(self) -> bool:
        return self.already_imported is not None

    def summary(self) -> str:
        if self.no_op:
            return f"nothing to do: this file was already imported as batch {self.already_imported}"
        parts = [f"imported {count(self.n_codings, 'coding')} by {', '.join(self.coders)} on "
                 f"{count(len(self.transcripts), 'transcript')} as batch {self.batch_id}"]
        if self.n_merged:
            parts.append(f"merged {count(self.n_merged, 'overlapping span')} of the same code")
        if self.n_superseded:
            parts.append(f"superseded {count(self.n_superseded, 'earlier coding')} (kept in history)")
        if self.new_codes:
            parts.append(f"added inductive {noun(len(self.new_codes), 'code')} {', '.join(self.new_codes)}")
        parts.extend(self.left_out)
        return "; ".join(parts)


def closest_codes(unknown: str, codebook: Codebook, n: int = 2) -> list[str]:
    """Closest codebook entries to an unknown code, by id or name, as ``id (name)`` strings; for a text that names
    an NPT construct (``Reflexive monitoring``), that construct's codes.

    >>> from npt_coder.codebook import load_codebook
    >>> closest_codes("Reflexive monitorng", load_codebook())
    ['M4.1 (Systemisation)', 'M4.2 (Individual appraisal)', 'M4.3 (Communal appraisal)', 'M4.4 (Reconfiguration)']
    """
    construct = codebook.named_construct(unknown)
    if construct is not None:
        return [f"{c.code_id} ({c.name})" for c in construct[1]]
    labels = {c.code_id: c for c in codebook}
    names = {c.name.casefold(): c for c in codebook}
    hits = difflib.get_close_matches(unknown, list(labels), n=n, cutoff=0.5)
    hits += [names[m].code_id for m in difflib.get_close_matches(unknown.casefold(), list(names), n=n, cutoff=0.5)]
    out: list[str] = []
    for h in hits:
        if h not in out:
            out.append(h)
    return [f"{h} ({labels[h].name})" for h in out[:n]]


def code_hint(unknown: str, codebook: Codebook) -> str:
    """What to say after an unknown code in a message: `` (closest: M3.3 (Relational integration))``, or, for a
    construct's id or name, that it is a construct and which codes are its.

    >>> from npt_coder.codebook import load_codebook
    >>> code_hint("Reflexive monitoring", load_codebook())  # doctest: +NORMALIZE_WHITESPACE
    ' (M4 Reflexive monitoring is an NPT construct, not a code: use one of its codes, M4.1 Systemisation,
    M4.2 Individual appraisal, M4.3 Communal appraisal or M4.4 Reconfiguration)'
    """
    construct = codebook.named_construct(unknown)
    if construct is not None:
        con, codes = construct
        listed = and_list([f"{c.code_id} {c.name}" for c in codes], conjunction="or")
        return f" ({con['id']} {con['name']} is an NPT construct, not a code: use one of its codes, {listed})"
    close = closest_codes(unknown, codebook)
    return f" (closest: {', '.join(close)})" if close else ""


def merge_overlaps(codings: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Merge overlapping or touching spans of the same code by the same coder on one transcript.

    Returns the merged table (sorted) and how many input rows were absorbed into others. Memos of merged spans
    are joined with `` | `` (duplicates dropped).

    >>> df = pd.DataFrame({"transcript_id": ["T"] * 3, "coder": ["A"] * 3, "code_id": ["M1.1"] * 3,
    ...                    "start": [0, 5, 20], "end": [10, 12, 25], "memo": ["x", "", "y"]})
    >>> merged, n = merge_overlaps(df)
    >>> merged[["start", "end", "memo"]].values.tolist(), n
    ([[0, 12, 'x'], [20, 25, 'y']], 1)
    """
    if codings.empty:
        return codings.copy(), 0
    df = codings.sort_values(["transcript_id", "coder", "code_id", "start", "end"], kind="stable").reset_index(drop=True)
    key = df[["transcript_id", "coder", "code_id"]].astype(str).agg("\x1f".join, axis=1)
    # a new group starts where the key changes or the span starts after the running end of the group so far
    running_end = df.groupby(key, sort=False)["end"].cummax().groupby(key, sort=False).shift(1)
    new_group = (key != key.shift(1)) | (df["start"] > running_end)
    group = new_group.cumsum()
    memo = df["memo"].fillna("").astype(str)

    def join_memos(values: pd.Series) -> str:
        seen: list[str] = []
        for v in values:
            if v and v not in seen:
                seen.append(v)
        return " | ".join(seen)

    merged = df.assign(memo=memo, _g=group).groupby("_g", sort=False).agg(
        transcript_id=("transcript_id", "first"), coder=("coder", "first"), code_id=("code_id", "first"),
        start=("start", "min"), end=("end", "max"), memo=("memo", join_memos),
    ).reset_index(drop=True)
    extra = [c for c in codings.columns if c not in merged.columns]
    for c in extra:  # carry other columns (e.g. source) from the first row of each group
        merged[c] = df.groupby(group, sort=False)[c].first().to_numpy()
    return merged, len(df) - len(merged)


def _validate(codings: pd.DataFrame, project: Project, codebook: Codebook, *, new_inductive: bool,
              where: str) -> tuple[pd.DataFrame, list[str]]:
    missing = [c for c in ("transcript_id", "coder", "code_id", "start", "end") if c not in codings.columns]
    if missing:
        raise CodingImportError(f"{where}: missing {noun(len(missing), 'column')} {', '.join(missing)}")
    df = codings.copy()
    if "memo" not in df.columns:
        df["memo"] = ""
    df["memo"] = df["memo"].fillna("").astype(str).str.strip()
    df["coder"] = df["coder"].fillna("").astype(str).str.strip()
    df["transcript_id"] = df["transcript_id"].astype(str).str.strip()
    df["code_id"] = df["code_id"].fillna("").astype(str).str.strip()
    problems: list[str] = []
    for col in ("start", "end"):
        num, problem = _offsets(df[col], col)
        if problem:
            problems.append(problem)
        df[col] = num
    if problems:
        raise CodingImportError(f"{where}: " + "; ".join(problems[:_MAX_LISTED]))
    texts = dict(project.transcripts[["transcript_id", "text"]].itertuples(index=False, name=None))
    lengths = {k: len(v) for k, v in texts.items()}
    empty_coder = df["coder"] == ""
    if empty_coder.any():
        problems.append(f"row {int(empty_coder.idxmax()) + 1}: the coder name is empty")
    unknown_t = sorted(set(df["transcript_id"]) - set(texts))
    if unknown_t:
        problems.append(f"{noun(len(unknown_t), 'transcript')} not in the project: "
                        f"{', '.join(unknown_t[:_MAX_LISTED])}")
    order = df["end"] <= df["start"]
    if order.any():
        i = int(order.idxmax())
        problems.append(f"row {i + 1}: end {df.loc[i, 'end']} <= start {df.loc[i, 'start']}")
    length = df["transcript_id"].map(lengths)
    outside = length.notna() & ((df["start"] < 0) | (df["end"] > length))
    if outside.any():
        i = int(outside.idxmax())
        problems.append(f"row {i + 1}: span {df.loc[i, 'start']}-{df.loc[i, 'end']} is outside transcript "
                        f"{df.loc[i, 'transcript_id']} ({int(length[i])} characters)")
    if problems:
        raise CodingImportError(f"{where}: " + "; ".join(problems))
    # codes given by name are accepted and turned into ids
    df["code_id"] = [codebook.resolve(c) or c for c in df["code_id"]]
    unknown = sorted(set(df["code_id"]) - set(codebook.ids))
    if unknown and not new_inductive:
        listed = []
        for u in unknown[:_MAX_LISTED]:
            listed.append(f"{u!r}{code_hint(u, codebook)}")
        raise CodingImportError(f"{where}: unknown {noun(len(unknown), 'code')} {'; '.join(listed)}; fix them, map "
                                f"them, or import with "
                                "--new-inductive to add them as inductive codes")
    return df, unknown


def report_left_out(notes: Sequence[str], left_out: list[str] | None) -> None:
    """Hand what a reader left out of a file (one line each, saying what and why) to the caller's ``left_out``
    list; :func:`~npt_coder.coding.import_files` always gives one, shows the lines and keeps them in the batch."""
    if left_out is not None:
        left_out.extend(notes)


def _offsets(values: pd.Series, col: str) -> tuple[pd.Series, str | None]:
    """A column of offsets as int64 and the first problem: a value that is not a whole number (text, a fraction,
    ``inf``, ``nan``, a boolean) or one too large to be a character position (``1e30``, never wrapped)."""
    index = values.index
    text = values.astype(object).where(~values.map(lambda v: isinstance(v, bool)), "")
    num = pd.to_numeric(text.map(lambda v: str(v).strip() if isinstance(v, str) else v), errors="coerce")
    num = num.astype("float64")
    finite = np.isfinite(num.to_numpy())
    whole = finite & (num.to_numpy() == np.round(num.to_numpy()))
    if not whole.all():
        i = int(np.argmin(whole))
        return pd.Series(-1, index=index, dtype="int64"), \
            f"row {i + 1}: {col} {values.iloc[i]!r} is not a whole number"
    too_big = np.abs(num.to_numpy()) > _MAX_OFFSET
    if too_big.any():
        i = int(np.argmax(too_big))
        return pd.Series(-1, index=index, dtype="int64"), \
            f"row {i + 1}: {col} {values.iloc[i]!r} is far beyond the end of any transcript"
    return num.astype("int64"), None


@dataclass
class Prepared:
    """One file's codings, validated and merged, ready to be written as a batch."""

    codings: pd.DataFrame
    source: str
    name: str
    sha256: str | None
    unknown: list[str]
    n_merged: int
    left_out: list[str] = field(default_factory=list)


def prepare_codings(project: Project, codings: pd.DataFrame, *, source: str, source_name: str | None = None,
                    sha256: str | None = None, new_inductive: bool = False,
                    codebook: Codebook | None = None, left_out: Sequence[str] = ()) -> Prepared:
    """Validate and merge one file's codings without touching the store (see :func:`import_codings`);
    ``left_out`` (what the reader left out of the file, one line each) travels to the batch's history."""
    where = source_name or source
    codebook = codebook or project.load_codebook()
    df, unknown = _validate(codings, project, codebook, new_inductive=new_inductive, where=where)
    if df.empty:
        raise CodingImportError(f"{where}: no codings found")
    merged, n_merged = merge_overlaps(df[IMPORT_COLUMNS])
    return Prepared(merged, source, where, sha256, unknown, n_merged, list(left_out))


def write_batches(project: Project, prepared: Sequence[Prepared], *, who: str | None = None) -> list[ImportResult]:
    """Write prepared imports, one batch each, all in ONE transaction (any failure changes nothing)."""
    new_codes: list[str] = []
    for prep in prepared:
        for u in prep.unknown:
            if u not in new_codes:
                new_codes.append(u)
    entries = [{"id": u, "name": u, "kind": "inductive", "maps_to": [],
                "definition": "Added on import; define it and map it onto NPT/CMO."} for u in new_codes]
    recorded = project.record_imports(
        [ImportBatch(prep.codings, prep.source, prep.name, prep.sha256, prep.n_merged, tuple(prep.left_out))
         for prep in prepared],
        new_codes=entries, codebook_label=f"+ inductive {', '.join(new_codes)}", who=who)
    results: list[ImportResult] = []
    for prep, rec in zip(prepared, recorded):
        if rec.already_imported is not None:
            results.append(ImportResult(batch_id=None, already_imported=rec.already_imported))
            continue
        df = prep.codings
        results.append(ImportResult(batch_id=rec.batch_id, n_codings=len(df), n_merged=prep.n_merged,
                                    n_superseded=rec.n_superseded, coders=sorted(df["coder"].unique()),
                                    transcripts=sorted(df["transcript_id"].unique()), new_codes=list(prep.unknown),
                                    left_out=list(prep.left_out)))
    return results


def import_codings(
    project: Project,
    codings: pd.DataFrame,
    *,
    source: str,
    source_name: str | None = None,
    sha256: str | None = None,
    who: str | None = None,
    new_inductive: bool = False,
) -> ImportResult:
    """Import coded spans (columns :data:`IMPORT_COLUMNS`; ``memo`` optional) as one batch in one transaction.

    Parameters
    ----------
    project : Project
    codings : pandas.DataFrame
        One row per span; ``code_id`` may also hold a code's name.
    source : str
        How the codings arrived (``"sheet"``, ``"docx-comments"``, ``"csv"``, ``"xlsx"``, ``"qdpx"``), stored
        on every coding.
    source_name, sha256 : str, optional
        The file imported and the hash of its bytes: an identical earlier import makes this one a no-op.
    new_inductive : bool
        Add unknown codes to the codebook as inductive codes mapped to nothing yet (a new codebook version).
    """
    prep = prepare_codings(project, codings, source=source, source_name=source_name, sha256=sha256,
                           new_inductive=new_inductive)
    return write_batches(project, [prep], who=who)[0]


def history(project: Project) -> pd.DataFrame:
    """Every batch (adds, imports, coding changes): batch_id, kind, created_at, created_by, files, n_codings,
    coders, undone_at, left_out (what an import left out of its file, and why)."""
    return project.history()


def undo(project: Project, batch_id: int, *, who: str | None = None) -> int:
    """Revert one import batch: its codings are removed and the codings it superseded are current again.

    Refused when a later import has since superseded codings of this batch (undo that one first), or when the
    batch is not an import. Returns the number of codings removed.
    """
    try:
        return project.undo_batch(batch_id, who=who, kinds=("import",))
    except ProjectError as err:
        raise CodingImportError(str(err)) from None


def codings_from_table(table: pd.DataFrame, project: Project, *, coder: str | None = None,
                       where: str = "table") -> pd.DataFrame:
    """A long table (CSV/XLSX) -> spans: columns transcript_id, coder, code_id and start/end or segment_id.

    ``segment_id`` (``t0003``, ``p0012``, ``s0040``) names a unit of the project; its offsets become the span.
    ``coder`` given here overrides or fills the coder column.
    """
    df = table.copy()
    df.columns = [re.sub(r"\s+", "_", str(c).strip().lower()) for c in df.columns]
    if coder is not None:
        df["coder"] = coder
    if "start" not in df.columns or "end" not in df.columns:
        if "segment_id" not in df.columns:
            raise CodingImportError(f"{where}: needs start and end columns, or a segment_id column")
        segs = []
        for unit in ("turn", "paragraph", "sentence"):
            segs.append(project.segments(unit)[["transcript_id", "segment_id", "start", "end"]])
        seg = pd.concat(segs)
        df["segment_id"] = df["segment_id"].astype(str).str.strip()
        df["transcript_id"] = df["transcript_id"].astype(str).str.strip()
        merged = df.merge(seg, on=["transcript_id", "segment_id"], how="left", indicator=True)
        missing = merged[merged["_merge"] == "left_only"]
        if len(missing):
            r = missing.iloc[0]
            raise CodingImportError(f"{where}: segment {r['segment_id']!r} is not a segment of transcript "
                                    f"{r['transcript_id']!r} ({count(len(missing), 'row')} like this)")
        df = merged.drop(columns="_merge")
    for col in ("transcript_id", "coder", "code_id"):
        if col not in df.columns:
            raise CodingImportError(f"{where}: missing column {col}" + (" (or give --coder)" if col == "coder" else ""))
    return df

