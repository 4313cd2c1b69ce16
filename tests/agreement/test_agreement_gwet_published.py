"""Gwet's published examples with the values as printed: coefficients, p_a, p_e, standard errors and intervals.

Sources: Gwet, K. L. (2014), Handbook of Inter-Rater Reliability (4th ed.), whose example data sets ship with his R
package irrCAC under the names used here (``cac.raw4raters``, ``cac.raw5obser``, ``cac.ben.gerry``, ``cac.raw.g1g2``,
``cac.raw.gender``, ``distrib.6raters``, ``cont3x3abstractors``); the values are those the package prints for them
(its README and reference output, 3 to 8 decimals as printed). Each value is checked to half a unit of its last
printed decimal. No reference package is needed: the data are typed in below.
"""

from __future__ import annotations

import numpy as np
import pytest

import npt_coder.agreement as ag
from npt_coder.agreement._weights import weight_matrix
from npt_coder.errors import UndefinedStatisticWarning

from .conftest import counts_to_ratings


def rows(text: str) -> np.ndarray:
    """One unit per line, one character per coder ('.' = not rated); digits become numbers."""
    cells = [[None if ch == "." else (int(ch) if ch.isdigit() else ch) for ch in line.split()[0]]
             for line in text.strip().splitlines()]
    return np.array(cells, dtype=object)


# Gwet (2014), p. 120: 4 raters x 12 units, 5 categories, no rater rated every unit (Krippendorff's 2011 example,
# with the lone rating of unit 12 given to rater 3).
RAW4RATERS = rows("""
11.1
2232
3333
3333
2222
1234
4444
1121
2222
.555
..11
..3.
""")
# Gwet (2014), p. 125: 5 observers x 15 units scored 0-3; only observer 3 scored every unit.
RAW5OBSER = rows("""
112.2
1101.
2333.
.00.0
000.0
000.0
102.1
1.20.
222.2
2111.
.100.
0000.
1222.
33223
111.1
""")
# Ben and Gerry rate 12 units on a-e; Gerry did not rate unit 10.
BEN_GERRY = rows("""
ab
aa
bb
bb
db
cc
cc
cc
ee
d.
dd
ad
""")
# 4 raters x 14 units on a-e, in two groups; none rated every unit.
G1G2 = rows("""
aa.a
bbcb
cccc
cccc
bbbb
abcd
dddd
aaba
bbbb
.eee
..aa
..c.
bbcb
bacb
""")
# 4 raters x 15 people (9 male, 6 female) on a-c, complete.
GENDER = rows("""
aaac
aabc
aabc
aacc
abaa
baaa
bbbb
bcbb
cccc
aaac
aabc
aabc
aacc
abaa
baaa
""")
DATA = {"raw4raters": RAW4RATERS, "raw5obser": RAW5OBSER, "ben_gerry": BEN_GERRY, "g1g2": G1G2, "gender": GENDER}

