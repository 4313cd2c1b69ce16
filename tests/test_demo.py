"""The bundled demo study runs end to end and is the study the issue asks for."""

import pytest
from docx import Document
from openpyxl import load_workbook

import npt_coder as nc
from npt_coder.demo import demo_files, run_demo
from npt_coder.errors import ProjectError


@pytest.fixture(scope="module")
def demo(demo_run):
    return demo_run


def test_demo_study_shape(demo):
    t = demo.project.transcripts
    assert len(t) == 12
    assert set(t["site"]) == {"S1", "S2", "S3"}
    assert {"social care", "police", "health", "education", "early help"} <= set(t["role"])
    assert (t["method"] == "focus group").sum() == 1
    assert set(t["format"]) == {"docx", "txt", "vtt"}
    assert t["n_words"].between(1500, 4000).all()
    # every transcript has interviewer and participant turns
    seg = demo.project.segments("turn")
    assert (seg.groupby("transcript_id")["speaker_role"].nunique() == 2).all()


def test_demo_text_encodings_survive(demo):
    text = demo.project.transcript_text("S2_P10")  # Windows-1252 file
    assert "’" in text and "£" in text and "Ã" not in text


def test_demo_outputs_reopen(demo):
    names = {p.name for p in demo.outputs}
    assert {"codebook.md", "codebook.docx", "codebook.xlsx", "transcripts.csv", "segments_turn.csv"} <= names
    doc = Document(str(demo.project.reports_dir / "codebook.docx"))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert "Mechanism" in headings
    assert any(h.startswith("M3.3") for h in headings)
    assert any(h.startswith("IND-CONSENT") for h in headings)
    wb = load_workbook(demo.project.reports_dir / "codebook.xlsx")
    codes = [row[2] for row in wb["Codes"].iter_rows(min_row=2, values_only=True)]
    assert len(set(codes)) == 28 and "O4" in codes


def test_demo_refuses_to_replace_a_real_project(tmp_path):
    nc.init_project(tmp_path / "real")
    with pytest.raises(ProjectError, match="not the demo"):
        run_demo(tmp_path / "real")


def test_demo_files_are_the_twelve_transcripts():
    assert len(demo_files()) == 12


def test_demo_double_coding_agreement_and_consensus(demo):
    c = demo.project.codings
    assert set(c["coder"]) == {"AK", "JT", "consensus"}
    assert c.groupby("coder")["transcript_id"].nunique().to_dict() == {"AK": 6, "JT": 3, "consensus": 3}
    assert set(c["code_id"]) >= set(nc.load_codebook().ids)  # every NPT code used somewhere
    pooled = demo.agreement[demo.agreement["level"] == "pooled"].iloc[0]
    assert pooled.transcripts == "S1_P01, S2_P11, S3_P14"
    assert 0.6 < pooled.cohen_kappa < 0.95 and pooled.only_a > 0 and pooled.only_b > 0  # realistic disagreement
    html = (demo.project.reports_dir / "agreement_AK_JT.html").read_text(encoding="utf-8")
    assert f"{pooled.cohen_kappa:.2f}" in html and "<script" in html and "cdn." not in html.split("<body>")[0]


def test_demo_logic_models(demo):
    reports = demo.project.reports_dir
    for stem in ("risk", "needs", "compare"):
        assert (reports / f"logic_model_{stem}.html").stat().st_size > 10_000
        text = (reports / f"logic_model_{stem}.txt").read_text(encoding="utf-8")
        assert "Unintended harms" in text or "unintended harms" in text.lower()
    doc = Document(str(reports / "logic_models.docx"))
    assert len(doc.tables) == 2


def test_demo_study_report(demo):
    reports = demo.project.reports_dir
    doc = Document(str(reports / "study.docx"))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    for h in ("Contents", "Methods", "Inter-coder agreement", "Findings", "Framework matrix", "Logic models",
              "Appendix A. Agreement per construct, code and transcript", "Appendix B. Codebook"):
        assert h in headings
    # the detail tables come after the findings, in the appendix
    assert headings.index("Findings") < headings.index("Appendix A. Agreement per construct, code and transcript")
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "12 transcripts (interview 11, focus group 1) from 3 sites" in text
    assert "3 transcripts were double-coded (S1_P01, S2_P11, S3_P14)" in text
    assert ("24 NPT codes (16 mechanism subconstructs plus 8 context and outcome constructs) and 4 inductive codes"
            in text)
    assert text.count("8c19c05e0f3a") == 1  # the codebook's hash, said once
    pooled = demo.agreement[demo.agreement["level"] == "pooled"].iloc[0]
    assert f"Cohen's κ = {pooled.cohen_kappa:.2f}" in text
    assert len(doc.inline_shapes) >= 5  # the agreement and theme charts as images
    wb = load_workbook(reports / "study.xlsx")
    assert {"Methods", "Agreement", "Themes", "Quotes", "Framework matrix"} <= set(wb.sheetnames)
    header = [c.value for c in wb["Coders"][1]]
    assert header == ["Coder", "Transcripts", "Codings"]
    assert isinstance(wb["Coders"].cell(2, header.index("Codings") + 1).value, int)
    html = (reports / "study.html").read_text(encoding="utf-8")
    assert html.count("<script src=") == 0 and "<nav aria-label=" in html and "Findings" in html


