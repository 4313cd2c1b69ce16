"""Disagreements, the review workbook, and reconcile into a consensus coding."""

import pytest
from openpyxl import load_workbook

from npt_coder.review import disagreements, reconcile, review_workbook
from npt_coder.errors import NptCoderError

from .test_study import code, coded, sp, study  # noqa: F401 (fixtures)


def settle(path, decisions):
    wb = load_workbook(path)
    ws = wb["Disagreements"]
    for row, (decision, other, note) in zip(ws.iter_rows(min_row=2), decisions):
        row[6].value, row[7].value, row[8].value = decision, other, note
    wb.save(path)


def test_disagreements_list(coded):
    d = disagreements(coded, "A", "B", unit="sentence").table
    assert d[["transcript_id", "text", "codes_a", "codes_b"]].values.tolist() == [
        ["T1", "Three four.", "O4", ""], ["T1", "Seven eight.", "", "O4"], ["T2", "Nine ten.", "M3.1", ""]]


def test_review_round_trip(coded, tmp_path):
    d = disagreements(coded, "A", "B", unit="sentence")
    path = tmp_path / "review.xlsx"
    review_workbook(d, project_id=coded.project_id).save(path)
    ws = load_workbook(path)["Disagreements"]
    assert ws.data_validations.dataValidation[0].formula1 == '"A,B,both,neither,other code"'
    settle(path, [("A", None, "A was right"), ("other code", "O3", None), ("neither", None, None)])
    reconcile(coded, path)
    c = coded.codings
    cons = c[c.coder == "consensus"].sort_values(["transcript_id", "start"])
    text = {t: coded.transcript_text(t) for t in ("T1", "T2")}
    got = [(r.transcript_id, r.code_id, text[r.transcript_id][r.start:r.end], r.memo or "") for r in cons.itertuples()]
    assert got == [
        ("T1", "M1.1", "One two.", ""),           # agreed by both
        ("T1", "O4", "Three four.", "A was right"),  # decision A, with the note
        ("T1", "O3", "Seven eight.", ""),         # other code, whole segment
        ("T2", "M3.1", "Eleven twelve.", ""),     # agreed on sentence 2: union of both spans clipped to it
    ]


def test_reconcile_refuses_undecided_and_stale_reviews(coded, tmp_path):
    d = disagreements(coded, "A", "B", unit="sentence")
    path = tmp_path / "review.xlsx"
    review_workbook(d, project_id=coded.project_id).save(path)
    settle(path, [("A", None, None), (None, None, None), ("B", None, None)])
    with pytest.raises(NptCoderError, match=r"row 3 \(T1 s\d+\) has no decision"):
        reconcile(coded, path)
    settle(path, [("A", None, None), ("B", None, None), ("B", None, None)])
    code(coded, [("T1", "B", "C2", "Five six.")])  # B's work changed after the review was made
    with pytest.raises(NptCoderError, match="codings changed since the review was made"):
        reconcile(coded, path)
    assert "consensus" not in set(coded.codings.coder)
