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
from ._workbook import DECISIONS, read_review

__all__ = ["SOURCE", "reconcile"]

SOURCE = CONSENSUS
"""The import source recorded for a reconciled review, whatever coder name the consensus is imported as."""


def reconcile(project, path: str | Path, *, as_coder: str = CONSENSUS, who: str | None = None) -> ImportResult:
    """Import a settled review workbook as ``as_coder``: agreed codes plus decisions, in one transaction."""
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
    spans = {c: g for c, g in codings[codings["coder"].isin([a, b])].groupby(["transcript_id", "coder", "code_id"])}
    rows: list[tuple] = []
    empty = codings.iloc[:0]

    def clipped(tid, coder, code, s, e):
        g = spans.get((tid, coder, code), empty)
        g = g[(g["end"] > s) & (g["start"] < e)]
        return [(max(x, s), min(y, e)) for x, y in zip(g["start"], g["end"])]

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
