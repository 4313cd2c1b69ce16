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


def _compared(project: Project, transcript_id: str, coder_a: str, coder_b: str, unit: str,
              include_interviewer: bool) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    """The disagreements on one transcript opened for comparison: its segments and its codes in dispute, each
    with the :func:`~npt_coder.review.fingerprint` a decision on it must carry, and the unit compared."""
    if transcript_id not in visible_transcripts(project):
        raise AccessError(f"{transcript_id} is still blind-coded: a lead opens it for comparison first")
    if coder_a == coder_b:
        raise ProjectError("compare two different coders")
    found = disagreements(project, coder_a, coder_b, unit=unit, include_interviewer=include_interviewer)
    if transcript_id not in found.transcripts:
        raise ProjectError(f"{transcript_id} was not coded by both {coder_a} and {coder_b}")
    table = found.table[found.table["transcript_id"] == transcript_id].reset_index(drop=True)
    table["key"] = [fingerprint(r) for r in table.to_dict("records")]
    segs = {r["segment_id"]: r for r in table.to_dict("records")}
    codes = found.codes[found.codes["transcript_id"] == transcript_id].reset_index(drop=True)
    codes["key"] = [fingerprint(segs[s], c) for s, c in zip(codes["segment_id"], codes["code_id"])]
    return table, codes, found.unit


def _stored(project: Project, transcript_id: str, unit: str, coder_a: str, coder_b: str,
            as_coder: str) -> dict[tuple[str, str], dict]:
    """The latest stored decision of this comparison on each segment and code (``""``: the whole segment)."""
    done = project.decisions(transcript_id)
    done = done[(done["segment_unit"] == unit) & (done["coder_a"] == coder_a) & (done["coder_b"] == coder_b)
                & (done["as_coder"] == as_coder)]
    return {(r["segment_id"], r["code_id"]): r for r in done.to_dict("records")}


_SHOWN = ("decision", "other_codes", "note", "decided_by", "decided_at")


def _shown(found: dict | None) -> dict:
    return {k: "" if found is None or found[k] is None else found[k] for k in _SHOWN}


