"""Disagreements between two coders: every segment where their code sets differ, with what the review records."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import pandas as pd

from ..agreement import presence_data
from ..agreement._units import SEGMENT_UNITS, split_unit
from ..errors import NptCoderError

__all__ = ["CODE_COLUMNS", "REVIEW_COLUMNS", "Disagreements", "disagreements", "selection_runs"]

REVIEW_COLUMNS = ["transcript_id", "segment_id", "start", "end", "speaker", "text", "codes_a", "codes_b", "agreed"]
CODE_COLUMNS = ["transcript_id", "segment_id", "code_id", "name", "coded_a", "coded_b", "spans_a", "spans_b"]


@dataclass(frozen=True, eq=False)
class Disagreements:
    """The segments two coders' codes differ on, and what they were found on.

    Attributes
    ----------
    table : pandas.DataFrame
        :data:`REVIEW_COLUMNS`, one row per segment; ``codes_a``/``codes_b``/``agreed`` are ``"; "``-joined ids.
    coder_a, coder_b : str
        The two coders, in the order given.
    unit : str
        The segments compared: ``"turn"``, ``"paragraph"`` or ``"sentence"``.
    transcripts : tuple of str
        The transcripts both coders coded (the only ones compared).
    include_interviewer : bool
        Whether interviewer and facilitator segments were compared too.
    codes : pandas.DataFrame
        :data:`CODE_COLUMNS`, one row per disputed code of a segment (coded by one coder and not the other), in
        segment order then codebook order: the code's name, which coder coded it, and each coder's spans of it on
        the segment (``(start, end)`` transcript offsets, clipped to the segment): the words each one selected.
    """

    table: pd.DataFrame
    coder_a: str
    coder_b: str
    unit: str
    transcripts: tuple[str, ...]
    include_interviewer: bool = False
    codes: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=CODE_COLUMNS))


def fingerprint(row, code_id: str | None = None) -> str:
    """A short hash of what a review row was decided on: its place, text and both coders' codes (and, for a row
    per disputed code, that code)."""
    parts = [row["transcript_id"], row["segment_id"], row["text"], row["codes_a"], row["codes_b"]]
    raw = json.dumps(parts if code_id is None else [*parts, code_id])
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:16]


def _span_index(codings: pd.DataFrame) -> dict[tuple[str, str, str], tuple[np.ndarray, np.ndarray]]:
    """Each (coder, transcript, code)'s spans as ``(starts, ends)`` arrays in start order, grouped in one pass."""
    g = codings.sort_values(["coder", "transcript_id", "code_id", "start", "end"], kind="stable")
    starts, ends = g["start"].to_numpy(dtype=np.int64), g["end"].to_numpy(dtype=np.int64)
    keys = list(zip(g["coder"], g["transcript_id"], g["code_id"]))
    index, first = {}, 0
    for k in range(1, len(keys) + 1):
        if k == len(keys) or keys[k] != keys[first]:
            index[keys[first]] = (starts[first:k], ends[first:k])
            first = k
    return index


_NONE = (np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64))


def _spans(index, coder: str, tid: str, code: str, start: int, end: int) -> tuple:
    """``coder``'s spans of ``code`` on ``tid`` that overlap ``[start, end)``, clipped to it, in start order."""
    s, e = index.get((coder, tid, code), _NONE)
    hit = (e > start) & (s < end)
    return tuple((max(int(a), start), min(int(b), end)) for a, b in zip(s[hit], e[hit]))


