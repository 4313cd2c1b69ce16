"""Pseudonymise transcript files in their own format: .txt, .vtt, .srt and .docx."""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import tempfile
from dataclasses import asdict, dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Callable, Sequence

import pandas as pd

from .._archive import check_archive
from .._io import read_user_bytes, write_atomically
from ..errors import PseudonymisationError
from ..ingest._decode import BOMS
from ._patterns import GENERIC_TERMS, looks_like_id
from ._pseudo import Pseudonymiser, Replacement, apply_replacements
from ._terms import fold

__all__ = ["SUPPORTED_FORMATS", "PseudonymisedFile", "decode_bytes", "pseudonymise_file", "pseudonymise_files"]

#: File suffixes :func:`pseudonymise_file` can write.
SUPPORTED_FORMATS = (".txt", ".vtt", ".srt", ".docx")

_BOMS = BOMS  # the same byte-order marks the transcript readers recognise


@dataclass(frozen=True)
class PseudonymisedFile:
    """What :func:`pseudonymise_file` did: where it wrote, in which encoding, and how many replacements per type."""

    src: Path
    dst: Path
    format: str
    encoding: str | None
    replaced: dict[str, int] = field(default_factory=dict)

    @property
    def n_replaced(self) -> int:
        return sum(self.replaced.values())

    def to_frame(self) -> pd.DataFrame:
        """One row per type replaced: ``src``, ``dst``, ``type``, ``n``."""
        rows = [{"src": str(self.src), "dst": str(self.dst), "type": t, "n": n}
                for t, n in sorted(self.replaced.items())]
        return pd.DataFrame(rows, columns=["src", "dst", "type", "n"])

    def __repr__(self) -> str:
        d = asdict(self)
        return f"PseudonymisedFile({d['src'].name!r} -> {d['dst'].name!r}, {self.format}, replaced={self.n_replaced})"


class _Counter:
    def __init__(self) -> None:
        self.by_type: dict[str, int] = {}

    def add(self, plan: list[Replacement]) -> None:
        for r in plan:
            self.by_type[r.type] = self.by_type.get(r.type, 0) + 1


def _iterate(units: list, pseudonymiser: Pseudonymiser, counter: _Counter, *, passes: int = 3) -> None:
    """Plan and apply replacements for text units (objects with ``text``, ``skip`` and ``apply(plan)``), checking
    changed units again until nothing of the replaced types is left (at most ``passes`` rounds)."""
    todo = [u for u in units if u.text.strip()]
    for _ in range(passes):
        if not todo:
            return
        plans = pseudonymiser.plan_many([u.text for u in todo], skip_spans=[u.skip for u in todo])
        changed = []
        for u, plan in zip(todo, plans):
            if plan:
                counter.add(plan)
                u.apply(plan)
                changed.append(u)
        todo = changed


