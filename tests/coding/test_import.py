"""Import semantics: validation, merging, no-op re-import, supersede, history and undo."""

import json
import sqlite3

import pandas as pd
import pytest

from npt_coder.coding import history, import_codings, import_files, merge_overlaps, undo
from npt_coder.errors import CodingImportError


def table(rows):
    return pd.DataFrame(rows, columns=["transcript_id", "coder", "code_id", "start", "end", "memo"])


def n_rows(project, sql="SELECT COUNT(*) FROM codings"):
    conn = sqlite3.connect(project.db_path)
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()


def test_import_and_read_back(project, spans):
    s, e = spans("T1", "It started small.")
    r = import_codings(project, table([("T1", "AK", "M1.1", s, e, "first"), ("T1", "AK", "Relational integration", s, e, "")]),
                       source="csv")
    assert (r.n_codings, r.coders, r.transcripts) == (2, ["AK"], ["T1"])
    c = project.codings
    assert sorted(c["code_id"]) == ["M1.1", "M3.3"]  # a code name is turned into its id
    assert set(c["source"]) == {"csv"}


@pytest.mark.parametrize(
    "row, message",
    [
        (("T1", "AK", "M1.1", 10, 5, ""), "end 5 <= start 10"),
        (("T1", "AK", "M1.1", 0, 10_000, ""), "outside transcript T1"),
        (("T1", "  ", "M1.1", 0, 5, ""), "the coder name is empty"),
        (("T9", "AK", "M1.1", 0, 5, ""), "not in the project: T9"),
        (("T1", "AK", "TRUST", 0, 5, ""), r"unknown code 'TRUST'.*--new-inductive"),
        (("T1", "AK", "Relational integraton", 0, 5, ""), r"closest: M3.3 \(Relational integration\)"),
    ],
)
def test_bad_rows_import_nothing(project, row, message):
    good = ("T1", "AK", "M1.1", 0, 5, "")
    with pytest.raises(CodingImportError, match=message):
        import_codings(project, table([good, row]), source="csv")
    assert n_rows(project) == 0 and n_rows(project, "SELECT COUNT(*) FROM batches WHERE kind='import'") == 0


def test_new_inductive_adds_codes_as_a_new_codebook_version(project):
    r = import_codings(project, table([("T1", "AK", "TRUST", 0, 5, "")]), source="csv", new_inductive=True)
    assert r.new_codes == ["TRUST"]
    cb = project.load_codebook()
    assert cb["TRUST"].kind == "inductive" and cb["TRUST"].maps_to == ()
    assert len(project.codebook_versions) == 2


def test_overlapping_spans_of_one_code_are_merged_and_counted(project):
    r = import_codings(project, table([("T1", "AK", "M1.1", 10, 20, "a"), ("T1", "AK", "M1.1", 15, 30, "b"),
                                       ("T1", "AK", "M1.1", 30, 35, ""), ("T1", "AK", "M1.2", 15, 30, ""),
                                       ("T1", "JT", "M1.1", 15, 30, "")]), source="csv")
    assert r.n_merged == 2
    c = project.codings
    ak = c[(c.coder == "AK") & (c.code_id == "M1.1")]
    assert ak[["start", "end", "memo"]].values.tolist() == [[10, 35, "a | b"]]
    assert len(c) == 3


def test_merge_overlaps_keeps_separate_spans_apart():
    df = table([("T", "A", "C1", 0, 5, ""), ("T", "A", "C1", 6, 9, ""), ("T", "A", "C1", 2, 4, "")])
    merged, n = merge_overlaps(df)
    assert merged[["start", "end"]].values.tolist() == [[0, 5], [6, 9]] and n == 1


