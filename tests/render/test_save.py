"""render.save: the file's suffix chooses the renderer; a suffix an object has no format for is a one-line error."""

from __future__ import annotations

import json

import pandas as pd
import plotly.graph_objects as go
import pytest
from docx import Document
from openpyxl import Workbook, load_workbook

import npt_coder as nc
from npt_coder.agreement import agreement_table
from npt_coder.review import disagreements
from npt_coder.errors import NptCoderError, RenderError
from npt_coder.logic_model import load_logic_model
from npt_coder.render import save
from npt_coder.report import build_report
from npt_coder.themes import framework_matrix, theme_summary

MODELS = nc.demo_path() / "logic_models"


def reopen(path):
    """Read the saved file back as its format's reader does."""
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return Document(str(path))
    if suffix == ".xlsx":
        return load_workbook(path)
    if suffix == ".csv":
        return pd.read_csv(path)
    if suffix == ".json":
        return json.loads(path.read_text(encoding="utf-8"))
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def objects(marked_up_study):
    p = marked_up_study
    return {
        "codebook": p.load_codebook(),
        "themes": theme_summary(p),
        "agreement": agreement_table(p, coders=["AK", "JT"], ci=None),
        "disagreements": disagreements(p, "AK", "JT"),
        "matrix": framework_matrix(p),
        "report": build_report(p, n_resamples=20),
        "model": load_logic_model(MODELS / "risk_model.yaml"),
        "table": pd.DataFrame({"code_id": ["M3.3", "O4"], "n": [2, 1]}),
        "figure": go.Figure(go.Bar(x=["a"], y=[1])),
        "document": Document(),
        "workbook": Workbook(),
    }


WRITES = [
    ("codebook", ".docx"), ("codebook", ".xlsx"), ("codebook", ".md"), ("codebook", ".csv"),
    ("themes", ".docx"), ("themes", ".xlsx"), ("themes", ".html"), ("themes", ".md"),
    ("agreement", ".docx"), ("agreement", ".xlsx"), ("agreement", ".html"), ("agreement", ".csv"),
    ("agreement", ".json"), ("disagreements", ".docx"), ("disagreements", ".csv"), ("disagreements", ".json"),
    ("matrix", ".xlsx"), ("matrix", ".csv"), ("matrix", ".json"),
    ("report", ".docx"), ("report", ".xlsx"), ("report", ".html"),
    ("model", ".docx"), ("model", ".html"), ("model", ".md"), ("model", ".txt"),
    ("table", ".csv"), ("table", ".json"), ("table", ".xlsx"),
    ("figure", ".html"), ("figure", ".json"), ("document", ".docx"), ("workbook", ".xlsx"),
]


@pytest.mark.parametrize("kind, suffix", WRITES)
def test_every_listed_format_writes_a_file_that_reopens(objects, tmp_path, kind, suffix):
    path = save(objects[kind], tmp_path / "out" / f"{kind}{suffix}")  # missing folders are made
    assert path == tmp_path / "out" / f"{kind}{suffix}" and path.stat().st_size > 0
    back = reopen(path)
    if suffix == ".html":
        assert back.lstrip().lower().startswith(("<!doctype html>", "<html"))
        if kind in ("figure", "report", "model"):  # plotly.js inlined: the page works offline
            assert "Plotly.newPlot" in back and "<script src=" not in back
    if kind == "table" and suffix == ".csv":
        assert back.to_dict("list") == {"code_id": ["M3.3", "O4"], "n": [2, 1]}
    if kind == "table" and suffix == ".json":
        assert back == [{"code_id": "M3.3", "n": 2}, {"code_id": "O4", "n": 1}]
    if kind == "table" and suffix == ".xlsx":
        ws = back.active
        assert [c.value for c in ws[1]] == ["code_id", "n"] and isinstance(ws["B2"].value, int)
    if kind == "model" and suffix in (".md", ".txt"):
        assert "Unintended harms" in back or "unintended harms" in back.lower()
    if kind == "matrix" and suffix == ".xlsx":
        assert "About" in back.sheetnames


def test_the_suffix_is_read_in_any_case_and_htm_is_html(objects, tmp_path):
    assert reopen(save(objects["themes"], tmp_path / "Themes.HTM")).startswith("<!DOCTYPE html>")
    assert isinstance(reopen(save(objects["codebook"], tmp_path / "CODES.XLSX")), Workbook)


def test_options_reach_the_renderer(objects, tmp_path):
    page = reopen(save(objects["themes"], tmp_path / "t.html", title="Front door themes"))
    assert "<title>Front door themes</title>" in page
    doc = reopen(save(objects["agreement"], tmp_path / "a.docx", methods="Agreement was checked by hand."))
    assert "Agreement was checked by hand." in [p.text for p in doc.paragraphs]
    wb = reopen(save(objects["table"], tmp_path / "t.xlsx", sheet_name="Counts"))
    assert wb.sheetnames == ["Counts"]
    page = reopen(save(objects["model"], tmp_path / "m.html", compare_with=MODELS / "needs_model.yaml"))
    assert "Two logic models are compared" in page


@pytest.mark.parametrize("kind, name, valid", [
    ("workbook", "sheet.csv", ".xlsx"),  # a workbook is never written under another format's name
    ("table", "counts.pdf", ".csv, .json or .xlsx"),
    ("report", "study.pdf", ".docx, .html or .xlsx"),
    ("matrix", "m.docx", ".csv, .json or .xlsx"),
    ("model", "m.xlsx", ".docx, .html, .md, .pdf, .png, .svg or .txt"),
    ("figure", "f.docx", ".html, .json, .pdf, .png or .svg"),
])
def test_a_suffix_without_a_format_is_a_one_line_error_listing_the_valid_ones(objects, tmp_path, kind, name, valid):
    with pytest.raises(RenderError) as err:
        save(objects[kind], tmp_path / name)
    message = str(err.value)
    assert "\n" not in message and message.startswith(f"{name}: a ") and f"can be saved as {valid}; got " in message
    assert isinstance(err.value, NptCoderError) and not (tmp_path / name).exists()


def test_no_suffix_and_unknown_objects_and_options(objects, tmp_path):
    with pytest.raises(RenderError, match=r"^notes: a table can be saved as .*; got 'no suffix'$"):
        save(objects["table"], tmp_path / "notes")
    with pytest.raises(RenderError, match=r"x\.docx: cannot save a set; save takes a Word document, workbook"):
        save({"M3.3"}, tmp_path / "x.docx")
    with pytest.raises(RenderError, match=r"review workbook.*review_workbook"):
        save(objects["disagreements"], tmp_path / "review.xlsx")
    with pytest.raises(TypeError, match="figures"):
        save(objects["table"], tmp_path / "t.csv", figures=[])


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_images_are_written_or_refused_with_the_reason(objects, tmp_path, suffix):
    path = tmp_path / f"model{suffix}"
    try:
        save(objects["model"], path)
    except RenderError as err:  # no Chromium on this machine: the documented outcome is a reason, never a crash
        assert "no image could be made" in str(err) and ("chromium" in str(err).lower() or "kaleido" in str(err))
        return
    data = path.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") if suffix == ".png" else b"<svg" in data[:400]
