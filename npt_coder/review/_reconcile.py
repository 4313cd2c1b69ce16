"""Reconcile: a settled review workbook becomes the consensus coding, in one transaction."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from .._consensus import CONSENSUS
from ..agreement import presence_data
from ..coding import ImportResult, import_codings, parse_code_text
from ..errors import NptCoderError
from ._disagreements import disagreements, fingerprint
from ._workbook import DECISIONS, FORMAT, OTHER_CODE, decisions_for, read_review

__all__ = ["SOURCE", "reconcile"]

SOURCE = CONSENSUS
"""The import source recorded for a reconciled review, whatever coder name the consensus is imported as."""


def _clipper(codings: pd.DataFrame, a: str, b: str):
    """``clipped(tid, coder, code, start, end)``: that coder's spans of the code, clipped to the segment."""
    spans = {k: g for k, g in codings[codings["coder"].isin([a, b])].groupby(["transcript_id", "coder", "code_id"])}
    empty = codings.iloc[:0]

    def clipped(tid, coder, code, s, e):
        g = spans.get((tid, coder, code), empty)
        g = g[(g["end"] > s) & (g["start"] < e)]
        return [(max(x, s), min(y, e)) for x, y in zip(g["start"], g["end"])]

    return clipped


def _check_by_code(path: Path, review: pd.DataFrame, current, codebook) -> None:
    """Every row of a review of the per-code layout still matches the project and has a valid decision."""
    a, b = current.coder_a, current.coder_b
    segs = current.table.set_index(["transcript_id", "segment_id"])
    keys = [fingerprint(segs.loc[(r.transcript_id, r.segment_id)].to_dict()
                        | {"transcript_id": r.transcript_id, "segment_id": r.segment_id}, r.code_id)
            for r in current.codes.itertuples(index=False)]
    if len(keys) != len(review):
        raise NptCoderError(f"{path.name}: {len(review)} review rows, but {len(keys)} codes in dispute now; the "
                            "codings changed since the review was made (or rows were deleted); make a new review")
    options = decisions_for(a, b)
    for i, (key, row) in enumerate(zip(keys, review.itertuples(index=False)), start=2):
        if row.key != key:
            raise NptCoderError(f"{path.name}: row {i} ({row.transcript_id} {row.segment_id} {row.code_id}) no "
                                "longer matches the project (its text or either coder's codes changed, or rows "
                                "were re-sorted)")
        if row.decision not in options:
            what = f"has decision {row.decision!r}" if row.decision else "has no decision"
            raise NptCoderError(f"{path.name}: row {i} ({row.transcript_id} {row.segment_id} {row.code_id}) {what}; "
                                f"choose {a}, {b} or {OTHER_CODE}")
        if row.decision == OTHER_CODE:
            codes, rest = parse_code_text(row.other, codebook)
            if not codes or rest:
                raise NptCoderError(f"{path.name}: row {i}: '{OTHER_CODE}' needs code ids in Other codes; got "
                                    f"{row.other!r}")


def _consensus_by_code(project, review: pd.DataFrame, current, codebook, as_coder: str) -> pd.DataFrame:
    """Agreed codes, plus for each disputed code the spans of the coder whose call stands (or the other codes
    over the whole segment); a row's note goes on the consensus codings of its segment and code."""
    a, b = current.coder_a, current.coder_b
    codings = project.codings
    segments = project.segments(current.unit, include_interviewer=current.include_interviewer)
    data = presence_data(codings, a, b, unit="segment", codes=codebook.ids, segments=segments)
    clipped = _clipper(codings, a, b)
    decided = {(r.transcript_id, r.segment_id, r.code_id): r for r in review.itertuples(index=False)}

    rows: list[tuple] = []
    notes: list[tuple] = []
    for i, unit in enumerate(data.units.itertuples(index=False)):
        s, e, tid = int(unit.start), int(unit.end), unit.transcript_id
        for j, code in enumerate(codebook.ids):
            if data.a[i, j] and data.b[i, j]:
                for coder in (a, b):
                    rows += [(tid, as_coder, code, x, y, "") for x, y in clipped(tid, coder, code, s, e)]
                continue
            r = decided.get((tid, unit.segment_id, code))
            if r is None:
                continue
            if r.decision == OTHER_CODE:
                rows += [(tid, as_coder, other, s, e, r.note) for other in parse_code_text(r.other, codebook)[0]]
                continue
            coder = a if r.decision == a else b
            if (data.a[i, j] if coder == a else data.b[i, j]):
                rows += [(tid, as_coder, code, x, y, r.note) for x, y in clipped(tid, coder, code, s, e)]
            elif r.note:  # the code is left out: its note goes on the segment's other consensus codings
                notes.append((tid, s, e, r.note))
    df = pd.DataFrame(rows, columns=["transcript_id", "coder", "code_id", "start", "end", "memo"])
    for tid, s, e, note in notes:
        m = (df["transcript_id"] == tid) & (df["start"] >= s) & (df["end"] <= e)
        df.loc[m, "memo"] = [f"{old} | {note}" if old else note for old in df.loc[m, "memo"]]
    return df


