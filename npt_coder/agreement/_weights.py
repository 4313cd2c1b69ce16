r"""Agreement weights for ordered ratings: the ``weights=`` option of the kappa family, AC1/AC2 and Brennan-Prediger.

A weight :math:`w_{kl} \in [0, 1]` is the credit two ratings in categories :math:`k` and :math:`l` earn as agreement:
1 on the diagonal (full agreement), less the further apart the categories are. With :math:`x_k` the value of
category :math:`k` (the number itself for numeric categories, its rank 1..q in ``categories=`` otherwise),
:math:`x_{min}, x_{max}` the smallest and largest values and :math:`r_k` the rank, the named weights are Gwet's
(2014, ch. 3; the same formulas as irrCAC):

============  ===========================================================================================
name          :math:`w_{kl}`
============  ===========================================================================================
identity      :math:`[k = l]` (unweighted)
linear        :math:`1 - |x_k - x_l| / (x_{max} - x_{min})`
quadratic     :math:`1 - (x_k - x_l)^2 / (x_{max} - x_{min})^2`
ordinal       :math:`1 - M_{kl} / \max M`, :math:`M_{kl} = \binom{|r_k - r_l| + 1}{2}`
radical       :math:`1 - \sqrt{|x_k - x_l|} / \sqrt{x_{max} - x_{min}}`
ratio         :math:`1 - [(x_k - x_l)/(x_k + x_l)]^2 / [(x_{max} - x_{min})/(x_{max} + x_{min})]^2`
circular      :math:`1 - d_{kl} / \max d`, :math:`d_{kl} = \sin^2(\pi (x_k - x_l) / (x_{max} - x_{min} + 1))`
bipolar       :math:`1 - d_{kl} / \max d`, :math:`d_{kl} = (x_k-x_l)^2 / [(x_k+x_l-2x_{min})(2x_{max}-x_k-x_l)]`
============  ===========================================================================================

A q x q matrix is taken as it is when it holds *agreement* weights (diagonal 1, every entry in [0, 1]), or as
Cohen's (1968) *disagreement* weights :math:`v_{kl}` (diagonal 0, entries >= 0) and turned into agreement weights
:math:`w = 1 - v / \max v`; kappa is the same either way (Cohen's :math:`\kappa_w = 1 - \sum v p_o / \sum v p_c`).
Rows and columns follow the category order: ``categories=`` when given, otherwise the sorted values observed.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from .._words import noun
from ._data import _is_number, _short
from ._errors import AgreementInputError

__all__ = ["WEIGHTS", "category_values", "weight_matrix"]

WEIGHTS: tuple[str, ...] = ("identity", "linear", "quadratic", "ordinal", "radical", "ratio", "circular", "bipolar")


def category_values(labels: Sequence[Any], *, given: bool) -> np.ndarray | None:
    """The value :math:`x_k` of each category: the numbers themselves, or ranks 1..q of ``categories=``.

    ``None`` when the labels are not numbers and no order was declared (weights other than identity need one).
    """
    if labels and all(_is_number(x) for x in labels):
        return np.asarray([float(x) for x in labels], dtype=float)
    if given:
        return np.arange(1, len(labels) + 1, dtype=float)
    return None


def _scaled(d: np.ndarray) -> np.ndarray:
    top = float(d.max(initial=0.0))
    return 1.0 - d / top if top > 0 else np.ones_like(d)


def _named(name: str, x: np.ndarray) -> np.ndarray:
    a, b = x[:, None], x[None, :]
    lo, hi = float(x.min()), float(x.max())
    span = hi - lo
    if name == "linear":
        return 1.0 - np.abs(a - b) / span
    if name == "quadratic":
        return 1.0 - ((a - b) / span) ** 2
    if name == "radical":
        return 1.0 - np.sqrt(np.abs(a - b)) / np.sqrt(span)
    if name == "ordinal":
        rank = np.argsort(np.argsort(x, kind="stable"), kind="stable").astype(float)
        gap = np.abs(rank[:, None] - rank[None, :]) + 1.0
        return _scaled(gap * (gap - 1.0) / 2.0)
    if name == "ratio":
        total = a + b
        r = np.divide(a - b, total, out=np.zeros(total.shape), where=total != 0)
        return 1.0 - r ** 2 / (span / (hi + lo)) ** 2
    if name == "circular":
        return _scaled(np.sin(np.pi * (a - b) / (span + 1.0)) ** 2)
    # bipolar
    den = (a + b - 2.0 * lo) * (2.0 * hi - a - b)
    d = np.divide((a - b) ** 2, den, out=np.zeros(den.shape), where=den != 0)
    np.fill_diagonal(d, 0.0)
    return _scaled(d)


def weight_matrix(weights: Any, labels: Sequence[Any], values: np.ndarray | None) -> np.ndarray:
    """Agreement weights (q x q) for ``weights=``: a name from :data:`WEIGHTS` or a q x q matrix.

    ``labels`` are the categories in order and ``values`` their :func:`category_values`.
    """
    q = len(labels)
    if weights is None or (isinstance(weights, str) and weights == "identity"):
        return np.eye(q)
    if isinstance(weights, str):
        if weights not in WEIGHTS:
            allowed = ", ".join(repr(w) for w in WEIGHTS)
            raise AgreementInputError(f"weights must be one of {allowed} or a q x q matrix; got {weights!r} (use "
                                      "'linear' or 'quadratic' for ratings on an ordered scale).")
        if values is None:
            raise AgreementInputError(
                f"weights={weights!r} needs ordered categories; the data hold the non-numeric "
                f"{noun(len(labels), 'value')} {_short(list(labels))} (pass categories= in rank order, e.g. "
                f"categories=('low', 'mid', 'high'))."
            )
        if q < 2 or float(values.max()) == float(values.min()):
            return np.eye(q)
        if weights == "ratio" and (values < 0).any():
            raise AgreementInputError(f"weights='ratio' needs values >= 0 (a ratio scale has an absolute zero); got "
                                      f"{_short(values[values < 0].tolist())} (use 'linear' or 'quadratic').")
        return _named(weights, values)
    try:
        w = np.asarray(weights, dtype=float)
    except (TypeError, ValueError):
        raise AgreementInputError(f"weights must be a name or a q x q matrix of numbers; got {type(weights).__name__} "
                                  "(e.g. weights='quadratic').") from None
    if w.shape != (q, q):
        raise AgreementInputError(
            f"a weights matrix must be q x q = {q} x {q}, one row and column per category in order "
            f"({_short(list(labels), 6)}); got shape {w.shape} (pass categories= to fix the order and q)."
        )
    if not np.isfinite(w).all():
        raise AgreementInputError("a weights matrix must hold finite numbers; got nan or inf (give every pair of "
                                  "categories a weight).")
    diag = np.diag(w)
    if np.all(diag == 1.0) and (w >= 0).all() and (w <= 1).all():
        return w
    if np.all(diag == 0.0) and (w >= 0).all():
        return _scaled(w)  # Cohen's (1968) disagreement weights
    raise AgreementInputError(
        "a weights matrix must hold agreement weights (diagonal 1, entries in [0, 1]) or disagreement weights "
        f"(diagonal 0, entries >= 0); got diagonal {_short(diag.tolist(), 4)} and entries from {w.min():g} to "
        f"{w.max():g} (e.g. weights=1 - abs(i - j) / (q - 1) for linear agreement weights)."
    )
