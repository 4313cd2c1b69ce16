"""Read transcript files into :class:`Transcript` objects: canonical text plus turns, paragraphs and sentences."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Literal, Sequence

import pandas as pd

from .._io import file_problem, read_user_bytes
from ..errors import IngestError, OptionError, TranscriptFormatError
from ._clean import tidy_paragraphs
from ._decode import decode_text_bytes
from ._docx import read_docx_paragraphs
from ._sentences import sentence_spans
from ._text import read_srt_paragraphs, read_txt_paragraphs, read_vtt_paragraphs
from ._turns import IngestOptions, Paragraph, Turn, assemble

__all__ = [
    "SEGMENT_COLUMNS", "SUPPORTED_SUFFIXES", "UNITS", "Transcript", "Unit", "read_transcript", "read_transcripts",
    "split_sentences",
]

Unit = Literal["turn", "paragraph", "sentence"]
UNITS: tuple[str, ...] = ("turn", "paragraph", "sentence")
SUPPORTED_SUFFIXES = (".docx", ".txt", ".vtt", ".srt")
SEGMENT_COLUMNS = [
    "transcript_id", "segment_id", "unit", "start", "end", "speaker", "speaker_role", "turn_id", "start_time",
    "end_time", "text",
]
_WORD = re.compile(r"\b\w[\w'’-]*\b")


@dataclass
class Transcript:
    """One transcript: its canonical text and where each turn, paragraph and sentence lies in it.

    Offsets are Python ``str`` indices (Unicode code points) into ``text``, ``end`` exclusive. ``text`` keeps the
    speaker labels (``Interviewer: ...``) so it reads like the source; turns, paragraphs and sentences cover only
    the speech after a label. Front matter (title, metadata lines before the first turn) is in ``text`` but in
    no segment.
    """

    transcript_id: str
    source_path: str
    format: str
    encoding: str | None
    text: str
    sha256: str  # of the source file's bytes: the same file added twice is recognised by it
    turns: list[Turn]
    paragraphs: list[Paragraph]
    sentences: list[tuple[int, int, int]] = field(default_factory=list)  # (start, end, turn index)
    front_matter: tuple[int, int] | None = None
    attributes: dict[str, str] = field(default_factory=dict)
    # Word comment range markers: (kind "start"/"end", comment id) -> offset into ``text``
    comment_anchors: dict[tuple[str, str], int] = field(default_factory=dict)
    # what reading changed, in words, for the add summary (control characters removed, form feeds as breaks)
    notes: list[str] = field(default_factory=list)

    @property
    def text_sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @property
    def n_words(self) -> int:
        """Words spoken in turns (labels and front matter excluded)."""
        return sum(len(_WORD.findall(self.text[t.start:t.end])) for t in self.turns)

    def label_spans(self) -> list[tuple[int, int]]:
        """Offsets of the speaker labels, which are never identifiers or coding material."""
        return [(t.label_start, t.label_end) for t in self.turns]

    def segments(self, unit: Unit = "turn") -> pd.DataFrame:
        """Segments at one unit as a DataFrame with columns :data:`SEGMENT_COLUMNS`.

        ``segment_id`` is ``t0001``/``p0001``/``s0001`` by unit and position; ``turn_id`` is the id of the turn
        a paragraph or sentence belongs to; ``start_time``/``end_time`` (seconds) come from the turn.
        """
        if unit not in UNITS:
            raise OptionError(f"unit must be one of {', '.join(map(repr, UNITS))}; got {unit!r}")
        if unit == "turn":
            spans = [(t.start, t.end, i) for i, t in enumerate(self.turns)]
        elif unit == "paragraph":
            spans = [(p.start, p.end, p.turn) for p in self.paragraphs if p.turn is not None]
        else:
            spans = self.sentences
        prefix = unit[0]
        rows = []
        for n, (start, end, ti) in enumerate(spans, start=1):
            turn = self.turns[ti]
            rows.append((self.transcript_id, f"{prefix}{n:04d}", unit, start, end, turn.speaker, turn.speaker_role,
                         f"t{ti + 1:04d}", turn.start_time, turn.end_time, self.text[start:end]))
        return pd.DataFrame(rows, columns=SEGMENT_COLUMNS)


def _paragraphs_for(path: Path, data: bytes) -> tuple[list, str, str | None, str]:
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return read_docx_paragraphs(data), "docx", None, "\n"
    text, encoding = decode_text_bytes(data)
    if suffix == ".txt":
        return read_txt_paragraphs(text), "txt", encoding, "\n\n"
    if suffix == ".vtt":
        return read_vtt_paragraphs(text), "vtt", encoding, "\n"
    return read_srt_paragraphs(text), "srt", encoding, "\n"


def read_transcripts(
    paths: Sequence[str | Path],
    *,
    options: IngestOptions | None = None,
    transcript_ids: Sequence[str | None] | None = None,
    attributes: Sequence[dict[str, str]] | None = None,
    sentences: bool = True,
    progress: Callable[[str, int, int], None] | None = None,
) -> list[Transcript]:
    """Read several transcript files; sentence splitting runs once over all of them (``nlp.pipe``).

    ``progress(stage, done, total)``, when given, is called after each file (stage ``"reading"``, counting files)
    and around the sentence splitting (stage ``"sentences"``, 0 then 1 of 1).

    Raises :class:`~npt_coder.errors.IngestError` naming the first file that cannot be read and why: missing
    file, unknown extension, a damaged ``.docx``, an empty or binary file, a paragraph too long to be one, or no
    detectable speaker turns. What reading changed (control characters removed, see
    :func:`~npt_coder.ingest._clean.tidy_paragraphs`) is in each transcript's ``notes``.
    """
    options = options or IngestOptions()
    out: list[Transcript] = []
    for i, p in enumerate(paths):
        path = Path(p)
        problem = file_problem(path)
        if problem:
            raise IngestError(path, problem)
        if path.suffix.lower() not in SUPPORTED_SUFFIXES:
            raise IngestError(
                path, f"unsupported file type {path.suffix or '(none)'!r}; use {', '.join(SUPPORTED_SUFFIXES)}"
            )
        data = read_user_bytes(path, IngestError, "transcript file")
        try:
            raws, fmt, encoding, separator = _paragraphs_for(path, data)
            raws, notes = tidy_paragraphs(raws)  # control characters, form feeds, over-long paragraphs
            assembled = assemble(raws, options, separator=separator)
        except TranscriptFormatError as err:
            raise IngestError(path, str(err)) from None
        tid = (transcript_ids[i] if transcript_ids else None) or path.stem
        out.append(Transcript(
            transcript_id=tid, source_path=str(path), format=fmt, encoding=encoding, text=assembled.text,
            sha256=hashlib.sha256(data).hexdigest(), turns=assembled.turns, paragraphs=assembled.paragraphs,
            front_matter=assembled.front_matter, attributes=dict(attributes[i]) if attributes else {},
            comment_anchors=assembled.anchors, notes=notes,
        ))
        if progress is not None:
            progress("reading", i + 1, len(paths))
    if sentences:
        if progress is not None:
            progress("sentences", 0, 1)
        split_sentences(out)
        if progress is not None:
            progress("sentences", 1, 1)
    return out


def split_sentences(transcripts: Sequence[Transcript]) -> None:
    """Fill each transcript's ``sentences`` from its turn paragraphs (sentences never cross a paragraph)."""
    jobs = [(t, p) for t in transcripts for p in t.paragraphs if p.turn is not None]
    spans = sentence_spans(t.text[p.start:p.end] for t, p in jobs)
    for t in transcripts:
        t.sentences = []
    for (t, p), found in zip(jobs, spans):
        t.sentences.extend((p.start + s, p.start + e, p.turn) for s, e in found)


def read_transcript(path: str | Path, *, options: IngestOptions | None = None, transcript_id: str | None = None,
                    attributes: dict[str, str] | None = None) -> Transcript:
    """Read one transcript file (``.docx``, ``.txt``, ``.vtt`` or ``.srt``).

    Examples
    --------
    >>> import npt_coder as nc
    >>> t = nc.read_transcript(nc.demo_path() / "S1_P02.txt")
    >>> t.turns[0].speaker_role, t.segments("turn").columns[:4].tolist()
    ('interviewer', ['transcript_id', 'segment_id', 'unit', 'start'])
    """
    return read_transcripts([path], options=options, transcript_ids=[transcript_id],
                            attributes=[attributes or {}])[0]
