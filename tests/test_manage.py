"""Managing transcripts after add: attrs set/import, remove, replace; add's duplicate and attribute warnings; where the
anonymisation check's findings are; show --layout. Through the services and the CLI."""

from __future__ import annotations

import json
import random
import sqlite3

import pandas as pd
import pytest
from typer.testing import CliRunner

import npt_coder as nc
from npt_coder.cli import app
from npt_coder.errors import AnonymisationError, ProjectError
from npt_coder.ingest import align
from npt_coder.services import (add_transcripts, import_attributes, remove_transcript, replace_transcript,
                                set_attributes)

TEXT = ("Interviewer: How did the hub start?\n\nP07: It started small. We had two desks.\n\n"
        "Interviewer: And the forms?\n\nP07: The forms are endless. Nobody reads them.\n")
CORRECTED = ("Interviewer: How did the hub start?\n\nP07: It started small. We had three desks.\n\n"
             "Interviewer: And the forms?\n\nP07: The forms are endless. Nobody reads them.\n\nInterviewer: Thanks.\n")
COLS = ["transcript_id", "coder", "code_id", "start", "end", "memo"]


def counts(p) -> tuple:
    conn = sqlite3.connect(p.db_path)
    try:
        return tuple(conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                     for t in ("transcripts", "codings", "batches", "segments", "transcript_versions"))
    finally:
        conn.close()


@pytest.fixture
def study(tmp_path):
    (tmp_path / "P07.txt").write_text(TEXT, encoding="utf-8")
    p = nc.init_project(tmp_path / "study")
    add_transcripts(p, [tmp_path / "P07.txt"], attributes={"site": "S1"}, nlp=None)
    return p


def code(p, *rows):
    """Import (quote, code, coder, memo) rows as one batch."""
    text = p.transcript_text("P07")
    spans = [(q, text.index(q)) for q, *_ in rows]
    nc.coding.import_codings(p, pd.DataFrame([("P07", who, cid, s, s + len(q), memo) for (q, s), (_, cid, who, memo)
                                              in zip(spans, rows)], columns=COLS), source="csv")


def test_align_carries_spans_across_local_edits():
    al = align(TEXT, CORRECTED)
    s = TEXT.index("The forms are endless.")
    assert CORRECTED[slice(*al.exact(s, s + 22))] == "The forms are endless."
    t = TEXT.index("two desks")
    assert al.exact(t, t + 9) is None and al.span(t, t + 9) is not None  # edited text is not carried exactly
    assert align("abc", "abc").forward.tolist() == [0, 1, 2]
    assert align("", "x").span(0, 1) is None
    # a wholly different text (the wrong file given to replace) is given up on, not searched for ever
    rng = random.Random(7)
    one, other = ("".join(rng.choice(letters) for _ in range(60_000)) for letters in ("abcdefgh ", "stuvwxyz "))
    assert (align(one, other).forward == -1).all()


def test_attrs_set_and_import(study, tmp_path):
    assert set_attributes(study, "P07", {"role": "family worker", "site": "S2"}) == {
        "role": [None, "family worker"], "site": ["S1", "S2"]}
    assert set_attributes(study, "P07", {"role": ""}) == {"role": ["family worker", None]}
    row = study.transcripts.set_index("transcript_id").loc["P07"]
    assert row["site"] == "S2" and ("role" not in row or pd.isna(row["role"]))
    (tmp_path / "attrs.csv").write_text("file,participant,method\nP07.txt,P07,interview\n", encoding="utf-8")
    assert import_attributes(study, tmp_path / "attrs.csv") == {
        "P07": {"participant": [None, "P07"], "method": [None, "interview"]}}
    assert set(study.history()["kind"]) >= {"attributes"}
    before = counts(study)
    (tmp_path / "bad.csv").write_text("transcript_id,site\nP07,S3\nP99,S4\n", encoding="utf-8")
    with pytest.raises(ProjectError, match=r"bad.csv: 1 row names no transcript of this project \(row 3\)"):
        import_attributes(study, tmp_path / "bad.csv")
    assert counts(study) == before and study.transcripts["site"].tolist() == ["S2"]
    with pytest.raises(ProjectError, match="no transcript 'P99'"):
        set_attributes(study, "P99", {"site": "S1"})


