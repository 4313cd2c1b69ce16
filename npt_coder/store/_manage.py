"""Managing transcripts after they were added: their layout, case attributes, removal, replacement by a corrected
file, and a whole project brought from another program in one transaction.

Nothing is lost: every change is a batch (``attributes``, ``remove-transcript``, ``replace``) in the history; a
replaced transcript's earlier text, and everything of a removed one (its row, segments, codings current and
superseded with the score, model and reason of each suggested one, anonymisation checks, and the workbench's
comparison and settling decisions), is kept in
``transcript_versions`` as JSON, with the batch that retired it. Codings superseded by a ``replace`` keep their
offsets into the text that version holds.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Sequence

import pandas as pd

from .._words import count
from ..errors import ProjectError
from ..ingest import UNNAMED_SPEAKER, Transcript
from ._codings import ImportBatch, RecordedImport, record_imports
from ._db import now, user
from ._memos import write_memo
from ._transcripts import AddResult, AnonCheck, insert_check, insert_segments, store_transcripts

__all__ = ["Manage", "ProjectImport", "StoredImport"]

_CURRENT = "superseded_by IS NULL"


def _rows(conn: sqlite3.Connection, sql: str, params: Sequence = ()) -> list[dict]:
    cur = conn.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def _batch(conn: sqlite3.Connection, kind: str, who: str | None, files: Sequence[str], note: Mapping,
           when: str) -> int:
    cur = conn.execute("INSERT INTO batches (kind, created_at, created_by, files, note) VALUES (?, ?, ?, ?, ?)",
                       (kind, when, who or user(), json.dumps(list(files)), json.dumps(dict(note), ensure_ascii=False)))
    return int(cur.lastrowid)


def _archive(conn: sqlite3.Connection, tid: str, kind: str, batch: int, when: str, who: str | None, *,
             codings: bool) -> int:
    row = _rows(conn, "SELECT * FROM transcripts WHERE transcript_id = ?", (tid,))[0]
    segs = _rows(conn, "SELECT * FROM segments WHERE transcript_id = ? ORDER BY unit, seq", (tid,))
    cods = _rows(conn, "SELECT * FROM codings WHERE transcript_id = ? ORDER BY coding_id", (tid,)) if codings else []
    if cods:  # a suggested coding keeps its score, model and reason (the suggestions row goes with the coding)
        found = {r.pop("coding_id"): r for r in _rows(conn, "SELECT s.* FROM suggestions s JOIN codings c USING "
                                                      "(coding_id) WHERE c.transcript_id = ?", (tid,))}
        cods = [{**c, "suggestion": found[c["coding_id"]]} if c["coding_id"] in found else c for c in cods]
    checks = _rows(conn, "SELECT * FROM anon_checks WHERE transcript_id = ?", (tid,))
    cur = conn.execute("INSERT INTO transcript_versions (transcript_id, kind, batch_id, at, by, transcript, "
                       "segments, codings, anon_checks) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       (tid, kind, batch, when, who or user(), *(json.dumps(x, ensure_ascii=False)
                                                                 for x in (row, segs, cods, checks))))
    return int(cur.lastrowid)


def _retire_comparison(conn: sqlite3.Connection, tid: str, version_id: int) -> None:
    """Move a removed transcript's workbench comparison and settling decisions out of their tables into the
    ``transcript_versions`` row that keeps its other rows (column ``comparison``, JSON)."""
    opened = _rows(conn, "SELECT * FROM comparisons WHERE transcript_id = ?", (tid,))
    decided = _rows(conn, "SELECT * FROM decisions WHERE transcript_id = ? ORDER BY decision_id", (tid,))
    if opened or decided:
        kept = {"opened": opened[0] if opened else None, "decisions": decided}
        conn.execute("UPDATE transcript_versions SET comparison = ? WHERE version_id = ?",
                     (json.dumps(kept, ensure_ascii=False), version_id))
    for table in ("decisions", "comparisons"):
        conn.execute(f"DELETE FROM {table} WHERE transcript_id = ?", (tid,))


def _attributes(conn: sqlite3.Connection, tid: str) -> dict[str, str]:
    row = conn.execute("SELECT attributes FROM transcripts WHERE transcript_id = ?", (tid,)).fetchone()
    if row is None:
        raise ProjectError(f"no transcript {tid!r} in this project (see 'npt-coder list')")
    return json.loads(row[0])


def _set_attributes(conn: sqlite3.Connection, changes: Mapping[str, Mapping[str, str | None]]) -> dict:
    """Apply attribute changes (a value None or '' removes the key); returns {tid: {key: [old, new]}} of changes."""
    done: dict[str, dict] = {}
    for tid, values in changes.items():
        attrs = _attributes(conn, tid)
        diff = {}
        for key, value in values.items():
            key = str(key).strip()
            if not key:
                raise ProjectError(f"{tid}: an attribute name is empty")
            if key == "transcript_id":
                raise ProjectError(f"{tid}: transcript_id is not an attribute (it names the transcript)")
            value = None if value is None or str(value).strip() == "" else str(value).strip()
            if attrs.get(key) != value:
                diff[key] = [attrs.get(key), value]
                if value is None:
                    attrs.pop(key, None)
                else:
                    attrs[key] = value
        if diff:
            conn.execute("UPDATE transcripts SET attributes = ? WHERE transcript_id = ?",
                         (json.dumps(attrs, ensure_ascii=False), tid))
            if "speaker" in diff:
                _rename_unnamed(conn, tid, diff["speaker"][0], attrs.get("speaker"))
            done[tid] = diff
    return done


def _rename_unnamed(conn: sqlite3.Connection, tid: str, old: str | None, new: str | None) -> None:
    """In a transcript read without labels, the ``speaker`` attribute names its one speaker: rename it."""
    row = conn.execute("SELECT layout, layout_info FROM transcripts WHERE transcript_id = ?", (tid,)).fetchone()
    if row[0] != "unlabelled":
        return
    before, after = old or UNNAMED_SPEAKER, new or UNNAMED_SPEAKER
    conn.execute("UPDATE segments SET speaker = ? WHERE transcript_id = ? AND speaker = ?", (after, tid, before))
    info = json.loads(row[1] or "{}")
    info["speakers"] = [after if s == before else s for s in info.get("speakers", [])]
    conn.execute("UPDATE transcripts SET layout_info = ? WHERE transcript_id = ?",
                 (json.dumps(info, ensure_ascii=False), tid))


@dataclass
class ProjectImport:
    """Everything one import of another program's project writes, checked by the caller, for
    :meth:`Manage.store_project_import`: new transcripts with their anonymisation checks, the codings as import
    batches, codes to add, memos (target, target id, text), case attributes per transcript."""

    transcripts: Sequence[Transcript] = ()
    checks: Sequence[AnonCheck] = ()
    imports: Sequence[ImportBatch] = ()
    new_codes: Sequence[Mapping] = ()
    codebook_label: str | None = None
    memos: Sequence[tuple[str, str, str]] = ()
    attributes: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    note: str | None = None


@dataclass
class StoredImport:
    """What :meth:`Manage.store_project_import` wrote."""

    added: AddResult
    recorded: list[RecordedImport]
    n_memos: int = 0
    attributes: dict = field(default_factory=dict)  # {tid: {key: [old, new]}}


class Manage:
    """Transcript management for :class:`~npt_coder.store.Project` (a mixin: it uses the project's connections)."""

    def layout_of(self, transcript_id: str) -> tuple[str | None, dict]:
        """The layout a transcript was read in and the detection's evidence (``(None, {})`` for transcripts added
        before layouts were recorded)."""
        row = self._one("SELECT layout, layout_info FROM transcripts WHERE transcript_id = ?", (transcript_id,))
        if row is None:
            raise ProjectError(f"no transcript {transcript_id!r} in this project (see 'npt-coder list')")
        return row[0], json.loads(row[1]) if row[1] else {}

    @property
    def transcript_versions(self) -> pd.DataFrame:
        """Earlier versions of replaced transcripts and removed transcripts: version_id, transcript_id, kind
        (replaced / removed), batch_id, at, by, n_codings kept, sha256 and text of that version."""
        df = self._query("SELECT version_id, transcript_id, kind, batch_id, at, by, transcript, codings FROM "
                         "transcript_versions ORDER BY version_id")
        rows = [json.loads(t) for t in df.pop("transcript")]
        df["n_codings"] = [len(json.loads(c)) for c in df.pop("codings")]
        df["sha256"] = [r["sha256"] for r in rows]
        df["text"] = [r["text"] for r in rows]
        return df

    def set_attributes(self, changes: Mapping[str, Mapping[str, str | None]], *, who: str | None = None,
                       files: Sequence[str] = ()) -> dict:
        """Set or correct case attributes of transcripts, all in one transaction and one ``attributes`` batch.

        ``changes`` maps transcript ids to ``{key: value}``; a value ``None`` or ``""`` removes the attribute. In a
        transcript read without speaker labels (layout ``unlabelled``), ``speaker`` also renames its one speaker.
        Returns ``{transcript_id: {key: [old, new]}}`` for what changed (nothing changed: no batch).
        """
        with self.transaction() as conn:
            done = _set_attributes(conn, changes)
            if done:
                _batch(conn, "attributes", who, files, {"transcripts": sorted(done), "changed": done}, now())
        return done

    def remove_transcript(self, transcript_id: str, *, with_codings: bool = False, who: str | None = None) -> int:
        """Take a transcript out of the project (batch kind ``remove-transcript``); returns how many of its codings
        (current and superseded) went with it into ``transcript_versions``.

        Refused while it has current codings unless ``with_codings``; its memo is retired; a comparison opened on it
        in the workbench and the decisions settled there go into ``transcript_versions`` with the rest.
        """
        with self.transaction() as conn:
            _attributes(conn, transcript_id)
            n_current = conn.execute(f"SELECT COUNT(*) FROM codings WHERE transcript_id = ? AND {_CURRENT}",
                                     (transcript_id,)).fetchone()[0]
            if n_current and not with_codings:
                raise ProjectError(f"transcript {transcript_id} has {count(n_current, 'coding')}; remove it with "
                                   "--with-codings to keep them in the history, or remove the codings first")
            n_all = conn.execute("SELECT COUNT(*) FROM codings WHERE transcript_id = ?",
                                 (transcript_id,)).fetchone()[0]
            when = now()
            batch = _batch(conn, "remove-transcript", who, [], {"transcripts": [transcript_id],
                                                                "n_codings": n_current}, when)
            version = _archive(conn, transcript_id, "removed", batch, when, who, codings=True)
            _retire_comparison(conn, transcript_id, version)
            conn.execute("UPDATE memos SET superseded_at = ?, superseded_by = ? WHERE target = 'transcript' AND "
                         "target_id = ? AND superseded_at IS NULL", (when, who or user(), transcript_id))
            for table in ("codings", "segments", "anon_checks", "transcripts"):
                conn.execute(f"DELETE FROM {table} WHERE transcript_id = ?", (transcript_id,))
        return int(n_all)

    def replace_transcript(self, transcript_id: str, new: Transcript, check: AnonCheck,
                           carried: Sequence[tuple[int, int, int]], *, who: str | None = None) -> int:
        """Put a corrected version in the place of a transcript (batch kind ``replace``); returns the batch.

        ``new`` keeps the transcript's id and attributes unless it brings its own; ``check`` is its anonymisation
        check; ``carried`` lists ``(coding_id, start, end)``: current codings to copy onto the new text at those
        offsets (the caller has checked that their text is unchanged; a carried suggestion keeps its score, model and
        reason). Every current coding of the transcript is
        superseded by the batch; the earlier text is kept in ``transcript_versions``.
        """
        if check.n_findings and not check.accepted_flagged:
            raise ProjectError(f"{Path(new.source_path).name}: findings of the anonymisation check that nobody "
                               "accepted; nothing was replaced")
        with self.transaction() as conn:
            attrs = _attributes(conn, transcript_id)
            other = conn.execute("SELECT transcript_id FROM transcripts WHERE sha256 = ?", (new.sha256,)).fetchone()
            if other is not None:
                raise ProjectError(f"{Path(new.source_path).name} is already in the project as {other[0]} (same "
                                   "file); nothing was replaced")
            when = now()
            batch = _batch(conn, "replace", who, [Path(new.source_path).name],
                           {"transcripts": [transcript_id], "n_codings": len(carried)}, when)
            _archive(conn, transcript_id, "replaced", batch, when, who, codings=False)
            front = new.front_matter or (None, None)
            conn.execute(
                "UPDATE transcripts SET source_path = ?, source_name = ?, format = ?, encoding = ?, sha256 = ?, "
                "text_sha256 = ?, text = ?, attributes = ?, front_start = ?, front_end = ?, n_words = ?, layout = ?, "
                "layout_info = ? WHERE transcript_id = ?",
                (new.source_path, Path(new.source_path).name, new.format, new.encoding, new.sha256, new.text_sha256,
                 new.text, json.dumps({**attrs, **new.attributes}, ensure_ascii=False), front[0], front[1],
                 new.n_words, new.layout, json.dumps(new.layout_info, ensure_ascii=False), transcript_id))
            conn.execute("DELETE FROM segments WHERE transcript_id = ?", (transcript_id,))
            insert_segments(conn, _renamed(new, transcript_id))
            insert_check(conn, transcript_id, check, when, who)
            old = {r["coding_id"]: r for r in _rows(conn, "SELECT * FROM codings WHERE transcript_id = ? AND "
                                                    f"{_CURRENT}", (transcript_id,))}
            conn.execute(f"UPDATE codings SET superseded_by = ? WHERE transcript_id = ? AND {_CURRENT}",
                         (batch, transcript_id))
            for coding_id, start, end in carried:
                r = old.get(int(coding_id))
                if r is None:
                    raise ProjectError(f"coding {coding_id} is not a current coding of {transcript_id}")
                cur = conn.execute('INSERT INTO codings (transcript_id, coder, code_id, start, "end", memo, source, '
                                   "imported_at, batch_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                   (transcript_id, r["coder"], r["code_id"], int(start), int(end), r["memo"],
                                    r["source"], r["imported_at"], batch))
                # a carried suggestion stays one: its score, model and reason go with it to the new text
                conn.execute("INSERT INTO suggestions (coding_id, score, model, model_version, reason) SELECT ?, "
                             "score, model, model_version, reason FROM suggestions WHERE coding_id = ?",
                             (cur.lastrowid, int(coding_id)))
        return batch

    def store_project_import(self, plan: ProjectImport, *, who: str | None = None) -> StoredImport:
        """Write a whole project brought from another program in ONE transaction (any failure changes nothing):
        transcripts (an ``add`` batch), attributes, codings (an ``import`` batch per file, superseding as
        :meth:`record_imports` does) and memos."""
        with self.transaction() as conn:
            added = store_transcripts(conn, plan.transcripts, plan.checks, who=who, note=plan.note)
            attrs = _set_attributes(conn, plan.attributes)
            if attrs:
                _batch(conn, "attributes", who, [], {"transcripts": sorted(attrs), "changed": attrs}, now())
            recorded = record_imports(conn, plan.imports, new_codes=plan.new_codes,
                                      codebook_label=plan.codebook_label, who=who)
            n_memos = 0
            for target, target_id, text in plan.memos:
                current = conn.execute("SELECT text FROM memos WHERE target = ? AND target_id = ? AND superseded_at "
                                       "IS NULL", (target, target_id)).fetchone()
                if current is None or current[0] != text.strip():
                    write_memo(conn, target, target_id, text, who=who)
                    n_memos += 1
        return StoredImport(added, recorded, n_memos, attrs)


def _renamed(t: Transcript, transcript_id: str) -> Transcript:
    if t.transcript_id == transcript_id:
        return t
    from dataclasses import replace

    return replace(t, transcript_id=transcript_id)
