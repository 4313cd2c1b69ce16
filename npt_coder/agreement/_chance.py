r"""Gwet's (2014) agreement coefficients and their variance, computed from one set of per-unit quantities.

Every coefficient here is :math:`(p_a - p_e) / (1 - p_e)` with Gwet's weighted percent agreement

.. math:: p_a = \frac{1}{n_2} \sum_{u:\, r_u \ge 2} \frac{\sum_k n_{uk} (n^\star_{uk} - 1)}{r_u (r_u - 1)},
          \qquad n^\star_{uk} = \sum_l w_{kl}\, n_{ul}

over the :math:`n_2` units rated by two or more coders, and a chance agreement :math:`p_e` that each coefficient
estimates its own way from the category propensities :math:`\pi_k = \frac1n \sum_u n_{uk} / r_u` over the
:math:`n` units rated by at least one coder (or, for Conger's kappa, from each coder's own distribution).

The variance is Gwet's linearisation *conditional on the sample of units* (the one irrCAC reports):

.. math:: v = \frac{1 - f}{n (n - 1)} \sum_u (\kappa^\star_u - \kappa)^2, \qquad
          \kappa^\star_u = \kappa_u - 2 (1 - \kappa) \frac{p_{e|u} - p_e}{1 - p_e}, \qquad
          \kappa_u = \frac{n}{n_2} \frac{p_{a|u} - p_e [r_u \ge 2]}{1 - p_e}

with :math:`f = n / N` the sampling fraction (0 for an infinite population of units) and :math:`p_{e|u}` each
unit's share of the chance agreement (none for percent agreement and Brennan-Prediger, whose :math:`p_e` does not
depend on the data). Krippendorff's alpha has its own, over pairable units (:func:`alpha_terms`).

A *unit* here is a row of ``codes`` with a frequency: raw data have one unit per row (frequency 1); the study
tables pass the four two-coder presence patterns (both, only A, only B, neither) with their counts, for many codes
and resamples at once (frequencies of shape ``(..., P)``), and get exactly the raw-data numbers.
"""

from __future__ import annotations

import numpy as np

from ._data import agreeing_pairs, count_rated

__all__ = ["KAPPA_FAMILY", "alpha_terms", "gwet_terms"]

KAPPA_FAMILY = ("percent_agreement", "brennan_prediger", "gwet_ac1", "fleiss_kappa", "conger_kappa")


def _pairs(codes: np.ndarray, w: np.ndarray, identity: bool) -> np.ndarray:
    r"""Weighted agreeing ordered pairs per unit, :math:`\sum_{j \ne j'} w_{c_j c_{j'}}` over coders who rated it."""
    if identity:
        return agreeing_pairs(codes).astype(float)
    out = np.zeros(codes.shape[0])
    n_coders = codes.shape[1]
    for i in range(n_coders - 1):
        a = codes[:, i]
        for j in range(i + 1, n_coders):
            b = codes[:, j]
            both = (a >= 0) & (b >= 0)
            ai, bi = np.where(both, a, 0), np.where(both, b, 0)
            out += np.where(both, w[ai, bi] + w[bi, ai], 0.0)
    return out


def _gather(codes: np.ndarray, v: np.ndarray) -> np.ndarray:
    r""":math:`\sum_k n_{uk} v_k` per unit, for ``v`` of shape ``(..., q)``: a sum over the coders' ratings."""
    out = np.zeros(v.shape[:-1] + (codes.shape[0],))
    for j in range(codes.shape[1]):
        c = codes[:, j]
        out += np.where(c >= 0, v[..., np.maximum(c, 0)], 0.0)
    return out


def _category_sums(codes: np.ndarray, x: np.ndarray, q: int) -> np.ndarray:
    r""":math:`\sum_u x_u n_{uk}` per category, for ``x`` of shape ``(..., P)``."""
    if x.ndim == 1:
        weights = np.repeat(x, codes.shape[1])  # row-major, like codes.ravel(); -1 goes to bin 0
        return np.bincount(codes.ravel().astype(np.int64) + 1, weights=weights, minlength=q + 1)[1:]
    table = np.zeros((codes.shape[0], q))
    for j in range(codes.shape[1]):
        c = codes[:, j]
        rated = np.flatnonzero(c >= 0)
        np.add.at(table, (rated, c[rated]), 1.0)
    return x @ table


