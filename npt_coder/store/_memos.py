"""Memos: a researcher's notes on a transcript, a code or the whole project, kept with every earlier wording.

Each target has at most one current memo. Writing a memo again supersedes the current one (its row stays, with
when and by whom it was replaced); writing an empty one retires it. A coding's memo is part of the coding itself:
change it with :meth:`~npt_coder.store.Project.edit_coding`.
"""

from __future__ import annotations

import pandas as pd

from ..errors import ProjectError
from ._db import codebook_ids, now, user

__all__ = ["MEMO_TARGETS", "Memos", "write_memo"]

MEMO_TARGETS = ("transcript", "code", "project")
_COLUMNS = "memo_id, target, target_id, text, written_at, written_by"


class Memos:
    """The memo part of :class:`~npt_coder.store.Project` (a mixin: it uses the project's connections)."""

    @property
    def memos(self) -> pd.DataFrame:
        """Current memos: memo_id, target (transcript, code or project), target_id ('' for the project), text,
        written_at, written_by."""
        return self._query(f"SELECT {_COLUMNS} FROM memos WHERE superseded_at IS NULL ORDER BY target, target_id")

    def memo_history(self, target: str, target_id: str = "") -> pd.DataFrame:
        """Every wording a target's memo has had, oldest first, with superseded_at and superseded_by."""
        _check_target(target, target_id)
        return self._query(f"SELECT {_COLUMNS}, superseded_at, superseded_by FROM memos WHERE target = ? AND "
                           "target_id = ? ORDER BY memo_id", (target, target_id))

    def memo(self, target: str, target_id: str = "") -> str | None:
        """The current memo on a transcript (its id), a code (its id) or the project (``target_id=""``)."""
        _check_target(target, target_id)
        row = self._one("SELECT text FROM memos WHERE target = ? AND target_id = ? AND superseded_at IS NULL",
                        (target, target_id))
        return row[0] if row else None

    def set_memo(self, target: str, target_id: str, text: str, *, who: str | None = None) -> int | None:
        """Write the memo on a target, superseding the current one; ``text=""`` retires it.

        Returns the new memo's id (None when retired). The transcript or code must exist in the project.
        """
        with self.transaction() as conn:
            return write_memo(conn, target, target_id, text, who=who)


def write_memo(conn, target: str, target_id: str, text: str, *, who: str | None = None) -> int | None:
    """:meth:`Memos.set_memo` inside the caller's transaction."""
    _check_target(target, target_id)
    text = (text or "").strip()
    if target == "transcript" and conn.execute("SELECT 1 FROM transcripts WHERE transcript_id = ?",
                                               (target_id,)).fetchone() is None:
        raise ProjectError(f"no transcript {target_id!r} in this project")
    if target == "code" and target_id not in codebook_ids(conn):
        raise ProjectError(f"code {target_id!r} is not in the project's codebook")
    when, by = now(), who or user()
    conn.execute("UPDATE memos SET superseded_at = ?, superseded_by = ? WHERE target = ? AND target_id = ? "
                 "AND superseded_at IS NULL", (when, by, target, target_id))
    if not text:
        return None
    cur = conn.execute("INSERT INTO memos (target, target_id, text, written_at, written_by) VALUES "
                       "(?, ?, ?, ?, ?)", (target, target_id, text, when, by))
    return int(cur.lastrowid)


def _check_target(target: str, target_id: str) -> None:
    if target == "coding":
        raise ProjectError("a coding's memo is part of the coding: use edit_coding(coding_id, memo=...)")
    if target not in MEMO_TARGETS:
        raise ProjectError(f"memo target must be one of {', '.join(map(repr, MEMO_TARGETS))}; got {target!r}")
    if (target == "project") != (target_id == ""):
        raise ProjectError("a project memo has target_id ''; a transcript or code memo names its transcript or code")
