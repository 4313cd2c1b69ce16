"""Benchmark: the agreement statistics against the ``krippendorff`` package, and the count-based bootstrap.

Usage::

    python benchmarks/agreement_stats.py               # 200,000 units x 5 coders, 10% missing; 24 codes x 10,000 units
    python benchmarks/agreement_stats.py --repeats 9

1. Krippendorff's alpha (nominal) on 200,000 units x 5 coders with 10% of ratings missing, ``npt_coder`` and the
   ``krippendorff`` package on the same float matrix in the same run: best-of-N wall time of each, their ratio
   (ours / package, <= 1.0 means no slower) and the absolute difference of the two values. The other three levels
   are timed the same way for information.
2. 95% bootstrap CIs for 24 codes x 10,000 units x 1,000 resamples (two coders, presence/absence): from the
   unit-type counts (multinomial, ``kind="counts"``), and from per-unit types resampling units jointly across
   codes or whole transcripts (``kind="types"``).

Data are generated with a fixed seed (coders agree on ~80% of ratings, so alpha is far from 0); generation is not
timed. Timings vary with the machine; the ratio is what to compare.
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np


def best_of(repeats: int, f, *args, **kwargs) -> tuple[float, object]:
    best, value = float("inf"), None
    for _ in range(repeats):
        start = time.perf_counter()
        value = f(*args, **kwargs)
        best = min(best, time.perf_counter() - start)
    return best, value


def reliability_matrix(n_units: int, n_coders: int, missing: float, seed: int = 1) -> np.ndarray:
    rng = np.random.default_rng(seed)
    truth = rng.choice(5, size=n_units, p=[0.4, 0.25, 0.15, 0.12, 0.08])
    noise = rng.choice(5, size=(n_units, n_coders))
    x = np.where(rng.random((n_units, n_coders)) < 0.8, truth[:, None], noise).astype(float)
    x[rng.random(x.shape) < missing] = np.nan
    return x


def presence(n_units: int, n_codes: int, seed: int = 2) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    prevalence = rng.uniform(0.01, 0.3, n_codes)
    a = rng.random((n_units, n_codes)) < prevalence
    b = np.where(rng.random((n_units, n_codes)) < 0.85, a, rng.random((n_units, n_codes)) < prevalence)
    return a, b


def main() -> None:
    parser = argparse.ArgumentParser(description=" ".join(__doc__.split("\n\n")[0].split()))
    parser.add_argument("--units", type=int, default=200_000)
    parser.add_argument("--coders", type=int, default=5)
    parser.add_argument("--missing", type=float, default=0.10)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--codes", type=int, default=24)
    parser.add_argument("--segments", type=int, default=10_000)
    parser.add_argument("--resamples", type=int, default=1_000)
    args = parser.parse_args()

    import krippendorff

    import npt_coder.agreement as ag

    x = reliability_matrix(args.units, args.coders, args.missing)
    print(f"Krippendorff's alpha: {args.units:,} units x {args.coders} coders, {args.missing:.0%} missing, "
          f"best of {args.repeats}")
    print(f"  {'level':<9} {'npt_coder':>11} {'krippendorff':>13} {'ratio':>7} {'|difference|':>13}")
    for level in ("nominal", "ordinal", "interval", "ratio"):
        ours_t, ours_v = best_of(args.repeats, ag.krippendorff_alpha, x, level=level)
        theirs_t, theirs_v = best_of(args.repeats, krippendorff.alpha, reliability_data=x.T,
                                     level_of_measurement=level)
        print(f"  {level:<9} {ours_t * 1e3:>9.1f}ms {theirs_t * 1e3:>11.1f}ms {ours_t / theirs_t:>7.2f} "
              f"{abs(ours_v - float(theirs_v)):>13.1e}   (alpha = {ours_v:.6f})")

    a, b = presence(args.segments, args.codes)
    counts = ag.type_counts(a, b)
    types = ag.unit_types(a, b)
    transcripts = np.repeat(np.arange(args.segments // 250 + 1), 250)[: args.segments]
    print(f"\nBootstrap 95% CIs: {args.codes} codes x {args.segments:,} units x {args.resamples:,} resamples, "
          f"best of {args.repeats}")
    cases = [
        ("counts (multinomial)", counts, {}),
        ("types, units jointly", types, {"kind": "types"}),
        (f"types, {transcripts.max() + 1} transcripts", types, {"kind": "types", "clusters": transcripts}),
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # rare codes: some resamples undefined for kappa/alpha
        for label, data, kw in cases:
            total = 0.0
            parts = []
            for statistic in ("cohen_kappa", "krippendorff_alpha", "gwet_ac1", "brennan_prediger"):
                t, _ = best_of(args.repeats, ag.bootstrap_ci, data, statistic, n_resamples=args.resamples, seed=1,
                               **kw)
                total += t
                parts.append(f"{statistic.split('_')[0]} {t * 1e3:.0f}ms")
            print(f"  {label:<26} {', '.join(parts)}; all four {total * 1e3:.0f}ms")
        start = time.perf_counter()
        for statistic in ("percent_agreement", "cohen_kappa", "krippendorff_alpha", "gwet_ac1", "brennan_prediger"):
            getattr(ag, f"{statistic}_from_counts")(counts)
        print(f"  point estimates, 5 statistics x {args.codes} codes from counts: "
              f"{(time.perf_counter() - start) * 1e3:.2f}ms")


if __name__ == "__main__":
    main()
