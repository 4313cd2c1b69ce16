import codecs

import pytest

from npt_coder.ingest import canonical_text, decode_text_bytes

SAMPLE = "Interviewer: “Early Help” – café naïve £20…\nP01: Yes."


@pytest.mark.parametrize(
    "data, encoding",
    [
        (SAMPLE.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + SAMPLE.encode("utf-8"), "utf-8"),
        (SAMPLE.encode("utf-16"), "utf-16-le"),  # Python writes a BOM, little-endian
        (codecs.BOM_UTF16_BE + SAMPLE.encode("utf-16-be"), "utf-16-be"),
        (SAMPLE.encode("utf-16-le"), "utf-16-le"),  # no BOM: recognised by its zero bytes
        (SAMPLE.encode("cp1252"), "cp1252"),  # an older word processor on Windows
    ],
)
def test_encodings_decode_without_mojibake(data, encoding):
    text, found = decode_text_bytes(data)
    assert found == encoding
    assert canonical_text(text) == SAMPLE


def test_crlf_and_lone_cr_become_newlines():
    assert canonical_text("a\r\nb\rc") == "a\nb\nc"


def test_nfc_normalisation_joins_combining_accents():
    decomposed = "cafe\u0301"
    assert len(canonical_text(decomposed)) == 4


@pytest.mark.parametrize("data", [b"", b"   \r\n  ", codecs.BOM_UTF8])
def test_empty_files_are_refused(data):
    with pytest.raises(ValueError, match="empty"):
        decode_text_bytes(data)


def test_binary_data_is_refused():
    blob = bytes(range(256)) * 40
    with pytest.raises(ValueError, match="binary|not text"):
        decode_text_bytes(blob)
