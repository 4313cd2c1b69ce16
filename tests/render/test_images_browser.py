"""The browser that draws static images (npt_coder.render._images), for real: Debian's Chromium through kaleido.

kaleido reloads its page after every image; ours keeps the page and reloads it every ``RELOAD_EVERY`` images.
These tests show that this changes no image, that the page really is kept (so a kaleido release that renames what
we override is noticed here, not as a slower report), that a failed image leaves the next one drawn by a fresh
browser, and that a browser that cannot start is tried once, its reason given for every image after."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from npt_coder.render import _images
from npt_coder.render._images import figure_image, figure_png


def _figures() -> list[go.Figure]:
    """One of each kind the reports draw: bars, a dot plot with error bars, a heatmap, a sunburst and a Sankey."""
    return [
        go.Figure(go.Bar(y=["M1.1", "M2.3", "C1"], x=[4, 9, 2], orientation="h"), layout={"title": "Coded turns"}),
        go.Figure(go.Scatter(x=["M1.1", "M2.3"], y=[0.61, 0.82], mode="markers",
                             error_y={"type": "data", "array": [0.1, 0.05]})),
        go.Figure(go.Heatmap(z=[[1, 0, 3], [2, 5, 0]], x=["S1", "S2", "S3"], y=["M1", "M2"])),
        go.Figure(go.Sunburst(labels=["Mechanism", "Coherence", "M1.1"], parents=["", "Mechanism", "Coherence"],
                              values=[6, 6, 6], branchvalues="total")),
        go.Figure(go.Sankey(node={"label": ["C1", "M2.3", "O4"]},
                            link={"source": [0, 1], "target": [1, 2], "value": [3, 2]})),
    ]


@pytest.fixture
def browser():
    png, why = figure_png(go.Figure(), width=20, height=20, scale=1)
    assert png is not None, f"no static image on this machine ({why}): 'make test' installs Debian's chromium"
    return _images._browser


def test_keeping_the_page_changes_no_image(browser, monkeypatch):
    kept = [figure_png(fig, width=500, height=300)[0] for fig in _figures()]
    monkeypatch.setattr(_images, "RELOAD_EVERY", 1)  # as kaleido does: the page reloaded after every image
    reloaded = [figure_png(fig, width=500, height=300)[0] for fig in _figures()]
    assert all(png and png.startswith(b"\x89PNG") for png in kept)
    assert kept == reloaded
    assert len(set(kept)) == len(kept)  # five different images: nothing drawn is left over from the one before


def test_the_page_is_kept_between_images(browser, monkeypatch):
    reloads = []
    tab_class = type(browser.tabs_ready._queue[0])
    real = tab_class.reload

    async def counted(self):
        reloads.append(1)
        return await real(self)

    monkeypatch.setattr(tab_class, "reload", counted)
    monkeypatch.setattr(_images, "RELOAD_EVERY", 3)
    before = browser.drawn
    for fig in _figures()[:4]:
        assert figure_png(fig, width=300, height=200)[0] is not None
    assert browser.drawn - before == 4  # our override returned the tab each time (kaleido's own would not count)
    assert len(reloads) == (before + 4) // 3 - before // 3  # reloaded only every third image


def test_a_failed_image_leaves_the_next_one_to_a_fresh_browser(browser):
    png, why = figure_image({"data": 5, "layout": 3}, width=100, height=100)
    assert png is None and why.startswith("the image could not be made (")
    assert _images._browser is None  # closed: the page may hold what failed
    png, why = figure_png(_figures()[0], width=300, height=200)
    assert png is not None and why == ""
    assert _images._browser is not browser and _images._browser.drawn == 1


def test_a_browser_that_cannot_start_is_tried_once(monkeypatch, tmp_path):
    missing = tmp_path / "no-such-chromium"
    tries = []
    real = _images._started

    async def counted(options):
        tries.append(options.get("path"))
        return await real(options)

    monkeypatch.setattr(_images, "_browser", None)
    monkeypatch.setattr(_images, "_failure", "")
    monkeypatch.setattr(_images, "offline_browser", lambda: str(missing))
    monkeypatch.setattr(_images, "_started", counted)
    first = figure_png(_figures()[0], width=300, height=200)
    second = figure_image(_figures()[1], format="svg", width=300, height=200)
    assert first == second == (None, _images._HINT)
    assert tries == [str(missing)]  # the second image was told at once, without starting anything


def test_a_start_that_fails_before_the_browser_is_a_reason_too(monkeypatch):
    def full_disk():
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(_images, "_browser", None)
    monkeypatch.setattr(_images, "_failure", "")
    monkeypatch.setattr(_images, "offline_browser", full_disk)
    assert figure_png(_figures()[0], width=300, height=200) == (
        None, "the image could not be made ([Errno 28] No space left on device)")
    assert _images._failure  # kept: the next image is told at once


def test_a_figure_plotly_cannot_write_is_a_reason_while_others_are_drawn_ahead(browser):
    from npt_coder.render._images import drawing_ahead

    with drawing_ahead([(_figures()[0], {"width": 300, "height": 200})]):
        png, why = figure_image({"data": 5, "layout": 3}, width=100, height=100)
    assert png is None and why.startswith("the image could not be made (")


def _draw_in_child(queue) -> None:
    png, why = figure_png(_figures()[0], width=300, height=200)
    queue.put((png is not None, why, _images._browser.drawn if _images._browser is not None else -1))


def test_a_forked_child_draws_with_a_browser_of_its_own(browser):
    import multiprocessing

    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_draw_in_child, args=(queue,))
    child.start()
    child.join(120)
    if child.is_alive():
        child.kill()
    assert child.exitcode == 0  # it did not wait for ever on the parent's browser threads
    assert queue.get(timeout=5) == (True, "", 1)  # a browser of its own, its first image