def disagreements(project, coder_a: str, coder_b: str, *, unit: str = "paragraph", include_interviewer: bool = False,
                  segment_unit: str | None = None,
                  progress: Callable[[str, int, int], None] | None = None) -> Disagreements:
    """Segments (on transcripts both coders coded) where the coders' code sets differ.

    ``unit`` is the segment compared (``"turn"``, ``"paragraph"`` or ``"sentence"``); ``segment_unit=``, its name
    before 0.2, still works with a :class:`DeprecationWarning`. The result's ``table`` has :data:`REVIEW_COLUMNS`.
    ``progress(stage, done, total)``, when given, hears ``"disagreements"`` as each segment in dispute is gathered.
    """
    _, unit = split_unit(unit, segment_unit, allowed=SEGMENT_UNITS)
    codings = project.codings
    codes = project.codebook["code_id"].tolist()
    for coder in (coder_a, coder_b):
        if coder not in set(codings["coder"]):
            raise NptCoderError(f"no codings by {coder!r} in this project")
    segments = project.segments(unit, include_interviewer=include_interviewer)
    data = presence_data(codings, coder_a, coder_b, unit="segment", codes=codes, segments=segments)
    if not data.transcripts:
        raise NptCoderError(f"no transcript was coded by both {coder_a} and {coder_b}")
    differ = (data.a != data.b).any(axis=1)
    seg = data.units.merge(segments[["transcript_id", "segment_id", "speaker", "text"]],
                           on=["transcript_id", "segment_id"], how="left")
    codes_arr = np.array(codes, dtype=object)

    def joined(mask_row) -> str:
        return "; ".join(codes_arr[mask_row])

    out = seg[differ].copy()
    idx = np.flatnonzero(differ)
    out["codes_a"] = [joined(data.a[i]) for i in idx]
    out["codes_b"] = [joined(data.b[i]) for i in idx]
    out["agreed"] = [joined(data.a[i] & data.b[i]) for i in idx]
    names = dict(zip(project.codebook["code_id"], project.codebook["name"]))
    mine = _span_index(codings[codings["coder"].isin([coder_a, coder_b])
                               & codings["transcript_id"].isin(data.transcripts)])
    unit_tid = data.units["transcript_id"].to_numpy()
    unit_sid = data.units["segment_id"].to_numpy()
    unit_start = data.units["start"].to_numpy()
    unit_end = data.units["end"].to_numpy()
    rows = []
    tell = progress or (lambda stage, done, total: None)
    for done, i in enumerate(idx):
        tell("disagreements", done, len(idx))
        tid, s, e = unit_tid[i], int(unit_start[i]), int(unit_end[i])
        for j in np.flatnonzero(data.a[i] != data.b[i]):
            code = codes[j]
            rows.append((tid, unit_sid[i], code, names.get(code, ""), bool(data.a[i, j]), bool(data.b[i, j]),
                         _spans(mine, coder_a, tid, code, s, e), _spans(mine, coder_b, tid, code, s, e)))
    tell("disagreements", len(idx), len(idx))
    return Disagreements(table=out[REVIEW_COLUMNS].reset_index(drop=True), coder_a=coder_a, coder_b=coder_b,
                         unit=unit, transcripts=tuple(data.transcripts), include_interviewer=include_interviewer,
                         codes=pd.DataFrame(rows, columns=CODE_COLUMNS))


def selection_runs(text: str, start: int, spans_a, spans_b) -> list[tuple[str, bool, bool]]:
    """A segment's ``text`` (which starts at offset ``start``) cut into runs by who selected them: ``(piece,
    in_a, in_b)`` for coder A's and coder B's ``(start, end)`` spans, clipped to the segment. The review workbook
    and the review document both mark selections from these runs.

    >>> selection_runs("one two three", 10, [(14, 17)], [(14, 23)])
    [('one ', False, False), ('two', True, True), (' three', False, True)]
    """
    n = len(text)
    a, b = [False] * n, [False] * n
    for spans, mask in ((spans_a, a), (spans_b, b)):
        for s, e in spans:
            for k in range(max(0, s - start), min(n, e - start)):
                mask[k] = True
    runs, k = [], 0
    while k < n:
        j = k
        while j < n and (a[j], b[j]) == (a[k], b[k]):
            j += 1
        runs.append((text[k:j], a[k], b[k]))
        k = j
    return runs
