"""Implementations the package replaced with faster ones, kept as oracles: the tests check the new code gives exactly
what these gave, and ``benchmarks/study_verbs.py`` times the new code against them."""

from __future__ import annotations

import unicodedata

import numpy as np
import pandas as pd

from npt_coder.assist._suggest import SUGGESTION_TABLE_COLUMNS
from npt_coder.coding._match import TextMap

__all__ = ["OracleTextMap", "oracle_table"]


class OracleTextMap(TextMap):
    """The character-by-character implementation :class:`TextMap` replaced: every offset map made at once."""

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


def oracle_table(units: pd.DataFrame, labelled, scored, code_ids: list[str], coder: str, threshold: float,
                 model: str, version: str, project, progress=None) -> pd.DataFrame:
    """The suggestions' table as it was built before: each unit and nearest example looked up row by row."""
    hits = np.argwhere(np.nan_to_num(scored.scores, nan=-1.0) >= threshold)
    codebook = project.load_codebook()
    tell = progress or (lambda stage, done, total: None)
    rows = []
    for n, (i, j) in enumerate(hits):
        if n % 500 == 0:
            tell("explaining", n, len(hits))
        u = units.iloc[i]
        code = code_ids[j]
        if scored.learnt[i, j]:
            near = scored.nearest.get((int(i), int(j)), [])
            like = ", ".join(f"{labelled.rows.iloc[r]['coder']}'s {labelled.rows.iloc[r]['transcript_id']} "
                             f"{labelled.rows.iloc[r]['segment_id']} ({s:.2f})" for r, s in near)
            reason = f"{code} as coded on similar units: {like}" if like else f"{code} learnt from coded examples"
        else:
            reason = f"matched the definition of {code} {codebook[code].name}"
        rows.append((u["transcript_id"], u["segment_id"], coder, code, int(u["start"]), int(u["end"]),
                     float(scored.scores[i, j]), model, version, reason, bool(scored.learnt[i, j])))
    tell("explaining", len(hits), len(hits))
    return pd.DataFrame(rows, columns=SUGGESTION_TABLE_COLUMNS)
