"""pseudonymise_file: .txt (encodings, newlines), .vtt/.srt (cue text only), .docx (runs, formatting, parts)."""

from __future__ import annotations

import codecs
import zipfile

import pytest
from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT

from npt_coder.anon import Pseudonymiser, find_identifiers, pseudonymise_file
from npt_coder.errors import PseudonymisationError

SAMPLE = "P01: Mrs Smith rang on 07700 900123 about Jamie, aged 7.\nInterviewer: And Oakwood Primary School? Café £5."
EXPECTED = ("P01: [PERSON 1] rang on [PHONE] about [PERSON 2], aged 7.\nInterviewer: And [SCHOOL 1]? Café £5.")
REPLACED = {"person", "phone", "age_with_name", "school"}


def assert_clean(text, nlp=None):
    df = find_identifiers(text, nlp=nlp)
    assert df.empty, df


# ------------------------------------------------------------------------------------------------------ txt
@pytest.mark.parametrize(
    "encoding, bom",
    [("utf-8", b""), ("utf-8", codecs.BOM_UTF8), ("utf-16-le", codecs.BOM_UTF16_LE),
     ("utf-16-be", codecs.BOM_UTF16_BE), ("cp1252", b"")],
)
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_txt_keeps_encoding_bom_and_newlines(tmp_path, encoding, bom, newline):
    src = tmp_path / "t.txt"
    src.write_bytes(bom + SAMPLE.replace("\n", newline).encode(encoding))
    (tmp_path / "out").mkdir()
    result = pseudonymise_file(src, tmp_path / "out", Pseudonymiser())
    data = (tmp_path / "out" / "t.txt").read_bytes()
    assert data == bom + EXPECTED.replace("\n", newline).encode(encoding)
    assert result.encoding == encoding and result.format == "txt"
    assert set(result.replaced) == REPLACED and result.n_replaced == 4
    assert result.to_frame()["n"].sum() == 4
    assert "Smith" not in repr(result)


def test_txt_with_the_pipeline_is_clean_afterwards(tmp_path, nlp):
    src = tmp_path / "t.txt"
    src.write_text("Interviewer: Who? P01: Kerry Dawson and Tegan, from Halifax, ring 0113 496 0000.\n", "utf-8")
    p = Pseudonymiser(nlp=nlp)
    pseudonymise_file(src, tmp_path / "o.txt", p)
    out = (tmp_path / "o.txt").read_text("utf-8")
    assert out.startswith("Interviewer: Who? P01: [PERSON 1] and [PERSON 2], from [PLACE 1], ring [PHONE].")
    assert_clean(out, nlp)


# ------------------------------------------------------------------------------------------------------ vtt / srt
VTT = ("WEBVTT\r\n\r\nNOTE recorded at 12 Oak Road\r\n\r\n1\r\n00:00:01.000 --> 00:00:04.000 align:start\r\n"
       "<v Sarah Jones>Hi Mrs Smith, ring 07700 900123</v>\r\n\r\n"
       "2\r\n00:00:05.000 --> 00:00:06.500\r\n<v P01><i>Jamie</i>, aged 7, is at\r\nOakwood Primary School.\r\n")


def test_vtt_changes_only_cue_text(tmp_path):
    src = tmp_path / "t.vtt"
    src.write_bytes(codecs.BOM_UTF8 + VTT.encode("utf-8"))
    result = pseudonymise_file(src, tmp_path / "o.vtt", Pseudonymiser())
    out = (tmp_path / "o.vtt").read_bytes().decode("utf-8-sig")
    assert out == VTT.replace("12 Oak Road", "[ADDRESS]").replace("Mrs Smith", "[PERSON 1]").replace(
        "07700 900123", "[PHONE]").replace("Oakwood Primary School", "[SCHOOL 1]").replace(
        "<i>Jamie</i>", "<i>[PERSON 2]</i>")
    # timings, cue ids, the header and <v ...> tags are byte for byte the same
    assert "00:00:01.000 --> 00:00:04.000 align:start\r\n<v Sarah Jones>" in out and "<v P01><i>[PERSON 2]</i>" in out
    assert result.encoding == "utf-8"


def test_vtt_voice_names_on_request(tmp_path):
    src = tmp_path / "t.vtt"
    src.write_text(VTT, "utf-8", newline="")
    pseudonymise_file(src, tmp_path / "o.vtt", Pseudonymiser(), voice_names=True)
    out = (tmp_path / "o.vtt").read_text("utf-8")
    assert "<v [PERSON 1]>Hi [PERSON 2]" in out and "<v P01>" in out


