"""Matching a document's text to a project transcript by content, and mapping offsets between the two.

Two texts "match" when they are equal after Unicode NFC and collapsing every run of whitespace to one space
(so a Word copy of a plain-text transcript, with single instead of double line breaks, still matches). Offsets
then map exactly through the collapsed form.
"""

from __future__ import annotations

import difflib
import unicodedata

import numpy as np

__all__ = ["TextMap", "best_match", "closest_hint"]


class TextMap:
    """A text, its whitespace-collapsed form, and maps between offsets in the two.

    The collapsed form is made at once (matching compares only it); the offset maps are made the first time an
    offset is mapped, so a project's every transcript can be a candidate at little cost.

    >>> m = TextMap("  We met\\n\\n every  day. ")
    >>> m.norm, m.to_norm(10), m.span_from_norm(3, 9)
    ('We met every day.', 7, (5, 13))
    """

    def __init__(self, text: str):
        self.text = text
        collapsed = " ".join(text.split())  # str.split() splits on exactly the characters str.isspace() accepts
        self.norm = unicodedata.normalize("NFC", collapsed)
        self.exact = len(self.norm) == len(collapsed)  # NFC kept every character: offsets map one to one
        self._maps: tuple[np.ndarray, np.ndarray] | None = None

    def _offsets(self) -> tuple[np.ndarray, np.ndarray]:
        """``(to_norm, from_norm)``: original offset -> collapsed offset (one past the end included), and collapsed
        offset -> original offset of that character. Every non-space character is kept, and of each run of
        whitespace its first character (as one space) unless the run leads the text; a trailing space is dropped
        from the collapsed form but still counted by ``to_norm``."""
        if self._maps is None:
            text = self.text
            space = np.fromiter(map(str.isspace, text), dtype=bool, count=len(text))
            after_word = np.concatenate([[False], ~space[:-1]]) if len(text) else space
            keep = ~space | after_word
            to_norm = np.concatenate([[0], np.cumsum(keep)]).astype(np.int64)
            from_norm = np.flatnonzero(keep)
            if len(from_norm) and space[from_norm[-1]]:
                from_norm = from_norm[:-1]
            self._maps = (to_norm, from_norm)
        return self._maps

    def to_norm(self, offset: int) -> int:
        return int(min(self._offsets()[0][offset], len(self.norm)))

    def span_from_norm(self, start: int, end: int) -> tuple[int, int]:
        """Original ``(start, end)`` of the collapsed span ``[start, end)``, trimmed of surrounding spaces."""
        while start < end and self.norm[start] == " ":
            start += 1
        while end > start and self.norm[end - 1] == " ":
            end -= 1
        if end <= start:
            return start, start
        from_norm = self._offsets()[1]
        return int(from_norm[start]), int(from_norm[end - 1]) + 1


def best_match(doc: TextMap, candidates: dict[str, TextMap]) -> tuple[str | None, float, str | None]:
    """Id of the candidate whose collapsed text equals ``doc``'s, else ``(None, best ratio, best id)``."""
    for tid, tm in candidates.items():
        if tm.norm == doc.norm:
            return tid, 1.0, tid
    best, best_id = 0.0, None
    for tid, tm in candidates.items():
        ratio = difflib.SequenceMatcher(None, doc.norm, tm.norm, autojunk=True).quick_ratio()
        if ratio > best:
            best, best_id = ratio, tid
    return None, best, best_id


def _percent(ratio: float) -> str:
    """A similarity as a percentage that never rounds a difference away: 0.996 is "99.6%", never "100%"."""
    tenths = int(ratio * 1000) / 10
    if ratio < 1:
        tenths = min(tenths, 99.9)
    return f"{tenths:.1f}%".replace(".0%", "%")


def closest_hint(doc: TextMap, candidates: dict[str, TextMap], closest: str | None, ratio: float) -> str:
    """`` (closest: ID, …)`` for a document that matched no candidate: how alike it is to the closest one and,
    when nearly equal, how many words differ in how many places and where the first is (never the words).

    >>> a, b = TextMap("We met every day and it worked."), TextMap("We met every week and it worked.")
    >>> closest_hint(a, {"T1": b}, "T1", 0.97)
    ' (closest: T1, 97% alike: 1 word differs in 1 place, at word 4 of 7)'
    """
    if closest is None:
        return ""
    head = f" (closest: {closest}, {_percent(ratio)} alike"
    if ratio < 0.9:
        return head + ")"
    ours, theirs = doc.norm.split(" "), candidates[closest].norm.split(" ")
    ops = [op for op in difflib.SequenceMatcher(None, ours, theirs).get_opcodes() if op[0] != "equal"]
    if not ops:
        return head + ": the same words, in different characters)"
    n_words = sum(max(i2 - i1, j2 - j1) for _, i1, i2, j1, j2 in ops)
    first = ops[0][3] + 1
    return (head + f": {n_words} word{'s' if n_words != 1 else ''} differ{'s' if n_words == 1 else ''} in "
            f"{len(ops)} place{'s' if len(ops) != 1 else ''}, {'the first ' if len(ops) > 1 else ''}at word {first:,} "
            f"of {len(theirs):,})")
