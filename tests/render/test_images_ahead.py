"""Charts drawn in the background (npt_coder.render._images): each image drawn once, by one worker thread, and
picked up by the renderer that asks for it; what nobody asks for is dropped."""

from __future__ import annotations

import threading

import plotly.graph_objects as go
import pytest
from docx import Document

from npt_coder.render import _images
from npt_coder.render._images import drawing_ahead, figure_image, figure_png


@pytest.fixture
def drawn(monkeypatch):
    """A stand-in for kaleido: the image is the figure's title and size; who drew what, on which thread."""
    calls: list[tuple[str, str]] = []

    def draw(figure, format, width, height, scale):
        label = figure.layout.title.text or (figure.data[0].name if figure.data else "")  # a chart drawn for Word has its title taken off
        calls.append((label, threading.current_thread().name))
        return f"{label} {format} {width}x{height}@{scale}".encode(), ""

    monkeypatch.setattr(_images, "_draw", draw)
    return calls


def _fig(title: str) -> go.Figure:
    return go.Figure(go.Bar(x=[1, 2], y=[3, 4], name=title), layout={"title": {"text": title}})


def test_images_drawn_ahead_are_picked_up_not_drawn_again(drawn):
    a, b = _fig("a"), _fig("b")
    with drawing_ahead([(a, {"width": 900, "height": 500}), (b, {"width": 1100, "height": 520})]):
        assert figure_png(b, width=1100, height=520) == (b"b png 1100x520@2.0", "")
        assert figure_png(a, width=900, height=500) == (b"a png 900x500@2.0", "")
    assert [title for title, _ in drawn] == ["a", "b"]
    assert all(thread.startswith("npt-coder-images") for _, thread in drawn)


def test_another_size_or_a_changed_figure_is_drawn_afresh(drawn):
    a = _fig("a")
    with drawing_ahead([(a, {"width": 900, "height": 500})]):
        assert figure_png(a, width=900, height=600)[0] == b"a png 900x600@2.0"
        a.update_layout(title={"text": "changed"})
        assert figure_png(a, width=900, height=500)[0] == b"changed png 900x500@2.0"
    assert [title for title, _ in drawn] == ["a", "a", "changed"]
    assert _images._ahead == {}  # the unused image drawn ahead was dropped with the block


def test_every_image_is_drawn_on_the_one_worker_thread(drawn):
    assert figure_image(_fig("x"), format="svg", width=10, height=10, scale=1)[0] == b"x svg 10x10@1"
    _images.warm_up()
    _images._submit(lambda: None).result()  # the warm-up has run
    assert {thread for _, thread in drawn} == {drawn[0][1]} and len(drawn) == 2


def test_the_study_report_draws_its_charts_ahead(drawn, monkeypatch):
    from npt_coder.render._report import report_to_docx

    asked: list[int] = []
    real = _images.drawing_ahead

    def counting(requests):
        requests = list(requests)
        asked.append(len(requests))
        return real(requests)

    monkeypatch.setattr("npt_coder.render._report.drawing_ahead", counting)

    class Report:  # only what the chart list reads; the rest fails loudly if the renderer reached it
        agreement = object()
        agreement_figure = _fig("agreement")
        figures = [("one", _fig("one")), ("two", _fig("two"))]

    monkeypatch.setattr("npt_coder.render._report._report_docx", lambda report: Document())
    report_to_docx(Report())
    _images._submit(lambda: None).result()  # one worker, in order: every chart drawn ahead has been drawn
    assert asked == [3] and sorted(t for t, _ in drawn) == ["agreement", "one", "two"]


def test_the_word_file_is_written_last_with_its_charts_drawn_meanwhile(drawn, monkeypatch, tmp_path):
    from npt_coder.render import _report_files

    order: list[str] = []
    charts = [(_fig("one"), {"width": 900, "height": 600}), (_fig("two"), {"width": 900, "height": 500})]
    monkeypatch.setattr(_report_files, "report_charts", lambda report: charts)
    monkeypatch.setattr(_report_files, "save",
                        lambda report, path: order.append((path.name, sorted(t for t, _ in drawn))))
    seen, timings = [], {}
    paths = [tmp_path / "r.docx", tmp_path / "r.xlsx", tmp_path / "r.html"]
    _report_files.write_report(object(), paths, progress=lambda *a: seen.append(a), timings=timings)
    assert [name for name, _ in order] == ["r.xlsx", "r.html", "r.docx"]
    assert seen == [("writing", 0, 3), ("writing", 1, 3), ("writing", 2, 3), ("writing", 3, 3)]
    assert set(timings) == {"r.docx", "r.xlsx", "r.html"}
    _images._submit(lambda: None).result()
    assert sorted(t for t, _ in drawn) == ["one", "two"]  # drawn ahead (the stand-in save asked for none)
    drawn.clear()
    _report_files.write_report(object(), [tmp_path / "only.xlsx"])
    _images._submit(lambda: None).result()
    assert drawn == []  # no Word file: no charts drawn


def test_a_word_chart_drawn_ahead_is_the_one_the_document_uses(drawn, monkeypatch):
    from npt_coder.render import _figures
    from npt_coder.render._figures import chart_request, docx_chart

    placed = []
    monkeypatch.setattr(_figures, "add_figure", lambda doc, png, **kw: placed.append(png))
    fig = _fig("kappa")
    with drawing_ahead([chart_request(fig, width_px=1100)]):
        _images._submit(lambda: None).result()  # drawn ahead
        docx_chart(Document(), fig, "Agreement per code.", width_px=1100)
    assert [label for label, _ in drawn] == ["kappa"]  # once: the document took the image drawn ahead
    assert placed == [b"kappa png 1100x%d@2.0" % chart_request(fig)[1]["height"]]
