"""The public face of the identifier check: argument checks, the findings tables, and the result object.

:func:`check_identifiers` returns an :class:`IdentifierCheck`: the findings per text plus whether names were looked
for with a trained pipeline. :func:`find_identifiers` and :func:`find_identifiers_many` return the findings tables
alone; they still carry ``attrs["name_detection"]`` and ``attrs["name_detection_note"]`` for one release, but
``DataFrame.attrs`` is dropped by most pandas operations, so read those from :class:`IdentifierCheck` instead.
"""

from __future__ import annotations

import numbers
import os
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Sequence

import numpy as np
import pandas as pd

from .._words import count
from ..errors import IdentifierCheckError
from ._cache import CheckCache, Row, pipeline_id
from ._detect import detect_many, resolve_nlp
from ._terms import check_terms, matcher_for
from ._types import Candidate, mask, severity_of

__all__ = ["IdentifierCheck", "check_identifiers", "find_identifiers", "find_identifiers_many"]


@dataclass(frozen=True)
class IdentifierCheck:
    """What one run of the check found.

    Attributes
    ----------
    findings : tuple of pandas.DataFrame
        One findings table per text, in the order given (columns as for :func:`find_identifiers`).
    name_detection : bool
        Whether a trained pipeline looked for names (``False``: patterns only).
    note : str
        The same in words, e.g. why name detection is off.
    """

    findings: tuple[pd.DataFrame, ...]
    name_detection: bool
    note: str


def _columns(kinds, severities, starts, ends, previews, detectors) -> dict[str, np.ndarray]:
    return {
        "type": np.array(kinds, dtype=object), "severity": np.array(severities, dtype=object),
        "start": np.array(starts, dtype=np.int64), "end": np.array(ends, dtype=np.int64),
        "preview": np.array(previews, dtype=object), "detector": np.array(detectors, dtype=object),
    }


_EMPTY = pd.DataFrame(_columns([], [], [], [], [], []))


def _rows(found: list[Candidate]) -> list[Row]:
    return [(c.type, "high" if c.raised else severity_of(c.type), c.start, c.end,
             "deny-list" if c.raised else c.detector) for c in found]


def _frame(text: str, rows: list[Row], *, name_detection: bool, reason: str) -> pd.DataFrame:
    if not rows:
        df = _EMPTY.copy()
    else:
        kinds, severities, starts, ends, detectors = zip(*rows)
        df = pd.DataFrame(_columns(kinds, severities, starts, ends,
                                   [mask(text[s:e], k) for k, _, s, e, _ in rows], detectors))
    df.attrs["name_detection"] = name_detection
    df.attrs["name_detection_note"] = reason
    return df


def _check_text(text: Any, where: str) -> str:
    if not isinstance(text, str):
        raise IdentifierCheckError(f"{where} must be a str; got {type(text).__name__}")
    return text


def _check_skip(skip_spans: Any, n: int, where: str) -> list[tuple[int, int]]:
    if skip_spans is None:
        return []
    if isinstance(skip_spans, pd.DataFrame):
        if not {"start", "end"} <= set(skip_spans.columns):
            raise IdentifierCheckError(f"{where} as a DataFrame needs 'start' and 'end' columns")
        skip_spans = list(zip(skip_spans["start"], skip_spans["end"]))
    out = []
    for i, pair in enumerate(skip_spans):
        try:
            s, e = pair
        except (TypeError, ValueError):
            raise IdentifierCheckError(f"{where}[{i}] must be a (start, end) pair of offsets") from None
        if not (isinstance(s, numbers.Integral) and isinstance(e, numbers.Integral)) or isinstance(s, bool):
            raise IdentifierCheckError(f"{where}[{i}] must hold two integer offsets; got {type(s).__name__}, "
                                       f"{type(e).__name__}")
        if not 0 <= s <= e <= n:
            raise IdentifierCheckError(f"{where}[{i}] = ({s}, {e}) is not a range inside the text (length {n}); "
                                       f"offsets are str indices, end exclusive")
        out.append((int(s), int(e)))
    return out


def check_batch(batch_size: Any) -> int:
    if isinstance(batch_size, bool) or not isinstance(batch_size, numbers.Integral) or batch_size < 1:
        raise IdentifierCheckError(f"batch_size must be a positive integer; got {batch_size!r}")
    return int(batch_size)