def _coder_shares(codes: np.ndarray, freq: np.ndarray, q: int) -> tuple[np.ndarray, np.ndarray]:
    """Each coder's units rated (..., R) and distribution over the categories (..., R, q)."""
    rated_n, shares = [], []
    for j in range(codes.shape[1]):
        col = codes[:, [j]]
        ng = (freq * (col[:, 0] >= 0)).sum(-1)
        with np.errstate(divide="ignore", invalid="ignore"):
            shares.append(_category_sums(col, freq, q) / ng[..., None])
        rated_n.append(ng)
    return np.stack(rated_n, -1), np.stack(shares, -2)


def _conger(codes, freq, w, n, q):
    """Conger's chance agreement and each unit's share of it (Gwet, 2014; irrCAC's ``conger``)."""
    n_coders = codes.shape[1]
    ng, p = _coder_shares(codes, freq, q)  # (..., R), (..., R, q)
    mean = p.mean(-2)
    outer = mean[..., :, None] * mean[..., None, :]
    s2 = (np.einsum("...gk,...gl->...kl", p, p) - n_coders * outer) / (n_coders - 1)
    pe = np.einsum("kl,...kl->...", w, outer - s2 / n_coders)
    a = n_coders * mean[..., None, :] - p  # (..., R, q)
    t1 = a @ w  # (..., R, q): (W^T a_g)_c
    t2 = np.einsum("...gk,kl,...gl->...g", a, w, p)
    pe_u = np.zeros(freq.shape[:-1] + (codes.shape[0],))
    with np.errstate(divide="ignore", invalid="ignore"):
        for g in range(n_coders):
            c = codes[:, g]
            eps = (c >= 0).astype(float)
            term = eps * t1[..., g, :][..., np.maximum(c, 0)] - (eps - (ng[..., g] / n)[..., None]) * t2[..., g, None]
            pe_u += (n / ng[..., g])[..., None] * term
    return pe, pe_u / (n_coders * (n_coders - 1)), ng


def gwet_terms(codes: np.ndarray, freq: np.ndarray, q: int, w: np.ndarray, statistic: str, *,
               variance: bool = False, identity: bool | None = None, population: float = np.inf) -> dict:
    """Coefficient, :math:`p_a`, :math:`p_e` and (with ``variance``) Gwet's variance, for ``statistic``.

    ``codes`` (P, R) category codes (-1 = not rated), ``freq`` (..., P) unit frequencies, ``w`` (q, q) agreement
    weights. Returns arrays of shape ``freq.shape[:-1]`` under keys ``value``, ``pa``, ``pe``, ``n``, ``n2``,
    ``variance`` (nan when not asked) and, for Conger's kappa, ``coder_units`` (units each coder rated).
    Undefined values are ``nan``; the callers explain why.
    """
    freq = np.asarray(freq, dtype=float)
    if identity is None:
        identity = bool(np.array_equal(w, np.eye(q)))
    r_u = count_rated(codes).astype(float)
    rated = r_u >= 1
    two = r_u >= 2
    n = (freq * rated).sum(-1)
    n2 = (freq * two).sum(-1)
    s_u = _pairs(codes, w, identity)
    with np.errstate(divide="ignore", invalid="ignore"):
        pa_u = np.where(two, s_u / (r_u * (r_u - 1.0)), 0.0)
        pa = (freq * pa_u).sum(-1) / n2
        total_w = float(w.sum())
        pe_u = None
        out: dict = {}
        if statistic == "percent_agreement":
            pe = np.zeros(n.shape)
        elif statistic == "brennan_prediger":
            pe = np.full(n.shape, total_w / q ** 2 if q >= 2 else np.nan)
        elif statistic in ("gwet_ac1", "fleiss_kappa"):
            inv_r = np.where(rated, 1.0 / np.maximum(r_u, 1.0), 0.0)
            pi = _category_sums(codes, freq * inv_r, q) / n[..., None]
            if statistic == "gwet_ac1":
                scale = total_w / (q * (q - 1.0)) if q >= 2 else np.nan
                pe = scale * (pi * (1.0 - pi)).sum(-1)
                if variance:
                    pe_u = scale * _gather(codes, 1.0 - pi) * inv_r
            else:
                pe = np.einsum("...k,kl,...l->...", pi, w, pi)
                if variance:
                    pi_w = (pi @ w.T + pi @ w) / 2.0
                    pe_u = _gather(codes, pi_w) * inv_r
        elif statistic == "conger_kappa":
            pe, pe_c, out["coder_units"] = _conger(codes, freq, w, n, q)
            pe_u = pe_c if variance else None
        else:
            raise ValueError(f"unknown statistic {statistic!r}")
        pe = np.where(1.0 - pe < 1e-12, np.nan, pe)  # p_e = 1: the coefficient is 0/0
        value = (pa - pe) / (1.0 - pe)
        var = np.full(n.shape, np.nan)
        if variance:
            k_u = (n / n2)[..., None] * (pa_u - pe[..., None] * two) / (1.0 - pe)[..., None]
            if pe_u is not None:
                k_u = k_u - 2.0 * (1.0 - value)[..., None] * (pe_u - pe[..., None]) / (1.0 - pe)[..., None]
            fpc = 1.0 - n / population
            var = fpc / (n * (n - 1.0)) * (freq * rated * (k_u - value[..., None]) ** 2).sum(-1)
            var = np.where(n >= 2, var, np.nan)
    out.update(value=value, pa=pa, pe=pe, n=n, n2=n2, variance=var)
    return out


