"""Review and reconcile: two coders' disagreements settled by the team and imported as the consensus coding.

:func:`disagreements` lists every segment where the two coders' code sets differ (a :class:`Disagreements`).
:func:`review_workbook` writes them to Excel, one row per disputed code, with each coder's selected words, a
Decision drop-down (the two coders' names, whose call stands for that code, or ``other code``), an "Other codes"
column and a note column; :func:`reconcile` reads the settled workbook (or one of the earlier layout, a decision
per segment: ``A``, ``B``, ``both``, ``neither``, ``other code``) and imports, as the coder :data:`CONSENSUS`,
every code both coders agreed on plus every decision: one transaction, refused when the workbook no longer matches
the project (a transcript, a segment's text or either coder's codes changed since the review was made).

Consensus spans keep the coders' own extents: a code taken from coder A (or agreed by both) is the union of that
coder's (or both coders') spans of the code, clipped to the segment; an "other code" covers the whole segment.
That rule is :func:`reconcile_decisions`, on data, and there is no other: the workbook of either layout and the
workbench's settle (:func:`npt_coder.services.settle`) all apply it, each to :class:`Decision` values (on one code
in dispute on a segment, or on the whole segment) checked against the current disagreements by their row
:func:`fingerprint`.

This package sits above :mod:`npt_coder.coding` (through which the consensus coding is imported) and
:mod:`npt_coder.agreement` (whose presence rule finds the disagreements), and neither imports anything from it.
Which coding then stands for a transcript is decided in one place, :func:`consensus_first`.
"""

from .._consensus import CONSENSUS, consensus_first, individual_coders
from ._disagreements import CODE_COLUMNS, REVIEW_COLUMNS, Disagreements, disagreements, fingerprint, selection_runs
from ._reconcile import CONSENSUS_COLUMNS, Decision, reconcile, reconcile_decisions
from ._workbook import DECISIONS, OTHER_CODE, decisions_for, read_review, review_workbook

__all__ = [
    "CODE_COLUMNS",
    "CONSENSUS",
    "CONSENSUS_COLUMNS",
    "DECISIONS",
    "OTHER_CODE",
    "REVIEW_COLUMNS",
    "Decision",
    "Disagreements",
    "consensus_first",
    "decisions_for",
    "disagreements",
    "fingerprint",
    "individual_coders",
    "read_review",
    "reconcile",
    "reconcile_decisions",
    "review_workbook",
    "selection_runs",
]
