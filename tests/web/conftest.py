"""A small study made in the test (two transcripts, two coders, one of them with a <script> in its text) and a
real workbench server on a loopback port for it."""

from __future__ import annotations

import socket
import threading
import time

import httpx
import pandas as pd
import pytest

import npt_coder as nc
from npt_coder.coding import import_codings
from npt_coder.services import add_transcripts

LOW_COST = 2**12  # scrypt cost for test members; the shipped cost is asserted in test_team.py

T1 = """Workbench test study: interview A01

INT: What did the new front door change for you?

A01: Mostly the speed. We used to wait days for a call back, and now the police and health checks come back the same morning.

The other change is the language. People talk about need now, not only about risk, although I am not sure the practice has caught up.

INT: And the consent conversations?

A01: Those take time. A call to a parent can be forty minutes, and it often is, because the family did not expect us to ring.
"""

T2 = """Workbench test study: interview B02

INT: Anything else to tell us?

B02: Only that somebody typed <script>alert('x')</script> into the shared notes once, and that café staff said it was “a bit much” 😀.
"""


def _turn_start(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return start, start + len(words)


def make_study(root) -> nc.Project:
    folder = root / "files"
    folder.mkdir()
    (folder / "S1_A01.txt").write_text(T1, encoding="utf-8")
    (folder / "S2_B02.txt").write_text(T2, encoding="utf-8")
    project = nc.init_project(root / "study")
    add_transcripts(project, [folder / "S1_A01.txt", folder / "S2_B02.txt"], name_pattern="{site}_{participant}",
                    attributes={"method": "interview"}, nlp=None, accept_flagged=True, who="test")
    text = project.transcript_text("S1_A01")
    speed = _turn_start(text, "Mostly the speed.")
    lang = _turn_start(text, "People talk about need now")
    consent = _turn_start(text, "Those take time.")
    rows = [("AK", "M3.1", *speed), ("JT", "M3.1", *speed),     # agreed
            ("AK", "C4", *lang), ("JT", "M1.1", *lang),         # a disagreement
            ("AK", "M2.4", *consent)]                           # AK only: another disagreement
    for coder in ("AK", "JT"):
        mine = pd.DataFrame([r for r in rows if r[0] == coder], columns=["coder", "code_id", "start", "end"])
        import_codings(project, mine.assign(transcript_id="S1_A01"), source="csv", source_name=f"{coder}.csv",
                       who="test")
    return project


@pytest.fixture
def study(tmp_path) -> nc.Project:
    return make_study(tmp_path)


@pytest.fixture
def suggested(study) -> nc.Project:
    """The study with suggested codes on S2_B02 (the transcript AK has not coded), learnt from AK's coding of
    S1_A01 (TF-IDF, a low threshold so that every code AK used is suggested)."""
    result = nc.assist.suggest(study, learn_from=["AK"], model="tfidf", threshold=0.01)
    assert result.transcripts == ("S2_B02",) and len(result.suggestions) >= 2
    return study


class Server:
    """A workbench served by uvicorn on 127.0.0.1 in a thread, for one test."""

    def __init__(self, app):
        import uvicorn

        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.app = app
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)
        self.thread.start()
        for _ in range(200):
            if self.server.started:
                break
            time.sleep(0.02)

    def client(self, **kw) -> httpx.Client:
        return httpx.Client(base_url=self.base, **kw)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.sock.close()


@pytest.fixture
def serve():
    started: list[Server] = []

    def start(project, **kw) -> Server:
        from npt_coder.web import create_app

        s = Server(create_app(project, **kw))
        started.append(s)
        return s

    yield start
    for s in started:
        s.stop()


@pytest.fixture
def local(study, serve):
    """Local mode: (server, client with the token's session cookie, csrf header ready)."""
    s = serve(study, token="local-test-token")
    c = s.client()
    r = c.get("/?token=local-test-token", follow_redirects=False)
    assert r.status_code == 303
    c.cookies.set("npt_coder", "AK")
    page = c.get("/").text
    csrf = page.split('name="csrf-token" content="')[1].split('"')[0]
    c.headers["X-CSRF-Token"] = csrf
    yield s, c
    c.close()