def test_reimporting_an_identical_file_is_a_no_op(project, tmp_path, spans):
    s, e = spans("T2", "Double entry every day.")
    path = tmp_path / "ak.csv"
    table([("T2", "AK", "M3.1", s, e, "")]).to_csv(path, index=False)
    first = import_files(project, [path])[0]
    again = import_files(project, [path])[0]
    assert again.no_op and again.already_imported == first.batch_id
    assert "already imported as batch" in again.summary()
    assert len(project.codings) == 1


def test_newer_work_supersedes_and_undo_restores(project, spans):
    s, e = spans("T1", "Now it is routine.")
    first = import_codings(project, table([("T1", "AK", "O4", s, e, "v1"), ("T2", "AK", "M3.1", 0, 5, "")]),
                           source="csv")
    second = import_codings(project, table([("T1", "AK", "O1", s, e, "v2")]), source="csv")
    assert second.n_superseded == 1  # only AK's T1 work; AK's T2 coding stays current
    assert sorted(project.codings["code_id"]) == ["M3.1", "O1"]
    assert n_rows(project) == 3  # nothing deleted
    with pytest.raises(CodingImportError, match=f"superseded by batch {second.batch_id}; undo that batch first"):
        undo(project, first.batch_id)
    assert undo(project, second.batch_id) == 1
    assert sorted(project.codings["code_id"]) == ["M3.1", "O4"]
    h = history(project)
    assert h.loc[h.batch_id == second.batch_id, "undone_at"].notna().all()
    with pytest.raises(CodingImportError, match="already undone"):
        undo(project, second.batch_id)
    with pytest.raises(CodingImportError, match="only imports can be undone"):
        undo(project, 1)


def test_import_files_is_one_transaction(project, tmp_path):
    good = tmp_path / "good.csv"
    table([("T1", "AK", "M1.1", 0, 5, "")]).to_csv(good, index=False)
    bad = tmp_path / "bad.csv"
    table([("T1", "AK", "NOPE", 0, 5, "")]).to_csv(bad, index=False)
    with pytest.raises(CodingImportError, match="bad.csv: unknown code"):
        import_files(project, [good, bad])
    assert n_rows(project) == 0


def test_long_table_by_segment_id(project, tmp_path):
    seg = project.segments("sentence")
    target = seg[seg.text == "Then it grew quickly."].iloc[0]
    path = tmp_path / "by_segment.xlsx"
    pd.DataFrame({"transcript_id": ["T1"], "segment_id": [target.segment_id], "code_id": ["O1"]}).to_excel(
        path, index=False)
    import_files(project, [path], coder="JT")
    c = project.codings
    assert c[["coder", "start", "end"]].values.tolist() == [["JT", target.start, target.end]]


def test_long_table_unknown_segment(project, tmp_path):
    path = tmp_path / "x.csv"
    pd.DataFrame({"transcript_id": ["T1"], "coder": ["A"], "segment_id": ["s9999"], "code_id": ["O1"]}).to_csv(
        path, index=False)
    with pytest.raises(CodingImportError, match="x.csv: segment 's9999' is not a segment of transcript 'T1'"):
        import_files(project, [path])


def test_import_service_and_store_record_the_same_batches(project, tmp_path, spans):
    from npt_coder.services import import_codings as import_service

    s, e = spans("T2", "Double entry every day.")
    path = tmp_path / "jt.csv"
    table([("T2", "JT", "M3.1", s, e, "memo"), ("T1", "JT", "NEWCODE", 0, 5, "")]).to_csv(path, index=False)
    [r] = import_service(project, [path], new_inductive=True, who="lead")
    assert (r.n_codings, r.coders, r.new_codes) == (2, ["JT"], ["NEWCODE"])
    assert project.codebook_versions["label"].tolist()[-1] == "+ inductive NEWCODE"
    batch = project.batches.iloc[-1]
    assert (batch["kind"], batch["created_by"], json.loads(batch["files"])) == ("import", "lead", ["jt.csv"])
    assert project.imported_hashes() == {json.loads(batch["note"])["sha256"]: r.batch_id}
