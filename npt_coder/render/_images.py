"""Static images of plotly figures through kaleido, which drives a Chromium browser.

A missing browser is not an error: reports are still written, with a note where each image would be. The first
image of a process starts one kaleido server (a Chromium kept open until the process exits), so later images take a
fraction of a second instead of starting a browser each time.

**No network.** Left to itself, headless Chromium looks up Google's update, sync and account hosts, probes a public
DNS-over-HTTPS resolver, and kaleido's page loads MathJax from a CDN. Transcripts must never cause a request to
leave the machine, so the browser is started through a small launcher (:func:`offline_browser`) that adds
:data:`OFFLINE_FLAGS`: background networking, component updates, domain reliability and network prediction off,
every host name resolved to "not found" (no DNS query at all), and a proxy on a closed loopback port for anything
else; MathJax is turned off (our figures use no LaTeX) and plotly.js is the copy inside the plotly package. Stock
Chromium still "connects" a UDP socket to a public address to see whether IPv6 is routed (no packet is sent, and no
switch turns it off), so where Linux allows it (``unshare -rn``: a user and network namespace with loopback only)
the browser runs in a network of its own where no address outside the machine exists.
``tests/render/test_no_network.py`` draws an image under ``strace`` and checks that nothing connects outside the
machine.

**In the background.** Starting Chromium and loading plotly.js into its page takes seconds, and each image a
quarter of a second more. Every image is drawn by one worker thread (kaleido's server answers one caller at a time),
so a caller can have the browser started (:func:`warm_up`) or a document's images drawn (:func:`drawing_ahead`)
while it gets on with other work; :func:`figure_image` then picks up an image drawn ahead or waits for its turn.
"""

from __future__ import annotations

import atexit
import hashlib
import os
import shlex
import shutil
import stat
import subprocess
import tempfile
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Iterator

__all__ = ["OFFLINE_FLAGS", "drawing_ahead", "figure_image", "figure_png", "offline_browser", "warm_up"]

_HINT = "no Chromium for kaleido (install Debian's 'chromium' package, which 'make demo' does)"
_server_started = False
_BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")

#: Chromium switches that keep a headless browser from reaching the network (see the module notes).
OFFLINE_FLAGS = (
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-domain-reliability",
    "--disable-client-side-phishing-detection",
    "--disable-sync",
    "--no-pings",
    "--disable-features=NetworkPrediction,OptimizationHints,MediaRouter,Translate,AutofillServerCommunication,"
    "DnsOverHttps,AsyncDns",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost",
    "--proxy-server=127.0.0.1:9",
    "--proxy-bypass-list=<-loopback>",
)


