"""Each reader on files built in the test: Word, text in several encodings, WebVTT and SRT."""

import pytest

from npt_coder.errors import IngestError
from npt_coder.ingest import read_transcript, read_transcripts


def turn_texts(t):
    return [(x.speaker, t.text[x.start:x.end]) for x in t.turns]


# -- Word ------------------------------------------------------------------------------------------------------

def test_docx_bold_and_plain_labels_header_footer_excluded(docx_factory):
    path = docx_factory(
        "S1_P01.docx",
        ["Interview transcript", "Site: S1",
         [("Interviewer:", True), (" How did the hub start?", False)],
         [("[00:01:23] ", False), ("Participant:", True), (" It started small.", False)],
         "We grew over time.",
         "P01: plain label works too."],
        header="Confidential - anonymised", footer="Evaluation footer",
    )
    t = read_transcript(path)
    assert turn_texts(t) == [
        ("Interviewer", "How did the hub start?"),
        ("Participant", "It started small.\nWe grew over time."),
        ("P01", "plain label works too."),
    ]
    assert "Confidential" not in t.text and "footer" not in t.text
    assert t.turns[1].start_time == 83.0
    assert t.text[slice(*t.front_matter)] == "Interview transcript\nSite: S1"


def test_docx_bold_label_without_colon(docx_factory):
    path = docx_factory("b.docx", [[("Interviewer", True), (" What changed?", False)],
                                   [("Respondent", True), (" Everything.", False)]])
    assert turn_texts(read_transcript(path)) == [("Interviewer", "What changed?"), ("Respondent", "Everything.")]


def test_docx_table_cells_in_document_order(docx_factory):
    table = [["Speaker", "Transcript"], ["Interviewer", "First question?"],
             ["Participant", "Answer one.\n\nAnswer two."], ["Interviewer", "Thanks."]]
    path = docx_factory("t.docx", ["Police officer interview", "Site: S2"], table=table)
    t = read_transcript(path)
    assert turn_texts(t) == [("Interviewer", "First question?"), ("Participant", "Answer one.\nAnswer two."),
                             ("Interviewer", "Thanks.")]
    assert len(t.segments("paragraph")) == 4


def test_docx_table_between_paragraphs_keeps_order(docx_factory):
    path = docx_factory("o.docx", ["I: before", "R: reply"], table=[["Note cell one", "P02: inside table"]],
                        table_after=1)
    t = read_transcript(path)
    assert [s for s, _ in turn_texts(t)] == ["I", "Note cell one", "R"]


