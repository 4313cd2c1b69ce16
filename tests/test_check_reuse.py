"""A check run once is reused: check-anon then add, a refused add then --accept-flagged, and replace; what the
project records is what a fresh check records."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

import npt_coder as nc
from npt_coder.anon import CACHE_FOLDER
from npt_coder.cli import app
from npt_coder.errors import AnonymisationError
from npt_coder.services import add_transcripts, check_cache, replace_transcript

runner = CliRunner()
LEAKY = "Interviewer: How do families reach you?\n\nP03: Kerry Dawson rings the duty line on 07700 900123.\n"
CLEAN = "Interviewer: How do families reach you?\n\nP04: Through the front door, by referral.\n"


@pytest.fixture
def files(tmp_path):
    leaky, clean = tmp_path / "S1_P03.txt", tmp_path / "S1_P04.txt"
    leaky.write_text(LEAKY, encoding="utf-8")
    clean.write_text(CLEAN, encoding="utf-8")
    return leaky, clean


def _recorded(project):
    checks = project.anon_checks.set_index("transcript_id")
    return {tid: (int(r.n_findings), json.loads(r.by_type), int(r.name_detection)) for tid, r in checks.iterrows()}


def test_check_anon_in_the_project_then_add_checks_nothing_again(tmp_path, files, detector_calls):
    p = nc.init_project(tmp_path / "p")
    out = runner.invoke(app, ["check-anon", *map(str, files), "--project", str(p.root), "--format", "json"])
    assert out.exit_code == 0, out.output
    assert detector_calls == [2]
    assert len(list((p.root / CACHE_FOLDER).rglob("*.json"))) == 2
    out = runner.invoke(app, ["add", *map(str, files), "--project", str(p.root), "--accept-flagged"])
    assert out.exit_code == 0, out.output
    assert detector_calls == [2, 0]  # the add reused both checks
    fresh = nc.init_project(tmp_path / "fresh")
    add_transcripts(fresh, list(files), accept_flagged=True)
    assert _recorded(p) == _recorded(fresh)
    assert _recorded(p)["S1_P03"][0] >= 2


def test_check_anon_outside_any_project_keeps_nothing(tmp_path, files, detector_calls, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = runner.invoke(app, ["check-anon", *map(str, files), "--format", "json"])
    assert out.exit_code == 0, out.output
    assert not list(tmp_path.rglob("*.json"))
    bad = runner.invoke(app, ["check-anon", str(files[0]), "--project", str(tmp_path / "none")])
    assert bad.exit_code == 1 and bad.output.startswith("error: ")  # a project named but missing is an error


def test_a_refused_add_run_again_with_accept_flagged_reuses_its_check(tmp_path, files, detector_calls):
    p = nc.init_project(tmp_path / "p")
    with pytest.raises(AnonymisationError):
        add_transcripts(p, list(files))
    assert len(p.transcripts) == 0 and detector_calls == [2]
    add_transcripts(p, list(files), accept_flagged=True)
    assert detector_calls == [2, 0] and len(p.transcripts) == 2


def test_other_lists_check_again(tmp_path, files, detector_calls):
    p = nc.init_project(tmp_path / "p")
    with pytest.raises(AnonymisationError):
        add_transcripts(p, [files[1]], deny=["front door"])
    add_transcripts(p, [files[1]])
    assert detector_calls == [1, 1]


def test_replace_reuses_a_check_of_the_new_file(tmp_path, files, detector_calls):
    p = nc.init_project(tmp_path / "p")
    add_transcripts(p, [files[1]])
    corrected = tmp_path / "S1_P04_v2.txt"
    corrected.write_text(CLEAN.replace("by referral", "by a referral"), encoding="utf-8")
    assert runner.invoke(app, ["check-anon", str(corrected), "--project", str(p.root)]).exit_code == 0
    replace_transcript(p, "S1_P04", corrected)
    assert detector_calls == [1, 1, 0]
    assert check_cache(p).folder == p.root / CACHE_FOLDER
