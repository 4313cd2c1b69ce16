"""The disagreements' spans, gathered from one grouping of the codings, are what filtering the whole codings table
for every disputed code gave (the implementation this replaced, kept here as the oracle), and the review workbook
and document written from them are unchanged, cell for cell and line for line."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest
from openpyxl import load_workbook

from npt_coder.render._review import disagreements_to_docx
from npt_coder.review import disagreements, review_workbook

from ..generated_study import generated_study


def oracle_spans(codings: pd.DataFrame, coder: str, tid: str, code: str, start: int, end: int) -> tuple:
    g = codings[(codings["transcript_id"] == tid) & (codings["coder"] == coder) & (codings["code_id"] == code)
                & (codings["end"] > start) & (codings["start"] < end)].sort_values("start")
    return tuple((max(int(s), start), min(int(e), end)) for s, e in zip(g["start"], g["end"]))


def with_oracle_spans(project, found):
    codings = project.codings
    codes = found.codes.copy()
    seg = found.table.set_index(["transcript_id", "segment_id"])
    for side, coder in (("spans_a", found.coder_a), ("spans_b", found.coder_b)):
        codes[side] = [oracle_spans(codings, coder, t, c, int(seg.loc[(t, g), "start"]), int(seg.loc[(t, g), "end"]))
                       for t, g, c in zip(codes["transcript_id"], codes["segment_id"], codes["code_id"])]
    return dataclasses.replace(found, codes=codes)


def cells(wb) -> dict:
    return {ws.title: [[str(c.value) for c in row] for row in ws.iter_rows()] for ws in wb.worksheets}


def docx_text(doc) -> list[str]:
    lines = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        lines += [cell.text for row in table.rows for cell in row.cells]
    return lines


def assert_same_outputs(project, found, tmp_path):
    expected = with_oracle_spans(project, found)
    assert found.codes["spans_a"].tolist() == expected.codes["spans_a"].tolist()
    assert found.codes["spans_b"].tolist() == expected.codes["spans_b"].tolist()
    for name, made in (("new", found), ("old", expected)):
        review_workbook(made, project_id=project.project_id).save(tmp_path / f"{name}.xlsx")
        disagreements_to_docx(made).save(tmp_path / f"{name}.docx")
    assert cells(load_workbook(tmp_path / "new.xlsx")) == cells(load_workbook(tmp_path / "old.xlsx"))
    from docx import Document

    assert docx_text(Document(tmp_path / "new.docx")) == docx_text(Document(tmp_path / "old.docx"))


@pytest.mark.parametrize("unit", ["turn", "paragraph", "sentence"])
def test_spans_match_the_table_scan_on_a_generated_study(tmp_path, unit):
    project = generated_study(tmp_path, n_transcripts=4, coders=("A", "B"))
    found = disagreements(project, "A", "B", unit=unit)
    spans = found.codes["spans_a"].tolist() + found.codes["spans_b"].tolist()
    assert any(len(s) > 1 for s in spans)  # several spans of one code on one segment: their order is tested
    clipped = [(g["start"], g["end"], s) for g, s in zip(found.codes.merge(found.table, on=["transcript_id",
               "segment_id"]).to_dict("records"), found.codes["spans_a"])]
    assert any(sp and (sp[0][0] == s or sp[-1][1] == e) for s, e, sp in clipped)  # spans cut at the segment's edge
    assert_same_outputs(project, found, tmp_path)


def test_spans_match_the_table_scan_on_the_demo(demo_run, tmp_path):
    found = disagreements(demo_run.project, "AK", "JT")
    assert len(found.codes)
    assert_same_outputs(demo_run.project, found, tmp_path)
