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
"""

from __future__ import annotations

import atexit
import os
import shlex
import shutil
import stat
import subprocess
import tempfile
from functools import lru_cache
import warnings
from pathlib import Path

__all__ = ["OFFLINE_FLAGS", "figure_image", "figure_png", "offline_browser"]

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
