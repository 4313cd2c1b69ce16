r"""Percent agreement and the kappa family: Cohen's kappa, Scott's pi, Fleiss' kappa, Gwet's AC1, Brennan-Prediger.

All six share one observed agreement and differ only in the chance agreement :math:`p_e`:
:math:`\kappa = (p_o - p_e) / (1 - p_e)`. With :math:`n_{uc}` the number of coders who put unit :math:`u` in
category :math:`c` and :math:`m_u = \sum_c n_{uc}` the number who rated it, the observed agreement is the mean,
over units with :math:`m_u \ge 2`, of the share of agreeing coder pairs [Fleiss1971]_:

.. math:: p_o = \frac{1}{n'} \sum_{u:\,m_u \ge 2} \frac{\sum_c n_{uc}(n_{uc}-1)}{m_u(m_u-1)}

which, for two coders, is the share of units on which they agree.

Missing data (the ``missing=`` option, one vocabulary for every statistic in :mod:`npt_coder.agreement`):

``"pairable"`` (default)
    Use every unit that two or more coders rated, for the observed *and* the chance agreement; units with
    one rating are left out, as Krippendorff's alpha does by definition.
``"available"``
    Observed agreement as above; chance agreement from every rating given, including units that only one
    coder rated. This is Gwet's (2014) treatment of missing ratings for Cohen's kappa, Scott's pi, Fleiss'
    kappa and AC1, and what irrCAC computes. Percent agreement, Brennan-Prediger and Krippendorff's alpha
    are the same under both policies.
``"listwise"``
    Use only the units every coder rated.

Units that no coder rated are ignored under every policy. Without ``categories=``, the category set is every
distinct value in the data as given (before any unit is dropped); it matters for Gwet's AC1 and
Brennan-Prediger, whose chance agreement depends on the number of categories :math:`q`.

References
----------
.. [Fleiss1971] Fleiss, J. L. (1971). Measuring nominal scale agreement among many raters. Psychological
   Bulletin, 76(5), 378-382.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ._data import Ratings, agreeing_pairs, category_shares, prepare
from ._errors import AgreementInputError, undefined

__all__ = ["brennan_prediger", "cohen_kappa", "fleiss_kappa", "gwet_ac1", "percent_agreement", "scott_pi"]

_NO_PAIRS = "no unit was rated by two or more coders, so there is no pair of ratings to compare"


def _label(ratings: Ratings, k: int) -> str:
    text = repr(ratings.labels[k])
    return text if len(text) <= 40 else text[:37] + "..."


def _observed(ratings: Ratings) -> tuple[float, np.ndarray, np.ndarray] | None:
    """Fleiss' observed agreement, plus the codes and rating counts of the units the chance term uses."""
    codes = ratings.codes
    m = ratings.n_rated
    pairable = m >= 2
    if not pairable.any():
        return None
    mp = m[pairable]
    p_o = float(np.mean(agreeing_pairs(codes[pairable]) / (mp * (mp - 1.0))))
    if ratings.missing == "available":
        return p_o, codes, m
    return p_o, codes[pairable], mp


def _one_category(ratings: Ratings, shares: np.ndarray) -> str:
    used = np.flatnonzero(shares)
    return f"every rating is in one category ({_label(ratings, int(used[0]))})" if used.size else "no ratings"


