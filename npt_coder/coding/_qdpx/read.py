"""Reading a ``.qdpx`` archive (its ``project.qde`` and source files) or a ``.qdc`` codebook into :mod:`.model`
objects, choosing per source the reading (:data:`~npt_coder.coding._qdpx.offsets.READINGS`) its selections use.

Element names are matched whatever namespace (version) they carry; GUIDs are compared in lower case without braces.
"""

from __future__ import annotations

import codecs
import unicodedata
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from ..._archive import SafeZip
from ..._words import count
from ...errors import CodingImportError
from .model import QdpxCase, QdpxCode, QdpxCoding, QdpxProject, QdpxSelection, QdpxSource
from .offsets import _Positions, _reading_key, _readings_for

__all__ = ["read_qdc", "read_qdpx"]

_MAX_LISTED = 8  # how many items a problem or note lists before it stops
#: what a source problem says when its text is there but cannot be decoded (REFI-QDA asks for UTF-8)
NOT_UTF8 = "is not UTF-8 text"


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
        reason = " ".join(str(err.msg or err).split())
        raise CodingImportError(f"{where}: {member} is not well-formed XML (line {err.lineno}: {reason})") from None


_KIND_NAMES = {"PictureSource": "picture source", "PDFSource": "PDF source without text", "AudioSource":
               "audio source", "VideoSource": "video source"}


def _name_from_path(path: str | None, guid: str) -> str:
    """A name for a source the file left unnamed: its plain text file's stem unless that is its GUID."""
    if path:
        stem = path.replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
        if stem and _guid(stem) != guid:
            return stem
    return f"source {guid[:8]}"


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
    def __init__(self, zf: SafeZip, where: str):
        self.zf = zf
        self.where = where
        self.names = [n for n in zf.namelist() if not n.endswith("/")]
        self.lower = {n.replace("\\", "/").lower(): n for n in self.names}

    def read(self, name: str) -> bytes:
        return self.zf.read(name)

    def internal(self, url: str | None) -> str | None:
        """The archive member a path names: ``internal://x.txt`` or a bare relative ``x.txt`` (some exports leave the
        scheme out), under ``sources/`` or ``Sources/`` or at the top, any case; None for a path outside the archive
        (``file://``, an absolute path) or a member that is not there."""
        if not url:
            return None
        if url.lower().startswith("internal://"):
            rel = url[len("internal://"):]
        elif "://" in url or url.startswith(("/", "\\")) or (len(url) > 1 and url[1] == ":"):
            return None
        else:
            rel = url
        rel = rel.replace("\\", "/").lstrip("/").lower()
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
        outside = "://" in url and not url.lower().startswith("internal://")
        return None, f"its plain text is outside the file ({url})" if outside else \
            f"its plain text {url} is not in the file"
    try:
        return _decode_source(archive.read(member)), None
    except UnicodeDecodeError as err:
        return None, f"its plain text {member} {NOT_UTF8} (at byte {err.start + 1})"


