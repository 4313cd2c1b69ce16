"""Checking the cue timings of a WebVTT or SRT file before its cues are read, so that no cue is lost unnoticed.

A caption file whose cues cannot all be read is refused with the line of the first problem, never read in part:

* a line with ``-->`` that is not a timing line of the form the reader takes (``00:01:02.345 --> 00:01:05.000``);
* a timing whose minutes or seconds are 60 or more (``99:99:99.999``);
* a cue that ends before it starts;
* a block of text with no timing line (in WebVTT, a cue's text cannot hold a blank line: what follows one would be
  dropped); the WebVTT header and ``NOTE``, ``STYLE`` and ``REGION`` blocks are not cues.

The messages quote the timings, never the cue text.
"""

from __future__ import annotations

import re

from ..errors import TranscriptFormatError

__all__ = ["check_cue_timings"]

_PART = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{2})[.,](\d{1,3})$")
_NOT_CUES = ("NOTE", "STYLE", "REGION")


def _seconds(value: str, line: int) -> float:
    m = _PART.match(value.strip())
    if m is None:  # the caller's timing pattern matched, so this is a form it accepts but this module does not know
        raise TranscriptFormatError(f"line {line}: cannot read the cue time {value.strip()!r}")
    hours, minutes, seconds, fraction = m.groups()
    if int(minutes) >= 60 or int(seconds) >= 60:
        raise TranscriptFormatError(f"line {line}: the cue time {value.strip()} has minutes or seconds of 60 or more")
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds) + int(fraction) / 10 ** len(fraction)


def _blocks(text: str):
    """(first line number, lines) of each block of non-blank lines."""
    block: list[str] = []
    first = 0
    for n, line in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), start=1):
        if line.strip(" \t"):
            if not block:
                first = n
            block.append(line)
        elif block:
            yield first, block
            block = []
    if block:
        yield first, block


def check_cue_timings(text: str, timing: re.Pattern[str], *, kind: str) -> None:
    """Raise :class:`~npt_coder.errors.TranscriptFormatError` naming the line of the first timing problem (see the
    module docstring). ``timing`` is the pattern the reader matches timing lines with (named groups ``a`` and
    ``b``); ``kind`` is ``"WebVTT"`` or ``"SRT"``: in WebVTT the first block is the header.

    >>> from npt_coder.ingest._text import _TIMING
    >>> check_cue_timings("WEBVTT\\n\\n00:00:05.000 --> 00:00:01.000\\nHello", _TIMING, kind="WebVTT")
    Traceback (most recent call last):
    ...
    npt_coder.errors.TranscriptFormatError: line 3: the cue ends (00:00:01.000) before it starts (00:00:05.000)
    """
    sep = "." if kind == "WebVTT" else ","
    example = f"00:01:02{sep}345 --> 00:01:05{sep}000"
    for k, (first, lines) in enumerate(_blocks(text)):
        if kind == "WebVTT" and k == 0 and lines[0].lstrip("\ufeff").startswith("WEBVTT"):
            continue
        if lines[0].lstrip("\ufeff").startswith(_NOT_CUES):
            continue
        arrow = next(((n, line) for n, line in enumerate(lines, start=first) if "-->" in line), None)
        if arrow is None:
            raise TranscriptFormatError(
                f"line {first}: text outside any cue (no '{example}' timing line before it"
                + ("; a cue's text cannot hold a blank line)" if kind == "WebVTT" else ")"))
        n, line = arrow  # the block's first line with an arrow is its timing; an arrow after it is cue text
        m = timing.match(line)
        if m is None:
            raise TranscriptFormatError(f"line {n}: a cue timing npt-coder cannot read; write it as {example}")
        start, end = _seconds(m.group("a"), n), _seconds(m.group("b"), n)
        if end < start:
            raise TranscriptFormatError(f"line {n}: the cue ends ({m.group('b')}) before it starts ({m.group('a')})")
