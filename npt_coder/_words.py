"""Counted nouns, lists and intervals in prose: ``1 transcript``, ``3 transcripts``, ``S1, S2 and S3``, ``−0.05 to
0.12``; never a noun with "(s)" after it.

A leaf module, so reports, workbooks, terminal output and messages all write counts and intervals the same way.
"""

from __future__ import annotations

import re
from typing import Iterable

__all__ = ["MINUS", "and_list", "count", "interval", "noun", "real_plurals", "signed"]

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


MINUS = "\u2212"


def signed(x: float, digits: int = 2) -> str:
    """``x`` to ``digits`` places with a true minus sign (``−0.05``, not the hyphen ``-0.05``).

    >>> signed(-0.0512), signed(0.4), signed(-0.0001), signed(-3, 0)
    ('−0.05', '0.40', '0.00', '−3')
    """
    text = f"{x:.{digits}f}"
    if text.startswith("-") and text.strip("-0.") == "":
        return text[1:]  # a value that rounds to zero has no sign
    return text.replace("-", MINUS, 1)


def interval(low: float, high: float, digits: int = 2) -> str:
    """An interval in prose: ``0.12–0.45`` with an en dash, but ``−0.05 to −0.02`` (true minus signs and "to")
    when either end is negative, where a dash beside a minus would read as one more minus.

    >>> interval(0.123, 0.45), interval(-0.05, -0.02), interval(-0.1, 0.3), interval(1, 1)
    ('0.12–0.45', '−0.05 to −0.02', '−0.10 to 0.30', '1.00–1.00')
    """
    lo, hi = signed(low, digits), signed(high, digits)
    return f"{lo} to {hi}" if MINUS in lo + hi else f"{lo}–{hi}"


_MAYBE_PLURAL = re.compile(r"\b(\d[\d,]*)((?: of \d[\d,]*)?) ([A-Za-z-]+)\(s\)")


def real_plurals(text: str) -> str:
    """``text`` with every counted ``noun(s)`` written as its number says (in ``1 of 24 code(s)``, the 24).

    For prose written elsewhere in that form (the agreement warnings keep it in ``--json``) when it goes into a
    report or is printed for a reader.

    >>> real_plurals("1 of 24 code(s) too rare; 1 of 1 code(s); only 3 transcript(s); 1 unit(s)")
    '1 of 24 codes too rare; 1 of 1 code; only 3 transcripts; 1 unit'
    """
    def fix(m: re.Match) -> str:
        n = int((m[2][4:] if m[2] else m[1]).replace(",", ""))
        return f"{m[1]}{m[2]} {noun(n, m[3])}"

    return _MAYBE_PLURAL.sub(fix, text)
