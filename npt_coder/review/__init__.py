"""Review and reconcile: two coders' disagreements settled by the team and imported as the consensus coding.

:func:`disagreements` lists every segment where the two coders' code sets differ (a :class:`Disagreements`).
:func:`review_workbook` writes them to Excel with a Decision drop-down (``A``, ``B``, ``both``, ``neither``,
``other code``), an "Other codes" column and a note column; :func:`reconcile` reads the settled workbook and
imports, as the coder :data:`CONSENSUS`, every code both coders agreed on plus every decision: one transaction,
refused when the workbook no longer matches the project (a transcript, a segment's text or either coder's codes
changed since the review was made).

Consensus spans keep the coders' own extents: a code taken from coder A (or agreed by both) is the union of that
coder's (or both coders') spans of the code, clipped to the segment; an "other code" covers the whole segment.

This package sits above :mod:`npt_coder.coding` (through which the consensus coding is imported) and
:mod:`npt_coder.agreement` (whose presence rule finds the disagreements), and neither imports anything from it. Which coding then
stands for a transcript is decided in one place, :func:`consensus_first`.
"""

from .._consensus import CONSENSUS, consensus_first, individual_coders
from ._disagreements import REVIEW_COLUMNS, Disagreements, disagreements
from ._reconcile import reconcile
from ._workbook import DECISIONS, read_review, review_workbook

__all__ = [
    "CONSENSUS",
    "DECISIONS",
    "REVIEW_COLUMNS",
    "Disagreements",
    "consensus_first",
    "disagreements",
    "individual_coders",
    "read_review",
    "reconcile",
    "review_workbook",
]
