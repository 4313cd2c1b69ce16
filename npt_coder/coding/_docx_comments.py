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
from lxml import etree

from ..codebook import Codebook
from ..errors import CodingImportError, OptionError, TranscriptFormatError
from ..ingest import IngestOptions
from ..ingest._docx import W, read_docx_paragraphs
from ..ingest._turns import assemble
from ..store import Project
from ._import import closest_codes
from ._match import TextMap, best_match

__all__ = ["parse_code_text", "read_docx_comments"]

_MEMO_LEAD = re.compile(r"^[\s:–—-]+")


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


def _comments(zf: zipfile.ZipFile) -> dict[str, dict]:
    try:
        xml = zf.read("word/comments.xml")
    except KeyError:
        return {}
    root = etree.fromstring(xml, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    out = {}
    for c in root.iter(f"{{{W}}}comment"):
        paras = ["".join(t.text or "" for t in p.iter(f"{{{W}}}t")) for p in c.iter(f"{{{W}}}p")]
        out[c.get(f"{{{W}}}id")] = {"author": c.get(f"{{{W}}}author") or "", "date": c.get(f"{{{W}}}date"),
                                    "text": "\n".join(x for x in paras if x.strip())}
    return out


def read_docx_comments(path: str | Path, project: Project, *, coder: str | None = None,
                       codebook: Codebook | None = None, new_inductive: bool = False) -> pd.DataFrame:
    """Codings from a Word file's comments, as spans on the project transcript whose text the file holds.

    Returns a table with columns transcript_id, coder, code_id, start, end, memo. A comment that starts with no
    known code is an error listing the closest codes; with ``new_inductive`` its first words (up to a colon,
    dash or line end) become a new code id instead, for :func:`import_codings` to add as an inductive code.
    """
    path = Path(path)
    data = path.read_bytes()
    try:
        raws = read_docx_paragraphs(data)
        with zipfile.ZipFile(BytesIO(data)) as zf:
            comments = _comments(zf)
    except (TranscriptFormatError, zipfile.BadZipFile) as err:
        raise CodingImportError(f"{path.name}: {err}") from None
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
        hint = f" (closest: {closest}, {ratio:.0%} similar)" if closest else ""
        raise CodingImportError(f"{path.name}: its text matches no transcript in the project{hint}; add the "
                                "transcript first, or code a copy made with 'npt-coder export transcript'")
    target = candidates[tid]
    rows, unknown = [], []
    for cid, info in comments.items():
        start = doc.anchors.get(("start", cid))
        end = doc.anchors.get(("end", cid))
        if start is None or end is None:
            continue  # a reply or a comment without a range
        s, e = target.span_from_norm(doc_map.to_norm(start), doc_map.to_norm(end))
        if e <= s:
            continue
        codes, memo = parse_code_text(info["text"], codebook)
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
    if unknown:
        listed = "; ".join(f"{u!r}" + (f" (closest: {', '.join(closest_codes(u, codebook))})"
                                        if closest_codes(u, codebook) else "") for u in unknown[:8])
        raise CodingImportError(f"{path.name}: comment(s) that start with no known code: {listed}; start each "
                                "comment with a code id such as M3.3 or a code name, or import with --new-inductive")
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
