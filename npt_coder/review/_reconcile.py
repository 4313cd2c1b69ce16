"""Reconcile: a team's decisions on two coders' disagreements become the consensus coding.

:func:`reconcile_decisions` is the rule, on data (nothing is written); :func:`reconcile` applies it to a settled
review workbook and imports the result in one transaction; the workbench's settle
(:func:`npt_coder.services.settle`) applies it to decisions taken in the browser.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

import pandas as pd

from .._consensus import CONSENSUS
from ..agreement import presence_data
from ..coding import ImportResult, import_codings, parse_code_text
from ..errors import NptCoderError
from ._disagreements import disagreements, fingerprint
from ._workbook import DECISIONS, read_review

__all__ = ["CONSENSUS_COLUMNS", "SOURCE", "Decision", "reconcile", "reconcile_decisions"]

SOURCE = CONSENSUS
"""The import source recorded for a reconciled review, whatever coder name the consensus is imported as."""

CONSENSUS_COLUMNS = ["transcript_id", "coder", "code_id", "start", "end", "memo"]


@dataclass(frozen=True)
class Decision:
    """How a team settled one disagreement (one row of :func:`disagreements`).

    ``decision`` is one of :data:`DECISIONS`; ``other_codes`` are the code ids an ``"other code"`` decision puts on
    the segment; ``note`` becomes the memo of the segment's consensus codings; ``key`` is the
    :func:`fingerprint` of the row the decision was taken on, which callers compare with the row as it is now
    before they apply the decision.
    """

    transcript_id: str
    segment_id: str
    decision: str
    other_codes: tuple[str, ...] = ()
    note: str = ""
    key: str = ""


def reconcile_decisions(codings: pd.DataFrame, segments: pd.DataFrame, coder_a: str, coder_b: str,
                        decisions: Iterable[Decision], *, codes: Sequence[str],
                        as_coder: str = CONSENSUS) -> pd.DataFrame:
    """The consensus coding that two coders' codings and a team's decisions make (nothing is written).

    On every segment of ``segments`` (of the transcripts both coders coded): a code both coders put on the
    segment is kept as the union of their spans of it, clipped to the segment (the coders' own extents, not the
    whole segment). On a decided segment, a code only one coder put there is kept, with that coder's spans, when
    the decision takes that coder's codes (``"A"``, ``"B"`` or ``"both"``) and dropped otherwise (``"neither"``,
    ``"other code"``); ``"other code"`` adds each of its ``other_codes`` over the whole segment. A decision's note
    becomes the memo of every consensus coding of its segment. Undecided segments keep only what was agreed.

    Returns :data:`CONSENSUS_COLUMNS`, coder ``as_coder``, in segment order; overlapping spans are left for the
    import to merge (:func:`npt_coder.coding.merge_overlaps`).
    """
    codes = list(codes)
    data = presence_data(codings, coder_a, coder_b, unit="segment", codes=codes, segments=segments)
    decided = {(d.transcript_id, d.segment_id): d for d in decisions}
    mine = codings[codings["coder"].isin([coder_a, coder_b])]
    spans = {k: g for k, g in mine.groupby(["transcript_id", "coder", "code_id"])}
    empty = mine.iloc[:0]

    def clipped(tid: str, coder: str, code: str, s: int, e: int) -> list[tuple[int, int]]:
        g = spans.get((tid, coder, code), empty)
        g = g[(g["end"] > s) & (g["start"] < e)]
        return [(max(int(x), s), min(int(y), e)) for x, y in zip(g["start"], g["end"])]

    rows: list[tuple] = []
    for i, unit in enumerate(data.units.itertuples(index=False)):
        s, e, tid = int(unit.start), int(unit.end), unit.transcript_id
        d = decided.get((tid, unit.segment_id))
        memo = d.note.strip() if d is not None else ""
        for j, code in enumerate(codes):
            a, b = bool(data.a[i, j]), bool(data.b[i, j])
            chosen = [coder_a, coder_b] if a and b else []
            if d is not None and (a or b) and not chosen:
                if d.decision == "both" or (d.decision == "A" and a) or (d.decision == "B" and b):
                    chosen = [coder_a] if a else [coder_b]
            for coder in chosen:
                rows += [(tid, as_coder, code, x, y, memo) for x, y in clipped(tid, coder, code, s, e)]
        if d is not None and d.decision == "other code":
            rows += [(tid, as_coder, code, s, e, memo) for code in d.other_codes]
    return pd.DataFrame(rows, columns=CONSENSUS_COLUMNS)


def reconcile(project, path: str | Path, *, as_coder: str = CONSENSUS, who: str | None = None) -> ImportResult:
    """Import a settled review workbook as ``as_coder``: agreed codes plus decisions (the rules of
    :func:`reconcile_decisions`), in one transaction."""
    path = Path(path)
    meta, review = read_review(path)
    if meta.get("project_id") != project.project_id:
        raise NptCoderError(f"{path.name}: this review was made for a different project")
    a, b = meta["coder_a"], meta["coder_b"]
    include_interviewer = str(meta.get("include_interviewer")) == "True"
    current = disagreements(project, a, b, unit=meta["segment_unit"], include_interviewer=include_interviewer)
    if ", ".join(current.transcripts) != meta.get("transcripts"):
        raise NptCoderError(f"{path.name}: the transcripts coded by both {a} and {b} changed since the review was made;"
                            " make a new review")
    cur_keys = [fingerprint(r) for r in current.table.to_dict("records")]
    if len(cur_keys) != len(review):
        raise NptCoderError(f"{path.name}: {len(review)} review rows, but {len(cur_keys)} disagreements now; the "
                            "codings changed since the review was made (or rows were deleted); make a new review")
    codebook = project.load_codebook()
    decisions: list[Decision] = []
    for i, (key, row) in enumerate(zip(cur_keys, review.itertuples(index=False)), start=2):
        if row.key != key:
            raise NptCoderError(f"{path.name}: row {i} ({row.transcript_id} {row.segment_id}) no longer matches the "
                                "project (its text or either coder's codes changed, or rows were re-sorted)")
        if row.decision not in DECISIONS:
            what = f"has decision {row.decision!r}" if row.decision else "has no decision"
            raise NptCoderError(f"{path.name}: row {i} ({row.transcript_id} {row.segment_id}) {what}; choose one of "
                                f"{', '.join(DECISIONS)}")
        other: list[str] = []
        if row.decision == "other code":
            other, rest = parse_code_text(row.other, codebook)
            if not other or rest:
                raise NptCoderError(f"{path.name}: row {i}: 'other code' needs code ids in Other codes; got "
                                    f"{row.other!r}")
        decisions.append(Decision(row.transcript_id, row.segment_id, row.decision, tuple(other), row.note, row.key))
    segments = project.segments(current.unit, include_interviewer=include_interviewer)
    df = reconcile_decisions(project.codings, segments, a, b, decisions, codes=codebook.ids, as_coder=as_coder)
    if df.empty:
        raise NptCoderError(f"{path.name}: the consensus would hold no codings")
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    return import_codings(project, df, source=SOURCE, source_name=path.name, sha256=sha, who=who)