# ------------------------------------------------------------------------------------------------------------
# plain text
def decode_bytes(data: bytes) -> tuple[str, str, bytes]:
    """``(text, encoding, bom)``: a byte-order mark decides (UTF-8, UTF-16, UTF-32), else UTF-8, else cp1252."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(enc), enc, bom
    try:
        return data.decode("utf-8"), "utf-8", b""
    except UnicodeDecodeError:
        pass
    return data.decode("cp1252"), "cp1252", b""


class _TextUnit:
    def __init__(self, text: str, skip: list[tuple[int, int]] | None = None):
        self.text = text
        self.skip = skip or []

    def apply(self, plan: list[Replacement]) -> None:
        self.text, self.skip = apply_replacements(self.text, plan, self.skip)


def _read_text(src: Path, data: bytes) -> tuple[str, str, bytes]:
    try:
        text, encoding, bom = decode_bytes(data)
    except UnicodeDecodeError:
        raise PseudonymisationError(src, "is not text in UTF-8, UTF-16 or Windows-1252") from None
    if "\x00" in text:
        raise PseudonymisationError(src, "holds binary data, not text")
    return text, encoding, bom


# ------------------------------------------------------------------------------------------------------------
# WebVTT and SRT: only cue text changes; timings, cue ids, headers and tags stay byte for byte
_TAG = re.compile(r"<[^<>\n]*>|\{\\[^{}\n]*\}")
_VOICE = re.compile(r"<v(?:\.[\w.-]+)?[ \t]+([^<>\n]+?)[ \t]*>")
_ROLE_LABEL = re.compile(r"(?i)(?:interviewer|interviewee|facilitator|co-facilitator|moderator|researcher|"
                         r"participant|respondent|speaker|note[- ]?taker|observer|unknown|child|parent|carer)"
                         r"(?:\s*[0-9]{1,3}[a-z]?)?")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")


class _CueUnit(_TextUnit):
    """The text of one cue; tags (``<v Speaker>``, ``<i>``, ``{\\an8}``) are skipped."""

    def __init__(self, text: str):
        super().__init__(text, [m.span() for m in _TAG.finditer(text)])


def _subtitle_blocks(text: str) -> list[list[str]]:
    """Lines (with their endings) grouped into blocks separated by blank lines."""
    lines = [m.group() for m in _LINE.finditer(text) if m.group()]
    blocks: list[list[str]] = []
    cur: list[str] = []
    for line in lines:
        cur.append(line)
        if not line.strip():
            blocks.append(cur)
            cur = []
    if cur:
        blocks.append(cur)
    return blocks


def _split_ending(line: str) -> tuple[str, str]:
    body = line.rstrip("\r\n")
    return body, line[len(body):]


def _pseudonymise_subtitles(text: str, pseudonymiser: Pseudonymiser, counter: _Counter, *, vtt: bool,
                            voice_names: bool) -> str:
    blocks = _subtitle_blocks(text)
    pieces: list[list] = []  # per block: list of str or _CueUnit (+ line ending)
    units: list[_CueUnit] = []
    for bi, block in enumerate(blocks):
        out: list = []
        timing_at = next((i for i, line in enumerate(block) if "-->" in line), None)
        first = block[0].strip() if block else ""
        is_note = vtt and (first.startswith("NOTE") and (len(first) == 4 or first[4] in " \t"))
        if vtt and bi == 0 and first.startswith("WEBVTT"):
            pieces.append(list(block))
            continue
        if is_note:
            whole = "".join(block)
            head = re.match(r"\s*NOTE[ \t]*", whole).group()
            rest = whole[len(head):]
            trail = rest[len(rest.rstrip("\r\n \t")):]
            unit = _CueUnit(rest[: len(rest) - len(trail)])
            units.append(unit)
            pieces.append([head, unit, trail])
            continue
        if timing_at is None or (vtt and first.startswith(("STYLE", "REGION"))):
            pieces.append(list(block))
            continue
        out.extend(block[: timing_at + 1])
        payload = "".join(block[timing_at + 1:])
        trail = payload[len(payload.rstrip("\r\n \t")):]
        cue = payload[: len(payload) - len(trail)]
        if cue:
            unit = _CueUnit(cue)
            units.append(unit)
            out.append(unit)
        out.append(trail)
        pieces.append(out)
    if voice_names:
        for unit in units:
            _replace_voice_names(unit, pseudonymiser, counter)
    _iterate(units, pseudonymiser, counter)
    return "".join(p if isinstance(p, str) else p.text for block in pieces for p in block)


def _is_voice_name(label: str) -> bool:
    """A speaker name in a ``<v ...>`` tag, not a participant id, a role or a placeholder."""
    label = label.strip()
    if label.startswith("[") or fold(label) in GENERIC_TERMS or _ROLE_LABEL.fullmatch(label):
        return False
    return not looks_like_id(label, 0, len(label))


def _replace_voice_names(unit: _CueUnit, pseudonymiser: Pseudonymiser, counter: _Counter) -> None:
    plan = [Replacement(m.start(1), m.end(1), pseudonymiser.placeholder(m.group(1), "person"), "person")
            for m in _VOICE.finditer(unit.text) if _is_voice_name(m.group(1))]
    if plan:
        counter.add(plan)
        unit.text = apply_replacements(unit.text, plan)[0]
        unit.skip = [m.span() for m in _TAG.finditer(unit.text)]


# ------------------------------------------------------------------------------------------------------------
# Word
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_P, _R, _T, _TAB, _BR, _CR, _DEL, _MOVEFROM, _INSTR, _HYPERLINK, _DELTEXT = (
    f"{{{W}}}{n}" for n in ("p", "r", "t", "tab", "br", "cr", "del", "moveFrom", "instrText", "hyperlink", "delText")
)
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_RID = f"{{{R_NS}}}id"
_HYPERLINK_RELTYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
_TEXT_PARTS = re.compile(r"/word/(?:document|header\d*|footer\d*|footnotes|endnotes|comments)\.xml$")


class _ParagraphUnit:
    """A ``w:p`` as text: its ``w:t`` elements (and tabs and breaks) in order, each with its offset."""

    def __init__(self, p):
        self.p = p
        self.skip: list[tuple[int, int]] = []
        self._read()

    def _read(self) -> None:
        segs: list[tuple[object, str, bool]] = []  # (element, text, is_text_node)
        for run in self.p.iter(_R):
            if next(run.iterancestors(_P), None) is not self.p:
                continue  # a run of a paragraph nested inside this one (text box)
            if any(a.tag in (_DEL, _MOVEFROM) for a in run.iterancestors()):
                continue
            for child in run:
                if child.tag == _T:
                    segs.append((child, child.text or "", True))
                elif child.tag == _TAB:
                    segs.append((child, "\t", False))
                elif child.tag in (_BR, _CR):
                    segs.append((child, "\n", False))
        self.segs = segs
        self.text = "".join(t for _, t, _ in segs)

    def apply(self, plan: list[Replacement]) -> None:
        starts, pos = [], 0
        for _, t, _ in self.segs:
            starts.append(pos)
            pos += len(t)
        texts = [t for _, t, _ in self.segs]
        removed: set[int] = set()
        for r in sorted(plan, key=lambda r: r.start, reverse=True):
            placed = False
            for i, (el, _, is_text) in enumerate(self.segs):
                s0 = starts[i]
                s1 = s0 + len(self.segs[i][1])
                if s1 <= r.start or s0 >= r.end or i in removed:
                    continue
                if not is_text:
                    removed.add(i)
                    continue
                cur = texts[i]
                a, b = max(r.start, s0) - s0, min(r.end, s1) - s0
                if not placed:
                    texts[i] = cur[:a] + r.placeholder + cur[b:]
                    placed = True
                else:
                    texts[i] = cur[:a] + cur[b:]
            if not placed:  # the span held only tabs/breaks: should not happen; keep the text safe anyway
                continue
        for i, (el, _, is_text) in enumerate(self.segs):
            if i in removed:
                parent = el.getparent()
                if parent is not None:
                    parent.remove(el)
            elif is_text and texts[i] != self.segs[i][1]:
                el.text = texts[i]
                el.set(_XML_SPACE, "preserve")
        self._read()


class _InstrUnit(_TextUnit):
    """The text of one element that is not a paragraph's visible text: a field instruction
    (``HYPERLINK "mailto:..."``) or a tracked deletion (``w:delText``)."""

    def __init__(self, el):
        super().__init__(el.text or "")
        self.el = el

    def apply(self, plan: list[Replacement]) -> None:
        super().apply(plan)
        self.el.text = self.text


def _docx_units(root) -> list:
    units: list = [_ParagraphUnit(p) for p in root.iter(_P)]
    # field instructions (HYPERLINK "mailto:...") and text deleted under tracked changes, one element at a time
    units.extend(_InstrUnit(el) for el in root.iter(_INSTR, _DELTEXT) if el.text)
    return units


def _clean_hyperlinks(part, root, pseudonymiser: Pseudonymiser, counter: _Counter) -> None:
    """Unlink hyperlinks whose target (a URL, mailto: or tel: address) holds an identifier, and drop the target."""
    rels = getattr(part, "rels", None)
    if not rels:
        return
    for rId, rel in list(rels.items()):
        if rel.reltype != _HYPERLINK_RELTYPE or not rel.is_external:
            continue
        target = rel.target_ref
        plan = pseudonymiser.plan_many([target])[0]
        if not plan:
            continue
        counter.add(plan)
        for el in root.iter(_HYPERLINK):
            if el.get(_RID) == rId:
                del el.attrib[_RID]
        del rels[rId]


def _pseudonymise_docx(data: bytes, src: Path, pseudonymiser: Pseudonymiser, counter: _Counter) -> bytes:
    from docx import Document
    from docx.opc.part import XmlPart
    from lxml import etree

    check_archive(data, fail=lambda reason: PseudonymisationError(src, reason), what="Word .docx file")
    try:
        doc = Document(BytesIO(data))
    except Exception as err:  # noqa: BLE001 - zipfile.BadZipFile and friends: a damaged file, said in one line
        raise PseudonymisationError(src, f"is not a readable Word .docx file ({type(err).__name__})") from None
    units: list = []
    raw_parts: list[tuple[object, object]] = []
    xml_parts: list[tuple[object, object]] = []
    for part in doc.part.package.iter_parts():
        if not _TEXT_PARTS.search(str(part.partname)):
            continue
        element = part.element if isinstance(part, XmlPart) else None
        if element is None:
            try:
                element = etree.fromstring(part.blob, parser=etree.XMLParser(resolve_entities=False, no_network=True,
                                                                             huge_tree=True))
            except etree.XMLSyntaxError:
                raise PseudonymisationError(src, f"the Word part {part.partname} is damaged") from None
            raw_parts.append((part, element))
        xml_parts.append((part, element))
        units.extend(_docx_units(element))
    _iterate(units, pseudonymiser, counter)
    for part, element in xml_parts:
        _clean_hyperlinks(part, element, pseudonymiser, counter)
    for part, element in raw_parts:
        part._blob = etree.tostring(element, xml_declaration=True, encoding="UTF-8", standalone=True)
    props = doc.core_properties
    prop_units = []
    for name in ("title", "subject", "keywords", "comments", "category"):
        value = getattr(props, name)
        if value:
            prop_units.append((name, _TextUnit(value)))
    _iterate([u for _, u in prop_units], pseudonymiser, counter)
    for name, unit in prop_units:
        setattr(props, name, unit.text)
    out = BytesIO()
    doc.save(out)
    return out.getvalue()


# ------------------------------------------------------------------------------------------------------------
def pseudonymise_file(
    src: str | Path,
    dst: str | Path,
    pseudonymiser: Pseudonymiser,
    *,
    overwrite: bool = False,
    voice_names: bool = False,
) -> PseudonymisedFile:
    """Write a pseudonymised copy of a transcript file in its own format.

    - ``.txt``: the encoding (UTF-8 with or without a byte-order mark, UTF-16/32 with one, else Windows-1252) and
      the newline style (``\\r\\n``, ``\\n``) are kept; only identifiers change.
    - ``.vtt`` / ``.srt``: only cue text (and WebVTT ``NOTE`` text) changes; the header, cue numbers and ids,
      timings and tags (``<v Speaker>``, ``<i>``) are copied unchanged, unless ``voice_names=True``, which
      replaces the speaker name inside ``<v ...>`` tags with a person placeholder too.
    - ``.docx``: text is replaced inside runs, so formatting (a bold speaker label) survives; an identifier split
      across runs is replaced in the run where it starts and removed from the others. Body paragraphs, table
      cells, text boxes, headers, footers, footnotes, endnotes and comments are all treated, and so are field
      instructions and text deleted under tracked changes (each element on its own); hyperlinks whose target
      holds an identifier are unlinked; the title, subject, keywords, comments and category properties are
      pseudonymised too.

    Every changed text is checked again after replacement, so the output holds no finding of the replaced types
    (for the same pipeline and lists).

    Parameters
    ----------
    src : str or pathlib.Path
        The transcript (.txt, .vtt, .srt or .docx).
    dst : str or pathlib.Path
        The file to write, or an existing folder to write ``src``'s name into; never ``src`` itself.
    pseudonymiser : Pseudonymiser
        Shared across the study so placeholders are consistent; afterwards write ``pseudonymiser.key()`` to a
        separate place.
    overwrite : bool, default False
        Replace ``dst`` if it exists.
    voice_names : bool, default False
        WebVTT only: also replace speaker names in ``<v ...>`` tags.

    Returns
    -------
    PseudonymisedFile
        Source, destination, format, text encoding and the number of replacements per type.

    Raises
    ------
    npt_coder.errors.PseudonymisationError
        ``src`` is missing, unreadable, damaged or of an unsupported format; ``dst`` is ``src`` or exists (without
        ``overwrite``); or ``dst`` has a different suffix. The message never holds an identifier.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "t.txt").write_bytes("P01: Mrs Smith rang on 07700 900123.\\r\\n".encode("utf-8"))
    >>> result = pseudonymise_file(folder / "t.txt", folder / "t_pseudo.txt", Pseudonymiser())
    >>> (folder / "t_pseudo.txt").read_bytes()
    b'P01: [PERSON 1] rang on [PHONE].\\r\\n'
    >>> result.replaced
    {'person': 1, 'phone': 1}
    """
    if not isinstance(pseudonymiser, Pseudonymiser):
        raise PseudonymisationError(Path(str(src)), "pseudonymiser must be a Pseudonymiser (shared across the study)")
    src, dst = Path(src), Path(dst)
    if dst.is_dir():
        dst = dst / src.name
    suffix = src.suffix.lower()
    if suffix not in SUPPORTED_FORMATS:
        raise PseudonymisationError(src, f"cannot pseudonymise {suffix or 'a file without a suffix'}; supported: "
                                         f"{', '.join(SUPPORTED_FORMATS)}")
    if dst.suffix.lower() != suffix:
        raise PseudonymisationError(dst, f"the copy must keep the format: give a {suffix} file name")
    data = read_user_bytes(src, PseudonymisationError, "file")
    if dst.exists():
        try:
            same = dst.resolve() == src.resolve() or dst.samefile(src)
        except OSError:
            same = False
        if same:
            raise PseudonymisationError(dst, "the copy cannot overwrite its own source; give another file or folder")
        if not overwrite:
            raise PseudonymisationError(dst, "already exists (pass overwrite=True to replace it)")
    counter = _Counter()
    encoding: str | None = None
    if suffix == ".docx":
        out = _pseudonymise_docx(data, src, pseudonymiser, counter)
    else:
        text, encoding, bom = _read_text(src, data)
        if suffix == ".txt":
            unit = _TextUnit(text)
            _iterate([unit], pseudonymiser, counter)
            new = unit.text
        else:
            new = _pseudonymise_subtitles(text, pseudonymiser, counter, vtt=suffix == ".vtt", voice_names=voice_names)
        out = bom + new.encode(encoding)
    try:
        dst.parent.mkdir(parents=True, exist_ok=True)
        dst.write_bytes(out)
    except OSError as err:
        raise PseudonymisationError(dst, f"cannot be written ({err.strerror or type(err).__name__})") from None
    return PseudonymisedFile(src, dst, suffix.lstrip("."), encoding, dict(counter.by_type))


def pseudonymise_files(files: Sequence[str | Path], output: str | Path, pseudonymiser: Pseudonymiser,
                       key: str | Path, *, overwrite: bool = False,
                       progress: Callable[[str, int, int], None] | None = None) -> list[PseudonymisedFile]:
    """Pseudonymise a study's files into ``output`` and write the key to ``key``, all or nothing.

    Every copy is made in a temporary folder beside ``output``; only when all of them succeeded is the key written,
    and then the copies are moved into ``output``. A file that cannot be pseudonymised, a key whose folder does not
    exist, or a copy that would replace an existing file (without ``overwrite``) leaves nothing behind: never copies
    without their key, never a key for copies that were not made. ``progress(stage, done, total)``, when given,
    hears ``"pseudonymising"`` before the first file and after each (counting files).

    Raises
    ------
    npt_coder.errors.PseudonymisationError
        As :func:`pseudonymise_file`, and for a key folder that does not exist, two files with one name, or a copy
        already in ``output`` (without ``overwrite``).
    """
    output, key = Path(output), Path(key)
    if not key.parent.is_dir():
        raise PseudonymisationError(key, "the key's folder does not exist; create it first or give another key path")
    if output.exists() and not output.is_dir():
        raise PseudonymisationError(output, "is a file, not a folder for the pseudonymised copies")
    names = [Path(f).name for f in files]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise PseudonymisationError(output, f"two files would be written as {twice[0]}; rename one of them")
    present = [n for n in names if (output / n).exists()]
    if present and not overwrite:
        raise PseudonymisationError(output / present[0], "exists already; remove it or pass overwrite")
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.", dir=output.parent))
    try:
        tell = progress or (lambda stage, done, total: None)
        tell("pseudonymising", 0, len(files))
        made = []
        for i, f in enumerate(files, start=1):
            made.append(pseudonymise_file(f, staging / Path(f).name, pseudonymiser))
            tell("pseudonymising", i, len(files))
        write_atomically(key, lambda tmp: pseudonymiser.key().to_csv(tmp, index=False))
        output.mkdir(exist_ok=True)
        done = []
        for copy in made:
            final = output / copy.dst.name
            os.replace(copy.dst, final)
            done.append(dataclasses.replace(copy, dst=final))
        return done
    finally:
        shutil.rmtree(staging, ignore_errors=True)
