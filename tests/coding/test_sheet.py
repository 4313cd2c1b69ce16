"""Coding workbook: structure, real data validation, protection, and the integrity checks on import."""

import pytest
from openpyxl import load_workbook

from npt_coder.coding import import_files, make_coding_workbook
from npt_coder.errors import CodingImportError


@pytest.fixture
def book(project, tmp_path):
    path = tmp_path / "AK.xlsx"
    make_coding_workbook(project, "AK", unit="sentence").save(path)
    return path


def fill(path, edits):
    wb = load_workbook(path)
    for sheet, row, col, value in edits:
        wb[sheet].cell(row=row, column=col, value=value)
    wb.save(path)


def test_workbook_structure(book, project):
    wb = load_workbook(book)
    assert wb.sheetnames[:2] == ["Instructions", "Codebook"]
    assert {"T1", "T2"} <= set(wb.sheetnames)
    ws = wb["T1"]
    header = [c.value for c in ws[1]]
    assert header[:7] == ["Unit", "Speaker", "Text", "Code 1", "Code 2", "Code 3", "Memo"]
    units = [r[0] for r in ws.iter_rows(min_row=2, values_only=True)]
    seg = project.segments("sentence", include_interviewer=False)
    assert units == seg[seg.transcript_id == "T1"]["segment_id"].tolist()  # interviewer talk left out
    assert ws.freeze_panes == "A2"
    assert ws.protection.sheet and ws["C2"].protection.locked and not ws["D2"].protection.locked
    dv = ws.data_validations.dataValidation[0]
    assert dv.type == "list" and dv.formula1 == "=Lists!$A$2:$A$25" and "D2:F" in str(dv.sqref)
    assert wb["Lists"]["A2"].value == "C1 – Strategic intentions"
    assert wb["_integrity"].sheet_state == "veryHidden"
    assert ws.column_dimensions["H"].hidden


def test_filled_workbook_round_trip(book, project):
    fill(book, [("T1", 2, 4, "M1.1 – Differentiation"), ("T1", 2, 5, "o4"), ("T1", 2, 7, "a memo"),
                ("T2", 3, 4, "Interactional workability")])
    [result] = import_files(project, [book])
    assert result.coders == ["AK"] and result.n_codings == 3
    c = project.codings
    seg = project.segments("sentence").set_index(["transcript_id", "segment_id"])
    first = seg.loc[("T1", load_workbook(book)["T1"]["A2"].value)]
    row = c[(c.transcript_id == "T1") & (c.code_id == "M1.1")].iloc[0]
    assert (row.start, row.end, row.memo) == (first.start, first.end, "a memo")
    assert set(c["code_id"]) == {"M1.1", "O4", "M3.1"}


def resort_first_two_rows(book):
    wb = load_workbook(book)
    ws = wb["T1"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    rows[0], rows[1] = rows[1], rows[0]
    for i, values in enumerate(rows, start=2):
        for j, v in enumerate(values, start=1):
            ws.cell(row=i, column=j, value=v)
    wb.save(book)
    return book


def test_resorted_sheet_is_refused_naming_sheet_and_row(book, project):
    resort_first_two_rows(book)
    with pytest.raises(CodingImportError, match=r"sheet 'T1', row 2 holds unit s0\d+, expected s0\d+: the rows were "
                                                r"re-sorted"):
        import_files(project, [book])
    assert project.codings.empty


def test_deleted_row_is_refused(book, project):
    wb = load_workbook(book)
    wb["T1"].delete_rows(3)
    wb.save(book)
    with pytest.raises(CodingImportError, match=r"sheet 'T1' has \d+ unit rows, expected \d+ .*near row 3"):
        import_files(project, [book])


def test_changed_text_is_refused(book, project):
    fill(book, [("T2", 2, 3, "The systems talk to each other beautifully.")])
    with pytest.raises(CodingImportError, match=r"sheet 'T2', row 2: the text of unit s\d+ was changed"):
        import_files(project, [book])


def test_unknown_code_in_a_cell_names_sheet_and_row(book, project):
    fill(book, [("T1", 3, 5, "Trustworthiness")])
    with pytest.raises(CodingImportError, match=r"unknown code\(s\) in sheet 'T1' row 3: 'Trustworthiness'"):
        import_files(project, [book])


def test_workbook_for_another_project_is_refused(book, tmp_path):
    import npt_coder as nc

    other = nc.init_project(tmp_path / "other")
    with pytest.raises(CodingImportError, match="made for a different project"):
        import_files(other, [book])


def test_include_interviewer_and_unknown_transcript(project):
    wb = make_coding_workbook(project, "JT", unit="turn", include_interviewer=True, transcripts=["T2"])
    assert [r[1] for r in wb["T2"].iter_rows(min_row=2, values_only=True)] == ["I", "R"]
    with pytest.raises(CodingImportError, match="not in the project: T7"):
        make_coding_workbook(project, "JT", transcripts=["T7"])