def _value(vv) -> tuple[str, str] | None:
    """(variable guid, value as text) of a ``VariableValue``."""
    ref = _kid(vv, "VariableRef")
    if ref is None:
        return None
    for kind in ("TextValue", "BooleanValue", "IntegerValue", "FloatValue", "DateValue", "DateTimeValue"):
        v = _kid(vv, kind)
        if v is not None:
            return _guid(ref.get("targetGUID")), _text_of(v)
    return None


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

    Selection positions come back as code point offsets into each source's plain text (see
    :mod:`npt_coder.coding._qdpx` for how positions counted in UTF-16 units or with CRLF as one are recognised). Selections that lie past the end
    of their text, split a character or are empty go to :attr:`QdpxProject.invalid` with the problem stated.
    Element names are matched whatever namespace (version) they carry; GUIDs are compared in lower case without
    braces.

    Raises :class:`~npt_coder.errors.CodingImportError` when the file is not a zip archive, holds no ``.qde``, or
    its XML is not well-formed or not a REFI-QDA ``Project``.
    """
    path = Path(path)
    where = path.name
    try:
        # member sizes and compression ratios are checked before anything is unpacked (a zip bomb is refused)
        with SafeZip(path, fail=lambda reason: CodingImportError(f"{where}: {reason}"), what="REFI-QDA project",
                     not_zip="not a readable REFI-QDA project (a .qdpx is a zip archive; this file is none)") as zf:
            archive = _Archive(zf, where)
            qde = _find_qde(archive.names, where)
            root = _parse_xml(archive.read(qde), where, qde)
            return _read_project(root, archive, path, qde)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as err:
        reason = " ".join(str(err).split()) or type(err).__name__
        raise CodingImportError(f"{where}: not a readable REFI-QDA project (a .qdpx is a zip archive; {reason})") from None
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

    referenced: set[str] = set()

    def note_refs(el) -> list[str]:
        found = [g for r in _kids(el, "NoteRef") if (g := _guid(r.get("targetGUID"))) in notes_text]
        referenced.update(found)
        return [notes_text[g] for g in found if notes_text[g]]

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
    memos: dict[tuple[str, str], str] = {}
    source_values: dict[str, dict[str, str]] = {}
    skipped: Counter = Counter()
    skipped_codings: Counter = Counter()  # codings on sources that are not text: left out, and said so
    bad_positions: list[str] = []
    no_positions: list[QdpxSelection] = []  # coded ones make the import fail (see match.py), never vanish
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
            skipped_codings[kind] += sum(1 for c in el.iter() if _local(c) == "Coding")
            continue
        guid = _guid(text_el.get("guid") or el.get("guid"))
        given = el.get("name") or text_el.get("name")
        path_attr = text_el.get("plainTextPath")
        name = given or _name_from_path(path_attr, guid)
        text, problem = _source_text(text_el, archive)
        memo = join([_text_of(_kid(el, "Description")), *note_refs(el)])
        if memo:
            memos[("source", guid)] = memo
        values = dict(v for vv in _kids(el, "VariableValue") if (v := _value(vv)) is not None)
        if values:
            source_values[guid] = values
        raws: list[_RawSel] = []
        for s in _kids(text_el, "PlainTextSelection"):
            sel_coder = user(s.get("creatingUser"))
            sel_memo = join([_text_of(_kid(s, "Description")), *note_refs(s)])
            try:
                a, b = int(s.get("startPosition")), int(s.get("endPosition"))
            except (TypeError, ValueError):
                bad_positions.append(_guid(s.get("guid")))
                no_positions.append(QdpxSelection(
                    _guid(s.get("guid")), guid, 0, 0, codings_of(s, sel_coder, sel_memo), s.get("name"), sel_coder,
                    sel_memo, problem=f"selection {_guid(s.get('guid'))} in source {name!r} has no whole-number "
                                      "startPosition and endPosition"))
                continue
            raws.append(_RawSel(_guid(s.get("guid")), guid, a, b, s.get("name"), sel_coder, sel_memo,
                                codings_of(s, sel_coder, sel_memo)))
        whole = codings_of(text_el, user(text_el.get("creatingUser")), "")
        if whole and text is not None:
            raws.append(_RawSel(guid, guid, 0, len(text), None, None, "", whole, whole=True))
        sources.append((QdpxSource(guid, name, text, kind, None, problem, path_attr, bool(given)), raws))

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
        out_sources.append(QdpxSource(src.guid, src.name, src.text, src.kind, chosen, None, src.path, src.named))
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
    notes = [f"{count(n, kind)} left aside: only text sources and PDF text are read" for kind, n in skipped.items()]
    left_aside: Counter = Counter({_KIND_NAMES.get(k, k): n for k, n in skipped.items()})
    variables = {}
    vars_el = _kid(root, "Variables")
    for v in _kids(vars_el, "Variable") if vars_el is not None else []:
        variables[_guid(v.get("guid"))] = (v.get("name") or "").strip()
    cases: list[QdpxCase] = []
    cases_el = _kid(root, "Cases")
    for c in _kids(cases_el, "Case") if cases_el is not None else []:
        vals = {variables.get(g, g): val for vv in _kids(c, "VariableValue") if (x := _value(vv)) is not None
                for g, val in [x]}
        refs = tuple(_guid(r.get("targetGUID")) for r in _kids(c, "SourceRef"))
        cases.append(QdpxCase(_guid(c.get("guid")), (c.get("name") or "").strip(), vals, refs))
        left_aside["selection reference of a case"] += len(_kids(c, "SelectionRef"))
    source_values = {g: {variables.get(k, k): v for k, v in vals.items()} for g, vals in source_values.items()}
    if book is not None and _kid(book, "Codes") is not None:
        for c in _kid(book, "Codes").iter():
            if _local(c) == "Code" and (memo := join(note_refs(c))):
                memos[("code", _guid(c.get("guid")))] = memo
    if (project_memo := join([_text_of(_kid(root, "Description")), *note_refs(root)])):
        memos[("project", "")] = project_memo
    for kind, label in (("Sets", "set"), ("Graphs", "graph"), ("Links", "link")):
        el = _kid(root, kind)
        if el is not None and len(list(el)):
            left_aside[label] += sum(1 for x in el if _local(x) is not None)
    left_aside["note attached to nothing read"] += sum(1 for g, t in notes_text.items() if g not in referenced and t)
    left_aside["coding on a source that is not text"] += sum(skipped_codings.values())
    left_aside = Counter({k: n for k, n in left_aside.items() if n})
    if bad_positions:
        notes.append(f"{count(len(bad_positions), 'selection')} without whole-number positions left aside: "
                     f"{', '.join(bad_positions[:_MAX_LISTED])}")
    invalid.extend(no_positions)
    left_out = []
    if sum(skipped_codings.values()):
        kinds = ", ".join(f"{skipped[k]} {k}" for k in sorted(skipped_codings) if skipped_codings[k])
        left_out.append(f"{count(sum(skipped_codings.values()), 'coding')} on sources that are not text ({kinds}) left "
                        "out: npt-coder codes transcript text only")
    return QdpxProject(path, root.get("name") or path.stem, origin, users, codes, out_sources, selections, invalid,
                       notes, cases, source_values, memos, dict(left_aside), left_out)


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
