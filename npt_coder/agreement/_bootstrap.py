"""Percentile bootstrap confidence intervals that resample units (or clusters of units, e.g. transcripts)."""

from __future__ import annotations

import functools
import warnings
from typing import Any, Callable

import numpy as np
import pandas as pd

from ..errors import UndefinedStatisticWarning
from ._ac import brennan_prediger, gwet_ac1, percent_agreement
from ._alpha import krippendorff_alpha
from ._counts import (
    brennan_prediger_from_counts,
    cohen_kappa_from_counts,
    gwet_ac1_from_counts,
    krippendorff_alpha_from_counts,
    percent_agreement_from_counts,
)
from ._data import as_matrix, check_choice
from ._errors import AgreementInputError
from ._kappa import cohen_kappa, conger_kappa, fleiss_kappa, scott_pi

__all__ = ["bootstrap_ci"]

KINDS = ("counts", "types", "matrix")
_COUNT_STATISTICS: dict[str, Callable[..., Any]] = {
    "percent_agreement": percent_agreement_from_counts,
    "cohen_kappa": cohen_kappa_from_counts,
    "krippendorff_alpha": krippendorff_alpha_from_counts,
    "gwet_ac1": gwet_ac1_from_counts,
    "brennan_prediger": brennan_prediger_from_counts,
}
_MATRIX_STATISTICS: dict[str, Callable[..., Any]] = {
    "percent_agreement": percent_agreement,
    "cohen_kappa": cohen_kappa,
    "conger_kappa": conger_kappa,
    "scott_pi": scott_pi,
    "fleiss_kappa": fleiss_kappa,
    "krippendorff_alpha": krippendorff_alpha,
    "gwet_ac1": gwet_ac1,
    "brennan_prediger": brennan_prediger,
}
_CELLS_PER_CHUNK = 500_000  # resamples x groups drawn at once: 2 MB of int32 indices, cache-friendly
_MAX_PATTERNS = 64  # up to this many distinct unit patterns, draw a multinomial over patterns instead


def _statistic(statistic: Any, kind: str) -> Callable[..., Any]:
    table = _MATRIX_STATISTICS if kind == "matrix" else _COUNT_STATISTICS
    if isinstance(statistic, str):
        if statistic not in table:
            names = ", ".join(repr(k) for k in table)
            raise AgreementInputError(
                f"statistic must be a callable or one of {names} for kind={kind!r}; got {statistic!r} (or pass "
                "your own function)."
            )
        f = table[statistic]
        return functools.partial(f, warn=False) if kind != "matrix" else f
    if not callable(statistic):
        raise AgreementInputError(f"statistic must be a callable or a statistic name; got {statistic!r} "
                                  "(e.g. statistic='cohen_kappa').")
    return statistic


def _as_counts(data: Any) -> np.ndarray:
    c = np.asarray(data)
    if c.ndim == 0 or c.shape[-1] != 4:
        raise AgreementInputError(
            f"kind='counts' needs unit-type counts with a last axis of length 4 (both, only_a, only_b, neither); "
            f"got shape {c.shape} (use type_counts, or kind='types' for per-unit type codes)."
        )
    if c.dtype.kind not in "iuf" or not np.isfinite(c).all() or (c < 0).any() or (c != np.round(c)).any():
        raise AgreementInputError("kind='counts' needs non-negative whole numbers of units; got other values "
                                  "(counts are numbers of units of each type).")
    return c.astype(np.int64)


def _as_types(data: Any) -> np.ndarray:
    t = np.asarray(data)
    if t.ndim == 0 or t.shape[0] == 0:
        raise AgreementInputError(f"kind='types' needs one type code per unit (axis 0); got shape {t.shape} "
                                  "(see unit_types).")
    if t.dtype.kind not in "iu" or (t < 0).any() or (t > 3).any():
        raise AgreementInputError("kind='types' needs type codes 0-3 (0 both, 1 only A, 2 only B, 3 neither); "
                                  "got other values (build them with unit_types).")
    return t