def percent_agreement(
    reliability_data: Any,
    *,
    categories: Sequence[Any] | None = None,
    missing: str = "pairable",
) -> float:
    r"""Share of agreeing coder pairs, averaged over units (Fleiss' observed agreement).

    .. math:: p_o = \frac{1}{n'} \sum_{u:\,m_u \ge 2} \frac{\sum_c n_{uc}(n_{uc}-1)}{m_u(m_u-1)}

    where :math:`n_{uc}` coders put unit :math:`u` in category :math:`c`, :math:`m_u` coders rated it and
    :math:`n'` units have two or more ratings. For two coders this is the share of units they agree on; for
    three or more, each unit counts once, with the share of its rating pairs that agree [1]_.

    Parameters
    ----------
    reliability_data : pandas.DataFrame, 2-D numpy array or list of lists
        Rows = units, columns = coders; values are category labels (any hashable) or numbers; ``None``,
        ``NaN`` or ``pd.NA`` = that coder did not rate that unit.
    categories : sequence, optional
        The full category set; only checked against the data here (every value must be in it).
    missing : {"pairable", "available", "listwise"}, default "pairable"
        ``"pairable"`` and ``"available"`` use every unit with two or more ratings; ``"listwise"`` only the
        units every coder rated. Units with one rating have no pair and never count.

    Returns
    -------
    float
        :math:`p_o` in [0, 1], or ``nan`` with an :class:`~npt_coder.errors.UndefinedStatisticWarning` when no
        unit has two ratings.

    Notes
    -----
    Checked against irrCAC's ``pa`` (Gwet's definition, which handles missing ratings the same way) and, on
    complete data, NLTK's ``AnnotationTask.avg_Ao``. NLTK averages per coder pair over all items and so
    differs when ratings are missing.

    References
    ----------
    .. [1] Fleiss, J. L. (1971). Measuring nominal scale agreement among many raters. Psychological Bulletin,
       76(5), 378-382.

    Examples
    --------
    >>> percent_agreement([["a", "a"], ["a", "b"], ["b", "b"], ["b", None]])
    0.6666666666666666
    >>> round(percent_agreement([["a", "a", "b"], ["a", "a", "a"]]), 4)  # (1/3 + 3/3) / 2
    0.6667
    """
    ratings = prepare(reliability_data, categories=categories, missing=missing)
    observed = _observed(ratings)
    if observed is None:
        return undefined("percent_agreement", _NO_PAIRS)
    return observed[0]


