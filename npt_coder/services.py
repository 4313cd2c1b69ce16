"""The operations a user performs on a project, shared by every front end (the CLI, the workbench, a notebook).

Each service runs the checks a policy asks for and then the store's change, which is one transaction. The store
records what it is given; the rules of *when* it may be given something live here, for instance that no transcript
enters a project without the anonymisation check.

Examples
--------
>>> import tempfile, npt_coder as nc
>>> p = nc.init_project(tempfile.mkdtemp() + "/study")
>>> add_transcripts(p, [nc.demo_path() / "S1_P02.txt"], attributes={"site": "S1"}).added
['S1_P02']
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from ._passwords import hash_password, verify_password
from .anon import find_identifiers_many
from .coding import ImportResult, import_files
from .errors import AccessError, AnonymisationError, NptCoderError, ProjectError, StaleWorkError
from .ingest import IngestOptions, Transcript, read_attribute_table, read_transcripts, resolve_attributes
from .store import ROLES, AddResult, AnonCheck, ImportBatch, Project

__all__ = [
    "CONSENSUS", "Decision", "Session", "add_read_transcripts", "add_transcripts", "add_user", "check_coder_name",
    "code", "comparison", "import_codings", "open_comparison", "retrieve", "session_for", "settle", "sign_in",
    "sign_out", "study_overview", "visible_codings", "visible_transcripts", "RETRIEVE_COLUMNS", "SESSION_HOURS",
]


def add_transcripts(
    project: Project,
    paths: Sequence[str | Path],
    *,
    attributes_table: str | Path | None = None,
    name_pattern: str | None = None,
    attributes: Mapping[str, str] | None = None,
    options: IngestOptions | None = None,
    who: str | None = None,
    accept_flagged: bool = False,
    deny: Sequence[str] = (),
    allow: Sequence[str] = (),
    nlp="auto",
) -> AddResult:
    """Read transcript files, check them for identifiers and add them in one transaction: if any file fails,
    nothing is added.

    Attributes come from ``name_pattern`` (e.g. ``"{site}_{participant}"``), then ``attributes_table`` (CSV or
    XLSX keyed by ``file`` or ``transcript_id``), then ``attributes`` (given values win). A file whose bytes the
    project already holds is skipped and reported in :attr:`~npt_coder.store.AddResult.duplicates`; a different
    file under an existing transcript id raises :class:`~npt_coder.errors.ProjectError`. The anonymisation check
    is that of :func:`add_read_transcripts`.
    """
    if not paths:
        raise ProjectError("no files given to add")
    table = read_attribute_table(attributes_table) if attributes_table else None
    ids: list[str | None] = []
    attr_list: list[dict[str, str]] = []
    for p in paths:
        tid, attrs = resolve_attributes(Path(p), table=table, name_pattern=name_pattern, given=attributes)
        ids.append(tid)
        attr_list.append(attrs)
    transcripts = read_transcripts(paths, options=options, transcript_ids=ids, attributes=attr_list)
    return add_read_transcripts(project, transcripts, who=who, accept_flagged=accept_flagged, deny=deny,
                                allow=allow, nlp=nlp)


def add_read_transcripts(project: Project, transcripts: Sequence[Transcript], *, who: str | None = None,
                         note: str | None = None, accept_flagged: bool = False, deny: Sequence[str] = (),
                         allow: Sequence[str] = (), nlp="auto") -> AddResult:
    """Add already-read transcripts after the anonymisation check, in one transaction.

    Every transcript goes through :func:`npt_coder.anon.find_identifiers_many` with the ``deny``/``allow`` terms
    and, with ``nlp="auto"``, the trained English pipeline when installed; speaker labels are skipped. If any
    finding remains, nothing is added and :class:`~npt_coder.errors.AnonymisationError` says which transcripts
    hold how many of which type (never the values), unless ``accept_flagged``; the project records every check,
    and that the findings were accepted, with who and when.
    """
    findings = find_identifiers_many([t.text for t in transcripts], nlp=nlp, deny=deny, allow=allow,
                                     skip_spans=[t.label_spans() for t in transcripts])
    flagged = {t.transcript_id: f for t, f in zip(transcripts, findings) if len(f)}
    if flagged and not accept_flagged:
        parts = []
        for tid, f in flagged.items():
            counts = f["type"].value_counts()
            parts.append(f"{tid}: " + ", ".join(f"{n} {kind}" for kind, n in counts.items()))
        raise AnonymisationError(
            f"{len(flagged)} transcript(s) may hold residual identifiers ({'; '.join(parts)}); nothing was added. "
            "Review them with 'npt-coder check-anon FILES', fix or pseudonymise the files ('npt-coder "
            "pseudonymise'), or add them with --accept-flagged to record that you accept them"
        )
    checks = [AnonCheck(name_detection=bool(f.attrs.get("name_detection")),
                        by_type={str(k): int(n) for k, n in f["type"].value_counts().items()},
                        accepted_flagged=len(f) > 0) for f in findings]
    return project.store_transcripts(transcripts, checks, who=who, note=note)


def import_codings(project: Project, paths: Sequence[str | Path], *, coder: str | None = None,
                   new_inductive: bool = False, code_map=None, who: str | None = None) -> list[ImportResult]:
    """Import coding files (workbooks, Word comments, long tables, REFI-QDA) in one transaction, one batch each.

    See :func:`npt_coder.coding.import_files` for the kinds of file and :mod:`npt_coder.coding._import` for the
    rules (validation, merging, no-op re-import, superseding).
    """
    return import_files(project, paths, coder=coder, new_inductive=new_inductive, code_map=code_map, who=who)


# -- the workbench: one coding at a time, blind double-coding, settling, team members --------------------------------

CONSENSUS = "consensus"
"""The coder name consensus codings are written as (by ``reconcile`` and by :func:`settle`)."""
_NAME_MAX = 40


def check_coder_name(name: str | None) -> str:
    """A coder name as the workbench accepts it: stripped, 1-40 printable characters, not ``consensus`` (the name
    settled codings are written as)."""
    name = (name or "").strip()
    if not name:
        raise ProjectError("the coder name is empty")
    if len(name) > _NAME_MAX or not name.isprintable():
        raise ProjectError(f"a coder name has at most {_NAME_MAX} printable characters")
    if name.casefold() == CONSENSUS:
        raise ProjectError(f"{CONSENSUS!r} is the name settled codings are written as; pick your own name")
    return name


def code(project: Project, transcript_id: str, code_id: str, start: int, end: int, *, coder: str,
         memo: str | None = None, who: str | None = None) -> dict:
    """Code one span as ``coder`` (one batch, see :meth:`~npt_coder.store.Project.add_coding`); the stored coding."""
    coding_id = project.add_coding(transcript_id, code_id, int(start), int(end), coder=check_coder_name(coder),
                                   memo=(memo or "").strip() or None, source="workbench", who=who or coder)
    return project.coding(coding_id)


def visible_transcripts(project: Project) -> set[str]:
    """Transcripts a lead opened for comparison: there every coder's codings are visible."""
    return set(project.comparisons["transcript_id"])