SRT = ("1\n00:00:01,000 --> 00:00:04,000\n<i>Mrs Smith</i> said ring\n0113 496 0000\n\n"
       "2\n00:00:05,000 --> 00:00:06,000\n{\\an8}DOB 12/03/2015\n")


def test_srt_changes_only_cue_text(tmp_path):
    src = tmp_path / "t.srt"
    src.write_text(SRT, "utf-8", newline="")
    pseudonymise_file(src, tmp_path / "o.srt", Pseudonymiser())
    out = (tmp_path / "o.srt").read_text("utf-8")
    assert out == ("1\n00:00:01,000 --> 00:00:04,000\n<i>[PERSON 1]</i> said ring\n[PHONE]\n\n"
                   "2\n00:00:05,000 --> 00:00:06,000\n{\\an8}DOB [DATE]\n")


# ------------------------------------------------------------------------------------------------------ docx
def docx_text(path):
    doc = Document(path)
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    for s in doc.sections:
        parts += [p.text for p in s.header.paragraphs] + [p.text for p in s.footer.paragraphs]
    return "\n".join(parts)


@pytest.fixture
def transcript_docx(docx_factory):
    return docx_factory(
        "t.docx",
        [
            [("P01: ", True), ("I spoke to Mrs Sm", False), ("ith on 07700 ", False), ("900123 yesterday.", False)],
            "Interviewer: And the school?",
            [("Kerry Dawson:", True), (" St Mary's Primary School, email head@example.sch.uk", False)],
        ],
        header="Interview with Mrs Smith", footer="Tel 0113 496 0000",
        table=[["P02", "My son Jamie (7) lives at 12 Oak Road, LS6 2AB"]],
    )


def test_docx_replaces_inside_runs_and_keeps_formatting(tmp_path, transcript_docx):
    result = pseudonymise_file(transcript_docx, tmp_path / "o.docx", Pseudonymiser())
    doc = Document(tmp_path / "o.docx")
    runs = [[(r.text, bool(r.bold)) for r in p.runs] for p in doc.paragraphs]
    # the name split across two runs lands in the run where it starts; the label stays bold
    assert runs[0] == [("P01: ", True), ("I spoke to [PERSON 1]", False), (" on [PHONE]", False),
                       (" yesterday.", False)]
    assert runs[1] == [("Interviewer: And the school?", False)]
    assert runs[2] == [("[PERSON 2]:", True), (" [SCHOOL 1], email [EMAIL]", False)]
    assert doc.tables[0].rows[0].cells[0].text == "P02"
    assert doc.tables[0].rows[0].cells[1].text == "My son [PERSON 3] (7) lives at [ADDRESS], [POSTCODE]"
    assert doc.sections[0].header.paragraphs[0].text == "Interview with [PERSON 1]"
    assert doc.sections[0].footer.paragraphs[0].text == "Tel [PHONE]"
    assert result.format == "docx" and result.encoding is None
    assert_clean(docx_text(tmp_path / "o.docx"))


def test_docx_with_the_pipeline_is_clean_afterwards(tmp_path, docx_factory, nlp):
    src = docx_factory("n.docx", [[("P01:", True), (" Tegan and Lorcan's mum went to Harro", False),
                                   ("gate with Amir Khan.", False)]])
    pseudonymise_file(src, tmp_path / "o.docx", Pseudonymiser(nlp=nlp))
    text = docx_text(tmp_path / "o.docx")
    assert text.startswith("P01: [PERSON 1] and [PERSON 2]'s mum went to [PLACE 1] with [PERSON 3].")
    assert_clean(text, nlp)


def test_docx_hyperlink_targets_with_identifiers_are_removed(tmp_path):
    doc = Document()
    p = doc.add_paragraph("Write to ")
    r_id = doc.part.relate_to("mailto:jane.doe@example.com", RT.HYPERLINK, is_external=True)
    link = p._p.makeelement("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}hyperlink")
    link.set("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id", r_id)
    run = p.add_run("jane.doe@example.com")
    link.append(run._r)
    p._p.append(link)
    doc.core_properties.title = "Interview with Mrs Smith"
    doc.save(tmp_path / "h.docx")
    pseudonymise_file(tmp_path / "h.docx", tmp_path / "o.docx", Pseudonymiser())
    with zipfile.ZipFile(tmp_path / "o.docx") as zf:
        everything = b"".join(zf.read(n) for n in zf.namelist())
    assert b"jane.doe" not in everything and b"Smith" not in everything
    assert Document(tmp_path / "o.docx").paragraphs[0].text == "Write to [EMAIL]"


