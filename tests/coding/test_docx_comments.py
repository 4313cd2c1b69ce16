"""Word comments: exact spans over the commented text, across runs and paragraphs, matched by content."""

import pytest
from docx import Document

from npt_coder.coding import import_files, read_docx_comments, transcript_to_docx
from npt_coder.coding._docx_comments import add_comment_to_text
from npt_coder.errors import CodingImportError
from npt_coder.services import add_transcripts

from ..conftest import write_docx


@pytest.fixture
def docx_project(tmp_path):
    import npt_coder as nc

    src = write_docx(tmp_path / "W1.docx", [
        "Interview W1", "Site: S1",
        [("Interviewer:", True), (" How did it start?", False)],
        [("[00:02:10] ", False), ("Participant:", True), (" It started ", False), ("very small", True),
         (" and then grew.", False)],
        "We learned a great deal about consent.",
        [("Interviewer:", True), (" Thanks.", False)],
    ])
    p = nc.init_project(tmp_path / "study")
    add_transcripts(p, [src])
    return p, src


def commented(src, tmp_path, comments, name="coded.docx"):
    doc = Document(str(src))
    for quote, text, author in comments:
        add_comment_to_text(doc, quote, text, author=author)
    out = tmp_path / name
    doc.save(out)
    return out


def texts_of(project, df):
    text = project.transcript_text(df["transcript_id"].iloc[0])
    return [text[s:e] for s, e in zip(df["start"], df["end"])]


def test_comment_over_several_runs_and_two_paragraphs(docx_project, tmp_path):
    p, src = docx_project
    path = commented(src, tmp_path, [("started very small and", "M1.1 – new for us", "JT"),
                                     ("grew.\nWe learned", "O4; M4.2: routine now", "JT")])
    df = read_docx_comments(path, p)
    assert texts_of(p, df) == ["started very small and", "grew.\nWe learned", "grew.\nWe learned"]
    assert df[["coder", "code_id", "memo"]].values.tolist() == [
        ["JT", "M1.1", "new for us"], ["JT", "O4", "routine now"], ["JT", "M4.2", "routine now"]]


def test_match_is_by_content_not_file_name(docx_project, tmp_path):
    p, src = docx_project
    path = commented(src, tmp_path, [("consent", "IND-CONSENT", "AK")], name="renamed_anything.docx")
    with pytest.raises(CodingImportError, match="no known code: 'IND-CONSENT'"):
        import_files(p, [path])  # the default codebook has no IND-CONSENT
    path = commented(src, tmp_path, [("consent", "M2.4", "AK")], name="renamed_again.docx")
    [r] = import_files(p, [path], coder="KL")
    assert r.transcripts == ["W1"] and r.coders == ["KL"]  # --coder overrides the author


def test_word_copy_of_a_text_transcript_imports_exactly(tmp_path):
    import npt_coder as nc

    txt = tmp_path / "T.txt"
    txt.write_text("I: Why?\n\nR: Because the systems\ndo not talk.\n\nR2: Agreed.\n", encoding="utf-8")
    p = nc.init_project(tmp_path / "s")
    add_transcripts(p, [txt])
    copy = tmp_path / "copy.docx"
    transcript_to_docx(p.transcript_text("T")).save(copy)
    path = commented(copy, tmp_path, [("systems\ndo not", "IT systems", "JT")])
    df = read_docx_comments(path, p, new_inductive=True)
    assert texts_of(p, df) == ["systems\ndo not"]
    assert df["code_id"].tolist() == ["IT-systems"]


def test_word_copy_with_its_title_and_instructions_still_imports_exactly(tmp_path):
    import npt_coder as nc
    from docx import Document

    txt = tmp_path / "T.txt"
    txt.write_text("I: Why?\n\nR: Because the systems\ndo not talk.\n\nR2: Agreed.\n", encoding="utf-8")
    p = nc.init_project(tmp_path / "s")
    add_transcripts(p, [txt], attributes={"site": "S1", "role": "police"})
    copy = tmp_path / "copy.docx"
    transcript_to_docx(p.transcript_text("T"), transcript_id="T", attributes={"site": "S1", "role": "police"},
                       title="T: a copy for coding").save(copy)
    doc = Document(str(copy))
    front = "".join(t.text or "" for t in doc.element.body[0].iter() if t.tag.endswith("}t"))
    assert "T: a copy for coding" in front and "Site: S1 · Role: police" in front
    assert "npt-coder import followed by the file's name" in front and "T.docx" not in front
    # the instructions' own words ("comment", "code") must not become codings, nor shift the offsets
    path = commented(copy, tmp_path, [("systems\ndo not", "IT systems", "JT")])
    df = read_docx_comments(path, p, new_inductive=True)
    assert texts_of(p, df) == ["systems\ndo not"]


def test_unknown_comment_and_unmatched_document(docx_project, tmp_path):
    p, src = docx_project
    path = commented(src, tmp_path, [("consent", "Relational integraton: typo", "JT")])
    with pytest.raises(CodingImportError, match=r"starts? with no known code: 'Relational integraton' \(closest: "
                                                r"M3.3 \(Relational integration\)"):
        read_docx_comments(path, p)
    other = write_docx(tmp_path / "other.docx", ["I: something else entirely", "R: yes"])
    path = commented(other, tmp_path, [("something", "M1.1", "JT")], name="o.docx")
    with pytest.raises(CodingImportError, match="o.docx: its text matches no transcript in the project"):
        read_docx_comments(path, p)


def test_document_without_comments(docx_project):
    p, src = docx_project
    with pytest.raises(CodingImportError, match="no comments to import"):
        read_docx_comments(src, p)
