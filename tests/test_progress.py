"""Progress of a long add: the service reports each stage as it goes, and the CLI draws bars only on a terminal."""

from __future__ import annotations

import io

from rich.console import Console

import npt_coder as nc
from npt_coder.cli._progress import STAGES, terminal_progress
from npt_coder.services import add_transcripts


def test_add_reports_every_stage_in_order_and_each_reaches_its_total(tmp_path):
    paths = []
    for i in range(3):
        path = tmp_path / f"S1_P0{i}.txt"
        path.write_text(f"INT: Question {i}?\n\nP0{i}: Answer {i}, about the daily meeting.\n", encoding="utf-8")
        paths.append(path)
    seen: list[tuple[str, int, int]] = []
    add_transcripts(nc.init_project(tmp_path / "study"), paths, nlp=None,
                    progress=lambda stage, done, total: seen.append((stage, done, total)))
    stages = list(dict.fromkeys(s for s, _, _ in seen))
    assert stages == ["reading", "sentences", "patterns", "storing"]  # no names pass without a pipeline
    assert [d for s, d, _ in seen if s == "reading"] == [1, 2, 3]
    for stage in stages:
        last = [(d, t) for s, d, t in seen if s == stage][-1]
        assert last[0] == last[1] and last[1] > 0
    assert set(stages) <= set(STAGES)


def test_bars_on_a_terminal_and_nothing_elsewhere():
    with terminal_progress(Console(file=io.StringIO())) as progress:  # not a terminal: no callback at all
        assert progress is None
    screen = io.StringIO()
    with terminal_progress(Console(file=screen, force_terminal=True, width=100)) as progress:
        progress("reading", 1, 4)
        progress("reading", 4, 4)
        progress("names", 500, 1000)
    drawn = screen.getvalue()
    assert "Reading files" in drawn and "Looking for names" in drawn and "100%" in drawn and "50%" in drawn