def check_identifiers(
    texts: Sequence[str],
    *,
    nlp: Any = None,
    deny: Iterable[str] = (),
    allow: Iterable[str] = (),
    skip_spans: Sequence[Sequence[tuple[int, int]]] | None = None,
    batch_size: int = 64,
    n_process: int | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    cache: CheckCache | None = None,
) -> IdentifierCheck:
    """:func:`find_identifiers` for many texts at once, running the NER pass with ``nlp.pipe`` in batches; the
    findings with whether names were looked for (the form the services and the CLI use).

    Parameters
    ----------
    texts : sequence of str
        The texts (whole transcripts, turns or paragraphs).
    nlp, deny, allow
        As for :func:`find_identifiers`.
    skip_spans : sequence of sequences of (int, int), optional
        One sequence of ``(start, end)`` ranges per text (``None``: none for any text).
    batch_size : int, default 64
        Texts (or chunks of about 20,000 characters of a long text) per ``nlp.pipe`` batch.
    n_process : int, optional
        Worker processes for the NER pass (``nlp.pipe(n_process=...)``), used when it has enough text to read for
        them to pay for their start (about 500,000 characters). Default: 2 on a machine with 4 cores or more, else
        1 (on 2 shared cores a second process was faster only while the other core was idle).
    progress : callable, optional
        Called as ``progress(stage, done, total)`` while the check runs: stage ``"names"`` (the trained pipeline,
        the slow part) then ``"patterns"``, counting characters checked.
    cache : CheckCache, optional
        Where checks already run are kept: a text checked before with the same settings and the same detector
        is not checked again, and a text checked now is kept (see :mod:`npt_coder.anon._cache`).

    Returns
    -------
    IdentifierCheck
        One findings table per text, in the order of ``texts`` (columns as for :func:`find_identifiers`), and
        whether a trained pipeline looked for names.

    Notes
    -----
    The NER pass reads only the sentences that could hold a name (a capitalised word that is not "I", not in a
    speaker label and not a common word opening a sentence), with a few words of context either side; see
    :mod:`npt_coder.anon._scope`. The findings are those of NER over every text on the labelled sets.

    Examples
    --------
    >>> result = check_identifiers(["Ring 07700 900123.", "No identifiers here."])
    >>> [len(df) for df in result.findings], result.name_detection
    ([1, 0], False)
    """
    if isinstance(texts, str):
        raise IdentifierCheckError("texts must be a sequence of str, not a single str (use find_identifiers)")
    texts = list(texts)
    for i, t in enumerate(texts):
        _check_text(t, f"texts[{i}]")
    if skip_spans is None:
        skips: list[list[tuple[int, int]]] = [[] for _ in texts]
    else:
        skip_spans = list(skip_spans)
        if len(skip_spans) != len(texts):
            raise IdentifierCheckError(
                f"skip_spans must have one entry per text: {count(len(texts), 'text')}, "
                f"{count(len(skip_spans), 'entry')}"
            )
        skips = [_check_skip(s, len(t), f"skip_spans[{i}]") for i, (t, s) in enumerate(zip(texts, skip_spans))]
    batch_size = check_batch(batch_size)
    if n_process is None:
        n_process = 2 if (os.cpu_count() or 1) >= 4 else 1
    if isinstance(n_process, bool) or not isinstance(n_process, numbers.Integral) or n_process < 1:
        raise IdentifierCheckError(f"n_process must be a positive integer; got {n_process!r}")
    deny_terms, allow_terms = check_terms(deny, name="deny"), check_terms(allow, name="allow")
    model, reason = resolve_nlp(nlp)
    keys: list[str] = []
    kept: list[tuple[list[Row], bool, str] | None] = [None] * len(texts)
    if cache is not None:
        pid = pipeline_id(model)
        keys = [cache.key(t, sk, pid, deny_terms, allow_terms) for t, sk in zip(texts, skips)]
        kept = [cache.get(k) for k in keys]
    todo = [i for i, k in enumerate(kept) if k is None]
    found = detect_many([texts[i] for i in todo], [skips[i] for i in todo], model, matcher_for(deny_terms),
                        matcher_for(allow_terms), batch_size, n_process=int(n_process), progress=progress)
    rows: list[list[Row]] = [k[0] if k is not None else [] for k in kept]
    for i, f in zip(todo, found):
        rows[i] = _rows(f)
        if cache is not None:
            cache.put(keys[i], rows[i], model is not None, reason)
    frames = [_frame(t, r, name_detection=model is not None, reason=reason) for t, r in zip(texts, rows)]
    return IdentifierCheck(tuple(frames), model is not None, reason)


