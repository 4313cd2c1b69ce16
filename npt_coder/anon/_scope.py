"""Where the NER pass has to look: the stretches of a text that could hold a name.

The trained pipeline is by far the slowest part of the check, and most of an interview is talk in which nothing
could be a name. A finding from the NER pass always holds a capital letter (:func:`._detect._clean_entity` drops the
rest), and a single capitalised word that opens a sentence and is a common English word or a function word is
dropped too ("Thresholds.", "It's", "Could"), unless it is a known given name or town. So a sentence needs NER only
if it holds a word with a capital that is none of these (not the pronoun "I", not inside a speaker label, and not a
common word opening a sentence), or a number right after a capitalised word ("Interview 104", "Ward 7").

:func:`name_windows` returns those sentences, each widened by :data:`PAD_WORDS` words on either side so that the
pipeline sees the same neighbouring words it sees when it reads the whole text (its token features look a few
tokens either way), merged where they meet. On the labelled sets and the demo study the findings are the same as
with NER over every text (``tests/anon/test_anon_scope.py``); a multi-word entity the pipeline would build
from lower-case words after a common opening word ("Social care said") is the kind of finding this can miss.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache
from typing import Sequence

from ._names import AMBIGUOUS_NAMES, GIVEN_NAMES
from ._patterns import NAME_STOPWORDS, sentence_start
from ._places import PLACES

__all__ = ["PAD_WORDS", "name_windows"]

#: Words of context kept on each side of a sentence that could hold a name.
PAD_WORDS = 4
_WORD_END = re.compile(r"[^\w'’.&-]")  # a word: a letter or digit, then letters, digits and ' ’ . & -
_CAPITAL = re.compile(r"[^\W\d_a-z]")  # a letter outside a-z: a capital, or an accented letter to look at
_BOUNDARY = re.compile(r"[.!?…]+[\"'’”)\]]*[ \t]+|\n")
_SPACE = re.compile(r"\s")
_CLITIC = re.compile(r"['’](?:s|m|d|ll|ve|re|t)$|n['’]t$", re.IGNORECASE)


@lru_cache(maxsize=1)
def _function_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(w.replace("’", "'") for w in STOP_WORDS) | NAME_STOPWORDS


def _plain(word: str, vocabulary: frozenset[str]) -> bool:
    """True if ``word``, opening a sentence, is a function word or a common English word (not a name or town)."""
    low = _CLITIC.sub("", word.rstrip(".").replace("’", "'")).lower()
    if not low or low in GIVEN_NAMES or low in AMBIGUOUS_NAMES or low in PLACES:
        return False
    if low in _function_words():
        return True
    return low in vocabulary or (low.endswith("s") and low[:-1] in vocabulary)


def _could_be_name(text: str, start: int, word: str, vocabulary: frozenset[str]) -> bool:
    if not any(c.isupper() for c in word):
        return False
    if word == "I" or (word[:1] == "I" and _CLITIC.fullmatch(word[1:])):
        return False  # I, I'm, I've, I'd, I'll
    return not (sentence_start(text, start) and _plain(word, vocabulary))


def _in_word(ch: str) -> bool:
    return ch.isalnum() or ch in "_'’.&-"


def _capital_words(text: str):
    """``(start, end)`` of each word holding a capital or another letter outside a-z, in order: found from those
    letters, so the rest of the text is never walked word by word."""
    end = -1
    for c in _CAPITAL.finditer(text):
        p = c.start()
        if p < end:
            continue  # a second capital of the same word
        j = p
        while j > 0 and _in_word(text[j - 1]):
            j -= 1
        while not text[j].isalnum():  # a word starts at a letter or digit ('Kerry -> Kerry)
            j += 1
        stop = _WORD_END.search(text, p)
        end = stop.start() if stop else len(text)
        yield j, end


def _number_after(text: str, start: int, end: int) -> int | None:
    """Where a number starts right after the word at ``start:end`` (one line, spaces between), if that word
    opens a run of text with a capital: ``"Interview 104"``, ``"Ward 7"``."""
    k = start
    while k > 0 and not text[k - 1].isspace():
        k -= 1
    if not text[k].isupper():
        return None
    stop = _SPACE.search(text, end)
    e = stop.start() if stop else len(text)
    n = e
    while n < len(text) and text[n] in " \t":
        n += 1
    return n if n > e and n < len(text) and text[n].isdigit() else None


def _pad_left(text: str, s: int, n: int) -> int:
    for _ in range(n):
        while s > 0 and text[s - 1].isspace():
            s -= 1
        if s == 0:
            return 0
        j = max(text.rfind(" ", 0, s), text.rfind("\n", 0, s), text.rfind("\t", 0, s))
        s = j + 1
    return s


def _pad_right(text: str, e: int, n: int) -> int:
    size = len(text)
    for _ in range(n):
        while e < size and text[e].isspace():
            e += 1
        if e >= size:
            return size
        m = _SPACE.search(text, e)
        e = m.start() if m else size
    return e


def name_windows(text: str, skip: Sequence[tuple[int, int]] = (), vocabulary: frozenset[str] = frozenset(), *,
                 pad: int = PAD_WORDS) -> list[tuple[int, int]]:
    """The ``(start, end)`` stretches of ``text`` the NER pass has to read, in order and not overlapping.

    ``skip`` are ranges whose findings are dropped anyway (speaker labels); ``vocabulary`` are lower-case common
    words (the pipeline's lemma index, :func:`._detect.common_words`).

    >>> text = "P01: I think it was fine, really fine. Then Kerry rang me. It is hard, so hard to say."
    >>> [text[s:e] for s, e in name_windows(text, [(0, 4)], frozenset({"think"}))]
    ['was fine, really fine. Then Kerry rang me. It is hard, so']
    >>> name_windows("We met daily. It worked, mostly.", vocabulary=frozenset({"work"}))
    []
    """
    if not _CAPITAL.search(text):
        return []
    skip = sorted(skip)
    skip_starts = [s for s, _ in skip]
    bounds: list[int] | None = None
    out: list[list[int]] = []

    def take(at: int) -> None:
        nonlocal bounds
        if out and at < out[-1][1]:
            return  # already in a window
        i = bisect_right(skip_starts, at) - 1
        if i >= 0 and skip[i][0] <= at < skip[i][1]:
            return  # inside a speaker label
        if bounds is None:
            bounds = [0, *(b.end() for b in _BOUNDARY.finditer(text)), len(text)]
        k = bisect_right(bounds, at) - 1
        s, e = _pad_left(text, bounds[k], pad), _pad_right(text, bounds[min(k + 1, len(bounds) - 1)], pad)
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])

    for start, end in _capital_words(text):
        if not (out and start < out[-1][1]) and _could_be_name(text, start, text[start:end], vocabulary):
            take(start)
        number = _number_after(text, start, end)  # a number is looked at only after a capitalised word
        if number is not None:
            take(number)
    return [(s, e) for s, e in out]
