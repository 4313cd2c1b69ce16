"""CLI verbs that write findings: themes, matrix, report, logic-model (on the demo study)."""

import json

import pytest
from docx import Document
from openpyxl import load_workbook
from typer.testing import CliRunner

import npt_coder as nc
from npt_coder.cli import app
from npt_coder.demo import run_demo

runner = CliRunner()
MODELS = nc.demo_path() / "logic_models"


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    return run_demo(tmp_path_factory.mktemp("cli") / "demo").project.root


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_themes_json_and_files(root, tmp_path):
    r = run("themes", "--json", "-p", root)
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    text = json.dumps(data)
    assert "M3.3" in text and "(S1, P01)" in text  # a code and an attribution in the seed's style
    for suffix in ("docx", "xlsx", "html", "md"):
        out = tmp_path / f"themes.{suffix}"
        assert run("themes", "-o", out, "-p", root).exit_code == 0
        assert out.stat().st_size > 1000
    out = tmp_path / "rq.docx"
    r = run("themes", "--by", "rq", "--rq", nc.demo_path() / "research_questions.yaml", "-o", out, "-p", root)
    assert r.exit_code == 0, r.output
    assert run("themes", "--by", "colour", "-p", root).exit_code == 1


def test_matrix(root, tmp_path):
    out = tmp_path / "matrix.xlsx"
    r = run("matrix", "-o", out, "--columns", "construct", "--cell", "count", "-p", root)
    assert r.exit_code == 0, r.output
    wb = load_workbook(out)
    assert {"Context", "Mechanism", "Outcome"} <= set(wb.sheetnames)
    r = run("matrix", "-o", tmp_path / "m.pdf", "-p", root)
    assert r.exit_code == 1 and "must be .xlsx or .csv" in r.stderr


def test_report_and_bad_format(root, tmp_path):
    out = tmp_path / "study.docx"
    r = run("report", "-o", out, "--logic-model", f"{MODELS / 'risk_model.yaml'},{MODELS / 'needs_model.yaml'}",
            "-p", root)
    assert r.exit_code == 0, r.output
    headings = [p.text for p in Document(str(out)).paragraphs if p.style.name.startswith("Heading")]
    assert "Logic models" in headings and "Findings" in headings
    r = run("report", "-o", tmp_path / "study.pdf", "-p", root)
    assert r.exit_code == 1 and r.stderr.startswith("error: study.pdf: report files must be .docx, .xlsx or .html")


def test_logic_model_draft_render_describe(root, tmp_path):
    draft = tmp_path / "draft.yaml"
    r = run("logic-model", "draft", "-o", draft, "-p", root)
    assert r.exit_code == 0 and draft.exists()
    assert run("logic-model", "check", draft, "-p", root).exit_code == 0
    out = tmp_path / "compare.html"
    r = run("logic-model", "render", MODELS / "risk_model.yaml", MODELS / "needs_model.yaml", "-o", out, "-p", root)
    assert r.exit_code == 0, r.output
    r = run("logic-model", "describe", MODELS / "risk_model.yaml", "-p", root)
    assert r.exit_code == 0 and "Unintended harms" in r.output
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: x\ncolumns:\n  - name: Context\n    items: [{text: a, codes: [M9.9]}]\n", encoding="utf-8")
    r = run("logic-model", "check", bad, "-p", root)
    assert r.exit_code == 1 and "M9.9" in r.stderr
