r"""Percent agreement, Gwet's AC1/AC2 and the Brennan-Prediger coefficient (free-marginal kappa, PABAK).

Their chance agreement depends on the number of categories :math:`q` (AC1/AC2, Brennan-Prediger) or is none
(percent agreement), so ``categories=`` matters here: with ``categories=`` given, :math:`q` is the number of
declared categories even when some never occur, so that a code every coder marked absent on every unit has
AC1 = Brennan-Prediger = PABAK = 1 (kappa and alpha are 0/0 there). Missing data and weights work as described in
:mod:`._kappa`.
"""

from __future__ import annotations

from typing import Any, Sequence

from ._family import compute

__all__ = ["brennan_prediger", "gwet_ac1", "percent_agreement"]


def percent_agreement(
    reliability_data: Any,
    *,
    categories: Sequence[Any] | None = None,
    missing: str = "available",
    weights: Any = "identity",
) -> float:
    r"""Share of agreeing coder pairs, averaged over units (Fleiss' observed agreement; Gwet's weighted :math:`p_a`).

    .. math:: p_a = \frac{1}{n_2} \sum_{u:\,r_u \ge 2} \frac{\sum_k n_{uk}(n^\star_{uk} - 1)}{r_u(r_u - 1)},
              \qquad n^\star_{uk} = \sum_l w_{kl}\, n_{ul}

    where :math:`n_{uk}` coders put unit :math:`u` in category :math:`k`, :math:`r_u` coders rated it and
    :math:`n_2` units have two or more ratings. Unweighted, :math:`n^\star_{uk} = n_{uk}` and this is, for two
    coders, the share of units they agree on; for three or more, each unit counts once, with the share of its
    rating pairs that agree [1]_ [2]_.

    Parameters
    ----------
    reliability_data : pandas.DataFrame, 2-D numpy array or list of lists
        Rows = units, columns = coders; values are category labels (any hashable) or numbers; ``None``,
        ``NaN`` or ``pd.NA`` = that coder did not rate that unit.
    categories : sequence, optional
        The full category set (in rank order for weights); otherwise only checked against the data.
    missing : {"available", "listwise"}, default "available"
        ``"available"``: every unit with two or more ratings (a unit with one rating has no pair and never
        counts); ``"listwise"``: only the units every coder rated.
    weights : str or array_like, default "identity"
        As for :func:`cohen_kappa`: partial credit for near misses on an ordered scale.

    Returns
    -------
    float
        :math:`p_a` in [0, 1], or ``nan`` with an :class:`~npt_coder.errors.UndefinedStatisticWarning` when no
        unit has two ratings.

    Notes
    -----
    Checked against irrCAC's ``pa`` (Gwet's definition, with missing ratings and weights) and, on complete data,
    NLTK's ``AnnotationTask.avg_Ao``. NLTK averages per coder pair over all items and so differs when ratings
    are missing.

    References
    ----------
    .. [1] Fleiss, J. L. (1971). Measuring nominal scale agreement among many raters. Psychological Bulletin,
       76(5), 378-382.
    .. [2] Gwet, K. L. (2014). Handbook of Inter-Rater Reliability (4th ed.). Advanced Analytics.

    Examples
    --------
    >>> percent_agreement([["a", "a"], ["a", "b"], ["b", "b"], ["b", None]])
    0.6666666666666666
    >>> round(percent_agreement([["a", "a", "b"], ["a", "a", "a"]]), 4)  # (1/3 + 3/3) / 2
    0.6667
    """
    return compute("percent_agreement", reliability_data, categories=categories, missing=missing,
                   weights=weights)[0]["value"]


