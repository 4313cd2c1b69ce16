"""A small double-coded study whose transcript text carries markup, for the renderer tests."""

from __future__ import annotations

import pandas as pd
import pytest

import npt_coder as nc
from npt_coder.coding import import_codings
from npt_coder.services import add_transcripts

PAYLOAD = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
QUOTE = f"We trust the police now and I typed {PAYLOAD} into the shared notes by mistake."
INTERVIEWS = {
    "S1_P01": f"Interviewer: What about trust?\n\nP01: {QUOTE}\n\nInterviewer: And the meeting?\n\n"
              "P01: The daily meeting is routine now.\n",
    "S2_P02": "Interviewer: What about trust?\n\nP02: Trust is better than it was.\n\nInterviewer: Anything else?\n\n"
              "P02: The meeting is the backbone of the week.\n",
}
ATTRIBUTES = """file,transcript_id,site,participant,role,method
S1_P01.txt,S1_P01,S1,P01,social care,interview
S2_P02.txt,S2_P02,S2,P02,police,interview
"""


@pytest.fixture(scope="session")
def marked_up_study(tmp_path_factory) -> nc.Project:
    """Two interviews, coded by AK and JT (who disagree on one paragraph); one quote contains :data:`PAYLOAD`."""
    root = tmp_path_factory.mktemp("render_study")
    src = root / "src"
    src.mkdir()
    for tid, text in INTERVIEWS.items():
        (src / f"{tid}.txt").write_text(text, encoding="utf-8")
    (src / "attributes.csv").write_text(ATTRIBUTES, encoding="utf-8")
    p = nc.init_project(root / "study")
    add_transcripts(p, [src / f"{tid}.txt" for tid in INTERVIEWS], attributes_table=src / "attributes.csv")
    rows = []
    for coder, codes in (("AK", [("S1_P01", "M3.3", QUOTE), ("S1_P01", "M3.1", "The daily meeting is routine now."),
                                 ("S2_P02", "M3.3", "Trust is better than it was.")]),
                         ("JT", [("S1_P01", "M3.3", QUOTE), ("S2_P02", "M3.3", "Trust is better than it was."),
                                 ("S2_P02", "O4", "The meeting is the backbone of the week.")])):
        for tid, code_id, quote in codes:
            start = p.transcript_text(tid).index(quote)
            rows.append({"transcript_id": tid, "coder": coder, "code_id": code_id, "start": start,
                         "end": start + len(quote)})
    frame = pd.DataFrame(rows)
    for coder, sub in frame.groupby("coder"):
        import_codings(p, sub.reset_index(drop=True), source="csv", source_name=f"{coder}.csv")
    return p
