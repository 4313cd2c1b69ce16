r"""Krippendorff's alpha for nominal, ordinal, interval and ratio data, with missing values.

The computation follows Krippendorff (2011). Only *pairable* values count: values in units that two or
more coders rated. With :math:`m_u` values in unit :math:`u`, :math:`n = \sum_u m_u` pairable values and
:math:`n_c` of them in category :math:`c`, the coincidence matrix is
:math:`o_{ck} = \sum_u \#\{(i, j): i \ne j,\ v_{ui} = c,\ v_{uj} = k\} / (m_u - 1)` and

.. math:: \alpha = 1 - \frac{D_o}{D_e}
          = 1 - (n - 1)\,\frac{\sum_{c,k} o_{ck}\,\delta^2_{ck}}{\sum_{c,k} n_c\, n_k\, \delta^2_{ck}}

Nothing here builds a units x categories table or loops over units:

* nominal: :math:`\sum_{c,k} o_{ck}\delta^2_{ck} = \sum_u (m_u(m_u-1) - A_u)/(m_u-1)` with :math:`A_u` the
  ordered agreeing pairs of unit :math:`u` (found by sorting each row);
* interval: :math:`\sum_{i \ne j} (v_i - v_j)^2 = 2 m_u \sum_i (v_i - \bar v_u)^2` per unit, centred for
  numerical stability;
* ordinal, ratio and a custom distance: one vectorised pass per pair of coders (a loop over coder pairs, not
  units), weighting each pair of values by :math:`2/(m_u - 1)`; the expected term is summed over the category
  pairs in blocks.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ._data import LEVELS, Ratings, _is_number, agreeing_pairs, check_choice, prepare
from ._errors import AgreementInputError, undefined

__all__ = ["distance_matrix", "krippendorff_alpha"]

_BLOCK = 512


def _ordinal_delta(c: np.ndarray, k: np.ndarray, cum: np.ndarray, n_c: np.ndarray) -> np.ndarray:
    lo, hi = np.minimum(c, k), np.maximum(c, k)
    return (cum[hi + 1] - cum[lo] - (n_c[c] + n_c[k]) / 2.0) ** 2


def _ratio_delta(c: np.ndarray, k: np.ndarray, values: np.ndarray) -> np.ndarray:
    a, b = values[c], values[k]
    total = a + b
    return np.divide(a - b, total, out=np.zeros(np.broadcast(a, b).shape), where=total != 0) ** 2


def _expected_sum(delta, n_c: np.ndarray) -> float:
    """:math:`\\sum_{c,k} n_c n_k \\delta_{ck}` over the used categories, in blocks of rows."""
    used = np.flatnonzero(n_c)
    total = 0.0
    for start in range(0, used.size, _BLOCK):
        rows = used[start:start + _BLOCK]
        block = delta(rows[:, None], used[None, :])
        total += float(n_c[rows] @ block @ n_c[used])
    return total


def distance_matrix(distance: Any, ratings: Ratings) -> np.ndarray:
    """The q x q matrix of :math:`\\delta^2` for ``distance=``: a callable on category values, or a matrix."""
    q = ratings.q
    if callable(distance):
        values = ratings.values
        if values is None:
            numeric = all(_is_number(x) for x in ratings.labels)
            values = np.asarray(ratings.labels, dtype=float if numeric else object)
        try:
            d = np.asarray(distance(values[:, None], values[None, :]), dtype=float)
        except Exception as err:  # the user's function: report what it raised, in one line
            raise AgreementInputError(f"distance(a, b) raised {type(err).__name__}: {err} (it gets two broadcastable "
                                      "arrays of category values and returns the squared differences).") from None
        if d.shape != (q, q):
            d = np.broadcast_to(d, (q, q)).copy() if d.size == 1 else d
    else:
        try:
            d = np.asarray(distance, dtype=float)
        except (TypeError, ValueError):
            raise AgreementInputError(f"distance must be a callable or a q x q matrix of numbers; got "
                                      f"{type(distance).__name__} (e.g. distance=lambda a, b: abs(a - b)).") from None
    if d.shape != (q, q):
        raise AgreementInputError(f"distance must give a q x q = {q} x {q} matrix, one row and column per category "
                                  f"in order; got shape {d.shape} (pass categories= to fix the order and q).")
    if not np.isfinite(d).all() or (d < 0).any() or np.any(np.diag(d) != 0) or not np.allclose(d, d.T):
        raise AgreementInputError("distance must be finite, >= 0, 0 between a category and itself, and symmetric "
                                  "(delta(a, b) = delta(b, a)); got a matrix that is not (check the function).")
    return d


def krippendorff_alpha(
    reliability_data: Any,
    *,
    level: str = "nominal",
    categories: Sequence[Any] | None = None,
    missing: str = "available",
    distance: Any = None,
) -> float:
    r"""Krippendorff's alpha for any number of coders, any level of measurement, with missing values.

    .. math:: \alpha = 1 - \frac{D_o}{D_e}, \qquad
              D_o = \frac{1}{n} \sum_{c,k} o_{ck}\, \delta^2_{ck}, \qquad
              D_e = \frac{1}{n(n-1)} \sum_{c,k} n_c\, n_k\, \delta^2_{ck}

    :math:`o_{ck}` is the coincidence matrix of pairable values (values in units rated by two or more coders),
    :math:`n_c` its margins and :math:`n` the number of pairable values [1]_. The difference function
    :math:`\delta^2_{ck}` is, by level: nominal :math:`[c \ne k]`; ordinal
    :math:`\left(\sum_{g=c}^{k} n_g - (n_c + n_k)/2\right)^2`; interval :math:`(c - k)^2`; ratio
    :math:`\left((c - k)/(c + k)\right)^2`; or any ``distance`` you give.

    Parameters
    ----------
    reliability_data : pandas.DataFrame, 2-D numpy array or list of lists
        Rows = units, columns = coders; ``None``/``NaN``/``pd.NA`` = not rated.
    level : {"nominal", "ordinal", "interval", "ratio"}, default "nominal"
        Level of measurement. Interval and ratio need numbers (ratio: non-negative numbers); ordinal needs
        numbers or ``categories=`` in rank order.
    categories : sequence, optional
        The full category set, checked against the data. For ``level="ordinal"`` its order is the rank order
        (e.g. ``("low", "mid", "high")``); categories nobody used do not change alpha.
    missing : {"available", "listwise"}, default "available"
        ``"available"``: every value in a unit with two or more ratings counts and units with a single rating
        are left out (Krippendorff's definition: a lone value cannot be paired). ``"listwise"``: only units
        every coder rated.
    distance : callable or array_like, optional
        A custom difference function :math:`\delta^2`: ``distance(a, b)`` on two broadcastable arrays of
        category values (numbers, or the labels), returning the squared differences, or a q x q matrix over the
        categories in order. It must be >= 0, 0 on the diagonal and symmetric. Replaces ``level`` (leave that at
        "nominal"); e.g. ``distance=lambda a, b: abs(a - b)`` for linear differences.

    Returns
    -------
    float
        Alpha, or ``nan`` with an :class:`~npt_coder.errors.UndefinedStatisticWarning` when there are fewer
        than two pairable values or all pairable values are the same (:math:`D_e = 0`).

    Raises
    ------
    AgreementInputError
        If ``level`` is not one of the four levels, or the values do not suit it.

    Notes
    -----
    Checked to 1e-9 against the ``krippendorff`` package (all four levels and a custom distance), NLTK's
    ``AnnotationTask.alpha`` (nominal, and interval with ``interval_distance``; with missing values) and irrCAC's
    ``krippendorff`` (nominal, and with weights :math:`w = 1 - \delta^2 / \max \delta^2`), and to the published
    values of Krippendorff (2011). Where all pairable values are equal, NLTK returns 1.0 and ``krippendorff`` raises
    an error; alpha is 0/0 there and this function returns ``nan``.

    References
    ----------
    .. [1] Krippendorff, K. (2011). Computing Krippendorff's alpha-reliability. Annenberg School for
       Communication, University of Pennsylvania. https://repository.upenn.edu/asc_papers/43
    .. [2] Krippendorff, K. (2004). Content Analysis: An Introduction to Its Methodology (2nd ed.). Sage.

    Examples
    --------
    Krippendorff's (2011) example: 12 units, 4 coders, missing values.

    >>> data = [[1, 1, None, 1], [2, 2, 3, 2], [3, 3, 3, 3], [3, 3, 3, 3], [2, 2, 2, 2], [1, 2, 3, 4],
    ...         [4, 4, 4, 4], [1, 1, 2, 1], [2, 2, 2, 2], [None, 5, 5, 5], [None, None, 1, 1],
    ...         [None, None, 3, None]]
    >>> round(krippendorff_alpha(data), 3)
    0.743
    >>> round(krippendorff_alpha(data, level="interval"), 3)
    0.849
    """
    check_choice("level", level, LEVELS, "use 'nominal' for unordered codes")
    if distance is not None and level != "nominal":
        raise AgreementInputError(f"give either level= or distance=, not both; got level={level!r} and a distance "
                                  "(the distance replaces the level's difference function).")
    ratings = prepare(reliability_data, categories=categories, missing=missing, level=level)
    custom = None if distance is None else distance_matrix(distance, ratings)
    codes = ratings.codes
    m = ratings.n_rated
    pairable = m >= 2
    if not pairable.all():
        codes, m = codes[pairable], m[pairable]
    n = int(m.sum())
    if n < 2:
        return undefined("krippendorff_alpha", "fewer than two pairable values (no unit was rated by two or "
                                               "more coders)")
    n_c = np.bincount(codes.ravel() + 1, minlength=ratings.q + 1)[1:].astype(float)
    if np.count_nonzero(n_c) < 2:
        only = repr(ratings.labels[int(np.flatnonzero(n_c)[0])])
        return undefined("krippendorff_alpha", f"all pairable values are the same ({only[:40]}), so expected "
                                               "disagreement D_e = 0")
    weight = 1.0 / (m - 1.0)
    if custom is not None:
        if custom[np.ix_(np.flatnonzero(n_c), np.flatnonzero(n_c))].max() == 0:
            return undefined("krippendorff_alpha", "the distance is 0 between every pair of values used, so "
                                                   "expected disagreement D_e = 0")
    if level == "nominal" and custom is None:
        observed = float(np.sum((m * (m - 1.0) - agreeing_pairs(codes)) * weight))
        expected = float(n * n - n_c @ n_c)
    elif level == "interval" and custom is None:
        rated = codes >= 0
        v = np.where(rated, ratings.values[np.where(rated, codes, 0)], 0.0)
        unit_mean = v.sum(axis=1) / m
        within = np.where(rated, v - unit_mean[:, None], 0.0)
        observed = float(np.sum(2.0 * m * (within * within).sum(axis=1) * weight))
        grand = float(n_c @ ratings.values) / n
        centred = ratings.values - grand
        expected = 2.0 * n * float(n_c @ (centred * centred))
    else:
        if custom is not None:
            def delta(c, k):
                return custom[c, k]
        elif level == "ordinal":
            cum = np.concatenate([[0.0], np.cumsum(n_c)])

            def delta(c, k):
                return _ordinal_delta(c, k, cum, n_c)
        else:
            values = ratings.values

            def delta(c, k):
                return _ratio_delta(c, k, values)
        observed = 0.0
        rated = codes >= 0
        n_coders = codes.shape[1]
        for i in range(n_coders - 1):
            for j in range(i + 1, n_coders):
                both = rated[:, i] & rated[:, j]
                observed += 2.0 * float(weight[both] @ delta(codes[both, i], codes[both, j]))
        expected = _expected_sum(delta, n_c)
    return 1.0 - (n - 1.0) * observed / expected
