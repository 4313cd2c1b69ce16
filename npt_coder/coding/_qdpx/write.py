"""Writing a project as a REFI-QDA project (``.qdpx``) and a codebook as a REFI-QDA codebook (``.qdc``); every GUID is
a uuid5 of what it names, so repeated exports agree."""

from __future__ import annotations

import datetime as _dt
import functools
import re
import uuid
import zipfile
from pathlib import Path
from typing import Callable, Sequence

import numpy as np
from lxml import etree

from ..._version import __version__
from ...codebook import Code, Codebook
from ...palette import DOMAIN_COLOURS, UNMAPPED_COLOUR
from ...store import Project
from .model import CODEBOOK_NS, PROJECT_NS

__all__ = ["code_guid", "codebook_to_qdc", "project_to_qdpx"]

# Deterministic GUIDs: uuid5 of a name under this namespace (a uuid5 of a fixed URL-like string).
_NS = uuid.uuid5(uuid.NAMESPACE_URL, "npt-coder:refi-qda")
_UNMAPPED_FOLDER = "Inductive, not yet mapped"
_XML_BAD = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


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
        colour = DOMAIN_COLOURS.get(d["id"], UNMAPPED_COLOUR)
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
                     "Inductive codes not yet mapped onto NPT/CMO.", UNMAPPED_COLOUR)
        for c in rest:
            if c.code_id not in placed:
                add(box, c, UNMAPPED_COLOUR)
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


def project_to_qdpx(project: Project, path: str | Path, *,
                    progress: Callable[[str, int, int], None] | None = None) -> Path:
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
    ``progress(stage, done, total)``, when given, hears ``"exporting"`` as each transcript is put in, then
    ``"writing"`` around the archive's writing.
    """
    path = Path(path)
    tell = progress or (lambda stage, done, total: None)
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
        for done, t in enumerate(transcripts.itertuples(index=False)):
            tell("exporting", done, len(transcripts))
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
    tell("exporting", len(transcripts), len(transcripts))
    tell("writing", 0, 1)
    xml = etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)
    _write_zip(path, [("project.qde", xml), *files])
    tell("writing", 1, 1)
    return path


def codebook_to_qdc(codebook: Codebook, path: str | Path) -> Path:
    """Write the codebook alone as a REFI-QDA codebook (``.qdc``): the same folders, names (``"<id> <name>"``),
    descriptions and GUIDs as in :func:`project_to_qdpx`. Valid against the codebook schema (:func:`validate_qdc`).
    Returns the path written."""
    path = Path(path)
    q = functools.partial(etree.QName, CODEBOOK_NS)
    root = etree.Element(q("CodeBook"), nsmap={None: CODEBOOK_NS},
                         origin=_xml_safe(f"npt-coder {__version__}: {codebook.title}"))
    _codebook_xml(codebook, etree.SubElement(root, q("Codes")), CODEBOOK_NS)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True))
    return path
