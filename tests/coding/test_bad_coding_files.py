"""Coding files that are damaged, edited or odd: one line naming the file and the place, nothing imported; and what
a file holds that cannot become a coding is never dropped without a word (a line in the summary and the history)."""

from __future__ import annotations

import re
import zipfile

import pandas as pd
import pytest
from docx import Document
from lxml import etree
from openpyxl import load_workbook

from npt_coder.coding import import_files, make_coding_workbook, transcript_to_docx
from npt_coder.coding._docx_comments import add_comment_to_text
from npt_coder.coding._qdpx import project_to_qdpx
from npt_coder.errors import CodingImportError
from npt_coder.services import import_project

from ..hostile import members, replace_member, zip_bytes


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


# -- long tables -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("body, message", [
    ("T1,AK,M1.1,0,inf", "row 1: end 'inf' is not a whole number"),
    ("T1,AK,M1.1,nan,5", "row 1: start 'nan' is not a whole number"),
    ("T1,AK,M1.1,0,1e30", "row 1: end '1e30' is far beyond the end of any transcript"),
    ("T1,AK,M1.1,-1e30,5", "row 1: start '-1e30' is far beyond the end of any transcript"),
    ("T1,AK,M1.1,True,5", "row 1: start 'True' is not a whole number"),
    ("T1,AK,M1.1,0.5,5", "row 1: start '0.5' is not a whole number"),
    ("T1,AK,M1.1,0,5,a note, with a comma", "line 2 has 7 values but the header has 5"),
    ("T1,AK,M1.1,0,5\nT1,AK", "line 3 has 2 values but the header has 5"),
    ("T1,AK,M1.1,0,99999", "row 1: span 0-99999 is outside transcript T1"),
])
def test_bad_rows_of_a_csv_are_named(project, tmp_path, body, message):
    path = write(tmp_path / "codes.csv", f"transcript_id,coder,code_id,start,end\n{body}\n")
    with pytest.raises(CodingImportError) as err:
        import_files(project, [path])
    assert str(err.value).startswith(f"codes.csv: {message}")
    assert project.codings.empty


def test_a_column_named_twice_is_refused(project, tmp_path):
    path = write(tmp_path / "twice.csv", "transcript_id,coder,code_id,Start,start,end\nT1,AK,M1.1,0,0,5\n")
    with pytest.raises(CodingImportError, match="twice.csv: the header names the column 'start' twice \\(as 'Start' "
                                                "and 'start'\\); keep one"):
        import_files(project, [path])


def test_a_utf16_csv_from_excel_imports(project, spans, tmp_path):
    s, e = spans("T1", "It started small.")
    path = tmp_path / "excel.csv"
    path.write_bytes(f"transcript_id,coder,code_id,start,end\r\nT1,AK,M1.1,{s},{e}\r\n".encode("utf-16"))
    [r] = import_files(project, [path])
    assert r.n_codings == 1 and project.codings[["start", "end"]].values.tolist() == [[s, e]]


def test_offsets_in_an_excel_table_are_read_as_numbers_not_dates(project, spans, tmp_path):
    s, e = spans("T2", "Double entry every day.")
    path = tmp_path / "table.xlsx"
    pd.DataFrame({"Transcript ID": ["T2"], "Coder": ["JT"], "Code ID": ["M3.1"], "Start": [s],
                  "End": [float(e)]}).to_excel(path, index=False)
    [r] = import_files(project, [path])
    assert r.n_codings == 1


# -- coding workbooks ------------------------------------------------------------------------------------------------

@pytest.fixture
def workbook(project, tmp_path):
    path = tmp_path / "AK.xlsx"
    make_coding_workbook(project, "AK").save(path)
    return path


def edited(path, change):
    wb = load_workbook(path)
    wb["T1"]["D2"] = "M1.1"
    change(wb)
    wb.save(path)
    return path


