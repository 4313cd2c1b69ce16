"""Layouts as transcripts really arrive (Otter, Zoom, Teams, Rev, Trint/Descript, bracketed ids, legends, captions,
.odt), each in files written here in the real layout's shape."""

from __future__ import annotations

import codecs
import zipfile

import pytest
from docx import Document

from npt_coder.errors import IngestError
from npt_coder.ingest import (LAYOUTS, UNNAMED_SPEAKER, IngestOptions, read_text_source, read_transcript,
                               read_transcript_bytes)


def turns(t):
    return [(x.speaker, t.text[x.start:x.end]) for x in t.turns]


def write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def word(tmp_path, name, paragraphs):
    """A .docx with one paragraph per item; '\\n' inside an item is a line break in that paragraph (as Teams and
    Otter write a header and its speech)."""
    doc = Document()
    for para in paragraphs:
        p = doc.add_paragraph()
        lines = para.split("\n")
        run = p.add_run(lines[0])
        for line in lines[1:]:
            run.add_break()
            run = p.add_run(line)
    path = tmp_path / name
    doc.save(path)
    return path


OTTER = """Hub interview P07

SUMMARY KEYWORDS
hub, front door, consent, early help

SPEAKERS
P07, Alex Researcher

Alex Researcher  0:03
Thanks for making time. How did the front door start for you?

P07  0:21
It started small, with two of us in a room.
Then it grew quickly.

Alex Researcher  59:58
And where is it now?

P07  1:00:04
Now it is routine; everyone expects it.

Transcribed by https://otter.ai
"""


@pytest.mark.parametrize("kind", ["txt", "docx"])
def test_otter_export(tmp_path, kind):
    if kind == "txt":
        path = write(tmp_path, "P07_otter.txt", OTTER)
    else:  # Otter's Word export: one paragraph per line, blank lines dropped
        path = word(tmp_path, "P07_otter.docx", [ln for ln in OTTER.splitlines() if ln.strip()])
    t = read_transcript(path)
    assert t.layout == "otter"
    assert turns(t) == [
        ("Alex Researcher", "Thanks for making time. How did the front door start for you?"),
        ("P07", "It started small, with two of us in a room.\nThen it grew quickly."),
        ("Alex Researcher", "And where is it now?"),
        ("P07", "Now it is routine; everyone expects it."),
    ]
    assert {x.speaker for x in t.turns} == {"P07", "Alex Researcher"}  # no "P07  07"-style speakers
    assert [x.start_time for x in t.turns] == [3.0, 21.0, 3598.0, 3604.0]  # h:mm:ss past an hour
    assert "otter.ai" not in t.text and t.layout_info["dropped"] == {"Otter.ai trailer": 1}
    assert t.layout_info["speakers"][:2] == ["P07", "Alex Researcher"]  # from the SPEAKERS line
    assert "SUMMARY KEYWORDS" in t.text[slice(*t.front_matter)]


ZOOM = """user avatar
Alex Researcher
00:00:03
Thanks for joining. Shall we start with the hub?
user avatar
Unknown Speaker
00:00:09
Yes.
user avatar
Sam
00:00:12
We moved in last spring.
It took a while to settle.
user avatar
Alex Researcher
00:01:40
What changed?
"""


def test_zoom_web_transcript(tmp_path):
    t = read_transcript(write(tmp_path, "zoom.txt", ZOOM))
    assert t.layout == "zoom"
    assert turns(t) == [("Alex Researcher", "Thanks for joining. Shall we start with the hub?"),
                        ("Unknown Speaker", "Yes."), ("Sam", "We moved in last spring.\nIt took a while to settle."),
                        ("Alex Researcher", "What changed?")]
    assert [x.start_time for x in t.turns] == [3.0, 9.0, 12.0, 100.0]
    assert "avatar" not in t.text and t.layout_info["dropped"] == {"user avatar": 4}


