"""The HTML reports pass an automated accessibility check: axe-core (vendored, test-only) run in a local Chromium.

Every demo page is loaded from disk (no network), axe runs its WCAG 2.0/2.1/2.2 A and AA rules and its best
practices, and no violation of impact "serious" or "critical" may be left; the moderate and minor ones are listed
in the assertion message too, and none are expected either.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from .axe_check import AXE, AXE_SHA256, axe_violations, chromium, only_from

HTML_OUTPUTS = ("agreement_AK_JT.html", "themes.html", "study.html", "logic_model_risk.html",
                "logic_model_needs.html", "logic_model_compare.html")


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    exe = chromium()
    assert exe is not None, "no Chromium on this machine: 'make test' installs Debian's chromium"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=["--no-sandbox"])
        yield b
        b.close()


def violations(browser, path: Path) -> list[dict]:
    page = browser.new_page()
    try:
        page.route("**/*", only_from("file:"))  # nothing may be fetched: a page that tries fails its check
        page.goto(path.resolve().as_uri())
        return axe_violations(page)
    finally:
        page.close()


def test_vendored_axe_is_the_recorded_release():
    assert hashlib.sha256(AXE.read_bytes()).hexdigest() == AXE_SHA256


@pytest.mark.parametrize("name", HTML_OUTPUTS)
def test_demo_html_output_passes_axe(browser, demo_run, name):
    path = demo_run.project.reports_dir / name
    found = violations(browser, path)
    serious = [v for v in found if v["impact"] in ("serious", "critical")]
    assert serious == [], found
    assert found == []


def test_axe_finds_what_it_is_for(browser, tmp_path):
    """A page with the faults the reports once had (pale heading text, an image without alt text, small
    contents links) fails: the check is really running."""
    page = tmp_path / "bad.html"
    page.write_text("<!DOCTYPE html><html lang='en'><head><title>t</title></head><body><main>"
                    "<h1 style='color:#E69F00'>Mechanism</h1><img src='data:image/gif;base64,R0lGODlhAQABAAAAACw='>"
                    "<nav><ul><li><a href='#a'>A</a></li><li><a href='#b'>B</a></li></ul></nav></main></body></html>",
                    encoding="utf-8")
    ids = {v["id"] for v in violations(browser, page)}
    assert {"color-contrast", "image-alt"} <= ids
