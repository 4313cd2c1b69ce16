"""Verbal labels for agreement values (:func:`interpret`); the deprecated :class:`AgreementResult`."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd

from ._data import check_choice

__all__ = ["SCALES", "AgreementResult", "interpret"]

SCALES: tuple[str, ...] = ("landis_koch", "krippendorff")


@dataclass(frozen=True)
class AgreementResult:
    """One agreement statistic with the data it came from and, optionally, a confidence interval.

    Deprecated since npt-coder 0.2, removed in 0.3: no function returns it (each statistic returns a float,
    :func:`~npt_coder.agreement.agreement_table` a DataFrame); ``npt_coder.agreement.AgreementResult`` still
    gives it, with a :class:`DeprecationWarning`.

    Attributes
    ----------
    statistic : str
        Function name of the statistic, e.g. ``"krippendorff_alpha"``.
    value : float
        The estimate; ``nan`` when undefined, never a string.
    n_units : int
        Units that entered the statistic.
    n_coders : int
        Coders (columns) in the reliability data.
    ci_low, ci_high : float
        Confidence interval bounds, ``nan`` when none was computed.

    Examples
    --------
    >>> r = AgreementResult("cohen_kappa", 0.4, n_units=50, n_coders=2, ci_low=0.17, ci_high=0.62)
    >>> r.to_frame().columns.tolist()
    ['statistic', 'value', 'n_units', 'n_coders', 'ci_low', 'ci_high']
    """

    statistic: str
    value: float
    n_units: int
    n_coders: int
    ci_low: float = math.nan
    ci_high: float = math.nan

    def to_frame(self) -> pd.DataFrame:
        """One-row DataFrame with one column per field."""
        return pd.DataFrame([asdict(self)])


_LANDIS_KOCH = ((0.0, "poor"), (0.20, "slight"), (0.40, "fair"), (0.60, "moderate"), (0.80, "substantial"),
                (1.0, "almost perfect"))


def _label(value: float, scale: str) -> str:
    if value is None or not math.isfinite(value):
        return "undefined"
    if scale == "krippendorff":
        if value >= 0.800:
            return "reliable"
        return "tentative" if value >= 0.667 else "unreliable"
    if value < 0:
        return "poor"
    for upper, label in _LANDIS_KOCH[1:]:
        if value <= upper:
            return label
    return "almost perfect"


def interpret(value: Any, *, scale: str = "landis_koch") -> str | np.ndarray:
    r"""Verbal label for an agreement value on a named, published scale.

    ``scale="landis_koch"`` (Landis & Koch, 1977, for kappa-type statistics) [1]_:

    ==============  ==================
    value           label
    ==============  ==================
    < 0             poor
    0.00 - 0.20     slight
    0.21 - 0.40     fair
    0.41 - 0.60     moderate
    0.61 - 0.80     substantial
    0.81 - 1.00     almost perfect
    ==============  ==================

    (upper bounds inclusive, so 0.2 is "slight" and 0.205 "fair").

    ``scale="krippendorff"`` (Krippendorff, 2004, p. 241, for alpha) [2]_: "reliable" for
    :math:`\alpha \ge 0.800`; "tentative" for :math:`0.667 \le \alpha < 0.800` (data fit only for tentative
    conclusions); "unreliable" below 0.667.

    ``nan`` is "undefined" on both scales. The benchmarks are conventions, not tests; Landis and Koch called
    theirs "clearly arbitrary".

    Parameters
    ----------
    value : float or array_like of float
        The agreement value, or one per row.
    scale : {"landis_koch", "krippendorff"}, default "landis_koch"
        The named scale.

    Returns
    -------
    str or numpy.ndarray of str
        A label for a single value, an array of labels (dtype object) for an array.

    References
    ----------
    .. [1] Landis, J. R., & Koch, G. G. (1977). The measurement of observer agreement for categorical data.
       Biometrics, 33(1), 159-174.
    .. [2] Krippendorff, K. (2004). Content Analysis: An Introduction to Its Methodology (2nd ed.). Sage.

    Examples
    --------
    >>> interpret(0.4)
    'fair'
    >>> interpret(0.72, scale="krippendorff")
    'tentative'
    >>> interpret([0.85, float("nan")], scale="krippendorff").tolist()
    ['reliable', 'undefined']
    """
    check_choice("scale", scale, SCALES, "'landis_koch' for kappa, 'krippendorff' for alpha")
    if np.ndim(value) == 0:
        return _label(float(value), scale)
    arr = np.asarray(value, dtype=float)
    finite = np.isfinite(arr)
    if scale == "krippendorff":
        conditions = [~finite, arr >= 0.800, arr >= 0.667]
        labels = ["undefined", "reliable", "tentative"]
        default = "unreliable"
    else:
        conditions = [~finite, arr < 0, arr <= 0.20, arr <= 0.40, arr <= 0.60, arr <= 0.80]
        labels = ["undefined", "poor", "slight", "fair", "moderate", "substantial"]
        default = "almost perfect"
    return np.select(conditions, np.asarray(labels, dtype=object), default=default).astype(object)
