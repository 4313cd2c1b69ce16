"""Static images of plotly figures through kaleido, which drives a Chromium browser.

A missing browser is not an error: reports are still written, with a note where each image would be.
"""

from __future__ import annotations

__all__ = ["figure_png"]

_HINT = "no Chromium for kaleido (install Debian's 'chromium' package, which 'make demo' does)"


def figure_png(figure, *, width: int = 1100, height: int = 600, scale: float = 2.0) -> tuple[bytes | None, str]:
    """``(png bytes, "")`` or ``(None, reason)`` when no static image can be made on this machine."""
    try:
        import kaleido  # noqa: F401
    except ImportError:
        return None, "kaleido is not installed"
    try:
        return figure.to_image(format="png", width=width, height=height, scale=scale), ""
    except Exception as err:  # kaleido raises its own types when no browser can be started
        message = str(err).splitlines()[0] if str(err) else type(err).__name__
        if "chrom" in message.lower() or "browser" in message.lower():
            return None, _HINT
        return None, f"the image could not be made ({message[:120]})"
