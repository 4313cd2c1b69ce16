"""CLI: agree, disagreements, reconcile."""

import json

import pytest
from docx import Document
from openpyxl import load_workbook
from typer.testing import CliRunner

from npt_coder.cli import app

from .test_review import settle
from .test_study import code, coded, sp, study  # noqa: F401 (fixtures)

runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_agree_json_and_reports(coded, tmp_path):
    r = run("agree", "--coders", "A,B", "--segment-unit", "sentence", "--resamples", "100", "--json", "-p", coded.root)
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    pooled = [row for row in data["rows"] if row["level"] == "pooled"][0]
    assert pooled["n_units"] == 6 * 24
    assert f"κ = {pooled['cohen_kappa']:.2f}" in data["methods"]
    for suffix in ("docx", "xlsx", "html"):
        out = tmp_path / f"agreement.{suffix}"
        r = run("agree", "--coders", "A,B", "--segment-unit", "sentence", "--resamples", "50", "-o", out,
                "-p", coded.root)
        assert r.exit_code == 0, r.output
    doc = Document(str(tmp_path / "agreement.docx"))
    assert any("Cohen's κ" in p.text for p in doc.paragraphs)
    wb = load_workbook(tmp_path / "agreement.xlsx")
    ws = wb["Pooled"]
    header = [c.value for c in ws[1]]
    assert isinstance(ws.cell(2, header.index("Cohen's κ") + 1).value, float)  # typed numbers, not text
    assert "kappa_ci_low" not in header and "κ 95% CI (low)" in header  # headings for people
    assert wb["By code"]._charts


def test_agree_bad_input(coded):
    r = run("agree", "--coders", "A,Q", "-p", coded.root)
    assert r.exit_code == 1 and r.stderr.startswith("error: no codings by Q")
    r = run("agree", "--unit", "words", "-p", coded.root)
    assert r.exit_code == 1 and "unit must be one of" in r.stderr


def test_disagreements_and_reconcile(coded, tmp_path):
    review = tmp_path / "review.xlsx"
    r = run("disagreements", "--coders", "A,B", "--segment-unit", "sentence", "-o", review, "-p", coded.root)
    assert r.exit_code == 0 and "3 codes in dispute on 3 sentences between A and B (2 transcripts)" in r.output
    assert run("disagreements", "--coders", "A,B", "-o", tmp_path / "r.docx", "-p", coded.root).exit_code == 0
    settle(review, [("A", None, None), ("B", None, None), ("A", None, None)])
    r = run("reconcile", review, "-p", coded.root)
    assert r.exit_code == 0 and "by consensus" in r.output
    r = run("disagreements", "--coders", "A", "-o", review, "-p", coded.root)
    assert r.exit_code == 1 and "exactly two coders" in r.stderr


@pytest.mark.parametrize("columns", [60, 100])
def test_agree_fits_the_terminal_and_writes_counts_as_whole_numbers(coded, columns):
    r = CliRunner().invoke(app, ["agree", "--coders", "A,B", "--segment-unit", "sentence", "--resamples", "20",
                                 "-p", str(coded.root)], env={"COLUMNS": str(columns)})
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    assert max(len(line) for line in lines) <= columns
    assert lines[0].split()[:2] == ["Code", "or"]  # headings for people, not column names
    assert "percent_agreement" not in r.output
    pooled = next(line for line in lines if line.startswith("All codes")).split()
    assert all(v.isdigit() for v in pooled[2:6])  # units and the three counts, as whole numbers
    assert "Inter-coder agreement was assessed" in r.output  # the methods paragraph, wrapped too
