"""REFI-QDA: reading .qdpx offsets the way each program counts them, importing codings, exporting .qdpx and .qdc.

Fixtures are generated here (never copied from other programs). The samples written by NVivo, ATLAS.ti and MAXQDA
are read from ``../shared/reference/refi-qda/samples`` when that folder is present; they are never copied in.
"""

from __future__ import annotations

import sqlite3
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import pandas as pd
import pytest
from lxml import etree

import npt_coder as nc
from npt_coder.coding import import_codings, import_files
from npt_coder.coding._qdpx import (
    PROJECT_NS,
    code_guid,
    codebook_to_qdc,
    project_to_qdpx,
    read_qdc,
    read_qdpx,
    read_qdpx_codings,
    to_code_points,
    validate_qdc,
    validate_qdpx,
)
from npt_coder.errors import CodingImportError
from npt_coder.services import add_transcripts

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
SAMPLES = SHARED / "reference" / "refi-qda" / "samples"
NVIVO_SAMPLE = SAMPLES / "nvivo12.6-win_codings_utf16.qdpx"
COLS = ["transcript_id", "coder", "code_id", "start", "end", "memo"]

# An NVivo-style source: BOM, Windows line breaks, emoji outside the BMP (two UTF-16 units each), accents.
LINES = [
    "Interviewer: How did the hub change your work? 😀",
    "Participant 1: We trust each other more now 🤝 and the social workers sit with us.",
    "Interviewer: And the paperwork?",
    "Participant 1: Forms, forms, forms 📄📄 — the bureaucracy is endless.",
    "Participant 1: Over time we just stopped thinking of it as new; it is how we work – naïve or not 🙂.",
]
RAW = "\r\n".join(LINES) + "\r\n"

U_ADMIN, U_ALICE, U_BOB = ("0f0e0d0c-0000-4000-8000-00000000000a", "A11CE000-0000-4000-8000-000000000001",
                           "B0B00000-0000-4000-8000-000000000002")
CODES = {  # name -> guid; the tree is in codebook_xml()
    "NPT": "10000000-0000-4000-8000-000000000000",
    "M3 Collective action": "20000000-0000-4000-8000-000000000000",
    "M3.3 Relational integration": "30000000-0000-4000-8000-000000000000",
    "Trust": "40000000-0000-4000-8000-000000000000",
    "Differentiation": "50000000-0000-4000-8000-000000000000",
    "c1": "60000000-0000-4000-8000-000000000000",
    "Bureaucracy": "70000000-0000-4000-8000-000000000000",
}

# (phrase or (first, last) phrases, code, coding user, memo on the selection, memo in a note on the coding)
SELECTIONS = [
    ("We trust each other more now 🤝", "M3.3 Relational integration", U_ALICE, "trust grew", ""),
    ("We trust each other more now 🤝", "Trust", U_BOB, "", "Bob's note"),
    (("the social workers", "And the paperwork?"), "Differentiation", U_ALICE, "", ""),
    ("Forms, forms, forms 📄📄 — the bureaucracy is endless.", "Bureaucracy", U_ALICE, "", ""),
    ("Over time we just stopped thinking of it as new", "c1", U_BOB, "", ""),
    ("naïve or not 🙂", "NPT", U_BOB, "", ""),  # a folder: never coded
]
EXPECTED = {  # (first phrase, code id, coder, memo) once imported
    ("We trust each other more now 🤝", "M3.3", "Alice", "trust grew"),
    ("We trust each other more now 🤝", "M3.3", "Bob", "Bob's note"),
    ("the social workers", "M1.1", "Alice", ""),
    ("Forms, forms, forms 📄📄 — the bureaucracy is endless.", "C2", "Alice", ""),
    ("Over time we just stopped thinking of it as new", "C1", "Bob", ""),
}
CODE_MAP = {"NPT::M3 Collective action::M3.3 Relational integration::Trust": "M3.3", "Bureaucracy": "C2"}


