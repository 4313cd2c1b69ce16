"""Aligning two versions of a text: which characters of one are the same characters of the other.

Used wherever offsets counted in one text must be carried into another that differs from it locally: a REFI-QDA
source's plain text and the canonical text made from it (labels rewritten, timestamps and header lines dropped,
line ends normalised), a transcript and its corrected replacement, the canonical text and the file it was read
from (to say on which line of the file something lies).

:func:`align` walks both texts together. Equal stretches are compared in blocks; where they differ it looks for the
nearest point (fewest characters skipped on either side) where a run of :data:`ANCHOR` characters agrees again,
searching a window that widens as needed, and resumes there. Characters skipped on either side are unmatched. The
alignment is greedy: after an edit it resumes at the first place the texts agree again, which is the right place
for the local edits it is made for; callers that must be sure check the carried text (see :meth:`Alignment.span`).
"""

from __future__ import annotations

import numpy as np

__all__ = ["ANCHOR", "Alignment", "align"]

ANCHOR = 8  # characters that must agree for the texts to be in step again
_BLOCK = 256
_WINDOWS = (64, 1024, 16384)
_PROBES = 2048


class Alignment:
    """Offsets of ``a`` mapped onto ``b``: ``forward[i]`` is the position in ``b`` of character ``i`` of ``a``, or -1
    where that character has no counterpart."""

    def __init__(self, a: str, b: str, forward: np.ndarray):
        self.a, self.b = a, b
        self.forward = forward

    def span(self, start: int, end: int) -> tuple[int, int] | None:
        """``a[start:end]`` carried into ``b``: from the first to the last of its characters that have a counterpart,
        or ``None`` when none has (the span was all removed).

        >>> al = align("P07  0:21\\nWe met.", "P07: We met.")
        >>> s, e = al.span(10, 17); "P07: We met."[s:e]
        'We met.'
        """
        start, end = max(0, int(start)), min(len(self.a), int(end))
        if end <= start:
            return None
        window = self.forward[start:end]
        hit = np.flatnonzero(window >= 0)
        if not len(hit):
            return None
        return int(window[hit[0]]), int(window[hit[-1]]) + 1

    def exact(self, start: int, end: int) -> tuple[int, int] | None:
        """Like :meth:`span`, but only when the carried text is the same text (``b[s:e] == a[start:end]``)."""
        found = self.span(start, end)
        if found is None or self.b[found[0]:found[1]] != self.a[start:end]:
            return None
        return found

    def position(self, offset: int) -> int:
        """Where offset ``offset`` of ``a`` falls in ``b``: at its character's counterpart, else just after the
        nearest matched character before it (0 when there is none)."""
        offset = min(max(0, int(offset)), len(self.a))
        if offset < len(self.a) and self.forward[offset] >= 0:
            return int(self.forward[offset])
        before = np.flatnonzero(self.forward[:offset] >= 0)
        return int(self.forward[before[-1]]) + 1 if len(before) else 0


def _resync(a: str, b: str, i: int, j: int) -> tuple[int, int] | None:
    """The nearest ``(i2, j2)`` at or after ``(i, j)`` where ``ANCHOR`` characters agree, or None.

    Windows of :data:`_WINDOWS` characters are searched in full; past them, anchors are taken from ``b`` at most
    :data:`_PROBES` times (evenly spaced) and looked for in all the rest of ``a``, so that two texts with nothing in
    common are given up on in bounded time."""
    k = ANCHOR
    rest = max(len(a) - i, len(b) - j)
    for window in (*_WINDOWS, None):
        span = min(window or rest, len(b) - j - k + 1) if len(b) - j >= k else 0
        stride = 1 if window is not None else max(1, span // _PROBES)
        end = i + window + k if window is not None else len(a)
        best: tuple[int, int, int] | None = None
        for dj in range(0, span, stride):
            if best is not None and dj >= best[0]:
                break
            p = a.find(b[j + dj:j + dj + k], i, end)
            if p >= 0 and (best is None or (p - i) + dj < best[0]):
                best = ((p - i) + dj, p, j + dj)
        if best is not None:
            return best[1], best[2]
        if window is not None and window >= rest:
            break
    return None


def align(a: str, b: str) -> Alignment:
    """Align ``a`` onto ``b`` (see the module docstring); equal texts map one to one.

    >>> al = align("Interviewer  [00:01:02]: Hello there, welcome.", "Interviewer: Hello there, welcome.")
    >>> al.span(25, 37)
    (13, 25)
    """
    n, m = len(a), len(b)
    forward = np.full(n, -1, dtype=np.int64)
    i = j = 0
    while i < n and j < m:
        step = min(_BLOCK, n - i, m - j)
        if a[i:i + step] == b[j:j + step]:
            forward[i:i + step] = np.arange(j, j + step)
            i, j = i + step, j + step
            continue
        while i < n and j < m and a[i] == b[j]:
            forward[i] = j
            i, j = i + 1, j + 1
        if i >= n or j >= m:
            break
        found = _resync(a, b, i, j)
        if found is None:  # fewer than ANCHOR characters agree from here on: match what the two tails end with
            tail = 0
            while tail < min(n - i, m - j) and a[n - 1 - tail] == b[m - 1 - tail]:
                tail += 1
            if tail:
                forward[n - tail:] = np.arange(m - tail, m)
            break
        i2, j2 = found
        bi, bj = i2, j2  # characters just before the point that agree too (the anchor search skips past them)
        while bi > i and bj > j and a[bi - 1] == b[bj - 1]:
            bi, bj = bi - 1, bj - 1
            forward[bi] = bj
        i, j = i2, j2
    return Alignment(a, b, forward)