def test_teams_word_export(tmp_path):
    path = word(tmp_path, "teams.docx", [
        "Hub interview 12 March", "Alex Researcher   0:03\nThanks for joining.",
        "Sam Okafor   0:10\nHappy to.\nWhere do I start?", "Alex Researcher   1:02\nAnywhere you like."])
    t = read_transcript(path)
    assert t.layout == "teams"
    assert turns(t) == [("Alex Researcher", "Thanks for joining."), ("Sam Okafor", "Happy to.\nWhere do I start?"),
                        ("Alex Researcher", "Anywhere you like.")]
    assert t.turns[2].start_time == 62.0


@pytest.mark.parametrize("text, layout", [
    ("Speaker 1 (00:01:23):\nHow did it start?\n\nSpeaker 2 (00:01:30):\nSmall.\n\nSpeaker 1 (00:02:05): And now?\n",
     "rev"),
    ("00:01:23 Alex Researcher:\nHow did it start?\n\n00:01:30 Sam:\nSmall.\n\n00:02:05 Alex Researcher: And now?\n",
     "timecode"),
])
def test_rev_and_timecode_headers(tmp_path, text, layout):
    t = read_transcript(write(tmp_path, f"{layout}.txt", text))
    assert t.layout == layout
    assert [s for s, _ in turns(t)][1:] == [["Speaker 2", "Sam"][layout == "timecode"],
                                              ["Speaker 1", "Alex Researcher"][layout == "timecode"]]
    assert [b for _, b in turns(t)] == ["How did it start?", "Small.", "And now?"]
    assert [x.start_time for x in t.turns] == [83.0, 90.0, 125.0]


def test_bracket_ids_focus_group(tmp_path):
    text = "[id1] I think the hub helped.\n[id2] Not for us. [laughs]\n[id3] Partly.\n[inaudible] something\n[id1] Yes."
    t = read_transcript(write(tmp_path, "fg.txt", text))
    assert t.layout == "bracket"
    assert [s for s, _ in turns(t)] == ["id1", "id2", "id3", "id1"]
    assert turns(t)[1] == ("id2", "Not for us. [laughs]")
    assert turns(t)[2] == ("id3", "Partly.\n[inaudible] something")  # a transcription note is no speaker


def test_legend_names_speakers_and_marks_the_interviewer(tmp_path):
    text = ("Key: I1 = Interviewer 1; X1 = Informant; X2 = Informant 2\n\nI1: How was it?\n\nX1: Fine, mostly.\n\n"
            "X2: Not for me.\n\nI1: Why not?\n")
    t = read_transcript(write(tmp_path, "legend.txt", text))
    assert [(x.speaker, x.speaker_role) for x in t.turns] == [
        ("I1", "interviewer"), ("X1", "participant"), ("X2", "participant"), ("I1", "interviewer")]
    assert t.layout_info["legend"] == {"I1": "Interviewer 1", "X1": "Informant", "X2": "Informant 2"}
    # --interviewer overrides the legend
    t2 = read_transcript(write(tmp_path, "legend2.txt", text), options=IngestOptions(interviewer_labels=("X1",)))
    assert [(x.speaker, x.speaker_role) for x in t2.turns][:2] == [("I1", "participant"), ("X1", "interviewer")]


def test_legend_names_a_pseudonym_that_speaks_once(tmp_path):
    text = "Speakers: Robin = Facilitator; Ash = Parent\n\nRobin: Welcome.\n\nAsh: Thanks.\n\nRobin: Shall we?\n"
    t = read_transcript(write(tmp_path, "fg.txt", text))
    assert [(x.speaker, x.speaker_role) for x in t.turns] == [
        ("Robin", "interviewer"), ("Ash", "participant"), ("Robin", "interviewer")]


def test_labels_layout_is_recorded_and_every_layout_is_described(demo_dir):
    t = read_transcript(demo_dir / "S1_P02.txt")
    assert t.layout == "labels" and t.layout_info["n_headers"] == len(t.turns)
    assert {"labels", "otter", "zoom", "teams", "rev", "timecode", "timeline", "bracket", "table", "captions",
            "unlabelled", "pattern"} == set(LAYOUTS)


# -- captions ---------------------------------------------------------------------------------------------------------

