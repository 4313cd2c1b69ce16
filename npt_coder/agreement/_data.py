"""Reliability data to integer category codes: the one place where input is checked and missing data are handled.

Every statistic starts from a *reliability matrix*: rows = units, columns = coders, one value per cell, and
``None``/``NaN``/``pd.NA``/``NaT`` where that coder did not rate that unit. :func:`prepare` turns it into a
:class:`Ratings` object holding an integer matrix of category codes (``-1`` = not rated), the category labels
and, for numeric levels, the value of each category. Categories are found with :func:`pandas.factorize`
(hashing, so ``1``, ``1.0`` and ``True`` are one category, as in a Python ``set``); nothing loops over units.
"""

from __future__ import annotations

import numbers
import warnings
from dataclasses import dataclass
from typing import Any, Literal, Sequence

import numpy as np
import pandas as pd

from .._words import noun
from ._errors import AgreementInputError

__all__ = ["LEVELS", "MISSING_POLICIES", "Level", "Missing", "Ratings", "prepare"]

Level = Literal["nominal", "ordinal", "interval", "ratio"]
Missing = Literal["available", "listwise"]
LEVELS: tuple[str, ...] = ("nominal", "ordinal", "interval", "ratio")
MISSING_POLICIES: tuple[str, ...] = ("available", "listwise")
"""The ``missing=`` policies: ``"available"`` (Gwet, 2014; the default) and ``"listwise"`` (complete units only)."""
_DEPRECATED_MISSING = "pairable"


@dataclass(frozen=True)
class Ratings:
    """Reliability data as category codes, after the missing-data policy has dropped units.

    ``codes`` has one row per unit that at least one coder rated (all units are complete under
    ``missing="listwise"``) and one column per coder; ``-1`` means not rated; ``n_rated`` is the number of
    coders who rated each unit (:math:`m_u`). ``labels[k]`` is the category
    with code ``k``; ``values[k]`` its number for the ordinal/interval/ratio levels (``None`` otherwise);
    ``declared`` says whether the categories came from ``categories=`` (their order is then the rank order).
    """

    codes: np.ndarray
    n_rated: np.ndarray
    labels: tuple[Any, ...]
    values: np.ndarray | None
    n_coders: int
    missing: str
    declared: bool = False

    @property
    def q(self) -> int:
        """Number of categories: ``len(categories)`` when given, else the number of distinct values observed."""
        return len(self.labels)


def check_choice(name: str, value: object, choices: Sequence[str], hint: str) -> None:
    """Raise :class:`AgreementInputError` unless ``value`` is one of ``choices``."""
    if not isinstance(value, str) or value not in choices:
        allowed = ", ".join(repr(c) for c in choices)
        raise AgreementInputError(f"{name} must be one of {allowed}; got {value!r} ({hint}).")


def as_matrix(data: Any) -> np.ndarray:
    """Return reliability data as a 2-D numpy array (float for numeric tables, object otherwise)."""
    if isinstance(data, pd.DataFrame):
        numeric = all(pd.api.types.is_numeric_dtype(t) and not pd.api.types.is_bool_dtype(t) for t in data.dtypes)
        arr = data.to_numpy(dtype=float, na_value=np.nan) if numeric and data.shape[1] else data.to_numpy(dtype=object)
    elif isinstance(data, np.ndarray):
        arr = data
        if arr.dtype.kind in "US":  # numpy turns nan into the string 'nan' in a str array: treat it as missing
            obj = arr.astype(object)
            obj[arr == arr.dtype.type("nan")] = None
            arr = obj
    elif isinstance(data, (pd.Series, pd.Index)):
        arr = data.to_numpy()
    else:
        try:
            arr = np.array(data, dtype=object)
        except ValueError as err:
            raise AgreementInputError(
                f"reliability data must be a rectangular table (rows = units, columns = coders); "
                f"could not read it as one ({err}) (give every unit the same number of cells, None where a "
                f"coder did not rate it)."
            ) from None
        if arr.ndim == 1 and arr.size and all(isinstance(row, (list, tuple, np.ndarray)) for row in arr):
            raise AgreementInputError(
                "reliability data must be a rectangular table (rows = units, columns = coders); its rows have "
                f"different lengths {sorted({len(row) for row in arr})} (give every unit one cell per coder, "
                "None where a coder did not rate it)."
            )
    if arr.ndim != 2:
        raise AgreementInputError(
            f"reliability data must be 2-D (rows = units, columns = coders); got {arr.ndim}-D data of shape "
            f"{arr.shape} (put one coder per column, e.g. np.column_stack([coder_a, coder_b]))."
        )
    return arr