def _cluster_ids(clusters: Any, n_units: int) -> tuple[np.ndarray, int]:
    ids = np.asarray(clusters, dtype=object) if not isinstance(clusters, np.ndarray) else clusters
    if ids.ndim != 1 or ids.shape[0] != n_units:
        raise AgreementInputError(f"clusters must give one cluster id per unit ({n_units}); got shape {ids.shape} "
                                  "(e.g. the transcript_id of each unit).")
    codes, uniques = pd.factorize(ids)
    if (codes < 0).any():
        raise AgreementInputError("clusters must not contain missing ids; got None/NaN (give every unit the id "
                                  "of its cluster, e.g. its transcript_id).")
    return codes, len(uniques)


def _draw_weights(rng: np.random.Generator, n_groups: int, n_rows: int) -> np.ndarray:
    """How often each of ``n_groups`` groups is drawn in each of ``n_rows`` resamples of ``n_groups`` draws."""
    dtype = np.int32 if n_rows * n_groups < 2**31 else np.int64
    idx = rng.integers(0, n_groups, size=(n_rows, n_groups), dtype=dtype)
    idx += (np.arange(n_rows, dtype=dtype) * n_groups)[:, None]
    return np.bincount(idx.ravel(), minlength=n_rows * n_groups).reshape(n_rows, n_groups)


