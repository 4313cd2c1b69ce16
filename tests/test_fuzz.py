"""Fuzzing every reader: real files of each kind, mutated at random (fixed seed, bounded time), must be read or
refused with the project's own error, never with any other exception.

Mutations work at three levels: bytes (flipped, inserted, deleted, duplicated, cut), text (caption timings, speaker
labels, form feeds, NUL, XML markup and entities spliced in), and zip archives (a member's content mutated, a member
dropped or added, headers made to lie about method, version, encryption or size, compressed data damaged). A failure
names the seed and case, and the file is kept beside the test's temporary folder to replay it.
"""

from __future__ import annotations

import random
import time
import traceback
import warnings
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from docx import Document

import npt_coder as nc
from npt_coder.coding import import_codings, make_coding_workbook, read_coding_file, transcript_to_docx
from npt_coder.coding._docx_comments import add_comment_to_text
from npt_coder.coding._qdpx import project_to_qdpx
from npt_coder.coding._qdpx.project import plan_qdpx_import
from npt_coder.errors import NptCoderError
from npt_coder.ingest import SUPPORTED_SUFFIXES, read_attribute_table, read_transcripts
from npt_coder.services import add_transcripts

from . import hostile as h
from .conftest import write_docx, write_odt

SEED = 20240611
SECONDS_PER_KIND = 2.5  # bounded time: about 30 s for the whole file
MAX_CASES = 3000

TEXT = ("Interview 7\nDate: spring\n\nINT: How did the front door start?\n\nP01: [00:01:10] It started small. "
        "Then it grew quickly.\n\nWe learned a lot about consent.\n\nINT: And now?\n\nP01: Now it is routine. "
        "Everyone expects it.\n")
VTT = ("WEBVTT\nKind: captions\n\nNOTE made by the meeting app\n\n1\n00:00:01.000 --> 00:00:04.000\n<v Alex>How did "
       "it start?\n\n2\n00:00:04.500 --> 00:00:09.000 align:start\n<v Robin>Small. Then it grew &amp; grew.\n\n"
       "00:09.000 --> 00:12.000\nRobin: It is routine now.\n")
SRT = ("1\n00:00:01,000 --> 00:00:04,000\nAlex: How did it start?\n\n2\n00:00:04,500 --> 00:00:09,000\nRobin: Small, "
       "then it grew.\n\n3\n00:00:09,000 --> 00:00:12,000\n<i>Robin: It is routine now.</i>\n")
_TOKENS = [b"INT: ", b"P01: ", b"\n\n", b"\r\n", b"\x0c", b"\x0b", b"\x00", b"\x07", b"\x1b", b"\xef\xbb\xbf",
           b"\xff\xfe", b" --> ", b"99:99:99.999", b"00:00:05.000 --> 00:00:01.000", b"-->", b"<v Sam>", b"</v>",
           b"[00:00:01]", b"&amp;", b"&#0;", b"&#x85;", b"&e;", b"<w:p>", b"</w:t>", b"<w:t>", b"]]>", b"<!--",
           b"<!DOCTYPE x [<!ENTITY e \"ee\">]>", b"<w:commentRangeStart w:id=\"9\"/>",
           b"<w:commentRangeEnd w:id=\"0\"/>", b"startPosition=\"", b"endPosition=\"-5\"", b"inf", b"1e30", b"nan",
           b",", b"\"", b"NaN,", b"\xc3", b"\xed\xa0\x80", "é".encode(), "😀".encode()]


