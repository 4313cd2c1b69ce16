"""Comparing coders in the workbench: which transcripts a lead opened for comparison, and settling decisions.

Blind double-coding keeps each coder's work out of the other's sight until a lead *opens comparison* on a
transcript; the store records who opened it and when (it is not closed again: what has been seen cannot be
unseen). A *settling decision* (A, B, both, neither or other code, with a note), on one code in dispute on a
segment or on every code in dispute there (``code_id`` ``''``), is stored with the consensus batch it wrote, in the
same transaction, so undoing that batch withdraws the decision with its codings. When a
transcript is removed, its comparison and decisions go with its codings into ``transcript_versions``
(see :meth:`~npt_coder.store.Project.remove_transcript`).
"""

from __future__ import annotations

from typing import Collection, Mapping, Sequence

import pandas as pd

from ..errors import ProjectError, StaleWorkError
from ._codings import ImportBatch, RecordedImport, _write_import
from ._db import now, user

__all__ = ["Comparisons", "DECISION_COLUMNS"]

DECISION_COLUMNS = ["decision_id", "batch_id", "transcript_id", "segment_unit", "segment_id", "code_id", "coder_a",
                    "coder_b", "as_coder", "decision", "other_codes", "note", "row_key", "decided_at", "decided_by"]


class Comparisons:
    """The comparison part of :class:`~npt_coder.store.Project` (a mixin: it uses the project's connections)."""

    @property
    def comparisons(self) -> pd.DataFrame:
        """Transcripts opened for comparison: transcript_id, opened_at, opened_by."""
        return self._query("SELECT transcript_id, opened_at, opened_by FROM comparisons ORDER BY transcript_id")

    def open_comparison(self, transcript_id: str, *, who: str | None = None) -> bool:
        """Open a transcript's codings to every coder's sight; False when it was open already."""
        with self.transaction() as conn:
            if conn.execute("SELECT 1 FROM transcripts WHERE transcript_id = ?", (transcript_id,)).fetchone() is None:
                raise ProjectError(f"no transcript {transcript_id!r} in this project")
            cur = conn.execute("INSERT OR IGNORE INTO comparisons VALUES (?, ?, ?)", (transcript_id, now(),
                                                                                    who or user()))
            return cur.rowcount == 1

    def decisions(self, transcript_id: str | None = None) -> pd.DataFrame:
        """Settling decisions whose batch is not undone, the latest per segment, code (``code_id``, ``''`` for a
        decision on the whole segment), coder pair and consensus coder: :data:`DECISION_COLUMNS` (``other_codes``
        joined with ``"; "``), by transcript, segment and code."""
        where, params = "", []
        if transcript_id is not None:
            where, params = "AND d.transcript_id = ?", [transcript_id]
        return self._query(
            "SELECT d.decision_id, d.batch_id, d.transcript_id, d.segment_unit, d.segment_id, d.code_id, d.coder_a, "
            "d.coder_b, d.as_coder, d.decision, d.other_codes, d.note, d.row_key, b.created_at AS decided_at, "
            "b.created_by AS decided_by FROM decisions d JOIN batches b USING (batch_id) "
            f"WHERE b.undone_at IS NULL {where} AND d.decision_id = (SELECT MAX(e.decision_id) FROM decisions e "
            "JOIN batches f USING (batch_id) WHERE f.undone_at IS NULL AND e.transcript_id = d.transcript_id AND "
            "e.segment_unit = d.segment_unit AND e.segment_id = d.segment_id AND e.code_id = d.code_id AND "
            "e.coder_a = d.coder_a AND e.coder_b = d.coder_b AND e.as_coder = d.as_coder) "
            "ORDER BY d.transcript_id, d.segment_id, d.code_id", params)

    def record_settlement(self, imp: ImportBatch, decisions: Sequence[Mapping], *,
                          expect: Mapping[tuple[str, str], Collection[int]], who: str | None = None) -> RecordedImport:
        """Write a consensus batch and the decisions it carries out, in one transaction.

        ``expect`` maps ``(coder, transcript_id)`` to the ids of that coder's current codings there that the
        decisions were taken on; if any coder's current codings differ now (someone changed them meanwhile),
        :class:`~npt_coder.errors.StaleWorkError` is raised and nothing is written. Each decision is a mapping
        with transcript_id, segment_unit, segment_id, coder_a, coder_b, as_coder, decision, other_codes, note,
        row_key and code_id (``''`` or left out: a decision on the whole segment); the batch holds at most one per
        segment and code (:class:`~npt_coder.errors.ProjectError` for a second, and nothing is written).
        """
        seen = set()
        for d in decisions:
            where = (d["transcript_id"], d["segment_unit"], d["segment_id"], d.get("code_id") or "", d["coder_a"],
                     d["coder_b"], d["as_coder"])
            if where in seen:
                on = f"{where[3]} on " if where[3] else ""
                raise ProjectError(f"{on}segment {where[2]} of {where[0]} is decided twice in one settlement")
            seen.add(where)
        with self.transaction() as conn:
            for (coder, tid), ids in expect.items():
                current = {int(r[0]) for r in conn.execute(
                    "SELECT coding_id FROM codings WHERE coder = ? AND transcript_id = ? AND superseded_by IS NULL",
                    (coder, tid))}
                if current != {int(i) for i in ids}:
                    raise StaleWorkError(f"{coder}'s codings on {tid} changed since the comparison was loaded; "
                                         "reload it and settle again")
            recorded = _write_import(conn, imp, who, {})
            conn.executemany(
                "INSERT INTO decisions (batch_id, transcript_id, segment_unit, segment_id, code_id, coder_a, coder_b, "
                "as_coder, decision, other_codes, note, row_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(recorded.batch_id, d["transcript_id"], d["segment_unit"], d["segment_id"], d.get("code_id") or "",
                  d["coder_a"], d["coder_b"], d["as_coder"], d["decision"], d.get("other_codes", ""),
                  d.get("note") or None, d["row_key"]) for d in decisions])
        return recorded