def test_demo_hands_a_new_coder_a_workbook_and_a_word_copy(demo):
    reports = demo.project.reports_dir
    wb = load_workbook(reports / "coding_workbook_KL.xlsx")
    assert {"S2_P09", "S3_P13"} <= set(wb.sheetnames)
    doc = Document(str(reports / "S2_P12_for_coding.docx"))
    body = doc.element.body
    assert body[0].tag.endswith("}sdt")  # the title, attributes and instructions, in a locked block first
    front = "".join(t.text or "" for t in body[0].iter() if t.tag.endswith("}t"))
    assert "Transcript S2_P12" in front and "Site: S2" in front and "npt-coder import" in front


def test_demo_themes_workbook_lists_each_code_once_with_what_it_maps_to(demo):
    wb = load_workbook(demo.project.reports_dir / "themes.xlsx")
    ws = wb["Summary"]
    header = [c.value for c in ws[1]]
    rows = [dict(zip(header, r)) for r in ws.iter_rows(min_row=2, values_only=True)]
    codes = [r["Code"] for r in rows]
    assert len(codes) == len(set(codes)) == 28  # an inductive code is not repeated under every target
    early = next(r for r in rows if r["Code"] == "IND-EARLYHELP")
    assert early["Maps to"].startswith("C4 Reframing organisational logics; M2.1 Enrolment")
    assert "Site S1 (paragraphs)" in header and "n_segments" not in header and "Coded paragraphs" in header
    # a column now adds up to the codes' coded paragraphs, each code counted once
    t = nc.theme_summary(demo.project)
    primary = t.table[t.table["primary"]]
    assert sum(r["Coded paragraphs"] for r in rows) == int(primary["n_segments"].sum())


def test_demo_matrix_says_not_coded_where_nobody_has_coded(demo):
    wb = load_workbook(demo.project.reports_dir / "framework_matrix.xlsx")
    ws = wb["Mechanism"]
    header = [c.value for c in ws[1]]
    rows = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    first_code = header.index("M1.1 Differentiation")
    assert rows["P03"][first_code] == "not coded"  # S1_P03: nobody has coded it yet
    assert rows["P01"][first_code] != "not coded"  # S1_P01 is coded (its consensus)
    doc = Document(str(demo.project.reports_dir / "study.docx"))
    matrix = next(t for t in doc.tables if t.rows[0].cells[0].text == "Participant")
    p03 = next(r for r in matrix.rows if r.cells[0].text == "P03")
    assert p03.cells[-1].text == "not coded yet" and len(p03._tr.findall(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tc")) < len(matrix.columns)  # one cell


def test_demo_logic_models_word_file_has_no_empty_page(demo):
    doc = Document(str(demo.project.reports_dir / "logic_models.docx"))
    assert "w:br" not in doc.element.body.xml.replace("w:bridge", "")  # no page-break paragraph after a full page
    second = [p for p in doc.paragraphs if p.style.name.startswith("Heading")][1]
    assert second.paragraph_format.page_break_before
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "(consensus coding on 3 transcripts, otherwise every coder's coding: AK on 3 transcripts)." in text


def test_demo_copies_its_source_files_for_the_walkthrough(demo):
    """Someone with only the wheel gets the files the README's walkthrough names, in the demo's sources/ folder."""
    src = demo.sources
    assert src == demo.project.root / "sources"
    shipped = sorted(p.relative_to(nc.demo_path()) for p in nc.demo_path().rglob("*") if p.is_file())
    copied = sorted(p.relative_to(src) for p in src.rglob("*") if p.is_file())
    assert copied == shipped and len(copied) >= 20
    for rel in shipped:
        assert (src / rel).read_bytes() == (nc.demo_path() / rel).read_bytes(), rel
    for rel in ("S1_P01.docx", "S1_P02.txt", "S1_P03.vtt", "attributes.csv", "lists/allow.txt",
                "inductive_codes.yaml", "research_questions.yaml", "logic_models/risk_model.yaml",
                "logic_models/needs_model.yaml"):
        assert (src / rel).is_file(), rel


def test_the_walkthrough_runs_on_the_copied_sources(demo, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from npt_coder.cli import app

    runner = CliRunner()
    src = demo.sources
    monkeypatch.chdir(tmp_path)
    r = runner.invoke(app, ["init", "mystudy", "--codebook", str(src / "inductive_codes.yaml")])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["add", str(src / "S1_P02.txt"), str(src / "S1_P03.vtt"), "--attributes",
                            str(src / "attributes.csv"), "--allow", str(src / "lists" / "allow.txt"), "--no-ner",
                            "-p", "mystudy"])
    assert r.exit_code == 0 and "added 2 transcripts: S1_P02, S1_P03" in r.output, r.output
    r = runner.invoke(app, ["logic-model", "render", str(src / "logic_models" / "risk_model.yaml"), "-o",
                            "risk.html", "-p", str(demo.project.root)])
    assert r.exit_code == 0 and (tmp_path / "risk.html").stat().st_size > 10_000, r.output


def test_the_demo_verb_says_where_the_source_files_are(demo, monkeypatch):
    from typer.testing import CliRunner

    import npt_coder.demo
    from npt_coder.cli import app

    monkeypatch.setattr(npt_coder.demo, "run_demo", lambda out, **options: demo)  # the demo itself ran once, in the fixture
    r = CliRunner().invoke(app, ["demo", "--out", str(demo.project.root)])
    assert r.exit_code == 0, r.output
    assert f"are in {demo.sources}" in r.output.replace("\n", " ")
