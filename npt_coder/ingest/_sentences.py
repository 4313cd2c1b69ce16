"""Sentence boundaries: spaCy's English tokenizer with the rule of spaCy's ``sentencizer``, computed on arrays.

spaCy's ``Sentencizer`` walks every token as a Python object, which is most of the cost of splitting a study into
sentences. Here the same rule runs on the token arrays spaCy's tokenizer produces (``Doc.to_array``): a token
starts a sentence when it is the first token after a sentence-final punctuation character (``.``, ``!``, ``?`` and
the other characters in ``Sentencizer.default_punct_chars``) that is itself neither punctuation nor such a
character. The boundaries are those of ``spacy.blank("en")`` + ``sentencizer`` (tested on the demo study and on random
text), except that an opening bracket or quote left at a sentence's end moves to the sentence it opens.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Iterable

import numpy as np

__all__ = ["sentence_spans"]


@lru_cache(maxsize=1)
def _tokenizer():
    import spacy
    from spacy.attrs import IDX, IS_PUNCT, LENGTH, ORTH
    from spacy.pipeline import Sentencizer

    nlp = spacy.blank("en")
    punct = np.array(sorted(nlp.vocab.strings.add(c) for c in Sentencizer.default_punct_chars), dtype=np.uint64)
    return nlp.tokenizer, punct, [ORTH, IS_PUNCT, IDX, LENGTH]


def sentence_spans(texts: Iterable[str], *, batch_size: int = 1000) -> list[list[tuple[int, int]]]:
    """For each text, its sentences as ``(start, end)`` offsets into that text, surrounding whitespace trimmed.

    All texts are tokenised with ``tokenizer.pipe``; the sentence rule then runs once over the concatenated token
    arrays (a sentence never crosses from one text into the next).

    >>> sentence_spans(["We met daily. It worked!  Mostly.", "No full stop", "Dr. Smith came... Then left."])
    [[(0, 13), (14, 24), (26, 33)], [(0, 12)], [(0, 28)]]
    """
    tokenizer, punct_hashes, attrs = _tokenizer()
    texts = list(texts)
    arrays = [doc.to_array(attrs).reshape(-1, len(attrs)) for doc in tokenizer.pipe(texts, batch_size=batch_size)]
    sizes = np.fromiter((len(a) for a in arrays), dtype=np.int64, count=len(arrays))
    if sizes.sum() == 0:
        return [[] for _ in texts]
    arr = np.concatenate(arrays)
    doc_of = np.repeat(np.arange(len(arrays)), sizes)
    first = np.cumsum(sizes) - sizes  # index of each text's first token
    in_punct = np.isin(arr[:, 0], punct_hashes)
    ok = np.flatnonzero(~in_punct & ~arr[:, 1].astype(bool))
    enders = np.flatnonzero(in_punct)
    pos = np.searchsorted(ok, enders, side="right")
    keep = pos < len(ok)
    follow = ok[pos[keep]]
    follow = follow[doc_of[follow] == doc_of[enders[keep]]]  # the next sentence must be in the same text
    starts = np.union1d(first[sizes > 0], follow)
    ends = np.append(starts[1:], len(arr)) - 1
    # a sentence ends at the last token before the next start, or at its own text's last token
    last_of_doc = first + sizes - 1
    ends = np.minimum(ends, last_of_doc[doc_of[starts]])
    idx = arr[:, 2].astype(np.int64)
    char_start = idx[starts].tolist()
    char_end = (idx[ends] + arr[ends, 3].astype(np.int64)).tolist()
    owners = doc_of[starts].tolist()
    out: list[list[tuple[int, int]]] = [[] for _ in texts]
    for owner, start, end in zip(owners, char_start, char_end):
        text = texts[owner]
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            out[owner].append((start, end))
    for owner, spans in enumerate(out):
        if len(spans) > 1:
            out[owner] = _move_openers(texts[owner], spans)
    return out


_OPENERS = "[({“‘"
_STRAIGHT = "\"'"


def _move_openers(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Give opening brackets and quotes left at a sentence's end to the sentence they open.

    The sentencizer starts a sentence at the first token after ``.``/``!``/``?`` that is not punctuation, so in
    ``"It was hard. [laughs] Then..."`` the ``[`` stays with the first sentence. A straight quote moves only when it
    is attached to the next word (``. "Next``), since ``."`` closes the sentence before. This is the one place where
    our boundaries deliberately differ from spaCy's.
    """
    out = list(spans)
    for i in range(len(out) - 1):
        start, end = out[i]
        cut = end
        while cut > start:
            ch = text[cut - 1]
            attached = cut < len(text) and not text[cut].isspace()
            if ch in _OPENERS or (ch in _STRAIGHT and attached and cut - 1 > start and text[cut - 2].isspace()):
                cut -= 1
                while cut > start and text[cut - 1].isspace():
                    cut -= 1
            else:
                break
        if cut == end or cut == start:
            continue
        opener = cut
        while text[opener].isspace():
            opener += 1
        out[i] = (start, cut)
        out[i + 1] = (opener, out[i + 1][1])
    return out
