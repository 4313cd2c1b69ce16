"""Flags on the rows of the agreement table, and the warnings a methods section must carry.

Every row of :func:`~npt_coder.agreement.agreement_table` has a ``caution`` (flag names from :data:`FLAGS`, joined
by ``;``; empty when nothing is flagged) and a ``note`` that says in words what the flags mean for that row.
:func:`agreement_warnings` turns a table's flags into the sentences that belong beside its numbers: in the CLI's
output and ``--json``, in every report and in the methods paragraph.
"""

from __future__ import annotations

from math import comb

import numpy as np
import pandas as pd

from .._words import and_list, count, interval

__all__ = ["FLAGS", "FEW_CLUSTERS", "RARE_BELOW", "agreement_warnings", "cluster_message", "flag_rows"]

RARE_BELOW = 5
"""A code with fewer positive units than this from either coder is "too rare to judge"."""
FEW_CLUSTERS = 10
"""A cluster bootstrap over fewer transcripts than this is flagged: too few distinct resamples."""
FLAGS: dict[str, str] = {
    "rare": "too rare to judge",
    "undefined": "kappa and alpha undefined (no variation)",
    "degenerate_ci": "degenerate interval",
    "few_clusters": "too few transcripts for a cluster bootstrap",
    "no_match": "no span matched",
}
"""Flag name -> short description (the flags a row can carry)."""


def distinct_resamples(k: int) -> int:
    """Distinct bootstrap resamples of ``k`` clusters (multisets of size k): :math:`\\binom{2k-1}{k}`.

    >>> distinct_resamples(3)
    10
    """
    return comb(2 * k - 1, k) if k > 0 else 0


def cluster_message(k: int) -> str:
    """Why a cluster bootstrap over ``k`` transcripts cannot be trusted, in one sentence."""
    return (f"the cluster bootstrap resampled only {count(k, 'transcript')}: there are only {distinct_resamples(k):,} "
            f"distinct resamples, so its intervals are too narrow to trust (they can come out narrower than the "
            f"unit bootstrap's); read the analytic standard errors beside them, resample units instead (no "
            f"--cluster), or double-code at least {FEW_CLUSTERS} transcripts")


def _who(a: str, b: str) -> tuple[str, str]:
    return ("one coder", "the other") if a == "*" else (a, b)


def flag_rows(table: pd.DataFrame, *, cluster: bool, overlap_notes: dict[tuple[str, str], str] | None = None
              ) -> tuple[list[str], list[str]]:
    """``(flags, notes)``, one string each per row of ``table`` (columns as :data:`TABLE_COLUMNS`)."""
    flags, notes = [], []
    for r in table.itertuples(index=False):
        f, n = [], []
        pos_a, pos_b = int(r.both) + int(r.only_a), int(r.both) + int(r.only_b)
        a, b = _who(r.coder_a, r.coder_b)
        if r.unit == "overlap":
            if int(r.both) == 0 and int(r.only_a) + int(r.only_b) > 0:
                f.append("no_match")
                note = (overlap_notes or {}).get((r.coder_a, r.coder_b)) if r.level == "pooled" else None
                n.append(note or "no span of one coder matched a span of the other")
        else:
            if min(pos_a, pos_b) < RARE_BELOW:
                f.append("rare")
                n.append(f"too rare to judge: {a} applied it on {count(pos_a, 'unit')}, {b} on {pos_b} (fewer than "
                         f"{RARE_BELOW} from a coder)")
            if np.isnan(r.cohen_kappa):
                f.append("undefined")
                why = ("neither coder applied it" if pos_a == pos_b == 0 else "both coders applied it everywhere")
                n.append(f"kappa and alpha undefined: {why}; AC1 and Brennan-Prediger (PABAK) are "
                         f"{r.gwet_ac1:.2f} over the two categories present/absent")
            degenerate = [(name, lo) for name, lo, hi in (("kappa", r.kappa_ci_low, r.kappa_ci_high),
                                                          ("alpha", r.alpha_ci_low, r.alpha_ci_high))
                          if np.isfinite(lo) and np.isfinite(hi) and lo == hi]
            if degenerate:
                f.append("degenerate_ci")
                names, value = " and ".join(name for name, _ in degenerate), degenerate[0][1]
                n.append(f"degenerate {names} interval {interval(value, value)}: every resample gave the same "
                         "value, which shows too few informative units, not certainty")
            if cluster and r.level != "transcript" and np.isfinite(r.kappa_ci_low) and \
                    int(r.n_transcripts) < FEW_CLUSTERS:
                f.append("few_clusters")
                n.append(f"cluster bootstrap over {count(int(r.n_transcripts), 'transcript')}: "
                         f"{distinct_resamples(int(r.n_transcripts)):,} distinct resamples")
        flags.append(";".join(f))
        notes.append("; ".join(n))
    return flags, notes


def agreement_warnings(table: pd.DataFrame) -> list[str]:
    """The warnings a reader of ``table`` must see, one sentence each (empty when nothing is flagged).

    >>> t = pd.DataFrame({"level": ["code"], "label": ["C1 Strategic intentions"], "caution": ["rare"],
    ...                   "note": ["too rare to judge: AK applied it on 2 units, JT on 3"],
    ...                   "n_transcripts": [4], "coder_a": ["AK"], "coder_b": ["JT"]})
    >>> agreement_warnings(t)[0][:58]
    '1 of 1 code too rare to judge (fewer than 5 positive units'
    """
    if "caution" not in table.columns or table.empty:
        return []
    out = []
    flags = table["caution"].fillna("").astype(str)
    has = {name: flags.str.split(";").apply(lambda fs, nm=name: nm in fs) for name in FLAGS}
    codes = table["level"] == "code"

    def labels(mask, limit=8):
        names = list(dict.fromkeys(table.loc[mask, "label"].astype(str)))
        if len(names) <= limit:
            return and_list(names)
        return f"{', '.join(names[:limit])} and {len(names) - limit} more"

    if (has["rare"] & codes).any():
        n_rare = table.loc[has["rare"] & codes, "label"].nunique()
        n_codes = table.loc[codes, 'label'].nunique()
        out.append(f"{n_rare} of {count(n_codes, 'code')} too rare to judge (fewer than "
                   f"{RARE_BELOW} positive units from a coder): {labels(has['rare'] & codes)}; their statistics are "
                   "shown but are no evidence of reliability either way.")
    if has["degenerate_ci"].any():
        out.append(f"Degenerate bootstrap intervals (e.g. 1.00–1.00) for {labels(has['degenerate_ci'])}: every "
                   "resample gave the same value, which shows too few informative units, not certainty.")
    if has["few_clusters"].any():
        k = int(table.loc[has["few_clusters"], "n_transcripts"].max())
        text = cluster_message(k)
        out.append(text[0].upper() + text[1:] + ".")
    if has["no_match"].any():
        pooled = has["no_match"] & (table["level"] == "pooled")
        for note in dict.fromkeys(table.loc[pooled if pooled.any() else has["no_match"], "note"].astype(str)):
            out.append(note[0].upper() + note[1:] + ".")
    return out
