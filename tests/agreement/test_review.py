"""Disagreements, the review workbook (one row per disputed code), and reconcile into a consensus coding."""

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.cell.rich_text import CellRichText

from npt_coder.errors import NptCoderError
from npt_coder.review import disagreements, reconcile, review_workbook
from npt_coder.review._disagreements import fingerprint

from .test_study import code, coded, sp, study  # noqa: F401 (fixtures)

DECISION, OTHER, NOTE = 8, 9, 10  # 0-based columns of the Disagreements sheet


def settle(path, decisions):
    wb = load_workbook(path)
    ws = wb["Disagreements"]
    for row, (decision, other, note) in zip(ws.iter_rows(min_row=2), decisions):
        row[DECISION].value, row[OTHER].value, row[NOTE].value = decision, other, note
    wb.save(path)


def test_disagreements_list(coded):
    d = disagreements(coded, "A", "B", unit="sentence")
    assert d.table[["transcript_id", "text", "codes_a", "codes_b"]].values.tolist() == [
        ["T1", "Three four.", "O4", ""], ["T1", "Seven eight.", "", "O4"], ["T2", "Nine ten.", "M3.1", ""]]
    # one row per disputed code, with each coder's selection on the segment (A's "Nine ten. Eleven" clipped)
    codes = d.codes
    assert codes[["code_id", "name", "coded_a", "coded_b"]].values.tolist() == [
        ["O4", "Sustainment", True, False], ["O4", "Sustainment", False, True],
        ["M3.1", "Interactional workability", True, False]]
    assert codes["spans_a"].iloc[2] == (sp(coded, "T2", "Nine ten."),) and codes["spans_b"].iloc[2] == ()


