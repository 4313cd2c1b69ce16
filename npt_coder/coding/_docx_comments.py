"""Word comments as codings: select text, add a comment whose text starts with a code.

The document is read with the same reader as transcripts, so comment ranges land on exact offsets of its canonical
text; the document is then matched to a project transcript by content (not by file name) and the offsets mapped
onto that transcript. A comment's author is the coder (unless one is given); its text starts with one or more code
ids or names (``M3.3``, ``Relational integration``, ``M3.3, IND-IT``) and anything after them is the memo.
"""

from __future__ import annotations

import re
import zipfile
from io import BytesIO
from pathlib import Path

import pandas as pd
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

from .._archive import SafeZip
from .._words import count, noun
from ..codebook import Codebook
from ..errors import CodingImportError, OptionError, TranscriptFormatError
from ..ingest import IngestOptions
from ..ingest._clean import tidy_paragraphs
from ..ingest._docx import W, read_docx_paragraphs
from ..ingest._turns import assemble
from ..store import Project
from ._import import code_hint, report_left_out
from ._match import TextMap, best_match, closest_hint

__all__ = ["FRONT_MATTER_TAG", "front_matter", "parse_code_text", "read_docx_comments", "without_front_matter"]

_MEMO_LEAD = re.compile(r"^[\s:–—-]+")
_W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
_W15 = "http://schemas.microsoft.com/office/word/2012/wordml"


def _code_at_start(text: str, keys: list[tuple[str, str]]) -> tuple[str, int] | None:
    low = text.casefold()
    for key, cid in keys:
        k = key.casefold()
        if low.startswith(k) and (len(text) == len(k) or not (text[len(k)].isalnum() or text[len(k)] in "._")):
            return cid, len(k)
    return None


def parse_code_text(text: str, codebook: Codebook) -> tuple[list[str], str]:
    """Split a comment into the codes it starts with and the memo after them.

    Codes are matched by id (any case) or by name (any case, longest first) at the start of the text, separated
    by commas, semicolons, ``+``, ``/`` or ``&``; a ``:`` or a dash may separate the memo. Returns ``([], text)``
    when the text starts with no code.

    >>> from npt_coder.codebook import load_codebook
    >>> parse_code_text("M3.3, relational integration: trust grew", load_codebook())
    (['M3.3'], 'trust grew')
    >>> parse_code_text("Differentiation - new way of working", load_codebook())
    (['M1.1'], 'new way of working')
    >>> parse_code_text("o2; M4.3 + c1", load_codebook())
    (['O2', 'M4.3', 'C1'], '')
    """
    keys = sorted({(c.code_id, c.code_id) for c in codebook} | {(c.name, c.code_id) for c in codebook},
                  key=lambda k: len(k[0]), reverse=True)
    rest = text.strip()
    codes: list[str] = []
    while (found := _code_at_start(rest, keys)) is not None:
        cid, n = found
        if cid not in codes:
            codes.append(cid)
        rest = rest[n:]
        sep = re.match(r"^\s*[,;+/&]\s*", rest)
        if sep is None or _code_at_start(rest[sep.end():], keys) is None:
            break
        rest = rest[sep.end():]
    memo = _MEMO_LEAD.sub("", rest, count=1).strip() if codes else text.strip()
    return codes, memo


def _unplaced_reason(start: int | None, end: int | None) -> str | None:
    """Why a comment's range markers give no span, or ``None``."""
    if start is None and end is None:
        return "marks no text (no range of it was found in the document's text)"
    if end is None:
        return "has a range that never closes"
    if start is None:
        return "has a range with no start"
    return None


