"""One driver for the kappa family: check the data and options, compute through :mod:`._chance`, explain ``nan``.

Every public coefficient of :mod:`._kappa` and :mod:`._ac` and :func:`~npt_coder.agreement.analytic_se` goes
through :func:`compute`, so the missing-data convention, the declared categories and the weights are applied in
one place.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._chance import gwet_terms
from ._data import Ratings, prepare
from ._errors import AgreementInputError, undefined
from ._weights import category_values, weight_matrix

__all__ = ["NO_PAIRS", "compute", "label", "weights_for"]

NO_PAIRS = "no unit was rated by two or more coders, so there is no pair of ratings to compare"
_ENGINE = {"cohen_kappa": "conger_kappa", "scott_pi": "fleiss_kappa"}


def label(ratings: Ratings, k: int) -> str:
    """A category label for a message, shortened."""
    text = repr(ratings.labels[k])
    return text if len(text) <= 40 else text[:37] + "..."


def weights_for(ratings: Ratings, weights: Any) -> np.ndarray:
    """The q x q agreement weights for ``weights=`` over the categories of ``ratings``."""
    values = category_values(ratings.labels, given=ratings.declared)
    return weight_matrix(weights, ratings.labels, values)


def _why_pe_is_one(ratings: Ratings, identity: bool) -> str:
    used = np.unique(ratings.codes[ratings.codes >= 0])
    if used.size == 1:
        return f"every rating is in one category ({label(ratings, int(used[0]))}), so chance agreement p_e = 1"
    return "chance agreement p_e = 1" + ("" if identity else " with these weights")


def compute(name: str, reliability_data: Any, *, categories: Any = None, missing: str = "available",
            weights: Any = None, variance: bool = False, population: float = np.inf,
            stacklevel: int = 4) -> tuple[dict, Ratings]:
    """``(terms, ratings)`` for the statistic ``name``: terms as :func:`._chance.gwet_terms` returns them (floats),
    ``value`` set to ``nan`` with an :class:`~npt_coder.errors.UndefinedStatisticWarning` naming the reason."""
    ratings = prepare(reliability_data, categories=categories, missing=missing, stacklevel=stacklevel)
    statistic = _ENGINE.get(name, name)
    if name == "cohen_kappa" and ratings.n_coders != 2:
        raise AgreementInputError(
            f"cohen_kappa needs exactly two coders (columns); got {ratings.n_coders} (select two columns, or use "
            "conger_kappa, fleiss_kappa or krippendorff_alpha for three or more coders)."
        )
    if statistic == "conger_kappa" and ratings.n_coders < 2:
        raise AgreementInputError(f"{name} needs two or more coders (columns); got {ratings.n_coders} (put one "
                                  "coder per column).")
    w = weights_for(ratings, weights)
    identity = bool(np.array_equal(w, np.eye(ratings.q)))
    codes = ratings.codes
    terms = gwet_terms(codes, np.ones(codes.shape[0]), ratings.q, w, statistic, variance=variance,
                       identity=identity, population=population)
    terms = {k: (float(v) if np.ndim(v) == 0 else v) for k, v in terms.items()}
    terms["weights"] = w
    reason = None
    if not terms["n2"]:
        reason = "no unit was rated by both coders" if name == "cohen_kappa" else NO_PAIRS
    elif statistic == "conger_kappa" and (np.asarray(terms["coder_units"]) == 0).any():
        idle = int(np.flatnonzero(np.asarray(terms["coder_units"]) == 0)[0])
        reason = (f"the coder in column {idle} rated no unit, so that coder has no category distribution (drop the "
                  "column)")
    elif statistic in ("gwet_ac1", "brennan_prediger") and ratings.q < 2:
        only = label(ratings, 0) if ratings.q else "none"
        reason = (f"only one category ({only}) is known, so " + ("q - 1 = 0" if statistic == "gwet_ac1" else
                  "chance agreement 1/q = 1") + " (pass categories= with the full category set)")
    elif np.isnan(terms["pe"]):
        reason = _why_pe_is_one(ratings, identity)
    if reason is not None:
        terms["value"] = undefined(name, reason, stacklevel=stacklevel)
        terms["variance"] = float("nan")
    return terms, ratings
