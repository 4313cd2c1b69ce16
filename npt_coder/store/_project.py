"""Projects: find, create and open one; its codebook versions, transcripts, segments and anonymisation checks.

A project is a folder holding ``npt_coder.sqlite`` (stdlib :mod:`sqlite3`), a ``reports/`` folder for outputs and
whatever files the team keeps beside them. Every change is one transaction: a failed change changes nothing. The
same file added twice is recognised by the SHA-256 of its bytes; a different file under an existing transcript id
is refused. The codebook in use is stored inside the project, versioned, so every report can say which codebook it
used. Opening a project made by an older release brings its schema up to date first (:mod:`._schema`).
"""

from __future__ import annotations

import json
import sqlite3
import warnings
import uuid
from pathlib import Path
from typing import Iterable, Mapping, Sequence

import pandas as pd

from .._version import __version__
from ..codebook import Codebook, load_codebook
from ..errors import OptionError, ProjectError
from ..ingest import SEGMENT_COLUMNS, UNITS, IngestOptions, Transcript
from ._codings import Codings
from ._compare import Comparisons
from ._db import Transaction, explain, insert_codebook, latest_codebook, now, open_connection, read_frame, user
from ._manage import Manage
from ._memos import Memos
from ._schema import create_schema, migrate
from ._team import Team
from ._transcripts import AddResult, AnonCheck, store_transcripts

__all__ = ["PROJECT_FILE", "TRANSCRIPT_COLUMNS", "AddResult", "AnonCheck", "Project", "find_project", "init_project", "open_project"]

PROJECT_FILE = "npt_coder.sqlite"
#: Columns of :attr:`Project.transcripts` that describe the transcript itself; every other column is a case attribute.
TRANSCRIPT_COLUMNS = ("transcript_id", "source_path", "source_name", "format", "layout", "encoding", "text", "sha256",
                      "text_sha256", "n_words", "added_at", "n_turns")
_PARSED: dict[tuple[str, str], Codebook] = {}  # (label, sha256) of a stored codebook version -> parsed once


def find_project(start: str | Path | None = None) -> Path:
    """The project folder containing ``start`` (default: the current folder), looking upwards as git does."""
    here = Path(start or Path.cwd()).resolve()
    if here.is_file():
        here = here.parent
    for folder in (here, *here.parents):
        if (folder / PROJECT_FILE).is_file():
            return folder
    raise ProjectError(f"no npt-coder project in {here} or any folder above it (create one with 'npt-coder init DIR'"
                       " or give --project DIR)")


def init_project(root: str | Path, *, codebook: str | Path | None = None,
                 project_id: str | None = None) -> "Project":
    """Create a project folder with its SQLite store, ``reports/`` and the codebook it will use.

    ``codebook`` is a codebook file (e.g. the team's extension with ``extends: default``); default: the shipped
    NPT/CMO codebook. ``project_id`` is normally random; the demo fixes it so that its shipped coding workbook,
    which records the project it was made for, imports into every fresh demo project. Refuses a folder that
    already holds a project.
    """
    root = Path(root)
    if (root / PROJECT_FILE).exists():
        raise ProjectError(f"{root} already holds an npt-coder project")
    if root.exists() and not root.is_dir():
        raise ProjectError(f"{root} exists and is not a folder")
    cb = load_codebook(codebook)  # validate before creating anything
    root.mkdir(parents=True, exist_ok=True)
    db = root / PROJECT_FILE
    try:
        with Transaction(lambda: open_connection(db)) as conn:
            create_schema(conn)
            conn.executemany("INSERT INTO meta VALUES (?, ?)", [
                ("project_id", project_id or uuid.uuid4().hex), ("created_at", now()), ("created_by", user()),
                ("npt_coder_version", __version__),
            ])
            insert_codebook(conn, cb, Path(codebook).name if codebook else "default")
    except BaseException:
        db.unlink(missing_ok=True)
        raise
    (root / "reports").mkdir(exist_ok=True)
    return Project(root)


def open_project(path: str | Path | None = None) -> "Project":
    """Open the project at ``path`` or the one containing it (default: the current folder or a parent)."""
    return Project(find_project(path))


