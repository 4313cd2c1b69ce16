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
    """A text, its whitespace-collapsed form, and maps between offsets in the two."""

    def __init__(self, text: str):
        self.text = text
        chars: list[str] = []
        to_norm = np.empty(len(text) + 1, dtype=np.int64)  # original offset -> collapsed offset
        from_norm: list[int] = []  # collapsed offset -> original offset of that character
        in_space = True  # leading whitespace is dropped
        for i, ch in enumerate(text):
            to_norm[i] = len(chars)
            if ch.isspace():
                if not in_space:
                    chars.append(" ")
                    from_norm.append(i)
                in_space = True
            else:
                chars.append(ch)
                from_norm.append(i)
                in_space = False
        to_norm[len(text)] = len(chars)
        if chars and chars[-1] == " ":
            chars.pop()
            from_norm.pop()
        self.norm = unicodedata.normalize("NFC", "".join(chars))
        self._to_norm = to_norm
        self._from_norm = from_norm
        self.exact = len(self.norm) == len(chars)  # NFC kept every character: offsets map one to one

    def to_norm(self, offset: int) -> int:
        return int(min(self._to_norm[offset], len(self.norm)))

    def span_from_norm(self, start: int, end: int) -> tuple[int, int]:
        """Original ``(start, end)`` of the collapsed span ``[start, end)``, trimmed of surrounding spaces."""
        while start < end and self.norm[start] == " ":
            start += 1
        while end > start and self.norm[end - 1] == " ":
            end -= 1
        if end <= start:
            return start, start
        return self._from_norm[start], self._from_norm[end - 1] + 1


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
