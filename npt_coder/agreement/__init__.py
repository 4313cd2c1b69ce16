"""Inter-coder agreement statistics.

Every statistic takes a *reliability matrix* (rows = units, columns = coders; a DataFrame, a 2-D numpy array or
a list of lists; values are category labels or numbers; ``None``/``NaN``/``pd.NA`` = that coder did not rate
that unit) and returns a Python float, ``nan`` with an :class:`~npt_coder.errors.UndefinedStatisticWarning`
where the statistic is undefined. They share two keyword-only options with one meaning everywhere:

``categories=``
    The full category set, e.g. ``("present", "absent")``. Gwet's AC1/AC2 and Brennan-Prediger use
    ``q = len(categories)`` even when a category never occurs; the others only check the data against it
    (weights and ordinal alpha take its order as the rank order). Default: the values observed.
``missing=``
    ``"available"`` (default; Gwet, 2014, as irrCAC): observed agreement over the units two or more coders
    rated, chance agreement (category propensities, each coder's distribution) over every unit at least one
    coder rated; Krippendorff's alpha uses the pairable values, by definition. ``"listwise"``: only units
    every coder rated. Each function's docstring says exactly what it does with missing data.
``weights=``
    For percent agreement, Cohen's and Conger's kappa, Scott's pi and Fleiss' kappa, Gwet's AC1 (AC2 when
    weighted) and Brennan-Prediger: one of :data:`WEIGHTS` (Gwet, 2014, ch. 3) or a q x q matrix of agreement
    weights (or Cohen's 1968 disagreement weights). Krippendorff's alpha takes ``level=`` or ``distance=``.

:func:`analytic_se` gives Gwet's (2014) variance conditional on the sample of units, the standard error and the
t-based interval that irrCAC prints, for every coefficient here.

For two coders and presence/absence data, the ``*_from_counts`` functions compute the same statistics from
the four unit-type counts (both, only A, only B, neither), vectorised over any number of codes and bootstrap
resamples; :func:`bootstrap_ci` gives percentile intervals resampling units or clusters (e.g. transcripts).

>>> import npt_coder.agreement as ag
>>> table = [["yes", "yes"]] * 20 + [["yes", "no"]] * 5 + [["no", "yes"]] * 10 + [["no", "no"]] * 15
>>> round(ag.cohen_kappa(table), 2), round(ag.cohen_kappa_from_counts([20, 5, 10, 15]), 2)
(0.4, 0.4)

At the study level, :func:`agreement_table` turns coded spans (a project's, or a codings DataFrame) into one row
per code, transcript, construct, domain and pooled, for every pair of coders, at one of :data:`AGREEMENT_UNITS`.
This package computes and returns DataFrames; it writes no files and imports neither the coding layer nor the
store. Listing disagreements for review and reconciling them into a consensus coding is
:mod:`npt_coder.review`.
"""

import warnings

from ._ac import brennan_prediger, gwet_ac1, percent_agreement
from ._alpha import krippendorff_alpha
from ._bootstrap import bootstrap_ci
from ._counts import (
    TYPES,
    brennan_prediger_from_counts,
    cohen_kappa_from_counts,
    gwet_ac1_from_counts,
    krippendorff_alpha_from_counts,
    percent_agreement_from_counts,
    type_counts,
    unit_types,
)
from ._data import LEVELS, MISSING_POLICIES, Level, Missing
from ._errors import AgreementInputError
from ._flags import FLAGS, agreement_warnings
from ._kappa import cohen_kappa, conger_kappa, fleiss_kappa, scott_pi
from ._result import SCALES, interpret
from ._study import COMPARISONS, TABLE_COLUMNS, agreement_table, multi_coder_table, presence_data
from ._units import AGREEMENT_UNITS, AgreementUnit
from ._variance import ANALYTIC_STATISTICS, Estimate, analytic_se
from ._weights import WEIGHTS

__all__ = [
    "AGREEMENT_UNITS",
    "ANALYTIC_STATISTICS",
    "COMPARISONS",
    "FLAGS",
    "LEVELS",
    "MISSING_POLICIES",
    "SCALES",
    "TABLE_COLUMNS",
    "TYPES",
    "WEIGHTS",
    "AgreementInputError",
    "AgreementUnit",
    "Estimate",
    "Level",
    "Missing",
    "agreement_table",
    "agreement_warnings",
    "analytic_se",
    "bootstrap_ci",
    "brennan_prediger",
    "brennan_prediger_from_counts",
    "cohen_kappa",
    "cohen_kappa_from_counts",
    "conger_kappa",
    "fleiss_kappa",
    "gwet_ac1",
    "gwet_ac1_from_counts",
    "interpret",
    "krippendorff_alpha",
    "krippendorff_alpha_from_counts",
    "multi_coder_table",
    "percent_agreement",
    "percent_agreement_from_counts",
    "presence_data",
    "scott_pi",
    "type_counts",
    "unit_types",
]

# Old names, kept working until 0.3 with a DeprecationWarning that names the new one.
_MOVED_TO_REVIEW = ("DECISIONS", "REVIEW_COLUMNS", "disagreements", "reconcile", "review_workbook")


def __getattr__(name: str):
    if name in _MOVED_TO_REVIEW:
        from .. import review  # the review layer sits above this one; imported only for the old names

        warnings.warn(f"npt_coder.agreement.{name} moved to npt_coder.review.{name} in npt-coder 0.2; the old name "
                      "goes in 0.3", DeprecationWarning, stacklevel=2)
        return getattr(review, name)
    if name == "UNITS":
        warnings.warn("npt_coder.agreement.UNITS is deprecated since npt-coder 0.2 and goes in 0.3: agreement_table "
                      "takes npt_coder.agreement.AGREEMENT_UNITS (segment units by name: turn, paragraph, sentence); "
                      "the old four values are npt_coder.agreement.COMPARISONS", DeprecationWarning, stacklevel=2)
        return COMPARISONS
    if name == "AgreementResult":
        from ._result import AgreementResult

        warnings.warn("npt_coder.agreement.AgreementResult is deprecated since npt-coder 0.2 and goes in 0.3: no "
                      "function returns it; each statistic returns a float and npt_coder.agreement.agreement_table a "
                      "DataFrame with the estimates, intervals and unit counts", DeprecationWarning, stacklevel=2)
        return AgreementResult
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