def cohen_kappa(
    reliability_data: Any,
    *,
    categories: Sequence[Any] | None = None,
    missing: str = "pairable",
) -> float:
    r"""Cohen's kappa for exactly two coders.

    .. math:: \kappa = \frac{p_o - p_e}{1 - p_e}, \qquad p_e = \sum_c p_{A,c}\, p_{B,c}

    where :math:`p_o` is the share of units on which coders A and B agree and :math:`p_{A,c}`,
    :math:`p_{B,c}` are the shares of each coder's own ratings in category :math:`c` [1]_.

    Parameters
    ----------
    reliability_data : pandas.DataFrame, 2-D numpy array or list of lists
        Rows = units, exactly two columns (coders A and B); ``None``/``NaN``/``pd.NA`` = not rated.
    categories : sequence, optional
        The full category set; categories nobody used do not change kappa, so it is only checked against
        the data.
    missing : {"pairable", "available", "listwise"}, default "pairable"
        ``"pairable"`` (= ``"listwise"`` for two coders): :math:`p_o` and both coders' marginals come from the
        units both rated. ``"available"``: :math:`p_o` from the units both rated, each coder's marginals
        from every unit that coder rated (Gwet, 2014, for kappa with missing ratings).

    Returns
    -------
    float
        Kappa, or ``nan`` with an :class:`~npt_coder.errors.UndefinedStatisticWarning` when no unit was rated
        by both coders or when :math:`p_e = 1` (both coders used one and the same category throughout).

    Raises
    ------
    AgreementInputError
        If the data do not have exactly two columns (use :func:`fleiss_kappa` or
        :func:`krippendorff_alpha` for three or more coders).

    Notes
    -----
    Checked against statsmodels' ``cohens_kappa`` and NLTK's ``AnnotationTask.kappa`` (two coders, complete
    data) and, with missing ratings, against irrCAC's ``conger`` (Conger's kappa equals Cohen's for two
    raters) under ``missing="available"``. NLTK's ``kappa`` for three or more coders is Light's mean of the
    pairwise kappas, which this function does not compute. NLTK returns 1.0 where :math:`p_e = p_o = 1`;
    kappa is 0/0 there and this function returns ``nan``.

    References
    ----------
    .. [1] Cohen, J. (1960). A coefficient of agreement for nominal scales. Educational and Psychological
       Measurement, 20(1), 37-46.
    .. [2] Gwet, K. L. (2014). Handbook of Inter-Rater Reliability (4th ed.). Advanced Analytics.

    Examples
    --------
    Two readers, 50 proposals: 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no.

    >>> table = [["yes", "yes"]] * 20 + [["yes", "no"]] * 5 + [["no", "yes"]] * 10 + [["no", "no"]] * 15
    >>> round(cohen_kappa(table), 2)
    0.4
    """
    ratings = prepare(reliability_data, categories=categories, missing=missing)
    if ratings.n_coders != 2:
        raise AgreementInputError(
            f"cohen_kappa needs exactly two coders (columns); got {ratings.n_coders} (select two columns, or use "
            "fleiss_kappa or krippendorff_alpha for three or more coders)."
        )
    a, b = ratings.codes[:, 0], ratings.codes[:, 1]
    both = (a >= 0) & (b >= 0)
    if not both.any():
        return undefined("cohen_kappa", "no unit was rated by both coders")
    q = ratings.q
    p_o = float(np.mean(a[both] == b[both]))
    if ratings.missing == "available":
        a_m, b_m = a[a >= 0], b[b >= 0]
    else:
        a_m, b_m = a[both], b[both]
    p_a = np.bincount(a_m, minlength=q) / a_m.size
    p_b = np.bincount(b_m, minlength=q) / b_m.size
    used_a, used_b = np.flatnonzero(p_a), np.flatnonzero(p_b)
    if used_a.size == 1 and used_b.size == 1 and used_a[0] == used_b[0]:
        return undefined("cohen_kappa", f"both coders used only the category {_label(ratings, int(used_a[0]))}, "
                                        "so chance agreement p_e = 1")
    p_e = float(p_a @ p_b)
    return (p_o - p_e) / (1.0 - p_e)


def _fleiss_type(name: str, reliability_data: Any, categories: Any, missing: str) -> float:
    ratings = prepare(reliability_data, categories=categories, missing=missing)
    observed = _observed(ratings)
    if observed is None:
        return undefined(name, _NO_PAIRS, stacklevel=4)
    p_o, codes, m = observed
    shares = category_shares(codes, m, ratings.q)
    if np.count_nonzero(shares) < 2:
        return undefined(name, f"{_one_category(ratings, shares)}, so chance agreement p_e = 1", stacklevel=4)
    p_e = float(shares @ shares)
    return (p_o - p_e) / (1.0 - p_e)


