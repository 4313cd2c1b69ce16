"""The project store: one SQLite file per study folder.

A project is a folder holding ``npt_coder.sqlite`` (stdlib :mod:`sqlite3`), a ``reports/`` folder for outputs and
whatever files the team keeps beside them. Every change is one transaction: a failed ``add`` changes nothing.
The same file added twice is recognised by the SHA-256 of its bytes; a different file under an existing
transcript id is refused. The codebook in use is stored inside the project, versioned, so every report can say
which codebook it used.

Tables (see DESIGN.md): ``transcripts`` (one row per transcript, attributes as JSON), ``segments`` (turn,
paragraph and sentence offsets into the transcript's canonical text), ``codebooks`` (every version the project
has used), ``codings`` (spans; filled by the coding imports), ``batches`` (who changed what, when).
"""

from __future__ import annotations

import datetime as _dt
import getpass
import json
import sqlite3
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping, Sequence

import pandas as pd
import yaml

from .._version import __version__
from ..anon import find_identifiers_many
from ..codebook import Codebook, load_codebook
from ..errors import AnonymisationError, ProjectError
from ..ingest import (
    SEGMENT_COLUMNS,
    UNITS,
    IngestOptions,
    Transcript,
    read_attribute_table,
    read_transcripts,
    resolve_attributes,
)

__all__ = ["CODING_COLUMNS", "PROJECT_FILE", "AddResult", "Project", "find_project", "init_project", "open_project"]

PROJECT_FILE = "npt_coder.sqlite"
SCHEMA_VERSION = 1
CODING_COLUMNS = ["transcript_id", "coder", "code_id", "start", "end", "memo", "source", "imported_at"]

_SCHEMA = """
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
);
"""


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat()


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "unknown"


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
        conn = sqlite3.connect(db)
        with conn:
            conn.executescript(_SCHEMA)
            conn.executemany("INSERT INTO meta VALUES (?, ?)", [
                ("project_id", project_id or uuid.uuid4().hex), ("schema_version", str(SCHEMA_VERSION)),
                ("created_at", _now()), ("created_by", _user()), ("npt_coder_version", __version__),
            ])
            _insert_codebook(conn, cb, Path(codebook).name if codebook else "default")
        conn.close()
    except BaseException:
        db.unlink(missing_ok=True)
        raise
    (root / "reports").mkdir(exist_ok=True)
    return Project(root)


def open_project(path: str | Path | None = None) -> "Project":
    """Open the project at ``path`` or the one containing it (default: the current folder or a parent)."""
    return Project(find_project(path))


def _insert_codebook(conn: sqlite3.Connection, cb: Codebook, label: str) -> int:
    content = yaml.safe_dump(cb.to_dict(), sort_keys=False, allow_unicode=True)
    cur = conn.execute(
        "INSERT INTO codebooks (name, label, sha256, content, added_at, added_by) VALUES (?, ?, ?, ?, ?, ?)",
        (cb.name, label, cb.sha256, content, _now(), _user()),
    )
    return int(cur.lastrowid)


@dataclass
class AddResult:
    """What an ``add`` did: ids added, and files skipped because the project already had them."""

    added: list[str] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (file name, existing transcript id)
    batch_id: int | None = None


