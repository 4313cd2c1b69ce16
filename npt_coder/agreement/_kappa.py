r"""The kappa family with data-based chance agreement: Cohen's and Conger's kappa, Scott's pi, Fleiss' kappa.

All share Gwet's (2014) weighted observed agreement (see :func:`~npt_coder.agreement.percent_agreement`) and
differ in the chance agreement :math:`p_e`: :math:`\kappa = (p_a - p_e) / (1 - p_e)`. Percent agreement, Gwet's
AC1/AC2 and Brennan-Prediger are in :mod:`._ac`.

Missing data (the ``missing=`` option, one vocabulary for every statistic in :mod:`npt_coder.agreement`):

``"available"`` (default)
    Gwet's (2014, ch. 5) convention, as irrCAC computes it: the observed agreement over the units that two or
    more coders rated, the chance agreement over *every* unit that at least one coder rated (a unit with one
    rating tells nothing about agreement, but it does tell how that coder uses the categories).
``"listwise"``
    Only the units every coder rated, for both terms (complete-case analysis).

Units that no coder rated are ignored under both. ``"pairable"``, the default before 0.2 (units with one rating
left out of the chance term as well), is accepted until 0.3 with a :class:`DeprecationWarning`: no published
source computes the kappa family that way.

Weights (the ``weights=`` option; see :mod:`._weights`): ``"identity"`` (default, unweighted), one of Gwet's
named weights for ordered ratings, or a q x q matrix. Weighted Cohen's kappa with Cohen's (1968) disagreement
weights is his :math:`\kappa_w`.

References
----------
.. [Gwet2014] Gwet, K. L. (2014). Handbook of Inter-Rater Reliability (4th ed.). Advanced Analytics.
"""

from __future__ import annotations

from typing import Any, Sequence

from ._family import compute

__all__ = ["cohen_kappa", "conger_kappa", "fleiss_kappa", "scott_pi"]


def cohen_kappa(
    reliability_data: Any,
    *,
    categories: Sequence[Any] | None = None,
    missing: str = "available",
    weights: Any = "identity",
) -> float:
    r"""Cohen's kappa for exactly two coders, unweighted or weighted.

    .. math:: \kappa = \frac{p_a - p_e}{1 - p_e}, \qquad p_e = \sum_{k,l} w_{kl}\, p_{A,k}\, p_{B,l}

    where :math:`p_a` is the (weighted) share of agreement on the units both coders rated and :math:`p_{A,k}`,
    :math:`p_{B,l}` are the shares of each coder's own ratings in each category [1]_ [2]_. With identity weights
    :math:`p_e = \sum_k p_{A,k} p_{B,k}` (Cohen, 1960).

    Parameters
    ----------
    reliability_data : pandas.DataFrame, 2-D numpy array or list of lists
        Rows = units, exactly two columns (coders A and B); ``None``/``NaN``/``pd.NA`` = not rated.
    categories : sequence, optional
        The full category set (in rank order for weights); unused categories do not change kappa.
    missing : {"available", "listwise"}, default "available"
        ``"available"``: :math:`p_a` from the units both rated, each coder's distribution from every unit
        that coder rated (Gwet, 2014; irrCAC's ``conger`` for two raters). ``"listwise"``: both from the units
        both coders rated (as statsmodels and scikit-learn, which take complete pairs only).
    weights : str or array_like, default "identity"
        ``"identity"``, ``"linear"``, ``"quadratic"``, ``"ordinal"``, ``"radical"``, ``"ratio"``, ``"circular"``,
        ``"bipolar"`` or a q x q matrix of agreement weights (diagonal 1) or of Cohen's disagreement weights
        (diagonal 0).

    Returns
    -------
    float
        Kappa, or ``nan`` with an :class:`~npt_coder.errors.UndefinedStatisticWarning` when no unit was rated
        by both coders or when :math:`p_e = 1` (both coders used one and the same category throughout).

    Raises
    ------
    AgreementInputError
        If the data do not have exactly two columns (use :func:`conger_kappa`, :func:`fleiss_kappa` or
        :func:`krippendorff_alpha` for three or more coders), or the weights do not fit the categories.

    Notes
    -----
    This is :func:`conger_kappa` for two coders. Checked against statsmodels' ``cohens_kappa`` and NLTK's
    ``AnnotationTask.kappa`` (complete data), against irrCAC's ``conger`` to 1e-9 with missing ratings, units
    only one coder rated and every named weight, and to Cohen's (1968) published weighted example
    (:math:`\kappa_w = .348`). NLTK returns 1.0 where :math:`p_e = p_a = 1`; kappa is 0/0 there and this
    function returns ``nan``.

    References
    ----------
    .. [1] Cohen, J. (1960). A coefficient of agreement for nominal scales. Educational and Psychological
       Measurement, 20(1), 37-46.
    .. [2] Cohen, J. (1968). Weighted kappa: Nominal scale agreement with provision for scaled disagreement or
       partial credit. Psychological Bulletin, 70(4), 213-220.

    Examples
    --------
    Two readers, 50 proposals: 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no.

    >>> table = [["yes", "yes"]] * 20 + [["yes", "no"]] * 5 + [["no", "yes"]] * 10 + [["no", "no"]] * 15
    >>> round(cohen_kappa(table), 2)
    0.4

    Strength of evidence rated 1-3; quadratic weights give partial credit for near misses.

    >>> round(cohen_kappa([[1, 1], [2, 3], [3, 3], [1, 2], [2, 2]], weights="quadratic"), 4)
    0.6875
    """
    return compute("cohen_kappa", reliability_data, categories=categories, missing=missing, weights=weights)[0][
        "value"]


