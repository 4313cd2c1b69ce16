"""The project store: all-or-nothing add, duplicate detection, attributes, segments, codebook versions."""

import sqlite3

import pandas as pd
import pytest

import npt_coder as nc
from npt_coder.errors import IngestError, ProjectError
from npt_coder.services import add_transcripts


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
    result = add_transcripts(project, [a, b], name_pattern="{site}_{participant}", attributes={"method": "interview"})
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
        add_transcripts(project, [a, b, bad])
    assert counts(project) == before


def test_same_file_twice_is_recognised_by_hash(project, files, tmp_path):
    src, a, b = files
    add_transcripts(project, [a])
    copy = tmp_path / "renamed.txt"
    copy.write_bytes(a.read_bytes())
    result = add_transcripts(project, [copy, b])
    assert result.duplicates == [("renamed.txt", "S1_P01")]
    assert result.added == ["S2_P02"]
    assert len(project.transcripts) == 2


def test_different_file_under_existing_id_is_refused(project, files, tmp_path):
    src, a, b = files
    add_transcripts(project, [a])
    other = tmp_path / "S1_P01.txt"
    write(other, "I: a different interview\n\nR: yes\n")
    before = counts(project)
    with pytest.raises(ProjectError, match="'S1_P01' is already used by S1_P01.txt, a different file"):
        add_transcripts(project, [b, other])
    assert counts(project) == before


def test_attributes_table_csv_and_xlsx(project, files, tmp_path):
    src, a, b = files
    table = pd.DataFrame({"file": ["S1_P01.txt", "S2_P02.txt"], "transcript_id": ["T1", "T2"],
                          "Site": ["S1", "S2"], "role": ["police", "health"], "participant": ["01", "02"]})
    xlsx = tmp_path / "attrs.xlsx"
    table.to_excel(xlsx, index=False)
    add_transcripts(project, [a, b], attributes_table=xlsx, attributes={"role": "early help"})
    t = project.transcripts
    assert t["transcript_id"].tolist() == ["T1", "T2"]
    assert t["participant"].tolist() == ["01", "02"]  # text, leading zero kept
    assert t["role"].tolist() == ["early help", "early help"]  # given values win over the table


def test_attribute_table_without_key_column(project, files, tmp_path):
    src, a, b = files
    csv = tmp_path / "attrs.csv"
    csv.write_text("site,role\nS1,police\n", encoding="utf-8")
    with pytest.raises(IngestError, match="needs a 'file' or 'transcript_id' column"):
        add_transcripts(project, [a], attributes_table=csv)


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


# -- one-coding changes, undo and memos (what the workbench calls) -------------------------------------------------
@pytest.fixture
def coded(project, files):
    src, a, b = files
    add_transcripts(project, [a, b], name_pattern="{site}_{participant}")
    return project


def test_add_edit_remove_one_coding_keeps_every_row(coded):
    text = coded.transcript_text("S1_P01")
    s = text.index("Busy.")
    cid = coded.add_coding("S1_P01", "M1.1", s, s + 5, coder="AK", memo="first")
    assert coded.codings[["code_id", "start", "end", "memo", "source"]].values.tolist() == [
        ["M1.1", s, s + 5, "first", "manual"]]
    new = coded.edit_coding(cid, code_id="M1.2", end=s + 16, memo="")
    assert new != cid
    assert coded.codings[["code_id", "start", "end", "memo"]].values.tolist() == [["M1.2", s, s + 16, None]]
    everything = coded.coding_table(include_superseded=True).set_index("coding_id")
    assert everything.loc[cid, "superseded_by"] == everything.loc[new, "batch_id"]
    batch = coded.remove_coding(new)
    assert coded.codings.empty and len(coded.coding_table(include_superseded=True)) == 2
    assert coded.history()["kind"].tolist()[-3:] == ["code", "edit", "remove"]
    assert coded.undo_batch(batch) == 0 and coded.codings["code_id"].tolist() == ["M1.2"]
    with pytest.raises(ProjectError, match=f"coding {cid} is no longer current"):
        coded.edit_coding(cid, memo="too late")


def test_undoing_an_edit_restores_the_coding_it_replaced(coded):
    cid = coded.add_coding("S2_P02", "O1", 0, 5, coder="JT")
    edit_batch = coded.history()["batch_id"].max() + 1
    coded.edit_coding(cid, start=1)
    assert coded.undo_batch(int(edit_batch)) == 1
    assert coded.coding_table()[["coding_id", "start"]].values.tolist() == [[cid, 0]]


