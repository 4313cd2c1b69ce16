"""Machine suggestions are no finding until a person accepts one: on the demo study, themes, the framework matrix,
the study report (methods, coders, agreement), logic-model evidence and retrieved passages are the same before
and after ``suggest``, and accepting one suggestion changes a count by exactly that one coded paragraph."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

import npt_coder as nc
from npt_coder.agreement import agreement_table
from npt_coder.assist import suggest
from npt_coder.errors import ThemesError
from npt_coder.logic_model import evidence
from npt_coder.report import build_report
from npt_coder.services import accept_suggestion, retrieve, study_overview
from npt_coder.themes import framework_matrix, theme_summary

MODEL = nc.demo_path() / "logic_models" / "needs_model.yaml"
AK_CODED = ["S1_P01", "S2_P11", "S3_P14"]  # AK's, double-coded by JT: suggestions there overlap AK and JT


@pytest.fixture
def demo(demo_run, tmp_path):
    """A copy of the demo project (the session's run stays as it is)."""
    root = tmp_path / "study"
    root.mkdir()
    shutil.copy(demo_run.project.root / "npt_coder.sqlite", root / "npt_coder.sqlite")
    return nc.open_project(root)


def _findings(project) -> dict:
    themes = theme_summary(project)
    report = build_report(project, n_resamples=20, logic_models=[MODEL])
    matrix = framework_matrix(project, columns="construct", cell="count")
    return {"themes": themes.table, "matrix": matrix.table, "coders": report.coders, "design": report.design,
            "agreement": report.agreement[["coder_a", "coder_b", "key", "both", "only_a", "only_b", "neither"]],
            "evidence": evidence(MODEL, project).drop(columns="coding"),
            "passages": retrieve(project, codes=["C1"])[["transcript_id", "segment_id", "coders"]],
            "study": report.methods.split("\n\n")[0], "basis": themes.basis}


def _suggest_all(project) -> None:
    suggest(project, learn_from=["AK"], model="tfidf")  # the transcripts AK did not code
    suggest(project, learn_from=["AK"], transcripts=AK_CODED, model="tfidf")  # and three he coded, held out


def test_suggestions_change_no_finding_until_accepted(demo):
    before = _findings(demo)
    _suggest_all(demo)
    n = len(demo.suggestions)
    assert n > 20 and set(demo.suggestions["transcript_id"]) & set(AK_CODED)
    after = _findings(demo)
    for name, frame in before.items():
        if isinstance(frame, str):
            assert frame == after[name], name
        else:
            pd.testing.assert_frame_equal(frame.reset_index(drop=True), after[name].reset_index(drop=True),
                                          obj=name)
    report = build_report(demo, n_resamples=20, logic_models=[MODEL])
    assert "assist" not in report.methods and "assist" not in set(report.coders["coder"])
    assert set(zip(report.agreement["coder_a"], report.agreement["coder_b"])) == {("AK", "JT")}
    left_out = f"{n} machine suggestions that no coder has accepted yet are left out"
    assert left_out in theme_summary(demo).methods_text() and left_out in report.methods
    assert report.logic_models[0][2]["coding"].iloc[0].endswith("; " + left_out)
    assert "assist" not in report.logic_models[0][2]["coding"].iloc[0]
    assert not study_overview(demo).set_index("transcript_id").loc[["S1_P02", "S2_P10"], "double_coded"].any()


def test_accepting_one_suggestion_counts_it_as_the_persons_coding(demo):
    _suggest_all(demo)
    themes = theme_summary(demo).table.drop_duplicates("code_id").set_index("code_id")
    uncoded = set(theme_summary(demo).basis.query("basis == 'not coded'")["transcript_id"])
    pick = demo.suggestions[demo.suggestions["transcript_id"].isin(uncoded)].iloc[0]
    accept_suggestion(demo, int(pick["coding_id"]), coder="AK")
    now = theme_summary(demo)
    table = now.table.drop_duplicates("code_id").set_index("code_id")
    change = table["n_segments"] - themes["n_segments"]
    assert change[change != 0].to_dict() == {pick["code_id"]: 1}
    row = now.basis.set_index("transcript_id").loc[pick["transcript_id"]]
    assert (row["basis"], row["coders"], row["n_codings"]) == ("all coders", "AK", 1)
    n = len(demo.suggestions) - 1
    assert f"{n} machine suggestions that no coder has accepted yet" in now.methods_text()
    report = build_report(demo, n_resamples=20)
    assert report.coders.set_index("coder").loc["AK", "codings"] == \
        len(demo.codings.query("coder == 'AK' and source != 'suggested'"))


def test_agreement_leaves_the_machine_out_unless_named(demo):
    _suggest_all(demo)
    default = agreement_table(demo, ci=None)
    assert set(zip(default["coder_a"], default["coder_b"])) == {("AK", "JT")}
    named = agreement_table(demo, coders=["AK", "assist"], ci=None)
    pooled = named[named["level"] == "pooled"].iloc[0]
    assert (pooled["coder_a"], pooled["coder_b"]) == ("AK", "assist")
    assert set(pooled["transcripts"].split(", ")) == set(AK_CODED)


def test_the_machine_named_as_the_coder_of_findings_is_a_one_line_error(demo):
    _suggest_all(demo)
    with pytest.raises(ThemesError, match=r"^coder 'assist' has only machine suggestions, which count once a "
                                          r"person accepts them \(coders: AK, JT, consensus\)$"):
        theme_summary(demo, coder="assist")
    with pytest.raises(nc.errors.LogicModelError, match="no codings by 'assist'"):
        evidence(MODEL, demo, coder="assist")
