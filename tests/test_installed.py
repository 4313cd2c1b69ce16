"""The package finds its own files wherever it is installed, and `make test` really tests the installed wheel.

``scripts/test_installed.sh`` (run by ``make test``) sets ``NPT_CODER_TEST_INSTALLED=1`` and runs the suite with a
fresh environment's pytest against the wheel; there these tests also prove that the code under test is the
installed copy, not the checkout beside it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import npt_coder as nc
from npt_coder._resources import data_path

PACKAGE = Path(nc.__file__).resolve().parent
CHECKOUT = Path(__file__).resolve().parents[1]


def test_packaged_files_live_inside_the_package():
    for path in (nc.codebook.default_codebook_path(), nc.demo_path() / "S1_P01.docx",
                 nc.demo_path() / "coding" / "AK_coding.xlsx", nc.demo_path() / "review" / "AK_JT_review_settled.xlsx"):
        assert path.is_file(), path
        assert PACKAGE in path.resolve().parents, path
    assert len(nc.load_codebook()) == 24


def test_missing_packaged_file_names_itself():
    import pytest

    with pytest.raises(FileNotFoundError, match="no_such_file.yaml.*reinstall"):
        data_path("codebook", "no_such_file.yaml")


def test_suite_runs_against_the_installed_package_when_asked():
    installed = os.environ.get("NPT_CODER_TEST_INSTALLED") == "1"
    in_checkout = CHECKOUT in PACKAGE.parents
    assert in_checkout is not installed, (PACKAGE, installed)
    if installed:
        assert Path(sys.prefix).resolve() in PACKAGE.parents


def test_cli_starts_outside_any_checkout(tmp_path):
    # the console script of the environment running the tests, from a folder that is no project and no checkout
    script = Path(sys.executable).with_name("npt-coder")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "npt_coder"]
    done = subprocess.run([*command, "init", "s"], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    demo = nc.demo_path()
    done = subprocess.run([*command, "add", str(demo / "S1_P02.txt"), "--attributes", str(demo / "attributes.csv"),
                           "--allow", str(demo / "lists" / "allow.txt")], cwd=tmp_path / "s", capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stderr
    done = subprocess.run([*command, "history"], cwd=tmp_path / "s", capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "add" in done.stdout
