"""A whole REFI-QDA project (NVivo, ATLAS.ti, MAXQDA, QualCoder) planned as one import: :func:`plan_qdpx_import`.

The plan says what the import would write, without touching the project; :func:`npt_coder.services.import_project`
runs the anonymisation check on its new transcripts and stores it in one transaction.

* **Sources** (text sources and the text of PDFs) that the project already holds (the same text, recognised by its
  hash, or equal once line ends and spacing are set aside) are matched to their transcripts; the others become new
  transcripts, read by the same layout detection as ``add`` (a source without speaker labels is one unnamed speaker).
  Their id is the source's name made safe for a file name (``source 1a2b3c4d`` for a source without one). A source
  whose name is the id of a transcript with a different text is refused: replace the transcript first.
  An empty source is left aside; a source whose text is missing from the archive, or is not UTF-8, stops the
  import.
* **Codes**: those the codings use must resolve to the codebook (id, name, ``M3.3 Name``, a code map) or, with
  ``new_inductive``, become inductive codes; with ``new_inductive`` every other codable code comes too. A new code
  keeps its place in the tree: it maps onto its nearest parent that is a code of the codebook, and its definition
  names its path in the other program. Folders are never codes: a coding of one is counted as left aside.
* **Codings**: every coded selection is carried from the source's positions (read as the exporting program counts
  them, see :mod:`npt_coder.coding._qdpx`) onto the transcript's canonical text through an alignment of the two
  (:func:`npt_coder.ingest.align`); a selection whose text was all dropped (a timestamp alone) is counted, not
  imported. Coders are the users who made the codings.
* **Memos**: a coding's notes go with it; notes on a source become the transcript's memo, on a code the code's, on
  the project the project memo. **Cases and variables** become attributes: ``case`` (the case's name) and one
  attribute per variable, for every source the case groups, then the source's own variable values.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping

import pandas as pd

from ..._io import file_problem
from ..._words import count, noun
from ...codebook import Codebook
from ...errors import CodingImportError, TranscriptFormatError
from ...ingest import IngestOptions, Transcript, align, read_text_source
from ...store import Project
from .._import import IMPORT_COLUMNS, code_hint
from .match import _load_code_map, _new_code_id, _resolve_code, _Targets, coder_problems
from .model import QdpxCode, QdpxProject, QdpxSource
from .read import _MAX_LISTED, NOT_UTF8, read_qdpx

__all__ = ["QdpxPlan", "plan_qdpx_import"]


@dataclass
class QdpxPlan:
    """What importing one ``.qdpx`` would write (see the module docstring)."""

    path: Path
    sha256: str
    origin: str = ""
    already_imported: int | None = None  # batch of an identical earlier import: nothing to do
    transcripts: list[Transcript] = field(default_factory=list)  # new transcripts, not yet checked
    matched: dict[str, str] = field(default_factory=dict)  # source name -> transcript already in the project
    codings: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=IMPORT_COLUMNS))
    new_codes: list[dict] = field(default_factory=list)
    memos: list[tuple[str, str, str]] = field(default_factory=list)
    attributes: dict[str, dict[str, str]] = field(default_factory=dict)  # for matched transcripts
    users: list[str] = field(default_factory=list)
    left_aside: dict[str, int] = field(default_factory=dict)


def _safe_id(name: str) -> str:
    tid = re.sub(r"[^\w.-]+", "_", name.strip()).strip("._")[:80]
    return tid or "source"


def _attributes(qp: QdpxProject) -> dict[str, dict[str, str]]:
    """Case attributes per source guid: ``case`` and the case's variables, then the source's own values."""
    out: dict[str, dict[str, str]] = {}
    for case in qp.cases:
        for g in case.sources:
            attrs = out.setdefault(g, {})
            if case.name:
                attrs["case"] = f"{attrs['case']}; {case.name}" if attrs.get("case") else case.name
            for k, v in case.values.items():
                if v:
                    attrs[_attr_key(k)] = v
    for g, values in qp.source_values.items():
        out.setdefault(g, {}).update({_attr_key(k): v for k, v in values.items() if v})
    return out


def _attr_key(name: str) -> str:
    return re.sub(r"\s+", "_", name.strip().lower()) or "variable"


class _Codes:
    """The file's codes resolved to codebook ids, new inductive codes made where allowed."""

    def __init__(self, qp: QdpxProject, codebook: Codebook, mapping: dict[str, str], new_inductive: bool,
                 where: str):
        self.qp, self.codebook, self.mapping, self.new_inductive, self.where = qp, codebook, mapping, new_inductive, where
        self.by_guid = qp.code_by_guid
        self.resolved: dict[str, str] = {}
        self.new: list[dict] = []
        self.unknown: list[QdpxCode] = []
        self._taken = {c.code_id.casefold() for c in codebook}

    def _deductive(self, code: QdpxCode) -> str | None:
        cid = _resolve_code(code, self.codebook, self.mapping)
        return cid if cid is not None and self.codebook[cid].kind == "deductive" else None

    def _maps_to(self, code: QdpxCode) -> list[str]:
        parent = self.by_guid.get(code.parent_guid) if code.parent_guid else None
        while parent is not None:
            cid = self._deductive(parent)
            if cid is not None:
                return [cid]
            parent = self.by_guid.get(parent.parent_guid) if parent.parent_guid else None
        return []

    def resolve(self, guid: str, *, used: bool) -> str | None:
        if guid in self.resolved:
            return self.resolved[guid]
        code = self.by_guid[guid]
        cid = _resolve_code(code, self.codebook, self.mapping)
        if cid is None and self.new_inductive:
            cid = _new_code_id(code.name, self._taken)
            what = f"Imported from {self.where} ({self.qp.origin or 'another program'}) as {code.path}."
            self.new.append({"id": cid, "name": code.name.strip() or cid, "kind": "inductive",
                             "maps_to": self._maps_to(code),
                             "definition": (code.description.strip() + "\n\n" if code.description.strip() else "")
                             + what})
        if cid is None:
            if used:
                self.unknown.append(code)
            return None
        self.resolved[guid] = cid
        return cid

    def problem(self) -> str | None:
        if not self.unknown:
            return None
        listed = []
        for code in self.unknown[:_MAX_LISTED]:
            listed.append(f"{code.path if code.parents else code.name!r}{code_hint(code.name, self.codebook)}")
        more = f" and {len(self.unknown) - _MAX_LISTED} more" if len(self.unknown) > _MAX_LISTED else ""
        return (f"{count(len(self.unknown), 'code')} used by its codings {noun(len(self.unknown), 'is')} not in the "
                f"project's codebook: "
                f"{'; '.join(listed)}{more}; map them with --code-map (a CSV or YAML file: the file's code name -> "
                "our code id), or import with --new-inductive to add them as inductive codes")


