"""An export's own header: the recording date, time and duration that Teams and Otter write above the transcript.

Transcription tools open their exports with a few lines about the recording, not about what anyone said:

* Microsoft Teams (``.docx``): the meeting's title, ``March 12, 2024, 10:02AM`` (``12 March 2024, 10:02`` in other
  locales), then the duration, ``42m 10s``;
* Otter.ai (``.txt``, ``.docx``): the title, then ``Tue, Mar 12, 2024 10:02AM • 42:10`` (the date, the time and,
  after the bullet, the duration);
* a WebVTT file may carry the same lines in its header block, after ``WEBVTT``.

:func:`read_header` finds such a date line (a date *with* a time of day, written the way these tools write it) among
the first :data:`HEADER_LINES` non-blank lines of a file, and the duration with it or on the line after it. They
become the transcript's attributes ``recorded`` (``2024-03-12 10:02``) and ``duration`` (``0:42:10``) and leave the
text, so that the anonymisation check, which reads the text, does not take the date of the recording for a date a
participant gave: a date in anything said in a turn is checked and flagged as before (a date of birth or an
appointment identifies a person). The title line stays in the text as front matter: a title can hold a name, and
there the check reads it. A date line that is not a real date (``February 30``) is not recognised and stays text.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Sequence

from ._times import _without_line
from ._turns import RawParagraph

__all__ = ["HEADER_ATTRIBUTES", "HEADER_LINES", "read_header", "read_vtt_header"]

#: the attributes a header gives: when the recording was made, and how long it runs
HEADER_ATTRIBUTES = ("recorded", "duration")
#: how many non-blank lines from the top of a file the date line may be found in (a title of one or two lines first)
HEADER_LINES = 3

_MONTHS = {m: i for i, names in enumerate(
    [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
     ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
     ("dec", "december")], start=1) for m in names}
_MONTH = r"(?P<month{0}>[A-Za-z]{{3,9}})\.?"
_DAY = r"(?P<day{0}>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d{2})"
_CLOCK = r"(?P<hour>[0-2]?\d):(?P<minute>[0-5]\d)(?::(?P<second>[0-5]\d))?\s*(?P<ampm>[AaPp]\.?[Mm]\.?)?"
_WEEKDAY = r"(?:(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)[a-z]*\.?,?\s+)?"
_LENGTH = r"(?P<length>(?:\d{1,2}:)?\d{1,2}:\d{2})"
_DATE_LINE = re.compile(
    rf"^\s*{_WEEKDAY}(?:{_MONTH.format(1)}\s+{_DAY.format(1)}|{_DAY.format(2)}\s+{_MONTH.format(2)}),?\s+{_YEAR},?\s+"
    rf"(?:at\s+)?{_CLOCK}"
    rf"(?:\s*[•·|–-]\s*{_LENGTH})?\s*$")
_DURATION_LINE = re.compile(r"^\s*(?=\d)(?:(?P<h>\d{1,2})\s*h\s*)?(?:(?P<m>\d{1,2})\s*m(?:in)?\s*)?"
                            r"(?:(?P<s>\d{1,2})\s*s\s*)?$")


def _recorded(m: re.Match) -> str | None:
    """``YYYY-MM-DD HH:MM`` of a date line's match, or None when it names no real date and time."""
    month = _MONTHS.get((m.group("month1") or m.group("month2")).lower())
    day = int(m.group("day1") or m.group("day2"))
    hour = int(m.group("hour"))
    ampm = (m.group("ampm") or "").lower().replace(".", "")
    if month is None or hour > (12 if ampm else 23) or (ampm and hour == 0):
        return None
    if ampm:
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    try:
        when = datetime(int(m.group("year")), month, day, hour, int(m.group("minute")))
    except ValueError:
        return None
    return when.strftime("%Y-%m-%d %H:%M")


def _duration(h: int, m: int, s: int) -> str:
    return f"{h}:{m:02d}:{s:02d}"


def _length(value: str) -> str:
    parts = [int(x) for x in value.split(":")]
    while len(parts) < 3:
        parts.insert(0, 0)
    return _duration(*parts)


def _duration_line(line: str) -> str | None:
    m = _DURATION_LINE.match(line)
    if not m or not any(m.group(k) for k in ("h", "m", "s")):
        return None
    h, mins, s = (int(m.group(k) or 0) for k in ("h", "m", "s"))
    return _duration(h, mins, s) if mins < 60 and s < 60 else None


def _lines(paragraphs: Sequence[RawParagraph]):
    """(paragraph index, start, end, text) of each non-blank line, from the top."""
    for k, raw in enumerate(paragraphs):
        pos = 0
        for line in raw.text.split("\n"):
            if line.strip():
                yield k, pos, pos + len(line), line
            pos += len(line) + 1


def read_header(paragraphs: Sequence[RawParagraph]) -> tuple[list[RawParagraph], dict[str, str]]:
    """The paragraphs without the header's date and duration lines, and the attributes they give (see the module
    docstring); paragraphs with nothing left are dropped.

    >>> paras, attrs = read_header([RawParagraph("Hub interview\\nTue, Mar 12, 2024 10:02AM • 42:10"),
    ...                              RawParagraph("Interviewer: Hello.")])
    >>> [p.text for p in paras], attrs
    (['Hub interview', 'Interviewer: Hello.'], {'recorded': '2024-03-12 10:02', 'duration': '0:42:10'})
    """
    out = list(paragraphs)
    top = []
    for item in _lines(out):
        top.append(item)
        if len(top) > HEADER_LINES:
            break
    attrs: dict[str, str] = {}
    cut: list[tuple[int, int, int]] = []
    for n, (k, start, end, line) in enumerate(top[:HEADER_LINES]):
        if out[k].speaker is not None:
            break  # a table's speaker row: the transcript has begun
        m = _DATE_LINE.match(line)
        when = _recorded(m) if m else None
        if when is None:
            continue
        attrs["recorded"] = when
        cut.append((k, start, end))
        if m.group("length"):
            attrs["duration"] = _length(m.group("length"))
        elif n + 1 < len(top) and _duration_line(top[n + 1][3]):
            attrs["duration"] = _duration_line(top[n + 1][3])
            cut.append(top[n + 1][:3])
        break
    for k, start, end in reversed(cut):  # from the end, so that earlier offsets stay true
        text = out[k].text
        end = end + 1 if end < len(text) else end
        start = start - 1 if end == len(text) and start > 0 else start
        out[k] = _without_line(out[k], start, end)
    return [p for k, p in enumerate(out) if p.text.strip() or not any(c[0] == k for c in cut)], attrs


def read_vtt_header(text: str) -> dict[str, str]:
    """The attributes of a WebVTT file's header block (the lines after ``WEBVTT`` before the first blank line),
    which is never transcript text.

    >>> read_vtt_header("WEBVTT\\nHub interview\\nMarch 12, 2024, 10:02AM\\n42m 10s\\n\\n00:00:01.000 --> ...")
    {'recorded': '2024-03-12 10:02', 'duration': '0:42:10'}
    """
    block = re.split(r"\n[ \t]*\n", text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n"), maxsplit=1)[0]
    lines = block.split("\n")
    if not lines or not lines[0].startswith("WEBVTT"):
        return {}
    return read_header([RawParagraph("\n".join(lines[1:]))])[1]
