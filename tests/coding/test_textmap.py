"""TextMap's collapsed text and offset maps, built with array operations and only when an offset is mapped, equal
those of the character-by-character loop they replaced (kept here as the oracle), on any text: every kind of
Unicode whitespace, leading and trailing runs, combining characters that NFC composes."""

from __future__ import annotations


from hypothesis import given, settings
from hypothesis import strategies as st

from npt_coder.coding._match import TextMap

from ..oracles import OracleTextMap


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