def _factorize(arr: np.ndarray) -> tuple[np.ndarray, list[Any]]:
    flat = arr.ravel()
    try:
        try:
            codes, uniques = pd.factorize(flat, sort=True)
        except TypeError:  # values of types that cannot be ordered against each other: keep first-seen order
            codes, uniques = pd.factorize(flat, sort=False)
    except TypeError as err:
        raise AgreementInputError(
            f"reliability data values must be hashable category labels or numbers; {err} (give each cell one "
            "value, e.g. a code id string, not a list)."
        ) from None
    labels = uniques.tolist() if isinstance(uniques, np.ndarray) else list(uniques)
    return codes.astype(np.intp, copy=False).reshape(arr.shape), labels


def _short(values: Sequence[Any], limit: int = 3) -> str:
    shown = ", ".join(repr(v) for v in list(values)[:limit])
    return shown + (f" and {len(values) - limit} more" if len(values) > limit else "")


def _is_number(x: Any) -> bool:
    return isinstance(x, numbers.Real) and not isinstance(x, (bool, np.bool_))


def _numeric_values(labels: Sequence[Any], level: str, *, given: bool) -> np.ndarray:
    bad = [x for x in labels if not _is_number(x)]
    if bad and level == "ordinal":
        raise AgreementInputError(
            f"level='ordinal' needs an order; the data hold the non-numeric {noun(len(bad), 'value')} {_short(bad)} "
            f"(pass "
            "categories= in rank order, e.g. categories=('low', 'mid', 'high'))."
        )
    if bad:
        where = "categories hold" if given else "the data hold"
        raise AgreementInputError(
            f"level={level!r} needs numbers; {where} the non-numeric {noun(len(bad), 'value')} {_short(bad)} (use "
            "level='ordinal' with categories= in rank order, or level='nominal')."
        )
    values = np.asarray([float(x) for x in labels], dtype=float)
    if not np.isfinite(values).all():
        raise AgreementInputError(
            f"level={level!r} needs finite numbers; got {_short(values[~np.isfinite(values)].tolist())} "
            "(recode infinite values or mark them as missing)."
        )
    if level == "ratio" and (values < 0).any():
        raise AgreementInputError(
            f"level='ratio' needs values >= 0 (a ratio scale has an absolute zero); got "
            f"{_short(values[values < 0].tolist())} (use level='interval' for values that can be negative)."
        )
    return values


def _category_labels(categories: Any) -> list[Any]:
    if isinstance(categories, (str, bytes)) or not isinstance(categories, (Sequence, np.ndarray, pd.Index, set,
                                                                            frozenset, pd.Series)):
        raise AgreementInputError(
            f"categories must be a sequence of category labels; got {categories!r} (e.g. "
            "categories=('present', 'absent'))."
        )
    if isinstance(categories, (set, frozenset)):
        raise AgreementInputError(
            "categories must be an ordered sequence (a list or tuple), not a set (e.g. "
            "categories=('present', 'absent'); for level='ordinal' give them in rank order)."
        )
    cats = list(categories.tolist() if isinstance(categories, (np.ndarray, pd.Index, pd.Series)) else categories)
    if not cats:
        raise AgreementInputError("categories must hold at least one label; got an empty sequence "
                                  "(leave categories=None to use the values observed).")
    for c in cats:
        try:
            missing = bool(pd.isna(c))
        except (TypeError, ValueError):
            missing = False
        if missing:
            raise AgreementInputError(
                f"categories cannot contain a missing value; got {c!r} in {_short(cats, 6)} (missing ratings are "
                "None/NaN in the data, not a category)."
            )
    index = pd.Index(cats, dtype=object)
    if not index.is_unique:
        dup = index[index.duplicated()].tolist()
        raise AgreementInputError(f"categories must be distinct; {_short(dup)} {noun(len(dup), 'appears', 'appear')} "
                                  f"more than once "
                                  "(list each category once).")
    return cats