@pytest.mark.parametrize("change, message", [
    (lambda wb: wb["T1"].delete_cols(8), "sheet 'T1': column H ('key (do not edit)') is missing"),
    (lambda wb: wb["T1"].delete_cols(4), "sheet 'T1': column D should be 'Code 1' but is 'Code 2'"),
    (lambda wb: wb["T1"].insert_cols(2), "sheet 'T1': column B ('Speaker') is missing"),
    (lambda wb: wb["_integrity"].delete_rows(8), "hidden integrity data was changed (its header row"),
    (lambda wb: wb["_integrity"].cell(6, 2, "three"), "(n_codes is 'three', not a number of code columns)"),
    (lambda wb: wb["_integrity"].cell(3, 2, "chapter"), "(unit is 'chapter', not one of turn, paragraph, sentence)"),
    (lambda wb: wb["_integrity"].cell(9, 5, "abc"), "(row 9: its offsets are not whole numbers"),
    (lambda wb: wb["_integrity"].cell(9, 5, 1e30), "(row 9: its offsets are not whole numbers"),
    (lambda wb: wb["_integrity"].cell(9, 7, "0" * 64), "(row 9: its text hash is not one npt-coder wrote)"),
    (lambda wb: wb["_integrity"].delete_cols(7), "(its header row reads sheet, row, transcript_id, segment_id, start, "
                                                 "end, context)"),
    (lambda wb: wb["_integrity"].insert_cols(3), "(its header row reads sheet, row, None"),
    (lambda wb: wb["_integrity"].delete_rows(1, 200), "(its header row 'sheet, row, transcript_id, ...' is missing)"),
    (lambda wb: wb.remove(wb["_integrity"]), "a coding workbook made by 'npt-coder sheet' whose hidden integrity data "
                                             "is gone"),
])
def test_a_workbook_changed_where_it_must_not_be_is_refused(project, workbook, change, message):
    path = edited(workbook, change)
    with pytest.raises(CodingImportError) as err:
        import_files(project, [path])
    assert str(err.value).startswith("AK.xlsx: ") and message in str(err.value), str(err.value)
    assert len(str(err.value).splitlines()) == 1 and project.codings.empty


def test_a_duplicated_integrity_row_is_refused(project, workbook):
    def duplicate(wb):
        ws = wb["_integrity"]
        ws.append(list(next(ws.iter_rows(min_row=9, max_row=9, values_only=True))))

    with pytest.raises(CodingImportError, match=r"unit t0001 of sheet 'T1' is listed twice"):  # row 9: the question
        import_files(project, [edited(workbook, duplicate)])


# -- Word comments ---------------------------------------------------------------------------------------------------

@pytest.fixture
def word_copy(project, tmp_path):
    path = tmp_path / "T1_copy.docx"
    transcript_to_docx(project.transcript_text("T1")).save(path)
    return path


def commented(src, out, comments):
    doc = Document(str(src))
    for quote, text, author in comments:
        add_comment_to_text(doc, quote, text, author=author)
    doc.save(out)
    return out


def rewrite_part(path, name, change):
    data = path.read_bytes()
    root = etree.fromstring(members(data)[name])
    change(root)
    path.write_bytes(replace_member(data, name, etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                                               standalone=True)))
    return path


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def test_damaged_comments_xml_is_one_line(project, word_copy, tmp_path):
    path = commented(word_copy, tmp_path / "coded.docx", [("It started small.", "M1.1", "AK")])
    data = path.read_bytes()
    path.write_bytes(replace_member(data, "word/comments.xml", members(data)["word/comments.xml"][:-40]))
    with pytest.raises(CodingImportError, match=r"^coded.docx: its comments \(word/comments.xml\) are damaged \(line "
                                                r"\d+: .*\); open the file in Word and save it again$"):
        import_files(project, [path])


def test_a_comment_whose_range_never_closes_refuses_the_file_and_names_it(project, word_copy, tmp_path):
    path = commented(word_copy, tmp_path / "coded.docx", [("It started small.", "M1.1 first", "AK"),
                                                          ("Everyone expects it.", "O4", "AK"),
                                                          ("We learned a lot", "M2.2", "AK")])

    def drop_ends(root):  # the end markers of comments 1 and 2 are lost
        for el in list(root.iter(f"{W}commentRangeEnd")):
            if el.get(f"{W}id") in ("1", "2"):
                el.getparent().remove(el)

    rewrite_part(path, "word/document.xml", drop_ends)
    with pytest.raises(CodingImportError) as err:
        import_files(project, [path])
    assert str(err.value) == ("coded.docx: 2 coded comments cannot be placed on the text: comment 1 by AK (O4) has "
                              "a range that never closes; comment 2 by AK (M2.2) has a range that never closes; in "
                              "Word, select the words each code applies to and comment again (nothing was imported)")
    assert "expects" not in str(err.value)  # the transcript's words are never quoted
    assert project.codings.empty


