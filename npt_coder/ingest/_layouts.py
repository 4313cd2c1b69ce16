"""Transcript layouts: which convention a file follows for its speakers, found without options, and what it says.

Readers give paragraphs; before turns are assembled (:func:`~npt_coder.ingest._turns.assemble`),
:func:`detect_layout` looks at every line for the conventions transcription services and programs write, and turns a
layout whose speaker and time sit on a header line of their own into paragraphs whose speaker is known. The layouts
(:data:`LAYOUTS`):

``labels``
    ``Interviewer: text``, ``P01: text``, ``[00:01:23] I: text``, a bold Word label; the built-in detection.
``otter``
    Otter.ai: a title, ``SUMMARY KEYWORDS``, a ``SPEAKERS`` line, then ``Name  mm:ss`` (two spaces; ``h:mm:ss``
    past an hour; one space where the name is a speaker label, as text copied from a browser has it) on a line of
    its own, the speech on the next; the ``Transcribed by`` trailer is dropped.
``teams``
    Microsoft Teams' Word export: ``Name   0:03`` (three or more spaces, or a tab), the speech on the next line.
``zoom``
    Zoom's web transcript: the name on one line, ``00:01:02`` on the next, then the speech; ``user avatar`` lines
    are dropped.
``timeline``
    The other way round: ``00:00:02`` on a line of its own, the name (a speaker label, without a colon) on the
    next, then the speech.
``rev``
    Rev: ``Speaker 1 (00:01:23):`` with the speech after it or on the next line.
``timecode``
    Trint, Descript: ``00:00:12 Name:`` (the time first), the speech after it or on the next line.
``bracket``
    QualCoder's focus groups: ``[id1] text``; Zoom's saved captions, ``[Name] 10:02:15`` with the speech on the next
    line.
``table``
    A Word or LibreOffice table with a speaker column.
``captions``
    WebVTT or SRT cues; speakers from ``<v Name>`` voice tags or ``Name:`` prefixes.
``unlabelled``
    No speaker labels at all (captions, a document from another program): one unnamed speaker, one turn per
    paragraph (per run of cues without a pause of :data:`~npt_coder.ingest._text.PAUSE` seconds), with a warning.
``pattern``
    The user's ``--speaker-pattern``.

A **speaker legend** before the first turn, ``I1 = Interviewer 1; X1 = Informant`` or Otter's ``SPEAKERS`` line,
names the speakers (a named speaker counts from its first turn, where an unnamed pseudonym must recur) and, where a
description is an interviewer's (``Interviewer 1``, ``Facilitator``), marks that speaker as the interviewer; the
user's ``--interviewer`` labels override it.

A header layout is chosen when it finds at least two headers and no fewer than the ``labels`` detection finds
labels; on a tie the more specific layout's name is recorded, since both give the same turns.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Callable, Sequence

from .._words import count, noun
from ._times import attach_times
from ._turns import (_GENERIC_LABEL, _NAME_LABEL, DEFAULT_INTERVIEWER_LABELS, IngestOptions, RawParagraph, _is_generic,
                     _match_label, parse_timestamp)

__all__ = ["LAYOUTS", "LayoutInfo", "detect_layout", "find_legend"]

LAYOUTS: dict[str, str] = {
    "labels": "speaker labels at the start of paragraphs (Interviewer:, P01:, a bold Word label)",
    "otter": "Otter.ai export: 'Name  mm:ss' header lines, the speech on the next line",
    "teams": "Microsoft Teams Word export: 'Name   m:ss' header lines, the speech on the next line",
    "zoom": "Zoom web transcript: the name on one line, HH:MM:SS on the next, then the speech",
    "timeline": "the time on a line of its own, the speaker's name on the next, then the speech",
    "rev": "Rev: 'Speaker 1 (00:01:23):' headers",
    "timecode": "Trint or Descript: '00:00:12 Name:' headers, the time first",
    "bracket": "bracketed speaker ids at the start of paragraphs ('[id1] text')",
    "table": "a table with a speaker column and a text column",
    "captions": "caption cues (WebVTT or SRT) with speakers from voice tags or 'Name:' prefixes",
    "unlabelled": "no speaker labels: one unnamed speaker",
    "pattern": "the speaker pattern given with --speaker-pattern",
}

_TIME = r"(?:\d{1,2}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?"
_NAME = r"[^\W\d_][\w'’.\-]*(?:[ ][\w'’.\-()]+){0,5}"
_GAP = r"[ \u00a0]{2,}|\t+|[ \u00a0]*\t[ \u00a0]*|[ \u00a0]"  # spaces (no-break ones too), tabs, or one space
_OTTER = re.compile(rf"^(?P<name>{_NAME})(?P<gap>{_GAP})(?P<time>{_TIME})\s*$")
# a name before a time with one space between ("Speaker 2 0:15", as copying from a browser leaves an Otter header)
# must be a speaker label, not words of speech ("We left at 10:30")
_LABEL_NAME = re.compile(rf"(?i:{_GENERIC_LABEL})|{_NAME_LABEL}")
_ZOOM_TIME = re.compile(rf"^\s*(?P<time>{_TIME})\s*$")
_ZOOM_NAME = re.compile(rf"^\s*(?P<name>{_NAME})\s*$")
_REV = re.compile(rf"^(?P<name>{_NAME})\s*\((?P<time>{_TIME})\)\s*:\s*")
_TIMECODE = re.compile(rf"^\[?(?P<time>{_TIME})\]?\s+(?P<name>{_NAME})\s*:\s*")
_BRACKET = re.compile(r"^\[(?P<name>[^\[\]\n:]{1,40})\]\s*")
_DROPPED = {
    "user avatar": re.compile(r"^\s*user avatar\s*$", re.IGNORECASE),
    "Otter.ai trailer": re.compile(r"^\s*Transcribed by https?://otter\.ai\S*\s*$", re.IGNORECASE),
}
# bracketed words that are transcription notes, not speakers
_NOT_SPEAKERS = {
    "inaudible", "laughs", "laughter", "laughing", "crosstalk", "cross talk", "pause", "silence", "unclear",
    "overlapping", "music", "noise", "redacted", "name", "sic", "coughs", "sighs", "interruption", "break",
    "end", "start", "end of recording", "end of interview", "recording", "beep", "applause", "indistinct",
}
_LEGEND_PAIR = re.compile(r"(?:^|[;,]|\s{2,})\s*(?P<label>[A-Za-z][\w.-]{0,11}(?: \d{1,3})?)\s*[=–—]\s*"
                          r"(?P<desc>[^;=\n]{1,60}?)\s*(?=[;,]\s*[A-Za-z][\w.-]{0,11}(?: \d{1,3})?\s*[=–—]|;|$)")
_SPEAKERS_HEAD = re.compile(r"^\s*SPEAKERS\s*:?\s*(?P<rest>.*)$")


@dataclass
class LayoutInfo:
    """The layout found and the evidence for it, as ``npt-coder show ID --layout`` explains it.

    ``n_headers`` counts the turn headers (or labels) the layout found; ``legend`` maps labels to the legend's
    descriptions, ``roles`` the labels the legend marks as interviewers; ``dropped`` counts lines left out of the
    text (``user avatar``, a service's trailer).
    """

    name: str
    reason: str
    n_headers: int = 0
    speakers: list[str] = field(default_factory=list)
    legend: dict[str, str] = field(default_factory=dict)
    roles: dict[str, str] = field(default_factory=dict)
    dropped: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)

    def explain(self) -> list[str]:
        """Sentences for a person: the layout, why, the legend, what was dropped."""
        lines = [f"layout: {self.name} ({LAYOUTS.get(self.name, 'unknown')})", f"why: {self.reason}"]
        if self.speakers:
            lines.append(f"speakers: {', '.join(self.speakers)}")
        if self.legend:
            lines.append("legend: " + "; ".join(f"{k} = {v}" for k, v in self.legend.items()))
        if self.roles:
            lines.append("interviewers from the legend: " + ", ".join(sorted(self.roles)))
        if self.dropped:
            lines.append("left out of the text: "
                         + ", ".join(f"{n} {k} {noun(n, 'line')}" for k, n in self.dropped.items()))
        return lines


@dataclass
class _Line:
    para: int
    start: int  # offset of the line in its paragraph's text
    text: str


@dataclass
class _Header:
    name: str
    time: str | None
    n_lines: int = 1  # lines the header takes
    rest: int | None = None  # where the speech starts on the header's own line, if it does


def _lines(paragraphs: Sequence[RawParagraph]) -> list[_Line]:
    out: list[_Line] = []
    for k, raw in enumerate(paragraphs):
        off = 0
        for ln in raw.text.split("\n"):
            out.append(_Line(k, off, ln))
            off += len(ln) + 1
    return out


def _is_name(name: str) -> bool:
    low = name.strip().lower()
    return bool(low) and low not in _NOT_SPEAKERS and not low.startswith(("http", "www")) and len(low) <= 60


def _otter(lines: list[_Line], i: int) -> _Header | None:
    m = _OTTER.match(lines[i].text.rstrip())
    if m and _is_name(m.group("name")) and (len(m.group("gap")) > 1 or _LABEL_NAME.fullmatch(m.group("name"))):
        return _Header(m.group("name").strip(), m.group("time"))
    return None


def _teams(lines: list[_Line], i: int) -> _Header | None:
    m = _OTTER.match(lines[i].text.rstrip())
    if m and _is_name(m.group("name")) and (len(m.group("gap")) >= 3 or "\t" in m.group("gap")):
        return _Header(m.group("name").strip(), m.group("time"))
    return None


def _zoom(lines: list[_Line], i: int) -> _Header | None:
    if i + 1 >= len(lines):
        return None
    m, t = _ZOOM_NAME.match(lines[i].text), _ZOOM_TIME.match(lines[i + 1].text)
    if m and t and _is_name(m.group("name")) and not _ZOOM_TIME.match(lines[i].text):
        return _Header(m.group("name").strip(), t.group("time"), n_lines=2)
    return None


def _timeline(lines: list[_Line], i: int) -> _Header | None:
    """The time on one line, then the name, which must look like a speaker label (no sentence's end) and have
    speech after it: a time line before a line of speech is no header."""
    if i + 2 >= len(lines):
        return None
    t, m = _ZOOM_TIME.match(lines[i].text), _ZOOM_NAME.match(lines[i + 1].text)
    name = m.group("name").strip() if m else ""
    if (t and m and _is_name(name) and _LABEL_NAME.fullmatch(name) and not name.endswith((".", "?", "!"))
            and lines[i + 2].text.strip() and not _ZOOM_TIME.match(lines[i + 2].text)):
        return _Header(name, t.group("time"), n_lines=2)
    return None


def _inline(regex: re.Pattern[str]) -> Callable[[list[_Line], int], _Header | None]:
    def match(lines: list[_Line], i: int) -> _Header | None:
        text = lines[i].text
        m = regex.match(text)
        if not m or not _is_name(m.group("name")):
            return None
        name = m.group("name").strip()
        if re.fullmatch(_TIME, name):
            return None
        rest = m.end() if text[m.end():].strip() else None
        time = m.groupdict().get("time")
        if time is None and rest is not None and _ZOOM_TIME.match(text[rest:]):  # "[Alex] 10:02:15" (Zoom captions)
            time, rest = _ZOOM_TIME.match(text[rest:]).group("time"), None
        return _Header(name, time, rest=rest)
    return match


_DETECTORS: tuple[tuple[str, Callable[[list[_Line], int], _Header | None]], ...] = (
    ("teams", _teams), ("otter", _otter), ("zoom", _zoom), ("timeline", _timeline), ("rev", _inline(_REV)),
    ("timecode", _inline(_TIMECODE)),
    ("bracket", _inline(_BRACKET)),
)


def find_legend(paragraphs: Sequence[RawParagraph], options: IngestOptions, *, limit: int = 20) -> LayoutInfo:
    """A speaker legend among the first ``limit`` paragraphs: ``I1 = Interviewer 1; X1 = Informant`` pairs, or
    Otter's ``SPEAKERS`` line (the names after it, or on the next line). Returns a :class:`LayoutInfo` holding only
    ``legend``, ``roles`` and ``speakers``.

    >>> from npt_coder.ingest._turns import RawParagraph
    >>> info = find_legend([RawParagraph("Key: I1 = Interviewer 1; X1 = Informant")], IngestOptions())
    >>> info.legend, info.roles
    ({'I1': 'Interviewer 1', 'X1': 'Informant'}, {'I1': 'interviewer'})
    """
    info = LayoutInfo("", "")
    interviewer_re = options.interviewer_re()
    lines = _lines(paragraphs[:limit])
    for i, line in enumerate(lines):
        text = line.text.strip()
        head = _SPEAKERS_HEAD.match(text)
        if head:
            rest = head.group("rest").strip()
            if not rest and i + 1 < len(lines):
                rest = lines[i + 1].text.strip()
            names = [n.strip() for n in rest.split(",") if n.strip() and _is_name(n.strip())]
            info.speakers.extend(n for n in names if n not in info.speakers)
            continue
        if "=" not in text and "–" not in text and "—" not in text:
            continue
        body = re.sub(r"^\s*(?:key|legend|speakers?|participants?)\s*[:：]\s*", "", text, flags=re.IGNORECASE)
        pairs = [(m.group("label"), m.group("desc").strip()) for m in _LEGEND_PAIR.finditer(body)]
        covered = sum(len(a) + len(b) for a, b in pairs)
        if not pairs or covered < 0.6 * len(re.sub(r"[\s;,=–—]", "", body)):
            continue  # a sentence with an '=' in it, not a legend
        for label, desc in pairs:
            info.legend[label] = desc
            plain = re.sub(r"\s*\d+$", "", desc)
            first = desc.split()[0] if desc.split() else desc
            if any(interviewer_re.fullmatch(x) for x in (desc, plain, first)):
                info.roles[label] = "interviewer"
    for label in info.legend:
        if label not in info.speakers:
            info.speakers.append(label)
    return info


def _labels_count(paragraphs: Sequence[RawParagraph], options: IngestOptions) -> int:
    counts: dict[str, int] = {}
    for raw in paragraphs:
        found = _match_label(raw.text.strip(), options, None)
        if found:
            counts[found[0]] = counts.get(found[0], 0) + 1
    return sum(n for lab, n in counts.items() if _is_generic(lab) or n >= options.min_name_label_count)


def _scan(lines: list[_Line], detector) -> tuple[list[tuple[int, _Header | None]], int, dict[str, int]]:
    """Each line classified: (index, header) for header lines, (index, None) for speech; dropped lines left out and
    counted by kind."""
    out: list[tuple[int, _Header | None]] = []
    dropped: dict[str, int] = {}
    n = 0
    i = 0
    while i < len(lines):
        kind = next((k for k, rx in _DROPPED.items() if rx.match(lines[i].text)), None)
        if kind is not None:
            dropped[kind] = dropped.get(kind, 0) + 1
            i += 1
            continue
        hdr = detector(lines, i)
        if hdr is not None:
            out.append((i, hdr))
            n += 1
            i += hdr.n_lines
            continue
        out.append((i, None))
        i += 1
    return out, n, dropped


def _restructure(paragraphs: Sequence[RawParagraph], lines: list[_Line], scanned) -> list[RawParagraph]:
    """Paragraphs rebuilt from classified lines: each header's speech gets the speaker and time; text before the
    first header is front matter; header and dropped lines leave the text."""
    out: list[RawParagraph] = []
    piece: list = []  # [para, start, end, header or None]
    pending: _Header | None = None
    seen_header = False
    last_line = -2

    def close():
        nonlocal piece
        if not piece:
            return
        k, s, e, hdr = piece
        raw = paragraphs[k]
        anchors = [(kind, cid, off - s) for kind, cid, off in raw.anchors if s <= off <= e]
        text = raw.text[s:e]
        if hdr is not None:
            out.append(RawParagraph(text, speaker=hdr.name, start_time=parse_timestamp(hdr.time) if hdr.time else
                                    None, anchors=anchors))
        else:
            out.append(RawParagraph(text, anchors=anchors, continues=seen_header, front=not seen_header))
        piece = []

    for i, hdr in scanned:
        line = lines[i]
        if hdr is not None:
            close()
            seen_header = True
            pending = hdr
            if hdr.rest is not None:
                piece = [line.para, line.start + hdr.rest, line.start + len(line.text), hdr]
                pending = None
            last_line = i + hdr.n_lines - 1
            continue
        if not line.text.strip():
            if piece and piece[0] == line.para and last_line == i - 1:
                piece[2] = line.start + len(line.text)
                last_line = i
            continue
        if piece and piece[0] == line.para and last_line == i - 1:
            piece[2] = line.start + len(line.text)
        else:
            close()
            piece = [line.para, line.start, line.start + len(line.text), pending]
            pending = None
        last_line = i
    close()
    return out


def detect_layout(paragraphs: Sequence[RawParagraph], options: IngestOptions, *, fmt: str = "txt"
                  ) -> tuple[list[RawParagraph], LayoutInfo]:
    """The layout of a reader's paragraphs (see the module docstring) and the paragraphs to assemble.

    Header layouts come back restructured (speaker and start time set, header lines out of the text); ``labels``,
    ``table``, ``captions`` and ``pattern`` come back as given, for :func:`~npt_coder.ingest._turns.assemble` to
    read. The legend's speakers and roles are in the returned :class:`LayoutInfo`.
    """
    legend = find_legend(paragraphs, options)
    if options.interviewer_labels != DEFAULT_INTERVIEWER_LABELS:
        legend.roles = {}  # --interviewer overrides the legend
    base = dict(speakers=list(legend.speakers), legend=dict(legend.legend), roles=dict(legend.roles))
    if fmt not in ("vtt", "srt") and not any(p.speaker is not None for p in paragraphs):
        paragraphs = attach_times(paragraphs, options, known_speakers=legend.speakers)  # "0:02" on a line of its own
    if options.speaker_pattern:
        return list(paragraphs), LayoutInfo("pattern", "a speaker pattern was given", **base)
    structured = sum(1 for p in paragraphs if p.speaker is not None)
    if fmt in ("vtt", "srt"):
        return list(paragraphs), LayoutInfo("captions", f"{fmt.upper()} cues; {structured} with a speaker from a "
                                            "voice tag or a 'Name:' prefix", n_headers=structured, **base)
    n_labels = _labels_count(paragraphs, options)
    if structured:
        name = "table" if structured >= n_labels else "labels"
        return list(paragraphs), LayoutInfo(name, f"{count(structured, 'table row')} with a speaker cell, "
                                            f"{count(n_labels, 'paragraph')} opening with a speaker label",
                                            n_headers=structured + n_labels,
                                            **base)
    lines = _lines(paragraphs)
    best = None
    for name, detector in _DETECTORS:
        scanned, n, dropped = _scan(lines, detector)
        if n >= 2 and n >= n_labels and (best is None or n > best[2]):
            best = (name, scanned, n, dropped)
    if best is None:
        opening = f"{count(n_labels, 'paragraph')} {noun(n_labels, 'opens', 'open')} with a speaker label"
        return list(paragraphs), LayoutInfo("labels", opening,
                                            n_headers=n_labels, **base)
    name, scanned, n, dropped = best
    headers = [h for _, h in scanned if h is not None]
    speakers = list(dict.fromkeys([*legend.speakers, *(h.name for h in headers)]))
    reason = (f"{count(n, 'header')} in the {name} layout, against {count(n_labels, 'paragraph')} opening with a "
              "'Speaker:' label")
    info = LayoutInfo(name, reason, n_headers=n, speakers=speakers, legend=dict(legend.legend),
                      roles=dict(legend.roles), dropped=dropped)
    return _restructure(paragraphs, lines, scanned), info
