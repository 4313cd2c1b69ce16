"""Bytes -> canonical text: encoding detection, newline and Unicode normalisation."""

from __future__ import annotations

import codecs
import re
import unicodedata

from ..errors import TranscriptFormatError

__all__ = ["BOMS", "canonical_text", "decode_text_bytes"]

# C0 control characters other than tab, newline, carriage return and form feed: their presence in quantity
# means the file is not text, whatever its extension says.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
BOMS = (  # byte-order marks and their codecs, longest first where prefixes collide
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def canonical_text(text: str) -> str:
    """Return the canonical form every offset in npt_coder refers to.

    Unicode NFC, ``\\r\\n`` and lone ``\\r`` turned into ``\\n``, a leading byte-order mark dropped, and Unicode
    line/paragraph separators turned into ``\\n``. Offsets are Python ``str`` indices (code points) into this text.

    >>> canonical_text("Cafe\\u0301\\r\\nNext")
    'Café\\nNext'
    """
    text = text.lstrip("\ufeff")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    return unicodedata.normalize("NFC", text)


def _looks_like_utf16(data: bytes) -> str | None:
    """Guess BOM-less UTF-16 from the pattern of zero bytes (ASCII text has one in every pair)."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even_zero = sample[0::2].count(0) / (len(sample) / 2)
    odd_zero = sample[1::2].count(0) / (len(sample) / 2)
    if odd_zero > 0.3 and even_zero < 0.05:
        return "utf-16-le"
    if even_zero > 0.3 and odd_zero < 0.05:
        return "utf-16-be"
    return None


def decode_text_bytes(data: bytes) -> tuple[str, str]:
    """Decode a text file's bytes, returning ``(text, encoding)``; raise ``ValueError`` with a reason if not text.

    Order: a byte-order mark (UTF-8, UTF-16, UTF-32) decides; else BOM-less UTF-16 is recognised by its zero
    bytes; else strict UTF-8; else Windows-1252 (what older Word and WordPad save on English Windows), which is
    accepted only when every byte is defined in it; else charset-normalizer's best guess.
    Text with control characters beyond a trace (a binary file named ``.txt``) is refused.

    >>> decode_text_bytes("“Early Help” – £5".encode("cp1252"))
    ('“Early Help” – £5', 'cp1252')
    >>> decode_text_bytes("héllo".encode("utf-16"))[1]
    'utf-16-le'
    """
    if not data.strip():
        raise TranscriptFormatError("the file is empty")
    encoding = next((enc for bom, enc in BOMS if data.startswith(bom)), None)
    if encoding is not None:
        data = data[len(next(bom for bom, enc in BOMS if enc == encoding)):]
    else:
        encoding = _looks_like_utf16(data)
    if encoding is None:
        for candidate in ("utf-8", "cp1252"):
            try:
                text = data.decode(candidate)
            except UnicodeDecodeError:
                continue
            encoding = candidate
            break
        else:
            from charset_normalizer import from_bytes

            best = from_bytes(data).best()
            if best is None:
                raise TranscriptFormatError("the file is not text in any encoding npt-coder recognises (is it binary?)")
            text, encoding = str(best), best.encoding
    else:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as err:
            raise TranscriptFormatError(f"the file claims to be {encoding} but byte {err.start} is invalid") from None
    n_control = len(_CONTROL.findall(text))
    if n_control > max(2, len(text) // 1000):
        raise TranscriptFormatError("the file holds binary data, not text (control characters found); is it really a transcript?")
    if not text.strip("\ufeff \t\r\n"):
        raise TranscriptFormatError("the file is empty")
    return text, encoding
