"""Colour arithmetic for the renderers: tints and shades, WCAG contrast, and text colours that stay readable.

Colours are ``"#RRGGBB"`` strings (``"#RGB"`` and a missing ``#`` are accepted on input). openpyxl fills and Word
shading take the six hex digits without ``#``: :func:`bare` gives them.

:func:`tint` and :func:`shade` round each channel down, as the reports' fills and coloured labels always have, so
their colours stay exactly what they were; :func:`mix` rounds to the nearest value.
"""

from __future__ import annotations

from typing import Sequence

__all__ = ["bare", "contrast_ratio", "luminance", "mix", "readable", "rgb", "rgba", "shade", "text_on", "tint",
           "to_hex"]

#: The dark text colour used on light backgrounds (near-black, softer than pure black).
INK = "#1A1A1A"


def rgb(colour: str) -> tuple[int, int, int]:
    """The red, green and blue channels (0-255) of ``colour``.

    >>> rgb("#0072B2"), rgb("fff")
    ((0, 114, 178), (255, 255, 255))
    """
    c = colour.lstrip("#")
    if len(c) == 3:
        c = "".join(ch * 2 for ch in c)
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)


def to_hex(channels: Sequence[float]) -> str:
    """``"#RRGGBB"`` from three channel values, rounded and clipped to 0-255.

    >>> to_hex((0, 114.6, 300))
    '#0073FF'
    """
    return "#" + "".join(f"{max(0, min(255, round(v))):02X}" for v in channels)


def bare(colour: str) -> str:
    """The six upper-case hex digits, without ``#``, as openpyxl fills and Word shading take them.

    >>> bare("#0072b2")
    '0072B2'
    """
    return "".join(f"{v:02X}" for v in rgb(colour))


def mix(colour: str, other: str, share: float) -> str:
    """``colour`` moved ``share`` (0-1) of the way towards ``other``, channels rounded to the nearest value.

    >>> mix("#000000", "#FFFFFF", 0.5)
    '#808080'
    """
    a, b = rgb(colour), rgb(other)
    return to_hex([x + (y - x) * share for x, y in zip(a, b)])


def tint(colour: str, amount: float) -> str:
    """A lighter tint: ``colour`` moved ``amount`` (0-1) of the way towards white, channels rounded down.

    >>> tint("#0072B2", 0.75)
    '#BFDBEB'
    """
    return "#" + "".join(f"{int(c + (255 - c) * amount):02X}" for c in rgb(colour))


def shade(colour: str, amount: float = 0.25) -> str:
    """A darker shade: ``colour`` moved ``amount`` (0-1) of the way towards black, channels rounded down.

    >>> shade("#E69F00")
    '#AC7700'
    """
    return "#" + "".join(f"{int(c * (1 - amount)):02X}" for c in rgb(colour))


def rgba(colour: str, alpha: float) -> str:
    """The CSS ``rgba(...)`` form of ``colour`` with opacity ``alpha``, as plotly takes it.

    >>> rgba("#E69F00", 0.35)
    'rgba(230,159,0,0.35)'
    """
    r, g, b = rgb(colour)
    return f"rgba({r},{g},{b},{alpha})"


def luminance(colour: str) -> float:
    """Relative luminance as WCAG 2 defines it: 0 for black, 1 for white.

    >>> luminance("#000000"), luminance("#FFFFFF")
    (0.0, 1.0)
    """
    def linear(v: float) -> float:
        v /= 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(v) for v in rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two colours, from 1 (the same) to 21 (black on white); order does not matter.

    WCAG asks for at least 4.5 for body text and 3 for large text.

    >>> round(contrast_ratio("#000000", "#FFFFFF"), 1), round(contrast_ratio("#777777", "#FFFFFF"), 2)
    (21.0, 4.48)
    """
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_on(colour: str) -> str:
    """White or near-black (:data:`INK`), whichever reads better on a ``colour`` background.

    >>> text_on("#0072B2"), text_on("#FBE7BF")
    ('#FFFFFF', '#1A1A1A')
    """
    return "#FFFFFF" if contrast_ratio("#FFFFFF", colour) >= contrast_ratio(INK, colour) else INK


def readable(colour: str, background: str, ratio: float = 4.5) -> str:
    """``colour`` darkened in steps (8% towards black each) until it reaches contrast ``ratio`` on
    ``background``; at most 80% darker.

    >>> readable("#E69F00", "#FFFFFF")
    '#9C6C00'
    >>> contrast_ratio(readable("#E69F00", "#FFFFFF"), "#FFFFFF") >= 4.5
    True
    """
    out = colour
    for step in range(1, 11):
        if contrast_ratio(out, background) >= ratio:
            break
        out = mix(colour, "#000000", step * 0.08)
    return out