def _transcript_seeds(folder: Path) -> dict[str, list[bytes]]:
    docx = write_docx(folder / "seed.docx", [
        "Interview 7", [("Interviewer:", True), (" How did it start?", False)],
        [("P01", True), (" It started ", False), ("small", True), (".", False)], "We learned a lot.",
    ], table=[["Speaker", "Transcript"], ["INT", "And now?"], ["P01", "Routine.\n\nEveryone expects it."]])
    return {
        ".txt": [TEXT.encode("utf-8"), TEXT.encode("utf-16"), TEXT.replace("é", "e").encode("cp1252")],
        ".vtt": [VTT.encode("utf-8")],
        ".srt": [SRT.encode("utf-8"), SRT.encode("utf-8-sig")],
        ".docx": [docx.read_bytes()],
        ".odt": [write_odt(folder / "seed.odt", [*TEXT.strip().split("\n\n"), {"h": "Notes"},
                                                  {"table": [["Speaker", "Text"], ["INT", "And now?"]]}]).read_bytes()],
    }


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fuzz_seeds")
    out = _transcript_seeds(folder)
    # coding files are read against a project
    (folder / "T1.txt").write_text(TEXT, encoding="utf-8")
    p = nc.init_project(folder / "study")
    add_transcripts(p, [folder / "T1.txt"], nlp=None)
    text = p.transcript_text("T1")
    spans = [(text.index(q), text.index(q) + len(q)) for q in ("It started small.", "Now it is routine.")]
    table = pd.DataFrame({"transcript_id": ["T1", "T1"], "coder": ["AK", "JT"], "code_id": ["M1.1", "O4"],
                          "start": [s for s, _ in spans], "end": [e for _, e in spans], "memo": ["first", ""]})
    table.to_csv(folder / "codes.csv", index=False)
    table.to_excel(folder / "codes.xlsx", index=False)
    wb = make_coding_workbook(p, "AK")
    wb["T1"]["D3"] = "M1.1"
    wb.save(folder / "sheet.xlsx")
    transcript_to_docx(text).save(folder / "copy.docx")
    doc = Document(str(folder / "copy.docx"))
    add_comment_to_text(doc, "It started small.", "M1.1 first", author="AK")
    add_comment_to_text(doc, "Everyone expects it.", "O4", author="JT")
    doc.save(folder / "comments.docx")
    import_codings(p, table, source="csv")
    project_to_qdpx(p, folder / "project.qdpx")
    p.undo_batch(int(p.history()["batch_id"].max()))
    out.update({name: [(folder / name).read_bytes()] for name in ("codes.csv", "codes.xlsx", "sheet.xlsx",
                                                                    "comments.docx", "project.qdpx")})
    attributes = pd.DataFrame({"transcript_id": ["T1"], "file": ["T1.txt"], "site": ["S1"], "role": ["family worker"]})
    attributes.to_csv(folder / "attributes.csv", index=False)
    attributes.to_excel(folder / "attributes.xlsx", index=False)
    out.update({name: [(folder / name).read_bytes()] for name in ("attributes.csv", "attributes.xlsx")})
    return out, p


