r"""Gwet's analytic standard errors and t-based intervals, beside the bootstrap, to compare with irrCAC line for line.

Gwet (2014, ch. 5) derives the variance of every agreement coefficient *conditional on the sample of units*:
the coders are fixed and the units are a sample from a larger population of units (see :mod:`._chance` for the
formula). The interval is :math:`\hat\kappa \pm t_{(1+c)/2,\, n-1}\, \mathrm{se}`, its upper end cut at 1, with
:math:`n` the units rated by at least one coder, as irrCAC prints it.

:func:`counts_se` computes the same for the two-coder presence/absence tables of the study level, from the four
unit-type counts, for every code at once.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any, Sequence

import numpy as np
import pandas as pd

from ._alpha import distance_matrix
from ._chance import alpha_terms, gwet_terms
from ._data import LEVELS, check_choice, prepare
from ._errors import AgreementInputError, undefined
from ._family import NO_PAIRS, compute, weights_for

__all__ = ["ANALYTIC_STATISTICS", "Estimate", "analytic_se", "counts_se", "t_interval"]

ANALYTIC_STATISTICS: tuple[str, ...] = ("percent_agreement", "cohen_kappa", "conger_kappa", "scott_pi",
                                        "fleiss_kappa", "gwet_ac1", "brennan_prediger", "krippendorff_alpha")

# the four two-coder presence patterns (both, only A, only B, neither) as category codes, 1 = present
_PATTERNS = np.array([[1, 1], [1, 0], [0, 1], [0, 0]], dtype=np.int16)


@dataclass(frozen=True)
class Estimate:
    """An agreement coefficient with Gwet's analytic standard error and interval.

    Attributes
    ----------
    statistic : str
        Function name of the coefficient, e.g. ``"gwet_ac1"``.
    value : float
        The estimate (the same number the function of that name returns); ``nan`` when undefined.
    se : float
        Standard error, conditional on the sample of units; ``nan`` when undefined or with fewer than two units.
    ci_low, ci_high : float
        :math:`\\hat\\kappa \\mp t_{(1+c)/2, df}\\, \\mathrm{se}`, ``ci_high`` cut at 1.
    confidence : float
        Confidence level of the interval.
    p_a, p_e : float
        Observed and chance agreement (weighted).
    n_units : int
        Units the variance is over (rated by at least one coder; pairable units for alpha).
    df : int
        Degrees of freedom of the t quantile.
    weights : str
        The weights used: a name, or ``"custom"`` for a matrix.
    """

    statistic: str
    value: float
    se: float
    ci_low: float
    ci_high: float
    confidence: float
    p_a: float
    p_e: float
    n_units: int
    df: int
    weights: str

    def to_frame(self) -> pd.DataFrame:
        """One-row DataFrame with one column per field."""
        return pd.DataFrame([asdict(self)])


def t_interval(value: Any, se: Any, df: Any, confidence: float) -> tuple[np.ndarray, np.ndarray]:
    """``value -/+ t * se`` with the Student t quantile of ``df`` degrees of freedom, the upper end cut at 1."""
    from scipy.special import stdtrit  # scipy only where an interval is computed: importing it takes a moment

    value, se, df = (np.asarray(x, dtype=float) for x in (value, se, df))
    with np.errstate(invalid="ignore"):
        t = stdtrit(np.where(df >= 1, df, np.nan), (1.0 + confidence) / 2.0)
    return value - t * se, np.minimum(1.0, value + t * se)


def _check_confidence(confidence: Any) -> float:
    if isinstance(confidence, bool) or not isinstance(confidence, (float, int)) or not 0 < confidence < 1:
        raise AgreementInputError(f"confidence must be strictly between 0 and 1; got {confidence!r} "
                                  "(e.g. confidence=0.95).")
    return float(confidence)


def _population(population: Any) -> float:
    if population is None:
        return math.inf
    if isinstance(population, bool) or not isinstance(population, (int, float)) or not population > 0:
        raise AgreementInputError(f"population must be a positive number of units (or None for an unlimited "
                                  f"population); got {population!r}.")
    return float(population)


def _alpha_weights(ratings, level: str, distance: Any, weights: Any) -> np.ndarray:
    if level == "ordinal":
        raise AgreementInputError(
            "analytic_se has no variance for ordinal alpha: its differences depend on the observed frequencies "
            "(use bootstrap_ci with kind='matrix', or weights='ordinal' for Gwet's ordinal weights)."
        )
    if distance is not None or level in ("interval", "ratio"):
        if distance is None:
            x = ratings.values
            a, b = x[:, None], x[None, :]
            if level == "interval":
                d = (a - b) ** 2
            else:
                total = a + b
                d = np.divide(a - b, total, out=np.zeros(total.shape), where=total != 0) ** 2
        else:
            d = distance_matrix(distance, ratings)
        top = float(d.max(initial=0.0))
        return 1.0 - d / top if top > 0 else np.ones_like(d)
    return weights_for(ratings, weights)


def analytic_se(
    reliability_data: Any,
    statistic: str = "gwet_ac1",
    *,
    categories: Sequence[Any] | None = None,
    missing: str = "available",
    weights: Any = "identity",
    level: str = "nominal",
    distance: Any = None,
    confidence: float = 0.95,
    population: float | None = None,
) -> Estimate:
    r"""An agreement coefficient with Gwet's (2014) analytic standard error and t-based confidence interval.

    The variance is Gwet's linearisation conditional on the sample of units (coders fixed), the one irrCAC and
    Gwet's AgreeStat report:

    .. math:: v(\hat\kappa) = \frac{1 - f}{n(n-1)} \sum_{u=1}^{n} (\kappa^\star_u - \hat\kappa)^2

    with :math:`\kappa^\star_u` each unit's linearised contribution (see :mod:`npt_coder.agreement._chance`),
    :math:`n` the units rated by at least one coder and :math:`f = n / N` the sampling fraction. The interval is
    :math:`\hat\kappa \pm t_{(1+c)/2,\,n-1}\sqrt{v}`, its upper end cut at 1 (as irrCAC prints it; the lower
    end is not cut).

    Parameters
    ----------
    reliability_data : pandas.DataFrame, 2-D numpy array or list of lists
        Rows = units, columns = coders; ``None``/``NaN``/``pd.NA`` = not rated.
    statistic : str, default "gwet_ac1"
        One of :data:`ANALYTIC_STATISTICS`.
    categories, missing, weights
        As for the statistic itself (see :func:`cohen_kappa`).
    level, distance
        For ``"krippendorff_alpha"``: nominal, interval or ratio (ordinal alpha has no analytic variance; its
        differences depend on the data), or a custom ``distance``; the variance then uses the weights
        :math:`w = 1 - \delta^2/\max\delta^2`, which leave alpha unchanged.
    confidence : float, default 0.95
        Confidence level of the interval.
    population : float, optional
        Size :math:`N` of the population of units, for the finite-population correction (default: unlimited).

    Returns
    -------
    Estimate
        Value, standard error, interval, :math:`p_a`, :math:`p_e`, units and degrees of freedom.

    Notes
    -----
    Checked to 1e-9 against irrCAC 0.4.4's ``se`` for Gwet's AC1/AC2, Fleiss' kappa, Conger's kappa and
    Brennan-Prediger (missing ratings, single-rated units, every named weight), and to the values Gwet's R
    package prints for his examples. For Krippendorff's alpha it follows Gwet's R ``krippen.alpha.raw`` (the
    Python port differs from it in the fourth decimal when units have different numbers of ratings; see
    :func:`npt_coder.agreement._chance.alpha_terms`); the degrees of freedom are the units rated by at least
    one coder, less one, as there. Percent agreement's variance is the same formula with :math:`p_e = 0`.

    References
    ----------
    .. [1] Gwet, K. L. (2014). Handbook of Inter-Rater Reliability (4th ed.), ch. 5. Advanced Analytics.
    .. [2] Gwet, K. L. (2008). Variance estimation of nominal-scale inter-rater reliability with random selection
       of raters. Psychometrika, 73(3), 407-430.

    Examples
    --------
    Krippendorff's 12 x 4 example as Gwet (2014) lays it out (irrCAC's ``cac.raw4raters``):

    >>> data = [[1, 1, None, 1], [2, 2, 3, 2], [3, 3, 3, 3], [3, 3, 3, 3], [2, 2, 2, 2], [1, 2, 3, 4],
    ...         [4, 4, 4, 4], [1, 1, 2, 1], [2, 2, 2, 2], [None, 5, 5, 5], [None, None, 1, 1],
    ...         [None, None, 3, None]]
    >>> e = analytic_se(data, "gwet_ac1")
    >>> round(e.value, 5), round(e.se, 5), round(e.ci_low, 3), e.ci_high
    (0.77544, 0.14295, 0.461, 1.0)
    """
    check_choice("statistic", statistic, ANALYTIC_STATISTICS, "e.g. 'gwet_ac1' or 'cohen_kappa'")
    confidence = _check_confidence(confidence)
    n_pop = _population(population)
    name = weights if isinstance(weights, str) else "custom"
    if statistic != "krippendorff_alpha":
        if level != "nominal" or distance is not None:
            raise AgreementInputError(f"level= and distance= are for krippendorff_alpha; got statistic={statistic!r} "
                                      "(use weights= for ordered ratings).")
        terms, ratings = compute(statistic, reliability_data, categories=categories, missing=missing,
                                 weights=weights, variance=True, population=n_pop)
        n = int(terms["n"])
    else:
        check_choice("level", level, LEVELS, "use 'nominal' for unordered codes")
        unweighted = weights is None or (isinstance(weights, str) and weights == "identity")
        if not unweighted and (level != "nominal" or distance is not None):
            raise AgreementInputError("give krippendorff_alpha one of weights=, level= or distance=, not several.")
        ratings = prepare(reliability_data, categories=categories, missing=missing,
                          level="nominal" if distance is not None else level)
        w = _alpha_weights(ratings, level, distance, weights)
        terms = {k: float(v) for k, v in alpha_terms(ratings.codes, np.ones(ratings.codes.shape[0]), ratings.q, w,
                                                     variance=True, population=n_pop).items()}
        n = int(ratings.codes.shape[0])  # Gwet's R code: t with (units rated by anyone) - 1 degrees of freedom
        if terms["n"] < 1 or not np.isfinite(terms["value"]):
            why = NO_PAIRS if terms["n"] < 1 else "expected disagreement D_e = 0 (all pairable values are the same)"
            terms["value"] = undefined("krippendorff_alpha", why)
            terms["variance"] = float("nan")
        if level != "nominal" or distance is not None:
            name = level if distance is None else "custom distance"
    se = math.sqrt(terms["variance"]) if terms["variance"] >= 0 else float("nan")
    low, high = t_interval(terms["value"], se, n - 1, confidence)
    return Estimate(statistic=statistic, value=float(terms["value"]), se=se, ci_low=float(low), ci_high=float(high),
                    confidence=confidence, p_a=float(terms["pa"]), p_e=float(terms["pe"]), n_units=n, df=n - 1,
                    weights=str(name))


def counts_se(counts: Any, statistic: str, *, confidence: float = 0.95) -> tuple[np.ndarray, ...]:
    """``(value, se, ci_low, ci_high)`` for two-coder presence/absence counts of shape (..., 4), vectorised.

    ``statistic`` is one of "percent_agreement", "cohen_kappa", "gwet_ac1", "brennan_prediger",
    "krippendorff_alpha"; the numbers equal :func:`analytic_se` on the matching reliability matrix with
    ``categories=(0, 1)``. Undefined values are ``nan`` without a warning.
    """
    c = np.asarray(counts, dtype=float)
    w = np.eye(2)
    if statistic == "krippendorff_alpha":
        terms = alpha_terms(_PATTERNS, c, 2, w, variance=True, identity=True)
    else:
        engine = "conger_kappa" if statistic == "cohen_kappa" else statistic
        terms = gwet_terms(_PATTERNS, c, 2, w, engine, variance=True, identity=True)
    with np.errstate(invalid="ignore"):
        se = np.sqrt(terms["variance"])
    n = c.sum(-1)
    low, high = t_interval(terms["value"], se, n - 1, confidence)
    return terms["value"], se, low, high
