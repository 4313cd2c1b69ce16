"""Read transcript files into :class:`Transcript` objects: canonical text plus turns, paragraphs and sentences."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Literal, Sequence

import pandas as pd

from .._io import file_problem, read_user_bytes
from .._words import count
from ..errors import IngestError, OptionError, TranscriptFormatError
from ._align import Alignment, align
from ._clean import tidy_paragraphs
from ._decode import decode_text_bytes
from ._docx import read_docx_paragraphs
from ._header import read_header, read_vtt_header
from ._layouts import LayoutInfo, detect_layout
from ._odt import read_odt_paragraphs
from ._sentences import sentence_spans
from ._text import read_srt_paragraphs, read_txt_paragraphs, read_vtt_paragraphs
from ._turns import Assembled, IngestOptions, Paragraph, RawParagraph, Turn, assemble

__all__ = [
    "SEGMENT_COLUMNS", "SUPPORTED_SUFFIXES", "UNITS", "UNNAMED_SPEAKER", "Transcript", "Unit", "read_text_source",
    "read_transcript", "read_transcript_bytes", "read_transcripts", "split_sentences",
]

Unit = Literal["turn", "paragraph", "sentence"]
UNITS: tuple[str, ...] = ("turn", "paragraph", "sentence")
SUPPORTED_SUFFIXES = (".docx", ".odt", ".txt", ".vtt", ".srt")
#: The speaker of a transcript without labels, unless its ``speaker`` attribute names one.
UNNAMED_SPEAKER = "Speaker"
_NO_TURNS = "no speaker turns found"
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
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
    # what reading changed, in words, for the add summary (control characters removed, form feeds as breaks); their
    # summary is also the first of ``warnings``
    notes: list[str] = field(default_factory=list)
    layout: str = "labels"  # see npt_coder.ingest._layouts.LAYOUTS
    layout_info: dict = field(default_factory=dict)  # LayoutInfo.to_dict(): why, speakers, legend, dropped lines
    warnings: list[str] = field(default_factory=list)  # what a person should know about how it was read
    # the decoded text of a text file (or a REFI-QDA source) before it became ``text``; None for Word and ODF
    source_text: str | None = field(default=None, repr=False)

    def source_alignment(self) -> Alignment | None:
        """``text`` aligned onto :attr:`source_text` (None when there is none), computed once."""
        if self.source_text is None:
            return None
        if getattr(self, "_to_source", None) is None:
            self._to_source = align(self.text, self.source_text)
        return self._to_source

    def source_location(self, offset: int) -> str:
        r"""Where offset ``offset`` of ``text`` is in the file it was read from: ``line L, column C`` of a text file
        (both from 1, columns in characters), ``paragraph N`` of a Word or OpenDocument file (non-empty paragraphs
        counted from 1).

        >>> t = read_text_source("Title\r\n\r\nI: Hello there.\r\nP1: Hi, I am here.", "x", sentences=False)
        >>> t.source_location(t.text.index("am"))
        'line 4, column 11'
        """
        al = self.source_alignment()
        if al is None:
            n = next((i for i, p in enumerate(self.paragraphs) if offset <= p.end), len(self.paragraphs) - 1)
            return f"paragraph {n + 1}"
        pos = al.position(offset)
        breaks = list(_LINE_BREAK.finditer(self.source_text, 0, pos))
        line_start = breaks[-1].end() if breaks else 0
        line = len(breaks) + 1
        return f"line {line}, column {pos - line_start + 1}"

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
        rows = []
        for segment_id, start, end, ti in self.segment_spans(unit):
            turn = self.turns[ti]
            rows.append((self.transcript_id, segment_id, unit, start, end, turn.speaker, turn.speaker_role,
                         f"t{ti + 1:04d}", turn.start_time, turn.end_time, self.text[start:end]))
        return pd.DataFrame(rows, columns=SEGMENT_COLUMNS)

    def segment_spans(self, unit: Unit = "turn") -> list[tuple[str, int, int, int]]:
        """``(segment_id, start, end, turn index)`` of each segment at one unit, as :meth:`segments` numbers them
        (without building a table: the store writes these for every transcript it adds)."""
        if unit not in UNITS:
            raise OptionError(f"unit must be one of {', '.join(map(repr, UNITS))}; got {unit!r}")
        if unit == "turn":
            spans = [(t.start, t.end, i) for i, t in enumerate(self.turns)]
        elif unit == "paragraph":
            spans = [(p.start, p.end, p.turn) for p in self.paragraphs if p.turn is not None]
        else:
            spans = self.sentences
        prefix = unit[0]
        return [(f"{prefix}{n:04d}", start, end, ti) for n, (start, end, ti) in enumerate(spans, start=1)]


def _paragraphs_for(path: Path, data: bytes) -> tuple[list, str, str | None, str, str | None]:
    """(paragraphs, format, encoding, separator, decoded text) of a file's bytes."""
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return read_docx_paragraphs(data), "docx", None, "\n", None
    if suffix == ".odt":
        return read_odt_paragraphs(data), "odt", None, "\n", None
    text, encoding = decode_text_bytes(data)
    if suffix == ".txt":
        return read_txt_paragraphs(text), "txt", encoding, "\n\n", text
    if suffix == ".vtt":
        return read_vtt_paragraphs(text), "vtt", encoding, "\n", text
    return read_srt_paragraphs(text), "srt", encoding, "\n", text


