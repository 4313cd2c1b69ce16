"""Speaker labels, timestamps and turns: from a reader's paragraphs to one canonical text with offsets.

Every reader (Word, OpenDocument, text, WebVTT, SRT) produces a list of :class:`RawParagraph` in document order,
which the layout detection (:mod:`~npt_coder.ingest._layouts`) may restructure; the :func:`assemble` function here
does what is common to all of them:

* drops a timestamp such as ``[00:01:23]`` that opens a paragraph (before or after the speaker label) and keeps it
  as the turn's ``start_time``;
* finds the speaker label (``Interviewer:``, ``I:``, ``P01:``, ``Participant 3:``, a pseudonym such as ``Robin:``,
  or the user's own pattern);
* joins the paragraphs into one canonical text, labels included, and records every turn, paragraph and label as
  ``(start, end)`` offsets into it;
* treats the paragraphs before the first labelled one as front matter (title, metadata), not as a turn, and a
  paragraph with no label as the continuation of the turn before it;
* leaves out a paragraph that holds nothing but a time, and starts a turn whose label stands alone at the
  paragraph after it (its time, if the label had none, from that paragraph's), so that no turn opens with blank
  lines (times on a line of their own next to a label are moved onto it first, by
  :func:`~npt_coder.ingest._times.attach_times`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Mapping, Sequence

from ..errors import TranscriptFormatError
from ._decode import canonical_text

__all__ = [
    "DEFAULT_INTERVIEWER_LABELS",
    "IngestOptions",
    "Paragraph",
    "RawParagraph",
    "Turn",
    "assemble",
    "parse_timestamp",
]

# Labels that name a role rather than a person; always accepted as speakers.
_GENERIC_LABEL = (
    r"(?:interviewer|interviewee|int|i|q|a|facilitator|co-facilitator|moderator|note[- ]?taker|observer"
    r"|researcher(?:\s*\d+)?|respondent(?:\s*\d+)?|participant(?:\s*\d+)?|speaker(?:\s*\d+)?|child|parent|carer"
    r"|r\d*|p\d*|id\s?\d+|[a-z]{1,3}\d{1,3})"
)
# A pseudonym or a role written out: one to three capitalised words, optionally a number or "(pseudonym)".
_NAME_LABEL = r"(?:[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,2}(?:\s+\d+)?(?:\s*\((?:pseudonym|[A-Za-z ]{1,20})\))?)"
_TIMESTAMP = r"[\[(]?(?:\d{1,2}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?[\])]?"

# Lines like "Date: spring 2024" before the first turn are metadata, never a speaker.
_METADATA_KEYS = {
    "date", "time", "duration", "length", "site", "location", "venue", "role", "method", "mode", "project",
    "study", "title", "transcript", "transcriber", "transcribed by", "note", "notes", "recording", "file",
    "attendees", "present", "interview", "focus group", "version", "format", "audio", "setting", "topic",
    "subject", "ref", "reference", "case", "type", "start", "end", "agency", "organisation", "team",
    "confidential", "source", "tel", "email", "phone", "address", "key",
}

DEFAULT_INTERVIEWER_LABELS: tuple[str, ...] = (
    r"interviewer", r"int", r"i", r"q", r"facilitator", r"co-facilitator", r"moderator", r"researcher(\s*\d+)?",
    r"note[- ]?taker", r"observer",
)

_TS_RE = re.compile(rf"^\s*(?P<ts>{_TIMESTAMP})\s*")
# Generic labels match in any case ("INT", "Int"); a pseudonym label must be capitalised.
_LABEL_RE = re.compile(
    rf"^(?P<label>(?i:{_GENERIC_LABEL})|{_NAME_LABEL})\s*(?P<ts>{_TIMESTAMP})?\s*"
    rf"(?:(?<!\s\d)(?<!\s\d\d)(?<!:\d\d)[:：]|[:：](?!\d\d))\s*(?P<ts2>{_TIMESTAMP})?\s*"
)  # a colon inside a time is no label's: "Interviewer 1:02:15" is a header line, not the label "Interviewer 1"
# with the speech "02:15" (while "P1:00:01:30 text" is the label P1 and its time)
# Case-sensitive check applied to a match: a name label must start with a capital letter.
_GENERIC_ONLY = re.compile(rf"^{_GENERIC_LABEL}$", re.IGNORECASE)


def parse_timestamp(value: str | None) -> float | None:
    """Seconds from ``[hh:mm:ss]``, ``mm:ss``, ``00:01:02.340`` or ``00:01:02,340``; None for None.

    >>> parse_timestamp("[00:01:23]"), parse_timestamp("01:02.5"), parse_timestamp("1:00:00,250")
    (83.0, 62.5, 3600.25)
    """
    if value is None:
        return None
    parts = value.strip("[]() ").replace(",", ".").split(":")
    seconds = 0.0
    for part in parts:
        seconds = seconds * 60 + float(part)
    return seconds


@dataclass(frozen=True)
class IngestOptions:
    """How turns are found; every reader takes one.

    Parameters
    ----------
    speaker_pattern : str, optional
        A regular expression matched at the start of a paragraph whose named group ``speaker`` (or, without
        one, the whole match minus a trailing colon) is the speaker label, e.g. ``r"(?P<speaker>[A-Z]{2}\\d):"``.
        Replaces the built-in label detection.
    interviewer_labels : sequence of str
        Regular expressions (matched case-insensitively against the whole label) for speakers who are
        interviewers or facilitators; every other speaker is a participant.
    min_name_label_count : int
        A label that is not a generic role (``Interviewer``, ``P01``, ``R2``...) but looks like a pseudonym
        (``Robin:``) counts only if it opens at least this many paragraphs, so that ``Note: ...`` or a
        sentence like ``Honestly: ...`` is not taken for a speaker.
    unlabelled : bool, optional
        What to do with a file in which no speaker label is found: ``True`` reads it as one unnamed speaker (with a
        warning), ``False`` refuses it. ``None`` (the default) decides by kind: caption files (``.vtt``, ``.srt``)
        and sources from another program's project are read as one speaker, since a transcript without labels is
        still a transcript there; a ``.txt``, ``.docx`` or ``.odt`` without labels is refused, because there it far
        more often means labels written in a way the detection does not know, which one speaker would hide.
    """

    speaker_pattern: str | None = None
    interviewer_labels: Sequence[str] = DEFAULT_INTERVIEWER_LABELS
    min_name_label_count: int = 2
    unlabelled: bool | None = None

    def interviewer_re(self) -> re.Pattern[str]:
        return re.compile("|".join(f"(?:{p})" for p in self.interviewer_labels), re.IGNORECASE)


@dataclass
class RawParagraph:
    """One paragraph as a reader found it, before labels and timestamps are interpreted.

    ``speaker`` is set by readers that know it from structure (a WebVTT voice tag, the speaker column of a Word
    table, a layout's header line); ``start_time``/``end_time`` in seconds where the format carries them;
    ``bold_prefix`` is the text of leading bold runs in Word (a bold label without a colon counts as a label).
    A layout that knows the structure marks a paragraph as ``continues`` (more of the turn before it) or ``front``
    (front matter), so that nothing in it is taken for a label; ``unlabelled`` says the speaker's name is not
    written in the text (a transcript without labels), so none is put there.
    """

    text: str
    speaker: str | None = None
    start_time: float | None = None
    end_time: float | None = None
    bold_prefix: str = ""
    anchors: list = field(default_factory=list)  # Word comment markers: (kind, id, offset into ``text``)
    continues: bool = False
    front: bool = False
    unlabelled: bool = False


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of the canonical text: ``start``/``end`` cover its spoken content (after any label)."""

    start: int
    end: int
    turn: int | None  # index into turns; None for front matter


@dataclass(frozen=True)
class Turn:
    """One speaker turn: ``start``/``end`` cover the speech from after the label to the end of its last paragraph."""

    start: int
    end: int
    speaker: str
    speaker_role: str  # "interviewer" or "participant"
    label_start: int
    label_end: int
    start_time: float | None = None
    end_time: float | None = None


@dataclass
class Assembled:
    text: str
    turns: list[Turn] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    front_matter: tuple[int, int] | None = None
    anchors: dict[tuple[str, str], int] = field(default_factory=dict)  # (kind, comment id) -> canonical offset


def _match_label(text: str, options: IngestOptions, user_re: re.Pattern[str] | None):
    """Return (label, content_offset, timestamp) for a paragraph, or None if it has no label."""
    ts = None
    offset = 0
    m_ts = _TS_RE.match(text)
    if m_ts:
        ts = m_ts.group("ts")
        offset = m_ts.end()
    rest = text[offset:]
    if user_re is not None:
        m = user_re.match(rest)
        if not m:
            return None
        label = m.groupdict().get("speaker") or m.group(0).rstrip().rstrip(":：").strip()
        return label.strip(), offset + m.end(), ts, offset
    m = _LABEL_RE.match(rest)
    if not m:
        return None
    label = m.group("label").strip()
    if label.lower() in _METADATA_KEYS:
        return None
    return label, offset + m.end(), ts or m.group("ts") or m.group("ts2"), offset


def _is_generic(label: str) -> bool:
    return bool(_GENERIC_ONLY.match(label))


def assemble(paragraphs: Sequence[RawParagraph], options: IngestOptions, *, separator: str = "\n",
             known_speakers: Sequence[str] = (), roles: Mapping[str, str] | None = None) -> Assembled:
    """Join reader paragraphs into canonical text and find turns; see the module docstring for the rules.

    ``known_speakers`` (from a speaker legend) count as labels from their first paragraph; ``roles`` (label ->
    ``"interviewer"``, from a legend) mark interviewers besides ``options.interviewer_labels``.
    Raises ``ValueError`` (with the reason) when no turn can be found.
    """
    known = set(known_speakers)
    roles = dict(roles or {})
    user_re = re.compile(options.speaker_pattern) if options.speaker_pattern else None
    interviewer_re = options.interviewer_re()

    # First pass: clean texts, find candidate labels.
    items = []
    for raw in paragraphs:
        full = canonical_text(raw.text)
        text = full.strip()
        if not text:
            if raw.anchors and items:  # markers in an empty paragraph belong to the end of the one before
                items[-1][2].anchors.extend((k, i, 10**9) for k, i, _ in raw.anchors)
            continue
        if raw.anchors and len(full) != len(raw.text):
            raw.anchors = []  # normalisation changed lengths: comment positions cannot be mapped exactly
        raw.anchors = [(k, i, off - (len(full) - len(full.lstrip()))) for k, i, off in raw.anchors]
        label = None
        if raw.front or raw.continues:
            items.append((text, None, raw))
            continue
        if raw.speaker is not None:
            speaker = canonical_text(raw.speaker).strip()
            m_ts = _TS_RE.match(text)
            ts = m_ts.group("ts") if m_ts else None
            body = text[m_ts.end():] if m_ts else text
            label = (speaker, None, ts, body)
        else:
            found = _match_label(text, options, user_re)
            if found is None and raw.bold_prefix:
                bold = raw.bold_prefix.strip().rstrip(":：").strip()
                if bold and (_is_generic(bold) or re.fullmatch(_NAME_LABEL, bold)):
                    pos = text.find(bold)
                    after = text[pos + len(bold):]
                    content = pos + len(bold) + (len(after) - len(after.lstrip(" :：\t")))
                    found = (bold, content, None, pos)
            if found is not None:
                lab, content, ts, lab_start = found
                label = (lab, (lab_start, content), ts, None)
            else:
                m_ts = _TS_RE.match(text)
                if m_ts and not text[m_ts.end():].strip():  # nothing but a time: no text, like an empty paragraph
                    if raw.anchors and items:
                        items[-1][2].anchors.extend((k, i, 10**9) for k, i, _ in raw.anchors)
                    continue
                if m_ts:  # a timestamp alone before unlabelled text: keep the time, drop it from the text
                    label = (None, None, m_ts.group("ts"), text[m_ts.end():])
        items.append((text, label, raw))

    # Pseudonym-like labels must recur, generic ones need not (see IngestOptions.min_name_label_count).
    counts: dict[str, int] = {}
    for _, label, raw in items:
        if label and label[0] and raw.speaker is None and user_re is None and not _is_generic(label[0]):
            counts[label[0]] = counts.get(label[0], 0) + 1

    def accepted(label, raw) -> bool:
        if not label or not label[0]:
            return False
        if raw.speaker is not None or user_re is not None or _is_generic(label[0]) or label[0] in known:
            return True
        return counts.get(label[0], 0) >= options.min_name_label_count

    out = Assembled(text="")
    pieces: list[str] = []
    pos = 0
    current: dict | None = None
    front_start = front_end = None

    def close_turn():
        if current is not None:
            out.turns.append(Turn(**current))

    for text, label, raw in items:
        if pieces:
            pieces.append(separator)
            pos += len(separator)
        is_turn = accepted(label, raw)
        cut, shift = 0, 0  # how offsets in the source paragraph map into ``text`` (for Word comment markers)
        if is_turn:
            speaker, span, ts, body = label
            if raw.unlabelled:  # the speaker is not named in the text: an empty label before the speech
                cut, shift = len(text) - len(body.strip()), 0
                text = body.strip()
                lab_start = lab_end = content = pos
            elif body is not None:  # speaker known from structure: write "Speaker: body"
                prefix = f"{speaker}: "
                cut, shift = len(text) - len(body.strip()), len(prefix)
                text = prefix + body.strip()
                lab_start, content = pos, pos + len(prefix)
                lab_end = pos + len(speaker)
            else:
                lab_off, content_off = span
                # remove a timestamp that stood before the label or between label and text
                label_text = text[lab_off:content_off]
                clean_label = re.sub(_TIMESTAMP, "", label_text)
                clean_label = re.sub(r"\s+([:：])", r"\1", clean_label).rstrip() + " "
                cut, shift = content_off, len(clean_label)
                text = clean_label + text[content_off:]
                lab_start = pos
                lab_end = pos + len(speaker)
                content = pos + len(clean_label)
            close_turn()
            role = roles.get(speaker) or ("interviewer" if interviewer_re.fullmatch(speaker) else "participant")
            start_time = parse_timestamp(ts) if ts else raw.start_time
            current = dict(start=content, end=pos + len(text), speaker=speaker, speaker_role=role,
                           label_start=lab_start, label_end=lab_end, start_time=start_time, end_time=raw.end_time)
            out.paragraphs.append(Paragraph(content, pos + len(text), len(out.turns)))
        else:
            if label and label[0] is None and label[3] is not None:
                cut = len(text) - len(label[3])
                text = label[3]  # timestamp stripped from an unlabelled paragraph
            if current is None:
                if front_start is None:
                    front_start = pos
                front_end = pos + len(text)
                out.paragraphs.append(Paragraph(pos, pos + len(text), None))
            else:
                if current["start"] == current["end"]:  # the label stood alone: the speech starts here
                    if out.paragraphs and out.paragraphs[-1].start == out.paragraphs[-1].end:
                        out.paragraphs.pop()  # the label's empty paragraph is no segment
                    current["start"] = pos
                    if current["start_time"] is None and label and label[2]:
                        current["start_time"] = parse_timestamp(label[2])
                current["end"] = pos + len(text)
                if raw.end_time is not None:
                    current["end_time"] = raw.end_time
                out.paragraphs.append(Paragraph(pos, pos + len(text), len(out.turns)))
        for kind, cid, off in raw.anchors:
            out.anchors[(kind, cid)] = pos + min(shift + max(off - cut, 0), len(text))
        pieces.append(text)
        pos += len(text)
    close_turn()
    out.text = "".join(pieces)
    if front_start is not None:
        out.front_matter = (front_start, front_end)
    if not out.turns:
        raise TranscriptFormatError(
            "no speaker turns found (expected labels such as 'Interviewer:', 'P01:' or 'Participant 3:' at the "
            "start of paragraphs; give --speaker-pattern for other conventions)"
        )
    return out