def test_range_markers_between_paragraphs_are_read(project, word_copy, spans, tmp_path):
    # Word may put a comment's markers between paragraphs (children of the body): they border the paragraphs
    path = commented(word_copy, tmp_path / "coded.docx", [("Now it is routine. Everyone expects it.", "O4", "AK")])

    def hoist(root):
        body = root.find(f"{W}body")
        start = next(root.iter(f"{W}commentRangeStart"))
        end = next(root.iter(f"{W}commentRangeEnd"))
        para_start, para_end = start.getparent(), end.getparent()
        body.insert(body.index(para_start), start)
        body.insert(body.index(para_end) + 1, end)

    rewrite_part(path, "word/document.xml", hoist)
    [r] = import_files(project, [path])
    assert r.n_codings == 1
    row = project.codings.iloc[0]
    text = project.transcript_text("T1")
    assert text[row["start"]:row["end"]] == "Now it is routine. Everyone expects it."  # the label is never coded


def test_replies_are_left_aside_with_a_line_kept_in_the_history(project, word_copy, tmp_path):
    path = commented(word_copy, tmp_path / "coded.docx", [("It started small.", "M1.1", "AK"),
                                                          ("It started small.", "Agreed, and early", "JT")])

    def as_reply(root):  # comment 1 answers comment 0, as Word 2013 and later record it
        for i, c in enumerate(root.iter(f"{W}comment")):
            for p in c.iter(f"{W}p"):
                p.set("{http://schemas.microsoft.com/office/word/2010/wordml}paraId", f"0000000{i}")

    rewrite_part(path, "word/comments.xml", as_reply)
    ext = ('<w15:commentsEx xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml">'
           '<w15:commentEx w15:paraId="00000000" w15:done="0"/>'
           '<w15:commentEx w15:paraId="00000001" w15:paraIdParent="00000000" w15:done="0"/></w15:commentsEx>')
    path.write_bytes(replace_member(path.read_bytes(), "word/commentsExtended.xml", ext.encode()))
    [r] = import_files(project, [path])
    assert r.n_codings == 1 and r.coders == ["AK"]
    assert r.left_out == ["1 reply to comments left aside (a reply is discussion, not a coding)"]
    assert r.summary().endswith("; 1 reply to comments left aside (a reply is discussion, not a coding)")
    history = project.history()
    assert history.loc[history["batch_id"] == r.batch_id, "left_out"].item() == r.left_out[0]


def test_an_edited_word_copy_says_what_differs_never_100_percent(project, word_copy, tmp_path):
    doc = Document(str(word_copy))
    para = next(p for p in doc.paragraphs if "Everyone expects it" in p.text)
    para.runs[0].text = para.runs[0].text.replace("Everyone expects it", "Everybody expects it")
    add_comment_to_text(doc, "It started small.", "M1.1", author="AK")
    path = tmp_path / "edited.docx"
    doc.save(path)
    with pytest.raises(CodingImportError) as err:
        import_files(project, [path])
    message = str(err.value)
    assert "100%" not in message
    assert re.search(r"\(closest: T1, 9\d(\.\d)?% alike: 1 word differs in 1 place, at word \d+ of \d+\)", message)
    assert "Everybody" not in message and "Everyone" not in message


# -- REFI-QDA ----------------------------------------------------------------------------------------------------------

@pytest.fixture
def qdpx(project, spans, tmp_path):
    from npt_coder.coding import import_codings

    s, e = spans("T1", "It started small.")
    import_codings(project, pd.DataFrame({"transcript_id": ["T1"], "coder": ["AK"], "code_id": ["M1.1"],
                                          "start": [s], "end": [e]}), source="csv")
    path = project_to_qdpx(project, tmp_path / "study.qdpx")
    project.undo_batch(int(project.history()["batch_id"].max()))  # the project holds no codings again
    return path


def edit_qde(path, change):
    data = path.read_bytes()
    root = etree.fromstring(members(data)["project.qde"])
    change(root, "{urn:QDA-XML:project:1.0}")
    path.write_bytes(replace_member(data, "project.qde", etree.tostring(root, xml_declaration=True,
                                                                        encoding="utf-8")))
    return path


