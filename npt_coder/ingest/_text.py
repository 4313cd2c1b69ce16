"""Plain-text, WebVTT and SRT transcripts -> reader paragraphs."""

from __future__ import annotations

import html
import re

from ..errors import TranscriptFormatError
from ._turns import _LABEL_RE, RawParagraph, _is_generic, parse_timestamp

__all__ = ["PAUSE", "read_srt_paragraphs", "read_txt_paragraphs", "read_vtt_paragraphs"]

#: Seconds of silence between two cues without speakers that start a new turn of the unnamed speaker.
PAUSE = 2.0

_BLANK_LINES = re.compile(r"\n[ \t]*\n+")
_TIMING = re.compile(
    r"^\s*(?P<a>(?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})\s*-->\s*(?P<b>(?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})(?:\s.*)?$"
)
_VOICE = re.compile(r"<v(?:\.[\w.-]+)?\s+([^>]+)>", re.IGNORECASE)
_TAG = re.compile(r"</?[^>\n]+>")


def read_txt_paragraphs(text: str) -> list[RawParagraph]:
    """Paragraphs of a decoded text file.

    Blank lines separate paragraphs. Inside a block, a line that opens with a speaker label starts a new
    paragraph, so files with one turn per line and no blank lines work too; other lines of a block stay in
    its paragraph (hard-wrapped text keeps its line breaks).
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    out: list[RawParagraph] = []
    for block in _BLANK_LINES.split(text):
        lines = block.split("\n")
        current: list[str] = []
        for line in lines:
            if current and _LABEL_RE.match(line.lstrip()):
                out.append(RawParagraph("\n".join(current)))
                current = []
            current.append(line)
        if current:
            out.append(RawParagraph("\n".join(current)))
    return out


def _cue_blocks(text: str):
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for block in _BLANK_LINES.split(text):
        lines = [ln for ln in block.split("\n") if ln.strip()]
        timing_idx = next((i for i, ln in enumerate(lines) if _TIMING.match(ln)), None)
        if timing_idx is None:
            continue  # header, NOTE, STYLE or REGION block, or a stray line
        m = _TIMING.match(lines[timing_idx])
        payload = lines[timing_idx + 1:]
        yield parse_timestamp(m.group("a")), parse_timestamp(m.group("b")), payload


def _clean(line: str) -> str:
    """A cue line without its tags (``<c.colour>``, ``<b>``, ``<font ...>``, inline ``<00:00:01.000>`` times) and
    with entities (``&amp;``) decoded."""
    return re.sub(r"\s+", " ", html.unescape(_TAG.sub("", line))).strip()


def _without_repeats(blocks):
    """Cues without the lines that repeat the cue before them: auto-captions roll each line up into the next cue
    (and add near-empty transition cues), so every line would otherwise be read twice."""
    previous: set[str] = set()
    for start, end, payload in blocks:
        cleaned = [_clean(ln) for ln in payload]
        flash = end - start < 0.05  # a transition cue shown for an instant
        kept = [ln for n, (ln, c) in enumerate(zip(payload, cleaned))
                if c and not (c in previous and not _VOICE.search(ln) and (flash or n + 1 < len(payload)))]
        previous = {c for c in cleaned if c}
        yield start, end, kept


def _cue(start, end, payload) -> tuple:
    """(start, end, speaker, text) of one cue: speaker from a ``<v Name>`` voice tag, else a ``Name:`` prefix."""
    joined = " ".join(payload)
    voice = _VOICE.search(joined)
    body = _clean(joined)
    if voice:
        return start, end, voice.group(1).strip(), body, body
    m = _LABEL_RE.match(body)
    if m and not m.group("ts"):
        return start, end, m.group("label").strip(), body[m.end():].strip(), body
    return start, end, None, body, body


def _demote_rare_names(cues: list[tuple]) -> list[tuple]:
    """A ``Name:`` prefix that is not a generic role label counts only if it recurs (see IngestOptions)."""
    counts: dict[str, int] = {}
    for c in cues:
        if c[2] is not None and c[3] != c[4]:
            counts[c[2]] = counts.get(c[2], 0) + 1
    out = []
    for start, end, speaker, text, whole in cues:
        if speaker is not None and text != whole and not _is_generic(speaker) and counts.get(speaker, 0) < 2:
            speaker, text = None, whole
        out.append((start, end, speaker, text))
    return out


def _merge_cues(cues) -> list[RawParagraph]:
    """Consecutive cues by the same speaker form one paragraph (one turn) spanning their timings; a cue with no
    speaker continues the paragraph before it."""
    out: list[RawParagraph] = []
    for start, end, speaker, text in cues:
        if not text:
            continue
        last = out[-1] if out else None
        if last is not None and (speaker is None or speaker == last.speaker):
            last.text = f"{last.text} {text}"
            last.end_time = end
        else:
            out.append(RawParagraph(text, speaker=speaker, start_time=start, end_time=end))
    return out


def _by_pauses(cues) -> list[RawParagraph]:
    """Cues without any speaker: consecutive cues form one paragraph until a pause of :data:`PAUSE` seconds."""
    out: list[RawParagraph] = []
    for start, end, _, text in cues:
        if not text:
            continue
        last = out[-1] if out else None
        if last is not None and start is not None and last.end_time is not None and start - last.end_time < PAUSE:
            last.text = f"{last.text} {text}"
            last.end_time = end
        else:
            out.append(RawParagraph(text, start_time=start, end_time=end))
    return out


def _paragraphs(text: str) -> list[RawParagraph]:
    cues = _demote_rare_names([_cue(*c) for c in _without_repeats(_cue_blocks(text))])
    if not any(c[3] for c in cues):
        return []
    if any(c[2] is not None for c in cues):
        return _merge_cues(cues)
    return _by_pauses(cues)


def read_vtt_paragraphs(text: str) -> list[RawParagraph]:
    """WebVTT cues -> paragraphs (Microsoft Teams style ``<v Name>`` voice tags, or ``Name:`` prefixes; without
    either, runs of cues between pauses). Cue identifiers, settings, ``NOTE``/``STYLE``/``REGION`` blocks, tags and
    the lines auto-captions repeat are not text."""
    if not text.lstrip("\ufeff").startswith("WEBVTT"):
        raise TranscriptFormatError("not a WebVTT file (the first line must be WEBVTT)")
    out = _paragraphs(text)
    if not out:
        raise TranscriptFormatError("the WebVTT file has no cues with text")
    return out


def read_srt_paragraphs(text: str) -> list[RawParagraph]:
    """SRT subtitles -> paragraphs; speakers from ``Name:`` prefixes (or ``<v Name>`` tags where present), as for
    WebVTT (:func:`read_vtt_paragraphs`)."""
    out = _paragraphs(text)
    if not out:
        raise TranscriptFormatError("no subtitle cues found (expected '00:00:01,000 --> 00:00:04,000' timing lines)")
    return out
