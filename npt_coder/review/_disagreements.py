"""Disagreements between two coders: every segment where their code sets differ, with what the review records."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..agreement import presence_data
from ..agreement._units import SEGMENT_UNITS, split_unit
from ..errors import NptCoderError

__all__ = ["REVIEW_COLUMNS", "Disagreements", "disagreements"]

REVIEW_COLUMNS = ["transcript_id", "segment_id", "start", "end", "speaker", "text", "codes_a", "codes_b", "agreed"]


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
    """

    table: pd.DataFrame
    coder_a: str
    coder_b: str
    unit: str
    transcripts: tuple[str, ...]
    include_interviewer: bool = False


def fingerprint(row) -> str:
    """A short hash of what a review row was decided on: its place, text and both coders' codes."""
    raw = json.dumps([row["transcript_id"], row["segment_id"], row["text"], row["codes_a"], row["codes_b"]])
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:16]


def disagreements(project, coder_a: str, coder_b: str, *, unit: str = "paragraph", include_interviewer: bool = False,
                  segment_unit: str | None = None) -> Disagreements:
    """Segments (on transcripts both coders coded) where the coders' code sets differ.

    ``unit`` is the segment compared (``"turn"``, ``"paragraph"`` or ``"sentence"``); ``segment_unit=``, its name
    before 0.2, still works with a :class:`DeprecationWarning`. The result's ``table`` has :data:`REVIEW_COLUMNS`.
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
    return Disagreements(table=out[REVIEW_COLUMNS].reset_index(drop=True), coder_a=coder_a, coder_b=coder_b,
                         unit=unit, transcripts=tuple(data.transcripts), include_interviewer=include_interviewer)
