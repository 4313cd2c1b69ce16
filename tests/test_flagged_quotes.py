"""A quote from a transcript added with --accept-flagged carries a dagger and a note wherever it is shown (themes,
the framework matrix, the report, passages retrieved in the workbench and their exports), so no one publishes one
unawares; other quotes carry none."""

from __future__ import annotations

import pandas as pd
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

import npt_coder as nc
from npt_coder.cli import app
from npt_coder.coding import import_codings
from npt_coder.render import save
from npt_coder.services import add_transcripts
from npt_coder.themes import framework_matrix, theme_summary
from npt_coder.themes import FLAG_MARK, FLAG_NOTE

CLEAN = ("INT: How did the daily meeting start?\n\nP01: It started with three of us in a small room. Then the "
         "schools asked to join and it grew every week.\n")
FLAGGED = ("INT: How do families reach you?\n\nP02: They ring the duty line on 07700 900123 and we call back the "
           "same day. Most calls are about school places.\n")


@pytest.fixture
def study(tmp_path):
    (tmp_path / "S1_P01.txt").write_text(CLEAN, encoding="utf-8")
    (tmp_path / "S2_P02.txt").write_text(FLAGGED, encoding="utf-8")
    p = nc.init_project(tmp_path / "study")
    add_transcripts(p, [tmp_path / "S1_P01.txt"], attributes={"site": "S1", "participant": "P01"}, nlp=None)
    add_transcripts(p, [tmp_path / "S2_P02.txt"], attributes={"site": "S2", "participant": "P02"}, nlp=None,
                    accept_flagged=True)  # the phone number is a finding, accepted
    rows = []
    for tid, quote in (("S1_P01", "It started with three of us"), ("S2_P02", "They ring the duty line")):
        text = p.transcript_text(tid)
        start = text.index(quote)
        rows.append((tid, "AK", "M2.2", start, text.index(".", start + len(quote)) + 1))
    import_codings(p, pd.DataFrame(rows, columns=["transcript_id", "coder", "code_id", "start", "end"]),
                   source="csv")
    return p


def test_themes_mark_the_flagged_quote_and_say_why(study):
    t = theme_summary(study, n_quotes=2, min_chars=10)
    q = t.quotes_for("M2.2").set_index("transcript_id")
    assert q.loc["S2_P02", "attribution"] == f"(S2, P02) {FLAG_MARK}" and bool(q.loc["S2_P02", "flagged"])
    assert q.loc["S1_P01", "attribution"] == "(S1, P01)" and not bool(q.loc["S1_P01", "flagged"])
    assert t.methods_text().endswith(FLAG_NOTE)


def test_no_flagged_quote_no_note(study):
    # the flagged transcript is in the project but no quote is shown: nothing to mark, no note
    assert FLAG_NOTE not in theme_summary(study, n_quotes=0).methods_text()


def test_themes_outputs_show_the_dagger_and_the_note(study, tmp_path):
    runner = CliRunner()
    out = tmp_path / "themes.md"
    result = runner.invoke(app, ["themes", "-o", str(out), "-p", str(study.root), "--quotes", "2"])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert f"(S2, P02) {FLAG_MARK}" in text and FLAG_NOTE in text
    assert f"(S1, P01) {FLAG_MARK}" not in text


def test_matrix_excerpts_carry_the_dagger_and_the_about_sheet_the_note(study, tmp_path):
    found = framework_matrix(study, cell="excerpts")
    cells = "\n".join(str(v) for v in found.table.drop(columns=list(found.leading)).to_numpy().ravel())
    assert f"[S2_P02 t0002] {FLAG_MARK}" in cells and f"[S1_P01 t0002] {FLAG_MARK}" not in cells
    assert found.notes == (FLAG_NOTE,)
    save(found, tmp_path / "matrix.xlsx")
    about = [tuple(r) for r in load_workbook(tmp_path / "matrix.xlsx")["About"].iter_rows(values_only=True)]
    assert ("Note", FLAG_NOTE) in about
    assert framework_matrix(study, cell="count").notes == ()


def test_the_report_carries_the_dagger_and_the_note(study, tmp_path):
    from npt_coder.report import build_report

    report = build_report(study)  # one coder: no agreement to resample
    assert FLAG_NOTE in report.methods
    assert (report.themes.quotes["attribution"].str.endswith(FLAG_MARK) == report.themes.quotes["flagged"]).all()


def test_retrieved_passages_and_their_exports_carry_the_dagger_and_the_note(study, tmp_path):
    from npt_coder.render import passages_to_docx, passages_to_xlsx
    from npt_coder.services import retrieve

    found = retrieve(study, codes=["M2.2"]).set_index("transcript_id")
    assert found.loc["S2_P02", "attribution"].endswith(f" {FLAG_MARK}") and bool(found.loc["S2_P02", "flagged"])
    assert FLAG_MARK not in found.loc["S1_P01", "attribution"] and not bool(found.loc["S1_P01", "flagged"])
    both = found.reset_index()
    passages_to_xlsx(both).save(tmp_path / "passages.xlsx")
    query = " ".join(str(v) for r in load_workbook(tmp_path / "passages.xlsx")["Query"].iter_rows(values_only=True)
                     for v in r if v)
    assert FLAG_NOTE in query
    text = "\n".join(p.text for p in passages_to_docx(both).paragraphs)
    assert FLAG_NOTE in text and f"{FLAG_MARK})" in text
    clean = both[~both["flagged"]]
    assert FLAG_NOTE not in "\n".join(p.text for p in passages_to_docx(clean).paragraphs)
