"""The store's schema: ordered migrations, a project made by release 0.1.0 opened by this code, and what the
store imports."""

import contextlib
import importlib.util
import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import npt_coder as nc
from npt_coder.coding import history, import_codings, undo
from npt_coder.errors import ProjectError
from npt_coder.store import _schema

FIXTURES = Path(__file__).parent / "fixtures"
OLD = FIXTURES / "project-0.1.0"  # made by tests/fixtures/make_old_project.py with release 0.1.0's code


@pytest.fixture
def old_project(tmp_path):
    root = tmp_path / "old"
    shutil.copytree(OLD, root)
    return root


@pytest.fixture
def facts():
    return json.loads((FIXTURES / "project-0.1.0.json").read_text(encoding="utf-8"))


def sql(path, query):
    conn = sqlite3.connect(path)
    try:
        return conn.execute(query).fetchall()
    finally:
        conn.close()


def test_fixture_is_a_0_1_0_project():
    db = OLD / "npt_coder.sqlite"
    assert sql(db, "PRAGMA user_version") == [(0,)]
    assert sql(db, "SELECT value FROM meta WHERE key IN ('schema_version', 'npt_coder_version') ORDER BY key") == [
        ("0.1.0",), ("1",)]


def test_new_project_is_at_the_latest_version(tmp_path):
    p = nc.init_project(tmp_path / "p")
    assert sql(p.db_path, "PRAGMA user_version") == [(_schema.SCHEMA_VERSION,)]
    assert sql(p.db_path, "SELECT COUNT(*) FROM meta WHERE key = 'schema_version'") == [(0,)]
    assert p.memos.empty


def test_migrations_are_ordered_and_end_at_schema_version():
    versions = [m.version for m in _schema.MIGRATIONS]
    assert versions == list(range(1, len(versions) + 1)) and versions[-1] == _schema.SCHEMA_VERSION


def test_old_project_opens_migrated_and_reads_unchanged(old_project, facts):
    p = nc.open_project(old_project)
    db = p.db_path
    assert sql(db, "PRAGMA user_version") == [(_schema.SCHEMA_VERSION,)]
    transcripts = p.transcripts
    assert transcripts["layout"].isna().all()  # added before layouts were recorded: a new column, empty
    assert json.loads(transcripts.drop(columns="layout").to_json(orient="records")) == facts["transcripts"]
    assert json.loads(p.codings.to_json(orient="records")) == facts["codings"]
    assert {u: len(p.segments(u)) for u in ("turn", "paragraph", "sentence")} == facts["segments"]
    assert p.codebook_versions[["version", "name", "label", "sha256"]].to_dict("records") == facts["codebook_versions"]
    assert p.load_codebook().ids == facts["codebook_ids"]
    assert len(p.anon_checks) == facts["anon_checks"]
    h = history(p).drop(columns=["created_at", "undone_at"])
    assert json.loads(h.to_json(orient="records")) == facts["history"]
    assert p.project_id == "fixture0000000000000000000000001"


def test_old_project_takes_new_work(old_project, facts):
    p = nc.open_project(old_project)
    text = p.transcript_text("S2_P02")
    start = text.index("Double entry")
    cid = p.add_coding("S2_P02", "M3.1", start, start + 12, coder="JT", memo="after the upgrade")
    assert len(p.codings) == len(facts["codings"]) + 1
    row = p.coding_table(coder="JT").set_index("coding_id").loc[cid]
    assert (row["code_id"], row["memo"], row["source"]) == ("M3.1", "after the upgrade", "manual")
    p.set_memo("project", "", "Migrated from 0.1.0.")
    assert p.memo("project") == "Migrated from 0.1.0."
    # the identical file imported under 0.1.0 is still recognised, and its undo still works the old way
    again = import_codings(p, pd.DataFrame([("S1_P01", "AK", "O1", 0, 5, "")], columns=["transcript_id", "coder",
                           "code_id", "start", "end", "memo"]), source="csv", sha256="a" * 64)
    assert again.no_op and again.already_imported == 3
    assert undo(p, 6) == 1


def test_opening_again_does_not_migrate_again(old_project):
    nc.open_project(old_project)
    before = (old_project / "npt_coder.sqlite").read_bytes()
    assert _schema.migrate(old_project / "npt_coder.sqlite") == _schema.SCHEMA_VERSION
    assert (old_project / "npt_coder.sqlite").read_bytes() == before


