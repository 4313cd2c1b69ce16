"""Fuzzing the REFI-QDA reader: mutated ``.qdpx`` files, with a fixed seed, must be read or refused with
:class:`~npt_coder.errors.CodingImportError`, never anything else; a share of them also goes through the whole-project
import plan, which must refuse with the toolkit's own errors too and never change the project."""

from __future__ import annotations

import io
import random
import time
import zipfile

import npt_coder as nc
from npt_coder.coding import read_qdpx
from npt_coder.coding._qdpx import plan_qdpx_import
from npt_coder.errors import NptCoderError

N_FILES = 2000
N_PLANNED = 300  # of them, also planned as a whole-project import
SEED = 13
NS = "urn:QDA-XML:project:1.0"
TOKENS = [b"<", b">", b"&", b"\x00", b'"', b"'", b"-1", b"99999999999999999999", b"{", b"}", b"internal://",
          b"../../etc/passwd", b"C:\\x.txt", b"file:///x", "😀".encode(), b"\r\n", b"\xef\xbb\xbf", b"\xff\xfe",
          b'startPosition="', b'endPosition="', b"<NoteRef targetGUID=\"x\"/>", b"<Coding guid=\"x\">",
          b"<CodeRef targetGUID=\"0\"/>", b"</Code>", b"<Code guid=\"y\" name=\"n\" isCodable=\"maybe\">",
          b"<VariableValue><VariableRef/></VariableValue>", b"<Case/>", b"<PlainTextContent>", b'<!ENTITY e "e">']


def corpus() -> list[bytes]:
    out = []
    for origin, crlf, folder, path_style in (("NVivo for Mac 12.7", True, "Sources", "internal"),
                                              ("ATLAS.ti 23", False, "sources", "bare"),
                                              ("QualCoder 3.5", False, "", "internal")):
        nl = "\r\n" if crlf else "\n"
        raw = nl.join(["Interviewer [00:00:05]: How was it? 😀", "P07: We trust each other 🤝.",
                       "[id1] yes", "Alex  0:21", "It grew."]) + nl
        s = raw.index("We trust")
        a = len(raw[:s].encode("utf-16-le")) // 2 if "NVivo" in origin else s
        guid = "5a5a5a5a-1111-4222-8333-444455556666"
        where = f"internal://{guid}.txt" if path_style == "internal" else f"{guid}.txt"
        xml = (f'<?xml version="1.0" encoding="utf-8"?><Project xmlns="{NS}" name="p" origin="{origin}"><Users>'
               '<User guid="0a000000-0000-4000-8000-00000000000a" name="Alice"/></Users><CodeBook><Codes>'
               '<Code guid="10000000-0000-4000-8000-000000000000" name="M3.3" isCodable="true">'
               '<Code guid="20000000-0000-4000-8000-000000000000" name="Trust" isCodable="true"/></Code>'
               '</Codes></CodeBook><Variables><Variable guid="7e000000-0000-4000-8000-000000000001" name="Role" '
               'typeOfVariable="Text"/></Variables><Cases><Case guid="ca000000-0000-4000-8000-000000000001" '
               'name="P07"><VariableValue><VariableRef targetGUID="7e000000-0000-4000-8000-000000000001"/><TextValue>'
               f'worker</TextValue></VariableValue><SourceRef targetGUID="{guid}"/></Case></Cases><Sources>'
               f'<TextSource guid="{guid}" name="Interview 7" plainTextPath="{where}"><PlainTextSelection '
               f'guid="a0000001-0000-4000-8000-000000000001" startPosition="{a}" endPosition="{a + 10}" '
               'creatingUser="0a000000-0000-4000-8000-00000000000a"><Coding guid="c0000001-0000-4000-8000-000000000001"'
               ' creatingUser="0a000000-0000-4000-8000-00000000000a"><CodeRef targetGUID="20000000-0000-4000-8000-'
               '000000000000"/><NoteRef targetGUID="9a000000-0000-4000-8000-000000000001"/></Coding>'
               '</PlainTextSelection></TextSource><TextSource guid="6b6b6b6b-1111-4222-8333-444455556666">'
               "<PlainTextContent>I: inline?\nR: yes.</PlainTextContent></TextSource></Sources><Notes>"
               '<Note guid="9a000000-0000-4000-8000-000000000001"><PlainTextContent>memo</PlainTextContent></Note>'
               "</Notes><Sets><Set guid=\"5e000000-0000-4000-8000-000000000001\" name=\"s\"/></Sets></Project>")
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zf:
            zf.writestr("project.qde", xml.encode("utf-8"))
            zf.writestr(f"{folder + '/' if folder else ''}{guid}.txt", b"\xef\xbb\xbf" + raw.encode("utf-8"))
        out.append(buf.getvalue())
    return out


def mutate_bytes(rng: random.Random, data: bytes) -> bytes:
    b = bytearray(data)
    for _ in range(rng.randint(1, 5)):
        i = rng.randrange(len(b) + 1) if b else 0
        op = rng.randrange(5)
        if op == 0 and b:
            b[min(i, len(b) - 1)] = rng.randrange(256)
        elif op == 1:
            b[i:i] = rng.choice(TOKENS)
        elif op == 2:
            del b[i:i + rng.randint(1, 40)]
        elif op == 3 and b:
            j = rng.randrange(len(b))
            b[i:i] = b[j:j + rng.randint(1, 120)]
        else:
            b[i:i] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
    return bytes(b)


def mutate(rng: random.Random, data: bytes) -> bytes:
    if rng.random() < 0.3:
        return mutate_bytes(rng, data)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        members = [(i.filename, zf.read(i)) for i in zf.infolist()]
    k = rng.randrange(len(members))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for n, (name, body) in enumerate(members):
            if n == k:
                if rng.random() < 0.05:
                    continue  # a member gone
                body = mutate_bytes(rng, body)
            zf.writestr(name, body)
    return out.getvalue()


def test_qdpx_reader_and_import_plan_survive_mutated_files(tmp_path):
    rng = random.Random(SEED)
    project = nc.init_project(tmp_path / "study")
    path = tmp_path / "fuzz.qdpx"
    base = corpus()
    outcome = {"read": 0, "refused": 0, "planned": 0}
    started, slowest = time.perf_counter(), 0.0
    for n in range(N_FILES):
        path.write_bytes(mutate(rng, rng.choice(base)))
        t0 = time.perf_counter()
        try:
            read_qdpx(path)
            outcome["read"] += 1
        except NptCoderError as err:
            assert str(err).startswith("fuzz.qdpx: ") and "\n" not in str(err), str(err)
            outcome["refused"] += 1
        except Exception as err:
            raise AssertionError(f"file {n} raised {type(err).__name__}: {err}") from err
        if n < N_PLANNED:
            try:
                plan_qdpx_import(path, project, new_inductive=True)
                outcome["planned"] += 1
            except NptCoderError as err:
                assert "\n" not in str(err), str(err)
            except Exception as err:
                raise AssertionError(f"file {n} (planned) raised {type(err).__name__}: {err}") from err
        slowest = max(slowest, time.perf_counter() - t0)
    assert time.perf_counter() - started < 45 and slowest < 2.0
    assert outcome["read"] > N_FILES // 10 and outcome["refused"] > N_FILES // 10 and outcome["planned"] > 10
    assert project.transcripts.empty and project.codings.empty  # planning never writes