def conger_kappa(
    reliability_data: Any,
    *,
    categories: Sequence[Any] | None = None,
    missing: str = "available",
    weights: Any = "identity",
) -> float:
    r"""Conger's kappa: Cohen's kappa generalised to two or more coders, unweighted or weighted.

    .. math:: p_e = \sum_{k,l} w_{kl} \left( \bar p_k \bar p_l - \frac{s^2_{kl}}{R} \right), \qquad
              s^2_{kl} = \frac{1}{R-1} \sum_g (p_{gk} - \bar p_k)(p_{gl} - \bar p_l)

    where :math:`p_{gk}` is the share of coder :math:`g`'s ratings in category :math:`k` (over the units that
    coder rated), :math:`\bar p_k` its mean over the :math:`R` coders, and :math:`p_a` Gwet's weighted observed
    agreement [1]_ [2]_. The chance term averages the :math:`R(R-1)/2` pairwise Cohen chance agreements.

    Parameters
    ----------
    reliability_data : pandas.DataFrame, 2-D numpy array or list of lists
        Rows = units, columns = coders (two or more); ``None``/``NaN``/``pd.NA`` = not rated.
    categories : sequence, optional
        The full category set (in rank order for weights).
    missing : {"available", "listwise"}, default "available"
        ``"available"``: :math:`p_a` over the units rated by two or more coders, each coder's distribution over
        every unit that coder rated (Gwet, 2014). ``"listwise"``: complete units only.
    weights : str or array_like, default "identity"
        As for :func:`cohen_kappa`.

    Returns
    -------
    float
        Kappa, or ``nan`` with an :class:`~npt_coder.errors.UndefinedStatisticWarning` when no unit has two
        ratings, a coder rated no unit, or :math:`p_e = 1`.

    Notes
    -----
    Checked against irrCAC's ``conger`` to 1e-9 (missing ratings, single-rated units, every named weight). For
    two coders it equals :func:`cohen_kappa`. It differs from Light's kappa (the mean of the pairwise kappas,
    NLTK's ``AnnotationTask.kappa``).

    References
    ----------
    .. [1] Conger, A. J. (1980). Integration and generalization of kappas for multiple raters. Psychological
       Bulletin, 88(2), 322-328.
    .. [2] Gwet, K. L. (2014). Handbook of Inter-Rater Reliability (4th ed.). Advanced Analytics.

    Examples
    --------
    >>> round(conger_kappa([[1, 1, 1], [1, 1, 2], [2, 2, 2], [2, 2, 1]]), 4)
    0.3333
    """
    return compute("conger_kappa", reliability_data, categories=categories, missing=missing, weights=weights)[0][
        "value"]