class Project(Codings, Memos, Manage, Team, Comparisons):
    """An open project. DataFrame properties read the store afresh each time, so they are always current.

    Examples
    --------
    >>> import tempfile, npt_coder as nc
    >>> from npt_coder.services import add_transcripts
    >>> p = nc.init_project(tempfile.mkdtemp() + "/study")
    >>> r = add_transcripts(p, [nc.demo_path() / "S1_P02.txt"], attributes={"site": "S1"})
    >>> p.transcripts[["transcript_id", "site"]].values.tolist()
    [['S1_P02', 'S1']]
    """

    def __init__(self, root: str | Path):
        self.root = Path(root)
        self.db_path = self.root / PROJECT_FILE
        if not self.db_path.is_file():
            raise ProjectError(f"{self.root} is not an npt-coder project (no {PROJECT_FILE})")
        migrate(self.db_path)

    def __repr__(self) -> str:
        return f"Project({str(self.root)!r})"

    # -- connection ------------------------------------------------------------------------------------------------
    def connect(self) -> sqlite3.Connection:
        """A new connection with foreign keys on. Use ``with project.transaction() as conn`` to change things."""
        try:
            conn = open_connection(self.db_path)
            conn.execute("SELECT value FROM meta WHERE key = 'project_id'").fetchone()
        except sqlite3.OperationalError as err:
            if any(word in str(err) for word in ("locked", "readonly", "full", "disk I/O")):
                raise explain(err, self.db_path) from None
            raise ProjectError(f"{self.db_path} cannot be read as a project store ({err})") from None
        except sqlite3.DatabaseError as err:
            raise ProjectError(f"{self.db_path} cannot be read as a project store ({err})") from None
        return conn

    def use_wal(self) -> str:
        """Switch the store to SQLite's write-ahead log (readers never wait for a writer; it stays switched for
        every later open), as the workbench does for a team coding at once; returns the journal mode now in use."""
        conn = self.connect()
        try:
            return str(conn.execute("PRAGMA journal_mode = WAL").fetchone()[0])
        finally:
            conn.close()

    def transaction(self) -> Transaction:
        """Context manager: one ``BEGIN IMMEDIATE`` transaction, committed on success, rolled back on any error."""
        return Transaction(self.connect)

    def _query(self, sql: str, params: Sequence = ()) -> pd.DataFrame:
        conn = self.connect()
        try:
            return read_frame(conn, sql, params)
        finally:
            conn.close()

    def _one(self, sql: str, params: Sequence = ()) -> tuple | None:
        conn = self.connect()
        try:
            return conn.execute(sql, params).fetchone()
        finally:
            conn.close()

    def meta(self, key: str) -> str | None:
        row = self._one("SELECT value FROM meta WHERE key = ?", (key,))
        return row[0] if row else None

    @property
    def project_id(self) -> str:
        return str(self.meta("project_id"))

    @property
    def reports_dir(self) -> Path:
        path = self.root / "reports"
        path.mkdir(exist_ok=True)
        return path

    # -- codebook --------------------------------------------------------------------------------------------------
    def load_codebook(self) -> Codebook:
        """The codebook this project uses now (its latest stored version).

        A stored version never changes, so each is parsed once per process and then given again (the workbench
        asks for it on every page); treat the result as read-only.
        """
        conn = self.connect()
        try:
            label, sha = conn.execute("SELECT label, sha256 FROM codebooks ORDER BY version DESC LIMIT 1").fetchone()
            key = (label, sha)
            if key not in _PARSED:
                data, _ = latest_codebook(conn)
                _PARSED[key] = Codebook.from_dict(data, source=f"project codebook ({label})")
        finally:
            conn.close()
        return _PARSED[key]

    @property
    def codebook(self) -> pd.DataFrame:
        """The codebook in use, one row per code (see :data:`npt_coder.codebook.CODEBOOK_COLUMNS`)."""
        return self.load_codebook().frame

    @property
    def codebook_versions(self) -> pd.DataFrame:
        """Every codebook version the project has used: version, name, label, sha256, added_at, added_by."""
        return self._query("SELECT version, name, label, sha256, added_at, added_by FROM codebooks ORDER BY version")

    def set_codebook(self, path: str | Path) -> int:
        """Store a new codebook version (validated first); returns its version number.

        Codes already used by codings must still exist in the new codebook, so no coding loses its meaning.
        """
        cb = load_codebook(path)
        with self.transaction() as conn:
            used = {r[0] for r in conn.execute("SELECT DISTINCT code_id FROM codings WHERE superseded_by IS NULL")}
            missing = sorted(used - set(cb.ids))
            if missing:
                raise ProjectError(f"{Path(path).name}: codes in use by codings are missing from it: {', '.join(missing)}")
            return insert_codebook(conn, cb, Path(path).name)

    # -- transcripts -----------------------------------------------------------------------------------------------
    @property
    def transcripts(self) -> pd.DataFrame:
        """One row per transcript: transcript_id, source_path, text, sha256, format, layout (how its speakers were
        found; None for transcripts added before layouts were recorded), n_turns, n_words, added_at, then one column
        per attribute (site, participant, role, method, date, ...)."""
        df = self._query(
            "SELECT t.transcript_id, t.source_path, t.source_name, t.format, t.layout, t.encoding, t.text, t.sha256,"
            " t.text_sha256, t.attributes, t.n_words, t.added_at,"
            " (SELECT COUNT(*) FROM segments s WHERE s.transcript_id = t.transcript_id AND s.unit = 'turn') AS n_turns"
            " FROM transcripts t ORDER BY t.transcript_id"
        )
        attrs = pd.DataFrame([json.loads(a) for a in df.pop("attributes")], index=df.index)
        if attrs.empty:
            attrs = pd.DataFrame(index=df.index, columns=["site", "participant", "role", "method", "date"])
        return pd.concat([df, attrs], axis=1)

    def transcript_text(self, transcript_id: str) -> str:
        row = self._one("SELECT text FROM transcripts WHERE transcript_id = ?", (transcript_id,))
        if row is None:
            raise ProjectError(f"no transcript {transcript_id!r} in this project")
        return row[0]

    def segments(self, unit: str = "turn", *, include_interviewer: bool = True,
                 transcripts: Iterable[str] | None = None, text: bool = True) -> pd.DataFrame:
        """Segments at ``unit`` ("turn", "paragraph" or "sentence") with DESIGN.md's columns plus speaker_role,
        turn_id and timings; ``include_interviewer=False`` leaves interviewer and facilitator talk out.
        ``text=False`` leaves the ``text`` column empty (``None``) and reads no transcript text, for callers that
        cut the text themselves (:mod:`._snapshot`)."""
        if unit not in UNITS:
            raise OptionError(f"unit must be one of {', '.join(map(repr, UNITS))}; got {unit!r}")
        # the text is sliced here in Python, by code point, never with SQL substr(), which stops at a NUL
        sql = ("SELECT s.transcript_id, s.segment_id, s.unit, s.start, s.\"end\", s.speaker, s.speaker_role,"
               " s.turn_id, s.start_time, s.end_time FROM segments s WHERE s.unit = ?")
        params: list = [unit]
        if not include_interviewer:
            sql += " AND s.speaker_role != 'interviewer'"
        if transcripts is not None:
            ids = list(transcripts)
            sql += f" AND s.transcript_id IN ({', '.join('?' * len(ids))})"
            params += ids
        sql += " ORDER BY s.transcript_id, s.seq"
        df = self._query(sql, params)
        df["text"] = _slices(self._texts(None if transcripts is None else ids), df) if text else None
        return df[SEGMENT_COLUMNS]

    def _texts(self, ids: list[str] | None) -> dict[str, str]:
        """Transcript id -> text, of ``ids`` (default: every transcript)."""
        sql, params = "SELECT transcript_id, text FROM transcripts", []
        if ids is not None:
            sql, params = sql + f" WHERE transcript_id IN ({', '.join('?' * len(ids))})", list(ids)
        return dict(self._query(sql, params).itertuples(index=False, name=None))

    def label_spans(self, transcript_id: str) -> list[tuple[int, int]]:
        """Offsets of the speaker labels in a transcript's text (never identifiers, never coding material)."""
        df = self._query('SELECT label_start, label_end FROM segments WHERE transcript_id = ? AND unit = \'turn\' '
                         "AND label_start IS NOT NULL ORDER BY seq", (transcript_id,))
        return [(int(a), int(b)) for a, b in df.itertuples(index=False, name=None)]

    @property
    def anon_checks(self) -> pd.DataFrame:
        """The anonymisation check of every added transcript: when, by whom, with or without name detection,
        how many findings of which type, and whether the findings were accepted (``--accept-flagged``)."""
        return self._query("SELECT * FROM anon_checks ORDER BY transcript_id")

    def store_transcripts(self, transcripts: Sequence[Transcript], checks: Sequence[AnonCheck], *,
                          who: str | None = None, note: str | None = None) -> AddResult:
        """Store already-read, already-checked transcripts in one transaction: if any fails, nothing is added.

        ``checks[i]`` is the anonymisation check of ``transcripts[i]``, recorded with it; running the check is the
        caller's part (:func:`npt_coder.services.add_transcripts`). A transcript whose bytes the project already
        holds is skipped and reported in :attr:`AddResult.duplicates`; a different file under an existing
        transcript id, or findings nobody accepted, raise :class:`~npt_coder.errors.ProjectError`.
        """
        with self.transaction() as conn:
            return store_transcripts(conn, transcripts, checks, who=who, note=note)

    def known_files(self) -> dict[str, str]:
        """SHA-256 of every transcript file's bytes -> the transcript it became (to recognise a file added again)."""
        conn = self.connect()
        try:
            return dict(conn.execute("SELECT sha256, transcript_id FROM transcripts").fetchall())
        finally:
            conn.close()

    # -- deprecated: the anonymisation gate lives above the store -------------------------------------------------
    def add(self, paths: Sequence[str | Path], *, attributes_table: str | Path | None = None,
            name_pattern: str | None = None, attributes: Mapping[str, str] | None = None,
            options: IngestOptions | None = None, who: str | None = None, accept_flagged: bool = False,
            deny: Sequence[str] = (), allow: Sequence[str] = (), nlp="auto") -> AddResult:
        """Deprecated since 0.2 (goes in 0.3): use :func:`npt_coder.services.add_transcripts` (same arguments after
        the project). The anonymisation gate is a service above the store; this wrapper reaches up to it."""
        warnings.warn("Project.add is deprecated; use npt_coder.services.add_transcripts(project, paths, ...)",
                      DeprecationWarning, stacklevel=2)
        from ..services import add_transcripts  # the one upward import, for this deprecated wrapper only

        return add_transcripts(self, paths, attributes_table=attributes_table, name_pattern=name_pattern,
                               attributes=attributes, options=options, who=who, accept_flagged=accept_flagged,
                               deny=deny, allow=allow, nlp=nlp)

    def add_transcripts(self, transcripts: Sequence[Transcript], *, who: str | None = None,
                        note: str | None = None, accept_flagged: bool = False, deny: Sequence[str] = (),
                        allow: Sequence[str] = (), nlp="auto") -> AddResult:
        """Deprecated since 0.2 (goes in 0.3): use :func:`npt_coder.services.add_read_transcripts`."""
        warnings.warn("Project.add_transcripts is deprecated; use npt_coder.services.add_read_transcripts(project, "
                      "transcripts, ...)", DeprecationWarning, stacklevel=2)
        from ..services import add_read_transcripts  # see add()

        return add_read_transcripts(self, transcripts, who=who, note=note, accept_flagged=accept_flagged,
                                    deny=deny, allow=allow, nlp=nlp)


def _slices(texts: Mapping[str, str], rows: pd.DataFrame) -> list[str]:
    """Each row's ``text[start:end]`` of its transcript."""
    return [texts[t][int(a):int(b)] for t, a, b in zip(rows["transcript_id"], rows["start"], rows["end"])]
