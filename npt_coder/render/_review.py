"""The disagreements between two coders as a Word document to read in a review meeting.

Takes what :func:`npt_coder.review.disagreements` returns. Per segment: where it is, its text once with each
coder's selected words highlighted (coder A's in yellow and underlined, coder B's in turquoise and bold, words
both selected in green, bold and underlined, so the marks survive printing in grey), the codes both applied, and a
small table of the codes in dispute (id and name, who applied each, room for the decision). Decisions are recorded
in the review workbook (``npt-coder disagreements -o review.xlsx``).
"""

from __future__ import annotations

from docx.enum.text import WD_COLOR_INDEX
from docx.shared import Pt

from .._words import count
from ..review import selection_runs
from ._docx import add_table, new_document

__all__ = ["disagreements_to_docx"]

_MARKS = {(True, False): (WD_COLOR_INDEX.YELLOW, True, False), (False, True): (WD_COLOR_INDEX.TURQUOISE, False, True),
          (True, True): (WD_COLOR_INDEX.BRIGHT_GREEN, True, True)}


def _marked_paragraph(doc, text: str, start: int, spans_a, spans_b) -> None:
    p = doc.add_paragraph()
    p.paragraph_format.space_after = Pt(3)
    for piece, in_a, in_b in selection_runs(text, start, spans_a, spans_b):
        run = p.add_run(piece)
        mark = _MARKS.get((in_a, in_b))
        if mark is not None:
            run.font.highlight_color = mark[0]
            run.underline = mark[1] or None
            run.bold = mark[2] or None


def _who(spans, start: int, end: int, unit: str) -> str:
    if not spans:
        return "not coded"
    if len(spans) == 1 and spans[0][0] <= start and spans[0][1] >= end:
        return f"✓ the whole {unit}"
    return "✓ highlighted words"


def disagreements_to_docx(found):
    """The disagreements (what :func:`npt_coder.review.disagreements` returns) as a Word document: per segment its
    text once, each coder's selections highlighted, and the codes in dispute in a small table."""
    a, b = found.coder_a, found.coder_b
    doc = new_document(margin_cm=1.8, font_size=10)
    doc.add_heading(f"Disagreements between {a} and {b}", level=0)
    table, codes = found.table, found.codes
    doc.add_paragraph(
        f"{count(len(codes), 'code')} in dispute on {count(len(table), found.unit)} of "
        f"{count(len(found.transcripts), 'transcript')} ({', '.join(found.transcripts)}): codes one coder applied "
        f"to the {found.unit} and the other did not. In each {found.unit}, the words {a} selected for a code in "
        f"dispute are highlighted in yellow and underlined, the words {b} selected in turquoise and bold, and "
        "words both selected in green, bold and underlined. Record the decisions in the review workbook "
        "(npt-coder disagreements -o review.xlsx) and import it with npt-coder reconcile.")
    by_segment = {k: g for k, g in codes.groupby(["transcript_id", "segment_id"], sort=False)}
    for tid, sub in table.groupby("transcript_id", sort=False):
        doc.add_heading(f"Transcript {tid}", level=1)
        for r in sub.itertuples(index=False):
            rows = by_segment.get((tid, r.segment_id))
            if rows is None:
                continue
            start, end = int(r.start), int(r.end)
            head = doc.add_paragraph()
            head.paragraph_format.keep_with_next = True
            head.paragraph_format.space_before = Pt(8)
            head.paragraph_format.space_after = Pt(2)
            head.add_run(f"{found.unit.capitalize()} {r.segment_id}").bold = True
            head.add_run(f" · {r.speaker}" + (f" · both coded: {r.agreed.replace('; ', ', ')}" if r.agreed else ""))
            all_a = [s for spans in rows["spans_a"] for s in spans]
            all_b = [s for spans in rows["spans_b"] for s in spans]
            _marked_paragraph(doc, str(r.text), start, all_a, all_b)
            frame = rows.assign(
                code=[f"{c} {n}".strip() for c, n in zip(rows["code_id"], rows["name"])],
                by_a=[_who(s, start, end, found.unit) for s in rows["spans_a"]],
                by_b=[_who(s, start, end, found.unit) for s in rows["spans_b"]], decision="")
            add_table(doc, frame[["code", "by_a", "by_b", "decision"]], font_size=8.5, first_weight=3.0,
                      headers={"code": "Code in dispute", "by_a": a, "by_b": b, "decision": "Decision"},
                      widths=[7.0, 3.6, 3.6, 3.1])
    return doc
