"""Inter-coder agreement statistics.

Every statistic takes a *reliability matrix* (rows = units, columns = coders; a DataFrame, a 2-D numpy array or
a list of lists; values are category labels or numbers; ``None``/``NaN``/``pd.NA`` = that coder did not rate
that unit) and returns a Python float, ``nan`` with an :class:`~npt_coder.errors.UndefinedStatisticWarning`
where the statistic is undefined. They share two keyword-only options with one meaning everywhere:

``categories=``
    The full category set, e.g. ``("present", "absent")``. Gwet's AC1 and Brennan-Prediger use
    ``q = len(categories)`` even when a category never occurs; the others only check the data against it
    (and ordinal alpha takes its order as the rank order). Default: the values observed.
``missing=``
    ``"pairable"`` (default): every unit that two or more coders rated; ``"available"``: as "pairable", but
    the chance agreement of kappa, pi, Fleiss' kappa and AC1 also uses units only one coder rated (Gwet,
    2014; irrCAC); ``"listwise"``: only units every coder rated. Each function's docstring says exactly what
    it does with missing data.

For two coders and presence/absence data, the ``*_from_counts`` functions compute the same statistics from
the four unit-type counts (both, only A, only B, neither), vectorised over any number of codes and bootstrap
resamples; :func:`bootstrap_ci` gives percentile intervals resampling units or clusters (e.g. transcripts).

>>> import npt_coder.agreement as ag
>>> table = [["yes", "yes"]] * 20 + [["yes", "no"]] * 5 + [["no", "yes"]] * 10 + [["no", "no"]] * 15
>>> round(ag.cohen_kappa(table), 2), round(ag.cohen_kappa_from_counts([20, 5, 10, 15]), 2)
(0.4, 0.4)
"""

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
from ._kappa import brennan_prediger, cohen_kappa, fleiss_kappa, gwet_ac1, percent_agreement, scott_pi
from ._result import SCALES, AgreementResult, interpret

__all__ = [
    "LEVELS",
    "MISSING_POLICIES",
    "SCALES",
    "TYPES",
    "AgreementInputError",
    "AgreementResult",
    "Level",
    "Missing",
    "bootstrap_ci",
    "brennan_prediger",
    "brennan_prediger_from_counts",
    "cohen_kappa",
    "cohen_kappa_from_counts",
    "fleiss_kappa",
    "gwet_ac1",
    "gwet_ac1_from_counts",
    "interpret",
    "krippendorff_alpha",
    "krippendorff_alpha_from_counts",
    "percent_agreement",
    "percent_agreement_from_counts",
    "scott_pi",
    "type_counts",
    "unit_types",
]

# Study level: from a project's coded spans to tables, disagreements and the consensus coding.
from ._review import DECISIONS, REVIEW_COLUMNS, disagreements, reconcile, review_workbook  # noqa: E402
from ._study import TABLE_COLUMNS, UNITS, agreement_table, multi_coder_table, presence_data  # noqa: E402

__all__ += [
    "DECISIONS",
    "REVIEW_COLUMNS",
    "TABLE_COLUMNS",
    "UNITS",
    "agreement_table",
    "disagreements",
    "multi_coder_table",
    "presence_data",
    "reconcile",
    "review_workbook",
]
