"""``npt-coder agree`` with three coders at every unit: the pairwise tables always, the all-coders table where its
units exist (segments, documents), and one line saying why it is left out where they do not; never an error."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from npt_coder.cli import app
from npt_coder.cli._agreement import ALL_CODERS_LEFT_OUT

from ..generated_study import generated_study

runner = CliRunner()


@pytest.fixture(scope="module")
def three(tmp_path_factory):
    return generated_study(tmp_path_factory.mktemp("three"), n_transcripts=3, coders=("A", "B", "C"),
                           spans_per_coder=15)


@pytest.mark.parametrize("unit", ["character", "overlap"])
def test_three_coders_at_a_unit_with_no_all_coders_table(three, unit):
    r = runner.invoke(app, ["agree", "--unit", unit, "--resamples", "0", "-p", str(three.root)])
    assert r.exit_code == 0, r.output
    assert "A vs B" in r.output and "A vs C" in r.output and "B vs C" in r.output  # every pair shown
    assert "All coders together (missing ratings" not in r.output
    flat = " ".join(r.output.split())
    assert f"left out at the {unit} unit" in flat and "use --unit segment or document for it." in flat
    r = runner.invoke(app, ["agree", "--unit", unit, "--resamples", "0", "--json", "-p", str(three.root)])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["multi_coder"] is None and data["multi_coder_left_out"] == ALL_CODERS_LEFT_OUT[unit]
    assert {(row["coder_a"], row["coder_b"]) for row in data["rows"]} >= {("A", "B"), ("A", "C"), ("B", "C")}


@pytest.mark.parametrize("unit", ["segment", "document"])
def test_three_coders_at_a_unit_with_the_all_coders_table(three, unit):
    r = runner.invoke(app, ["agree", "--unit", unit, "--resamples", "0", "--json", "-p", str(three.root)])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert "multi_coder_left_out" not in data
    pooled = [row for row in data["multi_coder"] if row["code_id"] == "all codes"][0]
    assert pooled["n_coders"] == 3 and pooled["n_units"] > 0
