"""Drawing images never reaches the network: every verb that makes a static image runs under ``strace -f`` and no
process of it (Python, kaleido, Chromium and its helpers) connects to, or sends to, an address outside the machine.

``strace`` and Debian's ``chromium`` are installed by the set-up (``make``); the test asserts that they are there
rather than skipping, because without them the promise is untested.
"""

from __future__ import annotations

import ipaddress
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from npt_coder.render._images import OFFLINE_FLAGS, network_isolation, offline_browser

_ADDRESS = re.compile(r'inet_addr\("([^"]+)"\)|inet_pton\(AF_INET6, "([^"]+)"')
_CALL = re.compile(r"^\d+\s+(connect|sendto|sendmsg|sendmmsg)\((.*)$")


def outside_contacts(trace: str) -> list[str]:
    """The calls in an strace log where a process connected (successfully) or sent to a non-loopback address; a
    call strace split into ``<unfinished ...>`` and ``<... resumed>`` lines is joined first."""
    pending: dict[str, str] = {}
    calls = []
    for line in trace.splitlines():
        pid, _, rest = line.strip().partition(" ")
        if rest.startswith("<..."):  # "<... connect resumed>) = -1 EADDRNOTAVAIL"
            if pid in pending:
                calls.append(f"{pid} {pending.pop(pid)}{rest.split('resumed>', 1)[-1]}")
        elif rest.endswith("<unfinished ...>"):
            pending[pid] = rest[: -len("<unfinished ...>")].rstrip()
        else:
            calls.append(line.strip())
    found = []
    for call_line in calls:
        match = _CALL.match(call_line)
        if match is None:
            continue
        call, rest = match.groups()
        if call == "connect" and not re.search(r"\)\s*=\s*0\s*$", rest):
            continue  # a connect that failed reached nobody (in the browser's own network namespace they all do)
        for v4, v6 in _ADDRESS.findall(rest):
            address = ipaddress.ip_address(v4 or v6)
            if not (address.is_loopback or address.is_unspecified):
                found.append(call_line)
    return found


def test_the_trace_reader_sees_what_it_must():
    log = ('12 connect(5, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("10.255.255.53")}, 16) = 0\n'
           '13 connect(6, {sa_family=AF_INET6, sin6_port=htons(443), inet_pton(AF_INET6, "2001:4860:4860::8888", '
           '&sin6_addr), sin6_scope_id=0}, 28) = -1 EADDRNOTAVAIL (Cannot assign requested address)\n'
           '14 connect(7, {sa_family=AF_INET, sin_port=htons(9), sin_addr=inet_addr("127.0.0.1")}, 16) = 0\n'
           '15 sendto(8, "x", 1, 0, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("8.8.8.8")}, 16) = 1\n'
           '16 connect(9, {sa_family=AF_INET6, inet_pton(AF_INET6, "2001:db8::1", &sin6_addr)}, 28 <unfinished ...>\n'
           '17 connect(9, {sa_family=AF_INET6, inet_pton(AF_INET6, "2001:db8::2", &sin6_addr)}, 28 <unfinished ...>\n'
           '16 <... connect resumed>) = -1 EADDRNOTAVAIL (Cannot assign requested address)\n'
           '17 <... connect resumed>) = 0\n')
    assert [line.split()[0] for line in outside_contacts(log)] == ["12", "15", "17"]


def test_the_browser_is_started_offline():
    launcher = offline_browser()
    assert launcher is not None, "no Chromium on PATH: the set-up installs Debian's chromium"
    script = Path(launcher).read_text(encoding="utf-8")
    for flag in ("--disable-background-networking", "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server="):
        assert flag in script
    assert all(flag in OFFLINE_FLAGS for flag in ("--disable-component-update", "--disable-sync"))
    if network_isolation():
        assert script.split("exec ", 1)[1].startswith(" ".join(network_isolation()))
    # the profile is the launcher's own, given after kaleido's arguments so that it is the one Chromium uses
    last = shlex.split(script.strip().splitlines()[-1])[-1]
    assert last == f"--user-data-dir={Path(launcher).parent / 'profile'}"


def test_an_image_leaves_no_error_at_exit(tmp_path):
    """Drawing an image and exiting at once prints nothing on stderr (the browser's profile, still being written
    as the process ends, once made the removal of a temporary folder fail with a traceback)."""
    code = ("import plotly.graph_objects as go; from npt_coder.render._images import figure_png; "
            "data, why = figure_png(go.Figure(go.Bar(y=[1, 2]))); assert data, why")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr


VERBS = {
    "agree": ["agree", "--coders", "AK,JT", "--resamples", "0", "-o", "{out}/agreement.docx"],
    "themes": ["themes", "-o", "{out}/themes.docx"],
    "report": ["report", "-o", "{out}/study.docx"],
    "logic-model": ["logic-model", "render", "{model}", "-o", "{out}/model.png", "-o", "{out}/model.svg",
                    "-o", "{out}/model.pdf", "--evidence", "none"],
}


@pytest.mark.parametrize("verb", sorted(VERBS))
def test_verbs_that_draw_images_stay_on_the_machine(verb, marked_up_study, tmp_path, demo_dir):
    strace = shutil.which("strace")
    assert strace is not None, "strace is not installed: the set-up installs it (Debian package strace)"
    log = tmp_path / "trace.log"
    args = [a.format(out=tmp_path, model=demo_dir / "logic_models" / "risk_model.yaml") for a in VERBS[verb]]
    done = subprocess.run([strace, "-f", "-qq", "-e", "trace=connect,sendto,sendmsg,sendmmsg", "-o", str(log),
                           sys.executable, "-m", "npt_coder", *args, "-p", str(marked_up_study.root)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    written = [p for p in tmp_path.iterdir() if p.name != "trace.log"]
    assert written and all(p.stat().st_size > 0 for p in written)
    assert outside_contacts(log.read_text(encoding="utf-8", errors="replace")) == []