def test_failed_migration_changes_nothing(old_project, monkeypatch):
    def broken(conn):
        conn.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("migration failed")

    steps = (*_schema.MIGRATIONS, _schema.Migration(_schema.SCHEMA_VERSION + 1, "broken", broken))
    monkeypatch.setattr(_schema, "MIGRATIONS", steps)
    monkeypatch.setattr(_schema, "SCHEMA_VERSION", steps[-1].version)
    before = (old_project / "npt_coder.sqlite").read_bytes()
    with pytest.raises(RuntimeError, match="migration failed"):
        nc.open_project(old_project)
    assert (old_project / "npt_coder.sqlite").read_bytes() == before


def test_project_from_a_newer_release_is_refused(tmp_path):
    p = nc.init_project(tmp_path / "p")
    conn = sqlite3.connect(p.db_path)
    conn.execute(f"PRAGMA user_version = {_schema.SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(ProjectError, match=r"made by a newer npt-coder .*upgrade npt-coder") as info:
        nc.open_project(p.root)
    assert len(str(info.value).splitlines()) == 1


def test_a_file_that_is_no_project_store_is_refused(tmp_path):
    (tmp_path / "npt_coder.sqlite").write_bytes(b"not a database at all" * 100)
    with pytest.raises(ProjectError, match="cannot be read as a project store"):
        nc.open_project(tmp_path)


def test_history_with_null_notes_under_pandas_string_inference(old_project):
    # pandas 3 reads a text column holding NULLs as strings with NaN; 'npt-coder history' called json.loads(nan)
    # pandas 3 infers strings by default; pandas 2.3 can be asked to without pyarrow; before 2.3 the option needs
    # pyarrow, so there the default object columns are tested (the NULL -> None rule holds for both)
    major, minor = (int(x) for x in pd.__version__.split(".")[:2])
    ask = major < 3 and ((major, minor) >= (2, 3) or importlib.util.find_spec("pyarrow") is not None)
    with pd.option_context("future.infer_string", True) if ask else contextlib.nullcontext():
        p = nc.open_project(old_project)
        batches = p.batches
        h = history(p)
    assert batches.loc[batches.kind == "add", "note"].tolist() == [None, None]
    assert batches["undone_by"].tolist().count(None) == 5
    assert h["kind"].tolist() == ["add", "add", "import", "import", "import", "import"]
    assert h.loc[h.kind == "add", "coders"].tolist() == ["", ""]


def test_store_imports_neither_the_anonymisation_layer_nor_spacy():
    # the package root imports every layer, so load the store under a bare stand-in for the root package: what
    # ends up in sys.modules is what the store itself needs
    package = Path(nc.__file__).parent
    code = (
        "import sys, types\n"
        "root = types.ModuleType('npt_coder')\n"
        f"root.__path__ = [{str(package)!r}]\n"
        "sys.modules['npt_coder'] = root\n"
        "import npt_coder.store\n"
        "import json\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in ('spacy', 'npt_coder'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    loaded = json.loads(out)
    assert "npt_coder.store" in loaded
    assert not [m for m in loaded if m.startswith(("spacy", "npt_coder.anon", "npt_coder.coding",
                                                   "npt_coder.services"))], loaded


def test_all_sql_lives_in_the_store():
    package = Path(nc.__file__).parent
    reaching = []
    for path in sorted(package.rglob("*.py")):
        if path.relative_to(package).parts[0] == "store":
            continue
        text = path.read_text(encoding="utf-8")
        for needle in ("sqlite3", ".execute(", ".connect()", ".transaction()", "._query(", "store._"):
            if needle in text:
                reaching.append(f"{path.relative_to(package)}: {needle}")
    assert reaching == []


def test_old_project_that_cannot_be_written_is_refused_in_one_line(old_project, monkeypatch):
    # a read-only connection stands in for a read-only file (file permissions do not stop root)
    real_connect = sqlite3.connect
    monkeypatch.setattr(_schema.sqlite3, "connect", lambda path: real_connect(f"file:{path}?mode=ro", uri=True))
    before = (old_project / "npt_coder.sqlite").read_bytes()
    with pytest.raises(ProjectError, match=r"needs upgrading from schema 1 to \d+, which failed \(attempt to write a "
                                           r"readonly database\); nothing was changed") as info:
        nc.open_project(old_project)
    assert len(str(info.value).splitlines()) == 1
    assert (old_project / "npt_coder.sqlite").read_bytes() == before
