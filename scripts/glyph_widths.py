"""Measure the glyph widths the logic-model figures wrap their text with, and write them as a Python module.

The figures name the font family ``Arial, 'Liberation Sans', Helvetica, 'DejaVu Sans', sans-serif``. Liberation
Sans has Arial's metrics (it was made to be metric-compatible with Arial, and so with Helvetica's widths), and is
what Arial and Helvetica resolve to on Debian; DejaVu Sans is the usual ``sans-serif`` where none of them is
installed. So for each character the table keeps the wider of Liberation Sans and DejaVu Sans, in the regular and
the bold weight, and text measured with it fits whichever of the fonts the browser (or kaleido) draws with.

Widths are advance widths from each font's ``hmtx`` table, in 1/1000 em, rounded to the nearest unit.

To regenerate (after changing :data:`CHARS`, or to check against newer fonts)::

    apt-get install fonts-liberation fonts-dejavu-core   # Debian/Ubuntu; the fonts' files are found with fc-match
    pip install fonttools
    python scripts/glyph_widths.py            # rewrites npt_coder/render/_glyph_widths.py
    python scripts/glyph_widths.py --check    # exits 1 if the committed module differs from a fresh measurement

``--font FILE`` (repeatable) uses the given font files instead of looking them up; each file is recognised by the
family and weight in its name table.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

#: The characters measured: printable ASCII, then the typographic marks and accented letters the figures commonly
#: show (other characters count as 1 em, and accented letters not listed take their base letter's width).
CHARS = (" !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~"
         "–—‘’“”•…éèáàóöüç£€·→×")
FAMILIES = ("Liberation Sans", "DejaVu Sans")
OUTPUT = Path(__file__).resolve().parents[1] / "npt_coder" / "render" / "_glyph_widths.py"
COMMAND = "python scripts/glyph_widths.py"


@dataclass(frozen=True)
class Font:
    family: str
    bold: bool
    version: str
    widths: dict[str, float]  # 1/1000 em, for the characters of CHARS the font has


def _read(path: Path) -> Font:
    from fontTools.ttLib import TTFont  # a development tool only: not a dependency of npt-coder

    font = TTFont(str(path))
    names = font["name"]
    family = names.getDebugName(16) or names.getDebugName(1)
    bold = bool(font["head"].macStyle & 1)
    version = (names.getDebugName(5) or "").removeprefix("Version ").split(";")[0].strip()
    cmap = font.getBestCmap()
    per_em = font["head"].unitsPerEm
    widths = {ch: font["hmtx"][cmap[ord(ch)]][0] / per_em * 1000 for ch in CHARS if ord(ch) in cmap}
    return Font(family, bold, version, widths)


def _find(family: str, bold: bool) -> Path:
    pattern = f"{family}:weight={200 if bold else 80}"
    try:
        found = subprocess.run(["fc-match", "--format=%{file}", pattern], capture_output=True, text=True,
                               check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError) as err:
        sys.exit(f"cannot look up {family!r} with fc-match ({err}); give the font files with --font")
    if not found:
        sys.exit(f"fc-match found no font for {pattern!r}; give the font files with --font")
    return Path(found)


def measure(files: list[Path]) -> list[Font]:
    """The four fonts (each family, regular and bold), from ``files`` where given, else looked up."""
    given = {(f.family, f.bold): f for f in map(_read, files)}
    fonts = []
    for family in FAMILIES:
        for bold in (False, True):
            font = given.get((family, bold)) or _read(_find(family, bold))
            if (font.family, font.bold) != (family, bold):  # fc-match falls back to another font silently
                weight = "bold" if bold else "regular"
                sys.exit(f"{family} {weight} is not installed (fc-match offers {font.family}); install it or give "
                         "its file with --font")
            fonts.append(font)
    return fonts


def _table(name: str, widths: dict[str, int]) -> list[str]:
    lines = [f"{name}: dict[str, int] = {{"]
    line = "   "
    for ch, w in widths.items():
        item = f" {ch!r}: {w},"
        if len(line) + len(item) > 118:
            lines.append(line)
            line = "   "
        line += item
    lines.append(line)
    lines.append("}")
    return lines


def module_text(fonts: list[Font]) -> str:
    def widest(bold: bool) -> dict[str, int]:
        chosen = [f for f in fonts if f.bold == bold]
        out = {}
        for ch in CHARS:
            values = [f.widths[ch] for f in chosen if ch in f.widths]
            if values:
                out[ch] = round(max(values))
        return out

    sources = "; ".join(f"{family} {next(f.version for f in fonts if f.family == family)}" for family in FAMILIES)
    head = [
        '"""Advance widths of the characters the figures measure, in 1/1000 em: for each, the wider of Liberation '
        'Sans',
        "(Arial's metrics) and DejaVu Sans; ``REGULAR`` and ``BOLD`` weights.",
        "",
        f"Generated by ``{COMMAND}`` (see that script for how to regenerate); do not edit by hand.",
        f"Measured from: {sources}.",
        '"""',
        "",
    ]
    return "\n".join(head + _table("REGULAR", widest(False)) + [""] + _table("BOLD", widest(True))) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--font", action="append", type=Path, default=[], help="a font file to use (repeatable)")
    parser.add_argument("--check", action="store_true", help="only compare with the committed module")
    parser.add_argument("--output", type=Path, default=OUTPUT, help="module to write (default: %(default)s)")
    args = parser.parse_args(argv)
    text = module_text(measure(args.font))
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if current != text:
            print(f"{args.output} is out of date: run {COMMAND}", file=sys.stderr)
            return 1
        print(f"{args.output} is up to date")
        return 0
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
