"""An option given twice: verbs that write several files take several -o (each suffix checked before anything is
written); every other option that takes one value refuses a second with one line and status 1, where Click alone
would keep the last and drop the first unsaid."""

from __future__ import annotations

import pandas as pd
import pytest
import typer
from docx import Document
from openpyxl import load_workbook
from typer.testing import CliRunner

import npt_coder as nc
from npt_coder.cli import app
from npt_coder.cli._app import _Command
from npt_coder.coding import import_codings
from npt_coder.services import add_transcripts

runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture
def study(tmp_path):
    """Two transcripts coded by AK and JT, who disagree on every other paragraph."""
    src = tmp_path / "src"
    src.mkdir()
    paths = []
    for i in range(2):
        path = src / f"S1_P0{i}.txt"
        path.write_text(f"Interviewer: How did it start?\n\nP0{i}: Small, with a daily meeting.\n\n"
                        f"Interviewer: And now?\n\nP0{i}: Routine; consent is asked first.\n", encoding="utf-8")
        paths.append(path)
    p = nc.init_project(tmp_path / "study")
    add_transcripts(p, paths, attributes={"site": "S1"}, nlp=None)
    a, b = p.codebook["code_id"].tolist()[:2]
    rows = []
    for k, r in enumerate(p.segments("paragraph", include_interviewer=False).itertuples(index=False)):
        rows += [(r.transcript_id, "AK", a, int(r.start), int(r.end), ""),
                 (r.transcript_id, "JT", a if k % 2 else b, int(r.start), int(r.end), "")]
    import_codings(p, pd.DataFrame(rows, columns=["transcript_id", "coder", "code_id", "start", "end", "memo"]),
                   source="test")
    return p


def test_disagreements_writes_every_output(study, tmp_path):
    word, book = tmp_path / "a.docx", tmp_path / "a.xlsx"
    out = run("disagreements", "--coders", "AK,JT", "-o", word, "-o", book, "-p", study.root)
    assert out.exit_code == 0, out.output
    assert f"wrote {word}" in out.output and f"wrote {book}" in out.output
    assert "Disagreements" in load_workbook(book).sheetnames  # the review workbook, to settle and reconcile
    assert any("Disagreements between AK and JT" in p.text for p in Document(str(word)).paragraphs)


@pytest.mark.parametrize("verb, suffixes", [
    (["disagreements", "--coders", "AK,JT"], (".xlsx", ".pdf")),
    (["agree", "--coders", "AK,JT", "--resamples", "0"], (".html", ".md")),
    (["themes"], (".md", ".pptx")),
    (["matrix"], (".xlsx", ".docx")),
    (["report"], (".xlsx", ".csv")),
])
def test_a_bad_suffix_among_several_writes_nothing(study, tmp_path, verb, suffixes):
    good, bad = (tmp_path / f"out{s}" for s in suffixes)
    out = run(*verb, "-o", good, "-o", bad, "-p", study.root)
    assert out.exit_code == 1
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {bad.name}: ") and suffixes[1] in lines[0]
    assert not good.exists() and not bad.exists()


@pytest.mark.parametrize("verb, suffixes", [
    (["agree", "--coders", "AK,JT", "--resamples", "0"], (".xlsx", ".html")),
    (["themes"], (".md", ".html")),
    (["matrix"], (".xlsx", ".csv")),
])
def test_verbs_that_write_findings_write_each_output(study, tmp_path, verb, suffixes):
    paths = [tmp_path / f"out{s}" for s in suffixes]
    out = run(*verb, *[x for p in paths for x in ("-o", p)], "-p", study.root)
    assert out.exit_code == 0, out.output
    for path in paths:
        assert path.stat().st_size > 0 and f"wrote {path}" in out.output


def test_the_same_file_twice_is_refused(study, tmp_path):
    out = run("disagreements", "--coders", "AK,JT", "-o", tmp_path / "r.xlsx", "-o", tmp_path / "." / "r.xlsx",
              "-p", study.root)
    assert out.exit_code == 1 and "given twice" in out.stderr and len(out.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "r.xlsx").exists()


@pytest.mark.parametrize("args, option", [
    (["sheet", "--coder", "AK", "--coder", "JT", "-o", "{tmp}/s.xlsx", "-p", "{root}"], "--coder"),
    (["sheet", "--coder", "AK", "-o", "{tmp}/s1.xlsx", "-o", "{tmp}/s2.xlsx", "-p", "{root}"], "--output / -o"),
    (["export", "codings", "-o", "{tmp}/c1.csv", "--output", "{tmp}/c2.csv", "-p", "{root}"], "--output / -o"),
    (["check-anon", "--format", "csv", "-o", "{tmp}/f1.csv", "-o", "{tmp}/f2.csv", "-p", "{root}"],
     "--output / -o"),
    (["codebook", "export", "-o", "{tmp}/m1.md", "-o", "{tmp}/m2.md", "-p", "{root}"], "--output / -o"),
    (["logic-model", "draft", "-o", "{tmp}/l1.yaml", "-o", "{tmp}/l2.yaml", "-p", "{root}"], "--output / -o"),
    (["pseudonymise", "{tmp}/src/S1_P00.txt", "-o", "{tmp}/d1", "-o", "{tmp}/d2", "--no-ner"], "--output / -o"),
    (["demo", "--out", "{tmp}/demo1", "-o", "{tmp}/demo2"], "--out / -o"),
    (["agree", "--coders", "AK,JT", "--coders", "AK,ZZ", "-p", "{root}"], "--coders"),
    (["suggest", "--model", "tfidf", "--model", "minilm", "-p", "{root}"], "--model"),
    (["attrs", "set", "S1_P00", "role=police", "--project", "{root}", "-p", "{root}"], "--project / -p"),
    (["users", "list", "--project", "{root}", "-p", "{root}"], "--project / -p"),
    (["list", "-p", "{root}", "-p", "{root}"], "--project / -p"),
])
def test_an_option_of_one_value_given_twice_is_refused(study, tmp_path, args, option):
    files = sorted(str(p) for p in tmp_path.rglob("*"))
    before = (study.transcripts.to_json(), study.codings.to_json())
    out = run(*[a.format(tmp=tmp_path, root=study.root) for a in args])
    assert out.exit_code == 1
    assert out.stderr.strip() == f"error: {option} was given more than once; it takes one value"
    assert sorted(str(p) for p in tmp_path.rglob("*")) == files  # nothing written
    assert (study.transcripts.to_json(), study.codings.to_json()) == before  # nothing changed


def test_flags_and_repeatable_options_still_repeat(study, tmp_path):
    assert run("list", "--json", "--json", "-p", study.root).exit_code == 0
    path = tmp_path / "src" / "S1_P09.txt"
    path.write_text("Interviewer: Why?\n\nP09: Because.\n", encoding="utf-8")
    out = run("add", path, "--attr", "wave=2", "--attr", "team=B", "--no-ner", "-p", study.root)
    assert out.exit_code == 0, out.output
    row = study.transcripts.set_index("transcript_id").loc["S1_P09"]
    assert (row["wave"], row["team"]) == ("2", "B")


def test_every_verb_refuses_a_repeated_option():
    """The guard is on every verb of every group, so a verb added later has it too."""
    def leaves(command):
        subs = getattr(command, "commands", None)
        if subs is None:
            yield command
        else:
            for sub in subs.values():
                yield from leaves(sub)

    verbs = list(leaves(typer.main.get_command(app)))
    assert len(verbs) > 25
    assert all(isinstance(v, _Command) for v in verbs), [v.name for v in verbs if not isinstance(v, _Command)]

