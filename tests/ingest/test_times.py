"""Turn times wherever exports write them: on the label's line, on a line of their own before or after the label,
in brackets or parentheses, as m:ss, mm:ss or h:mm:ss. Each fixture is written here in the shape of a real export
(Otter, Google Meet, Zoom, Rev, Trint, hand-made), as plain text and as a Word file with one paragraph per line."""

from __future__ import annotations

import re

import pytest
from docx import Document

from npt_coder.ingest import read_text_source, read_transcript

TIME_LINE = re.compile(r"^\s*[\[(]?(?:\d{1,2}:)?\d{1,2}:\d{2}[\])]?\s*$")

# name: (text, [(speaker, start_time)], layout)
EXPORTS = {
    "otter_two_spaces": ("""Ward round pilot
Tue, Mar 12, 2024 10:02AM • 1:04:10

SPEAKERS
Interviewer, Speaker 2

Interviewer  0:02
So tell me how the pilot began on your ward.

Speaker 2  0:15
Well, it began with a spreadsheet and a lot of goodwill.

Interviewer  59:40
Looking back, what would you change?

Speaker 2  1:01:07
The handover sheet. It never settled.

Transcribed by https://otter.ai
""", [("Interviewer", 2.0), ("Speaker 2", 15.0), ("Interviewer", 3580.0), ("Speaker 2", 3667.0)], "otter"),
    "otter_copied_one_space": ("""Interviewer 0:02
So tell me how the pilot began on your ward.

Speaker 2 0:15
Well, it began with a spreadsheet.
Then the matron took it on.

Interviewer 1:02:15
And after that?
""", [("Interviewer", 2.0), ("Speaker 2", 15.0), ("Interviewer", 3735.0)], "otter"),
    "time_line_before_label": ("""00:00:02
Interviewer: Could you describe a normal morning?
00:00:09
Participant 4: I come in at seven and read the board.
It is the first thing everyone does.
00:05:00
Participant 4: Sorry, I lost my thread there.
01:00:03
Interviewer: We are nearly at time.
""", [("Interviewer", 2.0), ("Participant 4", 9.0), ("Participant 4", 300.0), ("Interviewer", 3603.0)], "labels"),
    "bracketed_time_alone_with_blank_lines": ("""[00:02]

Interviewer: Could you describe a normal morning?

[00:09]

P1: I come in at seven and read the board.

[12:40]

Interviewer: Thanks, that helps.
""", [("Interviewer", 2.0), ("P1", 9.0), ("Interviewer", 760.0)], "labels"),
    "time_line_after_label": ("""Interviewer:
00:00:02
Could you describe a normal morning?

Respondent 2:

0:09

I come in at seven.

I read the board first.

Interviewer:
1:00:03
Thank you.
""", [("Interviewer", 2.0), ("Respondent 2", 9.0), ("Interviewer", 3603.0)], "labels"),
    "rev_parentheses": ("""Speaker 1 (0:02):
Could you describe a normal morning?

Speaker 2 (00:09):
I come in at seven.

Speaker 1 (1:00:03): Thank you.
""", [("Speaker 1", 2.0), ("Speaker 2", 9.0), ("Speaker 1", 3603.0)], "rev"),
    "time_first_on_the_label_line": ("""0:02 Interviewer:
Could you describe a normal morning?

00:00:09 Sam Reid: I come in at seven.

1:00:03 Interviewer: Thank you.

1:00:10 Sam Reid: Pleasure.
""", [("Interviewer", 2.0), ("Sam Reid", 9.0), ("Interviewer", 3603.0), ("Sam Reid", 3610.0)], "timecode"),
    "time_line_then_name_line": ("""00:00:02
Interviewer
Could you describe a normal morning?

00:00:09
Speaker 2
I come in at seven.
Then the board.

01:00:03
Interviewer
Thank you.
""", [("Interviewer", 2.0), ("Speaker 2", 9.0), ("Interviewer", 3603.0)], "timeline"),
    "zoom_saved_captions": ("""[Alex Researcher] 10:02:15
Could you describe a normal morning?

[Sam Reid] 10:02:21
I come in at seven.

[Alex Researcher] 10:03:02
Thank you.
""", [("Alex Researcher", 36135.0), ("Sam Reid", 36141.0), ("Alex Researcher", 36182.0)], "bracket"),
}