def gwet_ac1(
    reliability_data: Any,
    *,
    categories: Sequence[Any] | None = None,
    missing: str = "available",
    weights: Any = "identity",
) -> float:
    r"""Gwet's AC1 (unweighted) or AC2 (weighted), for two or more coders.

    .. math:: \mathrm{AC} = \frac{p_a - p_e}{1 - p_e}, \qquad
              p_e = \frac{T_w}{q(q-1)} \sum_{k=1}^{q} \pi_k (1 - \pi_k), \qquad
              \pi_k = \frac{1}{n} \sum_u \frac{n_{uk}}{r_u}

    :math:`p_a` is Gwet's weighted observed agreement (see :func:`percent_agreement`), :math:`q` the number of
    categories and :math:`T_w = \sum_{kl} w_{kl}` the sum of the weights (:math:`q` unweighted) [1]_ [2]_. AC1
    stays stable when one category dominates (the "kappa paradox").

    Parameters
    ----------
    reliability_data : pandas.DataFrame, 2-D numpy array or list of lists
        Rows = units, columns = coders; ``None``/``NaN``/``pd.NA`` = not rated.
    categories : sequence, optional
        The full category set. :math:`q` = ``len(categories)`` even when a category never occurs: for
        presence/absence coding pass ``categories=("present", "absent")`` so that a code nobody applied still
        has :math:`q = 2`. Default: the distinct values in the data.
    missing : {"available", "listwise"}, default "available"
        ``"available"``: :math:`p_a` over the units with two or more ratings, :math:`\pi_k` over the
        :math:`n` units with at least one, as Gwet (2014) and irrCAC do. ``"listwise"``: complete units only.
    weights : str or array_like, default "identity"
        As for :func:`cohen_kappa`; any weights other than identity give AC2.

    Returns
    -------
    float
        AC1/AC2, or ``nan`` with an :class:`~npt_coder.errors.UndefinedStatisticWarning` when no unit has two
        ratings or :math:`q < 2` (pass ``categories=`` with the full category set).

    Notes
    -----
    Gwet (2014) prints AC1 = 0.77544 for Krippendorff's 12 x 4 example with missing ratings, and so does this
    function; leaving out the unit only one coder rated would give 0.77515. Checked against irrCAC's ``gwet`` to
    1e-9 (missing ratings, single-rated units, every named weight). irrCAC returns a meaningless number when
    :math:`q = 1` (it sets :math:`p_e = 1 - 10^{-15}`); this function returns ``nan``.

    References
    ----------
    .. [1] Gwet, K. L. (2008). Computing inter-rater reliability and its variance in the presence of high
       agreement. British Journal of Mathematical and Statistical Psychology, 61(1), 29-48.
    .. [2] Gwet, K. L. (2014). Handbook of Inter-Rater Reliability (4th ed.). Advanced Analytics.

    Examples
    --------
    A code that neither coder applied to any of 10 segments: perfect agreement, AC1 = 1 once the category set
    is known (kappa and alpha are undefined here).

    >>> gwet_ac1([["absent", "absent"]] * 10, categories=("present", "absent"))
    1.0
    """
    return compute("gwet_ac1", reliability_data, categories=categories, missing=missing, weights=weights)[0]["value"]


def brennan_prediger(
    reliability_data: Any,
    *,
    categories: Sequence[Any] | None = None,
    missing: str = "available",
    weights: Any = "identity",
) -> float:
    r"""Brennan-Prediger coefficient (free-marginal kappa; Bennett's S; PABAK for two categories).

    .. math:: \kappa_{BP} = \frac{p_a - T_w/q^2}{1 - T_w/q^2}

    :math:`p_a` is Gwet's weighted observed agreement (see :func:`percent_agreement`), :math:`q` the number of
    categories, each assumed equally likely by chance, and :math:`T_w` the sum of the weights (:math:`q`
    unweighted, so :math:`p_e = 1/q`) [1]_ [2]_. With two categories, unweighted, this is the
    prevalence-adjusted bias-adjusted kappa, :math:`\mathrm{PABAK} = 2p_a - 1` [3]_.

    Parameters
    ----------
    reliability_data : pandas.DataFrame, 2-D numpy array or list of lists
        Rows = units, columns = coders; ``None``/``NaN``/``pd.NA`` = not rated.
    categories : sequence, optional
        The full category set; :math:`q` = ``len(categories)`` even when a category never occurs. Default:
        the distinct values in the data.
    missing : {"available", "listwise"}, default "available"
        ``"available"``: every unit with two or more ratings (the chance term does not depend on the data);
        ``"listwise"``: only complete units.
    weights : str or array_like, default "identity"
        As for :func:`cohen_kappa`.

    Returns
    -------
    float
        The coefficient, or ``nan`` with an :class:`~npt_coder.errors.UndefinedStatisticWarning` when no unit
        has two ratings or :math:`q < 2`.

    Notes
    -----
    Checked against irrCAC's ``bp`` (missing ratings, every named weight), statsmodels'
    ``fleiss_kappa(method="randolph")`` and NLTK's ``AnnotationTask.S`` (complete data; both take :math:`q` from
    the categories observed).

    References
    ----------
    .. [1] Brennan, R. L., & Prediger, D. J. (1981). Coefficient kappa: Some uses, misuses, and alternatives.
       Educational and Psychological Measurement, 41(3), 687-699.
    .. [2] Bennett, E. M., Alpert, R., & Goldstein, A. C. (1954). Communications through limited response
       questioning. Public Opinion Quarterly, 18(3), 303-308.
    .. [3] Byrt, T., Bishop, J., & Carlin, J. B. (1993). Bias, prevalence and kappa. Journal of Clinical
       Epidemiology, 46(5), 423-429.

    Examples
    --------
    >>> table = [["yes", "yes"]] * 20 + [["yes", "no"]] * 5 + [["no", "yes"]] * 10 + [["no", "no"]] * 15
    >>> round(brennan_prediger(table), 2)  # PABAK = 2 * 0.7 - 1
    0.4
    """
    return compute("brennan_prediger", reliability_data, categories=categories, missing=missing,
                   weights=weights)[0]["value"]
