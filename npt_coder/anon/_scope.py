"""Where the NER pass has to look: the stretches of a text that could hold a name.

The trained pipeline is by far the slowest part of the check, and most of an interview is talk in which nothing
could be a name. A finding from the NER pass always holds a capital letter (:func:`._detect._clean_entity` drops the
rest), and a single capitalised word that opens a sentence and is a common English word or a function word is
dropped too ("Thresholds.", "It's", "Could"), unless it is a known given name or town. So a sentence needs NER only
if it holds a word with a capital that is none of these: not the pronoun "I", not inside a speaker label, and not a
common word opening a sentence.

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

__all__ = ["PAD_WORDS", "name_windows", "windows_of"]

#: Words of context kept on each side of a sentence that could hold a name.
PAD_WORDS = 4
_WORD = re.compile(r"[^\W_][\w'’.&-]*")
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


def _could_be_name(text: str, m: re.Match, vocabulary: frozenset[str]) -> bool:
    word = m.group()
    if not any(c.isupper() for c in word):
        return False
    if word == "I" or (word[:1] == "I" and _CLITIC.fullmatch(word[1:])):
        return False  # I, I'm, I've, I'd, I'll
    return not (sentence_start(text, m.start()) and _plain(word, vocabulary))


def _after_capital(text: str, s: int) -> bool:
    """True if the word before offset ``s`` (on the same line) starts with a capital."""
    j = s
    while j > 0 and text[j - 1] in " \t":
        j -= 1
    if j == s or j == 0:
        return False
    k = j
    while k > 0 and not text[k - 1].isspace():
        k -= 1
    return text[k:j][:1].isupper()


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
    for m in _WORD.finditer(text):
        if not _CAPITAL.search(m.group()) or not _could_be_name(text, m, vocabulary):
            if not (m.group()[:1].isdigit() and _after_capital(text, m.start())):
                continue  # a number is looked at only after a capitalised word ("Interview 104", "Ward 7")
        i = bisect_right(skip_starts, m.start()) - 1
        if i >= 0 and skip[i][0] <= m.start() < skip[i][1]:
            continue  # inside a speaker label
        if out and m.start() < out[-1][1]:
            continue  # already in a window
        if bounds is None:
            bounds = [0, *(b.end() for b in _BOUNDARY.finditer(text)), len(text)]
        k = bisect_right(bounds, m.start()) - 1
        s, e = _pad_left(text, bounds[k], pad), _pad_right(text, bounds[min(k + 1, len(bounds) - 1)], pad)
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


def windows_of(texts: Sequence[str], skips: Sequence[Sequence[tuple[int, int]]], vocabulary: frozenset[str],
               ) -> list[list[tuple[int, int]]]:
    """:func:`name_windows` of each text."""
    return [name_windows(t, sk, vocabulary) for t, sk in zip(texts, skips)]