VTT = """WEBVTT
Kind: captions
Language: en

STYLE
::cue { color: yellow }

NOTE written by an auto-captioner
with two lines

1
00:00:01.000 --> 00:00:03.500 align:start position:0%
<c.colorE5E5E5>the hub</c> opened <00:00:02.100><c> in</c><00:00:02.400><c> spring</c>

2
00:00:03.500 --> 00:00:03.510 align:start position:0%
the hub opened in spring

3
00:00:03.510 --> 00:00:06.000 align:start position:0%
the hub opened in spring
<b>families</b> &amp; <i>schools</i> came <font color="#fff">later</font>

00:00:10.000 --> 00:00:12.000
after a pause &lt;a long one&gt;
"""


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-32", "cp1252"])
def test_vtt_without_speakers_is_one_unnamed_speaker(tmp_path, encoding):
    text = VTT.replace("long one", "long one – café")
    path = tmp_path / "yt.vtt"
    path.write_bytes(text.encode(encoding))
    t = read_transcript(path)
    assert t.layout == "unlabelled"
    assert turns(t) == [(UNNAMED_SPEAKER, "the hub opened in spring families & schools came later"),
                        (UNNAMED_SPEAKER, "after a pause <a long one – café>")]
    assert [(x.start_time, x.end_time) for x in t.turns] == [(1.0, 6.0), (10.0, 12.0)]
    assert t.label_spans() == [(x.start, x.start) for x in t.turns]  # no label in the text
    assert len(t.warnings) == 1 and "no speaker labels" in t.warnings[0]
    assert "NOTE" not in t.text and "color" not in t.text and "-->" not in t.text


SRT = """1
00:00:01,000 --> 00:00:03,000
<i>We started</i> with
two workers.

2
00:00:03,200 --> 00:00:05,000 X1:10 X2:200
<font color="#ffff00">Then more</font> came.

3
00:00:09,000 --> 00:00:11,000
Now it's routine.
"""


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16-le", "utf-16-be", "utf-32-be", "cp1252"])
def test_srt_without_speakers_in_every_encoding(tmp_path, encoding):
    path = tmp_path / "auto.srt"
    bom = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE, "utf-32-be": codecs.BOM_UTF32_BE}
    path.write_bytes(bom.get(encoding, b"") + SRT.replace("it's", "it’s").replace("\n", "\r\n").encode(encoding))
    t = read_transcript(path)
    assert turns(t) == [(UNNAMED_SPEAKER, "We started with two workers. Then more came."),
                        (UNNAMED_SPEAKER, "Now it’s routine.")]
    assert t.turns[0].end_time == 5.0


def test_speaker_attribute_names_the_unnamed_speaker(tmp_path):
    path = tmp_path / "auto.srt"
    path.write_text(SRT, encoding="utf-8")
    t = read_transcript(path, attributes={"speaker": "P12"})
    assert {x.speaker for x in t.turns} == {"P12"} and "named by the 'speaker' attribute" in t.warnings[0]


def test_vtt_voice_tags_still_name_speakers(tmp_path):
    path = write(tmp_path, "teams.vtt", "WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\n<v Alex Researcher>Hello.</v>\n\n"
                 "2\n00:00:02.000 --> 00:00:04.000\n<v Sam>Hello.</v>\n")
    t = read_transcript(path)
    assert t.layout == "captions" and turns(t) == [("Alex Researcher", "Hello."), ("Sam", "Hello.")]


def test_unlabelled_text_file_is_refused_unless_asked(tmp_path):
    path = write(tmp_path, "notes.txt", "Field notes from the visit.\n\nThe hub was busy.\n")
    with pytest.raises(IngestError, match=r"notes.txt: no speaker turns found.*--unlabelled"):
        read_transcript(path)
    t = read_transcript(path, options=IngestOptions(unlabelled=True))
    assert turns(t) == [(UNNAMED_SPEAKER, "Field notes from the visit."), (UNNAMED_SPEAKER, "The hub was busy.")]
    with pytest.raises(ValueError, match="no speaker turns found"):
        read_text_source("Just prose.", "x", options=IngestOptions(unlabelled=False))