def docx_lines(path, text):
    """A Word file with one paragraph per non-blank line, as Otter's and Teams' Word exports and text pasted into
    Word have it."""
    doc = Document()
    for line in text.splitlines():
        if line.strip():
            doc.add_paragraph(line)
    doc.save(path)
    return path


def assert_clean(t):
    for turn in t.turns:
        body = t.text[turn.start:turn.end]
        assert body == body.strip(), (turn.speaker, body)
        assert "\n\n" not in body or t.format == "txt", body  # Word paragraphs are joined by one line break
        assert not any(TIME_LINE.match(line) for line in body.split("\n")), body
        assert not TIME_LINE.match(body.split(" ")[0] if body else "x"), body  # no time left before the speech


@pytest.mark.parametrize("kind", ["txt", "docx"])
@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_every_layout_gives_speakers_times_and_clean_text(tmp_path, name, kind):
    text, expected, layout = EXPORTS[name]
    path = tmp_path / f"{name}.{kind}"
    if kind == "txt":
        path.write_text(text, encoding="utf-8")
    else:
        docx_lines(path, text)
    t = read_transcript(path)
    assert [(x.speaker, x.start_time) for x in t.turns] == expected
    assert t.layout == layout
    assert_clean(t)
    assert all(p.start < p.end for p in t.paragraphs if p.turn is not None)  # no empty paragraph segment


def test_speech_around_moved_times_is_kept_word_for_word():
    t = read_text_source(EXPORTS["time_line_after_label"][0], "x", sentences=False)
    assert [t.text[x.start:x.end] for x in t.turns] == [
        "Could you describe a normal morning?", "I come in at seven.\n\nI read the board first.", "Thank you."]
    t = read_text_source(EXPORTS["time_line_before_label"][0], "x", sentences=False)
    assert t.text[t.turns[1].start:t.turns[1].end] == "I come in at seven and read the board.\nIt is the first thing " \
                                                      "everyone does."
    assert [s.split(": ")[0] for s in t.text.split("\n") if ": " in s][:2] == ["Interviewer", "Participant 4"]


def test_name_and_time_on_one_line_is_never_the_label_name_0():
    t = read_text_source(EXPORTS["otter_copied_one_space"][0], "x", sentences=False)
    assert {x.speaker for x in t.turns} == {"Interviewer", "Speaker 2"}
    # a time straight after a label's colon is still the label's
    t = read_text_source("I:00:01:23 Hello there.\n\nP1:00:01:30 Hi.\n", "x", sentences=False)
    assert [(x.speaker, x.start_time, t.text[x.start:x.end]) for x in t.turns] == [
        ("I", 83.0, "Hello there."), ("P1", 90.0, "Hi.")]


def test_a_time_in_speech_stays_and_a_time_line_inside_a_turn_leaves_the_text():
    text = ("Interviewer: When does the shift start?\n\nP1: At 7:30 usually.\n\n00:05:00\n\nThen the board.\n\n"
            "Interviewer: And then?\n\nP1: Back at 11:00.\n")
    t = read_text_source(text, "x", sentences=False)
    assert [(x.speaker, x.start_time) for x in t.turns] == [("Interviewer", None), ("P1", None),
                                                            ("Interviewer", None), ("P1", None)]
    assert [t.text[x.start:x.end] for x in t.turns][1] == "At 7:30 usually.\n\nThen the board."
    assert t.text[t.turns[3].start:t.turns[3].end] == "Back at 11:00."


def test_one_speaker_named_once_does_not_take_a_time():
    # "Note:" opens one paragraph only: it is no speaker, so the time line before it is left to the text rules
    text = "Interviewer: Hello.\n\nP1: Hi.\n\n0:40\n\nNote: the recorder stopped here.\n"
    t = read_text_source(text, "x", sentences=False)
    assert [(x.speaker, x.start_time) for x in t.turns] == [("Interviewer", None), ("P1", None)]
    assert t.text[t.turns[1].start:t.turns[1].end] == "Hi.\n\nNote: the recorder stopped here."
