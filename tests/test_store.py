"""The project store: all-or-nothing add, duplicate detection, attributes, segments, codebook versions."""

import sqlite3

import pandas as pd
import pytest

import npt_coder as nc
from npt_coder.errors import IngestError, ProjectError


def write(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


@pytest.fixture
def files(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    a = write(src / "S1_P01.txt", "Title\n\nInterviewer: How is the hub?\n\nP01: Busy. Very busy.\n")
    b = write(src / "S2_P02.txt", "I: And the meetings?\n\nR: Daily, at ten.\n")
    return src, a, b


@pytest.fixture
def project(tmp_path):
    return nc.init_project(tmp_path / "study")


def counts(p):
    conn = sqlite3.connect(p.db_path)
    try:
        return tuple(conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                     for t in ("transcripts", "segments", "batches"))
    finally:
        conn.close()


def test_init_creates_store_reports_and_codebook(project):
    assert (project.root / "npt_coder.sqlite").is_file()
    assert (project.root / "reports").is_dir()
    assert len(project.codebook) == 24
    assert project.codebook_versions["version"].tolist() == [1]
    assert len(project.project_id) == 32


def test_init_refuses_existing_project(project):
    with pytest.raises(ProjectError, match="already holds"):
        nc.init_project(project.root)


def test_add_and_read_back(project, files):
    src, a, b = files
    result = project.add([a, b], name_pattern="{site}_{participant}", attributes={"method": "interview"})
    assert result.added == ["S1_P01", "S2_P02"]
    t = project.transcripts
    assert t[["transcript_id", "site", "participant", "method", "n_turns"]].values.tolist() == [
        ["S1_P01", "S1", "P01", "interview", 2], ["S2_P02", "S2", "P02", "interview", 2]]
    seg = project.segments("sentence", include_interviewer=False)
    assert seg["text"].tolist() == ["Busy.", "Very busy.", "Daily, at ten."]
    text = project.transcript_text("S1_P01")
    assert all(text[r.start:r.end] == r.text for r in seg[seg.transcript_id == "S1_P01"].itertuples())
    assert project.codings.empty and list(project.codings.columns) == nc.store.CODING_COLUMNS


def test_add_is_all_or_nothing(project, files, tmp_path):
    src, a, b = files
    bad = write(src / "broken.txt", "no labels anywhere here\n\njust prose")
    before = counts(project)
    with pytest.raises(IngestError, match="broken.txt: no speaker turns"):
        project.add([a, b, bad])
    assert counts(project) == before


def test_same_file_twice_is_recognised_by_hash(project, files, tmp_path):
    src, a, b = files
    project.add([a])
    copy = tmp_path / "renamed.txt"
    copy.write_bytes(a.read_bytes())
    result = project.add([copy, b])
    assert result.duplicates == [("renamed.txt", "S1_P01")]
    assert result.added == ["S2_P02"]
    assert len(project.transcripts) == 2


def test_different_file_under_existing_id_is_refused(project, files, tmp_path):
    src, a, b = files
    project.add([a])
    other = tmp_path / "S1_P01.txt"
    write(other, "I: a different interview\n\nR: yes\n")
    before = counts(project)
    with pytest.raises(ProjectError, match="'S1_P01' is already used by S1_P01.txt, a different file"):
        project.add([b, other])
    assert counts(project) == before


def test_attributes_table_csv_and_xlsx(project, files, tmp_path):
    src, a, b = files
    table = pd.DataFrame({"file": ["S1_P01.txt", "S2_P02.txt"], "transcript_id": ["T1", "T2"],
                          "Site": ["S1", "S2"], "role": ["police", "health"], "participant": ["01", "02"]})
    xlsx = tmp_path / "attrs.xlsx"
    table.to_excel(xlsx, index=False)
    project.add([a, b], attributes_table=xlsx, attributes={"role": "early help"})
    t = project.transcripts
    assert t["transcript_id"].tolist() == ["T1", "T2"]
    assert t["participant"].tolist() == ["01", "02"]  # text, leading zero kept
    assert t["role"].tolist() == ["early help", "early help"]  # given values win over the table


def test_attribute_table_without_key_column(project, files, tmp_path):
    src, a, b = files
    csv = tmp_path / "attrs.csv"
    csv.write_text("site,role\nS1,police\n", encoding="utf-8")
    with pytest.raises(IngestError, match="needs a 'file' or 'transcript_id' column"):
        project.add([a], attributes_table=csv)


def test_find_project_from_a_subfolder(project):
    sub = project.root / "reports" / "deeper"
    sub.mkdir(parents=True)
    assert nc.find_project(sub) == project.root.resolve()


def test_find_project_fails_clearly(tmp_path):
    with pytest.raises(ProjectError, match="no npt-coder project"):
        nc.open_project(tmp_path)


def test_codebook_versions_are_kept(project, tmp_path):
    ext = tmp_path / "ind.yaml"
    ext.write_text("extends: default\nname: Mine\nversion: '2'\ncodes:\n  - id: IND-X\n    name: X\n"
                   "    kind: inductive\n    maps_to: [M2.4]\n", encoding="utf-8")
    assert project.set_codebook(ext) == 2
    assert project.codebook_versions["label"].tolist() == ["default", "ind.yaml"]
    assert "IND-X" in project.load_codebook()
