"""Selection positions counted the ways REFI-QDA programs count them, turned into code point offsets.

A *reading* (:data:`READINGS`) says how a program counts: in code points as the standard says, in UTF-16 code units,
with a CRLF line break as one position, or both. :class:`_Positions` maps a text's positions under one reading to
Python ``str`` indices; :func:`~npt_coder.coding._qdpx.read.read_qdpx` decides which reading a file uses.
"""

from __future__ import annotations

import re

import numpy as np

from ...errors import OptionError

__all__ = ["READINGS", "to_code_points"]

#: How a program may count selection positions: ``codepoints`` (the standard), ``utf16`` (UTF-16 code units, NVivo),
#: ``crlf1`` (code points with CRLF counted as one, ATLAS.ti) and ``utf16-crlf1`` (both).
READINGS = ("codepoints", "utf16", "crlf1", "utf16-crlf1")


class _Positions:
    """Maps positions counted one way (a reading) to code point offsets into a text."""

    def __init__(self, text: str, reading: str):
        if reading not in READINGS:
            raise OptionError(f"reading must be one of {', '.join(map(repr, READINGS))}; got {reading!r}")
        widths = np.ones(len(text), dtype=np.int64)
        if reading.startswith("utf16") and text:
            widths += np.frombuffer(text.encode("utf-32-le"), dtype="<u4") > 0xFFFF
        if reading.endswith("crlf1"):
            cr = [m.start() for m in re.finditer("\r\n", text)]
            widths[cr] = 0  # the CR of a CRLF counts nothing, so the pair counts one
        self.starts = np.concatenate([np.zeros(1, dtype=np.int64), np.cumsum(widths)])
        self.reading = reading

    def to_code_point(self, position: int) -> int | None:
        if position < 0 or position > self.starts[-1]:
            return None
        i = int(np.searchsorted(self.starts, position, side="left"))
        return i if self.starts[i] == position else None  # None: inside a surrogate pair


def to_code_points(text: str, start: int, end: int, *, reading: str = "codepoints") -> tuple[int, int] | None:
    """``(start, end)`` counted the way ``reading`` says, as code point offsets into ``text``; ``None`` when either
    lies past the end of the text or inside a character (half of a UTF-16 surrogate pair).

    >>> text = "a😀b\\r\\nc"
    >>> to_code_points(text, 3, 6, reading="utf16")          # the emoji counts 2, CRLF counts 2
    (2, 5)
    >>> to_code_points(text, 2, 4, reading="crlf1")          # CRLF counts 1
    (2, 5)
    >>> text[2:5]
    'b\\r\\n'
    >>> to_code_points(text, 2, 4, reading="utf16") is None  # 2 is the middle of the emoji
    True
    """
    pos = _Positions(text, reading)
    s, e = pos.to_code_point(start), pos.to_code_point(end)
    return None if s is None or e is None else (s, e)


def _reading_key(reading: str, text: str) -> tuple[bool, bool]:
    """What a reading changes for this text: (emoji count two, CRLF counts one). Readings with equal keys agree."""
    return (reading.startswith("utf16") and any(ord(ch) > 0xFFFF for ch in text),
            reading.endswith("crlf1") and "\r\n" in text)


def _readings_for(text: str, origin: str) -> list[str]:
    """The readings that differ for this text, in the order the exporting program makes likely."""
    low = origin.casefold()
    if "nvivo" in low:
        order = ["utf16", "codepoints", "utf16-crlf1", "crlf1"]
    elif "atlas" in low:
        order = ["crlf1", "codepoints", "utf16-crlf1", "utf16"]
    else:
        order = ["codepoints", "crlf1", "utf16", "utf16-crlf1"]
    keys: dict[tuple[bool, bool], str] = {}
    for r in order:
        keys.setdefault(_reading_key(r, text), r)
    return list(keys.values())


def _line_end_map(text: str) -> np.ndarray:
    """Offsets in ``text`` -> offsets in ``text`` with CRLF and CR turned into LF (as :func:`_lf` does): the CR of a
    CRLF takes no position, as in the ``crlf1`` reading."""
    return _Positions(text, "crlf1").starts


def _lf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")
