r"""Fast paths for two coders and presence/absence data: statistics from the four unit-type counts.

When two coders each mark a code present or absent on every unit, a unit is one of four types:

==========  =================================
type        meaning
==========  =================================
``both``    both coders applied the code
``only_a``  coder A applied it, coder B did not
``only_b``  coder B applied it, coder A did not
``neither`` neither coder applied it
==========  =================================

and every statistic of the pair is a function of the four counts :math:`(b, x, y, z)`, :math:`N = b+x+y+z`.
The functions here take those counts as the last axis of an array of any shape, e.g. ``(4,)`` for one code,
``(24, 4)`` for a codebook or ``(1000, 24, 4)`` for bootstrap resamples, and broadcast over the other axes.
They return a float for a ``(4,)`` input and an array otherwise, ``nan`` where a statistic is undefined (with
one :class:`~npt_coder.errors.UndefinedStatisticWarning` per call unless ``warn=False``). Each equals the
general function of the same name on the corresponding reliability matrix with
``categories=("present", "absent")`` (checked in the tests).
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from ..errors import UndefinedStatisticWarning
from ._errors import AgreementInputError

__all__ = [
    "TYPES",
    "brennan_prediger_from_counts",
    "cohen_kappa_from_counts",
    "gwet_ac1_from_counts",
    "krippendorff_alpha_from_counts",
    "percent_agreement_from_counts",
    "type_counts",
    "unit_types",
]

#: Order of the unit types on the last axis of every counts array (and the codes :func:`unit_types` returns).
TYPES: tuple[str, str, str, str] = ("both", "only_a", "only_b", "neither")


def _split(counts: Any, name: str) -> tuple[np.ndarray, ...]:
    c = np.asarray(counts, dtype=float)
    if c.ndim == 0 or c.shape[-1] != 4:
        raise AgreementInputError(
            f"{name} needs counts with a last axis of length 4 (both, only_a, only_b, neither); got shape "
            f"{c.shape} (see type_counts to build them)."
        )
    bad = c[~np.isfinite(c) | (c < 0)]
    if bad.size:
        raise AgreementInputError(f"{name} needs finite non-negative counts; got {bad[:3].tolist()} (counts are "
                                  "numbers of units).")
    b, x, y, z = np.moveaxis(c, -1, 0)
    return b, x, y, z, b + x + y + z


def _finish(value: np.ndarray, defined: np.ndarray, name: str, reason: str, warn: bool) -> float | np.ndarray:
    out = np.where(defined, value, np.nan)
    bad = int(np.size(defined) - np.count_nonzero(defined))
    if bad and warn:
        where = "" if np.ndim(defined) == 0 else f" for {bad} of {np.size(defined)} count vectors"
        warnings.warn(f"{name} is undefined{where}: {reason}; returning nan.", UndefinedStatisticWarning,
                      stacklevel=3)
    return float(out) if np.ndim(out) == 0 else out


def percent_agreement_from_counts(counts: Any, *, warn: bool = True) -> float | np.ndarray:
    r"""Percent agreement of two coders from unit-type counts: :math:`p_o = (b + z) / N`.

    Parameters
    ----------
    counts : array_like, shape (..., 4)
        Numbers of units of each type ``(both, only_a, only_b, neither)``; any leading shape.
    warn : bool, default True
        Warn (:class:`~npt_coder.errors.UndefinedStatisticWarning`) when a result is undefined (:math:`N = 0`).

    Returns
    -------
    float or numpy.ndarray
        Shape ``counts.shape[:-1]``; ``nan`` where :math:`N = 0`.

    Examples
    --------
    >>> percent_agreement_from_counts([20, 5, 10, 15])
    0.7
    >>> percent_agreement_from_counts([[20, 5, 10, 15], [0, 1, 1, 8]])
    array([0.7, 0.8])
    """
    b, x, y, z, n = _split(counts, "percent_agreement_from_counts")
    with np.errstate(divide="ignore", invalid="ignore"):
        value = (b + z) / n
    return _finish(value, n > 0, "percent_agreement_from_counts", "no units", warn)


def cohen_kappa_from_counts(counts: Any, *, warn: bool = True) -> float | np.ndarray:
    r"""Cohen's kappa of two coders from unit-type counts.

    With :math:`A = b + x` units coded by A, :math:`B = b + y` by B and :math:`d = x + y` disagreements,

    .. math:: \kappa = \frac{p_o - p_e}{1 - p_e} = 1 - \frac{N d}{A(N - B) + B(N - A)}

    since :math:`1 - p_e = [A(N-B) + B(N-A)] / N^2` and :math:`1 - p_o = d / N` [1]_. Undefined
    (:math:`p_e = 1`) when both coders applied the code to every unit or to none.

    Parameters
    ----------
    counts : array_like, shape (..., 4)
        Numbers of units of each type ``(both, only_a, only_b, neither)``.
    warn : bool, default True
        Warn when a result is undefined.

    Returns
    -------
    float or numpy.ndarray
        Shape ``counts.shape[:-1]``; ``nan`` where undefined.

    References
    ----------
    .. [1] Cohen, J. (1960). A coefficient of agreement for nominal scales. Educational and Psychological
       Measurement, 20(1), 37-46.

    Examples
    --------
    >>> round(cohen_kappa_from_counts([20, 5, 10, 15]), 2)
    0.4
    """
    b, x, y, z, n = _split(counts, "cohen_kappa_from_counts")
    a_yes, b_yes = b + x, b + y
    den = a_yes * (n - b_yes) + b_yes * (n - a_yes)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = 1.0 - n * (x + y) / den
    return _finish(value, den > 0, "cohen_kappa_from_counts",
                   "both coders applied the code to every unit or to none (p_e = 1), or there are no units", warn)


def krippendorff_alpha_from_counts(counts: Any, *, warn: bool = True) -> float | np.ndarray:
    r"""Krippendorff's alpha (nominal) of two coders from unit-type counts.

    With :math:`2N` pairable values, :math:`n_1 = 2b + d` "present" and :math:`n_0 = 2z + d` "absent" values
    and :math:`d = x + y` disagreeing units,

    .. math:: \alpha = 1 - (2N - 1) \frac{d}{n_0\, n_1}

    (Krippendorff, 2011) [1]_. Undefined (:math:`D_e = 0`) when every value is "present" or every value is
    "absent".

    Parameters
    ----------
    counts : array_like, shape (..., 4)
        Numbers of units of each type ``(both, only_a, only_b, neither)``.
    warn : bool, default True
        Warn when a result is undefined.

    Returns
    -------
    float or numpy.ndarray
        Shape ``counts.shape[:-1]``; ``nan`` where undefined.

    References
    ----------
    .. [1] Krippendorff, K. (2011). Computing Krippendorff's alpha-reliability. Annenberg School for
       Communication, University of Pennsylvania.

    Examples
    --------
    >>> round(krippendorff_alpha_from_counts([20, 5, 10, 15]), 4)
    0.4
    """
    b, x, y, z, n = _split(counts, "krippendorff_alpha_from_counts")
    d = x + y
    n1, n0 = 2.0 * b + d, 2.0 * z + d
    den = n0 * n1
    with np.errstate(divide="ignore", invalid="ignore"):
        value = 1.0 - (2.0 * n - 1.0) * d / den
    return _finish(value, den > 0, "krippendorff_alpha_from_counts",
                   "all values are 'present' or all are 'absent' (D_e = 0), or there are no units", warn)


def gwet_ac1_from_counts(counts: Any, *, warn: bool = True) -> float | np.ndarray:
    r"""Gwet's AC1 of two coders from unit-type counts, with :math:`q = 2` categories (present, absent).

    .. math:: \mathrm{AC1} = \frac{p_o - p_e}{1 - p_e}, \qquad p_e = 2\pi(1 - \pi), \qquad
              \pi = \frac{2b + x + y}{2N}

    [1]_. Defined whenever :math:`N > 0` (:math:`p_e \le 1/2`), including for a code nobody applied.

    Parameters
    ----------
    counts : array_like, shape (..., 4)
        Numbers of units of each type ``(both, only_a, only_b, neither)``.
    warn : bool, default True
        Warn when a result is undefined (:math:`N = 0`).

    Returns
    -------
    float or numpy.ndarray
        Shape ``counts.shape[:-1]``; ``nan`` where :math:`N = 0`.

    References
    ----------
    .. [1] Gwet, K. L. (2008). Computing inter-rater reliability and its variance in the presence of high
       agreement. British Journal of Mathematical and Statistical Psychology, 61(1), 29-48.

    Examples
    --------
    >>> round(gwet_ac1_from_counts([20, 5, 10, 15]), 4)
    0.4059
    >>> gwet_ac1_from_counts([0, 0, 0, 10])
    1.0
    """
    b, x, y, z, n = _split(counts, "gwet_ac1_from_counts")
    with np.errstate(divide="ignore", invalid="ignore"):
        p_o = (b + z) / n
        pi = (2.0 * b + x + y) / (2.0 * n)
        p_e = 2.0 * pi * (1.0 - pi)
        value = (p_o - p_e) / (1.0 - p_e)
    return _finish(value, n > 0, "gwet_ac1_from_counts", "no units", warn)


def brennan_prediger_from_counts(counts: Any, *, warn: bool = True) -> float | np.ndarray:
    r"""Brennan-Prediger coefficient (PABAK) of two coders from unit-type counts: :math:`2 p_o - 1`.

    With :math:`q = 2` categories the chance agreement is :math:`1/2`, so
    :math:`\kappa_{BP} = (p_o - 1/2)/(1/2) = 2(b + z)/N - 1` [1]_ [2]_.

    Parameters
    ----------
    counts : array_like, shape (..., 4)
        Numbers of units of each type ``(both, only_a, only_b, neither)``.
    warn : bool, default True
        Warn when a result is undefined (:math:`N = 0`).

    Returns
    -------
    float or numpy.ndarray
        Shape ``counts.shape[:-1]``; ``nan`` where :math:`N = 0`.

    References
    ----------
    .. [1] Brennan, R. L., & Prediger, D. J. (1981). Coefficient kappa: Some uses, misuses, and alternatives.
       Educational and Psychological Measurement, 41(3), 687-699.
    .. [2] Byrt, T., Bishop, J., & Carlin, J. B. (1993). Bias, prevalence and kappa. Journal of Clinical
       Epidemiology, 46(5), 423-429.

    Examples
    --------
    >>> round(brennan_prediger_from_counts([20, 5, 10, 15]), 2)
    0.4
    """
    b, x, y, z, n = _split(counts, "brennan_prediger_from_counts")
    with np.errstate(divide="ignore", invalid="ignore"):
        value = 2.0 * (b + z) / n - 1.0
    return _finish(value, n > 0, "brennan_prediger_from_counts", "no units", warn)


def _presence(x: Any, name: str) -> np.ndarray:
    arr = np.asarray(x)
    if arr.dtype.kind == "b":
        return arr
    if arr.dtype.kind in "iuf" and np.isin(arr, (0, 1)).all():
        return arr.astype(bool)
    raise AgreementInputError(
        f"{name} must hold presence/absence as booleans (or 0/1); got values of dtype {arr.dtype} (e.g. "
        "pass codings == 'present', with missing units removed first)."
    )


def unit_types(a: Any, b: Any) -> np.ndarray:
    """Type code of each unit: 0 = both, 1 = only A, 2 = only B, 3 = neither (the order of :data:`TYPES`).

    Parameters
    ----------
    a, b : array_like of bool (or 0/1), same shape
        Whether coder A (``a``) and coder B (``b``) applied the code; shape ``(n_units,)`` or
        ``(n_units, n_codes)``.

    Returns
    -------
    numpy.ndarray of int8
        Same shape as ``a``.

    Examples
    --------
    >>> unit_types([True, True, False, False], [True, False, True, False])
    array([0, 1, 2, 3], dtype=int8)
    """
    pa, pb = _presence(a, "a"), _presence(b, "b")
    if pa.shape != pb.shape:
        raise AgreementInputError(f"a and b must have the same shape (one value per unit and code); got "
                                  f"{pa.shape} and {pb.shape} (align both coders on the same units).")
    return (2 * ~pa + ~pb).astype(np.int8)


def type_counts(a: Any, b: Any) -> np.ndarray:
    """Counts of the four unit types ``(both, only_a, only_b, neither)`` over units (axis 0).

    Parameters
    ----------
    a, b : array_like of bool (or 0/1), same shape
        Presence per unit for coders A and B; shape ``(n_units,)`` or ``(n_units, n_codes)``.

    Returns
    -------
    numpy.ndarray of int64
        Shape ``(4,)`` or ``(n_codes, 4)``.

    Examples
    --------
    >>> type_counts([1, 1, 0, 0, 0], [1, 0, 1, 0, 0])
    array([1, 1, 1, 2])
    """
    types = unit_types(a, b)
    if types.ndim == 1:
        return np.bincount(types, minlength=4).astype(np.int64)
    flat = types.reshape(types.shape[0], -1)
    k = flat.shape[1]
    index = (np.arange(k) * 4)[None, :] + flat
    counts = np.bincount(index.ravel(), minlength=4 * k).astype(np.int64)
    return counts.reshape(*types.shape[1:], 4)