def test_truncated_docx_is_a_clear_error(docx_factory, tmp_path):
    good = docx_factory("good.docx", ["I: hello", "R: hi"])
    bad = tmp_path / "bad.docx"
    bad.write_bytes(good.read_bytes()[: len(good.read_bytes()) // 2])
    with pytest.raises(IngestError, match=r"bad\.docx: not a valid Word \.docx file"):
        read_transcript(bad)


# -- plain text ------------------------------------------------------------------------------------------------

TXT = "Title line\r\n\r\nInterviewer: “Early Help” – what is it?\r\n\r\nRespondent: It’s the café… £5.\r\n\r\nMore.\r\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
def test_txt_encodings_and_crlf(tmp_path, encoding):
    path = tmp_path / "a.txt"
    path.write_bytes(TXT.encode(encoding))
    t = read_transcript(path)
    assert turn_texts(t) == [("Interviewer", "“Early Help” – what is it?"), ("Respondent", "It’s the café… £5.\n\nMore.")]
    assert "\r" not in t.text


def test_txt_one_turn_per_line_without_blank_lines(tmp_path):
    path = tmp_path / "lines.txt"
    path.write_text("INT: one?\nP03: two.\nINT: three?\nP03: four.\n", encoding="utf-8")
    assert [s for s, _ in turn_texts(read_transcript(path))] == ["INT", "P03", "INT", "P03"]


# -- WebVTT and SRT --------------------------------------------------------------------------------------------

VTT = """WEBVTT

3f1c2a9e-7d41-4b8e-9a0c-5d2e8f6b1a07/12-0
00:00:01.000 --> 00:00:05.500
<v Researcher 2>Thanks for joining.</v>

3f1c2a9e-7d41-4b8e-9a0c-5d2e8f6b1a07/13-0
00:00:06.000 --> 00:00:10.000
<v Robin>So the front door</v>

3f1c2a9e-7d41-4b8e-9a0c-5d2e8f6b1a07/13-1
00:00:10.000 --> 00:00:14.250
<v Robin>works &amp; mostly on Teams.</v>

NOTE a comment block is skipped

3f1c2a9e-7d41-4b8e-9a0c-5d2e8f6b1a07/14-0
00:00:15.000 --> 00:00:17.000
<v Researcher 2>Right.</v>
"""


def test_vtt_consecutive_cues_by_one_speaker_form_one_turn(tmp_path):
    path = tmp_path / "teams.vtt"
    path.write_text(VTT, encoding="utf-8")
    t = read_transcript(path)
    assert turn_texts(t) == [("Researcher 2", "Thanks for joining."),
                             ("Robin", "So the front door works & mostly on Teams."),
                             ("Researcher 2", "Right.")]
    robin = t.turns[1]
    assert (robin.start_time, robin.end_time) == (6.0, 14.25)
    assert [x.speaker_role for x in t.turns] == ["interviewer", "participant", "interviewer"]


def test_vtt_without_header_is_refused(tmp_path):
    path = tmp_path / "x.vtt"
    path.write_text(VTT.replace("WEBVTT", "HELLO"), encoding="utf-8")
    with pytest.raises(IngestError, match="not a WebVTT file"):
        read_transcript(path)


SRT = """1
00:00:01,000 --> 00:00:03,000
Interviewer: Can you describe the meetings?

2
00:00:03,500 --> 00:00:06,000
P05: Every morning at ten,

3
00:00:06,000 --> 00:00:08,000
we go through overnight contacts.

4
00:00:08,000 --> 00:00:09,000
P05: Then we decide.
"""


def test_srt_labels_and_merging(tmp_path):
    path = tmp_path / "fg.srt"
    path.write_text(SRT, encoding="utf-8")
    t = read_transcript(path)
    assert turn_texts(t) == [("Interviewer", "Can you describe the meetings?"),
                             ("P05", "Every morning at ten, we go through overnight contacts. Then we decide.")]
    assert t.turns[1].end_time == 9.0


# -- bad input -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "name, content, reason",
    [
        ("empty.txt", b"", "empty"),
        ("binary.txt", bytes(range(256)) * 20, "binary|not text"),
        ("nolabels.txt", b"Just prose with no speakers at all.\n\nAnother paragraph.", "no speaker turns"),
        ("notes.pdf", b"%PDF-1.4", "unsupported file type '.pdf'"),
    ],
)
def test_bad_files_name_the_file_and_reason(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(IngestError, match=rf"^{name.replace('.', '[.]')}: .*({reason})"):
        read_transcript(path)


def test_missing_file(tmp_path):
    with pytest.raises(IngestError, match="nothere.txt: file not found"):
        read_transcript(tmp_path / "nothere.txt")


# -- segments --------------------------------------------------------------------------------------------------

def test_three_units_are_offsets_into_canonical_text(tmp_path):
    path = tmp_path / "u.txt"
    path.write_text("I: Why? Tell me.\n\nR: One. Two three.\n\nFour five.\n", encoding="utf-8")
    t = read_transcript(path)
    for unit, n in (("turn", 2), ("paragraph", 3), ("sentence", 5)):
        seg = t.segments(unit)
        assert len(seg) == n
        assert all(t.text[r.start:r.end] == r.text for r in seg.itertuples())
    sent = t.segments("sentence")
    assert sent["text"].tolist() == ["Why?", "Tell me.", "One.", "Two three.", "Four five."]
    assert sent["turn_id"].tolist() == ["t0001", "t0001", "t0002", "t0002", "t0002"]
    assert sent["segment_id"].tolist() == ["s0001", "s0002", "s0003", "s0004", "s0005"]


def test_batch_read_matches_single_reads(demo_dir):
    files = sorted(p for p in demo_dir.iterdir() if p.suffix in (".docx", ".txt", ".vtt"))[:4]
    batch = read_transcripts(files)
    for f, b in zip(files, batch):
        single = read_transcript(f)
        assert single.text == b.text and single.sentences == b.sentences


def test_only_a_reader_s_own_reason_becomes_a_file_error(tmp_path, monkeypatch):
    # read_transcripts turns TranscriptFormatError into IngestError naming the file; any other exception is a bug
    # and must not be disguised as "this file is bad"
    import pytest

    import npt_coder.ingest._read as read
    from npt_coder.errors import IngestError, TranscriptFormatError

    path = tmp_path / "S1_P01.txt"
    path.write_text("INT: Hello?\n\nP01: Hi.\n", encoding="utf-8")

    def reason(*args, **kwargs):
        raise TranscriptFormatError("the file has no cues")

    monkeypatch.setattr(read, "assemble", reason)
    with pytest.raises(IngestError, match=r"^S1_P01.txt: the file has no cues$"):
        read.read_transcripts([path])

    def bug(*args, **kwargs):
        raise ValueError("an internal slip")

    monkeypatch.setattr(read, "assemble", bug)
    with pytest.raises(ValueError, match="internal slip") as err:
        read.read_transcripts([path])
    assert not isinstance(err.value, IngestError)