def visible_codings(project: Project, coder: str | None, transcript_id: str | None = None) -> pd.DataFrame:
    """The codings ``coder`` may see (blind double-coding): their own everywhere, everyone's on transcripts opened
    for comparison. Columns of :meth:`~npt_coder.store.Project.coding_table`."""
    table = project.coding_table(transcript_id)
    return table[(table["coder"] == coder) | table["transcript_id"].isin(visible_transcripts(project))]


def open_comparison(project: Project, transcript_id: str, *, who: str) -> bool:
    """End blind coding on a transcript: every coder sees every coding there from now on."""
    return project.open_comparison(transcript_id, who=who)


def _presence(codings: pd.DataFrame, segments: pd.DataFrame, codes: Sequence[str]):
    """Presence of each code on each segment for the given codings taken together (any coder)."""
    from .agreement import presence_data

    pooled = codings.assign(coder="_")
    return presence_data(pooled, "_", "_", unit="segment", codes=list(codes), segments=segments)


def study_overview(project: Project) -> pd.DataFrame:
    """One row per transcript for the workbench's home page: transcript_id, the attributes, n_words, n_turns,
    ``progress`` (coder -> share of participant turns with at least one of their codings), ``double_coded``
    (two coders or more besides consensus), ``comparison_open``, and ``kappa`` (pooled Cohen's kappa of the first
    two coders on paragraphs, for double-coded transcripts open for comparison; else NaN)."""
    t = project.transcripts.drop(columns=["text", "source_path", "sha256", "text_sha256"])
    codings = project.coding_table()
    turns = project.segments("turn", include_interviewer=False)
    opened = visible_transcripts(project)
    progress: dict[str, dict[str, float]] = {tid: {} for tid in t["transcript_id"]}
    n_turns = turns.groupby("transcript_id").size()
    for coder, mine in codings.groupby("coder"):
        data = _presence(mine, turns, sorted(mine["code_id"].unique()))
        covered = pd.Series(data.a.any(axis=1), index=data.units["transcript_id"]).groupby(level=0).sum()
        for tid, n in covered.items():
            progress[tid][str(coder)] = float(n) / float(n_turns.get(tid, 1) or 1)
    t["progress"] = [progress[tid] for tid in t["transcript_id"]]
    coders_of = [[c for c in p if c != CONSENSUS] for p in t["progress"]]
    t["double_coded"] = [len(c) >= 2 for c in coders_of]
    t["comparison_open"] = t["transcript_id"].isin(opened)
    t["kappa"] = np.nan
    from .agreement import agreement_table

    for i, (tid, coders) in enumerate(zip(t["transcript_id"], coders_of)):
        if tid in opened and len(coders) >= 2:
            table = agreement_table(project, coders=sorted(coders)[:2], by=["pooled"], ci=None, transcripts=[tid])
            t.loc[i, "kappa"] = float(table["cohen_kappa"].iloc[0]) if len(table) else np.nan
    return t


