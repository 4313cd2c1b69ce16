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
    rows = list(ws.iter_rows(min_row=2))
    seg = project.segments("sentence", include_interviewer=True)
    seg = seg[seg.transcript_id == "T1"]
    assert [r[0].value for r in rows] == seg["segment_id"].tolist()  # questions shown, in their places
    questions = set(seg.loc[seg.speaker_role == "interviewer", "segment_id"])
    assert questions == {"s0001", "s0005"}
    for r in rows:
        asked = r[0].value in questions
        # a question is greyed and locked through its code and memo cells; an answer's code cells are open
        assert r[3].protection.locked == asked and r[6].protection.locked == asked
        assert (r[3].fill.fgColor.rgb == "00EFEFEF") == asked and r[2].font.italic == asked
    assert ws.freeze_panes == "A2"
    assert ws.protection.sheet and ws["C3"].protection.locked
    dv = ws.data_validations.dataValidation[0]
    assert dv.type == "list" and dv.formula1 == "=Lists!$A$2:$A$25"
    assert dv.showErrorMessage and dv.errorStyle == "stop"  # a typing slip is refused as it is typed
    covered = {str(r) for r in dv.sqref.ranges}
    assert "D3:F3" in covered and not any(r.startswith("D2:") or r.startswith("D6:") for r in covered)
    assert wb["Lists"]["A2"].value == "C1 – Strategic intentions"
    assert wb["_integrity"].sheet_state == "veryHidden"
    assert ws.column_dimensions["H"].hidden
    guide = [c.value for c in wb["Instructions"]["A"] if c.value]
    assert any("Grey rows" in g for g in guide) and any("NPT/CMO 1.0.0" in g for g in guide)
    # the codebook said once, without parentheses inside parentheses ("(24 codes: 24 NPT codes (16 ...)))")
    about = next(g for g in guide if g.startswith("Unit:"))
    assert about.endswith("codebook NPT/CMO 1.0.0: 24 NPT codes (16 mechanism subconstructs plus 8 context and "
                          "outcome constructs).")
    assert wb["Instructions"].column_dimensions["A"].width <= 70  # prints on a portrait page


def test_codebook_sheet_names_what_inductive_codes_map_to(project, tmp_path, demo_dir):
    project.set_codebook(demo_dir / "inductive_codes.yaml")
    wb = make_coding_workbook(project, "AK", unit="paragraph")
    rows = {r[0]: r for r in wb["Codebook"].iter_rows(min_row=2, values_only=True)}
    header = [c.value for c in wb["Codebook"][1]]
    consent = dict(zip(header, rows["IND-CONSENT"]))
    assert consent["Maps to"] == "M2.4 Legitimation; C2 Adaptive execution; M3.4 Contextual integration"
    assert consent["Construct"] == "listed under M2.4 Legitimation" and consent["Domain"] == "Mechanism"
    assert dict(zip(header, rows["M3.3"]))["Construct"] == "M3 Collective action"
    # wrapped text gets rows tall enough for it
    ws = wb["Codebook"]
    tall = max(ws.row_dimensions[i].height for i in range(2, ws.max_row + 1))
    assert tall >= 45


def test_filled_workbook_round_trip(book, project):
    fill(book, [("T1", 3, 4, "M1.1 – Differentiation"), ("T1", 3, 5, "o4"), ("T1", 3, 7, "a memo"),
                ("T2", 4, 4, "Interactional workability")])
    [result] = import_files(project, [book])
    assert result.coders == ["AK"] and result.n_codings == 3
    c = project.codings
    seg = project.segments("sentence").set_index(["transcript_id", "segment_id"])
    first = seg.loc[("T1", load_workbook(book)["T1"]["A3"].value)]
    row = c[(c.transcript_id == "T1") & (c.code_id == "M1.1")].iloc[0]
    assert (row.start, row.end, row.memo) == (first.start, first.end, "a memo")
    assert set(c["code_id"]) == {"M1.1", "O4", "M3.1"}


def test_a_code_on_a_question_row_is_refused(book, project):
    fill(book, [("T1", 2, 4, "M1.1 – Differentiation")])
    with pytest.raises(CodingImportError, match=r"sheet 'T1', row 2 is an interviewer's question"):
        import_files(project, [book])
    assert project.codings.empty


def test_workbook_made_before_questions_were_shown_still_imports(project, tmp_path):
    path = tmp_path / "old.xlsx"
    wb = make_coding_workbook(project, "AK", unit="sentence", show_questions=False)
    integrity = wb["_integrity"]
    header_row = next(r for r in integrity.iter_rows() if r[0].value == "sheet")
    header_row[7].value = None  # the earlier layout had no "context" column
    for r in integrity.iter_rows(min_row=header_row[0].row + 1):
        r[7].value = None
    wb["T1"]["D2"] = "M1.1 – Differentiation"
    wb.save(path)
    [result] = import_files(project, [path])
    assert result.n_codings == 1


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
    with pytest.raises(CodingImportError, match=r"unknown code in sheet 'T1' row 3: 'Trustworthiness'"):
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
