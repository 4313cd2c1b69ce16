"""Study-level agreement from coded spans: units, counts, levels, pairs; checked against hand-built matrices."""

import numpy as np
import pandas as pd
import pytest

import npt_coder as nc
from npt_coder.agreement import agreement_table, cohen_kappa, krippendorff_alpha, multi_coder_table
from npt_coder.coding import import_codings
from npt_coder.errors import NptCoderError
from npt_coder.services import add_transcripts

T1 = "I: Tell me.\n\nR: One two. Three four. Five six.\n\nSeven eight.\n"
T2 = "I: And?\n\nR: Nine ten. Eleven twelve.\n"
T3 = "I: Only A coded this.\n\nR: Thirteen.\n"


@pytest.fixture
def study(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    for name, text in (("T1", T1), ("T2", T2), ("T3", T3)):
        (src / f"{name}.txt").write_text(text, encoding="utf-8")
    p = nc.init_project(tmp_path / "p")
    add_transcripts(p, sorted(src.iterdir()))
    return p


def sp(p, tid, quote):
    text = p.transcript_text(tid)
    s = text.index(quote)
    return s, s + len(quote)


def code(p, rows):
    out = []
    for tid, coder, code_id, quote in rows:
        s, e = sp(p, tid, quote)
        out.append((tid, coder, code_id, s, e, ""))
    import_codings(p, pd.DataFrame(out, columns=["transcript_id", "coder", "code_id", "start", "end", "memo"]),
                   source="test")


@pytest.fixture
def coded(study):
    code(study, [
        ("T1", "A", "M1.1", "One two."), ("T1", "B", "M1.1", "One two."),          # agree
        ("T1", "A", "O4", "Three four."),                                          # only A
        ("T1", "B", "O4", "Seven eight."),                                         # only B (other sentence)
        ("T2", "A", "M3.1", "Nine ten. Eleven"), ("T2", "B", "M3.1", "Eleven twelve."),  # overlap on sentence 2
        ("T3", "A", "C1", "Thirteen."),                                            # T3 coded by A only
    ])
    return study


def test_segment_unit_counts_and_statistics_match_hand_built_matrix(coded):
    tab = agreement_table(coded, coders=["A", "B"], unit="sentence", ci=None)
    pooled = tab[tab.level == "pooled"].iloc[0]
    # participant sentences on T1 and T2 (T3 only coded by A): T1 has 4, T2 has 2 -> 6 units x 24 codes
    assert pooled.n_units == 6 * 24 and pooled.transcripts == "T1, T2"
    m11 = tab[(tab.level == "code") & (tab.key == "M1.1")].iloc[0]
    assert (m11.both, m11.only_a, m11.only_b, m11.neither) == (1, 0, 0, 5)
    o4 = tab[(tab.level == "code") & (tab.key == "O4")].iloc[0]
    assert (o4.both, o4.only_a, o4.only_b, o4.neither) == (0, 1, 1, 4)
    m31 = tab[(tab.level == "code") & (tab.key == "M3.1")].iloc[0]
    assert (m31.both, m31.only_a, m31.only_b) == (1, 1, 0)  # A's span touches both T2 sentences
    # the pooled statistics equal those of the units x codes reliability matrix built by hand
    seg = coded.segments("sentence", include_interviewer=False)
    seg = seg[seg.transcript_id.isin(["T1", "T2"])]
    codes = coded.codebook["code_id"].tolist()
    a = np.zeros((len(seg), len(codes)), int)
    b = np.zeros_like(a)
    for r in coded.codings.itertuples():
        m = ((seg.transcript_id == r.transcript_id) & (seg.start < r.end) & (seg.end > r.start)).to_numpy()
        (a if r.coder == "A" else b)[m, codes.index(r.code_id)] = 1
    matrix = np.column_stack([a.ravel(), b.ravel()])
    assert pooled.cohen_kappa == pytest.approx(cohen_kappa(matrix), abs=1e-12)
    assert pooled.krippendorff_alpha == pytest.approx(krippendorff_alpha(matrix), abs=1e-12)


def test_character_unit_counts(coded):
    tab = agreement_table(coded, coders=["A", "B"], unit="character", ci=None, by=["code"])
    m31 = tab[tab.key == "M3.1"].iloc[0]
    a = set(range(*sp(coded, "T2", "Nine ten. Eleven")))
    b = set(range(*sp(coded, "T2", "Eleven twelve.")))
    assert (m31.both, m31.only_a, m31.only_b) == (len(a & b), len(a - b), len(b - a))
    assert m31.n_units == len(T1.rstrip("\n")) + len(T2.rstrip("\n"))  # every character of both transcripts


def test_document_unit(coded):
    tab = agreement_table(coded, coders=["A", "B"], unit="document", ci=None, by=["code"])
    assert tab.set_index("key").loc[["M1.1", "O4", "M3.1", "C1"], "both"].tolist() == [1, 1, 1, 0]
    assert tab.set_index("key").loc["O4", "n_units"] == 2  # T1, T2


def test_overlap_unit_uses_the_threshold(coded):
    strict = agreement_table(coded, coders=["A", "B"], unit="overlap", ci=None, by=["code", "pooled"])
    m11 = strict[strict.key == "M1.1"].iloc[0]
    assert (m11.both, m11.only_a, m11.only_b) == (2, 0, 0)  # identical spans: both coders' spans agree
    m31 = strict[strict.key == "M3.1"].iloc[0]
    assert (m31.both, m31.only_a, m31.only_b) == (0, 1, 1)  # overlap 6 of 30 characters < 90%
    loose = agreement_table(coded, coders=["A", "B"], unit="overlap", overlap_threshold=0.1, ci=None, by=["code"])
    assert loose[loose.key == "M3.1"].iloc[0].both == 2
    assert np.isnan(m11.cohen_kappa)  # no "neither" cell at this unit
    pooled = strict[strict.level == "pooled"].iloc[0]
    q = 24
    assert pooled.brennan_prediger == pytest.approx((pooled.percent_agreement - 1 / q) / (1 - 1 / q))


def test_levels_and_labels(coded):
    tab = agreement_table(coded, coders=["A", "B"], unit="sentence", n_resamples=200)
    assert set(tab.level) == {"code", "transcript", "construct", "domain", "pooled"}
    assert set(tab[tab.level == "domain"].key) == {"context", "mechanism", "outcome"}
    assert tab[tab.level == "transcript"].key.tolist() == ["T1", "T2"]
    pooled = tab[tab.level == "pooled"].iloc[0]
    assert pooled.kappa_ci_low <= pooled.cohen_kappa <= pooled.kappa_ci_high
    assert pooled.kappa_label in {"poor", "slight", "fair", "moderate", "substantial", "almost perfect"}


def test_three_coders_pairs_pooled_and_multi(coded):
    code(coded, [("T1", "C", "M1.1", "One two."), ("T2", "C", "M3.1", "Eleven twelve.")])
    tab = agreement_table(coded, unit="sentence", ci=None, by=["pooled"])
    pairs = tab[["coder_a", "coder_b"]].apply(tuple, axis=1).tolist()
    assert pairs == [("A", "B"), ("A", "C"), ("B", "C"), ("*", "*")]
    allp = tab.iloc[-1]
    assert allp.both == tab.iloc[:3].both.sum() and allp.key == "all pairs"
    multi = multi_coder_table(coded, coders=["A", "B", "C"], unit="sentence")
    assert multi.iloc[-1].code_id == "all codes" and multi.iloc[-1].n_coders == 3
    assert -1 <= multi.iloc[-1].krippendorff_alpha <= 1


def test_errors(coded):
    with pytest.raises(NptCoderError, match="no codings by Z"):
        agreement_table(coded, coders=["A", "Z"])
    with pytest.raises(NptCoderError, match="unit must be one of"):
        agreement_table(coded, coders=["A", "B"], unit="word")
    with pytest.raises(NptCoderError, match="at least two coders"):
        agreement_table(coded, coders=["A"])
