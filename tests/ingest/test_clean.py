"""What no transcript may hold: control characters (form feeds, vertical tabs, NUL, the rest), over-long paragraphs,
caption cues that cannot be read, and files that are not files (a symbolic-link loop)."""

from __future__ import annotations

import re
import time

import pytest
from docx import Document

import npt_coder as nc
from npt_coder.coding._docx_comments import add_comment_to_text, read_docx_comments
from npt_coder.errors import IngestError
from npt_coder.ingest import read_transcript
from npt_coder.ingest._clean import MAX_PARAGRAPH_CHARS, tidy_paragraphs
from npt_coder.ingest._turns import RawParagraph
from npt_coder.services import add_transcripts

# every character Word and Excel files cannot hold, and the ones that carry nothing
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def test_form_feed_ends_a_paragraph_and_the_turn_goes_on(tmp_path):
    path = tmp_path / "pdf_export.txt"
    path.write_bytes("INT: What changed after the move?\n\nP01: The first weeks were hard and\x0cthen the team "
                     "settled.\n\nINT: And now?\n\nP01: Now it is routine.\n".encode("utf-8"))
    t = read_transcript(path)
    assert not _ILLEGAL.search(t.text)
    assert [t.text[p.start:p.end] for p in t.paragraphs][1:3] == ["The first weeks were hard and",
                                                                  "then the team settled."]
    assert len(t.turns) == 4 and t.paragraphs[1].turn == t.paragraphs[2].turn == 1  # one turn, two paragraphs
    assert t.notes == ["1 form feed read as a paragraph break"]


def test_a_page_break_before_a_label_starts_a_new_turn(tmp_path):
    path = tmp_path / "pages.txt"
    path.write_bytes(b"INT: First question?\n\nP01: First answer.\x0cINT: Second question?\n\nP01: Second answer.\n")
    t = read_transcript(path)
    assert [x.speaker for x in t.turns] == ["INT", "P01", "INT", "P01"]


def test_vertical_tab_is_a_line_break_and_other_controls_go(tmp_path):
    path = tmp_path / "copied.txt"
    path.write_bytes("INT: How do you log a visit?\n\nP02: You open the form\x0bthen press save\x07.\x1b[0m "
                     "Nothing else\x7f.\n\n".encode("utf-8") + b"INT: Anything more?\n\nP02: No, that is all.\n" * 60)
    t = read_transcript(path)
    assert "You open the form\nthen press save." in t.text and "[0m Nothing else." in t.text
    assert not _ILLEGAL.search(t.text)
    assert t.notes == ["1 vertical tab read as a line break",
                       "3 control characters removed (U+0007, U+001B ESC, U+007F DEL)"]


def test_nul_is_removed_and_every_segment_after_it_keeps_its_text(tmp_path):
    # SQLite's substr() stops at a NUL: segments after one used to come back empty
    path = tmp_path / "nul.txt"
    path.write_bytes(b"INT: One?\n\nP01: First\x00 answer.\n\nINT: Two?\n\nP01: Second answer.\n\nINT: Three?\n\n"
                     b"P01: Third answer.\n")
    p = nc.init_project(tmp_path / "study")
    result = add_transcripts(p, [path], nlp=None)
    assert result.warnings[0] == ("nul", "1 control character removed (U+0000 NUL)")  # said in the summary
    texts = p.segments("turn")["text"].tolist()
    assert texts == ["One?", "First answer.", "Two?", "Second answer.", "Three?", "Third answer."]
    assert "\x00" not in p.transcript_text("nul")


def test_c1_controls_and_noncharacters_in_a_word_file_go_and_comment_positions_follow(tmp_path):
    # XML may carry C1 controls (&#x85;, &#x9b;) that Word and Excel outputs then choke on; a comment after one must
    # still land on its words
    p = nc.init_project(tmp_path / "study")
    src = tmp_path / "W.txt"
    src.write_text("INT: Why?\n\nP01: Because the forms are long.\n", encoding="utf-8")
    add_transcripts(p, [src], nlp=None)
    doc = Document()
    doc.add_paragraph("INT: Why?")
    doc.add_paragraph("P01: Because\u0085 the\u009b forms are long.")
    add_comment_to_text(doc, "forms are long", "M3.2", author="AK")
    path = tmp_path / "coded.docx"
    doc.save(path)
    left: list[str] = []
    df = read_docx_comments(path, p, left_out=left)
    text = p.transcript_text("W")
    assert [text[s:e] for s, e in zip(df["start"], df["end"])] == ["forms are long"]


@pytest.mark.parametrize("kind, at, piece, offset", [
    ("start", 1, 0, 1), ("start", 3, 1, 0), ("start", 5, 1, 1),  # a start at the form feed opens the next piece
    ("end", 3, 0, 3), ("end", 9, 1, 5),                           # an end at it closes the piece before
])
def test_comment_anchors_follow_a_form_feed_split(kind, at, piece, offset):
    out, _ = tidy_paragraphs([RawParagraph("abc\x0cdefgh", anchors=[(kind, "1", at)])])
    assert [p.text for p in out] == ["abc", "defgh"]
    assert out[piece].anchors == [(kind, "1", offset)] and out[1 - piece].anchors == []


