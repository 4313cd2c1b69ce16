"""Connection-level helpers of the store: timestamps, the acting user, transactions, query results as frames, and
the codebook versions every part of the store reads or extends."""

from __future__ import annotations

import datetime as _dt
import getpass
import sqlite3
import time
from typing import Sequence

import pandas as pd
import yaml

from ..codebook import Codebook


def now() -> str:
    """The current UTC time to the second, ISO 8601, as every timestamp in a project is written."""
    return _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat()


def user() -> str:
    """The login name recorded when no ``who`` is given."""
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "unknown"


def float_or_none(value):
    """A number for a REAL column, or None (SQL NULL) for a missing one (None or NaN)."""
    return None if value is None or pd.isna(value) else float(value)


def read_frame(conn: sqlite3.Connection, sql: str, params: Sequence = ()) -> pd.DataFrame:
    """A query's rows as a DataFrame whose text columns hold ``None`` for SQL NULL.

    pandas may read a text column with NULLs as a string column holding NaN (the default string type of pandas 3);
    callers test ``is None`` and parse these values, so every text column comes back as objects with ``None``.
    """
    df = pd.read_sql_query(sql, conn, params=params)
    for col in df.columns:
        values = df[col]
        if values.dtype == object or isinstance(values.dtype, pd.StringDtype):
            values = values.astype(object)
            df[col] = values.where(values.notna(), None)
    return df


BUSY_RETRIES = 3  # BEGIN IMMEDIATE tries again this often after the connection's busy timeout ran out


class Transaction:
    """One ``BEGIN IMMEDIATE`` transaction on a fresh connection: committed on success, rolled back on any error.

    Writers queue on SQLite's lock: each waits up to its connection's busy timeout, and a ``BEGIN`` that still
    finds the file locked is tried again :data:`BUSY_RETRIES` times (after 50, 100, 150 ms) before the error is
    raised, so a burst of writes from a team is serialised instead of failing.
    """

    def __init__(self, connect):
        self._connect = connect
        self.conn: sqlite3.Connection | None = None

    def __enter__(self) -> sqlite3.Connection:
        self.conn = self._connect()
        self.conn.isolation_level = None
        for attempt in range(BUSY_RETRIES + 1):
            try:
                self.conn.execute("BEGIN IMMEDIATE")
                break
            except sqlite3.OperationalError as err:
                if attempt == BUSY_RETRIES or "locked" not in str(err) and "busy" not in str(err):
                    self.conn.close()
                    self.conn = None
                    raise
                time.sleep(0.05 * (attempt + 1))
        return self.conn

    def __exit__(self, exc_type, exc, tb) -> None:
        if self.conn is None:
            return
        try:
            if exc_type is None:
                self.conn.execute("COMMIT")
            else:
                self.conn.execute("ROLLBACK")
        finally:
            self.conn.close()


def latest_codebook(conn: sqlite3.Connection) -> tuple[dict, str]:
    """The project's current codebook as stored (the mapping :meth:`Codebook.to_dict` wrote) and its label."""
    content, label = conn.execute("SELECT content, label FROM codebooks ORDER BY version DESC LIMIT 1").fetchone()
    return yaml.safe_load(content), label


_CODE_IDS: dict[str, frozenset[str]] = {}  # codebook sha256 -> its code ids; a stored version never changes


def codebook_ids(conn: sqlite3.Connection) -> frozenset[str]:
    """The code ids of the project's current codebook, parsed once per codebook version and then remembered
    (checking a code on every single coding would otherwise parse the whole codebook each time)."""
    sha = conn.execute("SELECT sha256 FROM codebooks ORDER BY version DESC LIMIT 1").fetchone()[0]
    if sha not in _CODE_IDS:
        _CODE_IDS[sha] = frozenset(str(c["id"]) for c in latest_codebook(conn)[0]["codes"])
    return _CODE_IDS[sha]


def insert_codebook(conn: sqlite3.Connection, cb: Codebook, label: str) -> int:
    """Store ``cb`` as the project's next codebook version (inside the caller's transaction); return the version."""
    content = yaml.safe_dump(cb.to_dict(), sort_keys=False, allow_unicode=True)
    cur = conn.execute(
        "INSERT INTO codebooks (name, label, sha256, content, added_at, added_by) VALUES (?, ?, ?, ?, ?, ?)",
        (cb.name, label, cb.sha256, content, now(), user()),
    )
    return int(cur.lastrowid)
