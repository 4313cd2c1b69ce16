"""Whole REFI-QDA projects imported into a project: sources as transcripts through the anonymisation gate, codes with
their tree, users as coders, codings on the right text, memos, cases; the export quirks real programs have.

Fixtures are written here in the shape each program writes; the samples in ``../shared/reference/refi-qda/samples``
are read in place, never copied.
"""

from __future__ import annotations

import sqlite3
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from typer.testing import CliRunner

import npt_coder as nc
from npt_coder.cli import app
from npt_coder.coding import read_qdpx
from npt_coder.errors import AnonymisationError, CodingImportError
from npt_coder.services import import_project

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
SAMPLES = SHARED / "reference" / "refi-qda" / "samples"
# the programs' own exports live in the team's reference folder beside the checkout (CI has it there)
needs_samples = pytest.mark.skipif(not SHARED.is_dir(), reason="../shared (the team's reference folder) is absent")
NS = "urn:QDA-XML:project:1.0"

# An interview as exported from a QDA program: timestamps in the labels, an emoji outside the BMP (two UTF-16 units)
LINES = [
    "Interview 7, spring",
    "Interviewer [00:00:05]: How did the hub change your work? 😀",
    "P07 [00:00:12]: We trust each other more now 🤝 and the social workers sit with us.",
    "Interviewer [00:01:02]: And the paperwork?",
    "P07 [00:01:09]: Forms, forms, forms 📄📄 — the bureaucracy is endless.",
]
FOCUS = ["[id1] Families come to us first now.", "[id2] Not in our area 🙂.", "[id1] Well, mostly."]
USERS = {"u-alice": ("0a000000-0000-4000-8000-00000000000a", "Alice"),
         "u-bob": ("0b000000-0000-4000-8000-00000000000b", "Bob")}
CODES = {"npt": "10000000-0000-4000-8000-000000000000", "m33": "30000000-0000-4000-8000-000000000000",
         "trust": "40000000-0000-4000-8000-000000000000", "forms": "70000000-0000-4000-8000-000000000000",
         "first": "80000000-0000-4000-8000-000000000000"}
SRC_A, SRC_B = "5a5a5a5a-1111-4222-8333-444455556666", "6b6b6b6b-1111-4222-8333-444455556666"


def count(text: str, i: int, reading: str) -> int:
    head = text[:i]
    return len(head.encode("utf-16-le")) // 2 if reading == "utf16" else len(head)


def selection(guid, raw, phrase, code, user, reading, *, memo="", note=None):
    s = raw.index(phrase)
    a, b = count(raw, s, reading), count(raw, s + len(phrase), reading)
    note_ref = f'<NoteRef targetGUID="{note}"/>' if note else ""
    desc = f"<Description>{escape(memo)}</Description>" if memo else ""
    return (f'<PlainTextSelection guid="{guid}" startPosition="{a}" endPosition="{b}" creatingUser="{USERS[user][0]}">'
            f'{desc}<Coding guid="c{guid[1:]}" creatingUser="{USERS[user][0]}"><CodeRef targetGUID="{CODES[code]}"/>'
            f"{note_ref}</Coding></PlainTextSelection>")


