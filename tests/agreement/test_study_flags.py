"""The study table's analytic standard errors, flags and warnings (issue: honest intervals and warnings)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import npt_coder.agreement as ag
from npt_coder.cli import app
from npt_coder.errors import AgreementWarning

from .test_study import code, coded, sp, study  # noqa: F401 (fixtures)

SEG = 50  # characters per paragraph


def segments(n_transcripts: int, per: int) -> pd.DataFrame:
    rows = [(f"T{t:02d}", f"T{t:02d}-p{i}", i * SEG, (i + 1) * SEG - 2)
            for t in range(1, n_transcripts + 1) for i in range(per)]
    return pd.DataFrame(rows, columns=["transcript_id", "segment_id", "start", "end"])


def codings(spec: dict[str, dict[str, list[tuple[int, int]]]], n_transcripts: int) -> pd.DataFrame:
    """spec[coder][code] = [(transcript number, paragraph), ...]; each coding covers part of the paragraph."""
    rows = []
    for coder, by_code in spec.items():
        for code_id, places in by_code.items():
            for t, i in places:
                rows.append((f"T{t:02d}", coder, code_id, i * SEG + 3, i * SEG + 20))
        for t in range(1, n_transcripts + 1):  # every transcript coded by both (a code used nowhere else)
            rows.append((f"T{t:02d}", coder, "ZZ", 0, 1))
    return pd.DataFrame(rows, columns=["transcript_id", "coder", "code_id", "start", "end"])


BOOK = pd.DataFrame({"code_id": ["C1", "M1", "O1", "Q9", "ZZ"], "name": ["common", "rare", "perfect", "unused", "z"],
                     "domain": ["context", "mechanism", "outcome", "outcome", "outcome"],
                     "construct_id": ["C", "M", "O", "O", "O"], "construct": ["c", "m", "o", "o", "o"]})


def study_table(n_transcripts=12, per=10, **kwargs):
    rng = np.random.default_rng(4)
    places = [(t, i) for t in range(1, n_transcripts + 1) for i in range(per)]
    common_a = [p for p in places if rng.random() < 0.4]
    common_b = [p for p in common_a if rng.random() < 0.8] + [p for p in places if rng.random() < 0.1]
    spec = {"A": {"C1": common_a, "M1": places[:2], "O1": places[5:11]},
            "B": {"C1": sorted(set(common_b)), "M1": places[1:4], "O1": places[5:11]}}
    return ag.agreement_table(codings(spec, n_transcripts), coders=["A", "B"], unit="paragraph",
                              segments=segments(n_transcripts, per), codebook=BOOK, n_resamples=300, **kwargs)


def row(table, key):
    return table[(table["level"] == "code") & (table["key"] == key)].iloc[0]


def test_analytic_se_is_gwets_on_the_presence_matrix():
    table = study_table()
    r = row(table, "C1")
    matrix = [[1, 1]] * r.both + [[1, 0]] * r.only_a + [[0, 1]] * r.only_b + [[0, 0]] * r.neither
    for statistic, short in (("cohen_kappa", "kappa"), ("krippendorff_alpha", "alpha"), ("gwet_ac1", "ac1")):
        e = ag.analytic_se(matrix, statistic, categories=(0, 1))
        assert r[f"{short}_se"] == pytest.approx(e.se, abs=1e-12)
        assert (r[f"{short}_se_low"], r[f"{short}_se_high"]) == pytest.approx((e.ci_low, e.ci_high), abs=1e-12)
    # the bootstrap interval sits beside it and the two roughly agree for a common code
    assert abs((r.kappa_ci_high - r.kappa_ci_low) - (r.kappa_se_high - r.kappa_se_low)) < 0.15
    assert r["caution"] == "" and r["note"] == ""


def test_rare_and_unused_codes_are_flagged_with_the_counts():
    table = study_table()
    rare = row(table, "M1")  # A applied it twice, B three times
    assert "rare" in rare["caution"].split(";")
    assert "A applied it on 2 units, B on 3" in rare.note
    unused = row(table, "Q9")
    assert set(unused["caution"].split(";")) == {"rare", "undefined"}
    assert np.isnan(unused.cohen_kappa) and np.isnan(unused.krippendorff_alpha)
    assert unused.gwet_ac1 == unused.brennan_prediger == 1.0 and "neither coder applied it" in unused.note
    cautions = ag.agreement_warnings(table)
    assert any(c.startswith("2 of 5 codes too rare to judge") and "M1 rare" in c for c in cautions)


def test_a_degenerate_interval_is_shown_as_such():
    # O1: both coders on the same 6 paragraphs and nowhere else, so every resample gives kappa = 1.
    table = study_table()
    perfect = row(table, "O1")
    assert perfect.kappa_ci_low == perfect.kappa_ci_high == 1.0
    assert "degenerate_ci" in perfect["caution"] and "interval 1.00–1.00" in perfect.note
    assert "not certainty" in perfect.note
    assert any("Degenerate bootstrap intervals (e.g. 1.00–1.00) for O1 perfect" in c
               for c in ag.agreement_warnings(table))


def flagged(labels, caution):
    return pd.DataFrame({"level": "code", "label": labels, "caution": caution, "note": "",
                         "n_transcripts": 3, "coder_a": "A", "coder_b": "B"})


def test_warnings_list_the_flagged_codes_as_prose():
    three = ag.agreement_warnings(flagged(["C1 One", "M2.2 Two", "O4 Three"], "degenerate_ci"))
    assert "for C1 One, M2.2 Two and O4 Three: every resample" in three[0]
    many = ag.agreement_warnings(flagged([f"C{i} Code" for i in range(1, 12)], "rare"))
    assert "C7 Code, C8 Code and 3 more; their statistics" in many[0]


def test_cluster_bootstrap_with_three_transcripts_warns_and_says_why():
    with pytest.warns(AgreementWarning, match=r"only 3 transcripts: there are only 10 distinct resamples"):
        table = study_table(n_transcripts=3, per=30, cluster=True)
    pooled = table[table["level"] == "pooled"].iloc[0]
    assert "few_clusters" in pooled["caution"] and "10 distinct resamples" in pooled.note
    text = " ".join(ag.agreement_warnings(table))
    assert "narrower than the unit bootstrap" in text and "at least 10 transcripts" in text


def test_cluster_bootstrap_with_enough_transcripts_is_not_flagged():
    table = study_table(n_transcripts=12, cluster=True)
    assert not table["caution"].str.contains("few_clusters").any()


def test_overlap_unit_that_matches_nothing_says_why_and_suggests_segments():
    # A codes whole paragraphs, B short phrases inside them: no pair overlaps by 90% of its union.
    rows = []
    for t in (1, 2):
        for i in range(4):
            rows.append((f"T{t:02d}", "A", "C1", i * SEG, (i + 1) * SEG - 2))
            rows.append((f"T{t:02d}", "B", "C1", i * SEG + 5, i * SEG + 12))
    frame = pd.DataFrame(rows, columns=["transcript_id", "coder", "code_id", "start", "end"])
    table = ag.agreement_table(frame, coders=["A", "B"], unit="overlap", codebook=BOOK)
    pooled = table[table["level"] == "pooled"].iloc[0]
    assert pooled.both == 0 and "no_match" in pooled["caution"]
    assert "A's spans have a median of 48 characters, B's 7" in pooled.note
    assert "whole paragraphs and the other phrases" in pooled.note and "--unit segment" in pooled.note
    assert any("--unit segment" in c for c in ag.agreement_warnings(table))


def test_methods_paragraph_names_conventions_and_carries_the_warnings():
    from npt_coder.render import methods_paragraph

    table = study_table()
    text = methods_paragraph(table, multi_coder=True)
    assert "both declared categories" in text and "unweighted" in text
    assert "No rating is missing in the pairwise comparison" in text
    assert "over the units rated by at least two coders and chance agreement over every unit rated by at least one" \
        in text
    assert "Gwet's (2014) analytic standard errors" in text
    assert "Cautions: 2 of 5 codes too rare to judge" in text


def test_agree_json_carries_se_flags_and_warnings(coded):
    r = CliRunner().invoke(app, ["agree", "--coders", "A,B", "--segment-unit", "sentence", "--resamples", "50",
                                 "--json", "-p", str(coded.root)])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["warnings"] and data["warnings"][0].startswith("24 of 24 codes too rare to judge")
    first = data["rows"][0]
    assert {"kappa_se", "kappa_se_low", "alpha_se", "ac1_se", "caution", "note"} <= set(first)
    r = CliRunner().invoke(app, ["agree", "--coders", "A,B", "--segment-unit", "sentence", "--resamples", "50",
                                 "-p", str(coded.root)])
    assert r.exit_code == 0 and "warning: 24 of 24 codes too rare to judge" in r.stderr
