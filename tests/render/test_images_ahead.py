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
        label = _label(figure)
        calls.append((label, threading.current_thread().name))
        return f"{label} {format} {width}x{height}@{scale}".encode(), ""

    monkeypatch.setattr(_images, "_draw", draw)
    return calls


def _label(figure) -> str:
    """A figure's title; for a chart drawn for Word, which has its title taken off (a figure dict), its trace's name."""
    if isinstance(figure, dict):
        return figure["data"][0]["name"] if figure.get("data") else ""
    return figure.layout.title.text or (figure.data[0].name if figure.data else "")


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


def _png(label: str) -> bytes:
    """A real PNG (python-docx reads its size), one pixel, told apart by a text chunk."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
            + chunk(b"tEXt", b"label\x00" + label.encode()) + chunk(b"IDAT", zlib.compress(b"\x00\x00"))
            + chunk(b"IEND", b""))


@pytest.fixture
def slow(monkeypatch):
    """A stand-in for kaleido that draws nothing until ``slow.set()``; a chart titled "broken" cannot be drawn."""
    gate = threading.Event()

    def draw(figure, format, width, height, scale):
        gate.wait(10)
        label = _label(figure)
        return (None, "no browser here") if label == "broken" else (_png(label), "")

    monkeypatch.setattr(_images, "_draw", draw)
    return gate


def _captions(doc) -> list[str]:
    return [p.text for p in doc.paragraphs if p.style.name == "Caption"]


def _pictures(doc) -> list[str]:
    """The text chunk of each picture of ``doc``, in document order."""
    from docx.oxml.ns import qn

    def label(png: bytes) -> str:
        at = png.index(b"tEXtlabel\x00")
        return png[at + 10: at + 4 + int.from_bytes(png[at - 4: at], "big")].decode()

    return [label(doc.part.related_parts[b.get(qn("r:embed"))].blob) for b in doc.element.body.iter(qn("a:blip"))]


def test_a_document_is_laid_out_while_its_charts_are_drawn(slow):
    from npt_coder.render._figures import docx_chart, images_placed_last

    doc = Document()
    with images_placed_last():
        for name in ("one", "two", "three"):
            docx_chart(doc, _fig(name), "fallback")
            doc.add_paragraph(f"after {name}")
        assert _pictures(doc) == []  # nothing drawn yet, and yet every chart has its place and caption
        assert _captions(doc) == ["Figure 1. one.", "Figure 2. two.", "Figure 3. three."]
        slow.set()
    assert _pictures(doc) == ["one", "two", "three"]
    texts = [p.text for p in doc.paragraphs]
    assert texts[texts.index("Figure 2. two.") - 1] == ""  # the picture's paragraph, right above its caption
    assert texts.index("after one") < texts.index("Figure 2. two.") < texts.index("after two")


def test_charts_placed_last_make_the_same_document_as_charts_waited_for(slow):
    from npt_coder.render._figures import docx_chart, images_placed_last

    slow.set()
    waited, later = Document(), Document()
    for name in ("one", "two"):
        docx_chart(waited, _fig(name), "fallback")
    slow.clear()
    with images_placed_last():
        for name in ("one", "two"):
            docx_chart(later, _fig(name), "fallback")
        slow.set()
    assert _pictures(waited) == _pictures(later) == ["one", "two"]
    assert [p.text for p in waited.paragraphs] == [p.text for p in later.paragraphs]
    shapes = [[(el.get("descr"), el.get("title")) for el in d.element.body.iter(
        "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr")] for d in (waited, later)]
    assert shapes[0] == shapes[1] and all(descr for descr, _ in shapes[0])  # alt text and title on each


def test_a_chart_that_cannot_be_drawn_leaves_a_note_and_the_later_figures_renumbered(slow):
    from npt_coder.render._figures import docx_chart, images_placed_last

    doc = Document()
    with images_placed_last():
        for name in ("one", "broken", "three"):
            docx_chart(doc, _fig(name), "fallback")
        slow.set()
    assert _pictures(doc) == ["one", "three"]
    assert _captions(doc) == ["Figure 1. one.", "Figure 2. three."]
    assert "[broken: not included (no browser here). The HTML version has it.]" in [p.text for p in doc.paragraphs]
