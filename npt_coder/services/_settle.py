"""Services of the workbench's comparing and settling: two coders' disagreements on one transcript, and the
decisions a lead takes on them written as the consensus coding.

The rule that turns decisions into a consensus coding is the review package's
(:func:`npt_coder.review.reconcile_decisions`), the same one ``npt-coder reconcile`` applies to a review workbook.
"""

from __future__ import annotations

from typing import Sequence

import pandas as pd

from .._consensus import CONSENSUS
from ..coding import ImportResult, merge_overlaps
from ..errors import AccessError, OptionError, ProjectError, StaleWorkError
from ..review import DECISIONS, Decision, disagreements, fingerprint, reconcile_decisions
from ..store import ImportBatch, Project
from ._coding import visible_transcripts

__all__ = ["comparison", "settle"]


def comparison(project: Project, transcript_id: str, coder_a: str, coder_b: str, *, unit: str = "paragraph",
               include_interviewer: bool = False, as_coder: str = CONSENSUS) -> pd.DataFrame:
    """The disagreements between two coders on one transcript opened for comparison, with the decisions in force.

    Columns: those of :func:`npt_coder.review.disagreements`' table, then ``key`` (the row's
    :func:`~npt_coder.review.fingerprint`, which a :class:`~npt_coder.review.Decision` must carry back),
    ``decision``, ``other_codes``, ``note``, ``decided_by``, ``decided_at`` (the decision in force, empty where there
    is none) and ``settled`` (True where that decision was taken on the segment's codings as they are now; False
    where none was, or where either coder has changed the segment since).
    """
    if transcript_id not in visible_transcripts(project):
        raise AccessError(f"{transcript_id} is still blind-coded: a lead opens it for comparison first")
    if coder_a == coder_b:
        raise ProjectError("compare two different coders")
    found = disagreements(project, coder_a, coder_b, unit=unit, include_interviewer=include_interviewer)
    if transcript_id not in found.transcripts:
        raise ProjectError(f"{transcript_id} was not coded by both {coder_a} and {coder_b}")
    table = found.table[found.table["transcript_id"] == transcript_id].reset_index(drop=True)
    table["key"] = [fingerprint(r) for r in table.to_dict("records")]
    done = project.decisions(transcript_id)
    done = done[(done["segment_unit"] == found.unit) & (done["coder_a"] == coder_a) & (done["coder_b"] == coder_b)
                & (done["as_coder"] == as_coder)]
    cols = ["decision", "other_codes", "note", "decided_by", "decided_at", "row_key"]
    table = table.merge(done[["segment_id", *cols]], on="segment_id", how="left")
    for c in cols:
        table[c] = table[c].astype(object).where(table[c].notna(), "")
    table["settled"] = (table["decision"] != "") & (table["row_key"] == table["key"])
    return table.drop(columns="row_key")