def positions(text: str, start: int, end: int, reading: str) -> tuple[int, int]:
    """Code point offsets -> positions counted as ``reading`` (the inverse of to_code_points)."""
    def count(i: int) -> int:
        head = text[:i]
        if reading.endswith("crlf1"):
            head = head.replace("\r\n", "\n")
        return len(head.encode("utf-16-le")) // 2 if reading.startswith("utf16") else len(head)
    return count(start), count(end)


def span_of(text: str, phrase) -> tuple[int, int]:
    first, last = phrase if isinstance(phrase, tuple) else (phrase, phrase)
    start = text.index(first)
    return start, text.index(last, start) + len(last)


def codebook_xml() -> str:
    def code(name, body="", codable=True):
        return (f'<Code guid="{{{CODES[name].upper()}}}" name={quoteattr(name)} '
                f'isCodable="{"true" if codable else "false"}">{body}</Code>')
    trust = code("Trust")
    m33 = code("M3.3 Relational integration", "<Description>Working relationships</Description>" + trust)
    npt = code("NPT", code("M3 Collective action", m33, codable=False) + code("Differentiation") + code("c1"),
               codable=False)
    return f"<CodeBook><Codes>{npt}{code('Bureaucracy')}</Codes></CodeBook>"


def make_qdpx(path: Path, *, raw: str = RAW, reading: str = "utf16", origin: str = "NVivo for Windows 12.6",
              names: bool = False, ns: str = PROJECT_NS, selections=SELECTIONS, folder: str = "Sources",
              extra_end: int = 0) -> Path:
    """A .qdpx in the style of the program named by ``origin``: positions counted as ``reading``, the selection
    made by one user (U_ADMIN) and each coding by another, GUIDs in upper case with braces, nested codes."""
    src_guid = "5a5a5a5a-1111-4222-8333-444455556666"
    sels, notes = [], []
    for i, (phrase, code, user, memo, note) in enumerate(selections):
        s, e = positions(raw, *span_of(raw, phrase), reading)
        e += extra_end if i == 0 else 0
        name = raw[slice(*span_of(raw, phrase))] if names else ""
        note_ref = ""
        if note:
            nguid = f"9{i:07d}-0000-4000-8000-000000000000"
            notes.append(f'<Note guid="{nguid}" name="memo"><PlainTextContent>{escape(note)}</PlainTextContent></Note>')
            note_ref = f'<NoteRef targetGUID="{nguid}"/>'
        desc = f"<Description>{escape(memo)}</Description>" if memo else "<Description />"
        sels.append(
            f'<PlainTextSelection guid="{i:08d}-aaaa-4bbb-8ccc-dddddddddddd" name={quoteattr(name)} '
            f'startPosition="{s}" endPosition="{e}" creatingUser="{U_ADMIN}">{desc}'
            f'<Coding guid="{i:08d}-eeee-4bbb-8ccc-dddddddddddd" creatingUser="{{{user}}}">'
            f'<CodeRef targetGUID="{{{CODES[code].upper()}}}"/>{note_ref}</Coding></PlainTextSelection>')
    xml = (f'<?xml version="1.0" encoding="utf-8"?>\n<Project xmlns="{ns}" name="fixture" origin="{origin}">'
           f'<Users><User guid="{U_ADMIN}" name="Admin"/><User guid="{U_ALICE.lower()}" name="Alice"/>'
           f'<User guid="{U_BOB}" name="Bob"/></Users>{codebook_xml()}'
           f'<Sources><TextSource guid="{src_guid}" name="interview 7" plainTextPath="internal://{src_guid}.txt">'
           f'{"".join(sels)}</TextSource></Sources>'
           + (f"<Notes>{''.join(notes)}</Notes>" if notes else "") + "</Project>")
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("project.qde", xml.encode("utf-8"))
        zf.writestr(f"{folder}/{src_guid}.txt", "\ufeff".encode() + raw.encode("utf-8"))
    return path


@pytest.fixture
def study(tmp_path):
    """A project holding the fixture's transcript (the same text, added from a file with BOM and CRLF)."""
    (tmp_path / "P07.txt").write_bytes("\ufeff".encode() + RAW.encode("utf-8"))
    p = nc.init_project(tmp_path / "study")
    add_transcripts(p, [tmp_path / "P07.txt"])
    return p


