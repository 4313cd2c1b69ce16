"""Progress bars of the long verbs (add, check-anon, report): drawn on a terminal for what takes more than a couple
of seconds, never when the output is not a terminal, never with --quiet."""

from __future__ import annotations

import io
import time

import pytest
from rich.console import Console
from typer.testing import CliRunner

import npt_coder as nc
from npt_coder.cli import app
from npt_coder.cli._progress import terminal_progress

runner = CliRunner()


@pytest.fixture
def study(tmp_path):
    p = nc.init_project(tmp_path / "p")
    paths = []
    for i in range(3):
        path = tmp_path / f"S1_P0{i}.txt"
        path.write_text(f"Interviewer: Question {i}?\n\nP0{i}: Answer {i}, about the daily meeting.\n",
                        encoding="utf-8")
        paths.append(str(path))
    return p, paths


def test_add_draws_its_stages_on_a_terminal(study, screen):
    p, paths = study
    out = runner.invoke(app, ["add", *paths, "--project", str(p.root), "--no-ner"])
    assert out.exit_code == 0, out.output
    drawn = screen.getvalue()
    assert "Reading files" in drawn and "Looking for other identifiers" in drawn and "Storing" in drawn
    assert "Reading files" not in out.output  # the summary stays plain
    assert "added 3 transcripts" in out.output


@pytest.mark.parametrize("verb", ["add", "check-anon"])
def test_quiet_draws_nothing_on_a_terminal(study, screen, verb):
    p, paths = study
    out = runner.invoke(app, [verb, *paths, "--project", str(p.root), "--no-ner", "--quiet"])
    assert out.exit_code == 0, out.output
    assert screen.getvalue() == ""


def test_nothing_is_drawn_when_the_output_is_not_a_terminal(study):
    p, paths = study  # CliRunner's streams are not terminals; the real Console is used
    out = runner.invoke(app, ["add", *paths, "--project", str(p.root), "--no-ner"])
    assert out.exit_code == 0
    assert "Reading files" not in out.output and "\x1b[" not in out.output
    checked = runner.invoke(app, ["check-anon", "--project", str(p.root), "--no-ner"])
    assert "Looking for" not in checked.output and "\x1b[" not in checked.output


def test_report_draws_its_steps_on_a_terminal(study, screen, tmp_path):
    p, paths = study
    added = runner.invoke(app, ["add", *paths, "--project", str(p.root), "--no-ner", "-q", "--site", "S1"])
    assert added.exit_code == 0
    out = runner.invoke(app, ["report", "-o", str(tmp_path / "r.xlsx"), "--project", str(p.root)])
    assert out.exit_code == 0, out.output
    drawn = screen.getvalue()
    assert "Gathering themes" in drawn and "Writing files" in drawn
    screen.truncate(0)
    screen.seek(0)
    out = runner.invoke(app, ["report", "-o", str(tmp_path / "r2.xlsx"), "--project", str(p.root), "--quiet"])
    assert out.exit_code == 0 and screen.getvalue() == ""


def test_bars_wait_before_they_appear():
    quick = io.StringIO()
    with terminal_progress(Console(file=quick, force_terminal=True, width=100), delay=0.5) as progress:
        progress("reading", 1, 1)  # done well before the wait is over: nothing drawn
    assert quick.getvalue() == ""
    slow = io.StringIO()
    with terminal_progress(Console(file=slow, force_terminal=True, width=100), delay=0.2) as progress:
        progress("names", 1, 4)
        time.sleep(0.6)
        progress("names", 4, 4)
    assert "Looking for names" in slow.getvalue()
