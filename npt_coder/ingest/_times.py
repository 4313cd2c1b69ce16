"""Timestamps written on a line of their own, next to a speaker label.

Some exports put a turn's time on its own line rather than on the label's: ``0:02`` (or ``00:00:02``, ``[00:02]``)
on the line before ``Interviewer: ...``, as Google Meet and several Zoom and Teams text exports do, or on the line
after a label that stands alone (``Interviewer:``, then ``00:00:02``, then the speech). Before layouts are detected,
:func:`attach_times` moves such a time onto the paragraph of the label it belongs to (its ``start_time``) and takes
the line out of the text, so that the turn keeps its time and its text holds neither the time nor the blank lines
around it:

* a time line is the label's when the next non-blank line opens a paragraph with a speaker label that has no time
  of its own, or else when the line before it is a label with no speech after it;
* a label counts here as it counts for turns (a role such as ``Interviewer`` or ``P01``, a name in the speaker
  legend, or a name that opens at least ``min_name_label_count`` paragraphs);
* a time line next to no label is left alone: :func:`~npt_coder.ingest._turns.assemble` drops a paragraph that
  holds nothing but a time.

A time at the very start of a label's paragraph (``0:02\\nInterviewer: ...`` in one Word paragraph) is read by
:func:`~npt_coder.ingest._turns.assemble` itself and not moved here.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Sequence

from ._turns import _TIMESTAMP, IngestOptions, RawParagraph, _is_generic, _match_label, parse_timestamp

__all__ = ["attach_times", "is_bare_time"]

_BARE = re.compile(rf"^\s*(?P<ts>{_TIMESTAMP})\s*$")


def is_bare_time(line: str) -> str | None:
    """The timestamp a line holds when it holds nothing else, else None.

    >>> is_bare_time("  [00:01:02] "), is_bare_time("0:02"), is_bare_time("at 0:02")
    ('[00:01:02]', '0:02', None)
    """
    m = _BARE.match(line)
    return m.group("ts") if m else None


def _labels(paragraphs: Sequence[RawParagraph], options: IngestOptions, known: set[str]) -> list[tuple | None]:
    """For each paragraph, ``(has its own time, has speech after the label)`` when it opens with a label that
    counts, else None."""
    user_re = re.compile(options.speaker_pattern) if options.speaker_pattern else None
    found = []
    counts: dict[str, int] = {}
    for raw in paragraphs:
        text = raw.text.strip()
        hit = None if raw.speaker is not None or raw.front or raw.continues else _match_label(text, options, user_re)
        found.append((hit, text))
        if hit:
            counts[hit[0]] = counts.get(hit[0], 0) + 1
    out: list[tuple | None] = []
    for hit, text in found:
        if hit is None or not (user_re is not None or _is_generic(hit[0]) or hit[0] in known
                               or counts[hit[0]] >= options.min_name_label_count):
            out.append(None)
        else:
            out.append((hit[2] is not None, bool(text[hit[1]:].strip())))
    return out


def _without_line(raw: RawParagraph, start: int, end: int) -> RawParagraph:
    """``raw`` without ``text[start:end]``; comment anchors after the cut move back with their text."""
    cut = end - start
    anchors = [(kind, cid, off if off <= start else max(start, off - cut)) for kind, cid, off in raw.anchors]
    return replace(raw, text=raw.text[:start] + raw.text[end:], anchors=anchors)


def _edge_time(text: str, *, last: bool) -> tuple[str, int, int] | None:
    """(timestamp, start, end) of the last (or first) non-blank line of ``text`` when it is a bare time; the span
    runs to the end (from the start) of ``text``, so that it takes the blank lines beyond the time too."""
    lines = text.split("\n")
    pos, offsets = 0, []
    for ln in lines:
        offsets.append(pos)
        pos += len(ln) + 1
    for i in (range(len(lines) - 1, -1, -1) if last else range(len(lines))):
        if lines[i].strip():
            ts = is_bare_time(lines[i])
            if ts is None:
                return None
            start, end = offsets[i], offsets[i] + len(lines[i])
            return (ts, max(start - 1, 0), len(text)) if last else (ts, 0, min(end + 1, len(text)))
    return None


def attach_times(paragraphs: Sequence[RawParagraph], options: IngestOptions, *,
                 known_speakers: Sequence[str] = ()) -> list[RawParagraph]:
    """The paragraphs with each time that stands on its own line next to a label moved onto that label's paragraph
    (see the module docstring); a paragraph left empty is dropped, its comment anchors going to the one before.

    >>> paras = attach_times([RawParagraph("0:02"), RawParagraph("Interviewer: Hello."),
    ...                       RawParagraph("P1:"), RawParagraph("[00:00:15]"), RawParagraph("Hi.")], IngestOptions())
    >>> [(p.text, p.start_time) for p in paras]
    [('Interviewer: Hello.', 2.0), ('P1:', 15.0), ('Hi.', None)]
    """
    out = list(paragraphs)
    labels = _labels(out, options, set(known_speakers))
    nonempty = [k for k, raw in enumerate(out) if raw.text.strip()]
    for n, k in enumerate(nonempty):
        raw = out[k]
        if raw.speaker is not None or raw.front or raw.continues:
            continue
        nxt = nonempty[n + 1] if n + 1 < len(nonempty) else None
        prev = nonempty[n - 1] if n > 0 else None
        # a label's paragraph gives its last line away only after speech ("Interviewer:\n0:02" is its own time)
        last = _edge_time(raw.text, last=True) if labels[k] is None or labels[k][1] else None
        if last and nxt is not None and labels[nxt] and not labels[nxt][0] and out[nxt].start_time is None:
            out[nxt] = replace(out[nxt], start_time=parse_timestamp(last[0]))
            out[k] = raw = _without_line(raw, last[1], last[2])
            labels[nxt] = (True, labels[nxt][1])
            if not raw.text.strip():
                continue
        first = None if labels[k] is not None else _edge_time(raw.text, last=False)
        if (first and prev is not None and labels[prev] and not labels[prev][0] and not labels[prev][1]
                and out[prev].start_time is None):
            out[prev] = replace(out[prev], start_time=parse_timestamp(first[0]))
            out[k] = _without_line(raw, first[1], first[2])
            labels[prev] = (True, False)
    kept: list[RawParagraph] = []
    for k, raw in enumerate(out):
        if raw.text.strip() or raw is paragraphs[k]:
            kept.append(raw)
        elif raw.anchors and kept:  # comment markers of an emptied paragraph belong to the end of the one before
            kept[-1] = replace(kept[-1], anchors=[*kept[-1].anchors, *((kd, i, len(kept[-1].text))
                                                                        for kd, i, _ in raw.anchors)])
    return kept