def test_remove_is_refused_with_codings_and_keeps_them_in_history(study, tmp_path):
    code(study, ("It started small.", "M1.1", "AK", ""))
    before = counts(study)
    with pytest.raises(ProjectError, match=r"P07 has 1 coding;.*--with-codings"):
        remove_transcript(study, "P07")
    assert counts(study) == before
    assert remove_transcript(study, "P07", with_codings=True) == 1
    assert study.transcripts.empty and study.codings.empty and study.segments("turn").empty
    kept = study.transcript_versions
    assert kept[["transcript_id", "kind", "n_codings"]].values.tolist() == [["P07", "removed", 1]]
    assert kept["text"][0] == study_text(tmp_path)
    # the same file can come back afterwards
    again = add_transcripts(study, [tmp_path / "P07.txt"], attributes={"site": "S1"}, nlp=None)
    assert again.added == ["P07"]


def study_text(tmp_path):
    return nc.read_transcript(tmp_path / "P07.txt").text


def test_replace_carries_unchanged_codings(study, tmp_path):
    code(study, ("It started small.", "M1.1", "AK", "origin"), ("We had two desks.", "C2", "AK", ""),
         ("The forms are endless.", "M3.1", "JT", ""))
    (tmp_path / "fixed.txt").write_text(CORRECTED, encoding="utf-8")
    r = replace_transcript(study, "P07", tmp_path / "fixed.txt", nlp=None)
    assert r.carried == 2 and [(c[1], c[2]) for c in r.not_carried] == [("AK", "C2")]
    text = study.transcript_text("P07")
    assert "three desks" in text
    got = {(text[s:e], c, who, m or "") for s, e, c, who, m
           in study.codings[["start", "end", "code_id", "coder", "memo"]].itertuples(index=False)}
    assert got == {("It started small.", "M1.1", "AK", "origin"), ("The forms are endless.", "M3.1", "JT", "")}
    assert study.transcripts.set_index("transcript_id").loc["P07", "site"] == "S1"
    assert len(study.segments("turn")) == 5
    old = study.transcript_versions
    assert old["kind"].tolist() == ["replaced"] and "two desks" in old["text"][0]
    superseded = study.coding_table("P07", include_superseded=True)
    assert superseded["superseded_by"].notna().sum() == 3  # all three originals kept, superseded by the replace
    with pytest.raises(ProjectError, match="nothing to replace"):
        replace_transcript(study, "P07", tmp_path / "fixed.txt", nlp=None)


def test_replace_goes_through_the_anonymisation_check(study, tmp_path):
    (tmp_path / "leaky.txt").write_text(CORRECTED + "\nP07: Call me on 07700 900123.\n", encoding="utf-8")
    before = counts(study)
    with pytest.raises(AnonymisationError, match=r"nothing was replaced\. Where: P07 phone at \d+-\d+ \(line 11, "
                                                 r"column 17\)"):
        replace_transcript(study, "P07", tmp_path / "leaky.txt", nlp=None)
    assert counts(study) == before


def test_add_recognises_a_known_file_before_the_check_and_warns_without_attributes(tmp_path):
    leaky = tmp_path / "S1_P03.txt"
    leaky.write_text("Interviewer: Hello.\n\nP03: Ring 07700 900123 or mail a.person@example.org.\n",
                     encoding="utf-8")
    p = nc.init_project(tmp_path / "p")
    first = add_transcripts(p, [leaky], nlp=None, accept_flagged=True)
    assert [t for t, _ in first.warnings] == ["S1_P03"] and "no attributes at all" in first.warnings[0][1]
    again = add_transcripts(p, [leaky], nlp=None)  # no --accept-flagged: the file is known, so no check fails
    assert again.added == [] and again.duplicates == [("S1_P03.txt", "S1_P03")]