def make_project(path: Path, *, origin="NVivo for Mac 12.7", reading="utf16", crlf=True, bom=True, folder="Sources",
                 path_style="internal", declaration=True, unnamed=False, missing=False, extra_selections=(),
                 leak=False) -> Path:
    """A .qdpx in one program's shape: two text sources (an interview, a focus group), nested codes, two users,
    notes on a coding, a source, a code and the project, a case with variables, a set, a graph and a picture."""
    nl = "\r\n" if crlf else "\n"
    raw_a = nl.join(LINES + (["P07 [00:02:00]: Ring me on 07700 900123."] if leak else [])) + nl
    raw_b = nl.join(FOCUS) + nl
    sels_a = [selection("a0000001-0000-4000-8000-000000000001", raw_a, "We trust each other more now 🤝", "trust",
                        "u-alice", reading, memo="trust grew"),
              selection("a0000002-0000-4000-8000-000000000002", raw_a, "Forms, forms, forms 📄📄 — the bureaucracy is "
                        "endless.", "forms", "u-bob", reading, note="9a000000-0000-4000-8000-000000000001"),
              selection("a0000003-0000-4000-8000-000000000003", raw_a, "[00:01:09]", "forms", "u-bob", reading),
              *extra_selections]
    sels_b = [selection("b0000001-0000-4000-8000-000000000001", raw_b, "Families come to us first now.", "first",
                        "u-alice", reading)]

    def where(name):
        return {"internal": f"internal://{name}", "bare": name}[path_style]

    name_a = "" if unnamed else ' name="Interview 7"'
    src_a = (f'<TextSource guid="{SRC_A}"{name_a} plainTextPath="{where(SRC_A + ".txt")}">'
             f'{"".join(sels_a)}<NoteRef targetGUID="9a000000-0000-4000-8000-000000000002"/></TextSource>')
    src_b = f'<TextSource guid="{SRC_B}" name="Focus group 2" plainTextPath="{where(SRC_B + ".txt")}">{"".join(sels_b)}</TextSource>'
    notes = "".join(f'<Note guid="9a000000-0000-4000-8000-00000000000{i}" name="n{i}"><PlainTextContent>{escape(t)}'
                    "</PlainTextContent></Note>" for i, t in ((1, "Bob's note on the forms"),
                                                              (2, "Recorded at the hub"), (3, "Trust as in the spec"),
                                                              (4, "Project begun in March"), (5, "An orphan note")))
    codes = (f'<Code guid="{CODES["npt"]}" name="NPT" isCodable="false">'
             f'<Code guid="{CODES["m33"]}" name="M3.3 Relational integration" isCodable="true">'
             f'<Code guid="{CODES["trust"]}" name="Trust" isCodable="true"><Description>Working trust</Description>'
             f'<NoteRef targetGUID="9a000000-0000-4000-8000-000000000003"/></Code></Code></Code>'
             f'<Code guid="{CODES["forms"]}" name="Bureaucracy" isCodable="true"/>'
             f'<Code guid="{CODES["first"]}" name="First contact" isCodable="true"/>'
             '<Code guid="90000000-0000-4000-8000-000000000000" name="Never used" isCodable="true"/>')
    xml = (('<?xml version="1.0" encoding="utf-8"?>\n' if declaration else "")
           + f'<Project xmlns="{NS}" name="hub study" origin="{origin}"><Users>'
           + "".join(f'<User guid="{g}" name="{n}"/>' for g, n in USERS.values()) + "</Users>"
           f"<CodeBook><Codes>{codes}</Codes></CodeBook>"
           '<Variables><Variable guid="7e000000-0000-4000-8000-000000000001" name="Role" typeOfVariable="Text"/>'
           '<Variable guid="7e000000-0000-4000-8000-000000000002" name="Years in post" typeOfVariable="Integer"/>'
           "</Variables><Cases>"
           '<Case guid="ca000000-0000-4000-8000-000000000001" name="P07"><VariableValue><VariableRef targetGUID='
           '"7e000000-0000-4000-8000-000000000001"/><TextValue>family worker</TextValue></VariableValue>'
           '<VariableValue><VariableRef targetGUID="7e000000-0000-4000-8000-000000000002"/><IntegerValue>4'
           f'</IntegerValue></VariableValue><SourceRef targetGUID="{SRC_A}"/></Case></Cases>'
           f'<Sources>{src_a}{src_b}<PictureSource guid="7c000000-0000-4000-8000-000000000001" name="hub photo" '
           'path="internal://photo.png"/></Sources>'
           f"<Notes>{notes}</Notes>"
           '<Sets><Set guid="5e000000-0000-4000-8000-000000000001" name="Interviews"/></Sets>'
           '<Graphs><Graph guid="6f000000-0000-4000-8000-000000000001" name="map"/></Graphs>'
           '<NoteRef targetGUID="9a000000-0000-4000-8000-000000000004"/></Project>')
    prefix = "" if folder == "" else f"{folder}/"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("project.qde", xml.encode("utf-8"))
        bom_bytes = "\ufeff".encode() if bom else b""
        zf.writestr(f"{prefix}{SRC_A}.txt", bom_bytes + raw_a.encode("utf-8"))
        if not missing:
            zf.writestr(f"{prefix}{SRC_B}.txt", bom_bytes + raw_b.encode("utf-8"))
    return path


