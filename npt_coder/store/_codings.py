"""Codings in the store: reading them, recording import batches, one-coding changes, history and undo.

A coding row is never changed in place and never deleted except by undoing the batch that made it. Every change is
a *batch* (``batches``: kind, who, when, which files): an import batch adds codings and supersedes the current ones
of each coder on each transcript it covers; ``code``, ``edit`` and ``remove`` batches add, replace or retire one
coding. A superseded coding keeps its row with ``superseded_by`` set to the batch that replaced it, so undoing a
batch removes its own codings and makes the ones it superseded current again.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from typing import Mapping, Sequence

import pandas as pd

from ..codebook import Codebook
from ..errors import ProjectError
from ._db import codebook_ids, insert_codebook, latest_codebook, now, user

__all__ = ["CODING_COLUMNS", "SUGGESTION_COLUMNS", "UNDOABLE", "Codings", "ImportBatch", "RecordedImport",
           "record_imports"]

CODING_COLUMNS = ["transcript_id", "coder", "code_id", "start", "end", "memo", "source", "imported_at"]
SUGGESTION_COLUMNS = ["score", "model", "model_version", "reason"]
"""What a suggested coding carries besides its span (table ``suggestions``, one row per suggested coding)."""
UNDOABLE = ("import", "code", "edit", "remove")  # batch kinds undo accepts; an 'add' of transcripts is final
_KIND_NAMES = {"import": "imports", "code": "added codings", "edit": "edited codings", "remove": "removed codings"}
_CURRENT = "superseded_by IS NULL"


@dataclass(frozen=True)
class ImportBatch:
    """One file's codings, validated by the caller, to record as one import batch.

    ``codings`` has columns transcript_id, coder, code_id, start, end, memo (``""`` for none); ``sha256`` (the
    file's bytes) makes a repeated import of the same file a no-op; ``n_merged`` and ``left_out`` (what the reader
    left out of the file and why, one line each) are kept in the batch's note.
    When ``codings`` also has the :data:`SUGGESTION_COLUMNS` (suggested codings, :mod:`npt_coder.assist`), each
    coding's score, model, model version and reason are recorded with it in ``suggestions``. ``note`` adds keys to
    the batch's note (e.g. which coders a suggestion learnt from), so the batch says how its codings were made.
    """

    codings: pd.DataFrame
    source: str
    file_name: str
    sha256: str | None = None
    n_merged: int = 0
    left_out: tuple[str, ...] = ()
    note: Mapping = field(default_factory=dict)


@dataclass(frozen=True)
class RecordedImport:
    """What recording one :class:`ImportBatch` did: its batch, or the earlier identical import it repeats."""

    batch_id: int | None
    n_superseded: int = 0
    already_imported: int | None = None


def _codes_added(conn: sqlite3.Connection, codes: Sequence[Mapping], label: str) -> None:
    """Append code entries to the latest codebook version as a new version (inside the caller's transaction)."""
    data, _ = latest_codebook(conn)
    data["codes"].extend(dict(c) for c in codes)
    insert_codebook(conn, Codebook.from_dict(data, source="project codebook"), label)


def _new_batch(conn: sqlite3.Connection, kind: str, who: str | None, files: Sequence[str], note: Mapping,
               when: str) -> int:
    cur = conn.execute("INSERT INTO batches (kind, created_at, created_by, files, note) VALUES (?, ?, ?, ?, ?)",
                       (kind, when, who or user(), json.dumps(list(files)), json.dumps(dict(note))))
    return int(cur.lastrowid)


class Codings:
    """The coding part of :class:`~npt_coder.store.Project` (a mixin: it uses the project's connections)."""

    # -- reading ---------------------------------------------------------------------------------------------------
    @property
    def codings(self) -> pd.DataFrame:
        """Current (not superseded) codings, one row per span: :data:`CODING_COLUMNS`."""
        df = self._query('SELECT transcript_id, coder, code_id, start, "end", memo, source, imported_at FROM codings'
                         f" WHERE {_CURRENT} ORDER BY transcript_id, coder, start, code_id")
        return df[CODING_COLUMNS]

    def coding_table(self, transcript_id: str | None = None, *, coder: str | None = None,
                     include_superseded: bool = False) -> pd.DataFrame:
        """Codings with their ids, for changing one: coding_id, :data:`CODING_COLUMNS`, batch_id, superseded_by.

        Current codings only unless ``include_superseded``; optionally of one transcript and/or one coder.
        """
        where, params = ([] if include_superseded else [_CURRENT]), []
        for column, value in (("transcript_id", transcript_id), ("coder", coder)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        sql = ('SELECT coding_id, transcript_id, coder, code_id, start, "end", memo, source, imported_at, batch_id, '
               "superseded_by FROM codings" + (f" WHERE {' AND '.join(where)}" if where else "")
               + " ORDER BY transcript_id, coder, start, code_id, coding_id")
        return self._query(sql, params)

    def coding(self, coding_id: int) -> dict:
        """One coding by id (current or superseded), as a dict of :meth:`coding_table`'s columns."""
        columns = ("coding_id", "transcript_id", "coder", "code_id", "start", "end", "memo", "source", "imported_at",
                   "batch_id", "superseded_by")
        row = self._one('SELECT coding_id, transcript_id, coder, code_id, start, "end", memo, source, imported_at, '
                        "batch_id, superseded_by FROM codings WHERE coding_id = ?", (int(coding_id),))
        if row is None:
            raise ProjectError(f"no coding {coding_id} in this project")
        return dict(zip(columns, row))

    @property
    def suggestions(self) -> pd.DataFrame:
        """Current suggested codings with what explains each: coding_id, transcript_id, coder, code_id, start, end,
        :data:`SUGGESTION_COLUMNS`, imported_at and batch_id (see :mod:`npt_coder.assist`)."""
        return self._query('SELECT c.coding_id, c.transcript_id, c.coder, c.code_id, c.start, c."end", s.score, '
                           "s.model, s.model_version, s.reason, c.imported_at, c.batch_id FROM codings c JOIN "
                           f"suggestions s USING (coding_id) WHERE c.{_CURRENT} "
                           "ORDER BY c.transcript_id, c.coder, c.start, c.code_id")

    @property
    def batches(self) -> pd.DataFrame:
        """Every batch as stored: batch_id, kind, created_at, created_by, files and note (JSON), undone_at/by."""
        return self._query("SELECT * FROM batches ORDER BY batch_id")

    def history(self) -> pd.DataFrame:
        """Batches for people: batch_id, kind, created_at, created_by, files, n_codings, coders, undone_at, and
        left_out: what an import left out of its file and why ("" when nothing)."""
        df = self._query("SELECT batch_id, kind, created_at, created_by, files, note, undone_at FROM batches "
                         "ORDER BY batch_id")
        notes = [_note(n) for n in df.pop("note")]
        df["files"] = [", ".join(json.loads(f)) for f in df["files"]]
        df["n_codings"] = [n.get("n_codings") for n in notes]
        df["coders"] = [", ".join(n.get("coders", [])) for n in notes]
        df["left_out"] = ["; ".join(n.get("left_out", [])) for n in notes]
        return df

    def imported_hashes(self) -> dict[str, int]:
        """SHA-256 of every imported file still in effect (not undone) -> the batch that imported it."""
        conn = self.connect()
        try:
            return _imported_hashes(conn)
        finally:
            conn.close()

    # -- imports ---------------------------------------------------------------------------------------------------
    def record_imports(self, imports: Sequence[ImportBatch], *, new_codes: Sequence[Mapping] = (),
                       codebook_label: str | None = None, who: str | None = None) -> list[RecordedImport]:
        """Record imports, one batch each, all in ONE transaction (any failure changes nothing).

        ``new_codes`` (codebook entries: id, name, kind, ...) are first appended to the codebook as a new version
        labelled ``codebook_label``. An import whose ``sha256`` an earlier import still in effect had is a no-op.
        Each import supersedes the current codings of each of its coders on each of its transcripts.
        """
        with self.transaction() as conn:
            return record_imports(conn, imports, new_codes=new_codes, codebook_label=codebook_label, who=who)

    def undo_batch(self, batch_id: int, *, who: str | None = None, kinds: Sequence[str] = UNDOABLE) -> int:
        """Revert one batch of a kind in ``kinds``: its codings go, the codings it superseded are current again.

        Refused (:class:`~npt_coder.errors.ProjectError`) when a later batch has since superseded codings of this
        one (undo that one first), when it was undone already, or when it is of another kind. Returns the number of
        codings removed.
        """
        with self.transaction() as conn:
            row = conn.execute("SELECT kind, undone_at FROM batches WHERE batch_id = ?", (batch_id,)).fetchone()
            if row is None:
                raise ProjectError(f"no batch {batch_id} (see 'npt-coder history')")
            if row[0] not in kinds:
                listed = [_KIND_NAMES.get(k, f"'{k}' batches") for k in kinds]
                names = ", ".join(listed[:-1]) + " and " + listed[-1] if len(listed) > 1 else listed[0]
                raise ProjectError(f"batch {batch_id} is an '{row[0]}' batch; only {names} can be undone")
            if row[1] is not None:
                raise ProjectError(f"batch {batch_id} was already undone at {row[1]}")
            later = conn.execute("SELECT DISTINCT superseded_by FROM codings WHERE batch_id = ? AND superseded_by IS "
                                 "NOT NULL", (batch_id,)).fetchall()
            if later:
                raise ProjectError(f"batch {batch_id} was superseded by batch {later[0][0]}; undo that batch first")
            n = conn.execute("DELETE FROM codings WHERE batch_id = ?", (batch_id,)).rowcount
            conn.execute("UPDATE codings SET superseded_by = NULL WHERE superseded_by = ?", (batch_id,))
            conn.execute("UPDATE batches SET undone_at = ?, undone_by = ? WHERE batch_id = ?",
                         (now(), who or user(), batch_id))
        return n

    # -- one coding at a time (the workbench) ----------------------------------------------------------------------
    def add_coding(self, transcript_id: str, code_id: str, start: int, end: int, *, coder: str,
                   memo: str | None = None, source: str = "manual", who: str | None = None) -> int:
        """Add one coded span as its own batch (kind ``code``); returns the new coding's id.

        The span must lie in the transcript's text (``0 <= start < end <= len(text)``), the code must be in the
        project's codebook and the coder must be named. Nothing is merged or superseded.
        """
        coder = (coder or "").strip()
        with self.transaction() as conn:
            _check_span(conn, transcript_id, code_id, start, end, coder)
            when = now()
            batch = _new_batch(conn, "code", who, [], {"n_codings": 1, "coders": [coder],
                                                       "transcripts": [transcript_id]}, when)
            return _insert_coding(conn, (transcript_id, coder, code_id, start, end, memo or None, source), batch, when)

    def edit_coding(self, coding_id: int, *, code_id: str | None = None, start: int | None = None,
                    end: int | None = None, memo: str | None = None, who: str | None = None) -> int:
        """Replace one current coding by a changed copy (batch kind ``edit``); returns the copy's id.

        Arguments left ``None`` keep their value; ``memo=""`` clears the memo. The old coding is kept, superseded
        by the edit, so undoing the edit batch restores it.
        """
        with self.transaction() as conn:
            old = _current_coding(conn, coding_id)
            tid, coder, old_code, old_start, old_end, old_memo, source = old
            new = (tid, coder, old_code if code_id is None else code_id, old_start if start is None else int(start),
                   old_end if end is None else int(end), old_memo if memo is None else (memo or None), source)
            if new == old:
                raise ProjectError(f"coding {coding_id}: nothing to change")
            _check_span(conn, tid, new[2], new[3], new[4], coder)
            when = now()
            batch = _new_batch(conn, "edit", who, [], {"n_codings": 1, "coders": [coder], "transcripts": [tid],
                                                       "coding_id": int(coding_id)}, when)
            conn.execute("UPDATE codings SET superseded_by = ? WHERE coding_id = ?", (batch, coding_id))
            return _insert_coding(conn, new, batch, when)

    def remove_coding(self, coding_id: int, *, who: str | None = None) -> int:
        """Retire one current coding (batch kind ``remove``): it is superseded, never deleted; returns the batch."""
        with self.transaction() as conn:
            tid, coder, *_ = _current_coding(conn, coding_id)
            batch = _new_batch(conn, "remove", who, [], {"n_codings": 0, "coders": [coder], "transcripts": [tid],
                                                         "coding_id": int(coding_id)}, now())
            conn.execute("UPDATE codings SET superseded_by = ? WHERE coding_id = ?", (batch, coding_id))
        return batch


def record_imports(conn: sqlite3.Connection, imports: Sequence[ImportBatch], *, new_codes: Sequence[Mapping] = (),
                   codebook_label: str | None = None, who: str | None = None) -> list[RecordedImport]:
    """:meth:`Codings.record_imports` inside the caller's transaction."""
    done = _imported_hashes(conn)
    if new_codes:
        _codes_added(conn, new_codes, codebook_label or "+ " + ", ".join(str(c["id"]) for c in new_codes))
    return [_write_import(conn, imp, who, done) for imp in imports]


def _write_import(conn: sqlite3.Connection, imp: ImportBatch, who: str | None, done: dict[str, int]) -> RecordedImport:
    """Record one import batch inside the caller's transaction (``done``: hashes already imported, updated)."""
    if imp.sha256 is not None and imp.sha256 in done:
        return RecordedImport(batch_id=None, already_imported=int(done[imp.sha256]))
    df = imp.codings
    note = {**dict(imp.note), "sha256": imp.sha256, "source": imp.source, "n_codings": len(df),
            "n_merged": imp.n_merged, "coders": sorted(df["coder"].unique()),
            "transcripts": sorted(df["transcript_id"].unique())}
    if imp.left_out:
        note["left_out"] = list(imp.left_out)
    when = now()
    batch = _new_batch(conn, "import", who, [imp.file_name], note, when)
    n_superseded = 0
    for coder, tid in df[["coder", "transcript_id"]].drop_duplicates().itertuples(index=False, name=None):
        cur = conn.execute(f"UPDATE codings SET superseded_by = ? WHERE coder = ? AND transcript_id = ? AND {_CURRENT}",
                           (batch, coder, tid))
        n_superseded += cur.rowcount
    conn.executemany(
        'INSERT INTO codings (transcript_id, coder, code_id, start, "end", memo, source, imported_at, batch_id) '
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(r.transcript_id, r.coder, r.code_id, int(r.start), int(r.end), r.memo or None, imp.source, when, batch)
         for r in df.itertuples(index=False)],
    )
    if all(c in df.columns for c in SUGGESTION_COLUMNS):
        _insert_suggestions(conn, batch, df)
    if imp.sha256 is not None:
        done[imp.sha256] = batch
    return RecordedImport(batch_id=batch, n_superseded=n_superseded)


def _note(value: str | None) -> dict:
    """A batch's note: JSON for the batches the store writes, the caller's own words for an add (``note=``)."""
    if value is None:
        return {}
    try:
        found = json.loads(value)
    except ValueError:
        return {"note": value}
    return found if isinstance(found, dict) else {"note": value}


def _insert_suggestions(conn: sqlite3.Connection, batch: int, df: pd.DataFrame) -> None:
    """One ``suggestions`` row per coding the batch just inserted (they were inserted in ``df``'s order)."""
    ids = [r[0] for r in conn.execute("SELECT coding_id FROM codings WHERE batch_id = ? ORDER BY coding_id", (batch,))]
    conn.executemany("INSERT INTO suggestions (coding_id, score, model, model_version, reason) VALUES (?, ?, ?, ?, ?)",
                     [(cid, float(r.score), str(r.model), str(r.model_version), str(r.reason))
                      for cid, r in zip(ids, df[SUGGESTION_COLUMNS].itertuples(index=False))])


def _imported_hashes(conn: sqlite3.Connection) -> dict[str, int]:
    done: dict[str, int] = {}
    for batch_id, note in conn.execute("SELECT batch_id, note FROM batches WHERE kind = 'import' AND undone_at IS "
                                       "NULL"):
        sha = json.loads(note or "{}").get("sha256")
        if sha:
            done[sha] = int(batch_id)
    return done


def _current_coding(conn: sqlite3.Connection, coding_id: int) -> tuple:
    row = conn.execute('SELECT transcript_id, coder, code_id, start, "end", memo, source, superseded_by FROM codings '
                       "WHERE coding_id = ?", (int(coding_id),)).fetchone()
    if row is None:
        raise ProjectError(f"no coding {coding_id} in this project")
    if row[-1] is not None:
        raise ProjectError(f"coding {coding_id} is no longer current (superseded by batch {row[-1]})")
    return tuple(row[:-1])


def _check_span(conn: sqlite3.Connection, transcript_id: str, code_id: str, start: int, end: int,
                coder: str) -> None:
    # measured in Python (code points): SQL length() would stop at a NUL
    row = conn.execute("SELECT text FROM transcripts WHERE transcript_id = ?", (transcript_id,)).fetchone()
    if row is None:
        raise ProjectError(f"no transcript {transcript_id!r} in this project")
    n = len(row[0])
    if not (0 <= int(start) < int(end) <= n):
        raise ProjectError(f"span {start}-{end} is not inside transcript {transcript_id} ({n} characters; "
                           "0 <= start < end <= length)")
    if code_id not in codebook_ids(conn):
        raise ProjectError(f"code {code_id!r} is not in the project's codebook")
    if not coder:
        raise ProjectError("the coder name is empty")


def _insert_coding(conn: sqlite3.Connection, values: tuple, batch: int, when: str) -> int:
    tid, coder, code_id, start, end, memo, source = values
    cur = conn.execute('INSERT INTO codings (transcript_id, coder, code_id, start, "end", memo, source, imported_at, '
                       "batch_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       (tid, coder, code_id, int(start), int(end), memo, source, when, batch))
    return int(cur.lastrowid)