def test_a_coded_selection_without_positions_refuses_the_file(project, qdpx):
    def no_positions(root, ns):
        sel = next(root.iter(f"{ns}PlainTextSelection"))
        sel.set("startPosition", "near the top")

    edit_qde(qdpx, no_positions)
    with pytest.raises(CodingImportError) as err:
        import_files(project, [qdpx])
    assert re.match(r"study.qdpx: 1 coded selection cannot be placed: selection [0-9a-f-]+ in source 'T1' has no "
                    r"whole-number startPosition and endPosition", str(err.value)), str(err.value)
    assert project.codings.empty


def _add_picture(root, ns):
    """A picture source with one coded region, in the file's project.qde."""
    code_guid = next(c.get("guid") for c in root.iter(f"{ns}Code") if c.get("isCodable") == "true")
    user_guid = next(root.iter(f"{ns}User")).get("guid")
    sources = next(root.iter(f"{ns}Sources"))
    pic = etree.SubElement(sources, f"{ns}PictureSource", guid="aaaaaaaa-0000-4000-8000-000000000001",
                           name="site map", path="internal://map.png")
    sel = etree.SubElement(pic, f"{ns}PictureSelection", guid="aaaaaaaa-0000-4000-8000-000000000002",
                           firstX="1", firstY="1", secondX="20", secondY="20", creatingUser=user_guid)
    coding = etree.SubElement(sel, f"{ns}Coding", guid="aaaaaaaa-0000-4000-8000-000000000003", creatingUser=user_guid)
    etree.SubElement(coding, f"{ns}CodeRef", targetGUID=code_guid)


def test_codings_on_a_picture_are_left_out_with_a_line_in_summary_and_history(project, qdpx):
    edit_qde(qdpx, _add_picture)
    [r] = import_files(project, [qdpx])
    assert r.n_codings == 1
    assert r.left_out == ["1 coding on sources that are not text (1 PictureSource) left out: npt-coder codes "
                          "transcript text only"]
    history = project.history()
    assert history.loc[history["batch_id"] == r.batch_id, "left_out"].item() == r.left_out[0]


def test_a_whole_project_import_keeps_what_it_left_aside_in_the_history(project, qdpx):
    # the same picture coding, and a coding of a folder, through the whole-project import ('import X.qdpx')
    def add_picture_and_folder(root, ns):
        _add_picture(root, ns)
        folder = next(c.get("guid") for c in root.iter(f"{ns}Code") if c.get("isCodable") == "false")
        sel = next(root.iter(f"{ns}PlainTextSelection"))
        coding = etree.SubElement(sel, f"{ns}Coding", guid="aaaaaaaa-0000-4000-8000-000000000004",
                                  creatingUser=next(root.iter(f"{ns}User")).get("guid"))
        etree.SubElement(coding, f"{ns}CodeRef", targetGUID=folder)

    edit_qde(qdpx, add_picture_and_folder)
    r = import_project(project, qdpx, nlp=None)
    assert r.codings.n_codings == 1
    assert r.left_aside["coding on a source that is not text"] == 1 and r.left_aside["picture source"] == 1
    assert r.left_aside['coding of a folder (a code marked isCodable="false")'] == 1
    kept = project.history().set_index("batch_id").loc[r.codings.batch_id, "left_out"]
    assert all(f"{n} {what} left aside" in kept for what, n in r.left_aside.items())


def test_a_qdpx_bomb_is_refused_before_it_is_unpacked(project, qdpx):
    parts = members(qdpx.read_bytes())
    source = next(n for n in parts if n.startswith("sources/"))
    parts[source] = b"a" * 80_000_000
    qdpx.write_bytes(zip_bytes(parts))
    with pytest.raises(CodingImportError, match=rf"^study.qdpx: {re.escape(source)} would unpack to 80 MB from .* "
                                                "which only a zip bomb does; refused$"):
        import_files(project, [qdpx])


def test_a_stored_qdpx_member_with_a_bad_crc_is_one_line(project, qdpx):
    parts = members(qdpx.read_bytes())
    data = bytearray(zip_bytes(parts, zipfile.ZIP_STORED))
    at = bytes(data).rindex(b"It started small")  # in the source's text (the project XML names it too)
    data[at] = ord("X")  # a flipped byte in a member stored without compression
    qdpx.write_bytes(bytes(data))
    with pytest.raises(CodingImportError, match=r"^study.qdpx: sources/.*\.txt is damaged \(Bad CRC-32"):
        import_files(project, [qdpx])