def _place(src: QdpxSource, targets: _Targets, known: dict[str, str], stored: dict[str, str], text_sha: str
           ) -> tuple[str | None, Callable[[int, int], tuple[int, int] | None] | None]:
    """A source already in the project: its transcript and the map of its positions onto that transcript's text."""
    tid = known.get(text_sha)
    if tid is None:
        tid, fn, _, _ = targets.match(src.text or "")
        if tid is not None:
            return tid, fn
        return None, None
    al = align(src.text or "", stored[tid])
    return tid, al.span


def plan_qdpx_import(path: str | Path, project: Project, *, options: IngestOptions | None = None,
                     coder: str | None = None, code_map: Mapping[str, str] | str | Path | None = None,
                     new_inductive: bool = False, progress: Callable[[str, int, int], None] | None = None) -> QdpxPlan:
    """Plan the import of a whole REFI-QDA project into ``project`` (see the module docstring).

    Raises :class:`~npt_coder.errors.CodingImportError` listing every problem (missing sources, unknown codes used
    by codings, codings without a user, unreadable selections); nothing is written by this function.
    ``progress(stage, done, total)``, when given, hears ``"sources"`` as each of the archive's sources is read or
    matched to a transcript.
    """
    path = Path(path)
    where = path.name
    problem = file_problem(path)  # missing, a folder, a symbolic link that loops, unreadable
    if problem:
        raise CodingImportError(f"{where}: {problem}")
    try:
        data = path.read_bytes()
    except OSError as err:
        raise CodingImportError(f"{where}: cannot be read ({err.strerror or type(err).__name__})") from None
    plan = QdpxPlan(path, hashlib.sha256(data).hexdigest())
    earlier = project.imported_hashes().get(plan.sha256)
    if earlier is not None:
        plan.already_imported = earlier
        return plan
    qp = read_qdpx(path)
    plan.origin = qp.origin
    plan.users = sorted(set(qp.users.values()))
    undecodable = [s for s in qp.sources if s.text is None and NOT_UTF8 in (s.problem or "")]
    if undecodable:
        raise CodingImportError(f"{where}: {count(len(undecodable), 'source')} cannot be read: "
                                + "; ".join(f"{s.name!r}: {s.problem}" for s in undecodable[:4])
                                + "; nothing was imported")
    missing = [s for s in qp.sources if s.text is None]
    if missing:
        raise CodingImportError(f"{where}: {len(missing)} of {count(len(qp.sources), 'source')} "
                                f"{noun(len(missing), 'is')} missing from the archive "
                                f"(their text is not in it: {', '.join(repr(s.name) for s in missing[:4])}); nothing "
                                "was imported")
    codebook = project.load_codebook()
    codes = _Codes(qp, codebook, _load_code_map(code_map, codebook), new_inductive, where)
    problems: list[str] = []
    left = dict(qp.left_aside)

    def aside(label: str, n: int = 1) -> None:
        left[label] = left.get(label, 0) + n

    # sources -> transcripts
    tr = project.transcripts
    stored = dict(zip(tr["transcript_id"], tr["text"]))
    known = project.known_files()
    targets = _Targets(project)
    attrs_of = _attributes(qp)
    placed: dict[str, tuple[str, Callable]] = {}
    taken = set(stored)
    new_by_sha: dict[str, Transcript] = {}  # two sources with one text become one transcript
    tell = progress or (lambda stage, done, total: None)
    for done, src in enumerate(qp.sources):
        tell("sources", done, len(qp.sources))
        if not (src.text or "").strip():
            aside("empty text source")
            continue
        text_sha = hashlib.sha256(src.text.encode("utf-8")).hexdigest()
        tid, fn = _place(src, targets, known, stored, text_sha)
        if tid is not None:
            placed[src.guid] = (tid, fn)
            plan.matched[src.name] = tid
            if attrs_of.get(src.guid):
                plan.attributes[tid] = attrs_of[src.guid]
            continue
        if text_sha in new_by_sha:
            twin = new_by_sha[text_sha]
            placed[src.guid] = (twin.transcript_id, align(src.text, twin.text).span)
            aside("source with the same text as another (imported once)")
            continue
        tid = _safe_id(src.name)
        if tid in stored:
            problems.append(f"source {src.name!r} has the id of transcript {tid}, whose text differs; if the source is "
                            f"a corrected version, replace the transcript first ('npt-coder replace {tid} FILE'), "
                            "or rename the source")
            continue
        base, n = tid, 2
        while tid in taken:
            tid, n = f"{base}-{n}", n + 1
        taken.add(tid)
        try:
            t = read_text_source(src.text, tid, source_path=f"{where}/{src.name}", sha256=text_sha,
                                 options=options, attributes=attrs_of.get(src.guid, {}), sentences=False)
        except TranscriptFormatError as err:
            problems.append(f"source {src.name!r}: {err}")
            continue
        plan.transcripts.append(t)
        new_by_sha[text_sha] = t
        placed[src.guid] = (tid, align(src.text, t.text).span)
    tell("sources", len(qp.sources), len(qp.sources))

    # codes and codings
    code_guids = qp.code_by_guid
    items = [(sel, c) for sel in qp.selections for c in sel.codings
             if c.code_guid not in code_guids or code_guids[c.code_guid].is_codable]
    folders = sum(len(sel.codings) for sel in qp.selections) - len(items)
    if folders:
        aside("coding of a folder (a code marked isCodable=\"false\")", folders)
    bad = [sel for sel in qp.invalid if any(c.code_guid not in code_guids or code_guids[c.code_guid].is_codable
                                            for c in sel.codings)]
    if bad:
        problems.append(f"{count(len(bad), 'coded selection')} cannot be placed: "
                        + "; ".join(str(sel.problem) for sel in bad[:_MAX_LISTED]))
    dangling = sorted({c.code_guid for _, c in items if c.code_guid not in code_guids})
    if dangling:
        problems.append(f"codings refer to {noun(len(dangling), 'a code', 'codes')} missing from the file's codebook: "
                        f"{', '.join(dangling[:4])}")
    for guid in dict.fromkeys(c.code_guid for _, c in items if c.code_guid in code_guids):
        codes.resolve(guid, used=True)
    unused = 0
    for code in qp.codes:
        if code.is_codable and code.guid not in codes.resolved and code not in codes.unknown:
            if codes.resolve(code.guid, used=False) is None:
                unused += 1
    if unused:
        aside("code without codings that is not in the codebook (add them with --new-inductive)", unused)
    if (p := codes.problem()) is not None:
        problems.append(p)
    problems += coder_problems(items, coder)
    if problems:
        raise CodingImportError(f"{where}: " + "; ".join(problems))

    rows = []
    lengths = {**{t.transcript_id: len(t.text) for t in plan.transcripts}, **{k: len(v) for k, v in stored.items()}}
    for sel, c in items:
        if sel.source_guid not in placed:
            aside("coding on an empty source")
            continue
        tid, fn = placed[sel.source_guid]
        span = fn(sel.start, sel.end)
        if span is None or span[1] <= span[0] or span[1] > lengths[tid]:
            aside("coding of text that is not in the transcript (a timestamp or a header line alone)")
            continue
        rows.append((tid, (coder or c.coder or "").strip(), codes.resolved[c.code_guid], int(span[0]), int(span[1]),
                     c.memo))
    plan.codings = pd.DataFrame(rows, columns=IMPORT_COLUMNS).drop_duplicates(ignore_index=True)
    plan.new_codes = codes.new
    ids = {g: tid for g, (tid, _) in placed.items()}
    for (target, guid), text in qp.memos.items():
        if target == "source" and guid in ids:
            plan.memos.append(("transcript", ids[guid], text))
        elif target == "code" and guid in codes.resolved:
            plan.memos.append(("code", codes.resolved[guid], text))
        elif target == "project":
            plan.memos.append(("project", "", text))
        else:
            aside("memo on something not imported")
    plan.left_aside = left
    return plan