def test_docx_tracked_deletions_are_pseudonymised_too(tmp_path):
    doc = Document()
    p = doc.add_paragraph("Kept text. ")
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    deleted = p._p.makeelement(f"{w}del", {f"{w}id": "1", f"{w}author": "T"})
    run = p._p.makeelement(f"{w}r")
    text = run.makeelement(f"{w}delText")
    text.text = "Ring Mrs Smith on 07700 900123"
    run.append(text)
    deleted.append(run)
    p._p.append(deleted)
    doc.save(tmp_path / "d.docx")
    pseudonymise_file(tmp_path / "d.docx", tmp_path / "o.docx", Pseudonymiser())
    with zipfile.ZipFile(tmp_path / "o.docx") as zf:
        xml = zf.read("word/document.xml").decode("utf-8")
    assert "Smith" not in xml and "07700" not in xml and "Ring [PERSON 1] on [PHONE]" in xml


# ------------------------------------------------------------------------------------------------------ errors
def test_bad_files_are_one_line_errors(tmp_path, transcript_docx):
    p = Pseudonymiser()
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    with pytest.raises(PseudonymisationError, match=r"notes.pdf: cannot pseudonymise \.pdf"):
        pseudonymise_file(tmp_path / "notes.pdf", tmp_path / "o.pdf", p)
    with pytest.raises(PseudonymisationError, match="missing.txt: the file does not exist"):
        pseudonymise_file(tmp_path / "missing.txt", tmp_path / "o.txt", p)
    (tmp_path / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(PseudonymisationError, match="broken.docx: is not a readable Word .docx file"):
        pseudonymise_file(tmp_path / "broken.docx", tmp_path / "o.docx", p)
    with pytest.raises(PseudonymisationError, match="cannot overwrite its own source"):
        pseudonymise_file(transcript_docx, transcript_docx, p, overwrite=True)
    pseudonymise_file(transcript_docx, tmp_path / "o.docx", p)
    with pytest.raises(PseudonymisationError, match="already exists"):
        pseudonymise_file(transcript_docx, tmp_path / "o.docx", p)
    pseudonymise_file(transcript_docx, tmp_path / "o.docx", p, overwrite=True)
    with pytest.raises(PseudonymisationError, match="must keep the format"):
        pseudonymise_file(transcript_docx, tmp_path / "o.txt", p)
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02Mrs Smith")
    with pytest.raises(PseudonymisationError, match="binary data") as err:
        pseudonymise_file(tmp_path / "bin.txt", tmp_path / "o2.txt", p)
    assert "Smith" not in str(err.value)


def test_pseudonymise_files_is_all_or_nothing(tmp_path):
    # a later file that fails, or a key whose folder is missing, leaves no copies and no key behind
    from npt_coder.anon import Pseudonymiser, pseudonymise_files

    good = tmp_path / "S1_P01.txt"
    good.write_text("P01: Mrs Smith rang on 07700 900123.\n", encoding="utf-8")
    bad = tmp_path / "S1_P02.docx"
    bad.write_bytes(b"PK\x03\x04 not really a Word file")
    out, key = tmp_path / "pseudo", tmp_path / "secure" / "KEY.csv"
    with pytest.raises(PseudonymisationError, match="key's folder does not exist"):
        pseudonymise_files([good], out, Pseudonymiser(), key)
    key.parent.mkdir()
    with pytest.raises(PseudonymisationError, match="S1_P02.docx"):
        pseudonymise_files([good, bad], out, Pseudonymiser(), key)
    assert not out.exists() and not key.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["S1_P01.txt", "S1_P02.docx", "secure"]
    done = pseudonymise_files([good], out, Pseudonymiser(), key)
    assert [d.dst for d in done] == [out / "S1_P01.txt"]
    assert (out / "S1_P01.txt").read_text(encoding="utf-8") == "P01: [PERSON 1] rang on [PHONE].\n"
    assert "Mrs Smith" in key.read_text(encoding="utf-8")
    with pytest.raises(PseudonymisationError, match="exists already"):
        pseudonymise_files([good], out, Pseudonymiser(), tmp_path / "secure" / "KEY2.csv")
