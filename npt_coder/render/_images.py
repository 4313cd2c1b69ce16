"""Static images of plotly figures through kaleido, which drives a Chromium browser.

A missing browser is not an error: reports are still written, with a note where each image would be. The first
image of a process starts one browser (a Chromium kept open until the process exits), so later images take a
fraction of a second instead of starting a browser each time; where it cannot be started, the reason is kept and
every later image gives it at once.

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

**One page, kept.** kaleido reloads its page after every image, which loads plotly.js again: 0.2 s of the 0.3 s an
image took. Our figures are drawn by plotly.js alone (no maps, no WebGL, no MathJax) and plotly.js clears each one
from the page when its image is made, so the page is kept and reloaded only every :data:`RELOAD_EVERY` images; an
image that fails closes the browser, and the next starts a fresh one. The images are byte for byte those kaleido
draws with its reloads (``tests/render/test_images_browser.py``).

**In the background.** Starting Chromium and loading plotly.js into its page takes two seconds or more, and each
image a tenth to a half of a second. Every image is asked for by one worker thread (one at a time, in order), and
the browser runs on an event loop in a daemon thread of its own, so a caller can have the browser started
(:func:`warm_up`) or a document's images drawn (:func:`drawing_ahead`) while it gets on with other work;
:func:`figure_image` then picks up an image drawn ahead or waits for its turn, and :func:`image_job` hands back the
future without waiting (the Word report puts its charts in place at the end: ``_figures.images_placed_last``).
"""

from __future__ import annotations

import asyncio
import atexit
import hashlib
import logging
import os
import shlex
import shutil
import stat
import subprocess
import tempfile
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager, suppress
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Iterator

__all__ = ["OFFLINE_FLAGS", "drawing_ahead", "figure_image", "figure_png", "image_job", "offline_browser", "warm_up"]

_HINT = "no Chromium for kaleido (install Debian's 'chromium' package, which 'make demo' does)"
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


#: The page kaleido draws in is reloaded after this many images (kaleido reloads it after every one; see the notes).
RELOAD_EVERY = 50

_loop: asyncio.AbstractEventLoop | None = None  # the event loop the browser runs on, in a thread of its own
_browser: Any = None  # the open kaleido browser, once started
_failure = ""  # why no browser could be started, once that has been tried


def _forget_in_child() -> None:
    """In a forked child the browser's threads are gone: start afresh there rather than wait on them for ever."""
    global _loop, _browser, _failure, _worker
    _loop, _browser, _failure, _worker = None, None, "", None
    _ahead.clear()


def _quick_kaleido():
    """kaleido's browser class, keeping its page between images: kaleido reloads the page (and plotly.js with it,
    0.2 s) after every image; this reloads it after every :data:`RELOAD_EVERY`. The images are the same bytes.

    The reload is kaleido's private ``_return_kaleido_tab`` (kaleido 1.1 to 1.5 at least); where a release no
    longer has it, kaleido's own class is used, slower and otherwise the same."""
    import kaleido

    if not hasattr(kaleido.Kaleido, "_return_kaleido_tab"):
        return kaleido.Kaleido

    class QuickKaleido(kaleido.Kaleido):
        drawn = 0

        async def _return_kaleido_tab(self, tab) -> None:
            self.drawn += 1
            if self.drawn % RELOAD_EVERY == 0:
                await tab.reload()
            await self.tabs_ready.put(tab)

    return QuickKaleido


def _reason(err: Exception) -> str:
    message = str(err).splitlines()[0] if str(err) else type(err).__name__
    if any(w in f"{message} {type(err).__name__}".lower() for w in ("chrom", "browser")):
        return _HINT
    return f"the image could not be made ({message[:120]})"


def _run(coroutine, timeout: float | None = None):
    """Run ``coroutine`` on the browser's event loop and wait for its result."""
    return asyncio.run_coroutine_threadsafe(coroutine, _loop).result(timeout)


async def _started(options: dict):
    """An open browser, its page loaded; one that fails to open is closed again (not left running)."""
    browser = _quick_kaleido()(**options)
    try:
        await browser.open()
    except BaseException:
        with suppress(Exception):
            await asyncio.wait_for(browser.close(), 10)
        raise
    return browser