# -- comparing and settling ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Decision:
    """How a lead settles one disagreement: ``decision`` is one of :data:`npt_coder.agreement.DECISIONS`;
    ``key`` is the row key :func:`comparison` gave (it proves the decision was taken on the current codings);
    ``other_codes`` for ``"other code"``; ``note`` goes on the consensus codings of the segment as their memo."""

    segment_id: str
    decision: str
    key: str
    other_codes: tuple[str, ...] = ()
    note: str = ""


def _row_key(row: Mapping) -> str:
    raw = json.dumps([row["transcript_id"], row["segment_id"], int(row["start"]), int(row["end"]), row["codes_a"],
                      row["codes_b"]])
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:16]


def comparison(project: Project, transcript_id: str, coder_a: str, coder_b: str, *, unit: str = "paragraph",
               include_interviewer: bool = False, as_coder: str = CONSENSUS) -> pd.DataFrame:
    """The disagreements between two coders on one transcript opened for comparison, with the decisions in force.

    Columns: those of :func:`npt_coder.agreement.disagreements`, then ``key`` (what :class:`Decision` must carry
    back), ``decision``, ``other_codes``, ``note``, ``decided_by``, ``decided_at`` (the decision in force, empty
    where there is none) and ``settled`` (True where that decision was taken on the segment's codings as they are
    now; False where none was, or where either coder has changed the segment since).
    """
    from .agreement import disagreements

    if transcript_id not in visible_transcripts(project):
        raise AccessError(f"{transcript_id} is still blind-coded: a lead opens it for comparison first")
    if coder_a == coder_b:
        raise ProjectError("compare two different coders")
    table = disagreements(project, coder_a, coder_b, segment_unit=unit, include_interviewer=include_interviewer)
    if transcript_id not in table.attrs["transcripts"]:
        raise ProjectError(f"{transcript_id} was not coded by both {coder_a} and {coder_b}")
    table = table[table["transcript_id"] == transcript_id].reset_index(drop=True)
    table["key"] = [_row_key(r) for r in table.to_dict("records")]
    done = project.decisions(transcript_id)
    done = done[(done["segment_unit"] == unit) & (done["coder_a"] == coder_a) & (done["coder_b"] == coder_b)
                & (done["as_coder"] == as_coder)]
    cols = ["decision", "other_codes", "note", "decided_by", "decided_at", "row_key"]
    table = table.merge(done[["segment_id", *cols]], on="segment_id", how="left")
    for c in cols:
        table[c] = table[c].astype(object).where(table[c].notna(), "")
    table["settled"] = (table["decision"] != "") & (table["row_key"] == table["key"])
    return table.drop(columns="row_key")