# (data, statistic, weights): p_a, p_e, coefficient, se, CI low, CI high, as printed to 3 decimals (se None where
# not printed). Krippendorff's alpha appears here for its value, p_a and p_e; its se and CI are checked below
# against the R package's own print.
PRINTED = """
raw4raters  brennan_prediger identity  .818 .200 .773 .145 .454 1
raw4raters  brennan_prediger bipolar   .968 .717 .888 .112 .641 1
raw4raters  brennan_prediger circular  .902 .447 .824 .137 .522 1
raw4raters  brennan_prediger linear    .939 .600 .848 .123 .577 1
raw4raters  brennan_prediger ordinal   .968 .720 .886 .114 .636 1
raw4raters  brennan_prediger quadratic .975 .750 .902 .111 .657 1
raw4raters  brennan_prediger radical   .897 .452 .813 .133 .520 1
raw4raters  brennan_prediger ratio     .954 .713 .840 .132 .549 1
raw4raters  brennan_prediger custom    .886 .500 .773 .145 .454 1
raw5obser   brennan_prediger identity  .616 .250 .487 .121 .228 .747
g1g2        brennan_prediger identity  .744 .200 .679 .136 .385 .974
gender      brennan_prediger identity  .456 .333 .183 .102 -.035 .402
ben_gerry   brennan_prediger identity  .727 .200 .659 .185 .251 1
raw4raters  conger_kappa identity  .818 .233 .763 -    .435 1
raw4raters  conger_kappa bipolar   .968 .796 .845 .142 .532 1
raw4raters  conger_kappa circular  .902 .499 .805 .147 .481 1
raw4raters  conger_kappa linear    .939 .675 .814 .145 .494 1
raw4raters  conger_kappa ordinal   .968 .796 .844 .144 .526 1
raw4raters  conger_kappa quadratic .975 .827 .858 .144 .541 1
raw4raters  conger_kappa radical   .897 .515 .788 .146 .466 1
raw4raters  conger_kappa ratio     .954 .756 .812 .149 .485 1
raw4raters  conger_kappa custom    .886 .521 .763 .149 .435 1
raw5obser   conger_kappa identity  .616 .276 .469 .117 .219 .719
g1g2        conger_kappa identity  .744 .249 .659 .146 .343 .974
gender      conger_kappa identity  .456 .347 .166 .121 -.094 .426
ben_gerry   conger_kappa identity  .727 .205 .657 .179 .262 1
raw4raters  fleiss_kappa identity  .818 .239 .761 -    .424 1
raw4raters  fleiss_kappa bipolar   .968 .785 .853 .145 .535 1
raw4raters  fleiss_kappa circular  .902 .494 .807 .149 .479 1
raw4raters  fleiss_kappa linear    .939 .667 .818 .149 .491 1
raw4raters  fleiss_kappa ordinal   .968 .788 .850 .147 .527 1
raw4raters  fleiss_kappa quadratic .975 .818 .865 .146 .544 1
raw4raters  fleiss_kappa radical   .897 .511 .790 .150 .460 1
raw4raters  fleiss_kappa ratio     .954 .743 .821 .152 .486 1
raw4raters  fleiss_kappa custom    .886 .524 .761 .153 .424 1
raw5obser   fleiss_kappa identity  .616 .291 .458 .120 .199 .716
g1g2        fleiss_kappa identity  .744 .252 .657 .150 .333 .981
gender      fleiss_kappa identity  .456 .375 .129 .141 -.172 .430
ben_gerry   fleiss_kappa identity  .727 .222 .649 .191 .228 1
raw4raters  gwet_ac1 identity  .818 .190 .775 .143 .461 1
raw4raters  gwet_ac1 bipolar   .968 .682 .900 .106 .667 1
raw4raters  gwet_ac1 circular  .902 .426 .830 .133 .538 1
raw4raters  gwet_ac1 linear    .939 .571 .859 .117 .600 1
raw4raters  gwet_ac1 ordinal   .968 .685 .899 .107 .664 1
raw4raters  gwet_ac1 quadratic .975 .714 .914 .104 .685 1
raw4raters  gwet_ac1 radical   .897 .430 .820 .128 .537 1
raw4raters  gwet_ac1 ratio     .954 .678 .857 .122 .589 1
raw4raters  gwet_ac1 custom    .886 .476 .783 .138 .479 1
raw5obser   gwet_ac1 identity  .616 .236 .497 .122 .235 .758
g1g2        gwet_ac1 identity  .744 .187 .685 .134 .396 .973
gender      gwet_ac1 identity  .456 .312 .208 .091 .014 .403
ben_gerry   gwet_ac1 identity  .727 .194 .661 .184 .257 1
raw4raters  krippendorff_alpha identity  .805 .240 .743
raw4raters  krippendorff_alpha bipolar   .966 .794 .835
raw4raters  krippendorff_alpha circular  .895 .502 .790
raw4raters  krippendorff_alpha linear    .935 .674 .800
raw4raters  krippendorff_alpha ordinal   .966 .795 .834
raw4raters  krippendorff_alpha quadratic .974 .825 .849
raw4raters  krippendorff_alpha radical   .890 .517 .772
raw4raters  krippendorff_alpha ratio     .951 .757 .797
raw4raters  krippendorff_alpha custom    .878 .525 .743
raw5obser   krippendorff_alpha identity  .627 .282 .481
g1g2        krippendorff_alpha identity  .728 .261 .632
gender      krippendorff_alpha identity  .465 .375 .143
ben_gerry   krippendorff_alpha identity  .740 .223 .665
"""
# An asymmetric custom weight matrix (a circulant) from the same printed examples.
CUSTOM = np.array([[1.00, 0.75, 0.50, 0.25, 0.00], [0.00, 1.00, 0.75, 0.50, 0.25], [0.25, 0.00, 1.00, 0.75, 0.50],
                   [0.50, 0.25, 0.00, 1.00, 0.75], [0.75, 0.50, 0.25, 0.00, 1.00]])