def _resample_types(types: np.ndarray, clusters: Any, n_resamples: int, rng: np.random.Generator) -> np.ndarray:
    n_units = types.shape[0]
    flat = types.reshape(n_units, -1).astype(np.int64)
    k = flat.shape[1]
    if clusters is None and k <= 31:  # a unit's pattern over all codes as one base-4 number
        pattern_id = flat @ (4 ** np.arange(k, dtype=np.int64))
        inverse, first = pd.factorize(pattern_id)
        if first.size <= _MAX_PATTERNS:
            patterns = flat[np.unique(inverse, return_index=True)[1]]
            size = np.bincount(inverse, minlength=patterns.shape[0])
            weights = rng.multinomial(n_units, size / n_units, size=n_resamples)
            base = np.zeros((patterns.shape[0], 4 * k))
            base[np.arange(patterns.shape[0])[:, None], np.arange(k) * 4 + patterns] = 1.0
            counts = weights @ base
            return np.rint(counts).astype(np.int64).reshape(n_resamples, *types.shape[1:], 4)
    if clusters is None:
        group, n_groups = np.arange(n_units), n_units
    else:
        group, n_groups = _cluster_ids(clusters, n_units)
    index = group[:, None] * (4 * k) + np.arange(k) * 4 + flat
    base = np.bincount(index.ravel(), minlength=n_groups * 4 * k).reshape(n_groups, 4 * k)
    # float32 products are exact while every sum stays below 2**24; otherwise use float64
    dtype = np.float32 if n_groups * int(base.max(initial=0)) < 2**24 else np.float64
    base = base.astype(dtype)
    out = np.empty((n_resamples, 4 * k))
    step = max(1, _CELLS_PER_CHUNK // n_groups)
    for start in range(0, n_resamples, step):
        rows = min(step, n_resamples - start)
        out[start:start + rows] = _draw_weights(rng, n_groups, rows).astype(dtype) @ base
    return np.rint(out).astype(np.int64).reshape(n_resamples, *types.shape[1:], 4)


def _resample_rows(data: Any, clusters: Any, n_resamples: int, rng: np.random.Generator,
                   statistic: Callable[..., Any]) -> np.ndarray:
    frame = data if isinstance(data, pd.DataFrame) else None
    arr = None if frame is not None else as_matrix(data)
    n_units = frame.shape[0] if frame is not None else arr.shape[0]
    if n_units == 0:
        raise AgreementInputError("kind='matrix' needs at least one unit (row) to resample; got none.")
    if clusters is not None:
        group, n_groups = _cluster_ids(clusters, n_units)
        order = np.argsort(group, kind="stable")
        sizes = np.bincount(group, minlength=n_groups)
        starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    results = []
    for _ in range(n_resamples):
        if clusters is None:
            rows = rng.integers(0, n_units, size=n_units)
        else:
            drawn = rng.integers(0, n_groups, size=n_groups)
            lengths = sizes[drawn]
            offsets = np.repeat(starts[drawn] - (np.cumsum(lengths) - lengths), lengths)
            rows = order[offsets + np.arange(lengths.sum())]
        results.append(statistic(frame.iloc[rows] if frame is not None else arr[rows]))
    return np.asarray(results, dtype=float)


def bootstrap_ci(
    data: Any,
    statistic: str | Callable[..., Any],
    *,
    kind: str = "counts",
    clusters: Any = None,
    n_resamples: int = 1000,
    confidence: float = 0.95,
    seed: int | np.random.Generator | None = None,
    warn: bool = True,
) -> tuple[float, float] | tuple[np.ndarray, np.ndarray]:
    r"""Percentile bootstrap confidence interval for an agreement statistic, resampling units or clusters.

    Each resample draws as many units as there are, with replacement (or as many clusters as there are, each
    bringing all its units, when ``clusters`` is given), recomputes the statistic, and the interval is the
    :math:`(1 - c)/2` and :math:`(1 + c)/2` quantiles of the resampled values [1]_. Resamples where the
    statistic is undefined (``nan``) are left out; the interval is ``nan`` if all are.

    Parameters
    ----------
    data : array_like or pandas.DataFrame
        Depends on ``kind``:

        ``"counts"``
            Unit-type counts ``(both, only_a, only_b, neither)`` on the last axis, e.g. shape ``(4,)`` for
            one code or ``(24, 4)`` for a codebook (see :func:`type_counts`). Units are resampled by drawing
            the counts from a multinomial, each row on its own: exact for a per-code interval, and the fastest
            path.
        ``"types"``
            Per-unit type codes 0-3 (see :func:`unit_types`), shape ``(n_units,)`` or ``(n_units, n_codes)``.
            Units (or clusters) are drawn once per resample for all codes together, so statistics computed
            across codes (e.g. pooled) keep their dependence.
        ``"matrix"``
            A reliability matrix (rows = units, columns = coders; see :func:`krippendorff_alpha`); rows (or
            clusters of rows) are drawn and the statistic is computed on each resampled matrix.
    statistic : str or callable
        A statistic name (``"percent_agreement"``, ``"cohen_kappa"``, ``"krippendorff_alpha"``, ``"gwet_ac1"``,
        ``"brennan_prediger"``, and for ``kind="matrix"`` also ``"conger_kappa"``, ``"scott_pi"`` and
        ``"fleiss_kappa"``) or a function. For ``"counts"`` and ``"types"`` a function gets counts of shape
        ``(n_resamples, ..., 4)`` and must return shape ``(n_resamples, ...)``, like the ``*_from_counts``
        functions; for ``"matrix"`` it gets one resampled matrix (a DataFrame when ``data`` is one, else a numpy
        array) and returns a float, e.g. ``functools.partial(krippendorff_alpha, level="ordinal")``. To get several
        statistics from the same resamples, return them stacked on a last axis, e.g. ``lambda c:
        np.stack([cohen_kappa_from_counts(c, warn=False), gwet_ac1_from_counts(c, warn=False)], -1)``.
    kind : {"counts", "types", "matrix"}, default "counts"
        What ``data`` holds (see above).
    clusters : array_like, optional
        One cluster id per unit (e.g. the transcript of each segment) for ``kind="types"`` or ``"matrix"``:
        clusters are resampled instead of units (cluster bootstrap), which keeps the dependence between units
        of one transcript.
    n_resamples : int, default 1000
        Number of bootstrap resamples.
    confidence : float, default 0.95
        Confidence level, strictly between 0 and 1.
    seed : int or numpy.random.Generator, optional
        Seed for reproducible intervals.
    warn : bool, default True
        Emit one :class:`~npt_coder.errors.UndefinedStatisticWarning` when some resamples were undefined.

    Returns
    -------
    (low, high) : tuple of float, or tuple of numpy.ndarray
        Floats when the statistic is a single number per resample, arrays of the statistic's shape otherwise
        (e.g. one interval per code).

    References
    ----------
    .. [1] Efron, B., & Tibshirani, R. J. (1993). An Introduction to the Bootstrap. Chapman & Hall.

    Examples
    --------
    >>> low, high = bootstrap_ci([20, 5, 10, 15], "cohen_kappa", seed=1)
    >>> bool(low < 0.4 < high)
    True
    >>> low, high = bootstrap_ci([[20, 5, 10, 15], [40, 2, 3, 5]], "gwet_ac1", seed=1)
    >>> low.shape
    (2,)
    """
    check_choice("kind", kind, KINDS, "'counts' for (both, only_a, only_b, neither) counts")
    if isinstance(n_resamples, bool) or not isinstance(n_resamples, (int, np.integer)) or n_resamples < 1:
        raise AgreementInputError(f"n_resamples must be a positive whole number; got {n_resamples!r} "
                                  "(e.g. n_resamples=1000).")
    if isinstance(confidence, bool) or not isinstance(confidence, (float, int)) or not 0 < confidence < 1:
        raise AgreementInputError(f"confidence must be strictly between 0 and 1; got {confidence!r} "
                                  "(e.g. confidence=0.95).")
    if clusters is not None and kind == "counts":
        raise AgreementInputError("clusters need unit-level data; got kind='counts' (pass per-unit type codes with "
                                  "kind='types', or the reliability matrix with kind='matrix').")
    f = _statistic(statistic, kind)
    rng = np.random.default_rng(seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedStatisticWarning)
        if kind == "matrix":
            values = _resample_rows(data, clusters, int(n_resamples), rng, f)
        else:
            if kind == "counts":
                counts = _as_counts(data)
                n = counts.sum(axis=-1)
                p = np.where(n[..., None] > 0, counts / np.maximum(n, 1)[..., None], 0.25)
                draws = rng.multinomial(n, p, size=(int(n_resamples),) + n.shape)
            else:
                draws = _resample_types(_as_types(data), clusters, int(n_resamples), rng)
            values = np.asarray(f(draws), dtype=float)
            if values.shape[:1] != (n_resamples,):
                raise AgreementInputError(
                    f"statistic must return one value per resample (leading axis {n_resamples}); got shape "
                    f"{values.shape} (use a vectorised function such as cohen_kappa_from_counts)."
                )
    return _percentile(values, float(confidence), warn)


def _percentile(values: np.ndarray, confidence: float, warn: bool):
    q = [(1.0 - confidence) / 2.0, (1.0 + confidence) / 2.0]
    undefined = np.isnan(values)
    if not undefined.any():
        low, high = np.quantile(values, q, axis=0)
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # all-nan slices give nan, which is what we want
            low, high = np.nanquantile(values, q, axis=0)
        if warn:
            per_output = undefined.reshape(values.shape[0], -1)
            n_out = per_output.shape[1]
            hit = int(np.count_nonzero(per_output.any(axis=0)))
            worst = int(per_output.sum(axis=0).max())
            where = f" for {hit} of {n_out} outputs" if n_out > 1 else ""
            warnings.warn(
                f"bootstrap_ci: the statistic was undefined in up to {worst} of {values.shape[0]} resamples{where}; "
                "those resamples are left out of the interval (nan where all were undefined).",
                UndefinedStatisticWarning, stacklevel=3,
            )
    if np.ndim(low) == 0:
        return float(low), float(high)
    return np.asarray(low), np.asarray(high)
