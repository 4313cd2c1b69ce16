"""The suggest verb: stores and reports, --evaluate prints the per-code table, bad input is one line and status 1."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from npt_coder.assist import available_models
from npt_coder.cli import app

runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_suggest_stores_and_says_which_model_ran(study):
    result = run("suggest", "--learn-from", "AK", "--model", "tfidf", "--project", study.root)
    assert result.exit_code == 0, result.output
    assert "  T4: " in result.output and "learnt from AK; model tfidf + linear SVM (scikit-learn" in result.output
    assert "stored as batch" in result.output
    assert set(study.codings.loc[study.codings["coder"] == "assist", "transcript_id"]) == {"T4"}


def test_suggest_json_lists_the_suggestions(study):
    result = run("suggest", "--learn-from", "AK", "--transcripts", "T1", "--model", "tfidf", "--as", "bot",
                 "--project", study.root, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["learnt_from"] == {"T1": ["T2", "T3"]}
    assert {s["coder"] for s in data["suggestions"]} == {"bot"} and data["batch_id"] is not None


def test_evaluate_prints_the_per_code_table(study):
    result = run("suggest", "--evaluate", "--learn-from", "AK", "--model", "tfidf", "--project", study.root)
    assert result.exit_code == 0, result.output
    header = result.output.splitlines()[0]
    assert header.split()[:3] == ["Code", "Coder", "Units"] and "_" not in header  # headings, not column names
    assert all(h in header for h in ("Only coder", "Only suggested", "κ", "Precision", "Recall", "Human κ"))
    assert {"C1", "M3.2", "M4.1"} <= {line.split()[0] for line in result.output.splitlines()[1:4]}
    assert "3-fold cross-validation by transcript on 3 transcripts coded by AK" in result.output
    assert "assist" not in set(study.codings["coder"])  # evaluation stores nothing
    data = json.loads(run("suggest", "--evaluate", "--learn-from", "AK", "--model", "tfidf", "--project",
                          study.root, "--json").output)
    assert len(data["rows"]) == 3 and data["macro_kappa"] == pytest.approx(
        sum(r["kappa"] for r in data["rows"]) / 3)


@pytest.mark.parametrize("args, message", [
    (["--learn-from", "ZZ"], "error: no codings to learn from by ZZ (coders with codings: AK, JT)"),
    (["--learn-from", "AK", "--codes", "M3.3,XX"], "error: unknown code 'XX'"),
    (["--learn-from", "AK", "--as", "AK"], "error: 'AK' has codings of their own"),
    (["--learn-from", "AK", "--unit", "page"], "error: unit must be one of turn, paragraph, sentence; got 'page'"),
    (["--learn-from", "AK", "--model", "nowhere"], "error: model must be one of auto, minilm, tfidf or a folder"),
    (["--evaluate"], "error: evaluation needs a coder to compare with: give --learn-from CODER"),
])
def test_bad_input_is_one_line_and_status_1(study, args, message):
    before = len(study.coding_table(include_superseded=True))
    result = run("suggest", *args, "--project", study.root)
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith(message), result.output
    assert len(study.coding_table(include_superseded=True)) == before


def test_help_says_which_model_auto_runs_here():
    result = run("suggest", "--help")
    assert result.exit_code == 0
    auto = "minilm" if available_models()["minilm"] else "tfidf"
    assert f"--model auto (default) runs {auto} on this machine" in " ".join(result.output.split())
    assert "nothing is fetched from a model hub" in " ".join(result.output.split())