def _unlabelled(raws: Sequence[RawParagraph], speaker: str) -> list[RawParagraph]:
    """Every non-empty paragraph as a turn of one speaker whose name is not in the text."""
    return [RawParagraph(r.text, speaker=speaker, start_time=r.start_time, end_time=r.end_time, anchors=r.anchors,
                         unlabelled=True) for r in raws if r.text.strip()]


def _build(raws: list[RawParagraph], fmt: str, options: IngestOptions, separator: str, attributes: dict[str, str],
           *, foreign: bool = False) -> tuple[Assembled, LayoutInfo, list[str]]:
    """Layout, turns and warnings for a reader's paragraphs; ``foreign``: a source from another program."""
    paragraphs, info = detect_layout(raws, options, fmt=fmt)
    try:
        assembled = assemble(paragraphs, options, separator=separator, known_speakers=info.speakers,
                             roles=info.roles)
        n_paras, n_turns = len(assembled.paragraphs), len(assembled.turns)
        front = sum(1 for p in assembled.paragraphs if p.turn is None)
        if not (foreign and info.name == "labels" and options.speaker_pattern is None
                and front > n_paras / 2):
            info.speakers = list(dict.fromkeys([*info.speakers, *(t.speaker for t in assembled.turns)]))
            return assembled, info, []
        # a document from another program in which a paragraph late on happens to open like a label ("RQ1: ...")
        # after pages of text: not a labelled transcript
        raise TranscriptFormatError(f"{_NO_TURNS} (only {count(n_turns, 'label')} in {count(n_paras, 'paragraph')})")
    except TranscriptFormatError as err:
        if not str(err).startswith(_NO_TURNS):
            raise
        allowed = options.unlabelled if options.unlabelled is not None else (foreign or fmt in ("vtt", "srt"))
        if not allowed:
            hint = "; or read the file as one unnamed speaker with --unlabelled" if options.unlabelled is None else ""
            raise TranscriptFormatError(f"{err}{hint}") from None
    speaker = (attributes.get("speaker") or "").strip() or UNNAMED_SPEAKER
    assembled = assemble(_unlabelled(raws, speaker), options, separator=separator)
    info = LayoutInfo("unlabelled", f"no speaker labels found in "
                                    f"{count(len(raws), 'paragraph or cue run', 'paragraphs or cue runs')}",
                      n_headers=0, speakers=[speaker], legend=info.legend, dropped=info.dropped)
    named = "named by the 'speaker' attribute" if speaker != UNNAMED_SPEAKER else (
        f"called {UNNAMED_SPEAKER!r}; name it with the attribute 'speaker' ('npt-coder attrs set ID speaker=NAME', "
        "an attributes table, or --attr speaker=NAME) or give --speaker-pattern")
    warning = (f"no speaker labels: read as one speaker in {count(len(assembled.turns), 'turn')}, {named}")
    return assembled, info, [warning]


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

    Each file's layout (:data:`~npt_coder.ingest._layouts.LAYOUTS`) is detected and recorded on the transcript
    (``layout``, ``layout_info``); what a person should know about the reading is in its ``warnings``, among them
    what reading changed (control characters removed, see :func:`~npt_coder.ingest._clean.tidy_paragraphs`), which
    is also itemised in its ``notes``. ``progress(stage, done, total)``, when given, is called after each file (stage
    ``"reading"``, counting files) and around the sentence splitting (stage ``"sentences"``, 0 then 1 of 1).

    The header a transcription tool writes above the transcript (the recording's date and time and its duration, as
    Teams and Otter write them) leaves the text and becomes the attributes ``recorded`` and ``duration``, unless
    ``attributes`` gives them (see :mod:`~npt_coder.ingest._header`); the title stays in the text as front matter.

    Raises :class:`~npt_coder.errors.IngestError` naming the first file that cannot be read and why: missing
    file, a symbolic link that loops, unknown extension, a damaged ``.docx`` or ``.odt``, an empty or binary file, a
    paragraph too long to be one, or no detectable speaker turns (see :attr:`IngestOptions.unlabelled`).
    """
    options = options or IngestOptions()
    out: list[Transcript] = []
    for i, p in enumerate(paths):
        path = Path(p)
        problem = file_problem(path)
        if problem:
            raise IngestError(path, problem)
        _check_suffix(path)
        data = read_user_bytes(path, IngestError, "transcript file")
        out.append(_read_one(path, data, options, transcript_ids[i] if transcript_ids else None,
                             dict(attributes[i]) if attributes else {}))
        if progress is not None:
            progress("reading", i + 1, len(paths))
    if sentences:
        if progress is not None:
            progress("sentences", 0, 1)
        split_sentences(out)
        if progress is not None:
            progress("sentences", 1, 1)
    return out


def read_transcript_bytes(data: bytes, name: str, *, options: IngestOptions | None = None,
                          transcript_id: str | None = None, attributes: dict[str, str] | None = None,
                          sentences: bool = True) -> Transcript:
    """Read a transcript file's bytes (an upload, a member of an archive) as :func:`read_transcripts` reads a file
    called ``name``, whose extension says the format; errors are :class:`~npt_coder.errors.IngestError` naming it."""
    path = Path(name)
    _check_suffix(path)
    t = _read_one(path, bytes(data), options or IngestOptions(), transcript_id, dict(attributes or {}))
    if sentences:
        split_sentences([t])
    return t


def _check_suffix(path: Path) -> None:
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise IngestError(path, f"unsupported file type {path.suffix or '(none)'!r}; use {', '.join(SUPPORTED_SUFFIXES)}")


def _read_one(path: Path, data: bytes, options: IngestOptions, transcript_id: str | None,
              attrs: dict[str, str]) -> Transcript:
    try:
        raws, fmt, encoding, separator, decoded = _paragraphs_for(path, data)
        raws, notes = tidy_paragraphs(raws)  # control characters, form feeds, over-long paragraphs
        raws, header = read_header(raws) if fmt != "vtt" else (raws, read_vtt_header(decoded))
        for key, value in header.items():  # an attribute given by the user wins over the file's header
            attrs.setdefault(key, value)
        assembled, info, warnings = _build(raws, fmt, options, separator, attrs)
    except TranscriptFormatError as err:
        raise IngestError(path, str(err)) from None
    except RecursionError:
        raise IngestError(path, "the file nests its content too deeply to be read") from None
    return _transcript(transcript_id or path.stem, str(path), fmt, encoding, hashlib.sha256(data).hexdigest(),
                       assembled, info, warnings, attrs, decoded, notes)


def _transcript(tid: str, source_path: str, fmt: str, encoding: str | None, sha256: str, assembled: Assembled,
                info: LayoutInfo, warnings: list[str], attrs: dict[str, str], decoded: str | None,
                notes: list[str]) -> Transcript:
    return Transcript(
        transcript_id=tid, source_path=source_path, format=fmt, encoding=encoding, text=assembled.text,
        sha256=sha256, turns=assembled.turns, paragraphs=assembled.paragraphs, front_matter=assembled.front_matter,
        attributes=attrs, comment_anchors=assembled.anchors, layout=info.name, layout_info=info.to_dict(),
        warnings=(["; ".join(notes)] if notes else []) + warnings, source_text=decoded, notes=notes,
    )


def read_text_source(text: str, transcript_id: str, *, source_path: str | None = None, sha256: str | None = None,
                     options: IngestOptions | None = None, attributes: dict[str, str] | None = None,
                     sentences: bool = True) -> Transcript:
    """A transcript from text that arrived without a file of its own: a source in another program's project.

    It is read as a ``.txt`` would be (layout detection, labels, turns), except that a text without speaker labels is
    one unnamed speaker unless ``options.unlabelled`` is ``False``, and so is a text in which the first label comes
    after more than half of its paragraphs (a report whose ``RQ1:`` on page five is no speaker); ``source_text`` keeps ``text`` as given, so
    offsets counted in it can be carried onto the canonical text (:meth:`Transcript.source_alignment` aligns the
    other way). ``sha256`` defaults to that of the text in UTF-8. Control characters and over-long paragraphs are
    handled as in a file (:func:`~npt_coder.ingest._clean.tidy_paragraphs`). Raises
    :class:`~npt_coder.errors.TranscriptFormatError` with a reason.
    """
    options = options or IngestOptions()
    attrs = dict(attributes or {})
    if not text.strip("\ufeff \t\r\n"):
        raise TranscriptFormatError("the text is empty")
    raws, notes = tidy_paragraphs(read_txt_paragraphs(text))  # as a file's: control characters, long paragraphs
    raws, header = read_header(raws)
    for key, value in header.items():
        attrs.setdefault(key, value)
    assembled, info, warnings = _build(raws, "txt", options, "\n\n", attrs, foreign=True)
    t = _transcript(transcript_id, source_path or transcript_id, "txt", "utf-8",
                    sha256 or hashlib.sha256(text.encode("utf-8")).hexdigest(), assembled, info, warnings, attrs,
                    text, notes)
    if sentences:
        split_sentences([t])
    return t


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
    """Read one transcript file (``.docx``, ``.odt``, ``.txt``, ``.vtt`` or ``.srt``).

    Examples
    --------
    >>> import npt_coder as nc
    >>> t = nc.read_transcript(nc.demo_path() / "S1_P02.txt")
    >>> t.turns[0].speaker_role, t.segments("turn").columns[:4].tolist()
    ('interviewer', ['transcript_id', 'segment_id', 'unit', 'start'])
    """
    return read_transcripts([path], options=options, transcript_ids=[transcript_id],
                            attributes=[attributes or {}])[0]