def _outside(x: int, y: int, holes: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The parts of ``[x, y)`` outside every ``[s, e)`` of ``holes`` (sorted)."""
    parts, at = [], x
    for s, e in holes:
        if e <= at or s >= y:
            continue
        if s > at:
            parts.append((at, s))
        at = max(at, e)
    if at < y:
        parts.append((at, y))
    return parts


def settle(project: Project, transcript_id: str, coder_a: str, coder_b: str, decisions: Sequence[Decision], *,
           unit: str = "paragraph", include_interviewer: bool = False, as_coder: str = CONSENSUS,
           who: str | None = None) -> ImportResult:
    """Settle disagreements on one transcript and write its consensus coding, in one transaction.

    Each decision names a segment of :func:`comparison` and carries that row's ``key``. The consensus is what
    :func:`npt_coder.review.reconcile_decisions` makes of the two coders' codings and these decisions (the rules of
    ``npt-coder reconcile``); consensus codings already made on the transcript are kept outside the segments
    settled now, so disagreements can be settled one at a time. The new consensus supersedes the old one as one
    import batch (history and undo as for any import), and the decisions are stored with it.

    Refused with :class:`~npt_coder.errors.StaleWorkError`, changing nothing, when a segment is no longer a
    disagreement, a decision's ``key`` does not match the segment's codings now, or either coder's (or the
    consensus) codings on the transcript change while the consensus is being written.
    """
    if as_coder in (coder_a, coder_b):
        raise ProjectError(f"the consensus coder {as_coder!r} must not be one of the coders compared")
    if not decisions:
        raise ProjectError("no decisions given")
    table = comparison(project, transcript_id, coder_a, coder_b, unit=unit, include_interviewer=include_interviewer,
                       as_coder=as_coder)
    rows = {r["segment_id"]: r for r in table.to_dict("records")}
    cb = project.load_codebook()
    chosen: dict[str, Decision] = {}
    for d in decisions:
        if d.transcript_id != transcript_id:
            raise ProjectError(f"a decision on {d.transcript_id} was sent to settle {transcript_id}")
        if d.segment_id in chosen:
            raise ProjectError(f"segment {d.segment_id} is decided twice")
        if d.segment_id not in rows:
            raise StaleWorkError(f"segment {d.segment_id} of {transcript_id} is no longer a disagreement between "
                                 f"{coder_a} and {coder_b}; reload the comparison")
        if d.key != rows[d.segment_id]["key"]:
            raise StaleWorkError(f"the codings of segment {d.segment_id} changed since the comparison was loaded; "
                                 "reload it and settle again")
        if d.decision not in DECISIONS:
            raise OptionError(f"decision must be one of {', '.join(DECISIONS)}; got {d.decision!r}")
        other = tuple(cb.resolve(c) or c for c in d.other_codes if str(c).strip())
        if d.decision == "other code" and (not other or any(c not in cb for c in other)):
            bad = [c for c in other if c not in cb]
            raise ProjectError(f"'other code' needs codes of the codebook; got {', '.join(bad) or 'none'}")
        chosen[d.segment_id] = Decision(transcript_id, d.segment_id, d.decision,
                                        other if d.decision == "other code" else (), d.note.strip(), d.key)
    current = project.coding_table(transcript_id)
    current = current[current["coder"].isin([coder_a, coder_b, as_coder])]
    expect = {(c, transcript_id): current.loc[current["coder"] == c, "coding_id"].tolist()
              for c in (coder_a, coder_b, as_coder)}
    segments = project.segments(unit, include_interviewer=include_interviewer, transcripts=[transcript_id])
    new = reconcile_decisions(current, segments, coder_a, coder_b, chosen.values(), codes=cb.ids, as_coder=as_coder)
    holes = sorted((int(r["start"]), int(r["end"])) for r in table.to_dict("records") if r["segment_id"] in chosen)
    kept = [(transcript_id, as_coder, r.code_id, x, y, r.memo or "")  # earlier consensus outside those segments
            for r in current[current["coder"] == as_coder].itertuples(index=False)
            for x, y in _outside(int(r.start), int(r.end), holes)]
    df = pd.concat([new, pd.DataFrame(kept, columns=new.columns)], ignore_index=True) if kept else new
    if df.empty:
        raise ProjectError(f"the consensus on {transcript_id} would hold no codings")
    name = f"settled in the workbench: {transcript_id} ({coder_a} / {coder_b}, {unit})"
    merged, n_merged = merge_overlaps(df)  # every span lies in a segment of the transcript and has a codebook code
    rec = project.record_settlement(
        ImportBatch(merged, CONSENSUS, name, None, n_merged),
        [{"transcript_id": transcript_id, "segment_unit": unit, "segment_id": sid, "coder_a": coder_a,
          "coder_b": coder_b, "as_coder": as_coder, "decision": d.decision, "other_codes": "; ".join(d.other_codes),
          "note": d.note, "row_key": d.key} for sid, d in chosen.items()],
        expect=expect, who=who)
    return ImportResult(batch_id=rec.batch_id, n_codings=len(merged), n_merged=n_merged,
                        n_superseded=rec.n_superseded, coders=[as_coder], transcripts=[transcript_id])
