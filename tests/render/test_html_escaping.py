"""Every HTML page shows transcript text (and titles, notes, methods) as text: markup in it is escaped."""

from __future__ import annotations

import re

import pytest

from npt_coder.agreement import agreement_table
from npt_coder.render import (
    agreement_to_html,
    logic_model_to_html,
    methods_paragraph,
    report_to_html,
    themes_to_html,
)
from npt_coder.report import build_report
from npt_coder.themes import theme_summary

from .conftest import ESCAPED, PAYLOAD


def assert_escaped(page: str) -> None:
    assert PAYLOAD not in page and ESCAPED in page
    assert not re.search(r"<script[^>]*\bsrc=|<link[^>]*\bhref=['\"]?http", page)  # offline: nothing fetched


def test_themes_page_escapes_a_quote(marked_up_study):
    t = theme_summary(marked_up_study)
    assert t.quotes["text"].str.contains(PAYLOAD, regex=False).any()  # the quote reaches the renderer as typed
    page = themes_to_html(t)
    assert_escaped(page)
    assert f"<blockquote><p>“We trust the police now and I typed {ESCAPED}" in page


def test_study_report_page_escapes_quotes_and_title(marked_up_study):
    report = build_report(marked_up_study, title=f"Pilot {PAYLOAD}", n_resamples=20)
    page = report_to_html(report)
    assert_escaped(page)
    assert f"<title>Pilot {ESCAPED}</title>" in page and f"<h1>Pilot {ESCAPED}</h1>" in page
    assert page.count("plotly.js v") == 1  # inlined once, in the head


def test_agreement_page_escapes_methods_and_labels(marked_up_study):
    table = agreement_table(marked_up_study, coders=["AK", "JT"], ci=None)
    table.loc[table["level"] == "code", "label"] = f"M3.3 {PAYLOAD}"
    page = agreement_to_html(table, methods_paragraph(table, codebook=PAYLOAD))
    assert_escaped(page)
    assert "<td>M3.3 " + ESCAPED in page  # the table cell
    assert re.search(r"<p>Inter-coder agreement was assessed .*Codebook: " + re.escape(ESCAPED), page)


@pytest.mark.parametrize("compare", [False, True])
def test_logic_model_page_escapes_items_and_titles(compare):
    spec = {"title": f"Model {PAYLOAD}", "columns": [{"name": "Context", "items": [f"Shared notes {PAYLOAD}"]},
                                                     {"name": "Mechanisms", "items": ["Trust"]}]}
    other = {"title": "Other", "columns": [{"name": "Context", "items": ["Shared notes"]}]} if compare else None
    page = logic_model_to_html(spec, compare_with=other)
    assert_escaped(page)
    assert f"<li>Shared notes {ESCAPED}" in page  # the text description
    if not compare:
        assert f'aria-label="Model {ESCAPED}"' in page
