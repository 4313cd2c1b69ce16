"""The store's schema, in one place: an ordered list of migrations, and the code that brings a file up to date.

Migration N turns a version N-1 store into a version N store; a new project is an empty file taken through all of
them, so a fresh project and an upgraded old one have the same tables by construction. The version lives in SQLite's
``PRAGMA user_version``. Release 0.1.0 wrote its version (1) into the ``meta`` table instead and left
``user_version`` at 0; :func:`stored_version` reads either.

To change the schema, append a :class:`Migration` and nothing else (never edit one that has been released;
:data:`SCHEMA_VERSION` follows the list): the next open of every older project runs the new step, in the same
single transaction as any other step it still lacks.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .._version import __version__
from ..errors import ProjectError
from ._db import BUSY_TIMEOUT

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "Migration", "create_schema", "migrate", "stored_version"]


@dataclass(frozen=True)
class Migration:
    """One step: ``version`` is the schema version it produces; ``change`` is SQL (``;``-separated statements) or a
    function given the open connection, run inside the transaction."""

    version: int
    summary: str
    change: str | Callable[[sqlite3.Connection], None]


_V1 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE batches (
    batch_id INTEGER PRIMARY KEY, kind TEXT NOT NULL, created_at TEXT NOT NULL, created_by TEXT NOT NULL,
    files TEXT NOT NULL, note TEXT, undone_at TEXT, undone_by TEXT
);
CREATE TABLE codebooks (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, label TEXT NOT NULL, sha256 TEXT NOT NULL,
    content TEXT NOT NULL, added_at TEXT NOT NULL, added_by TEXT NOT NULL
);
CREATE TABLE transcripts (
    transcript_id TEXT PRIMARY KEY, source_path TEXT NOT NULL, source_name TEXT NOT NULL, format TEXT NOT NULL,
    encoding TEXT, sha256 TEXT NOT NULL UNIQUE, text_sha256 TEXT NOT NULL, text TEXT NOT NULL,
    attributes TEXT NOT NULL, front_start INTEGER, front_end INTEGER, n_words INTEGER NOT NULL,
    batch_id INTEGER NOT NULL REFERENCES batches(batch_id), added_at TEXT NOT NULL
);
CREATE TABLE segments (
    transcript_id TEXT NOT NULL REFERENCES transcripts(transcript_id), unit TEXT NOT NULL,
    segment_id TEXT NOT NULL, seq INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    speaker TEXT, speaker_role TEXT, turn_id TEXT, start_time REAL, end_time REAL,
    label_start INTEGER, label_end INTEGER,
    PRIMARY KEY (transcript_id, unit, segment_id)
);
CREATE TABLE codings (
    coding_id INTEGER PRIMARY KEY, transcript_id TEXT NOT NULL REFERENCES transcripts(transcript_id),
    coder TEXT NOT NULL, code_id TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL, memo TEXT,
    source TEXT, imported_at TEXT NOT NULL, batch_id INTEGER REFERENCES batches(batch_id),
    superseded_by INTEGER REFERENCES batches(batch_id)
);
CREATE INDEX codings_by_transcript ON codings (transcript_id, coder);
CREATE TABLE anon_checks (
    transcript_id TEXT NOT NULL REFERENCES transcripts(transcript_id), checked_at TEXT NOT NULL,
    checked_by TEXT NOT NULL, name_detection INTEGER NOT NULL, n_findings INTEGER NOT NULL, by_type TEXT NOT NULL,
    accepted_flagged INTEGER NOT NULL
)
"""

# memos on a transcript, a code or the whole project (target_id ''); a memo is replaced, never overwritten: the old
# row gets superseded_at/superseded_by and at most one row per target is current
_V2 = """
CREATE TABLE memos (
    memo_id INTEGER PRIMARY KEY,
    target TEXT NOT NULL CHECK (target IN ('transcript', 'code', 'project')), target_id TEXT NOT NULL,
    text TEXT NOT NULL, written_at TEXT NOT NULL, written_by TEXT NOT NULL,
    superseded_at TEXT, superseded_by TEXT
);
CREATE UNIQUE INDEX memos_current ON memos (target, target_id) WHERE superseded_at IS NULL;
CREATE INDEX codings_by_batch ON codings (batch_id);
DELETE FROM meta WHERE key = 'schema_version'
"""

# the layout a transcript arrived in (name, and the detection's evidence as JSON; NULL for transcripts added before
# layouts were recorded); earlier versions of replaced transcripts and everything of removed ones, kept as JSON rows
_V3 = """
ALTER TABLE transcripts ADD COLUMN layout TEXT;
ALTER TABLE transcripts ADD COLUMN layout_info TEXT;
CREATE TABLE transcript_versions (
    version_id INTEGER PRIMARY KEY, transcript_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('replaced', 'removed')),
    batch_id INTEGER NOT NULL REFERENCES batches(batch_id), at TEXT NOT NULL, by TEXT NOT NULL,
    transcript TEXT NOT NULL, segments TEXT NOT NULL, codings TEXT NOT NULL, anon_checks TEXT NOT NULL
);
CREATE INDEX transcript_versions_by_id ON transcript_versions (transcript_id)
"""

