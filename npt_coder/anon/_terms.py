"""Case- and accent-insensitive term matching (deny and allow lists) and the list-file loader.

Terms and text are *folded* the same way before they are compared: Unicode NFKD, combining marks dropped,
``str.casefold``, typographic apostrophes and dashes made plain. Folding can change a text's length (``ß`` ->
``ss``), so :func:`fold_with_map` also returns a map from folded offsets back to offsets in the original text.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from .._io import read_user_bytes
from ..errors import IdentifierCheckError, TermListError

__all__ = ["OffsetMap", "TermMatcher", "check_terms", "fold", "fold_with_map", "load_terms"]

_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_PUNCT_FOLD = str.maketrans(
    {"’": "'", "‘": "'", "ʼ": "'", "`": "'", "–": "-", "—": "-", "‐": "-", "‑": "-"}
)


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    decomposed = unicodedata.normalize("NFKD", ch.translate(_PUNCT_FOLD))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def fold(text: str) -> str:
    """Fold ``text`` for case- and accent-insensitive comparison.

    >>> fold("Zoë O’Brien-SMITH")
    "zoe o'brien-smith"
    >>> fold("Straße")
    'strasse'
    """
    if text.isascii():
        return text.lower()
    return "".join(_fold_char(c) if not c.isascii() else c.lower() for c in text)


@dataclass(frozen=True)
class OffsetMap:
    """Maps offsets in a folded text back to the original text (``None`` fields: the identity map)."""

    folded_starts: tuple[int, ...] = ()
    original_starts: tuple[int, ...] = ()
    piece: tuple[bool, ...] = ()  # True: a folded non-ASCII character, False: a run of ASCII characters

    def start(self, f: int) -> int:
        """Original offset of the character at folded offset ``f``."""
        if not self.folded_starts:
            return f
        k = bisect_right(self.folded_starts, f) - 1
        if k < 0:
            return f
        if self.piece[k]:
            return self.original_starts[k]
        return self.original_starts[k] + (f - self.folded_starts[k])

    def end(self, f_end: int) -> int:
        """Original (exclusive) end offset for the folded (exclusive) end ``f_end``."""
        if not self.folded_starts or f_end == 0:
            return f_end
        f = f_end - 1
        k = bisect_right(self.folded_starts, f) - 1
        if k < 0:
            return f_end
        if self.piece[k]:
            return self.original_starts[k] + 1
        return self.original_starts[k] + (f - self.folded_starts[k]) + 1


def fold_with_map(text: str) -> tuple[str, OffsetMap]:
    """Fold ``text`` and return the folded text with an :class:`OffsetMap` back to ``text``.

    >>> folded, offsets = fold_with_map("Straße 5, Zoë")
    >>> folded
    'strasse 5, zoe'
    >>> m = folded.index("zoe")
    >>> offsets.start(m), offsets.end(m + 3)
    (10, 13)
    """
    if text.isascii():
        return text.lower(), OffsetMap()
    parts: list[str] = []
    fs: list[int] = []
    os_: list[int] = []
    kinds: list[bool] = []
    f = 0
    last = 0
    for m in _NON_ASCII.finditer(text):
        i = m.start()
        if i > last:
            fs.append(f)
            os_.append(last)
            kinds.append(False)
            chunk = text[last:i].lower()
            parts.append(chunk)
            f += len(chunk)
        piece = _fold_char(text[i])
        fs.append(f)
        os_.append(i)
        kinds.append(True)
        parts.append(piece)
        f += len(piece)
        last = i + 1
    if last < len(text):
        fs.append(f)
        os_.append(last)
        kinds.append(False)
        parts.append(text[last:].lower())
    return "".join(parts), OffsetMap(tuple(fs), tuple(os_), tuple(kinds))


def check_terms(terms: Iterable[str] | None, *, name: str) -> tuple[str, ...]:
    """Validate a deny or allow argument and return its terms as a tuple (never echoing a term in an error)."""
    if terms is None:
        return ()
    if isinstance(terms, (str, bytes, Path)):
        raise IdentifierCheckError(
            f"{name} must be a list of terms, not a single {type(terms).__name__} "
            f"(read a file with npt_coder.anon.load_terms(path))"
        )
    out = []
    for i, term in enumerate(terms):
        if not isinstance(term, str):
            raise IdentifierCheckError(f"{name}[{i}] must be a str; got {type(term).__name__}")
        term = " ".join(term.split())
        if term:
            out.append(term)
    return tuple(out)


class TermMatcher:
    """Find whole-word occurrences of any of ``terms`` in a text, ignoring case and accents.

    >>> matcher = TermMatcher(["Zoe Walker", "Oakwood"])
    >>> [(s, e) for s, e in matcher.finditer("zoë  walker at OAKWOOD, not Oakwoods")]
    [(0, 11), (15, 22)]
    """

    def __init__(self, terms: Iterable[str]):
        folded = sorted({fold(" ".join(t.split())) for t in terms if t and t.strip()}, key=len, reverse=True)
        self.terms = tuple(folded)
        self._term_set = frozenset(folded)
        if not folded:
            self._re = None
            return
        alts = [r"\s+".join(re.escape(part) for part in t.split(" ")) for t in folded]
        self._re = re.compile(r"(?<!\w)(?:" + "|".join(alts) + r")(?!\w)")

    def __bool__(self) -> bool:
        return self._re is not None

    def finditer(self, text: str, folded: tuple[str, OffsetMap] | None = None):
        """Yield ``(start, end)`` offsets into ``text`` of every match."""
        if self._re is None:
            return
        ftext, offsets = folded if folded is not None else fold_with_map(text)
        for m in self._re.finditer(ftext):
            yield offsets.start(m.start()), offsets.end(m.end())

    def contained_in(self, value: str) -> bool:
        """True if any term occurs in ``value`` as whole words."""
        return self._re is not None and self._re.search(fold(value)) is not None

    def equals(self, value: str) -> bool:
        """True if ``value`` (folded, spaces normalised) is one of the terms."""
        return fold(" ".join(value.split())) in self._term_set


@lru_cache(maxsize=32)
def matcher_for(terms: tuple[str, ...]) -> TermMatcher:
    """A cached :class:`TermMatcher` for a tuple of terms."""
    return TermMatcher(terms)


def _term_problem(term: str) -> str | None:
    if sum(c.isalnum() for c in term) < 2:
        return "a term needs at least two letters or digits"
    return None


def load_terms(path: str | Path) -> tuple[str, ...]:
    """Read a deny-list or allow-list file and return its terms in file order, duplicates dropped.

    A ``.csv`` file needs a ``term`` column (other columns, e.g. a note, are ignored); any other file is UTF-8
    text with one term per line, ``#`` starting a comment, blank lines ignored.

    Parameters
    ----------
    path : str or pathlib.Path
        The list file.

    Returns
    -------
    tuple of str
        The terms, with runs of white space made single spaces.

    Raises
    ------
    npt_coder.errors.TermListError
        The file is missing, unreadable, not UTF-8, has no ``term`` column (CSV) or holds a term with fewer than
        two letters or digits. The message names the file and the line, never the term (lists hold real names).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> text = "# study sites\\nOakwood Primary\\n\\nZoë Walker  # staff\\n"
    >>> _ = (folder / "deny.txt").write_text(text, encoding="utf-8")
    >>> load_terms(folder / "deny.txt")
    ('Oakwood Primary', 'Zoë Walker')
    """
    path = Path(path)
    data = read_user_bytes(path, TermListError, "term list file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise TermListError(path, f"is not UTF-8 text (byte {err.start} is invalid); save it as UTF-8") from None
    if "\x00" in text:
        raise TermListError(path, "holds binary data, not a text list of terms")
    rows: list[tuple[int, str]] = []
    if path.suffix.lower() == ".csv":
        reader = csv.reader(io.StringIO(text, newline=""))
        try:
            header = next(reader, None)
            if header is None:
                return ()
            names = [h.strip().lower() for h in header]
            if "term" not in names:
                raise TermListError(path, "a .csv term list needs a 'term' column in its first row")
            col = names.index("term")
            for lineno, row in enumerate(reader, start=2):
                if col < len(row):
                    rows.append((lineno, row[col]))
        except csv.Error as err:
            raise TermListError(path, f"is not valid CSV ({err})") from None
    else:
        for lineno, line in enumerate(text.splitlines(), start=1):
            rows.append((lineno, line.split("#", 1)[0]))
    terms: list[str] = []
    seen: set[str] = set()
    problems: list[str] = []
    for lineno, raw in rows:
        term = " ".join(raw.split())
        if not term:
            continue
        problem = _term_problem(term)
        if problem:
            problems.append(f"line {lineno}: {problem}")
            continue
        key = fold(term)
        if key not in seen:
            seen.add(key)
            terms.append(term)
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise TermListError(path, problems[0] + more)
    return tuple(terms)
