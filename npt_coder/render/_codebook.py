"""The coder's manual: a codebook rendered as Markdown, CSV, an Excel workbook or a Word document.

Order everywhere: domain -> construct -> subconstruct (code). Each inductive code is written out once, under its
home (:meth:`~npt_coder.codebook.Codebook.home`), with every target it maps to named; under its other targets a
one-line pointer leads to it. The manual is named by :attr:`~npt_coder.codebook.Codebook.title` (``NPT/CMO 1.0.0 +
<extension> 1.0.0``) and says what it holds. Renderers return objects (``str``, ``Document``, ``Workbook``);
callers save them.
"""

from __future__ import annotations

from typing import Iterator

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import PatternFill

from ..codebook import Code, Codebook
from ._colour import bare, tint
from ._docx import colour_runs, new_document
from ._style import DOMAIN_COLOURS
from .._xlsx import write_pairs, write_sheet

__all__ = ["codebook_to_docx", "codebook_to_markdown", "codebook_to_xlsx", "manual_entries"]


def manual_entries(cb: Codebook) -> Iterator[tuple[str, int, object]]:
    """Walk the codebook in manual order, yielding ``(kind, depth, item)``.

    kinds: ``"domain"`` (dict), ``"construct"`` (dict), ``"code"`` (Code), ``"inductive"`` (Code, at its home,
    under the item before it) and ``"pointer"`` (Code, under another of its targets: a one-line reference to it).
    A construct with a single code of its own id (C1..C4, O1..O4) yields the construct, then that code's inductive
    children, without repeating the code.
    """
    def under(target: str, depth: int):
        for code in cb.inductive_under(target):
            yield ("inductive" if cb.home(code) == target else "pointer"), depth, code

    for domain, constructs in cb.hierarchy():
        yield "domain", 0, domain
        yield from under(domain["id"], 1)
        for con, codes in constructs:
            yield "construct", 1, con
            single = len(codes) == 1 and codes[0].code_id == con["id"]
            if not single:
                yield from under(con["id"], 2)
            for code in codes:
                if not single:
                    yield "code", 2, code
                yield from under(code.code_id, 3 if not single else 2)
    unmapped = [c for c in cb.codes if c.kind == "inductive" and not c.maps_to]
    if unmapped:
        yield "domain", 0, {"id": "", "name": "Inductive codes not yet mapped", "description": "", "question": ""}
        for code in unmapped:
            yield "inductive", 1, code


def _maps_to(cb: Codebook, code: Code) -> str:
    return "; ".join(cb.target_label(t) for t in code.maps_to)


def _pointer(cb: Codebook, code: Code) -> str:
    return f"See {code.code_id} {code.name} (inductive), under {cb.target_label(cb.home(code))}: it maps here too."


def _intro(cb: Codebook) -> str:
    text = f"The codebook {cb.title} holds {cb.composition}."
    if any(c.kind == "inductive" for c in cb.codes):
        text += (" Each inductive code is described once, where it is listed, with everything it maps to; under "
                 "its other targets a line points to it.")
    return f"{text} Codebook hash {cb.sha256[:12]}."


def _single_code(cb: Codebook, con: dict) -> Code | None:
    codes = [c for c in cb.codes if c.kind == "deductive" and c.construct_id == con["id"]]
    return codes[0] if len(codes) == 1 and codes[0].code_id == con["id"] else None


def codebook_to_markdown(cb: Codebook) -> str:
    """The coder's manual as Markdown."""
    out = [f"# {cb.title}", "", _intro(cb), ""]

    def code_block(code: Code, heading: str) -> list[str]:
        lines = [f"{heading} {code.code_id} {code.name}" + (" *(inductive)*" if code.kind == "inductive" else ""), ""]
        if code.kind == "inductive" and code.maps_to:
            lines += [f"Maps to: {_maps_to(cb, code)}", ""]
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
        elif kind == "pointer":
            out += [f"*{_pointer(cb, item)}*", ""]
        else:
            out += code_block(item, "####" if depth <= 2 else "#####")
    if cb.references:
        out += ["## References", ""] + [f"- {r}" for r in cb.references] + [""]
    return "\n".join(out).rstrip() + "\n"


def codebook_to_docx(cb: Codebook):
    """The coder's manual as a Word document with real heading styles, bulleted questions and references."""
    doc = new_document(margin_cm=2.2, font_size=10.5)
    doc.add_heading(f"Coder's manual: {cb.title}", level=0)
    doc.add_paragraph(_intro(cb))

    def add_code(code: Code, level: int) -> None:
        title = f"{code.code_id}  {code.name}" + ("  (inductive)" if code.kind == "inductive" else "")
        h = doc.add_heading(title, level=min(level, 4))
        colour_runs(h, DOMAIN_COLOURS.get(code.domain))
        if code.kind == "inductive" and code.maps_to:
            p = doc.add_paragraph()
            p.add_run("Maps to: ").bold = True
            p.add_run(_maps_to(cb, code))
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
        elif kind == "pointer":
            doc.add_paragraph().add_run(_pointer(cb, item)).italic = True
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
    codes = pd.DataFrame([[code.domain.title() if code.domain else "Not mapped",
                           f"{code.construct_id} {code.construct}".strip() if code.kind == "deductive" else "",
                           code.code_id, code.name, code.kind, _maps_to(cb, code), code.definition,
                           "\n".join(code.questions), ", ".join(code.keywords)] for code in ordered],
                         columns=headers)
    ws = write_sheet(wb.active, "Codes", codes, widths=[12, 28, 12, 26, 11, 30, 60, 55, 28], wrap=True,
                     autofilter=True)
    for row, code in enumerate(ordered, start=2):
        fill = DOMAIN_COLOURS.get(code.domain)
        if fill:
            ws.cell(row, 1).fill = PatternFill("solid", fgColor=bare(tint(fill, 0.75)))
    constructs = pd.DataFrame([[con["domain"].title(), con["id"], con["name"], con.get("focus", ""),
                                con.get("description", "")] for con in cb.constructs],
                              columns=["Domain", "Construct", "Name", "Focus", "Description"])
    write_sheet(wb, "Constructs", constructs, widths=[12, 10, 34, 40, 80], wrap=True, autofilter=True)
    write_pairs(wb, "About", (("Codebook", cb.title), ("Holds", cb.composition),
                              ("SHA-256", cb.sha256), ("Files", " + ".join(cb.sources)),
                              *[("Reference", r) for r in cb.references]))
    return wb