def state(project) -> tuple:
    conn = sqlite3.connect(project.db_path)
    try:
        return tuple(conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                     for t in ("transcripts", "codings", "batches", "codebooks", "memos"))
    finally:
        conn.close()


def landed(p) -> set:
    texts = dict(zip(p.transcripts["transcript_id"], p.transcripts["text"]))
    return {(r.transcript_id, texts[r.transcript_id][r.start:r.end], r.code_id, r.coder, r.memo or "")
            for r in p.codings.itertuples(index=False)}


@pytest.fixture
def fresh(tmp_path):
    return nc.init_project(tmp_path / "study")


VARIANTS = {  # name -> make_project options: every quirk of real exports listed in the issue
    "nvivo-mac-utf16": dict(origin="NVivo for Mac 12.7", reading="utf16"),
    "nvivo-win-lf-no-bom": dict(origin="NVivo for Windows 14", reading="utf16", crlf=False, bom=False),
    "lower-sources-bare-path": dict(origin="NVivo for Windows 12.6", folder="sources", path_style="bare"),
    "no-declaration-unnamed": dict(origin="MAXQDA 2022", reading="codepoints", declaration=False, unnamed=True),
    "qualcoder-top-level": dict(origin="QualCoder 3.5", reading="codepoints", crlf=False, bom=False, folder=""),
}


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_project_import_brings_everything(tmp_path, fresh, variant):
    opts = VARIANTS[variant]
    path = make_project(tmp_path / f"{variant}.qdpx", **opts)
    r = import_project(fresh, path, new_inductive=True, nlp=None)
    first_id = "source_5a5a5a5a" if opts.get("unnamed") else "Interview_7"
    assert sorted(r.added) == sorted([first_id, "Focus_group_2"])
    tr = fresh.transcripts.set_index("transcript_id")
    assert tr.loc[first_id, "layout"] == "labels" and tr.loc["Focus_group_2", "layout"] == "bracket"
    assert "[00:00:12]" not in tr.loc[first_id, "text"] and "\r" not in tr.loc[first_id, "text"]
    # codings on the right text, by the users who made them, with their memos; a timestamp alone is not text
    trust, forms = r.new_codes[:2] if r.new_codes[0] == "Trust" else r.new_codes[1::-1]
    assert landed(fresh) == {
        (first_id, "We trust each other more now 🤝", "Trust", "Alice", "trust grew"),
        (first_id, "Forms, forms, forms 📄📄 — the bureaucracy is endless.", "Bureaucracy", "Bob",
         "Bob's note on the forms"),
        ("Focus_group_2", "Families come to us first now.", "First-contact", "Alice", ""),
    }
    assert r.left_aside["coding of text that is not in the transcript (a timestamp or a header line alone)"] == 1
    # codes keep their tree: Trust sits under M3.3 in the other program, so it maps onto M3.3
    cb = fresh.load_codebook()
    assert cb["Trust"].maps_to == ("M3.3",) and cb["Bureaucracy"].maps_to == ()
    assert "NPT::M3.3 Relational integration::Trust" in cb["Trust"].definition
    assert "Never-used" in cb.ids and "NPT" not in cb.ids  # every codable code comes; a folder never does
    # memos on the source, the code and the project; cases and variables as attributes
    assert fresh.memo("transcript", first_id) == "Recorded at the hub"
    assert fresh.memo("code", "Trust") == "Trust as in the spec"
    assert fresh.memo("project") == "Project begun in March"
    assert (tr.loc[first_id, "case"], tr.loc[first_id, "role"], tr.loc[first_id, "years_in_post"]) == (
        "P07", "family worker", "4")
    # what cannot be carried is listed, never dropped silently
    line = r.summary().splitlines()[-1]
    assert line.startswith("left aside: ") and all(w in line for w in ("1 picture source", "1 set", "1 graph",
                                                                       "1 note attached to nothing read"))
    # a second import of the same file changes nothing
    before = state(fresh)
    assert import_project(fresh, path, new_inductive=True, nlp=None).no_op
    assert state(fresh) == before


