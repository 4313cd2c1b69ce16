"""axe-core (vendored under ``vendor/axe-core``, test-only) run in a local Chromium over a page that is loaded
already: the HTML reports from disk, the workbench from a loopback server. Nothing else may be fetched."""

from __future__ import annotations

import shutil
from pathlib import Path

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
AXE_SHA256 = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def chromium() -> str | None:
    """The local Chromium (Debian's ``chromium``), or None."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def only_from(prefix: str):
    """A route handler for ``page.route("**/*", ...)``: requests outside ``prefix`` are aborted, so a page that
    reaches elsewhere fails its check."""
    return lambda route: route.continue_() if route.request.url.startswith(prefix) else route.abort()


def axe_violations(page) -> list[dict]:
    """axe's violations of :data:`RULES` on the page as it is now: id, impact, help, node count, first three
    places. The page's context must bypass its Content Security Policy (the workbench allows no inline script)."""
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    return page.evaluate(
        "async (rules) => (await axe.run(document, {runOnly: {type: 'tag', values: rules}})).violations"
        ".map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length,"
        " where: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))", RULES)
