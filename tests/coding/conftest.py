import pytest

import npt_coder as nc
from npt_coder.services import add_transcripts

TEXT_A = ("Title\n\nInterviewer: How did the front door start?\n\n"
          "P01: It started small. Then it grew quickly.\n\nWe learned a lot about consent.\n\n"
          "Interviewer: And now?\n\nP01: Now it is routine. Everyone expects it.\n")
TEXT_B = "I: What about IT?\n\nR: The systems do not talk to each other. Double entry every day.\n"


@pytest.fixture
def project(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "T1.txt").write_text(TEXT_A, encoding="utf-8")
    (src / "T2.txt").write_text(TEXT_B, encoding="utf-8")
    p = nc.init_project(tmp_path / "study")
    add_transcripts(p, [src / "T1.txt", src / "T2.txt"])
    return p


def span(project, tid, quote):
    text = project.transcript_text(tid)
    start = text.index(quote)
    return start, start + len(quote)


@pytest.fixture
def spans(project):
    return lambda tid, quote: span(project, tid, quote)