def alpha_terms(codes: np.ndarray, freq: np.ndarray, q: int, w: np.ndarray, *, variance: bool = False,
                identity: bool | None = None, population: float = np.inf) -> dict:
    r"""Krippendorff's alpha in Gwet's (2014) notation, with his variance, over the pairable units.

    With :math:`r_u \ge 2` ratings per unit, :math:`\bar r` their mean and :math:`\varepsilon = 1/\sum_u r_u`:
    :math:`p'_a = \frac1n\sum_u \frac{\sum_k n_{uk}(n^\star_{uk}-1)}{\bar r (r_u-1)}`,
    :math:`p_a = (1-\varepsilon)p'_a + \varepsilon`, :math:`\pi_k = \frac1n\sum_u n_{uk}/\bar r`,
    :math:`p_e = \sum_{kl} w_{kl}\pi_k\pi_l`, and :math:`\alpha = (p_a - p_e)/(1 - p_e)`, which is
    Krippendorff's :math:`1 - D_o/D_e` with :math:`\delta_{kl} = 1 - w_{kl}`. The variance is the one Gwet's R
    package ``krippen.alpha.raw`` computes (the Python port irrCAC 0.4.4 puts :math:`p_a` where the R code has
    :math:`p'_a` in each unit's term, which differs in the fourth decimal when units have different numbers of
    ratings). Same keys as :func:`gwet_terms`, ``n`` counting the pairable units.
    """
    freq = np.asarray(freq, dtype=float)
    if identity is None:
        identity = bool(np.array_equal(w, np.eye(q)))
    r_u = count_rated(codes).astype(float)
    two = r_u >= 2
    f2 = freq * two
    n = f2.sum(-1)
    ratings = (f2 * r_u).sum(-1)
    s_u = _pairs(codes, w, identity)
    with np.errstate(divide="ignore", invalid="ignore"):
        r_bar = ratings / n
        eps = 1.0 / ratings
        share = np.where(two, s_u / np.maximum(r_u - 1.0, 1.0), 0.0)  # per unit, before dividing by r-bar
        pa_prime = (f2 * share).sum(-1) / (n * r_bar)
        pa = (1.0 - eps) * pa_prime + eps
        pi = _category_sums(codes, f2, q) / (n * r_bar)[..., None]
        pe = np.einsum("...k,kl,...l->...", pi, w, pi)
        pe = np.where(1.0 - pe < 1e-12, np.nan, pe)
        value = (pa - pe) / (1.0 - pe)
        var = np.full(n.shape, np.nan)
        if variance:
            prime = (pa_prime - pe) / (1.0 - pe)
            rb = r_bar[..., None]
            pa_u = share / rb - pa_prime[..., None] * (r_u - rb) / rb
            k_u = (pa_u - pe[..., None]) / (1.0 - pe)[..., None]
            pi_w = (pi @ w.T + pi @ w) / 2.0
            pe_u = _gather(codes, pi_w) / rb - pe[..., None] * (r_u - rb) / rb
            k_u = k_u - 2.0 * (1.0 - prime)[..., None] * (pe_u - pe[..., None]) / (1.0 - pe)[..., None]
            fpc = 1.0 - n / population
            var = fpc / (n * (n - 1.0)) * (f2 * (k_u - prime[..., None]) ** 2).sum(-1)
            var = np.where(n >= 2, var, np.nan)
    return {"value": value, "pa": pa, "pe": pe, "n": n, "n2": n, "variance": var}
