"""TextMap's collapsed text and offset maps, built with array operations and only when an offset is mapped, equal
those of the character-by-character loop they replaced (kept here as the oracle), on any text: every kind of
Unicode whitespace, leading and trailing runs, combining characters that NFC composes."""

from __future__ import annotations

import unicodedata

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from npt_coder.coding._match import TextMap


class OracleTextMap:
    """The character-by-character implementation :class:`TextMap` replaced."""

    def __init__(self, text: str):
        self.text = text
        chars: list[str] = []
        to_norm = np.empty(len(text) + 1, dtype=np.int64)  # original offset -> collapsed offset
        from_norm: list[int] = []  # collapsed offset -> original offset of that character
        in_space = True  # leading whitespace is dropped
        for i, ch in enumerate(text):
            to_norm[i] = len(chars)
            if ch.isspace():
                if not in_space:
                    chars.append(" ")
                    from_norm.append(i)
                in_space = True
            else:
                chars.append(ch)
                from_norm.append(i)
                in_space = False
        to_norm[len(text)] = len(chars)
        if chars and chars[-1] == " ":
            chars.pop()
            from_norm.pop()
        self.norm = unicodedata.normalize("NFC", "".join(chars))
        self._to_norm = to_norm
        self._from_norm = from_norm
        self.exact = len(self.norm) == len(chars)  # NFC kept every character: offsets map one to one

    def to_norm(self, offset: int) -> int:
        return int(min(self._to_norm[offset], len(self.norm)))

    def span_from_norm(self, start: int, end: int) -> tuple[int, int]:
        """Original ``(start, end)`` of the collapsed span ``[start, end)``, trimmed of surrounding spaces."""
        while start < end and self.norm[start] == " ":
            start += 1
        while end > start and self.norm[end - 1] == " ":
            end -= 1
        if end <= start:
            return start, start
        return self._from_norm[start], self._from_norm[end - 1] + 1


ALPHABET = st.sampled_from(list("ab .,\n\t\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2028\u2029\u202f\u3000"
                                "\u200b\ufeffe\u0301\u00e9"))


@settings(max_examples=300, deadline=None)
@given(st.lists(ALPHABET, max_size=60).map("".join))
def test_textmap_equals_the_loop(text):
    new, old = TextMap(text), OracleTextMap(text)
    assert (new.norm, new.exact) == (old.norm, old.exact)
    assert [new.to_norm(i) for i in range(len(text) + 1)] == [old.to_norm(i) for i in range(len(text) + 1)]
    spans = [(s, e) for s in range(len(new.norm) + 1) for e in range(s, len(new.norm) + 1)]
    if old.exact:  # the span map is used only where NFC changed no length
        assert [new.span_from_norm(s, e) for s, e in spans] == [old.span_from_norm(s, e) for s, e in spans]


def test_offsets_are_plain_ints_and_made_once():
    m = TextMap("  one\n\n two ")
    assert m._maps is None and m.norm == "one two"  # matching alone builds no offset map
    assert m.span_from_norm(0, 7) == (2, 11) and all(type(x) is int for x in m.span_from_norm(0, 7))
    maps = m._maps
    m.to_norm(3)
    assert m._maps is maps
