"""What no transcript text may hold, dealt with once for every reader: control characters and over-long paragraphs.

A reader's paragraphs pass through :func:`tidy_paragraphs` before turns are found, whatever the format:

* a **form feed** (the page break of text exported from a PDF) ends the paragraph: the text after it starts a new
  one, which continues the same turn unless it opens with a speaker label;
* a **vertical tab** (how Word writes a manual line break into copied text) becomes a line break;
* every other **control character** (C0 except tab and line breaks, DEL, C1) and the non-characters U+FFFE/U+FFFF
  are removed, NUL included: they carry no text, and Word and Excel files cannot hold them, so a transcript keeping
  one could never be exported;
* a paragraph longer than :data:`MAX_PARAGRAPH_CHARS` is refused: no one speaks that long without a break, so the
  file has lost its line breaks, and a unit of coding that size would be of no use (reading it would also take
  minutes for nothing).

What was changed is returned as plain-language notes for the add summary; they count characters by their code
point (``U+0007``), never quote the text around them.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from ..errors import TranscriptFormatError
from ._turns import RawParagraph

__all__ = ["MAX_PARAGRAPH_CHARS", "tidy_paragraphs"]

#: the longest paragraph accepted, in characters (about 35,000 words: hours of speech without a pause)
MAX_PARAGRAPH_CHARS = 200_000

_REMOVED = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_NAMES = {0x00: "NUL", 0x1B: "ESC", 0x7F: "DEL"}


def _code(ch: str) -> str:
    n = ord(ch)
    return f"U+{n:04X}" + (f" {_NAMES[n]}" if n in _NAMES else "")


def _remove(text: str, anchors: list, removed: Counter) -> tuple[str, list]:
    """``text`` without :data:`_REMOVED` characters, vertical tabs as line breaks, and Word comment anchors moved
    with the text they mark."""
    if "\x0b" in text:
        removed["\x0b"] += text.count("\x0b")
        text = text.replace("\x0b", "\n")
    hits = [m.start() for m in _REMOVED.finditer(text)]
    if not hits:
        return text, anchors
    for i in hits:
        removed[text[i]] += 1
    out = _REMOVED.sub("", text)
    moved = [(kind, cid, off - sum(1 for i in hits if i < off)) for kind, cid, off in anchors]
    return out, moved


def _split_at_form_feeds(raw: RawParagraph) -> list[RawParagraph]:
    """A paragraph cut at its form feeds: the first piece keeps the speaker, start time and bold label; the last
    keeps the end time; a comment anchor goes with the piece it falls in (one at a form feed: an end marker with
    the piece before, a start marker with the piece after)."""
    pieces = raw.text.split("\x0c")
    bounds, pos = [], 0
    for piece in pieces:
        bounds.append((pos, pos + len(piece)))
        pos += len(piece) + 1
    placed: list[list] = [[] for _ in pieces]
    for kind, cid, off in raw.anchors:
        k = next((k for k, (a, b) in enumerate(bounds) if off < b or (off == b and kind == "end")), len(pieces) - 1)
        placed[k].append((kind, cid, max(0, min(off - bounds[k][0], bounds[k][1] - bounds[k][0]))))
    last = len(pieces) - 1
    return [RawParagraph(piece, speaker=raw.speaker if k == 0 else None,
                         start_time=raw.start_time if k == 0 else None, end_time=raw.end_time if k == last else None,
                         bold_prefix=raw.bold_prefix if k == 0 else "", anchors=placed[k])
            for k, piece in enumerate(pieces)]


def tidy_paragraphs(paragraphs: list[RawParagraph]) -> tuple[list[RawParagraph], list[str]]:
    """A reader's paragraphs with form feeds, vertical tabs and other control characters dealt with (see the
    module docstring), and notes saying what was changed; raises
    :class:`~npt_coder.errors.TranscriptFormatError` for a paragraph longer than :data:`MAX_PARAGRAPH_CHARS`.

    >>> paras, notes = tidy_paragraphs([RawParagraph("P01: Page one ends\\x0cpage two\\x07 starts\\x00")])
    >>> [p.text for p in paras], notes
    (['P01: Page one ends', 'page two starts'], ['1 form feed read as a paragraph break', '2 control characters removed (U+0000 NUL, U+0007)'])
    """
    removed: Counter = Counter()
    n_form_feeds = 0
    out: list[RawParagraph] = []
    for raw in paragraphs:
        text, anchors = _remove(raw.text, list(raw.anchors), removed)
        speaker = raw.speaker
        if speaker is not None and (_REMOVED.search(speaker) or "\x0b" in speaker or "\x0c" in speaker):
            speaker, _ = _remove(speaker.replace("\x0c", " "), [], removed)
        raw = replace(raw, text=text, speaker=speaker, anchors=anchors)
        if "\x0c" in text:
            n_form_feeds += text.count("\x0c")
            out.extend(_split_at_form_feeds(raw))
        else:
            out.append(raw)
    for n, raw in enumerate(out, start=1):
        if len(raw.text) > MAX_PARAGRAPH_CHARS:
            raise TranscriptFormatError(
                f"paragraph {n} is {len(raw.text):,} characters long, more than the {MAX_PARAGRAPH_CHARS:,} "
                "npt-coder takes in one paragraph; the file seems to have lost its line breaks: break it into "
                "paragraphs (at least one per speaker turn) and add it again")
    notes: list[str] = []
    if n_form_feeds:
        notes.append(f"{n_form_feeds} form feed{'s' if n_form_feeds > 1 else ''} read as "
                     f"{'paragraph breaks' if n_form_feeds > 1 else 'a paragraph break'}")
    tabs = removed.pop("\x0b", 0)
    if tabs:
        notes.append(f"{tabs} vertical tab{'s' if tabs > 1 else ''} read as "
                     f"{'line breaks' if tabs > 1 else 'a line break'}")
    if removed:
        total = sum(removed.values())
        kinds = ", ".join(_code(ch) for ch in sorted(removed))
        notes.append(f"{total} control character{'s' if total > 1 else ''} removed ({kinds})")
    return out, notes
