"""End to end in a real browser (Debian's Chromium driven by Playwright): select a span with the mouse and with
the keyboard, apply codes, see the stripes, reload and find them kept, change and remove a coding and undo,
compare two coders, settle a disagreement (a whole paragraph, and one code in dispute at a time), and check the
project afterwards. Screenshots go to the test's folder, or to $NPT_CODER_SCREENSHOTS when set."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from npt_coder.services import add_user

from .conftest import LOW_COST

SETTLED = re.compile(r"\bsettled\b")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        raise RuntimeError("these tests drive Debian's Chromium: apt-get install chromium (make test does)")
    return found


@pytest.fixture
def browser(tmp_path):
    shots = Path(os.environ.get("NPT_CODER_SCREENSHOTS") or tmp_path / "shots")
    shots.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(str(tmp_path / "profile"), executable_path=chromium(), args=ARGS,
                                                   viewport={"width": 1360, "height": 860})
        ctx.set_default_timeout(15000)
        page = ctx.new_page()
        page.errors = []
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        page.on("dialog", lambda d: (page.errors.append("dialog: " + d.message), d.dismiss()))
        page.shots = shots
        yield page
        ctx.close()


def drag_select(page, turn: str, words: str) -> None:
    """Select ``words`` in a turn by dragging the mouse over them, as a researcher does."""
    box = page.evaluate("""([turn, words]) => {
        const tx = document.querySelector(`.turn[data-seg="${turn}"] .tx`);
        const walker = document.createTreeWalker(tx, NodeFilter.SHOW_TEXT);
        let node, all = "", nodes = [];
        while ((node = walker.nextNode())) { nodes.push([node, all.length]); all += node.data; }
        const at = all.indexOf(words);
        const find = (k) => { for (const [n, o] of nodes) { if (k <= o + n.data.length) return [n, k - o]; } };
        const [n1, o1] = find(at), [n2, o2] = find(at + words.length);
        const r1 = document.createRange(); r1.setStart(n1, o1); r1.setEnd(n1, o1 + 1);
        const r2 = document.createRange(); r2.setStart(n2, o2 - 1); r2.setEnd(n2, o2);
        const a = r1.getBoundingClientRect(), b = r2.getBoundingClientRect();
        return {x1: a.left + 1, y1: a.top + a.height / 2, x2: b.right - 1, y2: b.top + b.height / 2};
    }""", [turn, words])
    page.mouse.move(box["x1"], box["y1"])
    page.mouse.down()
    page.mouse.move((box["x1"] + box["x2"]) / 2, box["y2"], steps=4)
    page.mouse.move(box["x2"], box["y2"], steps=4)
    page.mouse.up()


def test_code_compare_and_settle_in_the_browser(study, serve, browser):
    page = browser
    s = serve(study, token="browser-token-1")
    page.goto(f"{s.base}/?token=browser-token-1")
    expect(page).to_have_url(f"{s.base}/")
    page.fill("#coder-name", "MB")
    page.click("form.pick button")
    expect(page.locator("#coder-name")).to_have_value("MB")

    page.goto(f"{s.base}/transcripts/S1_A01")
    drag_select(page, "t0002", "police and health checks")
    expect(page.locator("#selection")).to_contain_text("police and health checks")
    page.click('#code-tree button.code[data-code="M3.1"]')
    expect(page.locator('#stripes .stripe[data-code="M3.1"]')).to_have_count(1)
    page.click('#code-tree button.code[data-code="M2.3"]')  # a second code on the same selection
    # the keyboard: focus the last turn, Enter selects it, "/" searches the codebook, Enter applies
    page.focus('.turn[data-seg="t0004"]')
    page.keyboard.press("Enter")
    page.keyboard.press("/")
    page.keyboard.type("O4")
    page.keyboard.press("Enter")
    expect(page.locator('#stripes .stripe[data-code="O4"]')).to_have_count(1)
    page.hover('#code-tree button.code[data-code="M1.3"]')
    expect(page.locator("#code-info")).to_contain_text("M1.3")
    page.screenshot(path=str(page.shots / "coding.png"))

    page.reload()
    for code in ("M3.1", "M2.3", "O4"):
        expect(page.locator(f'#stripes .stripe[data-code="{code}"]')).to_have_count(1)
    mine = study.coding_table("S1_A01", coder="MB")
    text = study.transcript_text("S1_A01")
    spans = {r.code_id: text[r.start:r.end] for r in mine.itertuples()}
    assert spans["M3.1"] == spans["M2.3"] == "police and health checks"
    assert spans["O4"].startswith("Those take time.") and spans["O4"].endswith("expect us to ring.")

    # one coding: a memo, then remove it and undo
    page.click('#stripes .stripe[data-code="O4"]')
    page.fill("#chosen-memo", "length of calls")
    page.click("#chosen-save")
    expect(page.locator('#stripes .stripe[data-code="O4"].has-memo')).to_have_count(1)
    assert study.coding_table("S1_A01", coder="MB").set_index("code_id").loc["O4", "memo"] == "length of calls"
    page.click("#chosen-remove")
    expect(page.locator('#stripes .stripe[data-code="O4"]')).to_have_count(0)
    assert "O4" not in set(study.coding_table("S1_A01", coder="MB")["code_id"])
    page.click("#undo-button")
    expect(page.locator('#stripes .stripe[data-code="O4"]')).to_have_count(1)
    assert "O4" in set(study.coding_table("S1_A01", coder="MB")["code_id"])

    # blind until the lead opens comparison; then compare AK and JT and settle one disagreement
    assert page.locator('#stripes .stripe[data-code="C4"]').count() == 0  # AK's coding is hidden from MB
    page.click("button[data-open-comparison]")
    expect(page.locator('#stripes .stripe[data-code="C4"]')).to_have_count(1)
    page.goto(f"{s.base}/transcripts/S1_A01/compare?coders=AK,JT")
    items = page.locator("#dis-list .dis")
    expect(items).to_have_count(2)
    expect(page.locator("#stripes-a .stripe")).to_have_count(3)
    expect(page.locator("#stripes-b .stripe")).to_have_count(2)
    first = items.nth(0)
    first.locator("details.whole summary").click()  # the whole paragraph at once: JT's call on both its codes
    first.locator('fieldset[data-code=""] input[value="B"]').check()
    first.locator("input.note").fill("JT's reading fits the definition")
    first.locator("button.settle").click()
    expect(page.locator("#dis-list .dis.settled")).to_have_count(1)
    expect(page.locator("#stripes-c .stripe")).to_have_count(2)
    page.screenshot(path=str(page.shots / "compare.png"))
    consensus = study.coding_table("S1_A01", coder="consensus")
    assert sorted(consensus["code_id"]) == ["M1.1", "M3.1"]
    assert consensus.set_index("code_id").loc["M1.1", "memo"] == "JT's reading fits the definition"
    assert study.decisions()["decided_by"].tolist() == ["MB"]
    assert page.errors == []


def test_settle_one_code_in_the_browser(study, serve, browser):
    """A lead decides one of the two codes in dispute on a paragraph: AK's call on C4, M1.1 left open."""
    page = browser
    study.open_comparison("S1_A01", who="LD")
    s = serve(study, token="browser-token-4")
    page.goto(f"{s.base}/transcripts/S1_A01/compare?coders=AK,JT&token=browser-token-4")
    first = page.locator("#dis-list .dis").nth(0)
    codes = first.locator(".code-dis")
    expect(codes).to_have_count(2)
    c4 = first.locator('.code-dis[data-code="C4"]')
    expect(c4.locator("legend")).to_have_text("C4 Reframing organisational logics AK coded it, JT did not")
    expect(first.locator('.code-dis[data-code="M1.1"] legend')).to_contain_text("M1.1 Differentiation")
    assert [t.strip() for t in c4.locator("label").all_inner_texts()] == ["AK", "JT", "other code"]  # the coders' initials
    expect(first.locator("details.whole")).not_to_have_attribute("open", "")  # the whole paragraph: folded away
    c4.get_by_label("AK").check()
    first.locator("input.note").fill("AK's reading: a change of logic")
    first.locator("button.settle").click()
    first = page.locator("#dis-list .dis").nth(0)
    expect(first.locator('.code-dis[data-code="C4"].settled')).to_have_count(1)
    expect(first.locator('.code-dis[data-code="C4"] .decided')).to_contain_text("Settled: AK, by")
    expect(first.locator('.code-dis[data-code="M1.1"].settled')).to_have_count(0)
    expect(first).not_to_have_class(SETTLED)  # M1.1 is still to settle
    expect(page.locator('#stripes-c .stripe[data-code="C4"]')).to_have_count(1)
    expect(page.locator("#count-open")).to_have_text("2")
    consensus = study.coding_table("S1_A01", coder="consensus")
    assert sorted(zip(consensus["code_id"], consensus["memo"].fillna(""))) == [
        ("C4", "AK's reading: a change of logic"), ("M3.1", "")]
    text = study.transcript_text("S1_A01")
    c4_row = consensus.set_index("code_id").loc["C4"]
    assert text[c4_row["start"]:c4_row["end"]] == "People talk about need now"  # AK's own words
    assert study.decisions()[["code_id", "decision"]].values.tolist() == [["C4", "A"]]
    # then M1.1, JT's call: the paragraph is settled, the C4 decision stands beside it
    first.locator('.code-dis[data-code="M1.1"]').get_by_label("JT").check()
    first.locator("button.settle").click()
    expect(page.locator("#dis-list .dis").nth(0)).to_have_class(SETTLED)
    expect(page.locator("#count-open")).to_have_text("1")
    assert sorted(study.coding_table("S1_A01", coder="consensus")["code_id"]) == ["C4", "M1.1", "M3.1"]
    assert study.decisions()[["code_id", "decision"]].values.tolist() == [["C4", "A"], ["M1.1", "B"]]
    page.screenshot(path=str(page.shots / "compare-codes.png"))
    assert page.errors == []