def reconcile(project, path: str | Path, *, as_coder: str = CONSENSUS, who: str | None = None) -> ImportResult:
    """Import a settled review workbook as ``as_coder``: agreed codes plus decisions, in one transaction.

    Reads both layouts of :func:`review_workbook`: a decision per disputed code (whose call stands: coder A's,
    coder B's, or other codes) and, from workbooks made before it, a decision per segment.
    """
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
    codebook = project.load_codebook()
    if str(meta.get("format")) == FORMAT:
        _check_by_code(path, review, current, codebook)
        df = _consensus_by_code(project, review, current, codebook, as_coder)
        if df.empty:
            raise NptCoderError(f"{path.name}: the consensus would hold no codings")
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
        return import_codings(project, df, source=SOURCE, source_name=path.name, sha256=sha, who=who)
    cur_keys = [fingerprint(r) for r in current.table.to_dict("records")]
    if len(cur_keys) != len(review):
        raise NptCoderError(f"{path.name}: {len(review)} review rows, but {len(cur_keys)} disagreements now; the "
                            "codings changed since the review was made (or rows were deleted); make a new review")
    for i, (key, row) in enumerate(zip(cur_keys, review.itertuples(index=False)), start=2):
        if row.key != key:
            raise NptCoderError(f"{path.name}: row {i} ({row.transcript_id} {row.segment_id}) no longer matches the "
                                "project (its text or either coder's codes changed, or rows were re-sorted)")
        if row.decision not in DECISIONS:
            what = f"has decision {row.decision!r}" if row.decision else "has no decision"
            raise NptCoderError(f"{path.name}: row {i} ({row.transcript_id} {row.segment_id}) {what}; choose one of "
                                f"{', '.join(DECISIONS)}")
        if row.decision == "other code":
            codes, rest = parse_code_text(row.other, codebook)
            if not codes or rest:
                raise NptCoderError(f"{path.name}: row {i}: 'other code' needs code ids in Other codes; got "
                                    f"{row.other!r}")
    codings = project.codings
    segments = project.segments(current.unit, include_interviewer=include_interviewer)
    codes = codebook.ids
    data = presence_data(codings, a, b, unit="segment", codes=codes, segments=segments)
    decisions = {(r.transcript_id, r.segment_id): r for r in review.itertuples(index=False)}
    clipped = _clipper(codings, a, b)
    rows: list[tuple] = []

    for i, unit in enumerate(data.units.itertuples(index=False)):
        s, e = int(unit.start), int(unit.end)
        key = (unit.transcript_id, unit.segment_id)
        for j, code in enumerate(codes):
            chosen: list[str] = []
            if data.a[i, j] and data.b[i, j]:
                chosen = [a, b]
            elif key in decisions and (data.a[i, j] or data.b[i, j]):
                d = decisions[key].decision
                if d == "both" or (d == "A" and data.a[i, j]) or (d == "B" and data.b[i, j]):
                    chosen = [a] if data.a[i, j] else [b]
            for coder in chosen:
                for x, y in clipped(unit.transcript_id, coder, code, s, e):
                    rows.append((unit.transcript_id, as_coder, code, x, y, ""))
        if key in decisions:
            r = decisions[key]
            if r.decision == "other code":
                for code in parse_code_text(r.other, codebook)[0]:
                    rows.append((unit.transcript_id, as_coder, code, s, e, r.note))
            elif r.note:
                rows.append((unit.transcript_id, as_coder, "__note__", s, e, r.note))
    df = pd.DataFrame(rows, columns=["transcript_id", "coder", "code_id", "start", "end", "memo"])
    notes = df[df["code_id"] == "__note__"]
    df = df[df["code_id"] != "__note__"]
    for n in notes.itertuples(index=False):  # a reviewer's note goes on the consensus codings of its segment
        m = (df["transcript_id"] == n.transcript_id) & (df["start"] >= n.start) & (df["end"] <= n.end)
        df.loc[m, "memo"] = n.memo
    if df.empty:
        raise NptCoderError(f"{path.name}: the consensus would hold no codings")
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    return import_codings(project, df, source=SOURCE, source_name=path.name, sha256=sha, who=who)
