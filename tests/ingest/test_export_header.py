"""The header Teams and Otter write above a transcript (title, recording date and time, duration) is metadata: the
date and duration become attributes and leave the text the anonymisation check reads; a date anyone says in a turn
is still flagged. Fixtures are written here in the shape of the tools' exports."""

from __future__ import annotations

import json

import pytest
from docx import Document
from typer.testing import CliRunner

from npt_coder.anon import find_identifiers
from npt_coder.cli import app
from npt_coder.ingest import HEADER_ATTRIBUTES, read_text_source, read_transcript

TEAMS_LINES = [
    "Interview 3-20240312_100215-Meeting Recording",
    "March 12, 2024, 10:02AM",
    "42m 10s",
    "Alex Researcher   0:03",
    "Thanks for joining. Is it all right to record?",
    "Participant 3   0:09",
    "Yes, that is fine.",
    "Alex Researcher   0:15",
    "How long have you worked on the unit?",
    "Participant 3   0:21",
    "About six years, on and off.",
]

OTTER = """Unit interview three
Tue, Mar 12, 2024 10:02AM • 42:10

SUMMARY KEYWORDS
unit, handover, rota

SPEAKERS
Interviewer, Speaker 2

Interviewer  0:02
How long have you worked on the unit?

Speaker 2  0:11
About six years, on and off.

Interviewer  0:30
And before that?

Transcribed by https://otter.ai
"""


def teams_docx(path, lines=TEAMS_LINES):
    """Teams' Word export: a paragraph per line of the header, then each turn's header and speech."""
    doc = Document()
    for line in lines:
        doc.add_paragraph(line)
    doc.save(path)
    return path


def findings(t):
    return find_identifiers(t.text, nlp=None, skip_spans=t.label_spans())


def test_teams_word_export_header_is_metadata(tmp_path):
    t = read_transcript(teams_docx(tmp_path / "interview3.docx"))
    assert t.layout == "teams"
    assert t.attributes == {"recorded": "2024-03-12 10:02", "duration": "0:42:10"}
    assert t.text[slice(*t.front_matter)] == "Interview 3-20240312_100215-Meeting Recording"  # the title stays
    assert "March 12" not in t.text and "42m" not in t.text
    assert [(x.speaker, x.start_time) for x in t.turns] == [
        ("Alex Researcher", 3.0), ("Participant 3", 9.0), ("Alex Researcher", 15.0), ("Participant 3", 21.0)]
    assert len(findings(t)) == 0


@pytest.mark.parametrize("kind", ["txt", "docx"])
def test_otter_header_is_metadata(tmp_path, kind):
    path = tmp_path / f"otter.{kind}"
    if kind == "txt":
        path.write_text(OTTER, encoding="utf-8")
    else:
        teams_docx(path, [ln for ln in OTTER.splitlines() if ln.strip()])
    t = read_transcript(path)
    assert t.layout == "otter"
    assert t.attributes == {"recorded": "2024-03-12 10:02", "duration": "0:42:10"}
    front = t.text[slice(*t.front_matter)]
    assert front.startswith("Unit interview three") and "2024" not in front and "SUMMARY KEYWORDS" in front
    assert [x.start_time for x in t.turns] == [2.0, 11.0, 30.0]
    assert len(findings(t)) == 0


@pytest.mark.parametrize("date_line, duration_line, recorded, duration", [
    ("12 March 2024, 14:02", "1h 2m 5s", "2024-03-12 14:02", "1:02:05"),  # Teams in a day-month locale
    ("March 1, 2024, 9:05 PM", "58s", "2024-03-01 21:05", "0:00:58"),
    ("Wednesday, 13 March 2024 12:15 AM • 1:05:09", None, "2024-03-13 00:15", "1:05:09"),
    ("Sept 3, 2023 at 8:00am", "5m", "2023-09-03 08:00", "0:05:00"),
])
def test_date_and_duration_forms(date_line, duration_line, recorded, duration):
    head = "\n".join(x for x in ["Team meeting", date_line, duration_line] if x)
    t = read_text_source(f"{head}\n\nI: Shall we begin?\n\nP1: Yes.\n", "x", sentences=False)
    assert t.attributes == {"recorded": recorded, "duration": duration}
    assert t.text.startswith("Team meeting\n\nI: Shall we begin?")