def _open_browser() -> None:
    """Start the browser and load its page, once per process; a failure is kept, so later images give its reason
    at once instead of each trying again.

    The browser runs on an event loop in a daemon thread of its own (as kaleido's own server does), so the threads
    it starts are daemons too and never hold up the end of the process; it is closed at exit."""
    global _loop, _browser, _failure
    if _browser is not None or _failure:
        return
    try:
        import kaleido  # noqa: F401
    except ImportError:
        _failure = "kaleido is not installed"
        return
    try:
        options: dict = {"mathjax": False, "n": 1}
        launcher = offline_browser()  # a full or read-only temporary folder fails here
        if launcher is not None:
            options["path"] = launcher
        if _loop is None:
            _loop = asyncio.new_event_loop()
            threading.Thread(target=_loop.run_forever, name="npt-coder-browser", daemon=True).start()
        _browser = _run(_started(options))
    except Exception as err:  # kaleido raises its own types when no browser can be started
        _failure = _reason(err)
        return
    # registered after the launcher's clean-up, so it runs before it: the browser is closed, then its folder removed
    atexit.register(_close_browser)


def _close_browser() -> None:
    """Close the browser (at exit, or after a failed image so that the next starts afresh); never an error."""
    global _browser
    browser, _browser = _browser, None
    if browser is None:
        return
    # Closing, choreographer can read the browser's last messages and its goodbye as one, and log the "JSON error"
    # with a traceback on stderr: nothing at this point is worth telling, so its log is silenced while it closes.
    log = logging.getLogger("choreographer")
    level = log.level
    log.setLevel(logging.CRITICAL + 1)
    try:
        _run(asyncio.wait_for(browser.close(), 10), timeout=15)
    except Exception:  # a browser that will not close cleanly is left to end with the process
        pass
    finally:
        log.setLevel(level)


def figure_png(figure, *, width: int = 1100, height: int = 600, scale: float = 2.0) -> tuple[bytes | None, str]:
    """``(png bytes, "")`` or ``(None, reason)`` when no static image can be made on this machine."""
    return figure_image(figure, format="png", width=width, height=height, scale=scale)


def _draw(figure, format: str, width: int, height: int, scale: float) -> tuple[bytes | None, str]:
    """One image, in the worker thread, as ``figure.to_image`` would ask kaleido for it."""
    _open_browser()
    if _failure:
        return None, _failure
    spec = figure.to_dict() if hasattr(figure, "to_dict") else dict(figure)
    from plotly.io import defaults

    opts = {"format": format, "width": width, "height": height, "scale": scale}
    try:
        return _run(_browser.calc_fig(spec, opts=opts, topojson=defaults.topojson)), ""
    except Exception as err:
        _close_browser()  # the page may hold what failed: the next image starts a fresh browser
        return None, _reason(err)


_worker: ThreadPoolExecutor | None = None
_ahead: dict[str, Future] = {}
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_in_child)


def _submit(fn, *args) -> Future:
    global _worker
    if _worker is None:
        _worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="npt-coder-images")
    return _worker.submit(fn, *args)


def _key(figure, format: str, width: int, height: int, scale: float) -> str:
    from plotly.io import to_json

    try:
        body = to_json(figure, validate=False)  # a figure or a figure dict, arrays written out in full
    except Exception:  # not a figure plotly can write: drawing it gives the reason, as outside drawing_ahead
        body = repr(figure)
    return hashlib.sha256(f"{format}|{width}|{height}|{scale}|{body}".encode("utf-8", "surrogatepass")).hexdigest()


def figure_image(figure, *, format: str = "png", width: int = 1100, height: int = 600,
                 scale: float = 2.0) -> tuple[bytes | None, str]:
    """``(image bytes, "")`` in ``format`` (png, svg or pdf), or ``(None, reason)`` when no static image can be
    made on this machine. An image :func:`drawing_ahead` is drawing is waited for, not drawn again."""
    return image_job(figure, format=format, width=width, height=height, scale=scale).result()


def image_job(figure, *, format: str = "png", width: int = 1100, height: int = 600, scale: float = 2.0) -> Future:
    """The image :func:`figure_image` returns, without waiting for it: a future of ``(bytes or None, reason)``."""
    job = _ahead.pop(_key(figure, format, width, height, scale), None) if _ahead else None
    return job if job is not None else _submit(_draw, figure, format, width, height, scale)


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
