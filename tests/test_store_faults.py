"""When SQLite itself fails (another writer holds the project, a read-only store, a full disk) a verb says so in one
line, naming the cause, changes nothing, and leaves no partial output file behind."""

from __future__ import annotations

import sqlite3
import threading

import pytest
from typer.testing import CliRunner

import npt_coder as nc
import npt_coder.store._db as db
from npt_coder.cli import app
from npt_coder.errors import ProjectError
from npt_coder.services import add_transcripts

runner = CliRunner()


def dump(path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


@pytest.fixture
def study(tmp_path):
    p = nc.init_project(tmp_path / "study")
    first = tmp_path / "S1_P01.txt"
    first.write_text("INT: What changed?\n\nP01: The meetings are daily now.\n", encoding="utf-8")
    add_transcripts(p, [first], nlp=None)
    second = tmp_path / "S1_P02.txt"
    second.write_text("INT: And the forms?\n\nP02: The forms are shorter.\n", encoding="utf-8")
    return p, second


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_a_lock_held_too_long_is_one_line(study, monkeypatch):
    p, second = study
    monkeypatch.setattr(db, "BUSY_TIMEOUT", 0.2)
    before = dump(p.db_path)
    holder = sqlite3.connect(p.db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another npt-coder in the middle of an import
    try:
        result = run("add", second, "--no-ner", "-p", p.root)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.exit_code == 1
    assert result.stderr.strip().endswith("another program is changing this project (it stayed locked for 0.2 s); "
                                          "try again when it has finished; nothing was changed")
    assert len(result.stderr.strip().splitlines()) == 1
    assert dump(p.db_path) == before


def test_a_writer_that_finishes_in_time_is_waited_for(study, monkeypatch):
    p, second = study
    holder = sqlite3.connect(p.db_path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    release = threading.Timer(0.5, lambda: (holder.execute("COMMIT"), holder.close()))
    release.start()
    result = add_transcripts(p, [second], nlp=None)
    release.join()
    assert result.added == ["S1_P02"]


def _connect_with(pragma_or_uri):
    real = db.open_connection

    def connect(path):
        if pragma_or_uri == "read-only":
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            conn.execute("PRAGMA foreign_keys = ON")
            return conn
        conn = real(path)
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages}")  # the disk is full: the file cannot grow by a page
        return conn

    return connect


@pytest.mark.parametrize("fault, cause", [
    ("read-only", "the project cannot be written (its folder or npt_coder.sqlite is read-only)"),
    ("full", "the disk is full; free some space and try again"),
])
def test_read_only_and_full_stores_are_one_line_and_unchanged(study, monkeypatch, fault, cause):
    import npt_coder.store._project as project_module

    p, second = study
    # long enough that storing it needs pages the "full disk" cannot give
    second.write_text("".join(f"INT: Question {i}?\n\nP02: Answer number {i} about the daily meeting.\n\n"
                              for i in range(400)), encoding="utf-8")
    before = dump(p.db_path)
    monkeypatch.setattr(project_module, "open_connection", _connect_with(fault))
    with pytest.raises(ProjectError) as err:
        add_transcripts(p, [second], nlp=None)
    message = str(err.value)
    assert message.endswith(f"{cause}; nothing was changed") and "rollback" not in message
    assert len(message.splitlines()) == 1
    monkeypatch.undo()
    assert dump(p.db_path) == before


def test_a_failed_output_leaves_no_file(study, tmp_path, monkeypatch):
    # a sheet that cannot be written in full (here: the writer dies half way) leaves neither the file nor a stray
    # temporary one; an earlier version of the file is kept as it was
    from openpyxl import Workbook

    from npt_coder.render import save

    target = tmp_path / "out" / "AK.xlsx"
    save(Workbook(), target)
    earlier = target.read_bytes()

    def dies(self, path):
        path.write_bytes(b"PK\x03\x04 half a workbook")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Workbook, "save", dies)
    with pytest.raises(OSError, match="No space left"):
        save(Workbook(), target)
    assert target.read_bytes() == earlier
    assert [f.name for f in target.parent.iterdir()] == ["AK.xlsx"]


class _Refusing:
    """A connection whose first ``refuse`` BEGINs SQLite answers "locked" at once, without waiting out the busy
    timeout (as it does while another connection recovers a write-ahead log)."""

    def __init__(self, conn, refusals: list, refuse: int):
        object.__setattr__(self, "_conn", conn)
        object.__setattr__(self, "_state", (refusals, refuse))

    def execute(self, sql, *args):
        refusals, refuse = self._state
        if sql == "BEGIN IMMEDIATE" and len(refusals) < refuse:
            refusals.append(sql)
            raise sqlite3.OperationalError("database is locked")
        return self._conn.execute(sql, *args)

    def __getattr__(self, name):
        return getattr(self._conn, name)

    def __setattr__(self, name, value):
        setattr(self._conn, name, value)


def test_a_begin_refused_at_once_is_tried_again(study, monkeypatch):
    p, second = study
    refusals: list = []
    real = p.connect
    monkeypatch.setattr(p, "connect", lambda: _Refusing(real(), refusals, db.BUSY_RETRIES))
    assert add_transcripts(p, [second], nlp=None).added == ["S1_P02"]
    assert len(refusals) == db.BUSY_RETRIES


def test_a_begin_refused_every_time_is_one_line_and_changes_nothing(study, monkeypatch):
    p, second = study
    before = dump(p.db_path)
    refusals: list = []
    real = p.connect
    monkeypatch.setattr(p, "connect", lambda: _Refusing(real(), refusals, 99))
    with pytest.raises(ProjectError, match="another program is changing this project") as err:
        add_transcripts(p, [second], nlp=None)
    assert len(refusals) == db.BUSY_RETRIES + 1 and len(str(err.value).splitlines()) == 1
    monkeypatch.undo()
    assert dump(p.db_path) == before
