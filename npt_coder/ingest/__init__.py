"""Ingest: transcript files (.docx, .odt, .txt, .vtt, .srt) -> canonical text, speaker turns and segments.

The flow is reader (format-specific paragraphs) -> an export's header (:mod:`~npt_coder.ingest._header`: the
recording's date and duration become attributes) -> layout detection (:mod:`~npt_coder.ingest._layouts`: Otter,
Teams, Zoom, Rev, ..., speaker legends; times on a line of their own, :mod:`~npt_coder.ingest._times`) ->
:func:`~npt_coder.ingest._turns.assemble` (labels, timestamps, turns, front matter, canonical text) -> sentences
(spaCy sentencizer). Attributes come from :mod:`~npt_coder.ingest._attributes`; :func:`align` carries offsets between
two versions of a text.
"""

from ._align import Alignment, align
from ._attributes import STANDARD_ATTRIBUTES, attributes_from_name, read_attribute_table, resolve_attributes
from ._decode import canonical_text, decode_text_bytes
from ._header import HEADER_ATTRIBUTES
from ._layouts import LAYOUTS, LayoutInfo
from ._read import (
    SEGMENT_COLUMNS,
    SUPPORTED_SUFFIXES,
    UNITS,
    UNNAMED_SPEAKER,
    Transcript,
    Unit,
    read_text_source,
    read_transcript,
    read_transcript_bytes,
    read_transcripts,
    split_sentences,
)
from ._turns import DEFAULT_INTERVIEWER_LABELS, IngestOptions, Paragraph, Turn

__all__ = [
    "DEFAULT_INTERVIEWER_LABELS",
    "HEADER_ATTRIBUTES",
    "LAYOUTS",
    "SEGMENT_COLUMNS",
    "STANDARD_ATTRIBUTES",
    "SUPPORTED_SUFFIXES",
    "UNITS",
    "UNNAMED_SPEAKER",
    "Alignment",
    "IngestOptions",
    "LayoutInfo",
    "Paragraph",
    "Transcript",
    "Turn",
    "Unit",
    "align",
    "attributes_from_name",
    "canonical_text",
    "decode_text_bytes",
    "read_attribute_table",
    "read_text_source",
    "read_transcript",
    "read_transcript_bytes",
    "read_transcripts",
    "resolve_attributes",
    "split_sentences",
]