class Project:
    """An open project. DataFrame properties read the store afresh each time, so they are always current.

    Examples
    --------
    >>> import tempfile, npt_coder as nc
    >>> p = nc.init_project(tempfile.mkdtemp() + "/study")
    >>> r = p.add([nc.demo_path() / "S1_P02.txt"], attributes={"site": "S1"})
    >>> p.transcripts[["transcript_id", "site"]].values.tolist()
    [['S1_P02', 'S1']]
    """

    def __init__(self, root: str | Path):
        self.root = Path(root)
        self.db_path = self.root / PROJECT_FILE
        if not self.db_path.is_file():
            raise ProjectError(f"{self.root} is not an npt-coder project (no {PROJECT_FILE})")

    def __repr__(self) -> str:
        return f"Project({str(self.root)!r})"

    # -- connection ------------------------------------------------------------------------------------------------
    def connect(self) -> sqlite3.Connection:
        """A new connection with foreign keys on. Use ``with project.transaction() as conn`` to change things."""
        try:
            conn = sqlite3.connect(self.db_path)
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("SELECT value FROM meta WHERE key = 'project_id'").fetchone()
        except sqlite3.DatabaseError as err:
            raise ProjectError(f"{self.db_path} cannot be read as a project store ({err})") from None
        return conn

    def transaction(self) -> "_Transaction":
        """Context manager: one ``BEGIN IMMEDIATE`` transaction, committed on success, rolled back on any error."""
        return _Transaction(self)

    def _query(self, sql: str, params: Sequence = ()) -> pd.DataFrame:
        conn = self.connect()
        try:
            return pd.read_sql_query(sql, conn, params=params)
        finally:
            conn.close()

    def meta(self, key: str) -> str | None:
        conn = self.connect()
        try:
            row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        finally:
            conn.close()
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
        """The codebook this project uses now (its latest stored version)."""
        conn = self.connect()
        try:
            row = conn.execute("SELECT content, label FROM codebooks ORDER BY version DESC LIMIT 1").fetchone()
        finally:
            conn.close()
        return Codebook.from_dict(yaml.safe_load(row[0]), source=f"project codebook ({row[1]})")

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
            return _insert_codebook(conn, cb, Path(path).name)

    # -- transcripts -----------------------------------------------------------------------------------------------
    @property
    def transcripts(self) -> pd.DataFrame:
        """One row per transcript: transcript_id, source_path, text, sha256, format, n_turns, n_words, added_at,
        then one column per attribute (site, participant, role, method, date, ...)."""
        df = self._query(
            "SELECT t.transcript_id, t.source_path, t.source_name, t.format, t.encoding, t.text, t.sha256,"
            " t.text_sha256, t.attributes, t.n_words, t.added_at,"
            " (SELECT COUNT(*) FROM segments s WHERE s.transcript_id = t.transcript_id AND s.unit = 'turn') AS n_turns"
            " FROM transcripts t ORDER BY t.transcript_id"
        )
        attrs = pd.DataFrame([json.loads(a) for a in df.pop("attributes")], index=df.index)
        if attrs.empty:
            attrs = pd.DataFrame(index=df.index, columns=["site", "participant", "role", "method", "date"])
        return pd.concat([df, attrs], axis=1)

    def transcript_text(self, transcript_id: str) -> str:
        conn = self.connect()
        try:
            row = conn.execute("SELECT text FROM transcripts WHERE transcript_id = ?", (transcript_id,)).fetchone()
        finally:
            conn.close()
        if row is None:
            raise ProjectError(f"no transcript {transcript_id!r} in this project")
        return row[0]

    def segments(self, unit: str = "turn", *, include_interviewer: bool = True,
                 transcripts: Iterable[str] | None = None) -> pd.DataFrame:
        """Segments at ``unit`` ("turn", "paragraph" or "sentence") with DESIGN.md's columns plus speaker_role,
        turn_id and timings; ``include_interviewer=False`` leaves interviewer and facilitator talk out."""
        if unit not in UNITS:
            raise ValueError(f"unit must be one of {', '.join(map(repr, UNITS))}; got {unit!r}")
        sql = ("SELECT s.transcript_id, s.segment_id, s.unit, s.start, s.\"end\", s.speaker, s.speaker_role,"
               " s.turn_id, s.start_time, s.end_time, substr(t.text, s.start + 1, s.\"end\" - s.start) AS text"
               " FROM segments s JOIN transcripts t USING (transcript_id) WHERE s.unit = ?")
        params: list = [unit]
        if not include_interviewer:
            sql += " AND s.speaker_role != 'interviewer'"
        if transcripts is not None:
            ids = list(transcripts)
            sql += f" AND s.transcript_id IN ({', '.join('?' * len(ids))})"
            params += ids
        sql += " ORDER BY s.transcript_id, s.seq"
        df = self._query(sql, params)
        return df[SEGMENT_COLUMNS]

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

    @property
    def codings(self) -> pd.DataFrame:
        """Current (not superseded) codings, one row per span: :data:`CODING_COLUMNS`."""
        df = self._query('SELECT transcript_id, coder, code_id, start, "end", memo, source, imported_at FROM codings'
                         " WHERE superseded_by IS NULL ORDER BY transcript_id, coder, start, code_id")
        return df[CODING_COLUMNS]

    @property
    def batches(self) -> pd.DataFrame:
        return self._query("SELECT * FROM batches ORDER BY batch_id")

    def add(
        self,
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
    ) -> AddResult:
        """Ingest transcript files in one transaction: if any file fails, nothing is added.

        Attributes come from ``name_pattern`` (e.g. ``"{site}_{participant}"``), then ``attributes_table`` (CSV or
        XLSX keyed by ``file`` or ``transcript_id``), then ``attributes`` (given values win). A file whose bytes the
        project already holds is skipped and reported in :attr:`AddResult.duplicates`; a different file under an
        existing transcript id raises :class:`~npt_coder.errors.ProjectError`.

        Every transcript first goes through the anonymisation check (:func:`npt_coder.anon.find_identifiers_many`
        with the ``deny``/``allow`` terms and, with ``nlp="auto"``, the trained English pipeline when installed;
        speaker labels are skipped). If any finding remains, nothing is added and
        :class:`~npt_coder.errors.AnonymisationError` says which transcripts hold how many of which type (never
        the values), unless ``accept_flagged``, which is recorded per transcript with who and when.
        """
        if not paths:
            raise ProjectError("no files given to add")
        table = read_attribute_table(attributes_table) if attributes_table else None
        ids: list[str | None] = []
        attr_list: list[dict[str, str]] = []
        for p in paths:
            tid, attrs = resolve_attributes(Path(p), table=table, name_pattern=name_pattern, given=attributes)
            ids.append(tid)
            attr_list.append(attrs)
        transcripts = read_transcripts(paths, options=options, transcript_ids=ids, attributes=attr_list)
        return self.add_transcripts(transcripts, who=who, accept_flagged=accept_flagged, deny=deny, allow=allow,
                                    nlp=nlp)

    def add_transcripts(self, transcripts: Sequence[Transcript], *, who: str | None = None,
                        note: str | None = None, accept_flagged: bool = False, deny: Sequence[str] = (),
                        allow: Sequence[str] = (), nlp="auto") -> AddResult:
        """Store already-read transcripts in one transaction, after the anonymisation check (see :meth:`add`)."""
        findings = find_identifiers_many([t.text for t in transcripts], nlp=nlp, deny=deny, allow=allow,
                                         skip_spans=[t.label_spans() for t in transcripts])
        found_by_t = {id(t): f for t, f in zip(transcripts, findings)}
        flagged = {t.transcript_id: f for t, f in zip(transcripts, findings) if len(f)}
        if flagged and not accept_flagged:
            parts = []
            for tid, f in flagged.items():
                counts = f["type"].value_counts()
                parts.append(f"{tid}: " + ", ".join(f"{n} {kind}" for kind, n in counts.items()))
            raise AnonymisationError(
                f"{len(flagged)} transcript(s) may hold residual identifiers ({'; '.join(parts)}); nothing was added. "
                "Review them with 'npt-coder check-anon FILES', fix or pseudonymise the files ('npt-coder "
                "pseudonymise'), or add them with --accept-flagged to record that you accept them"
            )
        result = AddResult()
        with self.transaction() as conn:
            by_hash = dict(conn.execute("SELECT sha256, transcript_id FROM transcripts").fetchall())
            by_id = dict(conn.execute("SELECT transcript_id, source_name FROM transcripts").fetchall())
            fresh: list[Transcript] = []
            seen_ids: dict[str, str] = {}
            for t in transcripts:
                name = Path(t.source_path).name
                if t.sha256 in by_hash:
                    result.duplicates.append((name, by_hash[t.sha256]))
                    continue
                if any(f.sha256 == t.sha256 for f in fresh):
                    result.duplicates.append((name, next(f.transcript_id for f in fresh if f.sha256 == t.sha256)))
                    continue
                if t.transcript_id in by_id:
                    raise ProjectError(
                        f"{name}: transcript id {t.transcript_id!r} is already used by {by_id[t.transcript_id]}, a "
                        "different file; give this file another id (attributes table transcript_id) or rename it"
                    )
                if t.transcript_id in seen_ids:
                    raise ProjectError(f"{name}: transcript id {t.transcript_id!r} is also the id of "
                                       f"{seen_ids[t.transcript_id]} in this add")
                seen_ids[t.transcript_id] = name
                fresh.append(t)
            if not fresh:
                return result
            now = _now()
            cur = conn.execute(
                "INSERT INTO batches (kind, created_at, created_by, files, note) VALUES ('add', ?, ?, ?, ?)",
                (now, who or _user(), json.dumps([Path(t.source_path).name for t in fresh]), note),
            )
            batch = int(cur.lastrowid)
            for t in fresh:
                front = t.front_matter or (None, None)
                conn.execute(
                    "INSERT INTO transcripts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (t.transcript_id, t.source_path, Path(t.source_path).name, t.format, t.encoding, t.sha256,
                     t.text_sha256, t.text, json.dumps(t.attributes, ensure_ascii=False), front[0], front[1],
                     t.n_words, batch, now),
                )
                rows = []
                for unit in UNITS:
                    seg = t.segments(unit)
                    for seq, r in enumerate(seg.itertuples(index=False)):
                        turn = t.turns[int(r.turn_id[1:]) - 1]
                        lab = (turn.label_start, turn.label_end) if unit == "turn" else (None, None)
                        rows.append((t.transcript_id, unit, r.segment_id, seq, r.start, r.end, r.speaker,
                                     r.speaker_role, r.turn_id, _none(r.start_time), _none(r.end_time), *lab))
                conn.executemany("INSERT INTO segments VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
                f = found_by_t[id(t)]
                conn.execute("INSERT INTO anon_checks VALUES (?, ?, ?, ?, ?, ?, ?)", (
                    t.transcript_id, now, who or _user(), int(bool(f.attrs.get("name_detection"))), len(f),
                    json.dumps(f["type"].value_counts().to_dict()), int(len(f) > 0)))
                result.added.append(t.transcript_id)
            result.batch_id = batch
        return result


def _none(value):
    return None if value is None or pd.isna(value) else float(value)


class _Transaction:
    def __init__(self, project: Project):
        self.project = project
        self.conn: sqlite3.Connection | None = None

    def __enter__(self) -> sqlite3.Connection:
        self.conn = self.project.connect()
        self.conn.isolation_level = None
        self.conn.execute("BEGIN IMMEDIATE")
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

