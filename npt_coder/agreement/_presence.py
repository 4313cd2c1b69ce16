"""Presence of every code on every unit for two coders: the comparison behind the study-level agreement table.

``unit`` (one of :data:`COMPARISONS`) says what a unit is; see :mod:`npt_coder.agreement._study` for each. Only
transcripts that *both* coders coded (at least one coding each) count.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from ..errors import NptCoderError

__all__ = ["COMPARISONS", "AgreementData", "coded_transcripts", "presence_data", "segment_presence"]

COMPARISONS = ("segment", "character", "document", "overlap")
"""What :func:`presence_data` compares: the segments it is given, characters, documents or matched spans."""


@dataclass
class AgreementData:
    """Presence of every code on every unit for two coders, with what each unit is."""

    coder_a: str
    coder_b: str
    unit: str
    codes: list[str]
    units: pd.DataFrame  # one row per unit: transcript_id (+ segment_id/start/end for segments)
    a: np.ndarray  # (n_units, n_codes) bool
    b: np.ndarray
    transcripts: list[str]
    counts: np.ndarray | None = None  # for units whose counts are not per-unit rows (character, overlap)
    counts_by_transcript: dict[str, np.ndarray] | None = None  # transcript -> (n_codes, 4)


def coded_transcripts(codings: pd.DataFrame, coder: str) -> set[str]:
    return set(pd.unique(codings["transcript_id"].to_numpy()[codings["coder"].to_numpy() == coder]))


def segment_presence(codings: pd.DataFrame, segments: pd.DataFrame, codes: list[str], coder: str,
                      min_overlap: int) -> np.ndarray:
    """(n_segments, n_codes) presence; ``segments`` sorted by transcript then start, non-overlapping.

    Offsets are laid on one global axis (transcript rank x stride + offset), so a single ``searchsorted`` finds
    the segments every span touches, without a loop over transcripts.
    """
    out = np.zeros((len(segments), len(codes)), dtype=bool)
    mine = codings[codings["coder"].to_numpy() == coder]
    # positions in the category lists, -1 for a value outside them (get_indexer, not Categorical: pandas 3
    # deprecates constructing a Categorical from values missing from its categories)
    code_col = pd.Index(codes).get_indexer(mine["code_id"])
    t_cat = pd.Categorical(segments["transcript_id"], categories=pd.unique(segments["transcript_id"]))
    span_t = t_cat.categories.get_indexer(mine["transcript_id"])
    keep = (code_col >= 0) & (span_t >= 0)
    if not keep.any():
        return out
    stride = int(max(segments["end"].max(), mine["end"].max())) + 1
    seg_start = t_cat.codes.astype(np.int64) * stride + segments["start"].to_numpy(np.int64)
    seg_end = t_cat.codes.astype(np.int64) * stride + segments["end"].to_numpy(np.int64)
    s = span_t[keep].astype(np.int64) * stride + mine["start"].to_numpy(np.int64)[keep]
    e = span_t[keep].astype(np.int64) * stride + mine["end"].to_numpy(np.int64)[keep]
    cols = code_col[keep]
    lo = np.searchsorted(seg_end, s, side="right")  # first segment ending after the span starts
    hi = np.searchsorted(seg_start, e, side="left")  # first segment starting at or after the span ends
    n = np.maximum(hi - lo, 0)
    total = int(n.sum())
    if total == 0:
        return out
    span_i = np.repeat(np.arange(len(s)), n)
    seg_i = np.repeat(lo, n) + (np.arange(total) - np.repeat(np.cumsum(n) - n, n))
    overlap = np.minimum(e[span_i], seg_end[seg_i]) - np.maximum(s[span_i], seg_start[seg_i])
    ok = overlap >= min_overlap
    out[seg_i[ok], cols[span_i[ok]]] = True
    return out


def _coverage(spans: pd.DataFrame, length: int) -> np.ndarray:
    diff = np.zeros(length + 1, dtype=np.int32)
    np.add.at(diff, spans["start"].to_numpy().clip(0, length), 1)
    np.add.at(diff, spans["end"].to_numpy().clip(0, length), -1)
    return np.cumsum(diff[:-1]) > 0


def _overlap_counts(a: pd.DataFrame, b: pd.DataFrame, threshold: float) -> np.ndarray:
    """(both, only_a, only_b, 0): agreed spans of both coders, unmatched spans of each."""
    if a.empty or b.empty:
        return np.array([0, len(a), len(b), 0])
    sa, ea = a["start"].to_numpy()[:, None], a["end"].to_numpy()[:, None]
    sb, eb = b["start"].to_numpy()[None, :], b["end"].to_numpy()[None, :]
    inter = np.clip(np.minimum(ea, eb) - np.maximum(sa, sb), 0, None)
    union = np.maximum(ea, eb) - np.minimum(sa, sb)
    match = inter >= threshold * union
    ma, mb = match.any(axis=1), match.any(axis=0)
    return np.array([ma.sum() + mb.sum(), (~ma).sum(), (~mb).sum(), 0])


def presence_data(codings: pd.DataFrame, coder_a: str, coder_b: str, *, unit: str = "segment",
                  codes: Sequence[str], segments: pd.DataFrame | None = None,
                  lengths: dict[str, int] | None = None, min_overlap: int = 1,
                  overlap_threshold: float = 0.9, transcripts: Iterable[str] | None = None) -> AgreementData:
    """Presence/absence (or counts) of each code for two coders on the transcripts both coded.

    ``unit`` is one of :data:`COMPARISONS`; ``"segment"`` compares on the rows of ``segments`` (any kind).
    """
    both = sorted(coded_transcripts(codings, coder_a) & coded_transcripts(codings, coder_b))
    if transcripts is not None:
        both = [t for t in both if t in set(transcripts)]
    codes = list(codes)
    sub = codings[codings["transcript_id"].isin(both) & codings["coder"].isin([coder_a, coder_b])]
    if unit == "segment":
        if segments is None:
            raise NptCoderError("the segment unit needs the project's segments (pass a project, or segments=)")
        seg = segments[segments["transcript_id"].isin(both)].sort_values(["transcript_id", "start"], kind="stable")
        seg = seg.reset_index(drop=True)
        a = segment_presence(sub, seg, codes, coder_a, min_overlap)
        b = segment_presence(sub, seg, codes, coder_b, min_overlap)
        return AgreementData(coder_a, coder_b, unit, codes, seg[["transcript_id", "segment_id", "start", "end"]],
                             a, b, both)
    if unit == "document":
        units = pd.DataFrame({"transcript_id": both})
        pos = {t: i for i, t in enumerate(both)}
        code_idx = {c: i for i, c in enumerate(codes)}
        mats = []
        for coder in (coder_a, coder_b):
            m = np.zeros((len(both), len(codes)), dtype=bool)
            mine = sub[(sub["coder"] == coder) & sub["code_id"].isin(code_idx)]
            m[mine["transcript_id"].map(pos).to_numpy(), mine["code_id"].map(code_idx).to_numpy()] = True
            mats.append(m)
        return AgreementData(coder_a, coder_b, unit, codes, units, mats[0], mats[1], both)
    if unit in ("character", "overlap"):
        by_t: dict[str, np.ndarray] = {}
        groups = {k: g for k, g in sub.groupby(["transcript_id", "coder", "code_id"])}
        empty = sub.iloc[:0]
        for tid in both:
            counts = np.zeros((len(codes), 4), dtype=np.int64)
            if unit == "character":
                if lengths is None or tid not in lengths:
                    length = int(sub.loc[sub["transcript_id"] == tid, "end"].max())
                else:
                    length = int(lengths[tid])
            for j, code in enumerate(codes):
                ga = groups.get((tid, coder_a, code), empty)
                gb = groups.get((tid, coder_b, code), empty)
                if unit == "character":
                    ca, cb = _coverage(ga, length), _coverage(gb, length)
                    nb = int((ca & cb).sum())
                    na, nbb = int(ca.sum()) - nb, int(cb.sum()) - nb
                    counts[j] = (nb, na, nbb, length - nb - na - nbb)
                else:
                    counts[j] = _overlap_counts(ga, gb, overlap_threshold)
            by_t[tid] = counts
        total = sum(by_t.values()) if by_t else np.zeros((len(codes), 4), dtype=np.int64)
        return AgreementData(coder_a, coder_b, unit, codes, pd.DataFrame({"transcript_id": both}),
                             np.zeros((0, len(codes)), bool), np.zeros((0, len(codes)), bool), both,
                             counts=np.asarray(total), counts_by_transcript=by_t)
    raise NptCoderError(f"unit must be one of {', '.join(COMPARISONS)}; got {unit!r}")