def test_import_after_more_coding_supersedes(tmp_path, fresh):
    first = make_project(tmp_path / "v1.qdpx")
    import_project(fresh, first, new_inductive=True, nlp=None)
    raw = "\r\n".join(LINES) + "\r\n"
    more = selection("a0000009-0000-4000-8000-000000000009", raw, "the social workers sit with us", "trust", "u-alice",
                     "utf16")
    second = make_project(tmp_path / "v2.qdpx", extra_selections=[more])
    r = import_project(fresh, second, new_inductive=True, nlp=None)
    assert r.added == [] and set(r.matched.values()) == {"Interview_7", "Focus_group_2"} and not r.new_codes
    assert r.codings.n_superseded == 3  # each coder's earlier codings on each transcript, kept in history
    alice = {t for tid, t, c, who, _ in landed(fresh) if who == "Alice" and tid == "Interview_7"}
    assert alice == {"We trust each other more now 🤝", "the social workers sit with us"}
    assert len(fresh.transcripts) == 2


def test_missing_sources_are_refused_and_nothing_changes(tmp_path, fresh):
    before = state(fresh)
    with pytest.raises(CodingImportError, match=r"missing.qdpx: 1 of 2 sources is missing from the archive "
                                                r"\(their text is not in it: 'Focus group 2'\); nothing was imported"):
        import_project(fresh, make_project(tmp_path / "missing.qdpx", missing=True), new_inductive=True, nlp=None)
    assert state(fresh) == before


def test_sources_pass_the_anonymisation_gate(tmp_path, fresh):
    path = make_project(tmp_path / "leak.qdpx", leak=True)
    before = state(fresh)
    with pytest.raises(AnonymisationError, match=r"Interview_7: 1 phone\); nothing was imported\. Where: Interview_7 "
                                                 r"phone at \d+-\d+ \(line 6, column 28\)"):
        import_project(fresh, path, new_inductive=True, nlp=None)
    assert state(fresh) == before
    r = import_project(fresh, path, new_inductive=True, nlp=None, accept_flagged=True)
    assert "Interview_7" in r.added and fresh.anon_checks.set_index("transcript_id").loc["Interview_7",
                                                                                           "accepted_flagged"] == 1


def test_unknown_codes_need_new_inductive_or_a_code_map(tmp_path, fresh):
    path = make_project(tmp_path / "p.qdpx")
    before = state(fresh)
    with pytest.raises(CodingImportError, match=r"3 codes used by its codings are not in the project's codebook: "
                                                r"'NPT::M3.3 Relational integration::Trust'.*--new-inductive"):
        import_project(fresh, path, nlp=None)
    assert state(fresh) == before
    r = import_project(fresh, path, nlp=None, code_map={"Trust": "M3.3", "Bureaucracy": "C2", "First contact": "M2.1"})
    assert {c for _, _, c, _, _ in landed(fresh)} == {"M3.3", "C2", "M2.1"} and not r.new_codes
    assert r.left_aside["code without codings that is not in the codebook (add them with --new-inductive)"] == 1


def test_sources_already_in_the_project_are_matched_not_added(tmp_path, fresh):
    (tmp_path / "Interview_7.txt").write_bytes(("\r\n".join(LINES) + "\r\n").encode("utf-8"))
    nc.services.add_transcripts(fresh, [tmp_path / "Interview_7.txt"], attributes={"site": "S1"}, nlp=None)
    r = import_project(fresh, make_project(tmp_path / "p.qdpx"), new_inductive=True, nlp=None)
    assert r.added == ["Focus_group_2"] and r.matched == {"Interview 7": "Interview_7"}
    assert r.attributes == {"Interview_7": {"case": [None, "P07"], "role": [None, "family worker"],
                                            "years_in_post": [None, "4"]}}
    assert ("Interview_7", "We trust each other more now 🤝", "Trust", "Alice", "trust grew") in landed(fresh)


