"""What a REFI-QDA project holds once read (:func:`~npt_coder.coding.read_qdpx`): its codes, text sources, coded
selections and their codings, plus the XML namespaces of the standard's project and codebook files."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

__all__ = ["CODEBOOK_NS", "PROJECT_NS", "QdpxCase", "QdpxCode", "QdpxCoding", "QdpxProject", "QdpxSelection",
           "QdpxSource"]

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"


@dataclass(frozen=True)
class QdpxCode:
    """One code of a REFI-QDA codebook. ``parents`` are the names of the codes it is nested in, outermost first;
    ``is_codable`` is False for a folder (``isCodable="false"``)."""

    guid: str
    name: str
    description: str = ""
    parents: tuple[str, ...] = ()
    is_codable: bool = True
    parent_guid: str | None = None

    @property
    def path(self) -> str:
        """The names from the outermost parent down to this code, joined with ``::``."""
        return "::".join((*self.parents, self.name))


@dataclass(frozen=True)
class QdpxSource:
    """A text source: its plain text as stored (``None`` with ``problem`` saying why when it could not be read)."""

    guid: str
    name: str
    text: str | None
    kind: str = "TextSource"
    reading: str | None = None  # how its selections' positions were read (see READINGS)
    problem: str | None = None
    path: str | None = None  # plainTextPath as written, None for inline PlainTextContent
    named: bool = True  # False: the file gave the source no name (``name`` is then made from its path or GUID)


@dataclass(frozen=True)
class QdpxCase:
    """A case (a participant, a site...): its variable values by variable name, and the sources it groups."""

    guid: str
    name: str
    values: dict[str, str] = field(default_factory=dict)
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class QdpxCoding:
    """A code applied to a selection: ``coder`` is ``Coding@creatingUser``'s name, else the selection's; ``memo`` is
    the coding's notes, else the selection's description and notes."""

    guid: str
    code_guid: str
    coder: str | None
    memo: str = ""


@dataclass(frozen=True)
class QdpxSelection:
    """A text selection. ``start``/``end`` are code points into its source's ``text`` (``end`` exclusive) read the way
    ``reading`` says; ``raw_start``/``raw_end`` are the positions as written. For a selection in
    :attr:`QdpxProject.invalid`, ``start``/``end`` are the raw positions and ``problem`` says what is wrong."""

    guid: str
    source_guid: str
    start: int
    end: int
    codings: tuple[QdpxCoding, ...]
    name: str | None = None
    coder: str | None = None
    memo: str = ""
    raw_start: int = 0
    raw_end: int = 0
    reading: str = "codepoints"
    name_matches: bool | None = None  # None: the selection has no name to check against
    problem: str | None = None


@dataclass
class QdpxProject:
    """What a ``.qdpx`` holds, as :func:`read_qdpx` reads it."""

    path: Path
    name: str
    origin: str
    users: dict[str, str]  # guid (lower case, no braces) -> name
    codes: list[QdpxCode]
    sources: list[QdpxSource]
    selections: list[QdpxSelection]
    invalid: list[QdpxSelection] = field(default_factory=list)  # past the end of the text, splitting a character...
    notes: list[str] = field(default_factory=list)  # what was left aside (audio, pictures, ...)
    cases: list[QdpxCase] = field(default_factory=list)
    source_values: dict[str, dict[str, str]] = field(default_factory=dict)  # source guid -> its own variable values
    memos: dict[tuple[str, str], str] = field(default_factory=dict)  # (source|code|project, guid or '') -> note text
    left_aside: dict[str, int] = field(default_factory=dict)  # what is not read: "picture source": 2, "set": 3...

    @property
    def code_by_guid(self) -> dict[str, QdpxCode]:
        return {c.guid: c for c in self.codes}

    @property
    def source_by_guid(self) -> dict[str, QdpxSource]:
        return {s.guid: s for s in self.sources}

    def codings_frame(self) -> pd.DataFrame:
        """One row per coding: source_guid, source_name, selection_guid, start, end, text, code_guid, code_name,
        code_path, is_codable, coder, memo, reading."""
        codes = self.code_by_guid
        sources = self.source_by_guid
        rows = []
        for sel in self.selections:
            src = sources[sel.source_guid]
            text = src.text[sel.start:sel.end] if src.text is not None else None
            for c in sel.codings:
                code = codes.get(c.code_guid)
                rows.append((sel.source_guid, src.name, sel.guid, sel.start, sel.end, text, c.code_guid,
                             code.name if code else None, code.path if code else None,
                             code.is_codable if code else None, c.coder, c.memo, sel.reading))
        return pd.DataFrame(rows, columns=["source_guid", "source_name", "selection_guid", "start", "end", "text",
                                           "code_guid", "code_name", "code_path", "is_codable", "coder", "memo",
                                           "reading"])