def test_script_in_a_transcript_shows_as_text(study, serve, browser):
    page = browser
    s = serve(study, token="browser-token-2")
    page.goto(f"{s.base}/transcripts/S2_B02?token=browser-token-2")
    expect(page.locator('.turn[data-seg="t0002"] .tx')).to_contain_text("<script>alert('x')</script>")
    expect(page.locator('.turn[data-seg="t0002"] .tx')).to_contain_text("café staff said it was “a bit much” 😀")
    page.goto(f"{s.base}/retrieve?q=script")
    expect(page.locator(".passages mark.hit")).to_have_count(2)
    assert page.errors == []  # no alert ran


def test_team_sign_in_in_the_browser(study, serve, browser):
    page = browser
    add_user(study, "LD", "lead", "ld-password", cost=LOW_COST)
    add_user(study, "VW", "viewer", "vw-password", cost=LOW_COST)
    s = serve(study)  # Secure cookies, as behind a TLS proxy; Chromium keeps them on loopback too
    page.goto(f"{s.base}/transcripts/S1_A01")
    expect(page).to_have_url(f"{s.base}/login?next=%2Ftranscripts%2FS1_A01")
    page.fill('input[name="name"]', "VW")
    page.fill('input[name="password"]', "wrong-password")
    page.click('form.login button')
    expect(page.locator(".problem")).to_contain_text("unknown name or wrong password")
    page.fill('input[name="name"]', "VW")
    page.fill('input[name="password"]', "vw-password")
    page.click('form.login button')
    expect(page).to_have_url(f"{s.base}/transcripts/S1_A01")
    expect(page.locator(".who")).to_contain_text("VW")
    drag_select(page, "t0002", "police and health checks")
    page.click('#code-tree button.code[data-code="M3.1"]')
    expect(page.locator("#selection")).to_contain_text("Viewers cannot code")
    assert "VW" not in set(study.coding_table()["coder"])
    assert page.locator("button[data-open-comparison]").count() == 0  # only a lead opens comparison


