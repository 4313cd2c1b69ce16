"""Walk the demo study through the workbench in Chromium, as a new coder and then a lead, and take the README's
screenshots.

    python scripts/workbench_screenshots.py COPY_OF_DEMO_PROJECT OUTDIR   (the copy is changed: it gets codings)
"""
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

import npt_coder as nc

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
project, out = Path(sys.argv[1]), Path(sys.argv[2])
out.mkdir(parents=True, exist_ok=True)
proc = subprocess.Popen([sys.executable, "-m", "npt_coder", "serve", "-p", str(project), "--port", "0", "--no-browser"],
                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
url = proc.stdout.readline().split(": ", 1)[1].strip()
print("served at", re.sub(r"token=.*", "token=…", url))
base = url.split("/?")[0]
try:
    with sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(tempfile.mkdtemp(), executable_path=shutil.which("chromium"),
                                                   args=ARGS, viewport={"width": 1280, "height": 760})
        page = ctx.new_page()
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(url)
        page.fill("#coder-name", "RS")
        page.click("form.pick button")
        page.screenshot(path=str(out / "home.png"))
        page.goto(base + "/transcripts/S1_P01")
        # select a phrase with the mouse and code it twice
        box = page.evaluate("""() => {
            const tx = document.querySelector('.turn[data-seg="t0004"] .tx');
            const w = document.createTreeWalker(tx, NodeFilter.SHOW_TEXT); const n = w.nextNode();
            const at = n.data.indexOf("speed and safety");
            const r = document.createRange(); r.setStart(n, at); r.setEnd(n, at + "speed and safety".length);
            const b = r.getBoundingClientRect(); return [b.left + 1, b.top + b.height / 2, b.right - 1];
        }""")
        page.mouse.move(box[0], box[1]); page.mouse.down(); page.mouse.move(box[2], box[1], steps=5); page.mouse.up()
        page.click('#code-tree button.code[data-code="C1"]')
        page.focus('.turn[data-seg="t0006"]'); page.keyboard.press("Enter")
        page.keyboard.press("/"); page.keyboard.type("M1.1"); page.keyboard.press("Enter")
        page.keyboard.type("M1.4"); page.keyboard.press("Enter")
        expect(page.locator('#stripes .stripe[data-code="M1.4"]')).to_have_count(1)
        page.click('#stripes .stripe[data-code="M1.1"]')
        page.fill("#chosen-memo", "the 'rebrand' view: worth asking the team about")
        page.click("#chosen-save")
        page.hover('#code-tree button.code[data-code="M1.4"]')
        page.screenshot(path=str(out / "coding.png"))
        # the lead opens comparison and settles AK and JT's disagreements on S1_P01
        page.click("button[data-open-comparison]")
        expect(page.locator(".doc-head .state")).to_contain_text("Comparison open")
        page.goto(base + "/transcripts/S1_P01/compare?coders=AK,JT")
        n = page.locator("#dis-list .dis").count()
        # decide each code in dispute (whose call stands), a paragraph at a time; the last only in part
        steps = [("p0002", {"M1.2": "JT"}, "JT caught the threshold role"),
                 ("p0007", {"M1.2": "AK", "M1.3": "JT"}, "both readings hold"),
                 ("p0010", {"C3": "AK"}, ""), ("p0020", {"M4.4": "AK"}, "a change of practice, not yet of roles")]
        for seg, calls, note in steps:
            item = page.locator(f"#dis-{seg}")
            for code, coder in calls.items():
                item.locator(f'.code-dis[data-code="{code}"]').get_by_label(coder, exact=True).check()
            item.locator("input.note").fill(note)
            item.locator("button.settle").click()
            expect(page.locator(f'#dis-{seg} .code-dis.settled')).to_have_count(len(calls))
        page.locator("#dis-p0020 .goto").click()
        page.screenshot(path=str(out / "compare.png"))
        page.goto(base + "/retrieve?codes=IND-CONSENT,M2.4&match=any&site=S1")
        page.screenshot(path=str(out / "retrieve.png"))
        page.goto(base + "/agreement?coders=AK,JT")
        page.screenshot(path=str(out / "agreement.png"))
        page.goto(base + "/reports/agreement_AK_JT.html")
        page.wait_for_timeout(1500)
        page.screenshot(path=str(out / "report.png"))
        print("disagreements:", n, "page errors:", errors)
        ctx.close()
finally:
    proc.terminate()
    proc.communicate(timeout=30)
p = nc.open_project(project)
print("RS's codings:", p.coding_table("S1_P01", coder="RS")[["code_id", "start", "end", "memo"]].values.tolist())
print("decisions:", p.decisions()[["segment_id", "code_id", "decision", "decided_by", "note"]].values.tolist())
print(p.history().tail(4)[["batch_id", "kind", "created_by", "files"]].to_string())
