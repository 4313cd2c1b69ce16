"""Every Word output of the demo, read back as an editor would check it (issue: reports for a funder).

Tables: heading rows repeat, rows do not split, no table is wider than its text area, no column is narrower than
its longest word. Figures: each image has alt text and a numbered caption. Text: no "(s)" plurals, no long
paragraph said twice. Colour: no text under 4.5:1 against what it is on.
"""

from __future__ import annotations

import pytest
from docx import Document

from .docx_checks import all_problems, colour_problems, figure_problems, table_problems, text_problems

WORD_OUTPUTS = ("study.docx", "agreement_AK_JT.docx", "themes.docx", "themes_by_rq.docx", "review_AK_JT.docx",
                "logic_models.docx", "codebook.docx", "S2_P12_for_coding.docx")


@pytest.mark.parametrize("name", WORD_OUTPUTS)
def test_demo_word_output_is_publication_grade(demo_run, name):
    path = demo_run.project.reports_dir / name
    assert path in demo_run.outputs
    assert all_problems(path) == []


def test_the_study_report_numbers_its_figures_and_has_contents(demo_run):
    doc = Document(str(demo_run.project.reports_dir / "study.docx"))
    captions = [p.text for p in doc.paragraphs if p.style.name == "Caption"]
    figures = [c for c in captions if c.startswith("Figure ")]
    tables = [c for c in captions if c.startswith("Table ")]
    assert [c.split(".")[0] for c in figures] == [f"Figure {k}" for k in range(1, len(figures) + 1)]
    assert len(figures) == len(doc.inline_shapes) >= 6
    assert figures[0].startswith("Figure 1. Cohen's κ per code")
    assert any("co-occurrence, not causation" in c for c in figures)  # the Sankey says what it shows
    assert [c.split(".")[0] for c in tables] == [f"Table {k}" for k in range(1, len(tables) + 1)]
    xml = doc.element.body.xml
    assert 'TOC \\o "1-2"' in xml and doc.settings.element.find(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}updateFields") is not None
    alts = [s._inline.docPr.get("descr") for s in doc.inline_shapes]
    assert all(len(a) > 40 for a in alts) and len(set(alts)) == len(alts)


# -- the checks themselves catch what they are for --------------------------------------------------------------

def test_checks_catch_a_narrow_column_a_wide_table_and_a_missing_header_repeat(tmp_path):
    from docx.shared import Cm

    doc = Document()
    t = doc.add_table(rows=2, cols=2)
    t.rows[0].cells[0].text = "Neither"
    t.rows[1].cells[1].text = "reframing"
    for col in t.columns:
        col.width = Cm(1.0)  # narrower than "Neither" and "reframing"
    wide = doc.add_table(rows=1, cols=3)
    for col in wide.columns:
        col.width = Cm(9.0)  # 27 cm on a page with 16 cm of text
    path = tmp_path / "bad.docx"
    doc.save(path)
    problems = table_problems(Document(str(path)), "bad.docx")
    assert any("table 1: its heading row does not repeat" in p for p in problems)
    assert any("table 1, row 1: may split" in p for p in problems)
    assert any("'Neither' needs" in p for p in problems) and any("'reframing' needs" in p for p in problems)
    assert any("table 2: 27.00 cm wide" in p for p in problems)


def test_checks_catch_plurals_repeats_images_without_alt_text_and_pale_text(tmp_path):
    import io

    import plotly.graph_objects as go
    from docx.shared import RGBColor

    from npt_coder.render._images import figure_png

    doc = Document()
    long = "A methods paragraph that is long enough to matter to an editor reading the report. " * 3
    doc.add_paragraph(long)
    doc.add_paragraph(long)
    doc.add_paragraph("3 transcript(s) were coded.")
    doc.add_paragraph().add_run("Mechanism").font.color.rgb = RGBColor(0xE6, 0x9F, 0x00)  # about 2:1 on white
    png, _ = figure_png(go.Figure(go.Bar(x=[1], y=[1])), width=200, height=150, scale=1)
    if png is not None:
        doc.add_picture(io.BytesIO(png))
    path = tmp_path / "bad.docx"
    doc.save(path)
    doc = Document(str(path))
    texts = text_problems(doc, "bad.docx")
    assert any("'transcript(s)'" in p for p in texts) and any("said 2 times" in p for p in texts)
    assert any("#E69F00 on #FFFFFF" in p for p in colour_problems(doc, "bad.docx"))
    if png is not None:
        figs = figure_problems(doc, "bad.docx")
        assert figs == ["bad.docx: image 1 has no alt text", "bad.docx: image 1 is not followed by the caption "
                                                               "'Figure 1. …'"]
