"""Which coding stands for the study: the one rule, used by agreement, themes, logic models, reports and the CLI.

A double-coded transcript ends with a consensus coding (``npt-coder reconcile``), imported under the coder name
:data:`CONSENSUS` unless the team chose another with ``--as``. Where a transcript has a consensus coding, that
coding stands for it; elsewhere every coder's coding does (:func:`consensus_first`). Agreement compares the
individual coders, never the consensus (:func:`individual_coders`).

This module sits low in the package (it needs only pandas) so that every layer that applies the rule can import it.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["CONSENSUS", "consensus_first", "individual_coders"]

CONSENSUS = "consensus"
"""The coder name a settled review is imported as by default."""


def consensus_first(codings: pd.DataFrame, *, consensus: str = CONSENSUS) -> pd.Series:
    """Which rows of a codings table stand for the study: a boolean Series aligned with ``codings``.

    On a transcript with any coding by ``consensus``, only those rows; on every other transcript, every
    coder's rows.

    >>> df = pd.DataFrame({"transcript_id": ["T1", "T1", "T2", "T2"], "coder": ["AK", "JT", "AK", "consensus"]})
    >>> df[consensus_first(df)].values.tolist()
    [['T1', 'AK'], ['T1', 'JT'], ['T2', 'consensus']]
    """
    is_consensus = codings["coder"] == consensus
    settled = codings["transcript_id"].isin(set(codings.loc[is_consensus, "transcript_id"]))
    return is_consensus | ~settled


def individual_coders(codings: pd.DataFrame, *, consensus: str = CONSENSUS) -> list[str]:
    """The coders of a codings table other than ``consensus``, sorted.

    >>> individual_coders(pd.DataFrame({"coder": ["JT", "consensus", "AK", "JT"]}))
    ['AK', 'JT']
    """
    return sorted(c for c in pd.unique(codings["coder"]) if c != consensus)
