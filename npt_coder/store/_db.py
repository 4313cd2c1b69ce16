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
from ..errors import ProjectError

#: seconds a change waits for another process's write to finish before it gives up (SQLite's busy timeout)
BUSY_TIMEOUT = 30.0


def open_connection(path) -> sqlite3.Connection:
    """A connection that waits up to :data:`BUSY_TIMEOUT` for another writer, with foreign keys on."""
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT)
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def _busy(err: sqlite3.Error) -> bool:
    text = str(err).lower()
    return "locked" in text or "busy" in text


def explain(err: sqlite3.Error, path=None) -> ProjectError:
    """The one-line :class:`ProjectError` for a failure of SQLite itself, naming the cause in a user's words
    (another program holding the project, a read-only folder, a full disk) and that nothing was changed."""
    text = str(err).lower()
    where = f"{path}: " if path is not None else ""
    if _busy(err):
        cause = (f"another program is changing this project (it stayed locked for {BUSY_TIMEOUT:g} s); try again "
                 "when it has finished")
    elif "readonly" in text or "read-only" in text:
        cause = "the project cannot be written (its folder or npt_coder.sqlite is read-only)"
    elif "full" in text:
        cause = "the disk is full; free some space and try again"
    elif "disk i/o" in text:
        cause = "the disk could not be read or written (I/O error)"
    else:
        cause = f"the project store failed ({err})"
    return ProjectError(f"{where}{cause}; nothing was changed")


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


#: how often a ``BEGIN`` that SQLite refused as busy *without* waiting out :data:`BUSY_TIMEOUT` is tried again
BUSY_RETRIES = 3


class Transaction:
    """One ``BEGIN IMMEDIATE`` transaction on a fresh connection: committed on success, rolled back on any error.

    Writers queue on SQLite's lock: each waits up to :data:`BUSY_TIMEOUT` for the one before it, so a burst of writes
    from a team working at once is serialised instead of failing. SQLite sometimes refuses at once instead of waiting
    (while another connection recovers the write-ahead log, for one); such a ``BEGIN`` is tried again
    :data:`BUSY_RETRIES` times, after 50, 100 and 150 ms. A failure of SQLite itself (a lock held past
    :data:`BUSY_TIMEOUT`, a read-only file, a full disk) leaves as a :class:`ProjectError` from :func:`explain`; a
    rollback that cannot run (SQLite already rolled back, as it does when the disk fills) never hides the cause.
    """

    def __init__(self, connect):
        self._connect = connect
        self.conn: sqlite3.Connection | None = None

    def __enter__(self) -> sqlite3.Connection:
        self.conn = self._connect()
        self.conn.isolation_level = None
        for attempt in range(BUSY_RETRIES + 1):
            started = time.monotonic()
            try:
                self.conn.execute("BEGIN IMMEDIATE")
                break
            except sqlite3.Error as err:
                refused_at_once = time.monotonic() - started < BUSY_TIMEOUT / 2
                if attempt == BUSY_RETRIES or not _busy(err) or not refused_at_once:
                    self.conn.close()
                    raise explain(err) from None
                time.sleep(0.05 * (attempt + 1))
        return self.conn

    def __exit__(self, exc_type, exc, tb) -> None:
        if self.conn is None:
            return
        try:
            if exc_type is None:
                try:
                    self.conn.execute("COMMIT")
                except sqlite3.Error as err:
                    self._rollback()
                    raise explain(err) from None
            else:
                self._rollback()
                if isinstance(exc, sqlite3.OperationalError):
                    raise explain(exc) from None
        finally:
            self.conn.close()

    def _rollback(self) -> None:
        if self.conn is not None and self.conn.in_transaction:
            try:
                self.conn.execute("ROLLBACK")
            except sqlite3.Error:  # SQLite rolled back by itself (disk full, I/O error): the cause is what matters
                pass


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
