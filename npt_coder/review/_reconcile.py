"""Reconcile: a team's decisions on two coders' disagreements become the consensus coding.

:func:`reconcile_decisions` is the rule, on data (nothing is written); :func:`reconcile` applies it to a settled
review workbook (either layout) and imports the result in one transaction; the workbench's settle
(:func:`npt_coder.services.settle`) applies it to decisions taken in the browser. A :class:`Decision` is on one
code in dispute on a unit, or on every code in dispute there; the rule resolves each unit and code to the decision
in force for it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Sequence

import pandas as pd

from .._consensus import CONSENSUS
from ..agreement import presence_data
from ..coding import ImportResult, import_codings, parse_code_text
from ..errors import NptCoderError
from ._disagreements import disagreements, fingerprint
from ._workbook import DECISIONS, FORMAT, OTHER_CODE, decisions_for, read_review

__all__ = ["CONSENSUS_COLUMNS", "SOURCE", "Decision", "reconcile", "reconcile_decisions"]

SOURCE = CONSENSUS
"""The import source recorded for a reconciled review, whatever coder name the consensus is imported as."""

CONSENSUS_COLUMNS = ["transcript_id", "coder", "code_id", "start", "end", "memo"]


@dataclass(frozen=True)
class Decision:
    """How a team settled a disagreement: one code in dispute on a unit, or every code in dispute there.

    ``transcript_id`` and ``segment_id`` name the unit (a row of :func:`disagreements`); ``code_id`` names the code
    in dispute the decision is on, or is ``""`` for a decision on the whole unit (the first review layout, the
    workbench's choice on a whole segment). ``decision`` is one of :data:`DECISIONS`; for a code one coder applied to the unit
    and the other did not, ``"A"`` or ``"B"`` keeps it exactly when that coder applied it (that coder's call
    stands), ``"both"`` keeps it, ``"neither"`` drops it, and ``"other code"`` drops it and puts ``other_codes`` on
    the whole unit. ``note`` goes into the memo of the consensus codings the decision makes; ``key`` is the
    :func:`fingerprint` of the row the decision was taken on, which callers compare with the row as it is now
    before they apply the decision.
    """

    transcript_id: str
    segment_id: str
    decision: str
    other_codes: tuple[str, ...] = ()
    note: str = ""
    key: str = ""
    code_id: str = ""


def _memo(notes: list[str]) -> str:
    return " | ".join(dict.fromkeys(n for n in notes if n))


def reconcile_decisions(codings: pd.DataFrame, segments: pd.DataFrame, coder_a: str, coder_b: str,
                        decisions: Iterable[Decision], *, codes: Sequence[str], as_coder: str = CONSENSUS,
                        progress: Callable[[str, int, int], None] | None = None) -> pd.DataFrame:
    """The consensus coding that two coders' codings and a team's decisions make (nothing is written).

    On every segment of ``segments`` (of the transcripts both coders coded): a code both coders put on the
    segment is kept as the union of their spans of it, clipped to the segment (the coders' own extents, not the
    whole segment). A code only one coder put there is settled by the decision on that code of that segment if
    there is one, else by the decision on the whole segment: kept, with that coder's spans, when the decision takes
    that coder's call (``"A"``, ``"B"``) or both (``"both"``), dropped otherwise (``"neither"``, ``"other
    code"``); an ``"other code"`` decision adds each of its ``other_codes`` over the whole segment. Undecided
    codes are dropped: an undecided segment keeps only what was agreed.

    Memos: a decision on the whole segment puts its note on every consensus coding of the segment; a decision on
    one code puts it on the codings it makes (that code's spans, or its other codes), and where it makes none (the
    code dropped) on the segment's other consensus codings. Several notes on one coding are joined with ``" | "``.

    Returns :data:`CONSENSUS_COLUMNS`, coder ``as_coder``, in segment order; overlapping spans are left for the
    import to merge (:func:`npt_coder.coding.merge_overlaps`). ``progress(stage, done, total)``, when given, hears
    ``"deciding"`` as each segment is settled.
    """
    codes = list(codes)
    data = presence_data(codings, coder_a, coder_b, unit="segment", codes=codes, segments=segments)
    by_unit: dict[tuple[str, str], dict[str, Decision]] = {}
    for d in decisions:
        by_unit.setdefault((d.transcript_id, d.segment_id), {})[d.code_id] = d
    mine = codings[codings["coder"].isin([coder_a, coder_b])]
    spans = {k: g for k, g in mine.groupby(["transcript_id", "coder", "code_id"])}
    empty = mine.iloc[:0]

    def clipped(tid: str, coder: str, code: str, s: int, e: int) -> list[tuple[int, int]]:
        g = spans.get((tid, coder, code), empty)
        g = g[(g["end"] > s) & (g["start"] < e)]
        return [(max(int(x), s), min(int(y), e)) for x, y in zip(g["start"], g["end"])]

    rows: list[tuple] = []
    tell = progress or (lambda stage, done, total: None)
    n_units = len(data.units)
    for i, unit in enumerate(data.units.itertuples(index=False)):
        if i % 100 == 0:
            tell("deciding", i, n_units)
        s, e, tid = int(unit.start), int(unit.end), unit.transcript_id
        here = by_unit.get((tid, unit.segment_id), {})
        whole = here.get("")
        made: list[tuple[str, int, int, list[str]]] = []  # code, start, end, notes
        spare: list[str] = []  # notes of code decisions that dropped their code
        for j, code in enumerate(codes):
            a, b = bool(data.a[i, j]), bool(data.b[i, j])
            if a and b:
                made += [(code, x, y, []) for coder in (coder_a, coder_b) for x, y in clipped(tid, coder, code, s, e)]
                continue
            d = here.get(code, whole)
            if not (a or b) or d is None:
                continue
            own = d.note.strip() if d is not whole else ""
            if d.decision == "both" or (d.decision == "A" and a) or (d.decision == "B" and b):
                made += [(code, x, y, [own]) for x, y in clipped(tid, coder_a if a else coder_b, code, s, e)]
            elif d.decision != OTHER_CODE:
                spare.append(own)
        for d in here.values():
            if d.decision == OTHER_CODE:
                made += [(code, s, e, [d.note.strip() if d.code_id else ""]) for code in d.other_codes]
        shared = spare + ([whole.note.strip()] if whole is not None else [])
        rows += [(tid, as_coder, code, x, y, _memo(notes + shared)) for code, x, y, notes in made]
    tell("deciding", n_units, n_units)
    return pd.DataFrame(rows, columns=CONSENSUS_COLUMNS)


def _other_codes(path: Path, i: int, text: str, codebook) -> tuple[str, ...]:
    codes, rest = parse_code_text(text, codebook)
    if not codes or rest:
        raise NptCoderError(f"{path.name}: row {i}: '{OTHER_CODE}' needs code ids in Other codes; got {text!r}")
    return tuple(codes)


def _code_decisions(path: Path, review: pd.DataFrame, current, codebook) -> list[Decision]:
    """The decisions of a review of the per-code layout, each row checked against the project as it is now."""
    a, b = current.coder_a, current.coder_b
    segs = current.table.set_index(["transcript_id", "segment_id"])
    keys = [fingerprint(segs.loc[(r.transcript_id, r.segment_id)].to_dict()
                        | {"transcript_id": r.transcript_id, "segment_id": r.segment_id}, r.code_id)
            for r in current.codes.itertuples(index=False)]
    if len(keys) != len(review):
        raise NptCoderError(f"{path.name}: {len(review)} review rows, but {len(keys)} codes in dispute now; the "
                            "codings changed since the review was made (or rows were deleted); make a new review")
    options = dict(zip(decisions_for(a, b), ("A", "B", OTHER_CODE)))
    out = []
    for i, (key, row) in enumerate(zip(keys, review.itertuples(index=False)), start=2):
        where = f"row {i} ({row.transcript_id} {row.segment_id} {row.code_id})"
        if row.key != key:
            raise NptCoderError(f"{path.name}: {where} no longer matches the project (its text or either coder's "
                                "codes changed, or rows were re-sorted)")
        if row.decision not in options:
            what = f"has decision {row.decision!r}" if row.decision else "has no decision"
            raise NptCoderError(f"{path.name}: {where} {what}; choose {a}, {b} or {OTHER_CODE}")
        decision = options[row.decision]
        other = _other_codes(path, i, row.other, codebook) if decision == OTHER_CODE else ()
        out.append(Decision(row.transcript_id, row.segment_id, decision, other, row.note, row.key, row.code_id))
    return out


def _unit_decisions(path: Path, review: pd.DataFrame, current, codebook) -> list[Decision]:
    """The decisions of a review of the first layout (one row per segment), checked likewise."""
    cur_keys = [fingerprint(r) for r in current.table.to_dict("records")]
    if len(cur_keys) != len(review):
        raise NptCoderError(f"{path.name}: {len(review)} review rows, but {len(cur_keys)} disagreements now; the "
                            "codings changed since the review was made (or rows were deleted); make a new review")
    out = []
    for i, (key, row) in enumerate(zip(cur_keys, review.itertuples(index=False)), start=2):
        if row.key != key:
            raise NptCoderError(f"{path.name}: row {i} ({row.transcript_id} {row.segment_id}) no longer matches the "
                                "project (its text or either coder's codes changed, or rows were re-sorted)")
        if row.decision not in DECISIONS:
            what = f"has decision {row.decision!r}" if row.decision else "has no decision"
            raise NptCoderError(f"{path.name}: row {i} ({row.transcript_id} {row.segment_id}) {what}; choose one of "
                                f"{', '.join(DECISIONS)}")
        other = _other_codes(path, i, row.other, codebook) if row.decision == OTHER_CODE else ()
        out.append(Decision(row.transcript_id, row.segment_id, row.decision, other, row.note, row.key))
    return out


def reconcile(project, path: str | Path, *, as_coder: str = CONSENSUS, who: str | None = None,
              progress: Callable[[str, int, int], None] | None = None) -> ImportResult:
    """Import a settled review workbook as ``as_coder``: agreed codes plus decisions (the rules of
    :func:`reconcile_decisions`), in one transaction.

    Reads both layouts of :func:`review_workbook`: a decision per disputed code (whose call stands: coder A's,
    coder B's, or other codes) and, from workbooks made before it, a decision per segment.
    ``progress(stage, done, total)``, when given, hears ``"reading"`` (the workbook), ``"disagreements"`` (the
    disagreements as they are now, to compare), ``"deciding"`` and ``"storing"``.
    """
    path = Path(path)
    tell = progress or (lambda stage, done, total: None)
    tell("reading", 0, 1)
    meta, review = read_review(path)
    tell("reading", 1, 1)
    if meta.get("project_id") != project.project_id:
        raise NptCoderError(f"{path.name}: this review was made for a different project")
    a, b = meta["coder_a"], meta["coder_b"]
    include_interviewer = str(meta.get("include_interviewer")) == "True"
    current = disagreements(project, a, b, unit=meta["segment_unit"], include_interviewer=include_interviewer,
                            progress=progress)
    if ", ".join(current.transcripts) != meta.get("transcripts"):
        raise NptCoderError(f"{path.name}: the transcripts coded by both {a} and {b} changed since the review was made;"
                            " make a new review")
    codebook = project.load_codebook()
    read = _code_decisions if str(meta.get("format")) == FORMAT else _unit_decisions
    decisions = read(path, review, current, codebook)
    segments = project.segments(current.unit, include_interviewer=include_interviewer)
    df = reconcile_decisions(project.codings, segments, a, b, decisions, codes=codebook.ids, as_coder=as_coder,
                             progress=progress)
    if df.empty:
        raise NptCoderError(f"{path.name}: the consensus would hold no codings")
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    tell("storing", 0, 1)
    result = import_codings(project, df, source=SOURCE, source_name=path.name, sha256=sha, who=who)
    tell("storing", 1, 1)
    return result