# the workbench: team members (a password hash, never the password), their sessions (a hash of the session
# token, never the token), the transcripts whose blind double-coding a lead has opened for comparison, and the
# settling decisions taken in the browser, each tied to the consensus batch it wrote; a removed transcript's
# comparison and decisions are kept with its other rows in transcript_versions (JSON; NULL where it had none)
_V4 = """
CREATE TABLE users (
    name TEXT PRIMARY KEY, role TEXT NOT NULL CHECK (role IN ('lead', 'coder', 'viewer')),
    password_hash TEXT NOT NULL, created_at TEXT NOT NULL, created_by TEXT NOT NULL, removed_at TEXT
);
CREATE TABLE sessions (
    token_sha256 TEXT PRIMARY KEY, user_name TEXT NOT NULL REFERENCES users(name), csrf TEXT NOT NULL,
    created_at TEXT NOT NULL, expires_at TEXT NOT NULL
);
CREATE TABLE comparisons (
    transcript_id TEXT PRIMARY KEY REFERENCES transcripts(transcript_id), opened_at TEXT NOT NULL,
    opened_by TEXT NOT NULL
);
CREATE TABLE decisions (
    decision_id INTEGER PRIMARY KEY, batch_id INTEGER NOT NULL REFERENCES batches(batch_id),
    transcript_id TEXT NOT NULL REFERENCES transcripts(transcript_id), segment_unit TEXT NOT NULL,
    segment_id TEXT NOT NULL, coder_a TEXT NOT NULL, coder_b TEXT NOT NULL, as_coder TEXT NOT NULL,
    decision TEXT NOT NULL, other_codes TEXT NOT NULL, note TEXT, row_key TEXT NOT NULL
);
CREATE INDEX decisions_by_transcript ON decisions (transcript_id, coder_a, coder_b);
ALTER TABLE transcript_versions ADD COLUMN comparison TEXT
"""

# what a suggested coding (npt_coder.assist) carries besides its span: one row per suggested coding, keyed by the
# coding it explains, so the codings table stays as it is for every other source; undoing the suggestion batch
# deletes its codings, and with them these rows
_V5 = """
CREATE TABLE suggestions (
    coding_id INTEGER PRIMARY KEY REFERENCES codings(coding_id) ON DELETE CASCADE,
    score REAL NOT NULL, model TEXT NOT NULL, model_version TEXT NOT NULL, reason TEXT NOT NULL
)
"""

# settling decisions on one code: a decision names the code in dispute it is on, or '' for every code in dispute on
# its segment (what each decision before this step was); a batch holds at most one decision per segment and code,
# and the one in force is looked up by segment and code. Before this step nothing kept a batch from holding two
# decisions on one segment; the earlier of such a pair was never the one in force (the later row was) and goes.
_V6 = """
ALTER TABLE decisions ADD COLUMN code_id TEXT NOT NULL DEFAULT '';
DELETE FROM decisions WHERE decision_id NOT IN (
    SELECT MAX(decision_id) FROM decisions
    GROUP BY batch_id, transcript_id, segment_unit, segment_id, coder_a, coder_b, as_coder
);
CREATE UNIQUE INDEX decisions_by_code ON decisions (
    transcript_id, segment_unit, segment_id, code_id, coder_a, coder_b, as_coder, batch_id
)
"""

MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "the tables of release 0.1.0", _V1),
    Migration(2, "memos; the schema version moves from meta to PRAGMA user_version", _V2),
    Migration(3, "transcript layouts; earlier versions of replaced and removed transcripts", _V3),
    Migration(4, "workbench: users, sessions, comparisons opened, settling decisions", _V4),
    Migration(5, "suggestions: score, model, model version and reason of each suggested coding", _V5),
    Migration(6, "settling decisions on one code in dispute as well as on a whole segment", _V6),
)
SCHEMA_VERSION = MIGRATIONS[-1].version


def _statements(sql: str) -> list[str]:
    """Split a script into statements (``executescript`` would commit the open transaction first)."""
    out: list[str] = []
    current = ""
    for line in sql.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            out.append(current.strip())
            current = ""
    if current.strip():
        out.append(current.strip())
    return [s for s in out if s.rstrip(";").strip()]


def stored_version(conn: sqlite3.Connection, path: Path) -> int:
    """The schema version of an open store: ``PRAGMA user_version``, or the ``meta`` row that 0.1.0 wrote."""
    try:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        if version:
            return version
        row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    except sqlite3.DatabaseError as err:
        raise ProjectError(f"{path} cannot be read as a project store ({err})") from None
    return int(row[0]) if row else 1  # 0.1.0 always wrote the row; a meta table without it can only be version 1


def _run(conn: sqlite3.Connection, start: int) -> None:
    for step in MIGRATIONS:
        if step.version <= start:
            continue
        if callable(step.change):
            step.change(conn)
        else:
            for statement in _statements(step.change):
                conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {int(step.version)}")


def create_schema(conn: sqlite3.Connection) -> None:
    """Take an empty file through every migration; the caller's transaction makes it all or nothing."""
    _run(conn, 0)


def migrate(path: Path) -> int:
    """Bring the store at ``path`` up to :data:`SCHEMA_VERSION` in one transaction; return the version it had.

    A store made by a newer npt-coder is refused with :class:`~npt_coder.errors.ProjectError` and left as it is.
    """
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT * 1000)}")  # wait for another writer, as every change does
    try:
        found = _usable_version(conn, path)
        if found == SCHEMA_VERSION:
            return found
        conn.isolation_level = None
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                found = _usable_version(conn, path)  # another process may have migrated while this one waited
                _run(conn, found)
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        except sqlite3.OperationalError as err:  # e.g. a read-only file or folder, or a lock held too long
            raise ProjectError(f"{path} needs upgrading from schema {found} to {SCHEMA_VERSION}, which failed "
                               f"({err}); nothing was changed") from None
        return found
    finally:
        conn.close()


def _usable_version(conn: sqlite3.Connection, path: Path) -> int:
    found = stored_version(conn, path)
    if found > SCHEMA_VERSION:
        raise ProjectError(f"{path} was made by a newer npt-coder (schema {found}; npt-coder {__version__} reads "
                           f"up to {SCHEMA_VERSION}); upgrade npt-coder to open it")
    return found