def test_removed_characters_move_the_anchors_after_them():
    out, notes = tidy_paragraphs([RawParagraph("a\x00b\x07cd", anchors=[("start", "1", 4), ("end", "1", 6)])])
    assert out[0].text == "abcd" and out[0].anchors == [("start", "1", 2), ("end", "1", 4)]
    assert notes == ["2 control characters removed (U+0000 NUL, U+0007)"]


def test_a_paragraph_too_long_to_be_one_is_refused_at_once(tmp_path):
    # a file that lost its line breaks: refused before sentence splitting and the identifier check (the issue's
    # 50 MB line took 917 s to add); 5 MB here, to keep the suite quick
    path = tmp_path / "one_line.txt"
    path.write_text("INT: Tell me.\n\nP01: " + "we met and talked about the forms " * 150_000 + "\n",
                    encoding="utf-8")
    p = nc.init_project(tmp_path / "study")
    began = time.perf_counter()
    with pytest.raises(IngestError) as err:
        add_transcripts(p, [path], nlp=None)
    took = time.perf_counter() - began
    assert re.fullmatch(rf"one_line.txt: paragraph 2 is 5,100,0\d\d characters long, more than the "
                        rf"{MAX_PARAGRAPH_CHARS:,} npt-coder takes in one paragraph; the file seems to have lost its "
                        r"line breaks: break it into paragraphs \(at least one per speaker turn\) and add it again",
                        str(err.value))
    assert took < 30  # generous: about 1 s on a laptop
    assert p.transcripts.empty


def test_a_long_but_ordinary_paragraph_is_kept(tmp_path):
    path = tmp_path / "monologue.txt"
    path.write_text("INT: Go on.\n\nP01: " + "and then we talked about it again. " * 3_000 + "\n", encoding="utf-8")
    assert len(read_transcript(path).turns) == 2


@pytest.mark.parametrize("cues, message", [
    ("00:00:05.000 --> 00:00:01.000\nLate start.", "line 3: the cue ends (00:00:01.000) before it starts "
                                                   "(00:00:05.000)"),
    ("99:99:99.999 --> 100:00:01.000\nImpossible.", "line 3: the cue time 99:99:99.999 has minutes or seconds of 60 "
                                                    "or more"),
    ("00:00:01.000 -> 00:00:02.000\nOne arrow short.", None),
    ("00:00:01.000 --> 00:00:02.000\nFine.\n\n00:00:03 --> 00:00:04\nNo milliseconds.",
     "line 6: a cue timing npt-coder cannot read; write it as 00:01:02.345 --> 00:01:05.000"),
    ("00:00:01.000 --> 00:00:02.000\nFirst part.\n\nsecond part after a blank line",
     "line 6: text outside any cue (no '00:01:02.345 --> 00:01:05.000' timing line before it; a cue's text cannot "
     "hold a blank line)"),
])
def test_webvtt_cues_that_cannot_be_read_are_refused_with_their_line(tmp_path, cues, message):
    path = tmp_path / "call.vtt"
    path.write_text(f"WEBVTT\n\n{cues}\n\n00:00:09.000 --> 00:00:10.000\n<v Sam>Last words.\n", encoding="utf-8")
    if message is None:  # "->" is no timing at all: the block is text outside any cue
        message = "line 3: text outside any cue"
    with pytest.raises(IngestError) as err:
        read_transcript(path)
    assert str(err.value).startswith(f"call.vtt: {message}")
    assert "Last words" not in str(err.value)


def test_webvtt_notes_styles_and_an_arrow_in_cue_text_are_fine(tmp_path):
    path = tmp_path / "ok.vtt"
    path.write_text("WEBVTT\nKind: captions\n\nNOTE made by the meeting app\n\nSTYLE\n::cue { color: white }\n\n"
                    "1\n00:00:01.000 --> 00:00:02.500 align:start\n<v Alex>From here --> to there.\n\n"
                    "00:01.000 --> 00:03.000\n<v Sam>Short form timings.\n", encoding="utf-8")
    t = read_transcript(path)
    assert [x.speaker for x in t.turns] == ["Alex", "Sam"] and "--> to there" in t.text


def test_srt_with_a_reversed_cue_is_refused(tmp_path):
    path = tmp_path / "sub.srt"
    path.write_text("1\n00:00:01,000 --> 00:00:02,000\nAlex: Hello.\n\n2\n00:00:09,000 --> 00:00:03,000\n"
                    "Sam: Hi.\n", encoding="utf-8")
    with pytest.raises(IngestError, match=r"sub.srt: line 6: the cue ends \(00:00:03,000\) before it starts"):
        read_transcript(path)


def test_a_symbolic_link_loop_is_named_as_one(tmp_path):
    loop = tmp_path / "loop.txt"
    loop.symlink_to(loop)
    dangling = tmp_path / "gone.txt"
    dangling.symlink_to(tmp_path / "nowhere.txt")
    with pytest.raises(IngestError, match="loop.txt: is a symbolic link that loops back on itself"):
        read_transcript(loop)
    with pytest.raises(IngestError, match="gone.txt: is a symbolic link to a file that does not exist"):
        read_transcript(dangling)
    with pytest.raises(IngestError, match="tmp.*: is a folder, not a file|: is a folder, not a file"):
        read_transcript(tmp_path)
