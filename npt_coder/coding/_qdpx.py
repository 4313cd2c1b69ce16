"""REFI-QDA interchange: read a ``.qdpx`` project made by NVivo, ATLAS.ti, MAXQDA or QualCoder, import its codings,
and write the project as a ``.qdpx`` and the codebook as a ``.qdc``.

A ``.qdpx`` is a zip archive holding ``project.qde`` (XML: Users, CodeBook, Sources with their text selections and
codings, Notes) and the sources' files under ``sources/``. The standard (REFI-QDA 1.5, section 10.2) counts
selection positions in Unicode code points of the plain-text source, ``endPosition`` exclusive. Programs differ:
NVivo counts UTF-16 code units (an emoji outside the Basic Multilingual Plane counts two) with a Windows line break
(CRLF) counting two; ATLAS.ti is reported to count CRLF as one. :func:`read_qdpx` therefore reads each selection in
four ways (:data:`READINGS`) and keeps the reading whose text equals the selection's ``name`` where the file gives one;
where it does not, the reading that the file's other named selections agree on, else the one the exporting program
(``Project@origin``) is known to use. Every offset it returns is a Python ``str`` index (code point) into the
source's plain text as stored (UTF-8, one byte-order mark stripped, line endings kept).

:func:`read_qdpx_codings` turns those selections into spans on the project's transcripts: each source is matched to a
transcript by its content (not its name), each code to the project codebook by id or name (or a code map), and each
coding's user becomes the coder. :func:`project_to_qdpx` and :func:`codebook_to_qdc` write files that validate against
the standard's schemas (shipped in ``npt_coder/coding/schema/``; see :func:`validate_qdpx` and :func:`validate_qdc`).
"""

from __future__ import annotations

import codecs
import csv
import datetime as _dt
import functools
import io
import re
import unicodedata
import uuid
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping, Sequence

import numpy as np
import pandas as pd
import yaml
from lxml import etree

from .._version import __version__
from ..codebook import Code, Codebook
from ..errors import CodingImportError
from ..store import Project
from ._import import IMPORT_COLUMNS, closest_codes
from ._match import TextMap, best_match

__all__ = [
    "CODEBOOK_NS",
    "PROJECT_NS",
    "READINGS",
    "QdpxCode",
    "QdpxCoding",
    "QdpxProject",
    "QdpxSelection",
    "QdpxSource",
    "code_guid",
    "codebook_to_qdc",
    "project_to_qdpx",
    "read_qdc",
    "read_qdpx",
    "read_qdpx_codings",
    "to_code_points",
    "validate_qdc",
    "validate_qdpx",
]

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
SCHEMA_DIR = Path(__file__).resolve().parent / "schema"

#: How a program may count selection positions: ``codepoints`` (the standard), ``utf16`` (UTF-16 code units, NVivo),
#: ``crlf1`` (code points with CRLF counted as one, ATLAS.ti) and ``utf16-crlf1`` (both).
READINGS = ("codepoints", "utf16", "crlf1", "utf16-crlf1")

# Deterministic GUIDs: uuid5 of a name under this namespace (a uuid5 of a fixed URL-like string).
_NS = uuid.uuid5(uuid.NAMESPACE_URL, "npt-coder:refi-qda")
_DOMAIN_COLOURS = {"context": "#4C78A8", "mechanism": "#F58518", "outcome": "#54A24B"}
_UNMAPPED_COLOUR = "#9D9D9D"
_UNMAPPED_FOLDER = "Inductive, not yet mapped"
_XML_BAD = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_MAX_LISTED = 8


# -- data -------------------------------------------------------------------------------------------------------------

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


# -- offsets ----------------------------------------------------------------------------------------------------------

class _Positions:
    """Maps positions counted one way (a reading) to code point offsets into a text."""

    def __init__(self, text: str, reading: str):
        if reading not in READINGS:
            raise ValueError(f"reading must be one of {', '.join(map(repr, READINGS))}; got {reading!r}")
        widths = np.ones(len(text), dtype=np.int64)
        if reading.startswith("utf16") and text:
            widths += np.frombuffer(text.encode("utf-32-le"), dtype="<u4") > 0xFFFF
        if reading.endswith("crlf1"):
            cr = [m.start() for m in re.finditer("\r\n", text)]
            widths[cr] = 0  # the CR of a CRLF counts nothing, so the pair counts one
        self.starts = np.concatenate([np.zeros(1, dtype=np.int64), np.cumsum(widths)])
        self.reading = reading

    def to_code_point(self, position: int) -> int | None:
        if position < 0 or position > self.starts[-1]:
            return None
        i = int(np.searchsorted(self.starts, position, side="left"))
        return i if self.starts[i] == position else None  # None: inside a surrogate pair


def to_code_points(text: str, start: int, end: int, *, reading: str = "codepoints") -> tuple[int, int] | None:
    """``(start, end)`` counted the way ``reading`` says, as code point offsets into ``text``; ``None`` when either
    lies past the end of the text or inside a character (half of a UTF-16 surrogate pair).

    >>> text = "a😀b\\r\\nc"
    >>> to_code_points(text, 3, 6, reading="utf16")          # the emoji counts 2, CRLF counts 2
    (2, 5)
    >>> to_code_points(text, 2, 4, reading="crlf1")          # CRLF counts 1
    (2, 5)
    >>> text[2:5]
    'b\\r\\n'
    >>> to_code_points(text, 2, 4, reading="utf16") is None  # 2 is the middle of the emoji
    True
    """
    pos = _Positions(text, reading)
    s, e = pos.to_code_point(start), pos.to_code_point(end)
    return None if s is None or e is None else (s, e)


