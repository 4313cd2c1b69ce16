"""The bad-input matrix: every reader and importer, fed files that are truncated, empty, of the wrong type, malformed,
ragged, non-finite, out of range, duplicated, tampered with or hostile, answers through the CLI with one line naming
the file and the place, exit status 1, no traceback, no word of the transcript, and a project whose SQLite dump is
what it was. Files that are odd but usable are accepted, and every later verb still works on the project."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from docx import Document
from openpyxl import load_workbook
from typer.testing import CliRunner

import npt_coder as nc
from npt_coder.cli import app
from npt_coder.coding import import_codings, make_coding_workbook, transcript_to_docx
from npt_coder.coding._docx_comments import add_comment_to_text
from npt_coder.coding._qdpx import project_to_qdpx
from npt_coder.services import add_transcripts

from . import hostile as h
from .conftest import write_docx, write_odt

SECRET = "Zebedee"  # a word of every file's transcript text: it must never reach a message
TEXT = (f"INT: How did the front door start?\n\nP01: It started small, {SECRET} said. Then it grew quickly.\n\n"
        "INT: And now?\n\nP01: Now it is routine. Everyone expects it.\n")
runner = CliRunner()


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """A project holding T1 with one coder's codings, and real files of every kind made from it."""
    root = tmp_path_factory.mktemp("template")
    (root / "T1.txt").write_text(TEXT, encoding="utf-8")
    p = nc.init_project(root / "study")
    add_transcripts(p, [root / "T1.txt"], nlp=None)
    text = p.transcript_text("T1")
    s = text.index("It started")
    import_codings(p, pd.DataFrame({"transcript_id": ["T1"], "coder": ["AK"], "code_id": ["M1.1"], "start": [s],
                                    "end": [s + 10]}), source="csv")
    files = root / "files"
    files.mkdir()
    write_docx(files / "transcript.docx", TEXT.strip().split("\n\n"))
    write_odt(files / "transcript.odt", TEXT.strip().split("\n\n"))
    make_coding_workbook(p, "JT").save(files / "sheet.xlsx")
    transcript_to_docx(text).save(files / "copy.docx")
    doc = Document(str(files / "copy.docx"))
    add_comment_to_text(doc, "It started small", "M1.1", author="JT")
    doc.save(files / "comments.docx")
    project_to_qdpx(p, files / "project.qdpx")
    return root


@pytest.fixture
def study(template, tmp_path):
    shutil.copytree(template / "study", tmp_path / "study")
    return tmp_path / "study"


def base(template, name: str) -> bytes:
    return (template / "files" / name).read_bytes()


def member_edit(data: bytes, name: str, change) -> bytes:
    return h.replace_member(data, name, change(h.members(data)[name]))


def qde_edit(data: bytes, old: bytes, new: bytes) -> bytes:
    return member_edit(data, "project.qde", lambda x: x.replace(old, new, 1))


SOURCE = (f"INT: What changed after the move?\n\nP02: {SECRET} moved the forms online and everyone liked it.\n\n"
          "INT: Anything else?\n\nP02: No, that is all.\n").encode()


def new_source(template, content: bytes | None, *, name: bytes = b"T2") -> bytes:
    """The exported project with its one source renamed ``name`` and holding ``content`` (``None``: its file left
    out of the archive), so that a whole-project import makes it a new transcript."""
    parts = h.members(base(template, "project.qdpx"))
    qde = parts.pop("project.qde")
    (old,) = parts
    moved = qde.replace(b'name="T1" plainTextPath="internal://' + old.split("/", 1)[1].encode() + b'"',
                        b'name="' + name + b'" plainTextPath="internal://T2.txt"')
    assert moved != qde
    return h.zip_bytes({"project.qde": moved, **({"sources/T2.txt": content} if content is not None else {})})


def sheet_edit(template, tmp_path, change) -> bytes:
    path = tmp_path / "edited.xlsx"
    wb = load_workbook(template / "files" / "sheet.xlsx")
    wb["T1"]["D2"] = "M1.1"
    change(wb)
    wb.save(path)
    return path.read_bytes()


