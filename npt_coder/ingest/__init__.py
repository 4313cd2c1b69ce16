"""Ingest: transcript files (.docx, .txt, .vtt, .srt) -> canonical text, speaker turns and segments.

The flow is reader (format-specific paragraphs) -> :func:`~npt_coder.ingest._turns.assemble` (labels, timestamps,
turns, front matter, canonical text) -> sentences (spaCy sentencizer). Attributes come from
:mod:`~npt_coder.ingest._attributes`.
"""

from ._attributes import STANDARD_ATTRIBUTES, attributes_from_name, read_attribute_table, resolve_attributes
from ._decode import canonical_text, decode_text_bytes
from ._read import (
    SEGMENT_COLUMNS,
    SUPPORTED_SUFFIXES,
    UNITS,
    Transcript,
    Unit,
    read_transcript,
    read_transcripts,
    split_sentences,
)
from ._turns import DEFAULT_INTERVIEWER_LABELS, IngestOptions, Paragraph, Turn

__all__ = [
    "DEFAULT_INTERVIEWER_LABELS",
    "SEGMENT_COLUMNS",
    "STANDARD_ATTRIBUTES",
    "SUPPORTED_SUFFIXES",
    "UNITS",
    "IngestOptions",
    "Paragraph",
    "Transcript",
    "Turn",
    "Unit",
    "attributes_from_name",
    "canonical_text",
    "decode_text_bytes",
    "read_attribute_table",
    "read_transcript",
    "read_transcripts",
    "resolve_attributes",
    "split_sentences",
]