def prepare(
    data: Any,
    *,
    categories: Sequence[Any] | None = None,
    missing: str = "available",
    level: str = "nominal",
    stacklevel: int = 3,
) -> Ratings:
    """Check reliability data and options and return them as :class:`Ratings`.

    ``level`` decides whether numbers are needed (interval, ratio; ordinal unless ``categories`` gives the
    rank order). The category set is ``categories`` when given (its order is the rank order for ordinal data),
    otherwise every distinct value observed anywhere in the data, before any unit is dropped.

    ``missing="pairable"`` (the default before 0.2) is still accepted until 0.3, with a
    :class:`DeprecationWarning`: it drops the units only one coder rated before anything is computed, which no
    published source does for the kappa family (Krippendorff's alpha leaves them out by definition, so it is
    the same there under every policy).
    """
    if missing == _DEPRECATED_MISSING:
        warnings.warn("missing='pairable' is deprecated since npt-coder 0.2 and goes in 0.3: it leaves units rated "
                      "by one coder out of the chance agreement too, which no published source does; the default "
                      "missing='available' follows Gwet (2014), missing='listwise' keeps complete units only",
                      DeprecationWarning, stacklevel=stacklevel)
    else:
        check_choice("missing", missing, MISSING_POLICIES,
                     "'available' uses every rating, as Gwet (2014) and irrCAC do")
    arr = as_matrix(data)
    n_coders = arr.shape[1]
    codes, observed = _factorize(arr)
    if categories is not None:
        cats = _category_labels(categories)
        position = pd.Index(cats, dtype=object).get_indexer(pd.Index(observed, dtype=object))
        if (position < 0).any():
            absent = [u for u, p in zip(observed, position) if p < 0]
            raise AgreementInputError(
                f"categories must cover every value in the data; {_short(absent)} "
                f"{'is' if len(absent) == 1 else 'are'} not among {_short(cats, 6)} (add {noun(len(absent), 'this')} "
                f"{noun(len(absent), 'value')} to "
                f"categories, or recode or blank {noun(len(absent), 'it', 'them')} in the data)."
            )
        codes = np.where(codes >= 0, position[codes], -1)
        labels = cats
    else:
        labels = observed
    values = None
    if level in ("interval", "ratio") or (level == "ordinal" and categories is None):
        values = _numeric_values(labels, level, given=categories is not None)
    elif level == "ordinal":
        values = np.arange(len(labels), dtype=float)
    q = len(labels)
    small = np.int16 if q < 2**15 - 2 else np.int32 if q < 2**31 - 2 else np.int64
    codes = codes.astype(small, copy=False)
    m = count_rated(codes)
    keep = m == n_coders if missing == "listwise" else m > 1 if missing == _DEPRECATED_MISSING else m > 0
    if not keep.all():
        codes, m = codes[keep], m[keep]
    return Ratings(codes=codes, n_rated=m, labels=tuple(labels), values=values, n_coders=n_coders, missing=missing,
                   declared=categories is not None)


def count_rated(codes: np.ndarray) -> np.ndarray:
    """Number of coders who rated each unit (a sum over the coder columns: fast for few coders)."""
    n_coders = codes.shape[1]
    if n_coders > 32:
        return np.count_nonzero(codes >= 0, axis=1)
    m = np.zeros(codes.shape[0], dtype=np.int64)
    for j in range(n_coders):
        m += codes[:, j] >= 0
    return m


def agreeing_pairs(codes: np.ndarray) -> np.ndarray:
    r"""Ordered agreeing pairs per unit, :math:`\sum_c n_{uc}(n_{uc}-1)`, without a units x categories table.

    Sorting each row puts equal codes next to each other; the ``j``-th member of a run of equal codes agrees
    with the ``j`` members before it, so a run of length ``r`` gives :math:`r(r-1)/2` unordered pairs.
    """
    n_units, n_coders = codes.shape
    if n_coders <= 8:  # at most 28 coder pairs: compare column pairs directly
        pairs = np.zeros(n_units, dtype=np.int64)
        for i in range(n_coders - 1):
            rated = codes[:, i] >= 0
            for j in range(i + 1, n_coders):
                pairs += (codes[:, i] == codes[:, j]) & rated
        return 2 * pairs
    s = np.sort(codes, axis=1)
    pos = np.arange(n_coders)
    same = np.zeros(s.shape, dtype=bool)
    same[:, 1:] = s[:, 1:] == s[:, :-1]
    start = np.maximum.accumulate(np.where(same, 0, pos), axis=1)
    within = np.where(s >= 0, pos - start, 0)
    return 2 * within.sum(axis=1, dtype=np.int64)


def category_shares(codes: np.ndarray, n_rated: np.ndarray, q: int) -> np.ndarray:
    r"""Mean over units of each category's share of the unit's ratings, :math:`\pi_c = \frac1n\sum_u n_{uc}/m_u`."""
    if codes.shape[0] == 0:
        return np.zeros(q)
    weights = np.repeat(1.0 / n_rated, codes.shape[1])  # row-major, like codes.ravel(); -1 goes to bin 0
    return np.bincount(codes.ravel() + 1, weights=weights, minlength=q + 1)[1:] / codes.shape[0]