def _reading_key(reading: str, text: str) -> tuple[bool, bool]:
    """What a reading changes for this text: (emoji count two, CRLF counts one). Readings with equal keys agree."""
    return (reading.startswith("utf16") and any(ord(ch) > 0xFFFF for ch in text),
            reading.endswith("crlf1") and "\r\n" in text)


def _readings_for(text: str, origin: str) -> list[str]:
    """The readings that differ for this text, in the order the exporting program makes likely."""
    low = origin.casefold()
    if "nvivo" in low:
        order = ["utf16", "codepoints", "utf16-crlf1", "crlf1"]
    elif "atlas" in low:
        order = ["crlf1", "codepoints", "utf16-crlf1", "utf16"]
    else:
        order = ["codepoints", "crlf1", "utf16", "utf16-crlf1"]
    keys: dict[tuple[bool, bool], str] = {}
    for r in order:
        keys.setdefault(_reading_key(r, text), r)
    return list(keys.values())


def _squash(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def _name_matches(name: str, text: str) -> bool:
    """Whether a selection's name is its text (spacing aside), or the start of it cut short (at least 10 characters,
    a trailing ellipsis allowed)."""
    n, t = _squash(name), _squash(text)
    if not n:
        return False
    if n == t:
        return True
    stem = n.rstrip(".…").rstrip()
    return len(stem) >= 10 and t.startswith(stem)


# -- reading ----------------------------------------------------------------------------------------------------------

def _local(el) -> str | None:
    return etree.QName(el).localname if isinstance(el.tag, str) else None


def _kids(el, name: str) -> list:
    return [c for c in el if isinstance(c.tag, str) and etree.QName(c).localname == name]


def _kid(el, name: str):
    for c in el:
        if isinstance(c.tag, str) and etree.QName(c).localname == name:
            return c
    return None


def _guid(value: str | None) -> str:
    return (value or "").strip().strip("{}").lower()


def _text_of(el) -> str:
    return "".join(el.itertext()).strip() if el is not None else ""


def _bool(value: str | None, default: bool) -> bool:
    if value is None:
        return default
    return value.strip().lower() not in ("false", "0", "no")


def _parse_xml(data: bytes, where: str, member: str):
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    try:
        return etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as err:
        raise CodingImportError(f"{where}: {member} is not well-formed XML (line {err.lineno}: {err.msg})") from None


def _find_qde(names: list[str], where: str) -> str:
    qdes = [n for n in names if n.lower().endswith(".qde")]
    for n in qdes:
        if n.lower() == "project.qde":
            return n
    top = [n for n in qdes if "/" not in n]
    if len(top) == 1 or (not top and len(qdes) == 1):
        return (top or qdes)[0]
    if not qdes:
        raise CodingImportError(f"{where}: holds no project.qde (the project XML every REFI-QDA .qdpx carries); is "
                                "it a REFI-QDA project export?")
    raise CodingImportError(f"{where}: holds several .qde files ({', '.join(qdes[:4])}); expected one project.qde")


def _decode_source(data: bytes) -> str:
    """UTF-8 (the standard), one leading byte-order mark stripped, line endings kept; UTF-16 with a BOM tolerated."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    text = data.decode("utf-8")
    return text[1:] if text.startswith("\ufeff") else text


class _Archive:
    def __init__(self, zf: zipfile.ZipFile, where: str):
        self.zf = zf
        self.where = where
        self.names = [n for n in zf.namelist() if not n.endswith("/")]
        self.lower = {n.replace("\\", "/").lower(): n for n in self.names}

    def read(self, name: str) -> bytes:
        return self.zf.read(name)

    def internal(self, url: str | None) -> str | None:
        """The archive member an ``internal://`` path names: under ``sources/`` or ``Sources/``, any case."""
        if not url or not url.lower().startswith("internal://"):
            return None
        rel = url[len("internal://"):].replace("\\", "/").lstrip("/").lower()
        for cand in (f"sources/{rel}", rel):
            if cand in self.lower:
                return self.lower[cand]
        base = rel.rsplit("/", 1)[-1]
        hits = [n for low, n in self.lower.items() if low.rsplit("/", 1)[-1] == base]
        return hits[0] if len(hits) == 1 else None


def _source_text(el, archive: _Archive) -> tuple[str | None, str | None]:
    """(text, problem) of a TextSource-like element: inline PlainTextContent, else the plainTextPath file."""
    inline = _kid(el, "PlainTextContent")
    if inline is not None:
        return "".join(inline.itertext()), None
    url = el.get("plainTextPath")
    if not url:
        return None, "it has no plain text (no plainTextPath and no PlainTextContent)"
    member = archive.internal(url)
    if member is None:
        return None, f"its plain text {url} is not in the file" if url.lower().startswith("internal://") else \
            f"its plain text is outside the file ({url})"
    try:
        return _decode_source(archive.read(member)), None
    except UnicodeDecodeError:
        return None, f"its plain text {member} is not UTF-8"


def _read_codes(el, parents: tuple[str, ...], parent_guid: str | None, out: list[QdpxCode]) -> None:
    for c in _kids(el, "Code"):
        code = QdpxCode(_guid(c.get("guid")), c.get("name") or "", _text_of(_kid(c, "Description")), parents,
                        _bool(c.get("isCodable"), True), parent_guid)
        out.append(code)
        _read_codes(c, (*parents, code.name), code.guid, out)


@dataclass
class _RawSel:
    guid: str
    source_guid: str
    raw_start: int
    raw_end: int
    name: str | None
    coder: str | None
    memo: str
    codings: tuple[QdpxCoding, ...]
    whole: bool = False  # a coding of the whole source, not of a selection


def _positions_valid(sel: _RawSel, pos: _Positions) -> tuple[int, int] | None:
    s, e = pos.to_code_point(sel.raw_start), pos.to_code_point(sel.raw_end)
    return None if s is None or e is None else (s, e)


def read_qdpx(path: str | Path) -> QdpxProject:
    """Read a REFI-QDA project (``.qdpx``): users, codes, text sources and their coded selections.

    Selection positions come back as code point offsets into each source's plain text (see the module docstring
    for how positions counted in UTF-16 units or with CRLF as one are recognised). Selections that lie past the end
    of their text, split a character or are empty go to :attr:`QdpxProject.invalid` with the problem stated.
    Element names are matched whatever namespace (version) they carry; GUIDs are compared in lower case without
    braces.

    Raises :class:`~npt_coder.errors.CodingImportError` when the file is not a zip archive, holds no ``.qde``, or
    its XML is not well-formed or not a REFI-QDA ``Project``.
    """
    path = Path(path)
    where = path.name
    try:
        with zipfile.ZipFile(path) as zf:
            archive = _Archive(zf, where)
            qde = _find_qde(archive.names, where)
            root = _parse_xml(archive.read(qde), where, qde)
            return _read_project(root, archive, path, qde)
    except (zipfile.BadZipFile, zlib.error, EOFError) as err:
        raise CodingImportError(f"{where}: not a readable REFI-QDA project (a .qdpx is a zip archive; {err})") from None
    except OSError as err:
        raise CodingImportError(f"{where}: cannot be read ({err.strerror or err})") from None


def _read_project(root, archive: _Archive, path: Path, qde: str) -> QdpxProject:
    where = archive.where
    if _local(root) != "Project":
        raise CodingImportError(f"{where}: {qde} holds a <{_local(root)}>, not a REFI-QDA <Project>")
    origin = root.get("origin") or ""
    users: dict[str, str] = {}
    users_el = _kid(root, "Users")
    for u in _kids(users_el, "User") if users_el is not None else []:
        g = _guid(u.get("guid"))
        users[g] = (u.get("name") or u.get("id") or g).strip()
    codes: list[QdpxCode] = []
    book = _kid(root, "CodeBook")
    if book is not None and _kid(book, "Codes") is not None:
        _read_codes(_kid(book, "Codes"), (), None, codes)

    notes_text: dict[str, str] = {}
    notes_el = _kid(root, "Notes")
    for n in _kids(notes_el, "Note") if notes_el is not None else []:
        text, _ = _source_text(n, archive)
        notes_text[_guid(n.get("guid"))] = (text or "").strip()

    def user(value: str | None) -> str | None:
        if not value:
            return None
        return users.get(_guid(value), value.strip())

    def note_refs(el) -> list[str]:
        return [notes_text[g] for r in _kids(el, "NoteRef") if (g := _guid(r.get("targetGUID"))) in notes_text
                and notes_text[g]]

    def join(parts: list[str]) -> str:
        out: list[str] = []
        for p in parts:
            if p and p not in out:
                out.append(p)
        return " | ".join(out)

    def codings_of(el, sel_coder: str | None, sel_memo: str) -> tuple[QdpxCoding, ...]:
        out = []
        for c in _kids(el, "Coding"):
            ref = _kid(c, "CodeRef")
            if ref is None:
                continue
            memo = join(note_refs(c)) or sel_memo
            out.append(QdpxCoding(_guid(c.get("guid")), _guid(ref.get("targetGUID")),
                                  user(c.get("creatingUser")) or sel_coder, memo))
        return tuple(out)

    sources: list[tuple[QdpxSource, list[_RawSel]]] = []
    skipped: Counter = Counter()
    bad_positions: list[str] = []
    src_root = _kid(root, "Sources")
    for el in list(src_root) if src_root is not None else []:
        kind = _local(el)
        if kind is None:
            continue
        if kind == "TextSource":
            text_el = el
        elif kind == "PDFSource" and _kid(el, "Representation") is not None:
            text_el = _kid(el, "Representation")  # the PDF's text; its PlainTextSelections count in it
        else:
            skipped[kind] += 1
            continue
        guid = _guid(text_el.get("guid") or el.get("guid"))
        name = el.get("name") or text_el.get("name") or guid
        text, problem = _source_text(text_el, archive)
        raws: list[_RawSel] = []
        for s in _kids(text_el, "PlainTextSelection"):
            sel_coder = user(s.get("creatingUser"))
            sel_memo = join([_text_of(_kid(s, "Description")), *note_refs(s)])
            try:
                a, b = int(s.get("startPosition")), int(s.get("endPosition"))
            except (TypeError, ValueError):
                bad_positions.append(_guid(s.get("guid")))
                continue
            raws.append(_RawSel(_guid(s.get("guid")), guid, a, b, s.get("name"), sel_coder, sel_memo,
                                codings_of(s, sel_coder, sel_memo)))
        whole = codings_of(text_el, user(text_el.get("creatingUser")), "")
        if whole and text is not None:
            raws.append(_RawSel(guid, guid, 0, len(text), None, None, "", whole, whole=True))
        sources.append((QdpxSource(guid, name, text, kind, None, problem), raws))

    # Which reading? Per source, the one most selection names agree with; for sources whose names say nothing,
    # the one the decisive sources agree on; else the one the exporting program is known to use.
    decisive: Counter = Counter()
    per_source: dict[str, tuple[str, dict[str, _Positions]]] = {}
    for src, raws in sources:
        if src.text is None:
            continue
        readings = _readings_for(src.text, origin)
        positions = {r: _Positions(src.text, r) for r in readings}
        votes = Counter()
        for r in readings:
            for sel in raws:
                if sel.name and not sel.whole and (se := _positions_valid(sel, positions[r])) is not None:
                    votes[r] += _name_matches(sel.name, src.text[se[0]:se[1]])
        best = max(readings, key=lambda r: (votes[r], -readings.index(r)))
        if votes[best] and len(set(votes[r] for r in readings)) > 1:
            decisive[best] += 1
            per_source[src.guid] = (best, positions)
        else:
            per_source[src.guid] = ("", positions)
    fallback = decisive.most_common(1)[0][0] if decisive else None

    out_sources: list[QdpxSource] = []
    selections: list[QdpxSelection] = []
    invalid: list[QdpxSelection] = []
    for src, raws in sources:
        if src.text is None:
            out_sources.append(src)
            for sel in raws:
                invalid.append(QdpxSelection(sel.guid, sel.source_guid, sel.raw_start, sel.raw_end, sel.codings,
                                             sel.name, sel.coder, sel.memo, sel.raw_start, sel.raw_end,
                                             problem=f"source {src.name!r}: {src.problem}"))
            continue
        chosen, positions = per_source[src.guid]
        readings = list(positions)
        if not chosen:
            # the fallback, or the reading that coincides with it for this text
            chosen = next((r for r in readings if fallback and _reading_key(r, src.text) ==
                           _reading_key(fallback, src.text)), readings[0])
        out_sources.append(QdpxSource(src.guid, src.name, src.text, src.kind, chosen, None))
        n = len(src.text)
        for sel in raws:
            if sel.whole:
                selections.append(QdpxSelection(sel.guid, sel.source_guid, 0, n, sel.codings, None, sel.coder,
                                                sel.memo, 0, n, chosen))
                continue
            use, matches = chosen, None
            span = _positions_valid(sel, positions[chosen])
            if sel.name and _squash(sel.name):
                matches = span is not None and _name_matches(sel.name, src.text[span[0]:span[1]])
                if not matches:
                    for r in readings:
                        other = _positions_valid(sel, positions[r])
                        if other is not None and _name_matches(sel.name, src.text[other[0]:other[1]]):
                            use, span, matches = r, other, True
                            break
            problem = None
            if span is None:
                limit = int(positions[use].starts[-1])
                if max(sel.raw_start, sel.raw_end) > limit or min(sel.raw_start, sel.raw_end) < 0:
                    problem = (f"selection {sel.guid} ({sel.raw_start}-{sel.raw_end}) in source {src.name!r} lies "
                               f"outside its text ({limit} positions counted as {use})")
                else:
                    problem = (f"selection {sel.guid} ({sel.raw_start}-{sel.raw_end}) in source {src.name!r} "
                               f"starts or ends inside a character when counted as {use}")
            elif span[1] <= span[0]:
                problem = f"selection {sel.guid} ({sel.raw_start}-{sel.raw_end}) in source {src.name!r} is empty"
            if problem:
                invalid.append(QdpxSelection(sel.guid, sel.source_guid, sel.raw_start, sel.raw_end, sel.codings,
                                             sel.name, sel.coder, sel.memo, sel.raw_start, sel.raw_end, use,
                                             matches, problem))
            else:
                selections.append(QdpxSelection(sel.guid, sel.source_guid, span[0], span[1], sel.codings, sel.name,
                                                sel.coder, sel.memo, sel.raw_start, sel.raw_end, use, matches))
    notes = [f"{n} {kind}(s) left aside: only text sources and PDF text are read" for kind, n in skipped.items()]
    if bad_positions:
        notes.append(f"{len(bad_positions)} selection(s) without whole-number positions left aside: "
                     f"{', '.join(bad_positions[:_MAX_LISTED])}")
    return QdpxProject(path, root.get("name") or path.stem, origin, users, codes, out_sources, selections, invalid,
                       notes)


def read_qdc(path: str | Path) -> list[QdpxCode]:
    """The codes of a REFI-QDA codebook file (``.qdc``), parents before children."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise CodingImportError(f"{path.name}: cannot be read ({err.strerror or err})") from None
    root = _parse_xml(data, path.name, path.name)
    if _local(root) != "CodeBook":
        raise CodingImportError(f"{path.name}: holds a <{_local(root)}>, not a REFI-QDA <CodeBook>")
    codes: list[QdpxCode] = []
    if _kid(root, "Codes") is not None:
        _read_codes(_kid(root, "Codes"), (), None, codes)
    return codes


# -- importing into a project -----------------------------------------------------------------------------------------

def _key(value: object) -> str:
    return " ".join(str(value).split()).casefold()


def _load_code_map(code_map: Mapping[str, str] | str | Path | None, codebook: Codebook) -> dict[str, str]:
    """Foreign code (name, ``Parent::Child`` path or GUID) -> our code id, from a dict or a CSV/YAML file."""
    if code_map is None:
        return {}
    where = "code map"
    if isinstance(code_map, Mapping):
        pairs = list(code_map.items())
    else:
        p = Path(code_map)
        where = p.name
        if not p.is_file():
            raise CodingImportError(f"{where}: code map file not found")
        try:
            raw = p.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as err:
            raise CodingImportError(f"{where}: cannot read the code map ({type(err).__name__})") from None
        if p.suffix.lower() in (".yaml", ".yml"):
            try:
                data = yaml.safe_load(raw)
            except yaml.YAMLError:
                raise CodingImportError(f"{where}: not valid YAML; write one 'foreign code name: code id' per "
                                        "line") from None
            if not isinstance(data, dict):
                raise CodingImportError(f"{where}: must map foreign code names to code ids ('Trust: M3.3')")
            pairs = list(data.items())
        else:
            rows = [r for r in csv.reader(io.StringIO(raw)) if any(x.strip() for x in r)]
            if any(len(r) < 2 for r in rows):
                raise CodingImportError(f"{where}: every row needs two columns: foreign code name, code id")
            if rows and codebook.resolve(rows[0][1].strip()) is None:
                rows = rows[1:]  # a header row
            pairs = [(r[0], r[1]) for r in rows]
    out: dict[str, str] = {}
    bad: list[str] = []
    for k, v in pairs:
        cid = codebook.resolve(str(v)) if v is not None else None
        if cid is None:
            close = closest_codes(str(v), codebook)
            bad.append(f"{k!s} -> {v!r}" + (f" (closest: {', '.join(close)})" if close else ""))
            continue
        out[_key(k)] = cid
        out[_key(_guid(str(k)))] = cid
    if bad:
        raise CodingImportError(f"{where}: code map target(s) not in the project's codebook: "
                                f"{'; '.join(bad[:_MAX_LISTED])}")
    return out


_ID_THEN_NAME = re.compile(r"^\s*([^\s:]+?)\s*(?:[:–—]|\s-\s|\s)\s*(.+?)\s*$")


def _resolve_code(code: QdpxCode, codebook: Codebook, mapping: dict[str, str]) -> str | None:
    for k in (code.guid, code.path, code.name):
        if _key(k) in mapping:
            return mapping[_key(k)]
    names = [code.name]
    if "::" in code.name:
        names.append(code.name.rsplit("::", 1)[1])
    for name in names:
        cid = codebook.resolve(name)
        if cid is not None:
            return cid
        m = _ID_THEN_NAME.match(name)  # "M3.3 Relational integration", "M3.3: Relational integration"
        if m:
            token, rest = m.groups()
            for c in codebook:
                if c.code_id.casefold() == token.casefold() and _key(c.name) == _key(rest):
                    return c.code_id
    return None


def _new_code_id(name: str, taken: set[str]) -> str:
    base = re.sub(r"[^A-Za-z0-9._-]+", "-", unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode())
    base = base.strip("-._")[:36] or "code"
    if not base[0].isalpha():
        base = f"Q-{base}"[:36]
    cid, n = base, 2
    while cid.casefold() in taken:
        cid, n = f"{base}-{n}", n + 1
    taken.add(cid.casefold())
    return cid


def _line_end_map(text: str) -> np.ndarray:
    """Offsets in ``text`` -> offsets in ``text`` with CRLF and CR turned into LF."""
    widths = np.ones(len(text), dtype=np.int64)
    widths[[m.start() for m in re.finditer("\r\n", text)]] = 0
    return np.concatenate([np.zeros(1, dtype=np.int64), np.cumsum(widths)])


def _lf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


class _Targets:
    """The project's transcripts, and how to map a foreign text's offsets onto the one it matches."""

    def __init__(self, project: Project):
        self.texts = dict(project.transcripts[["transcript_id", "text"]].itertuples(index=False, name=None))
        self._maps: dict[str, TextMap] | None = None

    def match(self, text: str) -> tuple[str | None, Callable[[int, int], tuple[int, int]] | None, float, str | None]:
        for tid, t in self.texts.items():
            if t == text:
                return tid, lambda s, e: (s, e), 1.0, tid
        lf = _lf(text)
        if lf != text:
            for tid, t in self.texts.items():
                if t == lf:
                    m = _line_end_map(text)
                    return tid, lambda s, e: (int(m[s]), int(m[e])), 1.0, tid
        if self._maps is None:
            self._maps = {tid: TextMap(t) for tid, t in self.texts.items()}
        doc = TextMap(text)
        tid, ratio, closest = best_match(doc, self._maps)
        if tid is None:
            return None, None, ratio, closest
        target = self._maps[tid]
        return tid, lambda s, e: target.span_from_norm(doc.to_norm(s), doc.to_norm(e)), 1.0, tid


def read_qdpx_codings(path: str | Path, project: Project, *, coder: str | None = None,
                      code_map: Mapping[str, str] | str | Path | None = None, new_inductive: bool = False,
                      codebook: Codebook | None = None) -> pd.DataFrame:
    """Codings in a REFI-QDA project (``.qdpx``) as spans on this project's transcripts.

    Returns a table with columns transcript_id, coder, code_id, start, end, memo (offsets are code points into the
    project transcript's text), ready for :func:`~npt_coder.coding.import_codings`;
    :func:`~npt_coder.coding.import_files` calls this for ``.qdpx`` files.

    * **Sources** are matched to project transcripts by their text (equal, or equal once line breaks and spacing are
      set aside), never by name, and offsets are carried over exactly. This function never adds transcripts: a coded
      source that matches no transcript is an error naming it; add its text to the project first with
      ``npt-coder add`` (through the usual ingest and anonymisation check), then import again.
    * **Codes** are matched to the codebook by id or name (``M3.3``, ``Relational integration`` or
      ``M3.3 Relational integration``, any case); ``code_map`` (a dict, or a CSV or YAML file of ``foreign code
      name -> code id``; a key may also be a ``Parent::Child`` path or a code GUID) maps the rest. Folders
      (``isCodable="false"``) are never coded. Unknown codes are an error listing them with the closest codebook
      codes, unless ``new_inductive``: then each gets a new id made from its name, for the import to add as an
      inductive code.
    * **Coders** are the users who made the codings (``Coding@creatingUser``, else the selection's), unless
      ``coder`` is given.

    Raises :class:`~npt_coder.errors.CodingImportError` listing every problem found (and nothing is imported).
    """
    path = Path(path)
    where = path.name
    qp = read_qdpx(path)
    codebook = codebook or project.load_codebook()
    mapping = _load_code_map(code_map, codebook)
    codes = qp.code_by_guid
    sources = qp.source_by_guid
    problems: list[str] = []

    def codable(c: QdpxCoding) -> bool:
        return c.code_guid not in codes or codes[c.code_guid].is_codable

    bad = [sel for sel in qp.invalid if any(codable(c) for c in sel.codings)]
    if bad:
        problems.append(f"{len(bad)} coded selection(s) cannot be placed: "
                        + "; ".join(str(sel.problem) for sel in bad[:_MAX_LISTED]))
    items = [(sel, c) for sel in qp.selections for c in sel.codings if codable(c)]
    dangling = sorted({c.code_guid for _, c in items if c.code_guid not in codes})
    if dangling:
        problems.append(f"coding(s) refer to code(s) missing from the file's codebook: {', '.join(dangling[:4])}")

    resolved: dict[str, str] = {}
    unknown: list[QdpxCode] = []
    taken = {c.code_id.casefold() for c in codebook}
    for guid in dict.fromkeys(c.code_guid for _, c in items if c.code_guid in codes):
        code = codes[guid]
        cid = _resolve_code(code, codebook, mapping)
        if cid is None and new_inductive:
            cid = _new_code_id(code.name, taken)
        if cid is None:
            unknown.append(code)
        else:
            resolved[guid] = cid
    if unknown:
        listed = []
        for code in unknown[:_MAX_LISTED]:
            close = closest_codes(code.name, codebook)
            label = code.path if code.parents else code.name
            listed.append(f"{label!r}" + (f" (closest: {', '.join(close)})" if close else ""))
        more = f" and {len(unknown) - _MAX_LISTED} more" if len(unknown) > _MAX_LISTED else ""
        problems.append(f"{len(unknown)} code(s) not in the project's codebook: {'; '.join(listed)}{more}; map them "
                        "with a code map (a CSV or YAML file: the file's code name -> our code id), or import with "
                        "--new-inductive to add them as inductive codes")

    targets = _Targets(project)
    placed: dict[str, tuple[str, Callable[[int, int], tuple[int, int]]]] = {}
    unmatched: list[str] = []
    for guid in dict.fromkeys(sel.source_guid for sel, _ in items):
        src = sources[guid]
        tid, fn, ratio, closest = targets.match(src.text or "")
        if tid is None or fn is None:
            hint = f" (closest: {closest}, {ratio:.0%} similar)" if closest else ""
            unmatched.append(f"{src.name!r}{hint}")
        else:
            placed[guid] = (tid, fn)
    if unmatched:
        problems.append(f"{len(unmatched)} coded source(s) match no transcript in the project: "
                        f"{'; '.join(unmatched[:_MAX_LISTED])}; add their text with 'npt-coder add' first, then "
                        "import again")

    if coder is not None and not coder.strip():
        problems.append("the coder name given is empty")
    no_user = sum(1 for _, c in items if coder is None and not (c.coder or "").strip())
    if no_user:
        problems.append(f"{no_user} coding(s) name no user; give the coder with --coder")
    if problems:
        raise CodingImportError(f"{where}: " + "; ".join(problems))

    rows = []
    for sel, c in items:
        tid, fn = placed[sel.source_guid]
        s, e = fn(sel.start, sel.end)
        if e <= s:
            continue  # only spacing was selected
        rows.append((tid, (coder or c.coder or "").strip(), resolved[c.code_guid], int(s), int(e), c.memo))
    if not rows:
        raise CodingImportError(f"{where}: holds no coded text selections to import ({len(qp.sources)} source(s), "
                                f"{len(qp.codes)} code(s))")
    df = pd.DataFrame(rows, columns=IMPORT_COLUMNS)
    return df.drop_duplicates(ignore_index=True)


# -- writing ----------------------------------------------------------------------------------------------------------

def _uid(*parts: str) -> str:
    return str(uuid.uuid5(_NS, "/".join(parts)))


def _xml_safe(text: str | None) -> str:
    return _XML_BAD.sub("", text or "")


def _stamp(value: object = None) -> str:
    """``YYYY-MM-DDTHH:MM:SSZ`` (UTC) of an ISO timestamp, or of now."""
    when = None
    if value not in (None, "") and not (isinstance(value, float) and np.isnan(value)):
        try:
            when = _dt.datetime.fromisoformat(str(value))
        except ValueError:
            when = None
    when = when or _dt.datetime.now(_dt.timezone.utc)
    if when.tzinfo is None:
        when = when.replace(tzinfo=_dt.timezone.utc)
    return when.astimezone(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _code_description(code: Code) -> str:
    parts = [code.definition]
    if code.questions:
        parts.append("Questions:\n" + "\n".join(f"- {q}" for q in code.questions))
    if code.kind == "inductive":
        parts.append(f"Inductive code, mapped to {', '.join(code.maps_to)}." if code.maps_to
                     else "Inductive code, not yet mapped to NPT/CMO.")
    return _xml_safe("\n\n".join(p for p in parts if p))


def code_guid(code_id: str) -> str:
    """The GUID npt-coder gives a code in every export: the same in ``.qdc`` and ``.qdpx`` files and across projects."""
    return _uid("code", code_id)


def _codebook_xml(codebook: Codebook, codes_el, ns: str, extra: Sequence[str] = ()) -> None:
    """Codes under ``codes_el``: domain folders > construct folders > codes, each inductive code under its first
    ``maps_to`` target (unmapped ones in a folder of their own); ``extra`` ids (used but not in the codebook) last."""
    q = functools.partial(etree.QName, ns)
    placed: set[str] = set()
    inductive = [c for c in codebook if c.kind == "inductive"]

    def folder(parent, guid: str, name: str, description: str = "", colour: str | None = None):
        el = etree.SubElement(parent, q("Code"), guid=guid, name=_xml_safe(name), isCodable="false")
        if colour:
            el.set("color", colour)
        if description:
            etree.SubElement(el, q("Description")).text = _xml_safe(description)
        return el

    def add(parent, code: Code, colour: str):
        el = etree.SubElement(parent, q("Code"), guid=code_guid(code.code_id),
                              name=_xml_safe(f"{code.code_id} {code.name}"), isCodable="true", color=colour)
        desc = _code_description(code)
        if desc:
            etree.SubElement(el, q("Description")).text = desc
        placed.add(code.code_id)
        under(el, code.code_id, colour)
        return el

    def under(parent, target: str, colour: str) -> None:
        for c in inductive:
            if c.maps_to and c.maps_to[0] == target and c.code_id not in placed:
                add(parent, c, colour)

    for d, cons in codebook.hierarchy():
        colour = _DOMAIN_COLOURS.get(d["id"], _UNMAPPED_COLOUR)
        dom = folder(codes_el, _uid("domain", d["id"]), d["name"], d.get("description", ""), colour)
        under(dom, d["id"], colour)
        for con, members in cons:
            single = len(members) == 1 and members[0].code_id == con["id"]
            holder = dom if single else folder(dom, _uid("construct", con["id"]), f"{con['id']} {con['name']}",
                                               con.get("description", ""), colour)
            if not single:
                under(holder, con["id"], colour)
            for code in members:
                add(holder, code, colour)
    rest = [c for c in codebook if c.code_id not in placed]
    if rest or extra:
        box = folder(codes_el, _uid("folder", "unmapped"), _UNMAPPED_FOLDER,
                     "Inductive codes not yet mapped onto NPT/CMO.", _UNMAPPED_COLOUR)
        for c in rest:
            if c.code_id not in placed:
                add(box, c, _UNMAPPED_COLOUR)
        for cid in extra:
            etree.SubElement(box, q("Code"), guid=code_guid(cid), name=_xml_safe(cid), isCodable="true")


def _write_zip(path: Path, members: list[tuple[str, bytes]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for name, data in members:
                zf.writestr(name, data)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


def project_to_qdpx(project: Project, path: str | Path) -> Path:
    """Write the project as a REFI-QDA project (``.qdpx``) that NVivo, ATLAS.ti, MAXQDA and QualCoder import.

    * **Users**: one per coder, with a GUID derived (uuid5) from the project id and the coder's name, so every
      export of a project gives a coder the same GUID.
    * **CodeBook**: the project codebook as folders (``isCodable="false"``) for the CMO domains and the NPT
      constructs, holding the codes; each code is named ``"<id> <name>"`` (``M3.3 Relational integration``) so
      other programs show the id, with the definition and questions as its description; inductive codes sit under
      the code, construct or domain they map to first. A code's GUID derives from its id alone (see
      :func:`code_guid`), the same as in :func:`codebook_to_qdc`.
    * **Sources**: every transcript as a ``TextSource`` named by its id, its canonical text stored as
      ``sources/<guid>.txt`` (UTF-8 without BOM, as stored: LF line endings).
    * **Codings**: one ``PlainTextSelection`` per coded span and coder, positions in code points (``end``
      exclusive), the coded text as its ``name``, the coder as ``creatingUser`` of the selection and of its
      ``Coding`` elements (one per code). A memo is the selection's ``Description`` when all its codings share it,
      else a ``Note`` referenced from each coding.

    The file validates against the REFI-QDA project schema (:func:`validate_qdpx`) and imports back into a project
    holding the same transcripts as the same codings (:func:`read_qdpx_codings`). Returns the path written.
    """
    path = Path(path)
    pid = project.project_id
    codebook = project.load_codebook()
    codings = project.codings.copy()
    transcripts = project.transcripts
    q = functools.partial(etree.QName, PROJECT_NS)
    now = _stamp()

    coders = sorted(codings["coder"].unique()) if not codings.empty else []
    user_guid = {c: _uid(pid, "user", c) for c in coders}
    root = etree.Element(q("Project"), nsmap={None: PROJECT_NS}, name=_xml_safe(project.root.name or "npt-coder"),
                         origin=f"npt-coder {__version__}", creationDateTime=now, modifiedDateTime=now)
    if coders:
        users_el = etree.SubElement(root, q("Users"))
        for c in coders:
            etree.SubElement(users_el, q("User"), guid=user_guid[c], name=_xml_safe(c))
    extra = sorted(set(codings["code_id"]) - set(codebook.ids)) if not codings.empty else []
    book = etree.SubElement(root, q("CodeBook"))
    _codebook_xml(codebook, etree.SubElement(book, q("Codes")), PROJECT_NS, extra)

    files: list[tuple[str, bytes]] = []
    notes: list[tuple[str, str, str, str, str]] = []  # guid, name, user guid, when, text
    if not transcripts.empty:
        sources_el = etree.SubElement(root, q("Sources"))
        codings["memo"] = codings["memo"].fillna("").astype(str)
        by_tid = {tid: df for tid, df in codings.groupby("transcript_id", sort=False)}
        for t in transcripts.itertuples(index=False):
            tid, text = t.transcript_id, t.text
            sguid = _uid(pid, "source", tid)
            files.append((f"sources/{sguid}.txt", text.encode("utf-8")))
            src = etree.SubElement(sources_el, q("TextSource"), guid=sguid, name=_xml_safe(tid),
                                   plainTextPath=f"internal://{sguid}.txt", creationDateTime=_stamp(t.added_at))
            df = by_tid.get(tid)
            if df is None:
                continue
            df = df.sort_values(["start", "end", "coder", "code_id"], kind="stable")
            for (start, end, who), group in df.groupby(["start", "end", "coder"], sort=False):
                start, end = int(start), int(end)
                key = (pid, tid, str(start), str(end), who)
                memos = list(dict.fromkeys(group["memo"]))
                shared = memos[0] if len(memos) == 1 else ""
                sel = etree.SubElement(src, q("PlainTextSelection"), guid=_uid(*key, "selection"),
                                       name=_xml_safe(text[start:end]), startPosition=str(start),
                                       endPosition=str(end), creatingUser=user_guid[who],
                                       creationDateTime=_stamp(group["imported_at"].min()))
                if shared:
                    etree.SubElement(sel, q("Description")).text = _xml_safe(shared)
                for r in group.itertuples(index=False):
                    cod = etree.SubElement(sel, q("Coding"), guid=_uid(*key, r.code_id, "coding"),
                                           creatingUser=user_guid[who], creationDateTime=_stamp(r.imported_at))
                    etree.SubElement(cod, q("CodeRef"), targetGUID=code_guid(r.code_id))
                    if r.memo and not shared:
                        nguid = _uid(*key, r.code_id, "note")
                        etree.SubElement(cod, q("NoteRef"), targetGUID=nguid)
                        notes.append((nguid, f"Memo: {r.code_id} by {who} on {tid} {start}-{end}", user_guid[who],
                                      _stamp(r.imported_at), r.memo))
    if notes:
        notes_el = etree.SubElement(root, q("Notes"))
        for nguid, name, who, when, text in notes:
            note = etree.SubElement(notes_el, q("Note"), guid=nguid, name=_xml_safe(name), creatingUser=who,
                                    creationDateTime=when)
            etree.SubElement(note, q("PlainTextContent")).text = _xml_safe(text)
    xml = etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)
    _write_zip(path, [("project.qde", xml), *files])
    return path


def codebook_to_qdc(codebook: Codebook, path: str | Path) -> Path:
    """Write the codebook alone as a REFI-QDA codebook (``.qdc``): the same folders, names (``"<id> <name>"``),
    descriptions and GUIDs as in :func:`project_to_qdpx`. Valid against the codebook schema (:func:`validate_qdc`).
    Returns the path written."""
    path = Path(path)
    q = functools.partial(etree.QName, CODEBOOK_NS)
    root = etree.Element(q("CodeBook"), nsmap={None: CODEBOOK_NS},
                         origin=_xml_safe(f"npt-coder {__version__}: {codebook.name} {codebook.version}"))
    _codebook_xml(codebook, etree.SubElement(root, q("Codes")), CODEBOOK_NS)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True))
    return path


# -- validation -------------------------------------------------------------------------------------------------------

@functools.lru_cache(maxsize=None)
def _schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA_DIR / name)))


def _schema_errors(doc, schema: etree.XMLSchema, member: str) -> list[str]:
    if schema.validate(doc):
        return []
    return [f"{member} line {e.line}: {e.message}" for e in schema.error_log]


def validate_qdpx(path: str | Path) -> list[str]:
    """Problems that keep a ``.qdpx`` from being a valid REFI-QDA project; an empty list when there are none.

    Lists every error against the standard's project schema (``schema/Project-mrt2019.xsd``), then references the
    schema cannot check: a ``CodeRef`` or ``NoteRef`` to a GUID the file does not define, and an ``internal://``
    source file missing from the archive.
    """
    path = Path(path)
    try:
        with zipfile.ZipFile(path) as zf:
            archive = _Archive(zf, path.name)
            qde = _find_qde(archive.names, path.name)
            root = _parse_xml(archive.read(qde), path.name, qde)
            errors = _schema_errors(root, _schema("Project-mrt2019.xsd"), qde)
            codes = {_guid(el.get("guid")) for el in root.iter() if _local(el) == "Code"}
            notes = {_guid(el.get("guid")) for el in root.iter() if _local(el) == "Note"}
            for el in root.iter():
                name = _local(el)
                if name == "CodeRef" and _guid(el.get("targetGUID")) not in codes:
                    errors.append(f"{qde} line {el.sourceline}: CodeRef to {el.get('targetGUID')}, which is no Code")
                elif name == "NoteRef" and _guid(el.get("targetGUID")) not in notes:
                    errors.append(f"{qde} line {el.sourceline}: NoteRef to {el.get('targetGUID')}, which is no Note")
                for attr in ("plainTextPath", "richTextPath", "path"):
                    url = el.get(attr) if name else None
                    if url and url.lower().startswith("internal://") and archive.internal(url) is None:
                        errors.append(f"{qde} line {el.sourceline}: {attr} {url} is not in the archive")
            return errors
    except CodingImportError as err:
        return [str(err)]
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as err:
        return [f"{path.name}: not a readable zip archive ({err})"]


def validate_qdc(path: str | Path) -> list[str]:
    """Errors against the REFI-QDA codebook schema (``schema/Codebook.xsd``); an empty list when there are none."""
    path = Path(path)
    try:
        root = _parse_xml(path.read_bytes(), path.name, path.name)
    except CodingImportError as err:
        return [str(err)]
    except OSError as err:
        return [f"{path.name}: cannot be read ({err.strerror or err})"]
    return _schema_errors(root, _schema("Codebook.xsd"), path.name)
