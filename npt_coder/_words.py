"""Counted nouns and lists in prose: ``1 transcript``, ``3 transcripts``, ``S1, S2 and S3``; never ``transcript(s)``.

A leaf module, so reports, workbooks, terminal output and messages all write counts the same way.
"""

from __future__ import annotations

from typing import Iterable

__all__ = ["and_list", "count", "noun"]

_IRREGULAR = {"is": "are", "was": "were", "has": "have", "this": "these", "its": "their", "analysis": "analyses",
              "person": "people"}


def noun(n: float, word: str, many: str | None = None) -> str:
    """``word`` for one, its plural for any other number: ``many`` if given, else the usual English plural.

    >>> noun(1, "transcript"), noun(2, "transcript"), noun(0, "batch"), noun(3, "was"), noun(2, "study")
    ('transcript', 'transcripts', 'batches', 'were', 'studies')
    """
    if n == 1:
        return word
    if many is not None:
        return many
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    if word.endswith("y") and len(word) > 1 and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def count(n: float, word: str, many: str | None = None) -> str:
    """``n`` (a whole number, with thousands separators) and the noun that fits it.

    >>> count(1, "transcript"), count(12, "site"), count(2128, "decision"), count(244.0, "coding")
    ('1 transcript', '12 sites', '2,128 decisions', '244 codings')
    """
    value = int(n) if float(n).is_integer() else n
    return f"{value:,} {noun(value, word, many)}"


def and_list(items: Iterable[object], *, conjunction: str = "and") -> str:
    """Items joined as prose: ``a``, ``a and b``, ``a, b and c``.

    >>> and_list(["S1"]), and_list(["S1", "S2"]), and_list(["S1", "S2", "S3"]), and_list([])
    ('S1', 'S1 and S2', 'S1, S2 and S3', '')
    """
    words = [str(i) for i in items]
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"
