"""The workbench's retrieval page marks passages from a transcript added with --accept-flagged, and says why."""

from __future__ import annotations

import pandas as pd

from npt_coder.coding import import_codings
from npt_coder.services import add_transcripts
from npt_coder.themes import FLAG_MARK, FLAG_NOTE

FLAGGED = ("INT: How do families reach you?\n\nP03: They ring the duty line on 07700 900123 and we call back the "
           "same day.\n")


def test_retrieve_page_marks_a_flagged_passage(study, serve, tmp_path):
    path = tmp_path / "S3_C03.txt"
    path.write_text(FLAGGED, encoding="utf-8")
    add_transcripts(study, [path], attributes={"site": "S3", "participant": "C03"}, nlp=None, accept_flagged=True)
    text = study.transcript_text("S3_C03")
    start = text.index("They ring")
    import_codings(study, pd.DataFrame({"transcript_id": ["S3_C03"], "coder": ["AK"], "code_id": ["M3.1"],
                                        "start": [start], "end": [start + 20]}), source="csv", source_name="f.csv")
    s = serve(study, token="local-test-token")
    with s.client() as c:
        assert c.get("/?token=local-test-token", follow_redirects=False).status_code == 303
        c.cookies.set("npt_coder", "AK")
        page = c.get("/retrieve", params={"codes": "M3.1"}).text
        assert f"S3, C03 {FLAG_MARK})" in page and FLAG_NOTE.split(" (")[0] in page
        unmarked = c.get("/retrieve", params={"q": "police"}).text  # a passage of a clean transcript only
        assert FLAG_MARK not in unmarked.split('<ol class="passages">')[1]
        assert FLAG_NOTE.split(" (")[0] not in unmarked