@pytest.mark.parametrize("change, message", [
    (dict(transcript_id="T9"), "no transcript 'T9'"),
    (dict(start=5, end=5), r"span 5-5 is not inside transcript S1_P01"),
    (dict(end=10_000), r"not inside transcript S1_P01 \(\d+ characters"),
    (dict(code_id="TRUST"), "code 'TRUST' is not in the project's codebook"),
    (dict(coder=" "), "the coder name is empty"),
])
def test_add_coding_refuses_bad_input_and_changes_nothing(coded, change, message):
    args = dict(transcript_id="S1_P01", code_id="M1.1", start=0, end=5, coder="AK") | change
    before = counts(coded)
    with pytest.raises(ProjectError, match=message):
        coded.add_coding(args.pop("transcript_id"), args.pop("code_id"), args.pop("start"), args.pop("end"), **args)
    assert counts(coded) == before and coded.codings.empty


def test_edit_that_changes_nothing_is_refused(coded):
    cid = coded.add_coding("S1_P01", "M1.1", 0, 5, coder="AK")
    with pytest.raises(ProjectError, match="nothing to change"):
        coded.edit_coding(cid, code_id="M1.1")
    with pytest.raises(ProjectError, match="no coding 999"):
        coded.remove_coding(999)


def test_undo_refuses_an_add_batch_and_names_what_can_be_undone(coded):
    with pytest.raises(ProjectError, match="batch 1 is an 'add' batch; only imports, added codings, edited codings "
                                           "and removed codings can be undone"):
        coded.undo_batch(1)


def test_memos_on_transcript_code_and_project_keep_their_history(coded):
    first = coded.set_memo("transcript", "S1_P01", "Hub is busy.", who="AK")
    coded.set_memo("transcript", "S1_P01", "Hub is very busy.", who="JT")
    coded.set_memo("code", "M1.1", "Use for first mentions.")
    coded.set_memo("project", "", "Pilot study.")
    assert coded.memo("transcript", "S1_P01") == "Hub is very busy."
    assert coded.memos[["target", "target_id"]].values.tolist() == [
        ["code", "M1.1"], ["project", ""], ["transcript", "S1_P01"]]
    old = coded.memo_history("transcript", "S1_P01")
    assert old["text"].tolist() == ["Hub is busy.", "Hub is very busy."] and old["memo_id"].iloc[0] == first
    assert old["superseded_by"].tolist() == ["JT", None]
    assert coded.set_memo("code", "M1.1", "") is None and coded.memo("code", "M1.1") is None
    assert len(coded.memo_history("code", "M1.1")) == 1


@pytest.mark.parametrize("target, target_id, message", [
    ("transcript", "T9", "no transcript 'T9'"),
    ("code", "TRUST", "code 'TRUST' is not in the project's codebook"),
    ("coding", "1", r"use edit_coding\(coding_id, memo=...\)"),
    ("site", "S1", "memo target must be one of"),
    ("project", "x", "a project memo has target_id ''"),
])
def test_memo_targets_are_checked(coded, target, target_id, message):
    with pytest.raises(ProjectError, match=message):
        coded.set_memo(target, target_id, "note")


def test_store_refuses_transcripts_with_findings_nobody_accepted(project, files):
    src, a, b = files
    ts = nc.read_transcripts([a])
    flagged = nc.store.AnonCheck(name_detection=False, by_type={"phone": 1})
    with pytest.raises(ProjectError, match="findings of the anonymisation check that nobody accepted: S1_P01"):
        project.store_transcripts(ts, [flagged])
    with pytest.raises(ProjectError, match="1 transcript"):
        project.store_transcripts(ts, [])
    assert counts(project) == (0, 0, 0)


def test_project_add_still_works_with_a_deprecation_warning(project, tmp_path):
    path = tmp_path / "S1_P01.txt"
    path.write_text("INT: What changed?\n\nP01: The meetings are daily now.\n", encoding="utf-8")
    with pytest.warns(DeprecationWarning, match="npt_coder.services.add_transcripts"):
        result = project.add([path], nlp=None)
    assert result.added == ["S1_P01"]
    assert project.transcripts["transcript_id"].tolist() == ["S1_P01"]
