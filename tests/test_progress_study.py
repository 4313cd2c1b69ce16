"""Progress of the other long verbs (pseudonymise, sheet, import, export, agree, disagreements, reconcile, suggest,
themes, matrix, demo): each service tells its callback every stage up to its total, and the CLI draws the bars on a
terminal only, never with --quiet, never when the output is not a terminal, and never any transcript text."""

from __future__ import annotations

import pandas as pd
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

import npt_coder as nc
from npt_coder.cli import app
from npt_coder.cli._progress import STAGES
from npt_coder.coding import import_codings as store_codings
from npt_coder.services import add_transcripts

runner = CliRunner()

ANSWERS = ["We meet every morning at the front door.", "Consent is asked before anything is shared.",
           "The thresholds changed twice this year.", "Health colleagues joined the screening in spring."]


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def _write_transcripts(folder, n=3):
    folder.mkdir(exist_ok=True)
    paths = []
    for i in range(n):
        turns = []
        for k, answer in enumerate(ANSWERS):
            turns += [f"Interviewer: Question {k + 1} for P0{i}?", f"P0{i}: {answer} Number {i}."]
        path = folder / f"S1_P0{i}.txt"
        path.write_text("\n\n".join(turns) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


@pytest.fixture
def coded(tmp_path):
    """Three transcripts coded by AK and JT, who disagree on some paragraphs; and the transcript files."""
    paths = _write_transcripts(tmp_path / "src")
    p = nc.init_project(tmp_path / "study")
    add_transcripts(p, paths, attributes={"site": "S1", "role": "police"}, nlp=None)
    codes = p.codebook["code_id"].tolist()[:3]
    seg = p.segments("paragraph", include_interviewer=False)
    rows = []
    for k, r in enumerate(seg.itertuples(index=False)):
        rows.append((r.transcript_id, "AK", codes[k % 2], int(r.start), int(r.end), ""))
        rows.append((r.transcript_id, "JT", codes[k % 2] if k % 3 else codes[2], int(r.start), int(r.end), ""))
    store_codings(p, pd.DataFrame(rows, columns=["transcript_id", "coder", "code_id", "start", "end", "memo"]),
                  source="test")
    return p, paths


def _recorder():
    seen: list[tuple[str, int, int]] = []
    return seen, lambda stage, done, total: seen.append((stage, done, total))


def _stages(seen):
    """The stages in the order first heard; each must have reached its total, and be one the terminal names."""
    stages = list(dict.fromkeys(s for s, _, _ in seen))
    for stage in stages:
        done, total = [(d, t) for s, d, t in seen if s == stage][-1]
        assert done == total, (stage, done, total)
        assert all(0 <= d <= t for s, d, t in seen if s == stage)
    assert set(stages) <= set(STAGES), set(stages) - set(STAGES)
    return stages


def _settled_review(p, tmp_path):
    from npt_coder.review import disagreements, review_workbook

    path = tmp_path / "review.xlsx"
    review_workbook(disagreements(p, "AK", "JT"), project_id=p.project_id).save(path)
    wb = load_workbook(path)
    ws = wb["Disagreements"]
    for row in range(2, ws.max_row + 1):
        ws.cell(row, 9).value = "AK"  # the Decision column: AK's call stands everywhere
    wb.save(path)
    return path


def _filled_sheet(p, tmp_path):
    from npt_coder.coding import make_coding_workbook

    path = tmp_path / "KL.xlsx"
    make_coding_workbook(p, "KL", unit="paragraph").save(path)
    wb = load_workbook(path)
    label = wb["Lists"]["A2"].value
    for ws in wb.worksheets:
        if ws.title not in ("Instructions", "Codebook", "Lists", "_integrity"):
            for row in range(2, ws.max_row + 1):
                if not ws.cell(row, 4).protection.locked:
                    ws.cell(row, 4).value = label
    wb.save(path)
    return path


# --- the services tell every stage ------------------------------------------------------------------------------

def test_pseudonymise_tells_each_file(tmp_path):
    from npt_coder.anon import Pseudonymiser, pseudonymise_files

    paths = _write_transcripts(tmp_path / "raw")
    seen, tell = _recorder()
    pseudonymise_files(paths, tmp_path / "out", Pseudonymiser(nlp=None), tmp_path / "key.csv", progress=tell)
    assert _stages(seen) == ["pseudonymising"]
    assert [d for _, d, _ in seen] == [0, 1, 2, 3]


def test_import_tells_files_sheets_and_storing(coded, tmp_path):
    from npt_coder.services import import_codings

    p, _ = coded
    table = tmp_path / "long.csv"
    pd.DataFrame([{"transcript_id": "S1_P01", "coder": "ZZ", "code_id": p.codebook["code_id"].iloc[0],
                   "start": 0, "end": 5}]).to_csv(table, index=False)
    seen, tell = _recorder()
    import_codings(p, [_filled_sheet(p, tmp_path), table], progress=tell)
    assert _stages(seen) == ["reading", "sheets", "storing"]
    assert [d for s, d, _ in seen if s == "reading"] == [0, 1, 2]
    assert [d for s, d, _ in seen if s == "sheets"] == [0, 1, 2, 3]  # one sheet per transcript


def test_qdpx_export_and_whole_project_import_tell_their_stages(coded, tmp_path):
    from npt_coder.coding._qdpx import project_to_qdpx
    from npt_coder.services import import_project

    p, _ = coded
    seen, tell = _recorder()
    project_to_qdpx(p, tmp_path / "study.qdpx", progress=tell)
    assert _stages(seen) == ["exporting", "writing"]
    assert [d for s, d, _ in seen if s == "exporting"] == [0, 1, 2, 3]
    seen, tell = _recorder()
    result = import_project(nc.init_project(tmp_path / "other"), tmp_path / "study.qdpx", nlp=None, progress=tell)
    assert len(result.added) == 3
    assert _stages(seen) == ["sources", "patterns", "storing"]
    assert [d for s, d, _ in seen if s == "sources"] == [0, 1, 2, 3]


def test_sheet_tells_each_transcript(coded):
    from npt_coder.coding import make_coding_workbook

    p, _ = coded
    seen, tell = _recorder()
    make_coding_workbook(p, "KL", transcripts=["S1_P00", "S1_P02"], progress=tell)
    assert _stages(seen) == ["sheets"] and [d for _, d, _ in seen] == [0, 1, 2]


def test_disagreements_and_reconcile_tell_their_stages(coded, tmp_path):
    from npt_coder.review import disagreements, reconcile

    p, _ = coded
    seen, tell = _recorder()
    found = disagreements(p, "AK", "JT", progress=tell)
    assert _stages(seen) == ["disagreements"] and seen[-1][2] == len(found.table) > 0
    review = _settled_review(p, tmp_path)
    seen, tell = _recorder()
    result = reconcile(p, review, progress=tell)
    assert result.n_codings > 0
    assert _stages(seen) == ["reading", "disagreements", "deciding", "storing"]


def test_suggest_and_evaluate_tell_their_stages(coded):
    from npt_coder.services import evaluate_suggestions, suggest_codes

    p, _ = coded
    seen, tell = _recorder()
    result = suggest_codes(p, learn_from=["AK"], transcripts=["S1_P00"], model="tfidf", threshold=0.1,
                           progress=tell)
    assert result.batch_id is not None
    assert _stages(seen) == ["embedding", "scoring", "explaining", "storing"]
    assert seen[[s for s, _, _ in seen].index("explaining")][2] == len(result.suggestions)
    seen, tell = _recorder()
    evaluate_suggestions(p, learn_from=["AK"], model="tfidf", folds=3, progress=tell)
    assert _stages(seen) == ["embedding", "scoring", "agreement"]
    assert max(t for s, _, t in seen if s == "scoring") == 3 * len(p.codebook)  # every code of every fold


def test_demo_tells_each_step(demo_run, demo_steps):
    assert demo_steps == [("demo", i, 8) for i in range(9)]


# --- the CLI draws them on a terminal only ------------------------------------------------------------------------

def _verbs(p, paths, tmp_path):
    """(command line, what its bars are called) for each long verb, on the coded study."""
    root = p.root
    return {
        "pseudonymise": ([*["pseudonymise", *paths], "-o", tmp_path / "pseudo", "--no-ner"], ["pseudonymising"]),
        "sheet": (["sheet", "--coder", "KL", "-o", tmp_path / "KL.xlsx", "-p", root], ["sheets", "writing"]),
        "import": (["import", _filled_sheet(p, tmp_path), "-p", root], ["reading", "sheets", "storing"]),
        "export": (["export", "codings", "-o", tmp_path / "s.qdpx", "-p", root], ["exporting", "writing"]),
        "agree": (["agree", "--coders", "AK,JT", "-o", tmp_path / "a.xlsx", "--resamples", "20", "-p", root],
                  ["agreement", "writing"]),
        "disagreements": (["disagreements", "--coders", "AK,JT", "-o", tmp_path / "r.docx", "-p", root],
                          ["disagreements", "writing"]),
        "reconcile": (["reconcile", _settled_review(p, tmp_path), "-p", root],
                      ["reading", "disagreements", "deciding", "storing"]),
        "suggest": (["suggest", "--learn-from", "AK", "--transcripts", "S1_P00", "--model", "tfidf", "-p", root],
                    ["embedding", "scoring"]),
        "themes": (["themes", "-o", tmp_path / "t.md", "-p", root], ["themes", "writing"]),
        "matrix": (["matrix", "-o", tmp_path / "m.xlsx", "-p", root], ["matrix", "writing"]),
    }


VERBS = ["pseudonymise", "sheet", "import", "export", "agree", "disagreements", "reconcile", "suggest", "themes",
         "matrix"]


@pytest.mark.parametrize("verb", VERBS)
def test_long_verbs_draw_their_stages_on_a_terminal(coded, tmp_path, screen, verb):
    p, paths = coded
    args, stages = _verbs(p, paths, tmp_path)[verb]
    out = run(*args)
    assert out.exit_code == 0, out.output
    drawn = screen.getvalue()
    for stage in stages:
        assert STAGES[stage] in drawn, (stage, drawn)
    assert not any(STAGES[stage] in out.output for stage in stages)  # the verb's own lines stay plain
    assert not any(answer in drawn for answer in ANSWERS)  # bars name stages, never what the transcripts say


@pytest.mark.parametrize("verb", VERBS)
def test_quiet_draws_nothing_on_a_terminal(coded, tmp_path, screen, verb):
    p, paths = coded
    args, _ = _verbs(p, paths, tmp_path)[verb]
    out = run(*args, "--quiet")
    assert out.exit_code == 0, out.output
    assert screen.getvalue() == ""


@pytest.mark.parametrize("verb", VERBS)
def test_nothing_is_drawn_when_the_output_is_not_a_terminal(coded, tmp_path, verb):
    p, paths = coded  # CliRunner's streams are not terminals; the real Console is used
    args, stages = _verbs(p, paths, tmp_path)[verb]
    out = run(*args)
    assert out.exit_code == 0, out.output
    assert "\x1b[" not in out.output and not any(STAGES[stage] in out.output for stage in stages)


def test_whole_project_import_draws_its_stages(coded, tmp_path, screen):
    p, _ = coded
    assert run("export", "codings", "-o", tmp_path / "s.qdpx", "-p", p.root, "-q").exit_code == 0
    assert screen.getvalue() == ""
    other = nc.init_project(tmp_path / "other")
    out = run("import", tmp_path / "s.qdpx", "--no-ner", "-p", other.root)
    assert out.exit_code == 0, out.output
    drawn = screen.getvalue()
    assert STAGES["sources"] in drawn and STAGES["patterns"] in drawn and STAGES["storing"] in drawn


def test_demo_draws_its_steps_and_nothing_with_quiet(coded, tmp_path, screen, monkeypatch):
    import npt_coder.demo as demo

    p, _ = coded

    def quick_demo(out, *, progress=None):  # the verb's wiring, without the twenty seconds of the real study
        for i in range(3):
            if progress is not None:
                progress("demo", i, 2)
        return demo.DemoResult(p)

    monkeypatch.setattr(demo, "run_demo", quick_demo)
    out = run("demo", "-o", tmp_path / "d")
    assert out.exit_code == 0 and "demo project:" in out.output
    assert STAGES["demo"] in screen.getvalue()
    screen.truncate(0)
    screen.seek(0)
    assert run("demo", "-o", tmp_path / "d", "--quiet").exit_code == 0
    assert screen.getvalue() == ""