def test_cli_import_of_a_project(tmp_path, fresh):
    path = make_project(tmp_path / "nvivo.qdpx")
    run = CliRunner().invoke
    r = run(app, ["import", str(path), "--new-inductive", "--no-ner", "--project", str(fresh.root)])
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    assert lines[-2].startswith("nvivo.qdpx: added 2 transcripts; imported 3 codings by Alice, Bob")
    assert lines[-1].startswith("left aside: ")
    r = run(app, ["import", str(path), str(path), "--project", str(fresh.root)])
    assert r.exit_code == 1 and "import a .qdpx project on its own" in r.output


# -- samples written by the programs themselves (read in place from ../shared) ------------------------------------------

@needs_samples
@pytest.mark.parametrize("name, n_transcripts, n_codes, aside", [
    ("atlasti23-win_blank.qdpx", 0, 0, {}),
    ("atlasti23-win_nested-codes.qdpx", 0, 3, {}),
    ("maxqda24_codebook_10txt.qdpx", 10, 307, {"set": 2}),
    ("nvivo15-mac_nested-codes_2users.qdpx", 0, 262, {"empty text source": 2}),  # its .txt sources are empty
])
def test_samples_import_alone_into_a_new_project(fresh, name, n_transcripts, n_codes, aside):
    r = import_project(fresh, SAMPLES / name, new_inductive=True, accept_flagged=True, nlp=None)
    assert len(r.added) == len(fresh.transcripts) == n_transcripts
    assert len(r.new_codes) == n_codes and len(fresh.load_codebook()) == 24 + n_codes
    assert r.left_aside == aside
    assert import_project(fresh, SAMPLES / name, new_inductive=True, nlp=None).no_op


@needs_samples
def test_nvivo_sample_gives_97_codings_on_the_right_text(fresh):
    path = SAMPLES / "nvivo12.6-win_codings_utf16.qdpx"
    r = import_project(fresh, path, new_inductive=True, accept_flagged=True, nlp=None)
    assert r.codings.n_codings == 97 and r.codings.coders == ["floriansipos"]
    frame = read_qdpx(path).codings_frame()
    text = fresh.transcript_text(r.added[0])
    got = sorted(" ".join(text[s:e].split()) for s, e in zip(fresh.codings["start"], fresh.codings["end"]))
    assert got == sorted(" ".join(t.split()) for t in frame["text"])
    assert "Nem tehetik kötelezővé! 😡😡" in {text[s:e] for s, e in zip(fresh.codings["start"], fresh.codings["end"])}


def test_two_sources_with_one_text_become_one_transcript(tmp_path, fresh):
    path = make_project(tmp_path / "twins.qdpx")
    with zipfile.ZipFile(path) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    members[f"Sources/{SRC_B}.txt"] = members[f"Sources/{SRC_A}.txt"]  # the focus group's file holds the interview
    with zipfile.ZipFile(path, "w") as zf:
        for n, data in members.items():
            zf.writestr(n, data)
    r = import_project(fresh, path, new_inductive=True, nlp=None)
    assert r.added == ["Interview_7"] and r.left_aside["source with the same text as another (imported once)"] == 1
    assert {tid for tid, *_ in landed(fresh)} == {"Interview_7"}


def test_history_lists_the_import(tmp_path, fresh):
    import_project(fresh, make_project(tmp_path / "p.qdpx"), new_inductive=True, nlp=None)
    h = fresh.history()
    assert list(h["kind"]) == ["add", "import"] and h["n_codings"].tolist()[-1] == 3
    r = CliRunner().invoke(app, ["history", "--project", str(fresh.root)])
    assert r.exit_code == 0 and "p.qdpx" in r.output