def fleiss_kappa(
    reliability_data: Any,
    *,
    categories: Sequence[Any] | None = None,
    missing: str = "pairable",
) -> float:
    r"""Fleiss' kappa for two or more coders (Scott's pi generalised to many coders).

    .. math:: \kappa = \frac{p_o - p_e}{1 - p_e}, \qquad p_e = \sum_c \pi_c^2, \qquad
              \pi_c = \frac{1}{n} \sum_u \frac{n_{uc}}{m_u}

    :math:`p_o` is Fleiss' observed agreement (see :func:`percent_agreement`), :math:`n_{uc}` the number of
    coders who put unit :math:`u` in category :math:`c` and :math:`m_u` the number who rated it [1]_. With
    complete data :math:`\pi_c` is simply the share of all ratings in category :math:`c`; with missing
    ratings it is Gwet's (2014) mean of per-unit shares [2]_.

    Parameters
    ----------
    reliability_data : pandas.DataFrame, 2-D numpy array or list of lists
        Rows = units, columns = coders (any number from two); ``None``/``NaN``/``pd.NA`` = not rated.
    categories : sequence, optional
        The full category set; unused categories do not change kappa, so it is only checked against the data.
    missing : {"pairable", "available", "listwise"}, default "pairable"
        ``"pairable"``: :math:`p_o` and :math:`\pi_c` over the :math:`n` units with two or more ratings.
        ``"available"``: :math:`\pi_c` over every unit with at least one rating (Gwet, 2014; irrCAC).
        ``"listwise"``: complete units only.

    Returns
    -------
    float
        Kappa, or ``nan`` with an :class:`~npt_coder.errors.UndefinedStatisticWarning` when no unit has two
        ratings or every rating is in one category (:math:`p_e = 1`).

    Notes
    -----
    Checked against statsmodels' ``fleiss_kappa`` and NLTK's ``AnnotationTask.pi`` on complete data, and
    against irrCAC's ``fleiss`` with missing ratings under ``missing="available"`` (the policies agree when no
    unit has exactly one rating). statsmodels' ``aggregate_raters`` counts ``NaN`` as a category, and NLTK's
    ``pi`` assumes complete data; both differ from the published definition when ratings are missing.
    :func:`scott_pi` returns the same value.

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
    return _fleiss_type("fleiss_kappa", reliability_data, categories, missing)


def scott_pi(
    reliability_data: Any,
    *,
    categories: Sequence[Any] | None = None,
    missing: str = "pairable",
) -> float:
    r"""Scott's pi: chance agreement from the coders' pooled category distribution.

    .. math:: \pi = \frac{p_o - p_e}{1 - p_e}, \qquad p_e = \sum_c \bar p_c^{\,2}

    For two coders :math:`p_o` is the share of units they agree on and :math:`\bar p_c` the share of all their
    ratings in category :math:`c` [1]_. Fleiss' kappa is the generalisation of Scott's pi to many coders, so
    for three or more coders this returns Fleiss' kappa (it always equals :func:`fleiss_kappa`, with the same
    options and the same treatment of missing data).

    Parameters
    ----------
    reliability_data : pandas.DataFrame, 2-D numpy array or list of lists
        Rows = units, columns = coders; ``None``/``NaN``/``pd.NA`` = not rated.
    categories : sequence, optional
        The full category set; only checked against the data.
    missing : {"pairable", "available", "listwise"}, default "pairable"
        As for :func:`fleiss_kappa`.

    Returns
    -------
    float
        Pi, or ``nan`` with an :class:`~npt_coder.errors.UndefinedStatisticWarning` when no unit has two
        ratings or every rating is in one category.

    Notes
    -----
    Checked against NLTK's ``AnnotationTask.pi`` ("multi-pi") and statsmodels' ``fleiss_kappa`` on complete
    data. Krippendorff's alpha (nominal) differs from pi only by the small-sample factor
    :math:`(n-1)/n` in its expected disagreement.

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
    return _fleiss_type("scott_pi", reliability_data, categories, missing)


