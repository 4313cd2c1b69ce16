"""Which codings a themed summary uses: the consensus coding where a transcript has one, else every coder's.

A double-coded transcript ends with a consensus coding (``npt-coder reconcile``): the team's settled view. A
transcript that only one coder (or several, not yet reconciled) coded has no consensus, so all its coders' spans
are used, and spans of the same code by different coders that overlap are merged into one, so that a passage two
coders both coded counts once. The rule itself is :func:`npt_coder.review.consensus_first`, shared with agreement,
logic models and reports. Machine suggestions no person has accepted are never used, not even with ``coder=``
(:func:`npt_coder._consensus.reviewed`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._consensus import CONSENSUS, consensus_first, reviewed
from .._words import noun
from ._errors import ThemesError

__all__ = ["ANALYSIS_COLUMNS", "BASIS_COLUMNS", "analysis_codings", "coding_basis"]

ANALYSIS_COLUMNS = ["transcript_id", "code_id", "start", "end", "coders", "basis", "memo"]
BASIS_COLUMNS = ["transcript_id", "basis", "coders", "n_codings"]


def _codings_frame(codings) -> pd.DataFrame:
    if isinstance(codings, pd.DataFrame):
        df = codings
    elif hasattr(codings, "codings"):
        df = codings.codings
    else:
        raise ThemesError(f"codings must be a Project or a codings DataFrame; got {type(codings).__name__} "
                          "(pass project.codings or the project itself)")
    missing = [c for c in ("transcript_id", "coder", "code_id", "start", "end") if c not in df.columns]
    if missing:
        raise ThemesError(f"codings table lacks {noun(len(missing), 'column')} {', '.join(missing)} (use "
                          f"project.codings)")
    return df


def _select(df: pd.DataFrame, coder: str | None, consensus: str) -> pd.DataFrame:
    """The rows to use, with a ``basis`` column: ``consensus``, ``all coders`` or ``coder``."""
    if coder is not None:
        people = df[reviewed(df)]
        sub = people[people["coder"] == coder]
        if sub.empty:
            known = ", ".join(sorted(map(str, people["coder"].unique()))) or "none"
            if (df["coder"] == coder).any():
                raise ThemesError(f"coder {coder!r} has only machine suggestions, which count once a person accepts "
                                  f"them (coders: {known})")
            raise ThemesError(f"coder must be one of the project's coders; got {coder!r} (coders: {known})")
        return sub.assign(basis="coder")
    sub = df[consensus_first(df, consensus=consensus)]
    return sub.assign(basis=np.where(sub["coder"] == consensus, CONSENSUS, "all coders"))


def _join(values, sep: str) -> str:
    """The distinct non-empty values joined by ``sep``: sorted for coder names (``", "``), else in order."""
    seen: list[str] = []
    for v in values:
        if v and v not in seen:
            seen.append(v)
    return sep.join(sorted(seen) if sep == ", " else seen)


def analysis_codings(codings, *, coder: str | None = None, consensus: str = CONSENSUS) -> pd.DataFrame:
    """The coded spans a themed summary, matrix or chart is built from.

    Per transcript: the ``consensus`` coder's spans if that transcript has any; otherwise every coder's spans,
    where overlapping spans of the same code (by any coders) are merged into one span covering them all. Spans that
    merely touch are kept apart. With ``coder=`` only that coder's spans are used (merged the same way).

    Parameters
    ----------
    codings : Project or pandas.DataFrame
        A project, or its ``codings`` table (transcript_id, coder, code_id, start, end, memo).
    coder : str, optional
        Use only this coder's codings.
    consensus : str, default "consensus"
        The coder name the consensus coding was imported as (``npt-coder reconcile --as``).

    Returns
    -------
    pandas.DataFrame
        :data:`ANALYSIS_COLUMNS`: one row per (merged) span; ``coders`` lists who coded it (``"AK, JT"``),
        ``basis`` is ``"consensus"``, ``"all coders"`` or ``"coder"``; memos of merged spans joined with `` | ``.

    Examples
    --------
    >>> df = pd.DataFrame({"transcript_id": ["T1", "T1", "T2", "T2"], "coder": ["AK", "JT", "AK", "consensus"],
    ...                    "code_id": ["M3.3"] * 4, "start": [0, 5, 0, 2], "end": [10, 20, 9, 8]})
    >>> analysis_codings(df)[["transcript_id", "start", "end", "coders", "basis"]].values.tolist()
    [['T1', 0, 20, 'AK, JT', 'all coders'], ['T2', 2, 8, 'consensus', 'consensus']]
    """
    df = _codings_frame(codings)
    if df.empty:
        return pd.DataFrame(columns=ANALYSIS_COLUMNS)
    sub = _select(df, coder, consensus)
    memo = sub["memo"] if "memo" in sub.columns else pd.Series("", index=sub.index)
    sub = sub.assign(memo=memo.fillna("").astype(str), start=sub["start"].astype(np.int64),
                     end=sub["end"].astype(np.int64))
    sub = sub.sort_values(["transcript_id", "code_id", "start", "end"], kind="stable").reset_index(drop=True)
    key = sub["transcript_id"].astype(str) + "\x1f" + sub["code_id"].astype(str)
    running_end = sub.groupby(key, sort=False)["end"].cummax().groupby(key, sort=False).shift(1)
    new_group = (key != key.shift(1)) | (sub["start"] >= running_end)
    first = np.flatnonzero(new_group.to_numpy())  # each merged span's first row (rows are sorted by start)
    out = pd.DataFrame({
        "transcript_id": sub["transcript_id"].to_numpy()[first], "code_id": sub["code_id"].to_numpy()[first],
        "start": sub["start"].to_numpy()[first], "end": np.maximum.reduceat(sub["end"].to_numpy(), first),
        "coders": sub["coder"].astype(str).to_numpy()[first], "basis": sub["basis"].to_numpy()[first],
        "memo": sub["memo"].to_numpy()[first],
    })
    # most spans stand alone and keep their own coder and memo; only merged ones join theirs (in Python)
    sizes = np.diff(np.append(first, len(sub)))
    merged = np.flatnonzero(sizes > 1)
    if len(merged):
        coders, memos = sub["coder"].astype(str).to_numpy(), sub["memo"].to_numpy()
        out_coders, out_memos = out["coders"].to_numpy(copy=True), out["memo"].to_numpy(copy=True)
        for k in merged:
            rows = slice(first[k], first[k] + sizes[k])
            out_coders[k] = _join(coders[rows], ", ")
            out_memos[k] = _join(memos[rows], " | ")
        out["coders"], out["memo"] = out_coders, out_memos
    return out[ANALYSIS_COLUMNS]


def coding_basis(codings, *, coder: str | None = None, consensus: str = CONSENSUS,
                 transcripts=None) -> pd.DataFrame:
    """Per transcript, which codings :func:`analysis_codings` uses: :data:`BASIS_COLUMNS`.

    ``basis`` is ``"consensus"``, ``"all coders"``, ``"coder"`` or ``"not coded"`` (listed when ``transcripts``,
    a sequence of all transcript ids, is given); ``coders`` names the coders whose spans are used.

    >>> df = pd.DataFrame({"transcript_id": ["T1", "T2", "T2"], "coder": ["AK", "AK", "consensus"],
    ...                    "code_id": ["C1"] * 3, "start": [0, 0, 0], "end": [5, 5, 5]})
    >>> coding_basis(df, transcripts=["T1", "T2", "T3"]).values.tolist()
    [['T1', 'all coders', 'AK', 1], ['T2', 'consensus', 'consensus', 1], ['T3', 'not coded', '', 0]]
    """
    df = _codings_frame(codings)
    rows = []
    if not df.empty:
        sub = _select(df, coder, consensus)
        for tid, g in sub.groupby("transcript_id", sort=True):
            rows.append((tid, g["basis"].iloc[0], ", ".join(sorted(map(str, g["coder"].unique()))), len(g)))
    out = pd.DataFrame(rows, columns=BASIS_COLUMNS)
    if transcripts is not None:
        missing = [t for t in transcripts if t not in set(out["transcript_id"])]
        out = pd.concat([out, pd.DataFrame([(t, "not coded", "", 0) for t in missing], columns=BASIS_COLUMNS)])
        out = out.sort_values("transcript_id", kind="stable").reset_index(drop=True)
        out["n_codings"] = out["n_codings"].astype(int)
    return out
