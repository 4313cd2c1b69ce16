"""Fuzzing the readers: mutated files of every kind, with a fixed seed, must be read or refused with the toolkit's own
error (:class:`~npt_coder.errors.IngestError`), never anything else, each in bounded time.

Mutations are byte-level (flips, insertions of bytes and of tokens the readers look for, deletions, truncation,
duplicated chunks) and, for the zip-based formats, also inside the XML with the archive rebuilt, since a damaged zip is
mostly refused at its first byte.
"""

from __future__ import annotations

import io
import random
import time
import zipfile

import pytest

from npt_coder.errors import IngestError
from npt_coder.ingest import read_transcript_bytes, read_transcripts

N_FILES = 2000  # per kind
SEED = 13
TIME_LIMIT = 45.0  # seconds per kind, for a slow shared machine; a hang or a blow-up fails

TOKENS = [b"\x00", b"\xff\xfe", b"\xef\xbb\xbf", b"\r", b"\n\n", b"-->", b"00:00:01.000 --> 00:00:02.000\n",
          b"<v Sam>", b"</v>", b"<c.red>", b"&amp;", b"&#0;", b"&#x1F600;", b"WEBVTT\n", b"NOTE ", b"[id1] ",
          b"Speaker 1 (00:01:23):", b"  0:21\n", b"\nuser avatar\n", b"SPEAKERS\n", b"I1 = Interviewer 1; ",
          b"Interviewer: ", b"P07: ", b"[00:01:02] ", b":" * 40, b"\t" * 30, b"(" * 50, b"a" * 300, "é😀".encode(),
          b"<", b">", b"\xe2\x80\xa8", b"99:99:99,999 --> 00:00:00,000"]
XML_TOKENS = [b"<", b">", b"&", b"&amp;", b"]]>", b"<![CDATA[", b"</w:p>", b"<w:p>", b"<w:r><w:t>", b"</w:t></w:r>",
              b"<text:p>", b"</text:p>", b'<text:s text:c="99999999999"/>', b'<text:s text:c="x"/>', b"<text:span>",
              b"<table:table-row>", b"<office:annotation>", b"\x00", "😀".encode(), b'<!ENTITY x "y">', b"&x;",
              b"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>I</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"]


def text_corpus() -> dict[str, list[bytes]]:
    otter = ("Hub P07\n\nSUMMARY KEYWORDS\nhub\n\nSPEAKERS\nP07, Alex Researcher\n\nAlex Researcher  0:03\nHello?\n\n"
             "P07  0:21\nIt started small.\n\nTranscribed by https://otter.ai\n")
    zoom = "user avatar\nAlex\n00:00:03\nHello.\nuser avatar\nUnknown Speaker\n00:00:09\nYes.\n"
    labels = "Key: I1 = Interviewer 1; X1 = Informant\n\nI1: How was it? 😀\n\nX1: Fine.\r\n\r\n[00:01:02] I1: Why?\n"
    rev = "Speaker 1 (00:01:23):\nHow?\n\nSpeaker 2 (00:01:30): Small.\n\n[id1] yes\n[id2] no\n"
    vtt = ("WEBVTT\n\nSTYLE\n::cue {}\n\nNOTE a note\n\n1\n00:00:01.000 --> 00:00:03.500 align:start\n<c.x>the hub"
           "</c> <00:00:02.100><c>opened</c>\n\n00:00:03.500 --> 00:00:06.000\n<v Sam>families &amp; schools</v>\n")
    srt = "1\n00:00:01,000 --> 00:00:03,000\n<i>We started</i> with\ntwo.\n\n2\n00:00:03,200 --> 00:00:05,000\nSam: More.\n"
    return {
        "txt": [s.encode(enc) for s in (otter, zoom, labels, rev) for enc in ("utf-8", "utf-16", "cp1252", "utf-8")
                if _encodable(s, enc)],
        "vtt": [vtt.encode("utf-8"), vtt.encode("utf-16"), vtt.replace("\n", "\r\n").encode("utf-8-sig")],
        "srt": [srt.encode("utf-8"), srt.encode("utf-32"), srt.replace("\n", "\r\n").encode("cp1252")],
    }