def test_accept_and_reject_suggestions_in_the_browser(suggested, serve, browser):
    page = browser
    s = serve(suggested, token="browser-token-3")
    page.goto(f"{s.base}/transcripts/S2_B02?token=browser-token-3")
    page.fill("#coder-name", "MB")
    page.click("form.pick button")
    items = page.locator(".suggestion-list .suggestion")
    n = len(suggested.suggestions)
    expect(items).to_have_count(n)
    expect(page.locator("#suggest-open")).to_have_text(str(n))
    expect(page.locator(".suggestion q").first).to_contain_text("<script>alert('x')</script>")  # shown as text
    first, second = items.nth(0), items.nth(1)
    code = first.get_attribute("data-code")
    first.locator("[data-accept]").click()
    expect(first).to_have_class("suggestion accepted")
    expect(page.locator(f'#stripes .stripe[data-code="{code}"]')).to_have_count(1)  # now MB's own coding
    second.locator("[data-reject]").click()
    expect(second).to_have_class("suggestion rejected")
    expect(page.locator("#suggest-open")).to_have_text(str(n - 2))
    page.screenshot(path=str(page.shots / "suggestions.png"))
    mine = suggested.coding_table("S2_B02", coder="MB")
    assert mine[["code_id", "source"]].values.tolist() == [[code, "accepted"]]
    rejected = int(second.get_attribute("data-suggestion"))
    assert rejected not in set(suggested.suggestions["coding_id"])
    page.click("#undo-button")  # undoing the rejection brings the suggestion back to review
    expect(second).to_have_class("suggestion")
    expect(page.locator("#suggest-open")).to_have_text(str(n - 1))
    assert rejected in set(suggested.suggestions["coding_id"])
    page.reload()
    expect(page.locator(".suggestion.accepted")).to_have_count(1)
    assert page.errors == []