def find_identifiers_many(texts: Sequence[str], **options: Any) -> list[pd.DataFrame]:
    """The findings tables of :func:`check_identifiers` alone, one per text (``options`` as there).

    >>> [len(df) for df in find_identifiers_many(["Ring 07700 900123.", "No identifiers here."])]
    [1, 0]
    """
    return list(check_identifiers(texts, **options).findings)


def find_identifiers(
    text: str,
    *,
    nlp: Any = None,
    deny: Iterable[str] = (),
    allow: Iterable[str] = (),
    skip_spans: Sequence[tuple[int, int]] = (),
) -> pd.DataFrame:
    """Find residual identifiers in a text: names, contact details, NHS numbers, postcodes, addresses, dates,
    ages with names, sites, and study-specific deny-list terms.

    Parameters
    ----------
    text : str
        The text to check; every offset in the result is a Python ``str`` index into it, ``end`` exclusive.
    nlp : None, "auto" or spacy.language.Language, default None
        ``None``: patterns only (person names only where a title or a relation word introduces them, e.g.
        "Mrs Smith", "my son Jamie"). A loaded spaCy pipeline with an ``ner`` component: its PERSON, ORG, FAC,
        GPE and LOC entities are added. ``"auto"``: load :data:`AUTO_PIPELINE` if it is installed (once per
        process), else patterns only. :func:`check_identifiers` also says whether a pipeline was used (the
        result's ``attrs["name_detection"]``, kept for one release, says so too).
    deny : iterable of str, default ()
        Study-specific terms (real names of sites, staff, families) always reported, matched as whole words
        ignoring case, accents and spacing (type ``deny_list``; a finding of another type that contains a term
        keeps its type and gets severity "high" and detector "deny-list"). Deny-list terms are reported even
        inside ``skip_spans`` and even if they are also allowed.
        Read a file with :func:`load_terms`.
    allow : iterable of str, default ()
        Terms that are fine to keep (e.g. "Early Help"): a finding whose text equals an allowed term (ignoring case,
        accents and a leading "the") is dropped, and so is a low-severity finding (school, organisation, place)
        whose text contains one.
    skip_spans : sequence of (int, int), default ()
        Ranges the caller knows are not identifiers (speaker labels); findings overlapping them are dropped.
        Participant ids (``P01``, ``ID14``, ``Participant 3``) and bracketed redactions (``[child's name]``,
        ``[PERSON 1]``) are recognised without being listed.

    Returns
    -------
    pandas.DataFrame
        One row per finding, sorted by ``start``, no two overlapping, with columns

        - ``type``: ``person``, ``phone``, ``email``, ``url``, ``nhs_number``, ``postcode``, ``address``,
          ``date``, ``age_with_name``, ``school``, ``organisation``, ``place`` or ``deny_list``;
        - ``severity``: ``"low"`` for school, organisation and place (unless a deny-list term is in it), else
          ``"high"``;
        - ``start``, ``end``: offsets into ``text``;
        - ``preview``: a masked preview (:func:`mask`), never the value itself;
        - ``detector``: ``"pattern"``, ``"ner"`` or ``"deny-list"`` (a deny-list term is in the finding; its type
          is the one the pattern or NER pass gave it, or ``deny_list`` if neither found it).

        Where spans overlap, the more specific finding is kept (URL > email > NHS number > phone > postcode >
        address > date > age with name > sites and names found by pattern > deny-list term > names found by NER);
        a cut name-like finding keeps its remaining capitalised words.

    Raises
    ------
    npt_coder.errors.IdentifierCheckError
        ``text`` is not a str, ``nlp`` is not a pipeline with NER, ``deny``/``allow`` is a single string, or a
        skip span is not a range inside the text.

    Examples
    --------
    >>> df = find_identifiers("P01: Mrs Smith rang me on 07700 900123 about Jamie, aged 7.")
    >>> df[["type", "start", "end", "preview"]]
                type  start  end          preview
    0         person      5   14        M** S****
    1          phone     26   38     07*** ******
    2  age_with_name     45   58  J****, a*** *
    >>> find_identifiers("Call 943 476 5919 or 943 476 5918", deny=["Smith"])["type"].tolist()
    ['nhs_number']
    """
    _check_text(text, "text")
    return find_identifiers_many([text], nlp=nlp, deny=deny, allow=allow, skip_spans=[skip_spans],
                                 batch_size=1)[0]
