"""The coder's manual: a codebook rendered as Markdown, CSV, an Excel workbook or a Word document.

Order everywhere: domain -> construct -> subconstruct (code), with each inductive code listed under every code,
construct or domain it maps to. Renderers return objects (``str``, ``Document``, ``Workbook``); callers save them.
"""

from __future__ import annotations

from typing import Iterator

import pandas as pd
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.shared import Cm, Pt
from openpyxl import Workbook
from openpyxl.styles import PatternFill

from ..codebook import Code, Codebook
from ._colour import bare, tint
from ._docx import colour_runs
from ._style import DOMAIN_COLOURS
from ._xlsx import write_pairs, write_sheet

__all__ = ["codebook_to_docx", "codebook_to_markdown", "codebook_to_xlsx", "manual_entries"]


def manual_entries(cb: Codebook) -> Iterator[tuple[str, int, object]]:
    """Walk the codebook in manual order, yielding ``(kind, depth, item)``.

    kinds: ``"domain"`` (dict), ``"construct"`` (dict), ``"code"`` (Code), ``"inductive"`` (Code under the item
    before it). A construct with a single code of its own id (C1..C4, O1..O4) yields the construct, then that
    code's inductive children, without repeating the code.
    """
    for domain, constructs in cb.hierarchy():
        yield "domain", 0, domain
        for code in cb.inductive_under(domain["id"]):
            yield "inductive", 1, code
        for con, codes in constructs:
            yield "construct", 1, con
            single = len(codes) == 1 and codes[0].code_id == con["id"]
            if not single:
                for code in cb.inductive_under(con["id"]):
                    yield "inductive", 2, code
            for code in codes:
                if not single:
                    yield "code", 2, code
                for ind in cb.inductive_under(code.code_id):
                    yield "inductive", 3 if not single else 2, ind
    unmapped = [c for c in cb.codes if c.kind == "inductive" and not c.maps_to]
    if unmapped:
        yield "domain", 0, {"id": "", "name": "Inductive codes not yet mapped", "description": "", "question": ""}
        for code in unmapped:
            yield "inductive", 1, code


def _single_code(cb: Codebook, con: dict) -> Code | None:
    codes = [c for c in cb.codes if c.kind == "deductive" and c.construct_id == con["id"]]
    return codes[0] if len(codes) == 1 and codes[0].code_id == con["id"] else None


def codebook_to_markdown(cb: Codebook) -> str:
    """The coder's manual as Markdown."""
    out = [f"# {cb.name}", "", f"Version {cb.version} · {len(cb.codes)} codes "
           f"({sum(c.kind == 'deductive' for c in cb.codes)} NPT, {sum(c.kind == 'inductive' for c in cb.codes)} "
           f"inductive) · codebook hash `{cb.sha256[:12]}`", ""]

    def code_block(code: Code, heading: str) -> list[str]:
        lines = [f"{heading} {code.code_id} {code.name}" + (" *(inductive)*" if code.kind == "inductive" else ""), ""]
        if code.kind == "inductive" and code.maps_to:
            lines += [f"Maps to: {', '.join(code.maps_to)}", ""]
        if code.definition:
            lines += [code.definition, ""]
        lines += [f"- {q}" for q in code.questions]
        if code.questions:
            lines.append("")
        if code.keywords:
            lines += [f"Keywords: {', '.join(code.keywords)}", ""]
        return lines

    for kind, depth, item in manual_entries(cb):
        if kind == "domain":
            out += [f"## {item['name']}", ""]
            if item.get("description"):
                out += [item["description"], ""]
            if item.get("question"):
                out += [f"*{item['question']}*", ""]
        elif kind == "construct":
            out += [f"### {item['id']} {item['name']}", ""]
            if item.get("focus"):
                out += [f"Focus: {item['focus']}", ""]
            if item.get("description"):
                out += [item["description"], ""]
            single = _single_code(cb, item)
            if single is not None:
                out += code_block(single, "####")[2:]
        else:
            out += code_block(item, "####" if depth <= 2 else "#####")
    if cb.references:
        out += ["## References", ""] + [f"- {r}" for r in cb.references] + [""]
    return "\n".join(out).rstrip() + "\n"