def comment_edit(data: bytes, change) -> bytes:
    return member_edit(data, "word/document.xml", change)


CSV_HEAD = "transcript_id,coder,code_id,start,end\n"
VTT_OK = "00:00:09.000 --> 00:00:10.000\n<v Sam>Last words.\n"

# (verb, file name, how to make its bytes, what the one line must say after "error: NAME: ")
CASES = [
    # -- transcripts: text
    ("add", "empty.txt", lambda t, d: b"", "the file is empty"),
    ("add", "blank.txt", lambda t, d: b" \n\n\t\n", "the file is empty"),
    ("add", "image.txt", lambda t, d: b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "the file is not text"),
    ("add", "bad_bom.txt", lambda t, d: b"\xef\xbb\xbf" + TEXT.encode("utf-8")[:40] + b"\xff\xfe" + b"rest",
     "the file claims to be utf-8 but byte"),
    ("add", "no_turns.txt", lambda t, d: f"Notes about {SECRET} and the service.\n".encode(), "no speaker turns found"),
    ("add", "one_line.txt", lambda t, d: ("P01: " + f"{SECRET} went on " * 30_000).encode(),
     "paragraph 1 is 480,005 characters long"),
    ("add", "notes.pdf", lambda t, d: b"%PDF-1.7\n", "unsupported file type '.pdf'"),
    # -- transcripts: captions
    ("add", "plain.vtt", lambda t, d: TEXT.encode(), "not a WebVTT file"),
    ("add", "late.vtt", lambda t, d: f"WEBVTT\n\n00:00:05.000 --> 00:00:01.000\n<v Sam>{SECRET} here.\n\n{VTT_OK}"
     .encode(), "line 3: the cue ends (00:00:01.000) before it starts (00:00:05.000)"),
    ("add", "impossible.vtt", lambda t, d: f"WEBVTT\n\n99:99:99.999 --> 00:00:01.000\n<v Sam>{SECRET}.\n".encode(),
     "line 3: the cue time 99:99:99.999 has minutes or seconds of 60 or more"),
    ("add", "malformed.vtt", lambda t, d: f"WEBVTT\n\n{VTT_OK}\n1:2:3 --> later\n<v Sam>{SECRET}.\n".encode(),
     "line 6: a cue timing npt-coder cannot read"),
    ("add", "split_cue.vtt", lambda t, d: f"WEBVTT\n\n{VTT_OK}\n{SECRET} after a blank line\n".encode(),
     "line 6: text outside any cue"),
    ("add", "header_only.vtt", lambda t, d: b"WEBVTT\n\nNOTE nothing was said\n", "the WebVTT file has no cues"),
    ("add", "reversed.srt", lambda t, d: f"1\n00:00:03,000 --> 00:00:01,000\nSam: {SECRET}.\n".encode(),
     "line 2: the cue ends (00:00:01,000) before it starts (00:00:03,000)"),
    ("add", "no_cues.srt", lambda t, d: TEXT.encode(), "line 1: text outside any cue"),
    # -- transcripts: Word
    ("add", "empty.docx", lambda t, d: b"", "the file is empty"),
    ("add", "truncated.docx", lambda t, d: h.truncated(base(t, "transcript.docx")),
     "not a valid Word .docx file (the archive is damaged or truncated, or it is an old .doc)"),
    ("add", "renamed.docx", lambda t, d: TEXT.encode(), "not a valid Word .docx file"),
    ("add", "workbook.docx", lambda t, d: base(t, "sheet.xlsx"), "not a Word .docx file (no word/document.xml inside)"),
    ("add", "malformed.docx", lambda t, d: member_edit(base(t, "transcript.docx"), "word/document.xml",
                                                      lambda x: x[: len(x) // 2]),
     "the Word file's document.xml is damaged"),
    ("add", "bomb.docx", lambda t, d: h.bomb(base(t, "transcript.docx"), "word/document.xml"),
     "word/document.xml would unpack to 60 MB from"),
    ("add", "lying.docx", lambda t, d: h.lie_about_size(base(t, "transcript.docx"), "word/document.xml"),
     "word/document.xml is damaged (Bad CRC-32"),
    ("add", "aes.docx", lambda t, d: h.set_method(base(t, "transcript.docx"), "word/document.xml"),
     "word/document.xml uses a compression method npt-coder cannot unpack (method 99)"),
    ("add", "locked.docx", lambda t, d: h.set_encrypted(base(t, "transcript.docx"), "word/document.xml"),
     "word/document.xml is encrypted"),
    ("add", "future.docx", lambda t, d: h.set_version(base(t, "transcript.docx"), "word/document.xml"),
     "the Word .docx file cannot be opened (zip file version 9.9)"),
    ("add", "damaged.docx", lambda t, d: h.corrupt(base(t, "transcript.docx"), "word/document.xml"),
     "word/document.xml is damaged ("),
    # -- transcripts: OpenDocument
    ("add", "empty.odt", lambda t, d: b"", "the file is empty"),
    ("add", "truncated.odt", lambda t, d: h.truncated(base(t, "transcript.odt")),
     "not a valid OpenDocument .odt file (the archive is damaged or truncated)"),
    ("add", "renamed.odt", lambda t, d: TEXT.encode(), "not a valid OpenDocument .odt file"),
    ("add", "word.odt", lambda t, d: base(t, "transcript.docx"), "not an OpenDocument text (no content.xml inside)"),
    ("add", "sheet.odt", lambda t, d: h.replace_member(base(t, "transcript.odt"), "mimetype",
                                                       b"application/vnd.oasis.opendocument.spreadsheet"),
     "not an OpenDocument text (it is another kind of OpenDocument file)"),
    ("add", "malformed.odt", lambda t, d: member_edit(base(t, "transcript.odt"), "content.xml",
                                                      lambda x: x[: len(x) // 2]),
     "the OpenDocument file's content.xml is damaged"),
    ("add", "bomb.odt", lambda t, d: h.bomb(base(t, "transcript.odt"), "content.xml"),
     "content.xml would unpack to 60 MB from"),
    ("add", "bombstyles.odt", lambda t, d: h.bomb(base(t, "transcript.odt"), "styles.xml"),
     "styles.xml would unpack to 60 MB from"),
    ("add", "lying.odt", lambda t, d: h.lie_about_size(base(t, "transcript.odt"), "content.xml"),
     "content.xml is damaged (Bad CRC-32"),
    ("add", "aes.odt", lambda t, d: h.set_method(base(t, "transcript.odt"), "content.xml"),
     "content.xml uses a compression method npt-coder cannot unpack (method 99)"),
    ("add", "locked.odt", lambda t, d: h.set_encrypted(base(t, "transcript.odt"), "content.xml"),
     "content.xml is encrypted"),
    ("add", "future.odt", lambda t, d: h.set_version(base(t, "transcript.odt"), "content.xml"),
     "the OpenDocument .odt file cannot be opened (zip file version 9.9)"),
    ("add", "damaged.odt", lambda t, d: h.corrupt(base(t, "transcript.odt"), "content.xml"),
     "content.xml is damaged ("),
    # -- transcripts: a corrected file given to replace (read as add reads it)
    ("replace T1", "empty.txt", lambda t, d: b"", "the file is empty"),
    ("replace T1", "bomb.odt", lambda t, d: h.bomb(base(t, "transcript.odt"), "content.xml"),
     "content.xml would unpack to 60 MB from"),
    ("replace T1", "damaged.docx", lambda t, d: h.corrupt(base(t, "transcript.docx"), "word/document.xml"),
     "word/document.xml is damaged ("),
    ("replace T1", "split_cue.vtt", lambda t, d: f"WEBVTT\n\n{VTT_OK}\n{SECRET} after a blank line\n".encode(),
     "line 6: text outside any cue"),
    ("replace T1", "T1.txt", lambda t, d: (t / "T1.txt").read_bytes(), "is the file T1 was added from"),
    # -- attributes of transcripts already added
    ("attrs import", "ragged.csv", lambda t, d: b"transcript_id,site\nT1,S1,north\n",
     "attributes table: line 2 has 3 values but the header has 2"),
    ("attrs import", "empty.csv", lambda t, d: b"", "attributes table: not a readable CSV table (the file is empty)"),
    ("attrs import", "binary.csv", lambda t, d: bytes(range(256)) * 4,
     "attributes table: not a readable CSV table (the file is not text"),
    ("attrs import", "twice.csv", lambda t, d: b"transcript_id,site,Site\nT1,S1,S2\n",
     "attributes table: the header names the column 'site' twice"),
    ("attrs import", "unknown.csv", lambda t, d: b"transcript_id,site\nT9,S1\n",
     "1 row names no transcript of this project (row 2); nothing was changed"),
    ("attrs import", "bomb.xlsx", lambda t, d: h.bomb(_xlsx(t, d, key="transcript_id"), "xl/worksheets/sheet1.xml"),
     "attributes table: xl/worksheets/sheet1.xml would unpack to 60 MB"),
    ("attrs import", "truncated.xlsx", lambda t, d: h.truncated(_xlsx(t, d, key="transcript_id")),
     "attributes table: could not be read as a table"),
    # -- coding: long tables
    ("import", "empty.csv", lambda t, d: b"", "not a readable CSV table (the file is empty)"),
    ("import", "binary.csv", lambda t, d: bytes(range(256)) * 4, "not a readable CSV table (the file is not text"),
    ("import", "ragged.csv", lambda t, d: (CSV_HEAD + "T1,JT,M1.1,0,5,extra\n").encode(), "line 2 has 6 values"),
    ("import", "short.csv", lambda t, d: (CSV_HEAD + "T1,JT,M1.1,0,5\nT1,JT\n").encode(), "line 3 has 2 values"),
    ("import", "inf.csv", lambda t, d: (CSV_HEAD + "T1,JT,M1.1,0,inf\n").encode(), "row 1: end 'inf' is not a whole"),
    ("import", "huge.csv", lambda t, d: (CSV_HEAD + "T1,JT,M1.1,0,1e30\n").encode(), "row 1: end '1e30' is far beyond"),
    ("import", "outside.csv", lambda t, d: (CSV_HEAD + "T1,JT,M1.1,90,900\n").encode(),
     "row 1: span 90-900 is outside"),
    ("import", "twice.csv", lambda t, d: b"transcript_id,coder,code_id,start,end,end\nT1,JT,M1.1,0,5,5\n",
     "the header names the column 'end' twice"),
    ("import", "unknown.csv", lambda t, d: (CSV_HEAD + "T9,JT,M1.1,0,5\n").encode(),
     "transcript not in the project"),
    ("import", "columns.csv", lambda t, d: b"who,what\nJT,M1.1\n", "needs start and end columns, or a segment_id"),
    # -- coding: workbooks
    ("import", "truncated.xlsx", lambda t, d: h.truncated(base(t, "sheet.xlsx")), "not a readable .xlsx workbook"),
    ("import", "bomb.xlsx", lambda t, d: h.bomb(base(t, "sheet.xlsx"), "xl/worksheets/sheet1.xml"),
     "xl/worksheets/sheet1.xml would unpack to 60 MB from"),
    ("import", "nokey.xlsx", lambda t, d: sheet_edit(t, d, lambda wb: wb["T1"].delete_cols(8)),
     "sheet 'T1': column H ('key (do not edit)') is missing"),
    ("import", "nocode.xlsx", lambda t, d: sheet_edit(t, d, lambda wb: wb["T1"].delete_cols(4)),
     "sheet 'T1': column D should be 'Code 1'"),
    ("import", "tampered.xlsx", lambda t, d: sheet_edit(t, d, lambda wb: wb["_integrity"].cell(6, 2, "x")),
     "the workbook's hidden integrity data was changed (n_codes is 'x'"),
    ("import", "noheader.xlsx", lambda t, d: sheet_edit(t, d, lambda wb: wb["_integrity"].delete_rows(8)),
     "the workbook's hidden integrity data was changed (its header row"),
    ("import", "resorted.xlsx", lambda t, d: sheet_edit(t, d, lambda wb: wb["T1"].move_range("A2:H2", rows=20)),
     "sheet 'T1'"),
    # -- coding: Word comments
    ("import", "nocomments.docx", lambda t, d: base(t, "copy.docx"), "the document has no comments to import"),
    ("import", "badcomments.docx", lambda t, d: member_edit(base(t, "comments.docx"), "word/comments.xml",
                                                           lambda x: x[:-30]),
     "its comments (word/comments.xml) are damaged (line"),
    ("import", "open.docx", lambda t, d: comment_edit(base(t, "comments.docx"),
                                                       lambda x: x.replace(b"<w:commentRangeEnd", b"<w:bookmarkEnd")),
     "1 coded comment cannot be placed on the text: comment 0 by JT (M1.1) has a range that never closes"),
    ("import", "other.docx", lambda t, d: base(t, "transcript.docx").replace(b"x", b"x"),
     "the document has no comments to import"),
    ("import", "bombcomments.docx", lambda t, d: h.bomb(base(t, "comments.docx"), "word/comments.xml"),
     "word/comments.xml would unpack to 60 MB from"),
    # -- coding: REFI-QDA
    ("import", "notzip.qdpx", lambda t, d: b"<Project/>", "not a readable REFI-QDA project"),
    ("import", "truncated.qdpx", lambda t, d: h.truncated(base(t, "project.qdpx")), "not a readable REFI-QDA project"),
    ("import", "noqde.qdpx", lambda t, d: h.zip_bytes({"sources/a.txt": b"text"}), "holds no project.qde"),
    ("import", "malformed.qdpx", lambda t, d: member_edit(base(t, "project.qdpx"), "project.qde", lambda x: x[:-50]),
     "project.qde is not well-formed XML (line"),
    ("import", "wrongroot.qdpx", lambda t, d: h.replace_member(base(t, "project.qdpx"), "project.qde",
                                                              b"<CodeBook xmlns='urn:QDA-XML:codebook:1.0'/>"),
     "project.qde holds a <CodeBook>, not a REFI-QDA <Project>"),
    ("import", "bomb.qdpx", lambda t, d: h.bomb(base(t, "project.qdpx"), "project.qde"),
     "project.qde would unpack to 60 MB from"),
    ("import", "nopositions.qdpx",
     lambda t, d: qde_edit(base(t, "project.qdpx"), b'startPosition="', b'startPosition="x'),
     "1 coded selection cannot be placed: selection"),
    ("import", "outside.qdpx", lambda t, d: qde_edit(base(t, "project.qdpx"), b'endPosition="', b'endPosition="9999'),
     "1 coded selection cannot be placed: selection"),
    ("import", "damaged.qdpx", lambda t, d: h.corrupt(base(t, "project.qdpx"), "project.qde"),
     "project.qde is damaged"),
    ("import", "aes.qdpx", lambda t, d: h.set_method(base(t, "project.qdpx"), "project.qde"),
     "project.qde uses a compression method npt-coder cannot unpack"),
    # -- whole REFI-QDA projects whose source becomes a new transcript
    ("import", "bombsource.qdpx", lambda t, d: h.bomb(new_source(t, SOURCE), "sources/T2.txt"),
     "sources/T2.txt would unpack to 60 MB from"),
    ("import", "damagedsource.qdpx", lambda t, d: h.corrupt(new_source(t, SOURCE * 20), "sources/T2.txt"),
     "sources/T2.txt is damaged ("),
    ("import", "nosource.qdpx", lambda t, d: new_source(t, None),
     "1 of 1 source is missing from the archive (their text is not in it: 'T2')"),
    ("import", "latin1.qdpx", lambda t, d: new_source(t, SOURCE.decode().replace("move", "déménagement")
                                                      .encode("latin-1")),
     "1 source cannot be read: 'T2': its plain text sources/T2.txt is not UTF-8 text (at byte"),
    ("import", "oneline.qdpx", lambda t, d: new_source(t, ("P02: " + f"{SECRET} went on " * 30_000).encode()),
     "source 'T2': paragraph 1 is 480,005 characters long"),
    ("import", "emptysource.qdpx", lambda t, d: new_source(t, b""), "1 coded selection cannot be placed"),
    ("import", "samename.qdpx", lambda t, d: new_source(t, SOURCE, name=b"T1"),
     "source 'T1' has the id of transcript T1, whose text differs"),
]


@pytest.mark.parametrize("verb, name, make, message", CASES, ids=[f"{c[0].split()[0]}-{c[1]}" for c in CASES])
def test_bad_input_is_one_line_naming_file_and_place_and_changes_nothing(template, study, tmp_path, verb, name,
                                                                         make, message):
    path = tmp_path / name
    path.write_bytes(make(template, tmp_path))
    db = study / "npt_coder.sqlite"
    before = h.dump(db)
    no_ner = ["--no-ner"] if verb.split()[0] in ("add", "replace", "import") else []
    result = runner.invoke(app, [*verb.split(), str(path), "-p", str(study), *no_ner])
    err = result.stderr.strip()
    assert result.exit_code == 1, result.output
    assert len(err.splitlines()) == 1 and "Traceback" not in result.output and "unexpected" not in err, err
    assert err.startswith(f"error: {name}: {message}"), err
    assert SECRET not in result.output and "Everyone expects" not in result.output
    assert h.dump(db) == before


def _xlsx(template, tmp_path, key: str = "file") -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append([key, "site"])
    wb.active.append(["T1.txt" if key == "file" else "T1", "S1"])
    wb.save(tmp_path / "table.xlsx")
    return (tmp_path / "table.xlsx").read_bytes()


BROKEN_YAML = b"codes: [\n  - id: X\n"
# the files a verb reads beside its main input: (name, bytes, command line with {path}, start of the one line)
SIDE_FILES = [
    ("bomb.xlsx", lambda t, d: h.bomb(_xlsx(t, d), "xl/worksheets/sheet1.xml"), "add {t1} --attributes {path}",
     "bomb.xlsx: attributes table: xl/worksheets/sheet1.xml would unpack to 60 MB"),
    ("ragged.csv", lambda t, d: b"file,site\nT1.txt,S1,north,extra\n", "add {t1} --attributes {path}",
     "ragged.csv: attributes table: line 2 has 4 values but the header has 2"),
    ("semicolons.csv", lambda t, d: b"file;site\nT1.txt;S1;north\n", "add {t1} --attributes {path}",
     "semicolons.csv: attributes table: line 2 has 3 values but the header has 2"),
    ("nokey.csv", lambda t, d: b"name,site\nT1.txt,S1\n", "add {t1} --attributes {path}",
     "nokey.csv: attributes table needs a 'file' or 'transcript_id' column"),
    ("twice.csv", lambda t, d: b"file,site,Site\nT1.txt,S1,S2\n", "add {t1} --attributes {path}",
     "twice.csv: attributes table: the header names the column 'site' twice"),
    ("deny.txt", lambda t, d: bytes(range(256)) * 4, "add {t1} --deny {path}", "deny.txt: is not UTF-8 text"),
    ("map.yaml", lambda t, d: BROKEN_YAML, "import {qdpx} --code-map {path}", "map.yaml: not valid YAML"),
    ("map.csv", lambda t, d: b"Trust\nBureaucracy\n", "import {qdpx} --code-map {path}",
     "map.csv: every row needs two columns"),
    ("review.xlsx", lambda t, d: h.truncated(_xlsx(t, d)), "reconcile {path}",
     "review.xlsx: not a readable .xlsx workbook"),
    ("bombreview.xlsx", lambda t, d: h.bomb(_xlsx(t, d), "xl/worksheets/sheet1.xml"), "reconcile {path}",
     "bombreview.xlsx: xl/worksheets/sheet1.xml would unpack to 60 MB"),
    ("codebook.yaml", lambda t, d: BROKEN_YAML, "codebook use {path}",
     "1 problem in {path}: - line 2, column 3: not valid YAML"),  # the codebook layer names the path given
    ("rq.yaml", lambda t, d: BROKEN_YAML, "themes --rq {path} -o {out}/t.md",
     "1 problem in rq.yaml: - line 2, column 3: not valid YAML"),
]


@pytest.mark.parametrize("name, make, args, message", SIDE_FILES, ids=[c[0] for c in SIDE_FILES])
def test_bad_side_files_are_one_line_and_change_nothing(template, study, tmp_path, name, make, args, message):
    path = tmp_path / name
    path.write_bytes(make(template, tmp_path))
    (tmp_path / "T1.txt").write_text(TEXT.replace("front door", "back door"), encoding="utf-8")
    line = args.format(path=path, t1=tmp_path / "T1.txt", qdpx=template / "files" / "project.qdpx", out=tmp_path)
    before = h.dump(study / "npt_coder.sqlite")
    result = runner.invoke(app, [*line.split(), "-p", str(study)] + (["--no-ner"] if line.startswith("add") else []))
    err = result.stderr.strip()
    assert result.exit_code == 1 and len(err.splitlines()) == 1 and "Traceback" not in result.output, result.output
    assert err.startswith(f"error: {message.format(path=path)}"), err
    assert h.dump(study / "npt_coder.sqlite") == before


@pytest.mark.parametrize("make, message", [
    (lambda path: path.symlink_to(path), "is a symbolic link that loops back on itself"),
    (lambda path: path.symlink_to(path.with_name("nowhere.txt")), "is a symbolic link to a file that does not exist"),
    (lambda path: path.mkdir(), "is a folder, not a file"),
    (lambda path: None, "file not found"),
], ids=["loop", "dangling", "folder", "missing"])
@pytest.mark.parametrize("verb, suffix", [("add", ".txt"), ("add", ".odt"), ("import", ".csv"), ("import", ".qdpx"),
                                          ("replace T1", ".docx")])
def test_files_that_are_not_files_are_named_as_such(study, tmp_path, make, message, verb, suffix):
    path = tmp_path / f"link{suffix}"
    make(path)
    before = h.dump(study / "npt_coder.sqlite")
    result = runner.invoke(app, [*verb.split(), str(path), "-p", str(study)])
    assert result.exit_code == 1 and result.stderr.strip() == f"error: link{suffix}: {message}"
    assert h.dump(study / "npt_coder.sqlite") == before


def test_a_file_no_one_may_read_is_named(study, tmp_path):
    import os

    path = tmp_path / "locked.txt"
    path.write_text(TEXT, encoding="utf-8")
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):  # running as root: permissions do not stop reading, so make it a folder
            path.unlink()
            path.mkdir()
            expected = "is a folder, not a file"
        else:
            expected = "cannot be read (permission denied)"
        result = runner.invoke(app, ["add", str(path), "-p", str(study)])
    finally:
        path.chmod(0o644) if path.is_file() else None
    assert result.exit_code == 1 and result.stderr.strip() == f"error: locked.txt: {expected}"


def test_odd_but_usable_files_are_accepted_and_every_later_verb_works(template, study, tmp_path):
    files = tmp_path / "in"
    files.mkdir()
    # form feeds from a PDF export, a vertical tab, a bell, a NUL and an escape sequence
    (files / "S2_P02.txt").write_bytes(
        "INT: What happened after the move?\n\nP02: The first weeks were hard\x0cthen it settled.\x07\n\n"
        "INT: And the forms?\n\nP02: One form\x0bone screen\x00 now.\x1b[0m\n".encode("utf-8")
        + b"\n\nINT: Anything else?\n\nP02: No, that is all for today.\n" * 40)
    (files / "S2_P03.vtt").write_text("WEBVTT\nKind: captions\n\nNOTE from the meeting app\n\n1\n"
                                      "00:00:01.000 --> 00:00:04.000\n<v Alex>How do referrals reach you?\n\n"
                                      "00:04.000 --> 00:09.000\n<v Robin>By email --> then a call.\n", encoding="utf-8")
    added = runner.invoke(app, ["add", str(files / "S2_P02.txt"), str(files / "S2_P03.vtt"), "-p", str(study),
                                "--no-ner", "--site", "S2"])
    assert added.exit_code == 0, added.output
    assert ("warning: S2_P02: 1 form feed read as a paragraph break; 1 vertical tab read as a line break; 3 control "
            "characters removed (U+0000 NUL, U+0007, U+001B ESC)") in added.output
    p = nc.open_project(study)
    texts = p.transcripts.set_index("transcript_id")["text"]
    assert not any(ch in texts["S2_P02"] for ch in "\x00\x07\x0b\x0c\x1b")
    # two coders on the new transcript, so that review and agreement have something to compare
    text = texts["S2_P02"]
    rows = []
    for coder, code in (("AK", "M3.1"), ("JT", "M3.2")):
        for quote in ("then it settled.", "One form\none screen now."):
            s = text.index(quote)
            rows.append(("S2_P02", coder, code, s, s + len(quote)))
    csv = tmp_path / "codes.csv"
    pd.DataFrame(rows, columns=["transcript_id", "coder", "code_id", "start", "end"]).to_csv(csv, index=False)
    assert runner.invoke(app, ["import", str(csv), "-p", str(study)]).exit_code == 0
    out = tmp_path / "out"
    verbs = [
        ["sheet", "--coder", "KL", "-o", str(out / "sheet.xlsx")],
        ["export", "codings", "--format", "xlsx", "-o", str(out / "codings.xlsx")],
        ["export", "transcript", "--transcript", "S2_P02", "-o", str(out / "S2_P02.docx")],
        ["matrix", "-o", str(out / "matrix.xlsx")],
        ["themes", "-o", str(out / "themes.xlsx")],
        ["themes", "-o", str(out / "themes.docx")],
        ["disagreements", "--coders", "AK,JT", "-o", str(out / "review.xlsx")],
        ["disagreements", "--coders", "AK,JT", "-o", str(out / "review.docx")],
        ["report", "-o", str(out / "report.xlsx")],
        ["show", "S2_P02"],
        ["history"],
    ]
    for args in verbs:
        result = runner.invoke(app, [*args, "-p", str(study)])
        assert result.exit_code == 0, (args, result.output)
    for name in ("sheet.xlsx", "codings.xlsx", "matrix.xlsx", "themes.xlsx", "review.xlsx", "report.xlsx"):
        load_workbook(out / name)  # opens: no illegal character reached the file
    for name in ("S2_P02.docx", "review.docx", "themes.docx"):
        Document(str(out / name))


def test_a_zip_with_other_compression_methods_is_read(template, tmp_path, study):
    # bzip2 and LZMA are valid zip methods: a file using them is read, not refused
    for method, name in ((zipfile.ZIP_BZIP2, "bz2.docx"), (zipfile.ZIP_LZMA, "lzma.docx")):
        path = tmp_path / name
        path.write_bytes(h.zip_bytes(h.members(base(template, "transcript.docx")), method))
        result = runner.invoke(app, ["add", str(path), "-p", str(study), "--no-ner"])
        assert result.exit_code == 0, result.output
    assert Path(study).is_dir()


def test_a_project_source_with_control_characters_is_tidied_like_a_file(template, study, tmp_path):
    # a whole-project import reads its sources as add reads files: a NUL and a form feed go, and the summary says so
    path = tmp_path / "controls.qdpx"
    path.write_bytes(new_source(template, SOURCE.replace(b"moved the", b"mo\x00ved the\x0c")))
    result = runner.invoke(app, ["import", str(path), "-p", str(study), "--no-ner"])
    assert result.exit_code == 0, result.output
    assert ("warning: T2: 1 form feed read as a paragraph break; 1 control character removed (U+0000 NUL)"
            in result.output)
    text = nc.open_project(study).transcript_text("T2")
    assert "moved the\n" in text and not any(ch in text for ch in "\x00\x0c")
    out = tmp_path / "out"
    for args in (["sheet", "--coder", "KL", "-o", str(out / "sheet.xlsx")],
                 ["export", "transcript", "--transcript", "T2", "-o", str(out / "T2.docx")]):
        assert runner.invoke(app, [*args, "-p", str(study)]).exit_code == 0, args
    load_workbook(out / "sheet.xlsx")
    Document(str(out / "T2.docx"))