def state(project) -> tuple:
    conn = sqlite3.connect(project.db_path)
    try:
        return tuple(conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                     for t in ("codings", "batches", "codebooks", "transcripts"))
    finally:
        conn.close()


def check_landing(project, df: pd.DataFrame) -> None:
    text = project.transcript_text("P07")
    got = {(text[s:e], c, who, memo or "") for s, e, c, who, memo
           in df[["start", "end", "code_id", "coder", "memo"]].itertuples(index=False)}
    want = set()
    for phrase, code, who, memo in EXPECTED:
        s, e = span_of(text, (phrase, "And the paperwork?") if phrase == "the social workers" else phrase)
        want.add((text[s:e], code, who, memo))
    assert got == want


# -- offsets ----------------------------------------------------------------------------------------------------------

def test_to_code_points_readings():
    text = "é😀\r\nx"
    assert to_code_points(text, 0, 6, reading="utf16") == (0, 5)
    assert to_code_points(text, 0, 4, reading="crlf1") == (0, 5)
    assert to_code_points(text, 0, 5, reading="utf16-crlf1") == (0, 5)
    assert to_code_points(text, 0, 6, reading="codepoints") is None  # past the end
    with pytest.raises(ValueError, match="reading must be one of"):
        to_code_points(text, 0, 1, reading="utf8")


@pytest.mark.parametrize("ns", [PROJECT_NS, "urn:QDA-XML:project:1.5"])
def test_nvivo_style_file_reads_utf16_positions(tmp_path, ns):
    qp = read_qdpx(make_qdpx(tmp_path / "nvivo.qdpx", ns=ns))
    assert qp.origin.startswith("NVivo") and qp.users[U_ALICE.lower()] == "Alice"
    assert [s.reading for s in qp.sources] == ["utf16"]
    src = qp.sources[0]
    assert src.text == RAW  # BOM stripped, CRLF kept
    texts = {sel.guid: src.text[sel.start:sel.end] for sel in qp.selections}
    assert texts["00000000-aaaa-4bbb-8ccc-dddddddddddd"] == "We trust each other more now 🤝"
    assert texts["00000003-aaaa-4bbb-8ccc-dddddddddddd"] == "Forms, forms, forms 📄📄 — the bureaucracy is endless."
    assert texts["00000002-aaaa-4bbb-8ccc-dddddddddddd"].endswith("\r\nInterviewer: And the paperwork?")
    codes = {c.name: c for c in qp.codes}
    assert codes["Trust"].path == "NPT::M3 Collective action::M3.3 Relational integration::Trust"
    assert not codes["NPT"].is_codable and codes["M3.3 Relational integration"].description == "Working relationships"
    frame = qp.codings_frame()
    assert set(frame["coder"]) == {"Alice", "Bob"}  # the Coding's user, not the selection's (Admin)
    assert set(frame.loc[frame["code_name"] == "Trust", "memo"]) == {"Bob's note"}


def test_nvivo_style_file_imports_with_exact_offsets(tmp_path, study):
    df = read_qdpx_codings(make_qdpx(tmp_path / "nvivo.qdpx"), study, code_map=CODE_MAP)
    check_landing(study, df)
    r = import_codings(study, df, source="qdpx")
    assert r.coders == ["Alice", "Bob"] and r.n_codings == 5
    check_landing(study, study.codings)


@pytest.mark.parametrize("reading", ["codepoints", "utf16", "crlf1", "utf16-crlf1"])
def test_selection_names_pick_the_reading(tmp_path, study, reading):
    path = make_qdpx(tmp_path / "named.qdpx", reading=reading, origin="SomeTool 2.0", names=True, folder="sources")
    qp = read_qdpx(path)
    assert {s.reading for s in qp.selections} == {reading}
    assert all(s.name_matches for s in qp.selections)
    check_landing(study, read_qdpx_codings(path, study, code_map=CODE_MAP))


@pytest.mark.parametrize("origin, reading", [("ATLAS.ti for Windows 23.2", "crlf1"), ("NVivo for Mac 15", "utf16"),
                                             ("QualCoder 3.6", "codepoints")])
