"""How errors reach the terminal: one line and status 1 for bad choices, malformed KEY=VALUE, unknown verbs; for a
bug, one line naming the log, and a log that never holds the exception's message (it may quote transcript text)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from typer.testing import CliRunner

from npt_coder.cli import app

runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture
def study(tmp_path):
    assert run("init", tmp_path / "study").exit_code == 0
    return tmp_path / "study"


@pytest.mark.parametrize("args, message", [
    (["show", "X", "--unit", "chapter"], "error: unit must be one of turn, paragraph, sentence; got 'chapter'"),
    (["agree", "--unit", "word"], "error: unit must be one of segment, character, document, overlap; got 'word'"),
    (["agree", "--segment-unit", "page"], "error: unit must be one of turn, paragraph, sentence; got 'page'"),
    (["check-anon", "--format", "pdf"], "error: format must be one of table, json, csv, xlsx; got 'pdf'"),
    (["matrix", "-o", "m.xlsx", "--cell", "quotes"], "error: cell must be one of excerpts, count; got 'quotes'"),
    (["export", "memos", "-o", "x.csv"], "error: what must be one of codings, transcript, codebook; got 'memos'"),
    (["logic-model", "describe", "m.yaml", "--evidence", "some"],
     "error: --evidence must be one of auto, project, spec, none; got 'some'"),
    (["add", "x.txt", "--attr", "site"], "error: expected KEY=VALUE, got 'site'"),
    (["add", "x.txt", "--attr", "=S1"], "error: '=S1' has no key before '='"),
    (["nosuch"], "error: No such command 'nosuch'."),
    (["add"], "error: Missing argument '"),  # Click names it 'FILES...' or 'files' by version
])
def test_bad_command_lines_are_one_line_with_status_1(study, monkeypatch, args, message):
    monkeypatch.chdir(study)
    result = run(*args)
    assert result.exit_code == 1
    assert result.stderr.strip() == message or (message.endswith("'") and result.stderr.startswith(message))
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.output


def test_key_value_attributes_reach_the_transcript(study, monkeypatch, tmp_path):
    path = tmp_path / "S1_P07.txt"
    path.write_text("INT: What changed?\n\nP07: The meetings are daily now.\n", encoding="utf-8")
    monkeypatch.chdir(study)
    result = run("add", path, "--attr", "Data Collector = AK", "--attr", "wave=2", "--no-ner")
    assert result.exit_code == 0, result.output
    import npt_coder as nc

    row = nc.open_project(study).transcripts.iloc[0]
    assert (row["data_collector"], row["wave"]) == ("AK", "2")


def _boom(*args, **kwargs):
    raise RuntimeError("Jayden Smith, aged 7, 12 Hill Road")  # what a message from deep inside could quote


def test_unexpected_error_is_one_line_and_the_log_has_no_message(study, monkeypatch):
    import npt_coder.cli._transcripts as verbs

    monkeypatch.chdir(study)
    monkeypatch.setattr(verbs.IngestOptions, "__init__", _boom)
    result = run("add", "whatever.txt")
    log = study / "logs" / "npt-coder.log"
    assert result.exit_code == 1
    assert result.stderr.strip() == f"error: unexpected RuntimeError; details in {log}"
    text = log.read_text(encoding="utf-8")
    assert "builtins.RuntimeError" in text and "_transcripts.py" in text
    assert "Jayden" not in text and "Hill Road" not in text
    assert "Jayden" not in result.output


def test_a_bug_before_the_project_is_opened_is_logged_beside_the_project(study, monkeypatch):
    import npt_coder.cli._transcripts as verbs

    monkeypatch.chdir(study)
    monkeypatch.setattr(verbs, "term_lists", _boom)  # check-anon reads its lists before it opens the project
    result = run("check-anon")
    log = study / "logs" / "npt-coder.log"  # the project found from the current folder, not the drive's root
    assert result.exit_code == 1
    assert result.stderr.strip() == f"error: unexpected RuntimeError; details in {log}"
    assert "builtins.RuntimeError" in log.read_text(encoding="utf-8")


def test_traceback_option_shows_everything(study, monkeypatch):
    import npt_coder.cli._transcripts as verbs

    monkeypatch.chdir(study)
    monkeypatch.setattr(verbs.IngestOptions, "__init__", _boom)
    result = run("--traceback", "add", "whatever.txt")
    assert result.exit_code == 1
    assert "Traceback (most recent call last)" in result.stderr and "Jayden Smith" in result.stderr
    assert not (study / "logs").exists()


def test_module_entry_point_and_bare_command(tmp_path):
    done = subprocess.run([sys.executable, "-m", "npt_coder", "--version"], capture_output=True, text=True,
                          cwd=tmp_path)
    assert done.returncode == 0 and done.stdout.startswith("npt-coder ")
    done = subprocess.run([sys.executable, "-m", "npt_coder"], capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0 and "Commands" in done.stdout + done.stderr and "error:" not in done.stderr


def test_tables_on_the_terminal_show_counts_as_integers_and_blanks_for_missing():
    import pandas as pd

    from npt_coder.cli._app import for_display

    shown = for_display(pd.DataFrame({"n_codings": [244.0, None], "share": [0.5, None], "note": [None, "x"]}))
    assert shown.to_dict("list") == {"n_codings": [244, ""], "share": [0.5, ""], "note": ["", "x"]}