def _clip(spans: pd.DataFrame, s: int, e: int) -> list[tuple[int, int]]:
    g = spans[(spans["end"] > s) & (spans["start"] < e)]
    return [(max(int(x), s), min(int(y), e)) for x, y in zip(g["start"], g["end"])]


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

    The rules are those of :func:`npt_coder.agreement.reconcile`, taken as data instead of from a review
    workbook: every code both coders put on a segment is kept (the union of their spans, clipped to the segment);
    on a settled segment the decision adds A's, B's or both coders' other codes with their own extents, none of
    them, or other codes covering the whole segment, and its note becomes the memo of the segment's consensus
    codings. Consensus codings already made on the transcript are kept outside the segments settled now, so
    disagreements can be settled one at a time. The new consensus supersedes the old one as one import batch
    (history and undo as for any import), and the decisions are stored with it.

    Refused with :class:`~npt_coder.errors.StaleWorkError`, changing nothing, when a segment is no longer a
    disagreement, a decision's ``key`` does not match the segment's codings now, or either coder's (or the
    consensus) codings on the transcript change while the consensus is being written.
    """
    from .agreement import DECISIONS, presence_data
    from .coding import merge_overlaps

    if as_coder in (coder_a, coder_b):
        raise ProjectError(f"the consensus coder {as_coder!r} must not be one of the coders compared")
    if not decisions:
        raise ProjectError("no decisions given")
    table = comparison(project, transcript_id, coder_a, coder_b, unit=unit, include_interviewer=include_interviewer,
                       as_coder=as_coder)
    rows = {r["segment_id"]: r for r in table.to_dict("records")}
    cb = project.load_codebook()
    chosen: dict[str, tuple[Decision, list[str]]] = {}
    for d in decisions:
        if d.segment_id in chosen:
            raise ProjectError(f"segment {d.segment_id} is decided twice")
        if d.segment_id not in rows:
            raise StaleWorkError(f"segment {d.segment_id} of {transcript_id} is no longer a disagreement between "
                                 f"{coder_a} and {coder_b}; reload the comparison")
        if d.key != rows[d.segment_id]["key"]:
            raise StaleWorkError(f"the codings of segment {d.segment_id} changed since the comparison was loaded; "
                                 "reload it and settle again")
        if d.decision not in DECISIONS:
            raise ProjectError(f"decision must be one of {', '.join(DECISIONS)}; got {d.decision!r}")
        other = [cb.resolve(c) or c for c in d.other_codes if str(c).strip()]
        if d.decision == "other code" and (not other or any(c not in cb for c in other)):
            bad = [c for c in other if c not in cb]
            raise ProjectError(f"'other code' needs codes of the codebook; got {', '.join(bad) or 'none'}")
        chosen[d.segment_id] = (d, other if d.decision == "other code" else [])
    current = project.coding_table(transcript_id)
    current = current[current["coder"].isin([coder_a, coder_b, as_coder])]
    expect = {(c, transcript_id): current.loc[current["coder"] == c, "coding_id"].tolist()
              for c in (coder_a, coder_b, as_coder)}
    segments = project.segments(unit, include_interviewer=include_interviewer, transcripts=[transcript_id])
    data = presence_data(current, coder_a, coder_b, unit="segment", codes=cb.ids, segments=segments)
    spans = {k: g for k, g in current.groupby(["coder", "code_id"])}
    empty = current.iloc[:0]
    out: list[tuple[str, int, int, str]] = []  # code, start, end, memo
    holes: list[tuple[int, int]] = []
    for i, seg in enumerate(data.units.itertuples(index=False)):
        s, e = int(seg.start), int(seg.end)
        decided = chosen.get(seg.segment_id)
        note = decided[0].note.strip() if decided else ""
        if decided:
            holes.append((s, e))
        for j, c in enumerate(cb.ids):
            a, b = bool(data.a[i, j]), bool(data.b[i, j])
            take = [coder_a, coder_b] if a and b else []
            if decided and (a or b) and not take:
                d = decided[0].decision
                if d == "both" or (d == "A" and a) or (d == "B" and b):
                    take = [coder_a] if a else [coder_b]
            for coder in take:
                out += [(c, x, y, note) for x, y in _clip(spans.get((coder, c), empty), s, e)]
        if decided:
            out += [(c, s, e, note) for c in decided[1]]
    for r in current[current["coder"] == as_coder].itertuples(index=False):  # earlier consensus outside those
        out += [(r.code_id, x, y, r.memo or "") for x, y in _outside(int(r.start), int(r.end), sorted(holes))]
    if not out:
        raise ProjectError(f"the consensus on {transcript_id} would hold no codings")
    df = pd.DataFrame([(transcript_id, as_coder, c, x, y, m) for c, x, y, m in out],
                      columns=["transcript_id", "coder", "code_id", "start", "end", "memo"])
    name = f"settled in the workbench: {transcript_id} ({coder_a} / {coder_b}, {unit})"
    merged, n_merged = merge_overlaps(df)  # every span lies in a segment of the transcript and has a codebook code
    rec = project.record_settlement(
        ImportBatch(merged, CONSENSUS, name, None, n_merged),
        [{"transcript_id": transcript_id, "segment_unit": unit, "segment_id": sid, "coder_a": coder_a,
          "coder_b": coder_b, "as_coder": as_coder, "decision": d.decision, "other_codes": "; ".join(other),
          "note": d.note.strip(), "row_key": d.key} for sid, (d, other) in chosen.items()],
        expect=expect, who=who)
    return ImportResult(batch_id=rec.batch_id, n_codings=len(merged), n_merged=n_merged,
                        n_superseded=rec.n_superseded, coders=[as_coder], transcripts=[transcript_id])


# -- retrieving coded passages --------------------------------------------------------------------------------------

RETRIEVE_COLUMNS = ["transcript_id", "segment_id", "start", "end", "speaker", "speaker_role", "text", "codes",
                    "coders", "coded", "hits", "attribution"]
_ATTRIBUTION = ("site", "role", "method", "participant")


def retrieve(project: Project, *, codes: Sequence[str] = (), match: str = "any", exclude: Sequence[str] = (),
             coders: Sequence[str] | None = None, visible_to: str | None = None,
             attributes: Mapping[str, Sequence[str]] | None = None, text: str | None = None, scope: str = "all",
             unit: str = "paragraph", include_interviewer: bool = False, limit: int = 1000) -> pd.DataFrame:
    """Passages (segments at ``unit``) by a Boolean of codes, transcript attributes and a text search.

    A segment is kept when its codings (those of ``coders``, default all, and only those ``visible_to`` may see,
    see :func:`visible_codings`) hold ``any`` (or ``all``) of ``codes`` and none of ``exclude``; when its
    transcript's attributes take one of the given values for each attribute named; and when ``text`` occurs in it
    (case-insensitive; ``scope="coded"``: inside a coded span). Returns :data:`RETRIEVE_COLUMNS`, at most ``limit``
    rows in transcript order: ``codes`` and ``coders`` joined with ``"; "``, ``coded`` the (start, end, code_id,
    coder) spans in the segment, ``hits`` the (start, end) of the text matches, ``attribution`` site, role, method
    and participant.
    """
    if match not in ("any", "all"):
        raise ProjectError(f"match must be 'any' or 'all'; got {match!r}")
    if scope not in ("all", "coded"):
        raise ProjectError(f"scope must be 'all' or 'coded'; got {scope!r}")
    cb = project.load_codebook()
    wanted = [cb.resolve(c) or c for c in codes if str(c).strip()]
    unwanted = [cb.resolve(c) or c for c in exclude if str(c).strip()]
    bad = [c for c in wanted + unwanted if c not in cb]
    if bad:
        raise ProjectError(f"unknown code(s) {', '.join(bad)}")
    needle = (text or "").strip().casefold()
    if not wanted and not needle:
        return pd.DataFrame(columns=RETRIEVE_COLUMNS)
    t = project.transcripts.set_index("transcript_id")
    keep = pd.Series(True, index=t.index)
    for attr, values in (attributes or {}).items():
        if attr not in t.columns:
            raise ProjectError(f"no transcript attribute {attr!r}")
        if values:
            keep &= t[attr].astype(str).isin([str(v) for v in values])
    codings = visible_codings(project, visible_to) if visible_to is not None else project.coding_table()
    if coders:
        codings = codings[codings["coder"].isin(list(coders))]
    segs = project.segments(unit, include_interviewer=include_interviewer,
                            transcripts=list(t.index[keep])).reset_index(drop=True)
    codings = codings[codings["transcript_id"].isin(set(segs["transcript_id"]))]
    if segs.empty:
        return pd.DataFrame(columns=RETRIEVE_COLUMNS)
    mask = np.ones(len(segs), dtype=bool)
    by_seg: dict[tuple[str, str], list] = {}
    if not codings.empty:  # every coding on every segment it overlaps
        data = _presence(codings, segs, cb.ids)
        pos = {k: i for i, k in enumerate(zip(segs["transcript_id"], segs["segment_id"]))}
        present = np.zeros((len(segs), len(cb.ids)), dtype=bool)
        rows = [pos[k] for k in zip(data.units["transcript_id"], data.units["segment_id"])]
        present[rows] = data.a
        col = {c: j for j, c in enumerate(cb.ids)}
    else:
        present, col = np.zeros((len(segs), len(cb.ids)), dtype=bool), {c: j for j, c in enumerate(cb.ids)}
    if wanted:
        hit = present[:, [col[c] for c in wanted]]
        mask &= hit.all(axis=1) if match == "all" else hit.any(axis=1)
    if unwanted:
        mask &= ~present[:, [col[c] for c in unwanted]].any(axis=1)
    for r in codings.itertuples(index=False):
        for i in np.flatnonzero(mask & (segs["transcript_id"].to_numpy() == r.transcript_id)
                                & (segs["start"].to_numpy() < r.end) & (segs["end"].to_numpy() > r.start)):
            s, e = int(segs.at[i, "start"]), int(segs.at[i, "end"])
            by_seg.setdefault(i, []).append((max(int(r.start), s), min(int(r.end), e), r.code_id, r.coder))
    out = []
    for i in np.flatnonzero(mask):
        seg = segs.iloc[i]
        coded = sorted(by_seg.get(i, []))
        hits = []
        if needle:
            low, at = seg["text"].casefold(), 0
            while (k := low.find(needle, at)) >= 0:
                a, b = int(seg["start"]) + k, int(seg["start"]) + k + len(needle)
                if scope == "all" or any(x < b and y > a for x, y, _, _ in coded):
                    hits.append((a, b))
                at = k + 1
            if not hits:
                continue
        attrs = t.loc[seg["transcript_id"]]
        attribution = ", ".join(str(attrs[a]) for a in _ATTRIBUTION if a in attrs.index and pd.notna(attrs[a]))
        out.append({**{c: seg[c] for c in ("transcript_id", "segment_id", "start", "end", "speaker", "speaker_role",
                                           "text")},
                    "codes": "; ".join(sorted({c[2] for c in coded}, key=cb.ids.index)),
                    "coders": "; ".join(sorted({c[3] for c in coded})), "coded": coded, "hits": hits,
                    "attribution": attribution})
        if len(out) >= limit:
            break
    return pd.DataFrame(out, columns=RETRIEVE_COLUMNS)


# -- team members and their sessions --------------------------------------------------------------------------------

SESSION_HOURS = 12


@dataclass(frozen=True)
class Session:
    """A signed-in member: ``token`` goes in the session cookie or an ``Authorization: Bearer`` header; ``csrf``
    must come back with every write the page makes."""

    token: str
    name: str
    role: str
    csrf: str


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def add_user(project: Project, name: str, role: str, password: str, *, replace: bool = False,
             who: str | None = None, cost: int | None = None) -> None:
    """Make ``name`` a member with ``role`` (lead, coder or viewer); the password is stored as a scrypt hash
    (:mod:`npt_coder._passwords`; ``cost`` overrides its n, for tests). Passwords have at least 8 characters."""
    name = check_coder_name(name)
    if role not in ROLES:
        raise ProjectError(f"role must be one of {', '.join(ROLES)}; got {role!r}")
    if len(password) < 8:
        raise ProjectError("a password has at least 8 characters")
    hashed = hash_password(password) if cost is None else hash_password(password, cost=cost)
    project.add_user(name, role, hashed, replace=replace, who=who)


def sign_in(project: Project, name: str, password: str, *, hours: float = SESSION_HOURS) -> Session:
    """Check a member's password and open a session of ``hours``; :class:`~npt_coder.errors.AccessError` (the
    same words whether the name or the password was wrong) otherwise."""
    login = project.user_login((name or "").strip())
    if not verify_password(password or "", login[1] if login else None) or login is None:
        raise AccessError("unknown name or wrong password")
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
    ends = _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0) + _dt.timedelta(hours=hours)
    project.add_session(_token_hash(token), name.strip(), csrf, ends.isoformat())
    return Session(token, name.strip(), login[0], csrf)


def session_for(project: Project, token: str | None) -> Session | None:
    """The session a token belongs to, if it is still open and its member current."""
    if not token:
        return None
    found = project.session(_token_hash(token))
    return Session(token, *found) if found else None


def sign_out(project: Project, token: str) -> None:
    project.end_session(_token_hash(token))
