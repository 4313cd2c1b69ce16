"""Quotes from transcripts whose anonymisation findings were accepted: marked wherever a quote is shown.

A transcript added with ``--accept-flagged`` entered the project although the anonymisation check found what may be
residual identifiers in it. Every quote taken from such a transcript carries :data:`FLAG_MARK` after its
attribution, and the text saying how quotes were chosen carries :data:`FLAG_NOTE`, so no one publishes one unawares.
"""

from __future__ import annotations

__all__ = ["FLAG_MARK", "FLAG_NOTE", "flagged_transcripts", "mark_attribution"]

FLAG_MARK = "†"
FLAG_NOTE = (f"{FLAG_MARK} marks a quote from a transcript that was added with findings of the anonymisation check "
             "accepted (--accept-flagged): check it for identifiers before publishing it.")


def flagged_transcripts(project) -> frozenset[str]:
    """Ids of the project's transcripts added with findings of the anonymisation check accepted."""
    checks = project.anon_checks
    if checks.empty:
        return frozenset()
    accepted = checks[(checks["accepted_flagged"].astype(int) == 1) & (checks["n_findings"].astype(int) > 0)]
    return frozenset(accepted["transcript_id"].astype(str))


def mark_attribution(attribution: str, flagged: bool) -> str:
    """``attribution`` with :data:`FLAG_MARK` after it when the quote's transcript is flagged.

    >>> mark_attribution("(S1, P01)", True), mark_attribution("(S1, P01)", False)
    ('(S1, P01) †', '(S1, P01)')
    """
    return f"{attribution} {FLAG_MARK}" if flagged else attribution