CATEGORIES = {"ben_gerry": ("a", "b", "c", "d", "e"), "g1g2": ("a", "b", "c", "d", "e"), "gender": ("a", "b", "c")}


def _cases():
    for line in PRINTED.strip().splitlines():
        data, statistic, weights, *numbers = line.split()
        yield pytest.param(data, statistic, weights, numbers, id=f"{data}-{statistic}-{weights}")


def near(value: float, printed: str) -> bool:
    decimals = len(printed.split(".")[1]) if "." in printed else 0
    return abs(value - float(printed)) <= 0.5 * 10 ** -decimals + 1e-9


@pytest.mark.parametrize("data, statistic, weights, printed", list(_cases()))
def test_gwet_printed_values(data, statistic, weights, printed):
    matrix = DATA[data]
    w = CUSTOM if weights == "custom" else weights
    e = ag.analytic_se(matrix, statistic, weights=w, categories=CATEGORIES.get(data))
    pa, pe, value, *rest = printed
    assert near(e.p_a, pa) and near(e.p_e, pe) and near(e.value, value), (e.p_a, e.p_e, e.value)
    if rest:
        se, low, high = rest
        if se != "-":
            assert near(e.se, se), e.se
        assert near(e.ci_low, low) and near(e.ci_high, high), (e.ci_low, e.ci_high)
    # the plain function returns the same coefficient
    f = getattr(ag, statistic)
    kwargs = {} if statistic == "krippendorff_alpha" else {"weights": w}
    if statistic == "krippendorff_alpha" and weights != "identity":
        full = weight_matrix(w, tuple(range(1, 6)), np.arange(1.0, 6.0))
        kwargs = {"distance": 1.0 - (full + full.T) / 2}  # alpha counts each pair both ways
    assert f(matrix, categories=CATEGORIES.get(data), **kwargs) == pytest.approx(e.value, abs=1e-12)


@pytest.mark.parametrize("statistic, value, se, low", [
    # Gwet's R package prints these for cac.raw4raters (unweighted), 5 decimals for value and se, 3 for the CI.
    ("percent_agreement", "0.81818", "0.12561", "0.542"),
    ("gwet_ac1", "0.77544", "0.14295", "0.461"),
    ("fleiss_kappa", "0.76117", "0.15302", "0.424"),
    ("krippendorff_alpha", "0.74342", "0.14548", "0.423"),
    ("conger_kappa", "0.76282", "0.14917", "0.435"),
    ("brennan_prediger", "0.77273", "0.14472", "0.454"),
])
def test_raw4raters_five_decimals(statistic, value, se, low):
    e = ag.analytic_se(RAW4RATERS, statistic)
    assert near(e.value, value) and near(e.se, se) and near(e.ci_low, low) and e.ci_high == 1.0
    assert e.n_units == 12 and e.df == 11


def test_missing_ratings_follow_gwet_not_the_pairable_units():
    # The numbers: leaving out unit 12 (one rating) first gives AC1 0.77515 and Fleiss 0.76248; Gwet's
    # convention (the default) keeps it in the chance agreement and gives the printed 0.77544 and 0.76117.
    pairable = RAW4RATERS[:11]
    assert near(ag.gwet_ac1(RAW4RATERS), "0.77544") and near(ag.fleiss_kappa(RAW4RATERS), "0.76117")
    assert near(ag.gwet_ac1(pairable, categories=[1, 2, 3, 4, 5]), "0.77515")
    assert near(ag.fleiss_kappa(pairable, categories=[1, 2, 3, 4, 5]), "0.76248")


# Fleiss (1971) diagnoses as Gwet's distrib.6raters: 15 patients, 6 psychiatrists, counts per category.
DISTRIB_6RATERS = np.array([
    [0, 0, 0, 6, 0], [0, 3, 0, 0, 3], [0, 1, 4, 0, 1], [0, 0, 0, 0, 6], [0, 3, 0, 3, 0], [2, 0, 4, 0, 0],
    [0, 0, 4, 0, 2], [2, 0, 3, 1, 0], [2, 0, 0, 4, 0], [0, 0, 0, 0, 6], [1, 0, 0, 5, 0], [1, 1, 0, 4, 0],
    [0, 3, 3, 0, 0], [1, 0, 0, 5, 0], [0, 2, 0, 3, 1],
])


