"""Benchmark: every agreement target of the agreement issue, in one run.

Usage::

    python benchmarks/agreement.py

1. ``agreement_stats.py``: Krippendorff's alpha on 200,000 units x 5 coders (10% missing) against the
   ``krippendorff`` package (ratio <= 1.0 and equal to 1e-9), and the bootstrap CIs for 24 codes x 10,000 units.
2. ``agreement_table.py``: the full per-code study table (segment unit, kappa, alpha, AC1, BP, 1,000-resample CIs)
   for 10,000 segments x 2 coders (target < 2 s), and its point estimates against NLTK's ``AnnotationTask``
   (target >= 100x).

Each part can also be run on its own with options (``--help``).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import agreement_stats  # noqa: E402
import agreement_table  # noqa: E402


def main() -> None:
    sys.argv = sys.argv[:1]  # both parts with their defaults
    agreement_stats.main()
    print()
    agreement_table.main()


if __name__ == "__main__":
    main()