def test_origin_picks_the_reading_when_selections_have_no_names(tmp_path, study, origin, reading):
    path = make_qdpx(tmp_path / "unnamed.qdpx", reading=reading, origin=origin)
    assert read_qdpx(path).sources[0].reading == reading
    check_landing(study, read_qdpx_codings(path, study, code_map=CODE_MAP))


def test_code_map_from_csv_and_yaml_files(tmp_path, study):
    path = make_qdpx(tmp_path / "nvivo.qdpx")
    (tmp_path / "map.csv").write_text("foreign,code_id\nTrust,M3.3\nbureaucracy,Negotiating capacity\n",
                                      encoding="utf-8")
    (tmp_path / "map.yaml").write_text(f"'{{{CODES['Trust'].upper()}}}': M3.3\nBureaucracy: C3\n", encoding="utf-8")
    for name in ("map.csv", "map.yaml"):
        df = read_qdpx_codings(path, study, code_map=tmp_path / name)
        assert set(df.loc[df["memo"] == "Bob's note", "code_id"]) == {"M3.3"}
        assert "C3" in set(df["code_id"])
    (tmp_path / "bad.yaml").write_text("Trust: M9.9\n", encoding="utf-8")
    with pytest.raises(CodingImportError, match=r"bad.yaml: code map targets? not in the project's codebook"):
        read_qdpx_codings(path, study, code_map=tmp_path / "bad.yaml")


def test_coder_option_overrides_users(tmp_path, study):
    df = read_qdpx_codings(make_qdpx(tmp_path / "nvivo.qdpx"), study, coder="JT", code_map=CODE_MAP)
    assert set(df["coder"]) == {"JT"}


def test_new_inductive_turns_unknown_codes_into_ids(tmp_path, study):
    df = read_qdpx_codings(make_qdpx(tmp_path / "nvivo.qdpx"), study, new_inductive=True)
    assert {"Trust", "Bureaucracy"} <= set(df["code_id"])
    assert "NPT" not in set(df["code_id"])  # the folder


# -- errors leave the project unchanged --------------------------------------------------------------------------------

def test_unknown_codes_stop_the_import(tmp_path, study):
    before = state(study)
    with pytest.raises(CodingImportError, match=r"nvivo.qdpx: 2 codes not in the project's codebook: "
                                                r"'NPT::.*::Trust'; 'Bureaucracy'.*code map") as err:
        import_files(study, [make_qdpx(tmp_path / "nvivo.qdpx")])
    assert "NPT'" not in str(err.value) and "M3 Collective action'" not in str(err.value)  # folders are not codes
    assert state(study) == before


def test_unmatched_source_stops_the_import(tmp_path, study):
    before = state(study)
    other = "\r\n".join(f"Line {i}: something else entirely, about the weather." for i in range(5))
    sels = [("something else entirely", "Differentiation", U_ALICE, "", "")]
    with pytest.raises(CodingImportError, match=r"source matches no transcript in the project: 'interview 7'.*"
                                                r"npt-coder add"):
        import_files(study, [make_qdpx(tmp_path / "other.qdpx", raw=other, selections=sels)])
    assert state(study) == before


def test_selection_past_the_end_is_reported(tmp_path, study):
    path = make_qdpx(tmp_path / "long.qdpx", selections=SELECTIONS[-2:-1], extra_end=1000)
    qp = read_qdpx(path)
    assert not qp.selections and "lies outside its text" in qp.invalid[0].problem
    before = state(study)
    with pytest.raises(CodingImportError, match="lies outside its text"):
        import_files(study, [path])
    assert state(study) == before


@pytest.mark.parametrize("content, message", [
    (b"not a zip at all", "not a readable REFI-QDA project"),
    ({"sources/a.txt": b"hello"}, "holds no project.qde"),
    ({"project.qde": b"<Project name='x'><Users></Project>"}, "project.qde is not well-formed XML"),
    ({"project.qde": b"<CodeBook/>"}, "not a REFI-QDA <Project>"),
])
def test_unreadable_files(tmp_path, study, content, message):
    path = tmp_path / "bad.qdpx"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        with zipfile.ZipFile(path, "w") as zf:
            for name, data in content.items():
                zf.writestr(name, data)
    before = state(study)
    with pytest.raises(CodingImportError, match=message):
        import_files(study, [path])
    assert state(study) == before