@pytest.mark.parametrize("statistic, value, se, low, high", [
    ("gwet_ac1", "0.4448007", "0.08418757", "0.264", "0.625"),
    ("fleiss_kappa", "0.4139265", "0.08119291", "0.24", "0.588"),
    ("brennan_prediger", "0.4388889", "0.08312142", "0.261", "0.617"),
])
def test_distrib_6raters(statistic, value, se, low, high):
    # Printed by Gwet's functions for rater counts (gwet.ac1.dist, ...), which equal the raw-data ones on
    # complete data. His krippen.alpha.dist (0.4204384, se 0.08243228) linearises alpha differently from
    # krippen.alpha.raw, which analytic_se follows, so only its value is compared.
    e = ag.analytic_se(counts_to_ratings(DISTRIB_6RATERS), statistic)
    assert near(e.value, value) and near(e.se, se) and near(e.ci_low, low) and near(e.ci_high, high)
    assert near(ag.krippendorff_alpha(counts_to_ratings(DISTRIB_6RATERS)), "0.4204384")


@pytest.mark.parametrize("statistic, value, table_se", [
    # cont3x3abstractors as Gwet's table functions print it (kappa2.table, scott2.table, ...).
    ("cohen_kappa", "0.7964094", "0.05891072"),
    ("scott_pi", "0.7962397", "0.05905473"),
    ("gwet_ac1", "0.8493305", "0.04321747"),
    ("brennan_prediger", "0.835", "0.04693346"),
    ("krippendorff_alpha", "0.7972585", "0.05905473"),
    ("percent_agreement", "0.89", "0.03128898"),
])
def test_abstractors_table(statistic, value, table_se):
    # Ectopic/AIU/NIU by two abstractors, 100 women. Gwet's contingency-table variance divides by n^2 where the
    # raw-data variance (the one analytic_se computes, for any data) divides by n(n - 1), so the raw-data se is
    # the table's times sqrt(n / (n - 1)).
    cells = {("E", "E"): 13, ("A", "A"): 20, ("A", "N"): 7, ("N", "A"): 4, ("N", "N"): 56}
    matrix = [list(pair) for pair, k in cells.items() for _ in range(k)]
    e = ag.analytic_se(matrix, statistic)
    assert near(e.value, value)
    assert near(e.se * np.sqrt(99 / 100), table_se)


def test_cohen_1968_weighted_kappa():
    # Cohen (1968), Psychol. Bull. 70(4), 213-220: two judges, 3 diagnoses (personality disorder, neurosis,
    # psychosis), proportions per 100 patients; disagreement weights 1 (PD-N), 3 (PD-Ps), 6 (N-Ps). Published
    # kappa_w = .348 (unweighted kappa of the same table .492: p_o = .70, p_c = .41).
    table = {("PD", "PD"): 44, ("PD", "N"): 7, ("PD", "Ps"): 9, ("N", "PD"): 5, ("N", "N"): 20, ("N", "Ps"): 5,
             ("Ps", "PD"): 1, ("Ps", "N"): 3, ("Ps", "Ps"): 6}
    matrix = [list(pair) for pair, k in table.items() for _ in range(k)]
    v = [[0, 1, 3], [1, 0, 6], [3, 6, 0]]
    order = ("PD", "N", "Ps")
    assert round(ag.cohen_kappa(matrix, categories=order, weights=v), 3) == 0.348
    assert round(ag.cohen_kappa(matrix), 3) == 0.492
    # the same as agreement weights 1 - v / 6
    assert ag.cohen_kappa(matrix, categories=order, weights=1 - np.array(v) / 6) == pytest.approx(
        ag.cohen_kappa(matrix, categories=order, weights=v), abs=1e-15)


def test_declared_categories_make_a_never_used_code_perfect_for_ac1_bp_pabak():
    # A code every coder marked absent on every unit: AC1 = BP = PABAK = 1 over {present, absent}; kappa and alpha
    # are 0/0, nan with the warning.
    data = [["absent"] * 3] * 12
    cats = ("present", "absent")
    assert ag.gwet_ac1(data, categories=cats) == ag.brennan_prediger(data, categories=cats) == 1.0
    assert ag.brennan_prediger_from_counts([0, 0, 0, 12]) == ag.gwet_ac1_from_counts([0, 0, 0, 12]) == 1.0
    for f in (ag.fleiss_kappa, ag.conger_kappa, ag.scott_pi):
        with pytest.warns(UndefinedStatisticWarning, match="p_e = 1"):
            assert np.isnan(f(data, categories=cats))
    with pytest.warns(UndefinedStatisticWarning, match="D_e = 0"):
        assert np.isnan(ag.krippendorff_alpha(data, categories=cats))
