"""The workbench's pages pass the same automated accessibility check as the HTML reports: axe-core (vendored,
test-only) in Debian's Chromium, WCAG 2.0/2.1/2.2 A and AA rules and best practices, with no violation left.

Each page is checked as a coder meets it, after its script has drawn the text, the stripes and the codebook: the
transcript list, coding a transcript (with a coding chosen), comparing two coders (one code settled, the choice
on a whole paragraph unfolded, a stripe chosen), retrieval, agreement, the page of a transcript still blind-coded,
an error page, and the sign-in pages of team and local mode. Only the workbench's own address may be fetched."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect, sync_playwright

from npt_coder import services as sv

from ..render.axe_check import axe_violations, chromium, only_from
from .conftest import LOW_COST


@pytest.fixture
def context():
    exe = chromium()
    if exe is None:
        raise RuntimeError("these tests drive Debian's Chromium: apt-get install chromium (make test does)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=["--no-sandbox"])
        # the workbench allows no inline script (its CSP), and axe is added as one: the check's context bypasses it
        ctx = b.new_context(viewport={"width": 1360, "height": 860}, bypass_csp=True)
        ctx.set_default_timeout(15000)
        yield ctx
        ctx.close()
        b.close()


def checked(page, path: str, *, then=None) -> list[dict]:
    page.goto(path)
    page.wait_for_load_state("networkidle")
    expect(page.locator("h1")).to_have_count(1)  # a page of ours was drawn, not an empty one
    if then is not None:
        then(page)
    return axe_violations(page)


def test_workbench_pages_pass_axe(study, serve, context):
    s = serve(study, token="axe-token")
    sv.open_comparison(study, "S1_A01", who="LD")
    first = sv.comparison(study, "S1_A01", "AK", "JT").iloc[0]  # one code of it settled, the other still open
    c4 = first["disputed"][0]
    sv.settle(study, "S1_A01", "AK", "JT", [sv.Decision("S1_A01", first["segment_id"], "A", (), "AK's reading",
                                                        c4["key"], c4["code_id"])], who="LD")
    page = context.new_page()
    page.route("**/*", only_from(s.base))
    page.goto(f"{s.base}/?token=axe-token")

    def choose_stripe(p):
        p.locator("button.stripe").first.click()
        expect(p.locator("#chosen, #stripe-info").first).to_be_visible()

    def open_all(p):  # the choice on a whole paragraph unfolded, and a stripe chosen
        p.locator("details.whole summary").first.click()
        expect(p.locator("details.whole fieldset").first).to_be_visible()
        choose_stripe(p)

    pages = {
        "/": None,
        "/transcripts/S1_A01": choose_stripe,
        "/transcripts/S1_A01/compare?coders=AK,JT": open_all,
        "/retrieve?q=police": None,
        "/retrieve?codes=M3.1": None,
        "/agreement?coders=AK,JT": None,
        "/transcripts/S2_B02/compare?coders=AK,JT": None,  # still blind-coded
        "/transcripts/NOPE": None,  # an error page
        "/no/such/page": None,
    }
    found = {path: checked(page, s.base + path, then=then) for path, then in pages.items()}
    assert {path: v for path, v in found.items() if v} == {}
    # the check is really running here: a stripe label in the palette's orange on white fails it
    page.goto(f"{s.base}/transcripts/S1_A01")
    page.wait_for_load_state("networkidle")
    page.evaluate("document.querySelector('button.stripe').style.cssText += ';background:#fff;color:#E69F00'")
    assert "color-contrast" in {v["id"] for v in axe_violations(page)}


def test_sign_in_pages_pass_axe(study, serve, context):
    local = serve(study, token="right-token")
    page = context.new_page()
    page.route("**/*", only_from(local.base))
    assert checked(page, f"{local.base}/?token=wrong-token") == []  # the local sign-in refused
    sv.add_user(study, "LD", "lead", "ld-password", cost=LOW_COST)
    team = serve(study, secure_cookies=False)
    page = context.new_page()
    page.route("**/*", only_from(team.base))
    assert checked(page, f"{team.base}/login") == []
