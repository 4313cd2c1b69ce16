"""Transcripts with no site, role or method recorded: such a value is no site, role or method. The study's methods
count sites and roles where recorded and say in words how many have none; Table 1 and the themes' site columns
group them under "no site recorded" / "no role recorded", last, so that the columns add up."""

from __future__ import annotations

import pandas as pd
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

import npt_coder as nc
from npt_coder.cli import app
from npt_coder.coding import import_codings
from npt_coder.logic_model import code_support
from npt_coder.render import report_to_html, report_to_xlsx
from npt_coder.report import build_report
from npt_coder.services import add_transcripts
from npt_coder.themes import theme_summary

# transcript: site, role, method ("" = none recorded)
CASES = {"T1": ("S4", "police", "interview"), "T2": ("S4", "", "interview"), "T3": ("S5", "health", ""),
         "T4": ("", "", ""), "T5": ("", "health", "interview"), "T6": ("", "police", "interview")}


def _text(n: int) -> str:
    return (f"Interviewer: Why was the service set up?\n\nP0{n}: It was set up so that families stop being passed "
            f"between agencies; that was the aim in area {n}.\n\nInterviewer: How were you prepared?\n\nP0{n}: Two "
            f"days of training on the screening tool, then a refresher course for person {n}.\n")


@pytest.fixture
def project(tmp_path):
    files = []
    for n, tid in enumerate(CASES, start=1):
        (tmp_path / f"{tid}.txt").write_text(_text(n), encoding="utf-8")
        files.append(tmp_path / f"{tid}.txt")
    rows = ["file,transcript_id,site,participant,role,method"]
    rows += [f"{tid}.txt,{tid},{s},P0{n},{r},{m}" for n, (tid, (s, r, m)) in enumerate(CASES.items(), start=1)]
    (tmp_path / "attributes.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    p = nc.init_project(tmp_path / "study")
    add_transcripts(p, files, attributes_table=tmp_path / "attributes.csv", nlp=None)
    spans = []
    for tid in CASES:
        text = p.transcript_text(tid)
        spans.append((tid, "C1", text.index("It was set up"), text.index("that was the aim")))
        if tid in ("T1", "T3", "T4", "T5"):
            spans.append((tid, "M3.2", text.index("Two days"), text.index(", then")))
    import_codings(p, pd.DataFrame([(t, "AK", c, s, e) for t, c, s, e in spans],
                                   columns=["transcript_id", "coder", "code_id", "start", "end"]), source="csv")
    return p


def test_the_methods_count_sites_and_roles_where_recorded_and_say_how_many_have_none(project):
    study = build_report(project, n_resamples=0).methods.split("\n\n")[0]
    assert study.startswith("The study holds 6 transcripts (interview 4) from 2 sites (S4: 2, S5: 1), with 6 "
                            "participants by role: police 2, health 2. 3 transcripts have no site recorded and 2 no "
                            "method recorded; 2 participants have no role recorded. ")
    assert "?" not in study and "unknown" not in study


def test_table_one_groups_the_unrecorded_last(project):
    design = build_report(project, n_resamples=0).design
    assert list(design.index) == ["S4", "S5", "no site recorded"]
    assert list(design.columns) == ["health", "police", "no role recorded"]
    assert design.loc["no site recorded"].tolist() == [1, 1, 1] and design.loc["S4"].tolist() == [0, 1, 1]
    assert int(design.to_numpy().sum()) == len(CASES)


@pytest.mark.parametrize("attribute, values", [("site", ["S4", "S5", "no site recorded"]),
                                               ("role", ["health", "police", "no role recorded"]),
                                               ("method", ["interview", "no method recorded"]),
                                               ("participant", [f"P0{n}" for n in range(1, 7)])])
def test_the_themes_columns_add_up_to_the_coded_paragraphs(project, attribute, values):
    t = theme_summary(project, attribute=attribute)
    assert list(t.spread_columns) == [f"{attribute}={v}" for v in values]
    table = t.table.set_index("code_id")
    assert (table[list(t.spread_columns)].sum(axis=1) == table["n_segments"]).all()
    assert table.loc["C1", "n_segments"] == 6 and table.loc["M3.2", "n_segments"] == 4
    recorded = [c for c in t.spread_columns if not c.endswith(" recorded")]
    assert table.loc["C1", "n_attribute_values"] == len(recorded)


def test_site_counts_in_the_theme_and_logic_model_figures(project):
    table = theme_summary(project).table.set_index("code_id")
    assert table.loc["M3.2", ["site=S4", "site=S5", "site=no site recorded"]].tolist() == [1, 1, 2]
    support = code_support(project).set_index("code_id")
    assert support.loc["C1", ["transcripts", "sites"]].tolist() == [6, 2]


def test_outputs_label_the_group_in_words(project, tmp_path):
    report = build_report(project, n_resamples=0)
    page = report_to_html(report)
    assert "No site recorded</th>" in page and "no role recorded</th>" in page and ">?<" not in page
    path = tmp_path / "report.xlsx"
    report_to_xlsx(report).save(path)
    book = load_workbook(path)
    assert [c.value for c in book["Design"][1]] == ["Site", "health", "police", "no role recorded"]
    heads = [c.value for c in book["Themes"][1]]
    assert heads[-4:-2] == ["Site S5 (paragraphs)", "No site recorded (paragraphs)"]
    out = CliRunner().invoke(app, ["themes", "-p", str(project.root)])
    assert out.exit_code == 0, out.output
    assert "Columns S4, S5, no site recorded: coded paragraphs per site." in " ".join(out.output.split())