# -- export ------------------------------------------------------------------------------------------------------------

INDUCTIVE = """extends: default
name: test study
version: "1.0"
codes:
  - id: IND-IT
    name: IT systems
    kind: inductive
    maps_to: [M3.1, C2]
    definition: Systems that do or do not talk to each other.
  - id: IND-HYB
    name: Hybrid working
    kind: inductive
    maps_to: [mechanism]
  - id: IND-NEW
    name: Not mapped yet
    kind: inductive
"""
T1 = ("Interviewer: Tell me about the hub.\n\nP01: Naïve at first 🙂, now it is routine.\n\n"
      "P01: The systems never talk.\n")
T2 = "I: And consent?\n\nR: Consent is asked twice 📄📄. Hybrid working helps.\n"


def make_study(root: Path, sources: Path) -> nc.Project:
    p = nc.init_project(root, codebook=sources / "codes.yaml")
    add_transcripts(p, [sources / "T1.txt", sources / "T2.txt"])
    return p


@pytest.fixture
def sources(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "codes.yaml").write_text(INDUCTIVE, encoding="utf-8")
    (src / "T1.txt").write_text(T1, encoding="utf-8")
    (src / "T2.txt").write_text(T2, encoding="utf-8")
    return src


def coded_study(root: Path, sources: Path) -> nc.Project:
    p = make_study(root, sources)
    t1, t2 = p.transcript_text("T1"), p.transcript_text("T2")
    rows = []
    for tid, text, quote, coder, code, memo in [
        ("T1", t1, "Naïve at first 🙂", "AK", "M1.4", "sense-making"),
        ("T1", t1, "Naïve at first 🙂", "AK", "M4.2", "appraisal"),       # same span, other memo
        ("T1", t1, "Naïve at first 🙂", "JT", "M1.4", ""),
        ("T1", t1, "The systems never talk.", "AK", "IND-IT", "double entry"),
        ("T1", t1, "The systems never talk.", "AK", "M3.1", "double entry"),  # same memo: one Description
        ("T2", t2, "Consent is asked twice 📄📄.", "JT", "M2.4", "consent & <forms>"),
        ("T2", t2, "Hybrid working helps.", "JT", "IND-HYB", ""),
        ("T2", t2, "Hybrid", "AK", "IND-NEW", ""),
        ("T2", t2, "I: And consent?\n\nR: Consent", "AK", "C2", "across turns"),
    ]:
        s = text.index(quote)
        rows.append((tid, coder, code, s, s + len(quote), memo))
    import_codings(p, pd.DataFrame(rows, columns=COLS), source="csv")
    return p


def codings_of(project) -> list[tuple]:
    df = project.codings[COLS].fillna({"memo": ""})
    return sorted(df.itertuples(index=False, name=None))


def test_export_validates_and_imports_back_identically(tmp_path, sources):
    original = coded_study(tmp_path / "a", sources)
    out = project_to_qdpx(original, tmp_path / "export" / "study.qdpx")
    assert validate_qdpx(out) == []
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
        assert names[0] == "project.qde" and sum(n.startswith("sources/") for n in names) == 2
        for n in names[1:]:
            data = zf.read(n)
            assert not data.startswith(b"\xef\xbb\xbf") and b"\r\n" not in data
    qp = read_qdpx(out)
    assert all(s.name_matches for s in qp.selections) and {s.reading for s in qp.sources} == {"codepoints"}
    assert len(qp.selections) == 7  # one per (span, coder)
    assert {c.name for c in qp.codes if c.is_codable} >= {"M3.3 Relational integration", "IND-IT IT systems"}
    assert {c.path for c in qp.codes if c.name.startswith("IND-")} == {
        "Mechanism::M3 Collective action::M3.1 Interactional workability::IND-IT IT systems",
        "Mechanism::IND-HYB Hybrid working", "Inductive, not yet mapped::IND-NEW Not mapped yet"}

    fresh = make_study(tmp_path / "b", sources)
    assert fresh.project_id != original.project_id
    results = import_files(fresh, [out])
    assert results[0].n_merged == 0
    assert codings_of(fresh) == codings_of(original)
    assert set(fresh.codings["source"]) == {"qdpx"}
    assert import_files(fresh, [out])[0].no_op