def codebook_to_docx(cb: Codebook) -> Document:
    """The coder's manual as a Word document with real heading styles, bulleted questions and references."""
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.left_margin = section.right_margin = Cm(2.2)
    doc.styles["Normal"].font.name = "Calibri"
    doc.styles["Normal"].font.size = Pt(10.5)
    doc.add_heading(cb.name, level=0)
    doc.add_paragraph(
        f"Coder's manual · version {cb.version} · {len(cb.codes)} codes "
        f"({sum(c.kind == 'deductive' for c in cb.codes)} NPT subconstructs, "
        f"{sum(c.kind == 'inductive' for c in cb.codes)} inductive) · codebook hash {cb.sha256[:12]}"
    )

    def add_code(code: Code, level: int) -> None:
        title = f"{code.code_id}  {code.name}" + ("  (inductive)" if code.kind == "inductive" else "")
        h = doc.add_heading(title, level=min(level, 4))
        colour_runs(h, DOMAIN_COLOURS.get(code.domain))
        if code.kind == "inductive" and code.maps_to:
            p = doc.add_paragraph()
            p.add_run("Maps to: ").bold = True
            p.add_run(", ".join(code.maps_to))
        if code.definition:
            doc.add_paragraph(code.definition)
        for q in code.questions:
            doc.add_paragraph(q, style="List Bullet")
        if code.keywords:
            p = doc.add_paragraph()
            p.add_run("Keywords: ").italic = True
            p.add_run(", ".join(code.keywords)).italic = True

    for kind, depth, item in manual_entries(cb):
        if kind == "domain":
            doc.add_heading(item["name"], level=1)
            if item.get("description"):
                doc.add_paragraph(item["description"])
            if item.get("question"):
                doc.add_paragraph().add_run(item["question"]).italic = True
        elif kind == "construct":
            doc.add_heading(f"{item['id']}  {item['name']}", level=2)
            if item.get("focus"):
                p = doc.add_paragraph()
                p.add_run("Focus: ").bold = True
                p.add_run(item["focus"])
            if item.get("description"):
                doc.add_paragraph(item["description"])
            single = _single_code(cb, item)
            if single is not None:
                if single.definition:
                    doc.add_paragraph(single.definition)
                for q in single.questions:
                    doc.add_paragraph(q, style="List Bullet")
        else:
            add_code(item, depth + 1)
    if cb.references:
        doc.add_heading("References", level=1)
        for r in cb.references:
            doc.add_paragraph(r)
    return doc


def codebook_to_xlsx(cb: Codebook) -> Workbook:
    """The codebook as a workbook: a Codes sheet (one row per code, manual order) and a Constructs sheet."""
    wb = Workbook()
    headers = ["Domain", "Construct", "Code", "Name", "Kind", "Maps to", "Definition", "Questions", "Keywords"]
    ordered: list[Code] = []
    for kind, _, item in manual_entries(cb):
        if kind in ("code", "inductive") and item not in ordered:
            ordered.append(item)
        elif kind == "construct":
            single = _single_code(cb, item)
            if single is not None:
                ordered.append(single)
    codes = pd.DataFrame([[code.domain.title(), f"{code.construct_id} {code.construct}".strip(), code.code_id,
                           code.name, code.kind, ", ".join(code.maps_to), code.definition, "\n".join(code.questions),
                           ", ".join(code.keywords)] for code in ordered], columns=headers)
    ws = write_sheet(wb.active, "Codes", codes, widths=[12, 30, 10, 28, 11, 14, 70, 60, 30], wrap=True,
                     autofilter=True)
    for row, code in enumerate(ordered, start=2):
        fill = DOMAIN_COLOURS.get(code.domain)
        if fill:
            ws.cell(row, 1).fill = PatternFill("solid", fgColor=bare(tint(fill, 0.75)))
    constructs = pd.DataFrame([[con["domain"].title(), con["id"], con["name"], con.get("focus", ""),
                                con.get("description", "")] for con in cb.constructs],
                              columns=["Domain", "Construct", "Name", "Focus", "Description"])
    write_sheet(wb, "Constructs", constructs, widths=[12, 10, 34, 40, 80], wrap=True, autofilter=True)
    write_pairs(wb, "About", (("Codebook", cb.name), ("Version", cb.version), ("SHA-256", cb.sha256),
                              ("Sources", " + ".join(cb.sources)), *[("Reference", r) for r in cb.references]),
                widths=(14, 100), bold_keys=False)
    return wb
