"""Benchmark: the study-level agreement table against NLTK's AnnotationTask, on generated double-coding.

Usage::

    python benchmarks/agreement_table.py                 # 10,000 segments x 24 codes x 2 coders
    python benchmarks/agreement_table.py --segments 2000

Builds 10,000 paragraph segments over 40 transcripts and two coders' spans on them (each code present on ~6% of
segments for coder A; coder B agrees ~85% of the time), then times, in the same run:

1. ``agreement_table`` at the segment unit: per code, per transcript, construct, domain and pooled rows with
   percent agreement, Cohen's kappa, Krippendorff's alpha, Gwet's AC1, Brennan-Prediger and 1,000-resample
   bootstrap CIs for kappa and alpha (target: under 2 s);
2. the same point estimates without CIs;
3. NLTK's ``AnnotationTask`` computing kappa and alpha per code on the same presence/absence data (the baseline;
   target: point estimates at least 100x faster). Values are checked equal to 1e-9.

Generation is not timed; ours is the best of 5 runs, NLTK's (seconds long) a single run. Timings vary with the
machine; the ratio is what to compare.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd
from agreement_stats import best_of  # benchmarks/ is the script's folder

from npt_coder.agreement import agreement_table, presence_data
from npt_coder.codebook import load_codebook


def generate(n_segments: int, n_transcripts: int = 40, seed: int = 3):
    rng = np.random.default_rng(seed)
    codebook = load_codebook().frame
    codes = codebook["code_id"].to_numpy()
    per_t = np.array_split(np.arange(n_segments), n_transcripts)
    seg_rows, coding_rows = [], []
    for t, idx in enumerate(per_t):
        tid = f"T{t:03d}"
        pos = 0
        for k, _ in enumerate(idx):
            length = int(rng.integers(80, 600))
            seg_rows.append((tid, f"p{k + 1:04d}", pos, pos + length))
            pos += length + 1
    segments = pd.DataFrame(seg_rows, columns=["transcript_id", "segment_id", "start", "end"])
    a = rng.random((n_segments, len(codes))) < 0.06
    flip = rng.random(a.shape) < 0.15 * (a | (rng.random(a.shape) < 0.06))
    b = a ^ flip
    for coder, m in (("A", a), ("B", b)):
        si, ci = np.nonzero(m)
        seg = segments.iloc[si]
        coding_rows.append(pd.DataFrame({"transcript_id": seg["transcript_id"].to_numpy(), "coder": coder,
                                         "code_id": codes[ci], "start": seg["start"].to_numpy() + 5,
                                         "end": seg["end"].to_numpy() - 5}))
    return pd.concat(coding_rows, ignore_index=True), segments, codebook


def nltk_baseline(a: np.ndarray, b: np.ndarray) -> list[tuple[float, float]]:
    from nltk.metrics.agreement import AnnotationTask

    out = []
    for j in range(a.shape[1]):
        data = [("A", i, int(a[i, j])) for i in range(a.shape[0])] + [("B", i, int(b[i, j])) for i in range(a.shape[0])]
        task = AnnotationTask(data=data)
        out.append((task.kappa(), task.alpha()))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=" ".join(__doc__.split("\n\n")[0].split()))
    parser.add_argument("--segments", type=int, default=10_000)
    parser.add_argument("--resamples", type=int, default=1000)
    args = parser.parse_args()
    codings, segments, codebook = generate(args.segments)
    kw = dict(coders=["A", "B"], unit="segment", segments=segments, codebook=codebook)
    agreement_table(codings, ci=None, by=["code"], **kw)  # warm-up (imports, first calls)

    t_full, full = best_of(5, agreement_table, codings, ci=0.95, n_resamples=args.resamples, **kw)
    t_points, points = best_of(5, agreement_table, codings, ci=None, by=["code"], **kw)

    data = presence_data(codings, "A", "B", unit="segment", codes=codebook["code_id"].tolist(), segments=segments)
    start = time.perf_counter()
    ref = nltk_baseline(data.a, data.b)
    t_nltk = time.perf_counter() - start
    ours = points[["cohen_kappa", "krippendorff_alpha"]].to_numpy()
    diff = np.nanmax(np.abs(ours - np.array(ref)))

    n_codes = len(codebook)
    print(f"data: {args.segments:,} segments x {n_codes} codes x 2 coders, {len(codings):,} coded spans")
    print(f"full table ({len(full)} rows, kappa/alpha/AC1/BP, {args.resamples:,}-resample CIs): {t_full:.3f} s "
          f"(target < 2 s)")
    print(f"point estimates per code (no CIs):                      {t_points:.3f} s")
    print(f"NLTK AnnotationTask kappa + alpha per code (baseline):  {t_nltk:.3f} s")
    print(f"speed-up of point estimates over NLTK: {t_nltk / t_points:.0f}x (target >= 100x); "
          f"max |difference| = {diff:.1e}")


if __name__ == "__main__":
    main()
