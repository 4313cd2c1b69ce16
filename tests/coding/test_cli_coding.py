"""CLI verbs for coding: sheet, import, history, undo, export."""

import json

import pandas as pd
from openpyxl import load_workbook
from typer.testing import CliRunner

from npt_coder.cli import app

runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_sheet_import_history_undo_export(project, tmp_path, spans):
    root = project.root
    book = tmp_path / "AK.xlsx"
    r = run("sheet", "--coder", "AK", "--unit", "paragraph", "-o", book, "-p", root)
    assert r.exit_code == 0 and "2 transcript sheets for AK, unit paragraph" in r.output
    wb = load_workbook(book)
    assert wb["T1"]["D2"].protection.locked  # row 2 is the interviewer's question, shown for context
    wb["T1"]["D3"] = "M1.1 – Differentiation"
    wb.save(book)
    r = run("import", book, "-p", root, "--json")
    assert r.exit_code == 0, r.output
    [info] = json.loads(r.output)
    assert info["n_codings"] == 1 and info["coders"] == ["AK"]
    again = run("import", book, "-p", root)
    assert "nothing to do: this file was already imported as batch" in again.output
    hist = json.loads(run("history", "-p", root, "--json").output)
    assert [h["kind"] for h in hist] == ["add", "import"]
    wide = runner.invoke(app, ["history", "-p", str(root)], env={"COLUMNS": "200"}).output
    assert wide.splitlines()[0].split()[-2:] == ["Left", "out"]  # a heading in words, as the other columns have
    for columns in (50, 80):
        shown = runner.invoke(app, ["history", "-p", str(root)], env={"COLUMNS": str(columns)}).output
        assert max(len(line) for line in shown.splitlines()) <= columns and shown.startswith("Batch")
    imported = next(line for line in shown.splitlines() if " import " in line)
    assert imported.split()[-2:] == ["1", "AK"]  # 1 coding by AK: a count, never "1.0"
    out = tmp_path / "codings.csv"
    assert run("export", "codings", "-o", out, "-p", root).exit_code == 0
    exported = pd.read_csv(out)
    assert exported[["coder", "code_id", "code_name"]].values.tolist() == [["AK", "M1.1", "Differentiation"]]
    assert exported["text"].iloc[0] == "It started small. Then it grew quickly."
    r = run("undo", str(info["batch_id"]), "-p", root)
    assert r.exit_code == 0 and "removed 1 coding," in r.output
    assert run("undo", str(info["batch_id"]), "-p", root).exit_code == 1


def test_import_errors_are_one_line(project, tmp_path):
    bad = tmp_path / "bad.csv"
    pd.DataFrame({"transcript_id": ["T1"], "coder": ["AK"], "code_id": ["ZZZ"], "start": [0], "end": [4]}).to_csv(
        bad, index=False)
    r = run("import", bad, "-p", project.root)
    assert r.exit_code == 1
    assert r.stderr.startswith("error: bad.csv: unknown code 'ZZZ'") and len(r.stderr.strip().splitlines()) == 1
    r = run("import", tmp_path / "missing.xlsx", "-p", project.root)
    assert r.exit_code == 1 and "missing.xlsx: file not found" in r.stderr
    r = run("import", tmp_path / "notes.pdf", "-p", project.root)
    assert r.exit_code == 1


def test_export_transcript_for_word_coding(project, tmp_path):
    out = tmp_path / "T1.docx"
    r = run("export", "transcript", "--transcript", "T1", "-o", out, "-p", project.root)
    assert r.exit_code == 0 and out.stat().st_size > 0
    r = run("export", "transcript", "-o", out, "-p", project.root)
    assert r.exit_code == 1 and "give --transcript ID" in r.stderr