def comparison(project: Project, transcript_id: str, coder_a: str, coder_b: str, *, unit: str = "paragraph",
               include_interviewer: bool = False, as_coder: str = CONSENSUS) -> pd.DataFrame:
    """The disagreements between two coders on one transcript opened for comparison, with the decisions taken.

    Columns: those of :func:`npt_coder.review.disagreements`' table, then ``key`` (the segment's
    :func:`~npt_coder.review.fingerprint`, which a :class:`~npt_coder.review.Decision` on the whole segment must
    carry back); ``decision``, ``other_codes``, ``note``, ``decided_by``, ``decided_at`` (the latest decision on
    the whole segment, empty where there is none) and ``current`` (that decision was taken on the segment's
    codings as they are now); ``disputed``, a list with a dict per code in dispute there (``code_id``, ``name``,
    ``coded_a``, ``coded_b``, ``spans_a``, ``spans_b`` as in the disagreements' ``codes``, its own ``key`` for a
    decision on that code, the latest decision on that code in the same six fields, and ``settled``: a current
    decision stands for the code, its own or the whole segment's); and ``settled``, True where every code in
    dispute on the segment is.
    """
    table, codes, unit = _compared(project, transcript_id, coder_a, coder_b, unit, include_interviewer)
    done = _stored(project, transcript_id, unit, coder_a, coder_b, as_coder)
    out = []
    for r in table.to_dict("records"):
        whole = done.get((r["segment_id"], ""))
        whole_now = whole is not None and whole["row_key"] == r["key"]
        disputed = []
        for c in codes[codes["segment_id"] == r["segment_id"]].to_dict("records"):
            own = done.get((r["segment_id"], c["code_id"]))
            now = own is not None and own["row_key"] == c["key"]
            disputed.append({k: c[k] for k in ("code_id", "name", "coded_a", "coded_b", "spans_a", "spans_b", "key")}
                            | _shown(own) | {"current": now, "settled": now or whole_now})
        out.append(r | _shown(whole) | {"current": whole_now, "disputed": disputed,
                                        "settled": all(d["settled"] for d in disputed)})
    return pd.DataFrame(out, columns=[*table.columns, *_SHOWN, "current", "disputed", "settled"])


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

    Each decision names a segment of :func:`comparison` and is on one of its codes in dispute (``code_id``, with
    that code's ``key`` from ``disputed``) or on every code in dispute there (``code_id`` ``""``, with the
    segment's ``key``); at most one per segment and code. The consensus is what
    :func:`npt_coder.review.reconcile_decisions` makes of the two coders' codings and the decisions (the rules of
    ``npt-coder reconcile``: on each code, a decision on that code wins over one on the whole segment). Decisions
    taken earlier on the segments settled now stand beside these where they were taken on the codings as they are
    now and these do not replace them (a decision on another code, or on the whole segment); consensus codings
    already made on the transcript are kept outside those segments, so disagreements can be settled one at a time,
    a code at a time. The new consensus supersedes the old one as one import batch (history and undo as for any
    import), and the new decisions are stored with it.

    Refused with :class:`~npt_coder.errors.StaleWorkError`, changing nothing, when a segment is no longer a
    disagreement, a decision's ``key`` does not match the segment's codings now, or either coder's (or the
    consensus) codings on the transcript change while the consensus is being written; with
    :class:`~npt_coder.errors.ProjectError` when a decision's code is not one in dispute on its segment.
    """
    if as_coder in (coder_a, coder_b):
        raise ProjectError(f"the consensus coder {as_coder!r} must not be one of the coders compared")
    if not decisions:
        raise ProjectError("no decisions given")
    table, codes, found_unit = _compared(project, transcript_id, coder_a, coder_b, unit, include_interviewer)
    rows = {r["segment_id"]: r for r in table.to_dict("records")}
    keys = {(s, ""): r["key"] for s, r in rows.items()}
    keys |= {(s, c): k for s, c, k in zip(codes["segment_id"], codes["code_id"], codes["key"])}
    cb = project.load_codebook()
    chosen: dict[tuple[str, str], Decision] = {}
    for d in decisions:
        sid, code = d.segment_id, d.code_id or ""
        on = f"{code} on segment {sid}" if code else f"segment {sid}"
        if d.transcript_id != transcript_id:
            raise ProjectError(f"a decision on {d.transcript_id} was sent to settle {transcript_id}")
        if (sid, code) in chosen:
            raise ProjectError(f"{on} is decided twice")
        if sid not in rows:
            raise StaleWorkError(f"segment {sid} of {transcript_id} is no longer a disagreement between "
                                 f"{coder_a} and {coder_b}; reload the comparison")
        if (sid, code) not in keys:
            there = codes.loc[codes["segment_id"] == sid, "code_id"]
            raise ProjectError(f"{code} is not a code in dispute on segment {sid} of {transcript_id} (in dispute "
                               f"there: {', '.join(there)}); reload the comparison if the codings changed")
        if d.key != keys[(sid, code)]:
            raise StaleWorkError(f"the codings of segment {sid} changed since the comparison was loaded; "
                                 "reload it and settle again")
        if d.decision not in DECISIONS:
            raise OptionError(f"decision must be one of {', '.join(DECISIONS)}; got {d.decision!r}")
        other = tuple(cb.resolve(c) or c for c in d.other_codes if str(c).strip())
        if d.decision == "other code" and (not other or any(c not in cb for c in other)):
            bad = [c for c in other if c not in cb]
            raise ProjectError(f"'other code' needs codes of the codebook; got {', '.join(bad) or 'none'}")
        chosen[(sid, code)] = Decision(transcript_id, sid, d.decision, other if d.decision == "other code" else (),
                                       d.note.strip(), d.key, code)
    touched = {sid for sid, _ in chosen}
    standing = [Decision(transcript_id, sid, r["decision"], tuple(c for c in r["other_codes"].split("; ") if c),
                         r["note"] or "", r["row_key"], code)
                for (sid, code), r in _stored(project, transcript_id, found_unit, coder_a, coder_b, as_coder).items()
                if sid in touched and (sid, code) not in chosen and keys.get((sid, code)) == r["row_key"]]
    current = project.coding_table(transcript_id)
    current = current[current["coder"].isin([coder_a, coder_b, as_coder])]
    expect = {(c, transcript_id): current.loc[current["coder"] == c, "coding_id"].tolist()
              for c in (coder_a, coder_b, as_coder)}
    segments = project.segments(unit, include_interviewer=include_interviewer, transcripts=[transcript_id])
    new = reconcile_decisions(current, segments, coder_a, coder_b, [*standing, *chosen.values()], codes=cb.ids,
                              as_coder=as_coder)
    holes = sorted((int(r["start"]), int(r["end"])) for s, r in rows.items() if s in touched)
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
        [{"transcript_id": transcript_id, "segment_unit": found_unit, "segment_id": sid, "code_id": code,
          "coder_a": coder_a, "coder_b": coder_b, "as_coder": as_coder, "decision": d.decision,
          "other_codes": "; ".join(d.other_codes), "note": d.note, "row_key": d.key}
         for (sid, code), d in chosen.items()],
        expect=expect, who=who)
    return ImportResult(batch_id=rec.batch_id, n_codings=len(merged), n_merged=n_merged,
                        n_superseded=rec.n_superseded, coders=[as_coder], transcripts=[transcript_id])