def fleiss_kappa(
    reliability_data: Any,
    *,
    categories: Sequence[Any] | None = None,
    missing: str = "available",
    weights: Any = "identity",
) -> float:
    r"""Fleiss' kappa for two or more coders (Scott's pi generalised to many coders), unweighted or weighted.

    .. math:: \kappa = \frac{p_a - p_e}{1 - p_e}, \qquad p_e = \sum_{k,l} w_{kl}\, \pi_k \pi_l, \qquad
              \pi_k = \frac{1}{n} \sum_u \frac{n_{uk}}{r_u}

    :math:`p_a` is Gwet's weighted observed agreement (see :func:`percent_agreement`), :math:`n_{uk}` the number
    of coders who put unit :math:`u` in category :math:`k` and :math:`r_u` the number who rated it [1]_ [2]_.
    With complete data :math:`\pi_k` is the share of all ratings in category :math:`k`.

    Parameters
    ----------
    reliability_data : pandas.DataFrame, 2-D numpy array or list of lists
        Rows = units, columns = coders (any number from two); ``None``/``NaN``/``pd.NA`` = not rated.
    categories : sequence, optional
        The full category set (in rank order for weights); unused categories do not change kappa.
    missing : {"available", "listwise"}, default "available"
        ``"available"``: :math:`p_a` over the units with two or more ratings, :math:`\pi_k` over the
        :math:`n` units with at least one (Gwet, 2014). ``"listwise"``: complete units only.
    weights : str or array_like, default "identity"
        As for :func:`cohen_kappa`.

    Returns
    -------
    float
        Kappa, or ``nan`` with an :class:`~npt_coder.errors.UndefinedStatisticWarning` when no unit has two
        ratings or every rating is in one category (:math:`p_e = 1`).

    Notes
    -----
    Gwet (2014) prints 0.76117 for Krippendorff's 12 x 4 example with missing ratings, and so does this
    function; leaving out the unit only one coder rated would give 0.76248. Checked against irrCAC's ``fleiss``
    to 1e-9 (missing ratings, single-rated units, every named weight), statsmodels' ``fleiss_kappa`` and NLTK's
    ``AnnotationTask.pi`` on complete data, and Fleiss' (1971) published example. statsmodels'
    ``aggregate_raters`` counts ``NaN`` as a category and NLTK's ``pi`` assumes complete data, so both differ
    when ratings are missing. :func:`scott_pi` returns the same value.

    References
    ----------
    .. [1] Fleiss, J. L. (1971). Measuring nominal scale agreement among many raters. Psychological Bulletin,
       76(5), 378-382.
    .. [2] Gwet, K. L. (2014). Handbook of Inter-Rater Reliability (4th ed.). Advanced Analytics.

    Examples
    --------
    >>> round(fleiss_kappa([[1, 1, 1], [1, 1, 2], [2, 2, 2], [2, 2, 1]]), 4)
    0.3333
    """
    return compute("fleiss_kappa", reliability_data, categories=categories, missing=missing, weights=weights)[0][
        "value"]


def scott_pi(
    reliability_data: Any,
    *,
    categories: Sequence[Any] | None = None,
    missing: str = "available",
    weights: Any = "identity",
) -> float:
    r"""Scott's pi: chance agreement from the coders' pooled category distribution, for two or more coders.

    .. math:: \pi = \frac{p_a - p_e}{1 - p_e}, \qquad p_e = \sum_{k,l} w_{kl}\, \pi_k \pi_l

    For two coders :math:`p_a` is the share of units they agree on and :math:`\pi_k` the share of all their
    ratings in category :math:`k` [1]_. Fleiss' kappa is Scott's pi for many coders, so this always equals
    :func:`fleiss_kappa`, with the same options and the same treatment of missing data.

    Parameters
    ----------
    reliability_data : pandas.DataFrame, 2-D numpy array or list of lists
        Rows = units, columns = coders; ``None``/``NaN``/``pd.NA`` = not rated.
    categories : sequence, optional
        The full category set (in rank order for weights).
    missing : {"available", "listwise"}, default "available"
        As for :func:`fleiss_kappa` (Gwet, 2014: :math:`\pi_k` over every unit with a rating).
    weights : str or array_like, default "identity"
        As for :func:`cohen_kappa`.

    Returns
    -------
    float
        Pi, or ``nan`` with an :class:`~npt_coder.errors.UndefinedStatisticWarning` when no unit has two
        ratings or every rating is in one category.

    Notes
    -----
    Checked against NLTK's ``AnnotationTask.pi`` and statsmodels' ``fleiss_kappa`` on complete data and irrCAC's
    ``fleiss`` with missing ratings. Krippendorff's alpha (nominal) differs from pi by the small-sample factor
    :math:`(n-1)/n` in its expected disagreement, and by leaving out units with one rating.

    References
    ----------
    .. [1] Scott, W. A. (1955). Reliability of content analysis: The case of nominal scale coding. Public
       Opinion Quarterly, 19(3), 321-325.

    Examples
    --------
    >>> table = [["yes", "yes"]] * 20 + [["yes", "no"]] * 5 + [["no", "yes"]] * 10 + [["no", "no"]] * 15
    >>> round(scott_pi(table), 4)
    0.3939
    """
    return compute("scott_pi", reliability_data, categories=categories, missing=missing, weights=weights)[0]["value"]
