"""The command line: exit codes, one-line errors, --json output, help examples, project discovery."""

import json
import sqlite3

import pytest
from typer.testing import CliRunner

from npt_coder.cli import app

runner = CliRunner()


def run(*args, cwd=None, monkeypatch=None):
    if cwd is not None:
        monkeypatch.chdir(cwd)
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture
def study(tmp_path):
    result = run("init", tmp_path / "study")
    assert result.exit_code == 0, result.output
    return tmp_path / "study"


@pytest.fixture
def txt(tmp_path):
    path = tmp_path / "S1_P07.txt"
    path.write_text("INT: What changed?\n\nP07: The meetings. They are daily now.\n", encoding="utf-8")
    return path


def n_transcripts(study):
    conn = sqlite3.connect(study / "npt_coder.sqlite")
    try:
        return conn.execute("SELECT COUNT(*) FROM transcripts").fetchone()[0]
    finally:
        conn.close()


@pytest.mark.parametrize("verb", ["init", "add", "list", "show", "demo", "codebook show", "codebook export",
                                  "codebook check", "codebook use", "sheet", "import", "history", "undo", "export", "agree",
                                  "disagreements", "reconcile", "check-anon", "pseudonymise", "logic-model draft",
                                  "logic-model check", "logic-model render", "logic-model describe", "themes",
                                  "matrix", "report"])
def test_every_verb_has_help_with_an_example(verb):
    result = run(*verb.split(), "--help")
    assert result.exit_code == 0
    assert "Example:" in result.output and "npt-coder " in result.output


def test_top_level_help_has_an_example():
    result = run("--help")
    assert result.exit_code == 0 and "Example:" in result.output


def example_lines(help_text):
    """The non-blank lines between ``Example:`` and the help's next section."""
    examples = help_text.split("Example:", 1)[1]
    for section in ("Arguments:", "Options:", "Commands:"):
        examples = examples.split(section, 1)[0]
    return [line.strip() for line in examples.splitlines() if line.strip()]


@pytest.mark.parametrize("verb", ["", "add", "agree", "check-anon", "pseudonymise", "report", "themes", "matrix",
                                  "suggest", "logic-model", "codebook"])
def test_help_prints_each_example_as_one_command_that_can_be_copied(verb):
    # Click rewraps paragraphs to 80 columns: an example broken mid-command pastes into a shell as two commands
    result = run(*verb.split(), "--help")
    lines = example_lines(result.output)
    assert lines and lines[0].startswith("npt-coder ")
    for before, line in zip(lines, lines[1:]):
        assert line.startswith("npt-coder ") or before.endswith("\\"), (before, line)


def test_report_help_keeps_its_continued_example_on_two_lines():
    lines = example_lines(run("report", "--help").output)
    assert lines[0].endswith("-o reports/study.html \\") and lines[1].startswith("--logic-model risk.yaml")


def test_top_level_help_gives_every_verb_a_whole_first_sentence():
    # Click cuts a verb's short help at the first full stop, so 'et al.' left "A framework matrix (Gale et al."
    listing = run("--help").output.split("Commands:", 1)[1]
    matrix = next(line for line in listing.splitlines() if line.strip().startswith("matrix "))
    assert "Framework Method matrix" in matrix and "(Gale" not in matrix


def test_add_list_show_from_inside_the_project(study, txt, monkeypatch):
    result = run("add", txt, "--name-pattern", "{site}_{participant}", "--role", "police", cwd=study,
                 monkeypatch=monkeypatch)
    assert result.exit_code == 0, result.output
    assert "added 1 transcript: S1_P07" in result.output
    listing = json.loads(run("list", "--json").output)
    assert listing == [{"transcript_id": "S1_P07", "source_name": "S1_P07.txt", "format": "txt", "layout": "labels",
                        "n_words": 8, "n_turns": 2, "site": "S1", "participant": "P07", "role": "police"}]
    shown = run("show", "S1_P07", "--unit", "sentence", "--no-interviewer")
    assert shown.output.splitlines() == ["s0002 [25:38] P07: The meetings.", "s0003 [39:58] P07: They are daily now."]


def test_add_twice_reports_duplicate(study, txt):
    run("add", txt, "--project", study)
    again = run("add", txt, "--project", study, "--json")
    assert again.exit_code == 0
    assert json.loads(again.output) == {"added": [], "duplicates": [{"file": "S1_P07.txt", "transcript_id": "S1_P07"}],
                                        "batch_id": None, "warnings": []}


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("missing.txt", None, "error: missing.txt: file not found"),
        ("empty.txt", b"", "error: empty.txt: the file is empty"),
        ("notes.rtf", b"{\\rtf1}", "error: notes.rtf: unsupported file type '.rtf'"),
        ("broken.docx", b"PK\x03\x04 truncated", "error: broken.docx: not a valid Word .docx file"),
        ("prose.txt", b"No speakers here.\n\nNone at all.", "error: prose.txt: no speaker turns found"),
    ],
)
def test_bad_input_one_line_nonzero_exit_project_unchanged(study, txt, tmp_path, name, content, message):
    bad = tmp_path / name
    if content is not None:
        bad.write_bytes(content)
    result = run("add", txt, bad, "--project", study)
    assert result.exit_code == 1
    assert result.stderr.startswith(message)
    assert len(result.stderr.strip().splitlines()) == 1
    assert n_transcripts(study) == 0


def test_no_project_found_is_one_line(tmp_path, monkeypatch):
    result = run("list", cwd=tmp_path, monkeypatch=monkeypatch)
    assert result.exit_code == 1
    assert result.stderr.startswith("error: no npt-coder project in")


def test_codebook_check_lists_problems(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("extends: default\ncodes:\n  - {id: X, name: X, kind: inductive, maps_to: [Q1]}\n", encoding="utf-8")
    result = run("codebook", "check", bad)
    assert result.exit_code == 1
    assert "codes[0].maps_to[0]: 'Q1' names no code, construct or domain" in result.stderr
    bad.write_text("extends: default\ncodes:\n  - {id: X, name: X, kind: inductive, maps_to: [M1]}\n", encoding="utf-8")
    good = run("codebook", "check", bad)
    assert good.exit_code == 0 and good.output.startswith("ok: ") and "25 codes" in good.output


def test_codebook_show_outside_a_project_uses_default(tmp_path, monkeypatch):
    result = run("codebook", "show", cwd=tmp_path, monkeypatch=monkeypatch)
    assert result.exit_code == 0
    assert result.output.splitlines()[0] == ("NPT/CMO 1.0.0: 24 NPT codes (16 mechanism subconstructs "
                                             "plus 8 context and outcome constructs)")
    assert "    M4.4 Reconfiguration" in result.output.splitlines()


@pytest.mark.parametrize("fmt", ["md", "csv", "xlsx", "docx"])
def test_codebook_export_formats(tmp_path, demo_dir, fmt):
    out = tmp_path / f"manual.{fmt}"
    result = run("codebook", "export", "-o", out, "--file", demo_dir / "inductive_codes.yaml")
    assert result.exit_code == 0, result.output
    assert out.stat().st_size > 1000


def test_codebook_export_rejects_unknown_format(tmp_path):
    result = run("codebook", "export", "-o", tmp_path / "manual.pdf")
    assert result.exit_code == 1
    assert result.stderr.strip() == "error: format must be one of md, csv, xlsx, docx; got 'pdf'"


def test_init_twice_fails(study):
    result = run("init", study)
    assert result.exit_code == 1 and "already holds an npt-coder project" in result.stderr