def test_export_guids_are_stable(tmp_path, sources):
    p = coded_study(tmp_path / "a", sources)

    def guids(path):
        with zipfile.ZipFile(path) as zf:
            root = etree.fromstring(zf.read("project.qde"))
        return sorted(el.get("guid") for el in root.iter() if el.get("guid"))

    first, second = project_to_qdpx(p, tmp_path / "1.qdpx"), project_to_qdpx(p, tmp_path / "2.qdpx")
    assert guids(first) == guids(second)
    assert code_guid("M3.3") in guids(first)


def test_export_of_a_project_without_codings_is_valid(tmp_path, sources):
    p = make_study(tmp_path / "a", sources)
    assert validate_qdpx(project_to_qdpx(p, tmp_path / "empty.qdpx")) == []


def test_codebook_qdc_is_valid_and_matches_the_qdpx(tmp_path, sources):
    p = make_study(tmp_path / "a", sources)
    path = codebook_to_qdc(p.load_codebook(), tmp_path / "codebook.qdc")
    assert validate_qdc(path) == []
    codes = read_qdc(path)
    codable = [c for c in codes if c.is_codable]
    assert len(codable) == 27 and {c.name for c in codes if not c.is_codable} == {
        "Context", "Mechanism", "Outcome", "M1 Coherence building", "M2 Cognitive participation",
        "M3 Collective action", "M4 Reflexive monitoring", "Inductive, not yet mapped"}
    by_name = {c.name: c for c in codes}
    assert by_name["C1 Strategic intentions"].path == "Context::C1 Strategic intentions"  # no one-code folder
    assert by_name["M3.3 Relational integration"].guid == code_guid("M3.3")
    assert by_name["M3.3 Relational integration"].description.startswith(p.load_codebook()["M3.3"].definition)


def test_validators_report_errors(tmp_path):
    bad = tmp_path / "bad.qdc"
    bad.write_text('<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code name="x" isCodable="true"/></Codes>'
                   "</CodeBook>", encoding="utf-8")
    assert any("guid" in e for e in validate_qdc(bad))
    errors = validate_qdpx(make_qdpx(tmp_path / "nvivo.qdpx"))
    assert errors == []  # the fixture is itself valid
    with zipfile.ZipFile(tmp_path / "dangling.qdpx", "w") as zf:
        zf.writestr("project.qde", f'<Project xmlns="{PROJECT_NS}" name="x"><Sources><TextSource guid="'
                                   f'{U_ADMIN}" plainTextPath="internal://missing.txt"/></Sources></Project>')
    assert [e.split(": ", 1)[1] for e in validate_qdpx(tmp_path / "dangling.qdpx")] == [
        "plainTextPath internal://missing.txt is not in the archive"]


# -- samples written by other programs (read from ../shared when present, never copied) --------------------------------

# Skipped only where ../shared itself is absent (a checkout without the team's reference folder); where it is
# present, a missing sample is a failure.
needs_samples = pytest.mark.skipif(not SHARED.is_dir(), reason="../shared (the team's reference folder) is absent")


