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
* ordinal and ratio: one vectorised pass per pair of coders (a loop over coder pairs, not units), weighting
  each pair of values by :math:`2/(m_u - 1)`; the expected term is summed over the category pairs in blocks.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ._data import LEVELS, agreeing_pairs, check_choice, prepare
from ._errors import undefined

__all__ = ["krippendorff_alpha"]

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


def krippendorff_alpha(
    reliability_data: Any,
    *,
    level: str = "nominal",
    categories: Sequence[Any] | None = None,
    missing: str = "pairable",
) -> float:
    r"""Krippendorff's alpha for any number of coders, any level of measurement, with missing values.

    .. math:: \alpha = 1 - \frac{D_o}{D_e}, \qquad
              D_o = \frac{1}{n} \sum_{c,k} o_{ck}\, \delta^2_{ck}, \qquad
              D_e = \frac{1}{n(n-1)} \sum_{c,k} n_c\, n_k\, \delta^2_{ck}

    :math:`o_{ck}` is the coincidence matrix of pairable values (values in units rated by two or more coders),
    :math:`n_c` its margins and :math:`n` the number of pairable values [1]_. The difference function
    :math:`\delta^2_{ck}` is, by level: nominal :math:`[c \ne k]`; ordinal
    :math:`\left(\sum_{g=c}^{k} n_g - (n_c + n_k)/2\right)^2`; interval :math:`(c - k)^2`; ratio
    :math:`\left((c - k)/(c + k)\right)^2`.

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
    missing : {"pairable", "available", "listwise"}, default "pairable"
        ``"pairable"`` (Krippendorff's definition) and ``"available"``: every value in a unit with two or
        more ratings counts, units with a single rating are left out (a lone value cannot be paired).
        ``"listwise"``: only units every coder rated.

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
    Checked to 1e-9 against the ``krippendorff`` package (all four levels), NLTK's ``AnnotationTask.alpha``
    (nominal, and interval with ``interval_distance``; with missing values) and irrCAC's ``krippendorff``
    (nominal), and to the published values of Krippendorff (2011). Where all pairable values are equal, NLTK
    returns 1.0 and ``krippendorff`` raises an error; alpha is 0/0 there and this function returns ``nan``.

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
    ratings = prepare(reliability_data, categories=categories, missing=missing, level=level)
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
    if level == "nominal":
        observed = float(np.sum((m * (m - 1.0) - agreeing_pairs(codes)) * weight))
        expected = float(n * n - n_c @ n_c)
    elif level == "interval":
        rated = codes >= 0
        v = np.where(rated, ratings.values[np.where(rated, codes, 0)], 0.0)
        unit_mean = v.sum(axis=1) / m
        within = np.where(rated, v - unit_mean[:, None], 0.0)
        observed = float(np.sum(2.0 * m * (within * within).sum(axis=1) * weight))
        grand = float(n_c @ ratings.values) / n
        centred = ratings.values - grand
        expected = 2.0 * n * float(n_c @ (centred * centred))
    else:
        if level == "ordinal":
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