@lru_cache(maxsize=1)
def network_isolation() -> tuple[str, ...]:
    """The command prefix that runs a program with loopback only (``("unshare", "-rn")``), or ``()`` where this
    system does not allow it (no ``unshare``, or unprivileged user namespaces switched off)."""
    unshare = shutil.which("unshare")
    if unshare is None:
        return ()
    try:
        done = subprocess.run([unshare, "-rn", "true"], capture_output=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return ()
    return (unshare, "-rn") if done.returncode == 0 else ()


def offline_browser(browser: str | None = None) -> str | None:
    """Path of a launcher that starts ``browser`` (default: the ``NPT_CODER_CHROMIUM`` variable, else the first
    Chromium or Chrome on ``PATH``) with :data:`OFFLINE_FLAGS`, inside :func:`network_isolation` where available;
    ``None`` where there is no browser, or on Windows (where kaleido's own search is used and these switches are not
    added).

    The launcher is a two-line shell script in a private temporary folder, made once per process; the browser's
    profile is kept in the same folder, which is removed at exit.
    """
    if os.name != "posix":
        return None
    found = browser or os.environ.get("NPT_CODER_CHROMIUM") or next(filter(None, map(shutil.which, _BROWSERS)), None)
    if not found:
        return None
    folder = Path(tempfile.mkdtemp(prefix="npt-coder-browser-"))
    launcher = folder / "chromium-offline"
    command = " ".join(shlex.quote(part) for part in (*network_isolation(), found, *OFFLINE_FLAGS))
    # The browser's profile goes in this folder too: given after kaleido's arguments, this --user-data-dir is the
    # one Chromium uses (the last of a repeated switch wins), so the temporary profile kaleido makes stays empty
    # and its removal at exit cannot fail, with a traceback, while the browser is still writing to it.
    profile = shlex.quote(f"--user-data-dir={folder / 'profile'}")
    launcher.write_text(f"#!/bin/sh\nexec {command} \"$@\" {profile}\n", encoding="utf-8")
    launcher.chmod(stat.S_IRWXU)
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return str(launcher)


def _start_server() -> None:
    global _server_started
    if _server_started:
        return
    import kaleido

    options: dict = {"mathjax": False}
    launcher = offline_browser()
    if launcher is not None:
        options["path"] = launcher
    kaleido.start_sync_server(silence_warnings=True, **options)
    atexit.register(kaleido.stop_sync_server, silence_warnings=True)
    _server_started = True


def figure_png(figure, *, width: int = 1100, height: int = 600, scale: float = 2.0) -> tuple[bytes | None, str]:
    """``(png bytes, "")`` or ``(None, reason)`` when no static image can be made on this machine."""
    return figure_image(figure, format="png", width=width, height=height, scale=scale)


def _draw(figure, format: str, width: int, height: int, scale: float) -> tuple[bytes | None, str]:
    """One image, in the worker thread. kaleido is called as ``figure.to_image`` calls it, without the options
    its server ignores (so it has no warning to give, and no warning filter is changed from this thread)."""
    try:
        import kaleido
    except ImportError:
        return None, "kaleido is not installed"
    try:
        _start_server()
        spec = figure.to_dict() if hasattr(figure, "to_dict") else dict(figure)
        from plotly.io import defaults

        return kaleido.calc_fig_sync(spec, opts={"format": format, "width": width, "height": height,
                                                 "scale": scale}, topojson=defaults.topojson), ""
    except Exception as err:  # kaleido raises its own types when no browser can be started
        message = str(err).splitlines()[0] if str(err) else type(err).__name__
        if any(w in f"{message} {type(err).__name__}".lower() for w in ("chrom", "browser")):
            return None, _HINT
        return None, f"the image could not be made ({message[:120]})"


_worker: ThreadPoolExecutor | None = None
_ahead: dict[str, Future] = {}


def _submit(fn, *args) -> Future:
    global _worker
    if _worker is None:
        _worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="npt-coder-images")
    return _worker.submit(fn, *args)


def _key(figure, format: str, width: int, height: int, scale: float) -> str:
    body = figure.to_json() if hasattr(figure, "to_json") else repr(figure)
    return hashlib.sha256(f"{format}|{width}|{height}|{scale}|{body}".encode("utf-8", "surrogatepass")).hexdigest()


def figure_image(figure, *, format: str = "png", width: int = 1100, height: int = 600,
                 scale: float = 2.0) -> tuple[bytes | None, str]:
    """``(image bytes, "")`` in ``format`` (png, svg or pdf), or ``(None, reason)`` when no static image can be
    made on this machine. An image :func:`drawing_ahead` is drawing is waited for, not drawn again."""
    job = _ahead.pop(_key(figure, format, width, height, scale), None) if _ahead else None
    if job is None:
        job = _submit(_draw, figure, format, width, height, scale)
    return job.result()


def warm_up() -> None:
    """Start the browser in the background (the first image of a process costs seconds); never an error."""
    import plotly.graph_objects as go

    _submit(_draw, go.Figure(), "png", 10, 10, 1)


@contextmanager
def drawing_ahead(requests: Iterable[tuple[Any, dict]]) -> Iterator[None]:
    """Draw these images in the background, in order, while the block runs: ``(figure, {"width", "height",
    "scale", "format"})`` each, as the block will ask :func:`figure_image` for them. What the block does not ask
    for is dropped when it ends."""
    keys = []
    for figure, options in requests:
        args = (figure, options.get("format", "png"), options.get("width", 1100), options.get("height", 600),
                options.get("scale", 2.0))
        key = _key(*args)
        if key not in _ahead:
            _ahead[key] = _submit(_draw, *args)
            keys.append(key)
    try:
        yield
    finally:
        for key in keys:
            _ahead.pop(key, None)