def _encodable(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
        return True
    except UnicodeEncodeError:
        return False


def docx_corpus(docx_factory, tmp_path) -> list[bytes]:
    paths = [
        docx_factory("a.docx", ["Interview", [("Interviewer:", True), (" Hello?", False)], "P07: Fine.", "More."],
                     header="Confidential", table=[["Speaker", "Text"], ["I", "And?"], ["P07", "Yes.\n\nNo."]]),
        docx_factory("b.docx", ["Alex Researcher   0:03", "Thanks.", "Sam   0:10", "Hello."]),
    ]
    return [p.read_bytes() for p in paths]


def odt_corpus(odt_factory) -> list[bytes]:
    blocks = [{"h": "Interview"}, [("b", "Interviewer:"), " Hi", ("s", 3), ("comment", "c")],
              [("strong", "P07"), " Fine.", ("note", "n")], {"table": [["Speaker", "Text"], ["I", "More?"]]},
              {"list": ["I: listed"]}]
    return [odt_factory("a.odt", blocks).read_bytes(), odt_factory("b.odt", blocks, deleted="gone").read_bytes()]


def mutate(rng: random.Random, data: bytes, tokens: list[bytes]) -> bytes:
    b = bytearray(data)
    for _ in range(rng.randint(1, 6)):
        op = rng.randrange(6)
        i = rng.randrange(len(b) + 1) if b else 0
        if op == 0 and b:
            b[min(i, len(b) - 1)] = rng.randrange(256)
        elif op == 1:
            b[i:i] = rng.choice(tokens) * rng.choice((1, 1, 1, 7))
        elif op == 2 and b:
            del b[i:i + rng.randint(1, 64)]
        elif op == 3:
            del b[rng.randrange(len(b) + 1):]
        elif op == 4 and b:
            j = rng.randrange(len(b))
            b[i:i] = b[j:j + rng.randint(1, 200)]
        else:
            b[i:i] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
    return bytes(b)


_MEMBERS: dict[bytes, list] = {}


def mutate_zip(rng: random.Random, data: bytes) -> bytes:
    """40% of the time the archive's bytes; else one member's XML, with the archive rebuilt (or a member dropped)."""
    if rng.random() < 0.4:
        return mutate(rng, data, TOKENS)
    if data not in _MEMBERS:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            _MEMBERS[data] = [(info, zf.read(info)) for info in zf.infolist()]
    members = _MEMBERS[data]
    out = io.BytesIO()
    target = rng.choice([m for m in members if m[0].filename.endswith(".xml")])[0].filename
    drop = rng.random() < 0.05
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as zf:
        for info, body in members:
            if info.filename == target:
                if drop:
                    continue
                body = mutate(rng, body, XML_TOKENS)
            zf.writestr(info.filename, body)
    return out.getvalue()


def fuzz(tmp_path, suffix: str, corpus: list[bytes], mutator) -> dict[str, int]:
    """Read ``N_FILES`` mutated files from memory, as :func:`read_transcripts` reads them from disk (every 50th goes
    through a real file, so both ways in are fuzzed)."""
    rng = random.Random(f"{SEED}-{suffix}")
    name = f"fuzz{suffix}"
    outcome = {"read": 0, "refused": 0}
    slowest = 0.0
    started = time.perf_counter()
    for n in range(N_FILES):
        data = mutator(rng, rng.choice(corpus))
        t0 = time.perf_counter()
        try:
            if n % 50:
                read_transcript_bytes(data, name, sentences=False)
            else:
                (tmp_path / name).write_bytes(data)
                read_transcripts([tmp_path / name], sentences=False)
            outcome["read"] += 1
        except IngestError as err:
            assert str(err).startswith(name + ": ") and "\n" not in str(err), str(err)
            outcome["refused"] += 1
        except Exception as err:  # anything else is a bug: say which mutated file, to reproduce it
            raise AssertionError(f"file {n} ({suffix}) raised {type(err).__name__}: {err}") from err
        slowest = max(slowest, time.perf_counter() - t0)
    elapsed = time.perf_counter() - started
    assert elapsed < TIME_LIMIT and slowest < 2.0, (elapsed, slowest)
    return outcome


@pytest.mark.parametrize("suffix", ["txt", "vtt", "srt"])
def test_text_readers_survive_mutated_files(tmp_path, suffix):
    corpus = text_corpus()[suffix]
    outcome = fuzz(tmp_path, f".{suffix}", corpus, lambda rng, data: mutate(rng, data, TOKENS))
    assert outcome["read"] > N_FILES // 4 and outcome["refused"] > 0  # the mutations exercise both outcomes


def test_docx_reader_survives_mutated_files(tmp_path, docx_factory):
    outcome = fuzz(tmp_path, ".docx", docx_corpus(docx_factory, tmp_path), mutate_zip)
    assert outcome["read"] > N_FILES // 10 and outcome["refused"] > N_FILES // 10


def test_odt_reader_survives_mutated_files(tmp_path, odt_factory):
    outcome = fuzz(tmp_path, ".odt", odt_corpus(odt_factory), mutate_zip)
    assert outcome["read"] > N_FILES // 10 and outcome["refused"] > N_FILES // 10