def gwet_ac1(
    reliability_data: Any,
    *,
    categories: Sequence[Any] | None = None,
    missing: str = "pairable",
) -> float:
    r"""Gwet's AC1, the first-order agreement coefficient, for two or more coders.

    .. math:: \mathrm{AC1} = \frac{p_o - p_e}{1 - p_e}, \qquad
              p_e = \frac{1}{q-1} \sum_{c=1}^{q} \pi_c (1 - \pi_c), \qquad
              \pi_c = \frac{1}{n} \sum_u \frac{n_{uc}}{m_u}

    :math:`p_o` is Fleiss' observed agreement (see :func:`percent_agreement`) and :math:`q` the number of
    categories [1]_ [2]_. AC1 stays stable when one category dominates (the "kappa paradox").

    Parameters
    ----------
    reliability_data : pandas.DataFrame, 2-D numpy array or list of lists
        Rows = units, columns = coders; ``None``/``NaN``/``pd.NA`` = not rated.
    categories : sequence, optional
        The full category set. :math:`q` = ``len(categories)`` even when a category never occurs: for
        presence/absence coding pass ``categories=("present", "absent")`` so that a code nobody applied still
        has :math:`q = 2`. Default: the distinct values in the data.
    missing : {"pairable", "available", "listwise"}, default "pairable"
        ``"pairable"``: :math:`p_o` and :math:`\pi_c` over the :math:`n` units with two or more ratings.
        ``"available"``: :math:`\pi_c` over every unit with at least one rating, as Gwet (2014) and irrCAC do.
        ``"listwise"``: complete units only.

    Returns
    -------
    float
        AC1, or ``nan`` with an :class:`~npt_coder.errors.UndefinedStatisticWarning` when no unit has two
        ratings or :math:`q < 2` (pass ``categories=`` with the full category set).

    Notes
    -----
    Checked against irrCAC's ``gwet`` (Gwet's own formulas, unrounded) under ``missing="available"``, and to
    the published value of Gwet's handbook example. irrCAC returns a meaningless number when :math:`q = 1`
    (it sets :math:`p_e = 1 - 10^{-15}`); this function returns ``nan``.

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
    ratings = prepare(reliability_data, categories=categories, missing=missing)
    observed = _observed(ratings)
    if observed is None:
        return undefined("gwet_ac1", _NO_PAIRS)
    q = ratings.q
    if q < 2:
        return undefined("gwet_ac1", f"only one category ({_label(ratings, 0)}) is known, so q - 1 = 0 (pass "
                                     "categories= with the full category set)")
    p_o, codes, m = observed
    shares = category_shares(codes, m, q)
    p_e = float(shares @ (1.0 - shares)) / (q - 1)
    return (p_o - p_e) / (1.0 - p_e)


def brennan_prediger(
    reliability_data: Any,
    *,
    categories: Sequence[Any] | None = None,
    missing: str = "pairable",
) -> float:
    r"""Brennan-Prediger coefficient (free-marginal kappa; Bennett's S; PABAK for two categories).

    .. math:: \kappa_{BP} = \frac{p_o - 1/q}{1 - 1/q}

    :math:`p_o` is Fleiss' observed agreement (see :func:`percent_agreement`) and :math:`q` the number of
    categories, each assumed equally likely by chance [1]_ [2]_. With two categories this is the
    prevalence-adjusted bias-adjusted kappa, :math:`\mathrm{PABAK} = 2p_o - 1` [3]_.

    Parameters
    ----------
    reliability_data : pandas.DataFrame, 2-D numpy array or list of lists
        Rows = units, columns = coders; ``None``/``NaN``/``pd.NA`` = not rated.
    categories : sequence, optional
        The full category set; :math:`q` = ``len(categories)`` even when a category never occurs. Default:
        the distinct values in the data.
    missing : {"pairable", "available", "listwise"}, default "pairable"
        ``"pairable"`` and ``"available"`` use every unit with two or more ratings (the chance term does not
        depend on the data); ``"listwise"`` only complete units.

    Returns
    -------
    float
        The coefficient, or ``nan`` with an :class:`~npt_coder.errors.UndefinedStatisticWarning` when no unit
        has two ratings or :math:`q < 2`.

    Notes
    -----
    Checked against irrCAC's ``bp`` (with missing ratings), statsmodels' ``fleiss_kappa(method="randolph")``
    and NLTK's ``AnnotationTask.S`` (complete data; both take :math:`q` from the categories observed).

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
    ratings = prepare(reliability_data, categories=categories, missing=missing)
    observed = _observed(ratings)
    if observed is None:
        return undefined("brennan_prediger", _NO_PAIRS)
    q = ratings.q
    if q < 2:
        return undefined("brennan_prediger", f"only one category ({_label(ratings, 0)}) is known, so chance "
                                             "agreement 1/q = 1 (pass categories= with the full category set)")
    p_e = 1.0 / q
    return (observed[0] - p_e) / (1.0 - p_e)
