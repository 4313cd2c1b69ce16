"""Importing a ``.qdpx``'s codings into a project (:func:`read_qdpx_codings`): its sources matched to transcripts by
their text, its codes to the codebook by id or name (or a code map), its users taken as the coders."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from pathlib import Path
from typing import Callable, Mapping

import pandas as pd
import yaml

from ..._io import file_problem
from ..._words import count, noun
from ...codebook import Codebook
from ...errors import CodingImportError
from ...store import Project
from .._import import IMPORT_COLUMNS, code_hint, report_left_out
from .._match import TextMap, best_match, closest_hint
from .model import QdpxCode, QdpxCoding
from .offsets import _lf, _line_end_map
from .read import _MAX_LISTED, _guid, read_qdpx

__all__ = ["read_qdpx_codings"]


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
        problem = file_problem(p)
        if problem:
            raise CodingImportError(f"{where}: code map: {problem}")
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
            bad.append(f"{k!s} -> {v!r}{code_hint(str(v), codebook)}")
            continue
        out[_key(k)] = cid
        out[_key(_guid(str(k)))] = cid
    if bad:
        raise CodingImportError(f"{where}: code map {noun(len(bad), 'target')} not in the project's codebook: "
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

    def hint(self, text: str, closest: str | None, ratio: float) -> str:
        """How a text that matched no transcript differs from the closest (see :func:`closest_hint`)."""
        return closest_hint(TextMap(text), self._maps or {}, closest, ratio)


def read_qdpx_codings(path: str | Path, project: Project, *, coder: str | None = None,
                      code_map: Mapping[str, str] | str | Path | None = None, new_inductive: bool = False,
                      codebook: Codebook | None = None, left_out: list[str] | None = None) -> pd.DataFrame:
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

    * **Nothing coded vanishes**: a coded selection that cannot be placed (no whole-number positions, past the end
      of its text) makes the file an error. Codings on sources that are not text (pictures, audio, video), on
      folders (``isCodable="false"``) or on a selection of spacing only are left out, each kind with a line
      appended to ``left_out`` when a list is given; :func:`~npt_coder.coding.import_files` gives one, shows the
      lines and keeps them in the batch's history.

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
        problems.append(f"{count(len(bad), 'coded selection')} cannot be placed: "
                        + "; ".join(str(sel.problem) for sel in bad[:_MAX_LISTED]))
    items = [(sel, c) for sel in qp.selections for c in sel.codings if codable(c)]
    dangling = sorted({c.code_guid for _, c in items if c.code_guid not in codes})
    if dangling:
        problems.append(f"codings refer to {noun(len(dangling), 'a code', 'codes')} missing from the file's codebook: "
                        f"{', '.join(dangling[:4])}")

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
            label = code.path if code.parents else code.name
            listed.append(f"{label!r}{code_hint(code.name, codebook)}")
        more = f" and {len(unknown) - _MAX_LISTED} more" if len(unknown) > _MAX_LISTED else ""
        problems.append(f"{count(len(unknown), 'code')} not in the project's codebook: {'; '.join(listed)}{more}; map "
                        f"them "
                        "with a code map (a CSV or YAML file: the file's code name -> our code id), or import with "
                        "--new-inductive to add them as inductive codes")

    targets = _Targets(project)
    placed: dict[str, tuple[str, Callable[[int, int], tuple[int, int]]]] = {}
    unmatched: list[str] = []
    for guid in dict.fromkeys(sel.source_guid for sel, _ in items):
        src = sources[guid]
        tid, fn, ratio, closest = targets.match(src.text or "")
        if tid is None or fn is None:
            hint = targets.hint(src.text or "", closest, ratio)
            unmatched.append(f"{src.name!r}{hint}")
        else:
            placed[guid] = (tid, fn)
    if unmatched:
        problems.append(f"{count(len(unmatched), 'coded source')} {noun(len(unmatched), 'matches', 'match')} no "
                        f"transcript in the project: "
                        f"{'; '.join(unmatched[:_MAX_LISTED])}; add their text with 'npt-coder add' first, then "
                        "import again")

    problems += coder_problems(items, coder)
    if problems:
        raise CodingImportError(f"{where}: " + "; ".join(problems))

    rows = []
    n_spacing = 0
    for sel, c in items:
        tid, fn = placed[sel.source_guid]
        s, e = fn(sel.start, sel.end)
        if e <= s:
            n_spacing += 1  # only spacing was selected: it maps onto no character of the transcript
            continue
        rows.append((tid, (coder or c.coder or "").strip(), resolved[c.code_guid], int(s), int(e), c.memo))
    notes = list(qp.left_out)
    n_folders = sum(1 for sel in qp.selections for c in sel.codings if not codable(c))
    if n_folders:
        notes.append(f"{count(n_folders, 'coding')} of folders (codes marked isCodable=\"false\") left out: a folder "
                     f"is "
                     "not a code")
    if n_spacing:
        notes.append(f"{count(n_spacing, 'coding')} of selections holding only spacing left out")
    report_left_out(notes, left_out)
    if not rows:
        raise CodingImportError(f"{where}: holds no coded text selections to import "
                                f"({count(len(qp.sources), 'source')}, "
                                f"{count(len(qp.codes), 'code')})")
    df = pd.DataFrame(rows, columns=IMPORT_COLUMNS)
    return df.drop_duplicates(ignore_index=True)


def coder_problems(items, coder: str | None) -> list[str]:
    """What is wrong with who coded: an empty ``--coder``, or codings that name no user when none is given."""
    problems = []
    if coder is not None and not coder.strip():
        problems.append("the coder name given is empty")
    no_user = sum(1 for _, c in items if coder is None and not (c.coder or "").strip())
    if no_user:
        problems.append(f"{count(no_user, 'coding')} {noun(no_user, 'names', 'name')} no user; give the coder with "
                        f"--coder")
    return problems