def test_findings_name_their_line_and_column(tmp_path):
    path = tmp_path / "S1_P03.txt"
    path.write_bytes("Title\r\n\r\nInterviewer: Hello.\r\n\r\nP03: Ring me on 07700 900123 please.\r\n".encode())
    p = nc.init_project(tmp_path / "p")
    with pytest.raises(AnonymisationError) as err:
        add_transcripts(p, [path], nlp=None)
    text = nc.read_transcript(path).text
    start = text.index("07700")
    assert f"S1_P03 phone at {start}-{start + 12} (line 5, column 17)" in str(err.value)
    assert "900123" not in str(err.value)


# -- the CLI ------------------------------------------------------------------------------------------------------------

def run(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


def test_cli_manage_verbs(study, tmp_path):
    code(study, ("It started small.", "M1.1", "AK", ""))
    r = run("attrs", "set", "P07", "role=police", "site=", "--project", study.root)
    assert r.exit_code == 0 and r.output.strip() == "P07: role: - -> police, site: S1 -> -"
    r = run("remove", "P07", "--project", study.root)
    assert r.exit_code == 1 and r.output.startswith("error: transcript P07 has 1 coding")
    (tmp_path / "fixed.txt").write_text(CORRECTED, encoding="utf-8")
    r = run("replace", "P07", tmp_path / "fixed.txt", "--no-ner", "--project", study.root)
    assert r.exit_code == 0, r.output
    assert "1 coding carried over, 0 could not be" in r.output
    r = run("show", "P07", "--layout", "--project", study.root)
    assert r.exit_code == 0 and r.output.splitlines()[0].startswith("layout: labels (")
    shown = json.loads(run("show", "P07", "--layout", "--json", "--project", study.root).output)
    assert shown["layout"] == "labels" and shown["n_headers"] == 5
    r = run("remove", "P07", "--with-codings", "--project", study.root)
    assert r.exit_code == 0 and "kept in the history" in r.output
    assert run("attrs", "set", "P07", "x=1", "--project", study.root).output.startswith("error: no transcript")


def test_cli_add_prints_warnings_and_layout_in_list(tmp_path):
    p = nc.init_project(tmp_path / "p")
    (tmp_path / "auto.srt").write_text("1\n00:00:01,000 --> 00:00:02,000\nHello there.\n", encoding="utf-8")
    r = run("add", tmp_path / "auto.srt", "--no-ner", "--project", p.root)
    assert r.exit_code == 0, r.output
    assert "warning: auto: no speaker labels" in r.output and "warning: auto: added with no attributes" in r.output
    listing = json.loads(run("list", "--json", "--project", p.root).output)
    assert listing[0]["layout"] == "unlabelled"


def test_speaker_attribute_renames_the_unnamed_speaker_later(tmp_path):
    p = nc.init_project(tmp_path / "p")
    (tmp_path / "auto.srt").write_text("1\n00:00:01,000 --> 00:00:02,000\nHello there.\n", encoding="utf-8")
    add_transcripts(p, [tmp_path / "auto.srt"], attributes={"site": "S1"}, nlp=None)
    assert set(p.segments("turn")["speaker"]) == {"Speaker"}
    set_attributes(p, "auto", {"speaker": "P12"})
    assert set(p.segments("sentence")["speaker"]) == {"P12"} and p.layout_of("auto")[1]["speakers"] == ["P12"]
    set_attributes(p, "auto", {"speaker": ""})
    assert set(p.segments("turn")["speaker"]) == {"Speaker"}


def test_findings_in_a_word_file_name_their_paragraph(tmp_path, docx_factory):
    path = docx_factory("S1_P05.docx", ["Interview notes", "Interviewer: Hello.", "",
                                        "P05: Ring me on 07700 900123 please."])
    p = nc.init_project(tmp_path / "p")
    with pytest.raises(AnonymisationError, match=r"S1_P05 phone at \d+-\d+ \(paragraph 3\)"):
        add_transcripts(p, [path], nlp=None)