def _reply_ids(zf: SafeZip, root, where: str) -> set[str]:
    """Ids of the comments that are replies to another (Word 2013 and later record them in commentsExtended.xml:
    a ``commentEx`` with a ``paraIdParent``, keyed by the ``w14:paraId`` of the comment's last paragraph)."""
    if "word/commentsExtended.xml" not in zf:
        return set()
    try:
        ext = etree.fromstring(zf.read("word/commentsExtended.xml"),
                               parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as err:
        raise CodingImportError(f"{where}: its comment replies (word/commentsExtended.xml) are damaged (line "
                                f"{err.lineno}: {err.msg})") from None
    replies = {el.get(f"{{{_W15}}}paraId") for el in ext.iter(f"{{{_W15}}}commentEx")
               if el.get(f"{{{_W15}}}paraIdParent")}
    out = set()
    for c in root.iter(f"{{{W}}}comment"):
        paras = list(c.iter(f"{{{W}}}p"))
        if paras and paras[-1].get(f"{{{_W14}}}paraId") in replies:
            out.add(c.get(f"{{{W}}}id"))
    return out


def _comments(zf: SafeZip, where: str) -> dict[str, dict]:
    if "word/comments.xml" not in zf:
        return {}
    xml = zf.read("word/comments.xml")
    try:
        root = etree.fromstring(xml, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as err:
        raise CodingImportError(f"{where}: its comments (word/comments.xml) are damaged (line {err.lineno}: "
                                f"{err.msg}); open the file in Word and save it again") from None
    replies = _reply_ids(zf, root, where)
    out = {}
    for c in root.iter(f"{{{W}}}comment"):
        paras = ["".join(t.text or "" for t in p.iter(f"{{{W}}}t")) for p in c.iter(f"{{{W}}}p")]
        cid = c.get(f"{{{W}}}id")
        out[cid] = {"author": c.get(f"{{{W}}}author") or "", "date": c.get(f"{{{W}}}date"),
                    "text": "\n".join(x for x in paras if x.strip()), "reply": cid in replies}
    return out


FRONT_MATTER_TAG = "npt-coder-front-matter"


def front_matter(doc, paragraphs: list[tuple[str, str | None]]) -> None:
    """Put ``(text, style)`` paragraphs at the top of ``doc`` inside one locked content control tagged
    :data:`FRONT_MATTER_TAG`, which the comment importer leaves out, so the copy still matches its transcript."""
    sdt = OxmlElement("w:sdt")
    pr = OxmlElement("w:sdtPr")
    for tag, attrs in (("w:alias", {"w:val": "About this copy"}), ("w:tag", {"w:val": FRONT_MATTER_TAG}),
                       ("w:lock", {"w:val": "sdtContentLocked"})):
        el = OxmlElement(tag)
        for k, v in attrs.items():
            el.set(qn(k), v)
        pr.append(el)
    sdt.append(pr)
    content = OxmlElement("w:sdtContent")
    sdt.append(content)
    for text, style in paragraphs:
        p = doc.add_paragraph(text, style=style)
        content.append(p._p)  # moved out of the body into the control
    doc.element.body.insert(0, sdt)


def without_front_matter(data: bytes, *, fail=CodingImportError) -> bytes:
    """A ``.docx`` file's bytes with the front matter :func:`transcript_to_docx` writes taken out (other documents
    are returned as they are). The archive is read within :class:`~npt_coder._archive.SafeZip`'s limits; ``fail``
    is the error class a hostile or damaged archive raises."""
    with SafeZip(data, fail=fail, what="Word .docx file") as zf:
        if "word/document.xml" not in zf or FRONT_MATTER_TAG.encode() not in zf.read("word/document.xml"):
            return data
        members = [(name, zf.read(name)) for name in zf.namelist()]
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in members:
            if name == "word/document.xml":
                root = etree.fromstring(body, parser=etree.XMLParser(resolve_entities=False, no_network=True))
                for tag in root.iter(f"{{{W}}}tag"):
                    if tag.get(f"{{{W}}}val") == FRONT_MATTER_TAG:
                        sdt = tag.getparent().getparent()
                        sdt.getparent().remove(sdt)
                        break
                body = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            zf.writestr(name, body)
    return out.getvalue()


def read_docx_comments(path: str | Path, project: Project, *, coder: str | None = None,
                       codebook: Codebook | None = None, new_inductive: bool = False,
                       left_out: list[str] | None = None) -> pd.DataFrame:
    """Codings from a Word file's comments, as spans on the project transcript whose text the file holds.

    Returns a table with columns transcript_id, coder, code_id, start, end, memo. A comment that starts with no
    known code is an error listing the closest codes; with ``new_inductive`` its first words (up to a colon,
    dash or line end) become a new code id instead, for :func:`import_codings` to add as an inductive code.

    No coding is dropped: a coded comment whose range cannot be placed (it never closes, has no start, marks no
    words, or marks no text at all) makes the whole file an error naming the comments by number, author and code.
    Replies to comments (discussion, never codings) and comments that name no code and mark no text are left aside,
    with a line saying so appended to ``left_out`` when a list is given (:func:`import_files` gives one).
    """
    path = Path(path)
    data = path.read_bytes()
    try:
        data = without_front_matter(data, fail=lambda reason: CodingImportError(f"{path.name}: {reason}"))
        raws, _ = tidy_paragraphs(read_docx_paragraphs(data))  # as transcripts are read: same text, same offsets
    except TranscriptFormatError as err:
        raise CodingImportError(f"{path.name}: {err}") from None
    with SafeZip(data, fail=lambda reason: CodingImportError(f"{path.name}: {reason}"), what="Word .docx file") as zf:
        comments = _comments(zf, path.name)
    if not comments:
        raise CodingImportError(f"{path.name}: the document has no comments to import")
    try:
        doc = assemble(raws, IngestOptions())
    except TranscriptFormatError as err:
        raise CodingImportError(f"{path.name}: {err}") from None
    codebook = codebook or project.load_codebook()
    transcripts = project.transcripts
    candidates = {tid: TextMap(text) for tid, text in transcripts[["transcript_id", "text"]].itertuples(index=False)}
    doc_map = TextMap(doc.text)
    tid, ratio, closest = best_match(doc_map, candidates)
    if tid is None:
        hint = closest_hint(doc_map, candidates, closest, ratio)
        raise CodingImportError(f"{path.name}: its text matches no transcript in the project{hint}; add the "
                                "transcript first, or code a copy made with 'npt-coder export transcript'")
    target = candidates[tid]
    rows, unknown, unplaced = [], [], []
    aside = {"replies": 0, "remarks": 0}
    for cid, info in comments.items():
        if info.get("reply"):
            aside["replies"] += 1
            continue
        start = doc.anchors.get(("start", cid))
        end = doc.anchors.get(("end", cid))
        codes, memo = parse_code_text(info["text"], codebook)
        coded = bool(codes) or (new_inductive and bool(info["text"].strip()))
        why = _unplaced_reason(start, end)
        if why is None:
            s, e = target.span_from_norm(doc_map.to_norm(start), doc_map.to_norm(end))
            why = "marks no words" if e <= s else None
        if why is not None:
            if coded:
                unplaced.append(f"comment {cid}" + (f" by {info['author']}" if info["author"] else "")
                                + (f" ({', '.join(codes)})" if codes else "") + f" {why}")
            else:
                aside["remarks"] += 1
            continue
        who = coder or info["author"]
        if not codes:
            head, _, tail = re.split(r"([:\n–—]| - )", info["text"].strip() + "\n", maxsplit=1)
            head = head.strip()[:40]
            if new_inductive and head:
                codes, memo = [re.sub(r"[^A-Za-z0-9._-]+", "-", head).strip("-")], tail.strip()
            else:
                unknown.append(head or "(empty comment)")
                continue
        for code in codes:
            rows.append((tid, who, code, s, e, memo))
    df = pd.DataFrame(rows, columns=["transcript_id", "coder", "code_id", "start", "end", "memo"])
    if unplaced:
        more = f" and {len(unplaced) - 8} more" if len(unplaced) > 8 else ""
        raise CodingImportError(f"{path.name}: {count(len(unplaced), 'coded comment')} cannot be placed on the text: "
                                f"{'; '.join(unplaced[:8])}{more}; in Word, select the words each code applies to "
                                "and comment again (nothing was imported)")
    notes = []
    if aside["replies"]:
        notes.append(f"{aside['replies']} repl{'ies' if aside['replies'] > 1 else 'y'} to comments left aside "
                     "(a reply is discussion, not a coding)")
    if aside["remarks"]:
        notes.append(f"{count(aside['remarks'], 'comment')} that {noun(aside['remarks'], 'names', 'name')} no code and "
                     f"{noun(aside['remarks'], 'marks', 'mark')} no text left aside")
    if unknown:
        listed = "; ".join(f"{u!r}{code_hint(u, codebook)}" for u in unknown[:8])
        raise CodingImportError(f"{path.name}: {noun(len(unknown), 'a comment that starts', 'comments that start')} "
                                f"with no known code: {listed}; start each "
                                "comment with a code id such as M3.3 or a code name, or import with --new-inductive")
    report_left_out(notes, left_out)
    return df


def add_comment_to_text(document, quote: str, comment: str, *, author: str, initials: str = "",
                        occurrence: int = 0):
    """Add a Word comment over the text ``quote`` in a python-docx ``Document``, splitting runs as needed.

    ``quote`` is matched in the body's paragraphs joined by ``\\n`` (so a quote may span paragraphs); the
    ``occurrence``-th match is used. Runs are split at the quote's edges, keeping their formatting. Used by the
    test suite and to build the demo's coded Word files; handy for scripting a coded document too.
    """
    import copy

    from docx.text.run import Run

    body = document.element.body
    paras = list(body.iter(f"{{{W}}}p"))
    texts = ["".join(r.text or "" for r in p.iter(f"{{{W}}}t")) for p in paras]
    full = "\n".join(texts)
    pos = -1
    for _ in range(occurrence + 1):
        pos = full.find(quote, pos + 1)
        if pos < 0:
            raise OptionError(f"quote not found in the document: {quote[:40]!r}")
    end = pos + len(quote)

    def locate(offset: int, is_end: bool):
        """Split runs so that a run boundary falls at ``offset``; return the run starting (or ending) there."""
        acc = 0
        for p, t in zip(paras, texts):
            if offset <= acc + len(t) and (offset > acc or not is_end) and (offset < acc + len(t) or is_end):
                local = offset - acc
                run_acc = 0
                for r in p.iter(f"{{{W}}}r"):
                    rt = "".join(x.text or "" for x in r.iter(f"{{{W}}}t"))
                    if run_acc <= local <= run_acc + len(rt) and rt:
                        k = local - run_acc
                        if (not is_end and k == len(rt)) or (is_end and k == 0):
                            run_acc += len(rt)
                            continue
                        if 0 < k < len(rt):
                            right = copy.deepcopy(r)
                            r.addnext(right)
                            tl = next(r.iter(f"{{{W}}}t"))
                            tr = next(right.iter(f"{{{W}}}t"))
                            tl.text, tr.text = rt[:k], rt[k:]
                            for t_el in (tl, tr):
                                t_el.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                            return Run(r, None) if is_end else Run(right, None)
                        return Run(r, None)
                    run_acc += len(rt)
            acc += len(t) + 1
        raise OptionError(f"offset {offset} is not inside a run")

    from docx.text.paragraph import Paragraph

    # wrap the runs with their paragraphs so python-docx can reach the document's comments part
    first, last = (Run(r._r, Paragraph(r._r.getparent(), document._body)) for r in (locate(pos, False),
                                                                                   locate(end, True)))
    return document.add_comment([first, last], text=comment, author=author, initials=initials)
