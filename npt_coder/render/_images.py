"""Static images of plotly figures through kaleido, which drives a Chromium browser.

A missing browser is not an error: reports are still written, with a note where each image would be. The first
image of a process starts one kaleido server (a Chromium kept open until the process exits), so later images take a
fraction of a second instead of starting a browser each time.
"""

from __future__ import annotations

import atexit
import warnings

__all__ = ["figure_image", "figure_png"]

_HINT = "no Chromium for kaleido (install Debian's 'chromium' package, which 'make demo' does)"
_server_started = False


def _start_server() -> None:
    global _server_started
    if _server_started:
        return
    import kaleido

    kaleido.start_sync_server(silence_warnings=True)
    atexit.register(kaleido.stop_sync_server, silence_warnings=True)
    _server_started = True


def figure_png(figure, *, width: int = 1100, height: int = 600, scale: float = 2.0) -> tuple[bytes | None, str]:
    """``(png bytes, "")`` or ``(None, reason)`` when no static image can be made on this machine."""
    return figure_image(figure, format="png", width=width, height=height, scale=scale)


def figure_image(figure, *, format: str = "png", width: int = 1100, height: int = 600,
                 scale: float = 2.0) -> tuple[bytes | None, str]:
    """``(image bytes, "")`` in ``format`` (png, svg or pdf), or ``(None, reason)`` when no static image can be
    made on this machine."""
    try:
        import kaleido  # noqa: F401
    except ImportError:
        return None, "kaleido is not installed"
    try:
        with warnings.catch_warnings():
            # kaleido warns that per-call options are ignored while its server runs; we pass none that matter
            warnings.filterwarnings("ignore", message=".*kopts.*", category=UserWarning)
            _start_server()
            return figure.to_image(format=format, width=width, height=height, scale=scale), ""
    except Exception as err:  # kaleido raises its own types when no browser can be started
        message = str(err).splitlines()[0] if str(err) else type(err).__name__
        if "chrom" in message.lower() or "browser" in message.lower():
            return None, _HINT
        return None, f"the image could not be made ({message[:120]})"