def test_webvtt_header_block_gives_the_attributes(tmp_path):
    path = tmp_path / "meeting.vtt"
    path.write_text("WEBVTT\nInterview 3-Meeting Recording\nMarch 12, 2024, 10:02AM\n42m 10s\n\n"
                    "00:00:03.000 --> 00:00:06.000\n<v Alex Researcher>Thanks for joining.</v>\n\n"
                    "00:00:07.000 --> 00:00:09.000\n<v Participant 3>Happy to help.</v>\n", encoding="utf-8")
    t = read_transcript(path)
    assert t.attributes == {"recorded": "2024-03-12 10:02", "duration": "0:42:10"}
    assert [x.speaker for x in t.turns] == ["Alex Researcher", "Participant 3"]


def test_a_given_attribute_wins_over_the_header(tmp_path):
    t = read_transcript(teams_docx(tmp_path / "i.docx"), attributes={"recorded": "spring 2024", "site": "S1"})
    assert t.attributes == {"recorded": "spring 2024", "site": "S1", "duration": "0:42:10"}


def test_a_date_someone_says_is_still_flagged():
    text = ("Team meeting\nMarch 12, 2024, 10:02AM\n\nInterviewer: When is your next appointment?\n\n"
            "P1: On March 19, 2024, at the clinic.\n\nInterviewer: March 12, 2024, 10:02AM\n")
    t = read_text_source(text, "x", sentences=False)
    assert t.attributes == {"recorded": "2024-03-12 10:02"}
    dates = findings(t).query("type == 'date'")
    assert len(dates) == 2 and set(dates["severity"]) == {"high"}
    turn_spans = [(x.start, x.end) for x in t.turns]
    assert all(any(a <= s < b for a, b in turn_spans) for s in dates["start"])  # both inside turns


@pytest.mark.parametrize("text", [
    # not a real date: left in the text, and checked there
    "Team meeting\nFebruary 30, 2024, 10:02AM\n\nI: Hello.\n\nP1: Hi.\n",
    # below the header's few lines: a line of the transcript, not the tool's header
    "Team meeting\nSite visit notes\nSecond draft\nReviewed\nMarch 12, 2024, 10:02AM\n\nI: Hello.\n\nP1: Hi.\n",
    # the first turn at the top of the file: speech, not a header
    "I: March 12, 2024, 10:02AM is when we met.\n\nP1: Yes.\n",
])
def test_what_is_not_a_header_stays_text(text):
    t = read_text_source(text, "x", sentences=False)
    assert not set(HEADER_ATTRIBUTES) & set(t.attributes)
    assert len(findings(t).query("type == 'date'")) == 1


def test_add_prints_no_finding_for_the_headers(tmp_path):
    runner = CliRunner()
    study = tmp_path / "study"
    assert runner.invoke(app, ["init", str(study)]).exit_code == 0
    teams = teams_docx(tmp_path / "T03.docx")
    otter = tmp_path / "T04.txt"
    otter.write_text(OTTER, encoding="utf-8")
    result = runner.invoke(app, ["add", str(teams), str(otter), "--no-ner", "-p", str(study)])
    assert result.exit_code == 0, result.output
    assert "added 2 transcripts" in result.output and "identifier" not in result.output
    assert "no attributes at all" in result.output  # a recording date says nothing of the case
    listing = json.loads(runner.invoke(app, ["list", "--json", "-p", str(study)]).output)
    assert {(r["transcript_id"], r["recorded"], r["duration"]) for r in listing} == {
        ("T03", "2024-03-12 10:02", "0:42:10"), ("T04", "2024-03-12 10:02", "0:42:10")}
    checks = json.loads(runner.invoke(app, ["check-anon", "--no-ner", "-p", str(study), "--format", "json"]).output)
    assert checks["findings"] == []
    leaky = tmp_path / "T05.txt"
    leaky.write_text(OTTER.replace("About six years, on and off.", "Since 4 May 2018, when I moved."),
                     encoding="utf-8")
    refused = runner.invoke(app, ["add", str(leaky), "--no-ner", "-p", str(study)])
    assert refused.exit_code == 1 and "1 date" in refused.output and "May" not in refused.output