@needs_samples
def test_nvivo_sample_offsets():
    qp = read_qdpx(NVIVO_SAMPLE)
    assert qp.origin == "NVivo for Windows 12.6" and not qp.invalid and validate_qdpx(NVIVO_SAMPLE) == []
    text = qp.sources[0].text
    assert not text.startswith("\ufeff") and "\r\n" in text
    frame = qp.codings_frame()
    assert len(frame) == 97 and set(frame["reading"]) == {"utf16"} and set(frame["coder"]) == {"floriansipos"}
    # The README's test vector
    vector = frame.set_index("selection_guid").loc["52322d90-c114-4498-8ddd-a919323b7c23"]
    assert (vector["text"], vector["start"], vector["end"]) == ("Nem tehetik kötelezővé! 😡😡", 2777, 2803)
    # Every selection name in this file is empty, so the texts cannot be checked against names. Each selection is
    # one whole comment line (with or without its line break): read as UTF-16 units every one starts at a line
    # start and ends at a line end; read as code points most do not.
    def whole_lines(s, e):
        return (s == 0 or text[s - 1] == "\n") and (text[e:e + 2] == "\r\n" or text[e - 2:e] == "\r\n")
    assert all(whole_lines(s, e) for s, e in zip(frame["start"], frame["end"]))
    sels = {s.guid: s for s in qp.selections}
    as_code_points = [to_code_points(text, sels[g].raw_start, sels[g].raw_end) for g in frame["selection_guid"]]
    assert sum(not whole_lines(*se) for se in as_code_points) > 50


def frame_codes(qp) -> int:
    return qp.codings_frame()["code_guid"].nunique()


@needs_samples
def test_nvivo_sample_imports_onto_the_right_text(tmp_path):
    with zipfile.ZipFile(NVIVO_SAMPLE) as zf:
        (tmp_path / "videos.txt").write_bytes(zf.read("Sources/56a79789-d535-4fb8-bedd-a915504c54ba.txt"))
    p = nc.init_project(tmp_path / "study")
    # real comment text from the web, names and links included: accepted as flagged, as a team would record it
    add_transcripts(p, [tmp_path / "videos.txt"], nlp=None, accept_flagged=True)
    qp = read_qdpx(NVIVO_SAMPLE)
    df = read_qdpx_codings(NVIVO_SAMPLE, p, new_inductive=True)  # its Hungarian codes become new ids
    assert len(df) == 97 and df["code_id"].nunique() == frame_codes(qp)
    text = p.transcript_text("videos")
    frame = qp.codings_frame()
    assert [" ".join(text[s:e].split()) for s, e in zip(df["start"], df["end"])] == \
        [" ".join(t.split()) for t in frame["text"]]
    vector = frame.index[frame["selection_guid"] == "52322d90-c114-4498-8ddd-a919323b7c23"][0]
    assert text[df["start"][vector]:df["end"][vector]] == "Nem tehetik kötelezővé! 😡😡"


@needs_samples
@pytest.mark.parametrize("name, n_users, n_codes, n_sources", [
    ("maxqda24_codebook_10txt.qdpx", 1, 307, 10),
    ("atlasti23-win_nested-codes.qdpx", 2, 3, 0),
    ("atlasti23-win_blank.qdpx", 2, 0, 0),
    ("nvivo15-mac_nested-codes_2users.qdpx", 2, 262, 2),
])
def test_other_samples_parse(name, n_users, n_codes, n_sources):
    qp = read_qdpx(SAMPLES / name)
    assert (len(qp.users), len(qp.codes), len(qp.sources)) == (n_users, n_codes, n_sources)
    assert not qp.selections and not qp.invalid
    assert all(s.text is not None for s in qp.sources)
    assert validate_qdpx(SAMPLES / name) == []  # the validator accepts what these programs write
    if name.startswith("atlasti23-win_nested"):
        assert {c.path for c in qp.codes if c.parents} == {"Commits::2022-05-10T02:05:59Z 19e4dce",
                                                          "Commits::2022-02-11T10:39:25Z cdbfd92"}


@needs_samples
def test_a_file_without_codings_says_so(tmp_path, study):
    with pytest.raises(CodingImportError, match=r"holds no coded text selections to import \(10 sources, 307"):
        read_qdpx_codings(SAMPLES / "maxqda24_codebook_10txt.qdpx", study)


@needs_samples
def test_taguette_codebook_fails_the_schema_for_its_empty_sets():
    errors = validate_qdc(SAMPLES / "taguette1.4.1_codebook.qdc")
    assert errors and all("Sets" in e for e in errors)
    assert len(read_qdc(SAMPLES / "taguette1.4.1_codebook.qdc")) == 3