def test_review_workbook_shows_names_selections_and_coders_as_options(coded, tmp_path):
    path = tmp_path / "review.xlsx"
    review_workbook(disagreements(coded, "A", "B", unit="sentence"), project_id=coded.project_id).save(path)
    wb = load_workbook(path, rich_text=True)
    assert wb.sheetnames[0] == "Instructions"
    ws = wb["Disagreements"]
    header = [c.value for c in ws[1]]
    assert header[:11] == ["Transcript", "Unit", "Speaker", "Text", "Both coded", "Code in dispute", "A", "B",
                           "Decision", "Other codes", "Note"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    assert [r[5] for r in rows] == ["O4 – Sustainment", "O4 – Sustainment", "M3.1 – Interactional workability"]
    assert [r[6] for r in rows] == ["✓ the whole sentence", "not coded", "✓ the whole sentence"]
    assert rows[1][7] == "✓ the whole sentence"
    dv = ws.data_validations.dataValidation[0]
    assert dv.formula1 == '"A,B,other code"' and dv.showErrorMessage and dv.errorStyle == "stop"
    assert not ws["I2"].protection.locked and ws["D2"].protection.locked


def test_a_coders_phrase_is_quoted_and_marked_in_the_text(study, tmp_path):  # noqa: F811
    code(study, [("T2", "A", "M3.1", "Nine ten. Eleven twelve."), ("T2", "B", "M3.1", "Nine ten. Eleven twelve."),
                 ("T2", "B", "O4", "ten")])
    found = disagreements(study, "A", "B", unit="turn")
    path = tmp_path / "review.xlsx"
    review_workbook(found, project_id=study.project_id).save(path)
    ws = load_workbook(path, rich_text=True)["Disagreements"]
    assert ws["F2"].value == "O4 – Sustainment" and ws["G2"].value == "not coded" and ws["H2"].value == "✓ “ten”"
    text = ws["D2"].value
    assert isinstance(text, CellRichText)
    marked = [(block.text, block.font.b, block.font.i) for block in text if hasattr(block, "font")]
    assert marked == [("ten", True, True)]  # B's selection in bold italics
    assert "".join(str(b) for b in text) == found.table["text"].iloc[0]  # the text itself is unchanged


def test_review_round_trip(coded, tmp_path):
    d = disagreements(coded, "A", "B", unit="sentence")
    path = tmp_path / "review.xlsx"
    review_workbook(d, project_id=coded.project_id).save(path)
    # O4 on "Three four.": A's call stands; O4 on "Seven eight.": replaced by O3; M3.1 on "Nine ten.": B's call
    settle(path, [("A", None, "A was right"), ("other code", "O3", None), ("B", None, "not on this sentence")])
    reconcile(coded, path)
    c = coded.codings
    cons = c[c.coder == "consensus"].sort_values(["transcript_id", "start"])
    text = {t: coded.transcript_text(t) for t in ("T1", "T2")}
    got = [(r.transcript_id, r.code_id, text[r.transcript_id][r.start:r.end], r.memo or "") for r in cons.itertuples()]
    assert got == [
        ("T1", "M1.1", "One two.", ""),            # agreed by both
        ("T1", "O4", "Three four.", "A was right"),  # A's call, with the note
        ("T1", "O3", "Seven eight.", ""),          # other code, whole segment
        ("T2", "M3.1", "Eleven twelve.", ""),      # agreed on sentence 2: union of both spans clipped to it
    ]


def test_reconcile_refuses_undecided_and_stale_reviews(coded, tmp_path):
    d = disagreements(coded, "A", "B", unit="sentence")
    path = tmp_path / "review.xlsx"
    review_workbook(d, project_id=coded.project_id).save(path)
    settle(path, [("A", None, None), (None, None, None), ("B", None, None)])
    with pytest.raises(NptCoderError, match=r"row 3 \(T1 s\d+ O4\) has no decision; choose A, B or other code"):
        reconcile(coded, path)
    settle(path, [("A", None, None), ("B", None, None), ("B", None, None)])
    code(coded, [("T1", "B", "C2", "Five six.")])  # B's work changed after the review was made
    with pytest.raises(NptCoderError, match="codings changed since the review was made"):
        reconcile(coded, path)
    assert "consensus" not in set(coded.codings.coder)


def test_a_review_of_the_earlier_layout_still_reconciles(coded, tmp_path):
    """Workbooks settled before the per-code layout (one row per segment, A/B/both/neither) are still read."""
    d = disagreements(coded, "A", "B", unit="sentence")
    wb = Workbook()
    ws = wb.active
    ws.title = "Disagreements"
    ws.append(["Transcript", "Unit", "Speaker", "Text", "A's codes", "B's codes", "Decision", "Other codes", "Note",
               "key (do not edit)"])
    for r, decision in zip(d.table.to_dict("records"), ("A", "other code", "neither")):
        ws.append([r["transcript_id"], r["segment_id"], r["speaker"], r["text"], r["codes_a"], r["codes_b"],
                   decision, "O3" if decision == "other code" else None, None, fingerprint(r)])
    meta = wb.create_sheet("_review")
    for key, value in (("project_id", coded.project_id), ("coder_a", "A"), ("coder_b", "B"),
                       ("segment_unit", "sentence"), ("include_interviewer", "False"), ("transcripts", "T1, T2")):
        meta.append([key, value])
    path = tmp_path / "old.xlsx"
    wb.save(path)
    reconcile(coded, path)
    cons = coded.codings[coded.codings.coder == "consensus"]
    assert sorted(cons["code_id"]) == ["M1.1", "M3.1", "O3", "O4"]


def test_one_rule_for_decisions_on_a_code_and_on_a_whole_segment(study):  # noqa: F811
    """reconcile_decisions, on data: a decision on one code wins over the segment's for that code only; notes go
    where the rule says (a code decision's on its own codings, or on the segment's when it drops its code)."""
    from npt_coder.review import Decision, reconcile_decisions

    code(study, [("T2", "A", "M3.1", "Nine ten."), ("T2", "A", "O4", "ten"), ("T2", "B", "C2", "Nine"),
                 ("T2", "A", "M1.1", "Eleven twelve."), ("T2", "B", "M1.2", "Eleven twelve.")])
    segments = study.segments("sentence")
    s1, s2 = segments[segments["transcript_id"] == "T2"]["segment_id"].iloc[-2:]
    decisions = [Decision("T2", s1, "both", note="kept both"),         # the whole of sentence 1 ...
                 Decision("T2", s1, "B", note="not O4", code_id="O4"),  # ... but B's call on O4: dropped
                 Decision("T2", s2, "A", code_id="M1.1"),              # sentence 2: M1.1 kept, M1.2 undecided
                 Decision("T2", s2, "other code", ("O3",), "instead", code_id="M1.2")]
    df = reconcile_decisions(study.codings, segments, "A", "B", decisions, codes=study.load_codebook().ids)
    text = study.transcript_text("T2")
    got = sorted((r.code_id, text[r.start:r.end], r.memo) for r in df.itertuples())
    assert got == [("C2", "Nine", "not O4 | kept both"), ("M1.1", "Eleven twelve.", ""),
                   ("M3.1", "Nine ten.", "not O4 | kept both"), ("O3", "Eleven twelve.", "instead")]
    assert set(df["coder"]) == {"consensus"}
    undecided = reconcile_decisions(study.codings, segments, "A", "B", decisions[2:3], codes=["M1.1", "M1.2"])
    assert undecided["code_id"].tolist() == ["M1.1"]  # a code nobody decided is left out