def test_a_source_from_another_program_without_labels_is_one_speaker():
    t = read_text_source("A paper's abstract.\r\n\r\nIts method.", "paper", sentences=False)
    assert t.layout == "unlabelled" and len(t.turns) == 2
    assert t.source_location(t.text.index("method")) == "line 3, column 5"


# -- OpenDocument -----------------------------------------------------------------------------------------------------

def odt_blocks():
    return [
        {"h": "Interview with P07"},
        "Site: S2",
        [("b", "Interviewer:"), " How did the hub", ("s", 3), "start?", ("comment", "M1.1 first mention")],
        [("strong", "P07"), " It started small.", ("note", "Transcriber's note: a name was removed.")],
        ["We grew", ("tab",), "over time.", ("br",), "A lot."],
        {"table": [["Speaker", "Text"], ["Interviewer", "And now?"], ["P07", "Routine.\n\nEveryone expects it."]]},
        {"list": [[("b", "Interviewer"), " Anything else?"]]},
        ["See ", ("link", "the hub page"), "."],
    ]


def test_odt_paragraphs_tables_bold_labels(odt_factory):
    t = read_transcript(odt_factory("P07.odt", odt_blocks(), deleted="words deleted in review"))
    assert t.format == "odt"
    assert turns(t) == [
        ("Interviewer", "How did the hub   start?"),
        ("P07", "It started small.\nWe grew\tover time.\nA lot."),
        ("Interviewer", "And now?"),
        ("P07", "Routine.\nEveryone expects it."),
        ("Interviewer", "Anything else?\nSee the hub page.\nKept text."),
    ]
    assert t.text[slice(*t.front_matter)] == "Interview with P07\nSite: S2"
    for hidden in ("M1.1 first mention", "Transcriber", "deleted in review", "Confidential header"):
        assert hidden not in t.text  # comments, footnotes, tracked deletions and headers are not text


@pytest.mark.parametrize("content, message", [
    (b"not a zip", "not a valid OpenDocument .odt file"),
    ({"mimetype": "application/vnd.oasis.opendocument.spreadsheet", "content.xml": "<x/>"},
     "another kind of OpenDocument file"),
    ({"mimetype": "application/vnd.oasis.opendocument.text"}, "no content.xml"),
    ({"content.xml": "<office:document-content"}, "content.xml is damaged"),
    ({"content.xml": "<a/>"}, "no text body"),
])
def test_damaged_odt_is_one_clear_error(tmp_path, content, message):
    path = tmp_path / "bad.odt"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        with zipfile.ZipFile(path, "w") as zf:
            for name, data in content.items():
                zf.writestr(name, data)
    with pytest.raises(IngestError, match=f"bad.odt: .*{message}"):
        read_transcript(path)


def test_a_late_label_in_a_foreign_document_is_no_speaker():
    prose = "\n\n".join(f"Paragraph {i} of a report about the hub and its families." for i in range(6))
    t = read_text_source(prose + "\n\nRQ1: How do families use the hub?\n\nMore text.", "report", sentences=False)
    assert t.layout == "unlabelled" and {x.speaker for x in t.turns} == {UNNAMED_SPEAKER} and len(t.turns) == 8
    # a source whose labels start early is read by them
    labelled = read_text_source("Intro.\n\nI: Hello?\n\nP1: Hi.", "x", sentences=False)
    assert labelled.layout == "labels" and [x.speaker for x in labelled.turns] == ["I", "P1"]


def test_layout_lists_the_speakers_found(demo_dir):
    t = read_transcript(demo_dir / "S1_P02.txt")
    assert t.layout_info["speakers"] == list(dict.fromkeys(x.speaker for x in t.turns))


def test_bytes_are_read_as_the_file_is(tmp_path):
    path = write(tmp_path, "P07_otter.txt", OTTER)
    from_file, from_bytes = read_transcript(path), read_transcript_bytes(path.read_bytes(), "P07_otter.txt")
    assert (from_bytes.text, from_bytes.layout, from_bytes.sha256) == (from_file.text, from_file.layout,
                                                                       from_file.sha256)
    with pytest.raises(IngestError, match=r"upload.pdf: unsupported file type '.pdf'"):
        read_transcript_bytes(b"%PDF", "upload.pdf")