def _mutate_bytes(rng: random.Random, data: bytes) -> bytes:
    data = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        n = len(data)
        op = rng.randrange(7)
        at = rng.randrange(n + 1) if n else 0
        if op == 0 and n:
            data[rng.randrange(n)] = rng.randrange(256)
        elif op == 1:
            data[at:at] = rng.choice(_TOKENS)
        elif op == 2 and n:
            del data[at:at + rng.randint(1, max(1, n // 10))]
        elif op == 3 and n:
            piece = data[at:at + rng.randint(1, 64)]
            data[at:at] = piece * rng.randint(1, 20)
        elif op == 4:
            data = data[:at]
        elif op == 5:
            data[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
        else:
            data[at:at] = rng.choice(_TOKENS) * rng.randint(1, 50)
    return bytes(data)


def _mutate_zip(rng: random.Random, data: bytes) -> bytes:
    try:
        parts = h.members(data)
    except Exception:  # noqa: BLE001 - an earlier mutation broke the archive: mutate its bytes instead
        return _mutate_bytes(rng, data)
    name = rng.choice(sorted(parts))
    op = rng.randrange(9)
    if op <= 2:
        parts[name] = _mutate_bytes(rng, parts[name])
        return h.zip_bytes(parts)
    if op == 3 and len(parts) > 1:
        del parts[name]
        return h.zip_bytes(parts)
    if op == 4:
        return h.set_method(data, name, rng.choice([1, 6, 9, 97, 98, 99, 12, 14]))
    if op == 5:
        return rng.choice([h.set_version, h.set_encrypted, h.corrupt])(data, name)
    if op == 6:
        return h.lie_about_size(data, name, rng.choice([0, 1, 10, 2**31, 2**32 - 1]))
    if op == 7:
        return h.zip_bytes(parts, rng.choice([zipfile.ZIP_STORED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA]))
    return _mutate_bytes(rng, data)


def _cases(rng: random.Random, seeds: list[bytes], is_zip: bool):
    while True:
        data = rng.choice(seeds)
        for _ in range(rng.randint(1, 3)):
            data = _mutate_zip(rng, data) if is_zip and rng.random() < 0.8 else _mutate_bytes(rng, data)
        yield data


def _fuzz(kind: str, seeds: list[bytes], is_zip: bool, read, folder: Path) -> tuple[int, list[str]]:
    rng = random.Random(f"{SEED}-{kind}")
    failures: list[str] = []
    deadline = time.monotonic() + SECONDS_PER_KIND
    n = 0
    for n, data in enumerate(_cases(rng, seeds, is_zip), start=1):
        suffix = "." + kind.rsplit(".", 1)[-1]
        path = folder / f"case{n}{suffix}"
        path.write_bytes(data)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # a library's warning is not an exception of the run
                read(path)
        except NptCoderError:
            pass
        except Exception as err:  # noqa: BLE001 - the point of the test
            failures.append(f"{kind} case {n} (seed {SEED}, kept as {path}): {type(err).__name__}: "
                            f"{str(err)[:200]}\n{''.join(traceback.format_tb(err.__traceback__)[-3:])}")
            if len(failures) >= 5:
                break
            continue
        path.unlink()
        if n >= MAX_CASES or time.monotonic() > deadline:
            break
    return n, failures


def test_every_transcript_format_has_a_seed(seeds):
    assert set(SUPPORTED_SUFFIXES) <= set(seeds[0])


@pytest.mark.parametrize("suffix", [".txt", ".vtt", ".srt", ".docx", ".odt"])
def test_transcript_readers_raise_only_their_own_errors(seeds, tmp_path, suffix):
    n, failures = _fuzz(suffix, seeds[0][suffix], suffix in (".docx", ".odt"),
                        lambda path: read_transcripts([path], sentences=False), tmp_path)
    assert not failures, "\n\n".join(failures)
    assert n >= 20  # the budget ran real cases


@pytest.mark.parametrize("name", ["codes.csv", "codes.xlsx", "sheet.xlsx", "comments.docx", "project.qdpx"])
def test_coding_importers_raise_only_their_own_errors(seeds, tmp_path, name):
    files, project = seeds
    n, failures = _fuzz(name, files[name], not name.endswith(".csv"),
                        lambda path: read_coding_file(path, project, left_out=[]), tmp_path)
    assert not failures, "\n\n".join(failures)
    assert n >= 20


def test_whole_project_import_plans_raise_only_their_own_errors(seeds, tmp_path):
    # into an empty project, so that every source is read as a new transcript (read_text_source and its tidying)
    empty = nc.init_project(tmp_path / "empty")
    n, failures = _fuzz("whole.qdpx", seeds[0]["project.qdpx"], True,
                        lambda path: plan_qdpx_import(path, empty, new_inductive=True), tmp_path)
    assert not failures, "\n\n".join(failures)
    assert n >= 20


@pytest.mark.parametrize("name", ["attributes.csv", "attributes.xlsx"])
def test_attribute_tables_raise_only_their_own_errors(seeds, tmp_path, name):
    n, failures = _fuzz(name, seeds[0][name], name.endswith(".xlsx"), read_attribute_table, tmp_path)
    assert not failures, "\n\n".join(failures)
    assert n >= 20
