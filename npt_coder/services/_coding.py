"""Services of the workbench's coding: one coding at a time, blind double-coding (who sees whose codings), the
study at a glance, and retrieving coded passages."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from .._consensus import CONSENSUS, individual_coders, reviewed
from .._words import noun
from ..agreement import agreement_table, agreement_warnings, presence_data
from ..errors import AccessError, AgreementWarning, OptionError, ProjectError
from ..store import Project
from ..themes import flagged_transcripts, mark_attribution

__all__ = ["RETRIEVE_COLUMNS", "VisibleAgreement", "check_coder_name", "code", "open_comparison", "retrieve",
           "study_overview", "visible_agreement", "visible_codings", "visible_transcripts"]

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


@dataclass(frozen=True, eq=False)
class VisibleAgreement:
    """Agreement on the transcripts opened for comparison: ``table`` as
    :func:`~npt_coder.agreement.agreement_table` gives it, ``warnings`` the cautions its rows carry
    (:func:`~npt_coder.agreement.agreement_warnings`), ``transcripts`` those compared."""

    table: pd.DataFrame
    warnings: tuple[str, ...]
    transcripts: tuple[str, ...]


def visible_agreement(project: Project, coders: Sequence[str], *, unit: str = "paragraph") -> VisibleAgreement:
    """Agreement between ``coders`` at ``unit`` (one of :data:`~npt_coder.agreement.AGREEMENT_UNITS`) as
    ``npt-coder agree`` computes it, without intervals, on the transcripts a lead opened for comparison only
    (blind double-coding hides the rest); :class:`~npt_coder.errors.AccessError` while none is open. The table's
    flags travel as ``warnings``, as the CLI prints them, not as Python warnings."""
    opened = sorted(visible_transcripts(project))
    if not opened:
        raise AccessError("no transcript is open for comparison yet: a lead opens it on the transcript's page")
    table = _agreement(project, coders, unit=unit, transcripts=opened)
    return VisibleAgreement(table, tuple(agreement_warnings(table)), tuple(opened))


def _agreement(project: Project, coders: Sequence[str], **options) -> pd.DataFrame:
    with warnings.catch_warnings():  # the rows' flags (caution) carry what these would say
        warnings.simplefilter("ignore", AgreementWarning)
        return agreement_table(project, coders=list(coders), ci=None, **options)


def _presence(codings: pd.DataFrame, segments: pd.DataFrame, codes: Sequence[str]):
    """Presence of each code on each segment for the given codings taken together (any coder)."""
    pooled = codings.assign(coder="_")
    return presence_data(pooled, "_", "_", unit="segment", codes=list(codes), segments=segments)


def study_overview(project: Project) -> pd.DataFrame:
    """One row per transcript for the workbench's home page: transcript_id, the attributes, n_words, n_turns,
    ``progress`` (coder -> share of participant turns with at least one of their codings), ``double_coded``
    (two coders or more besides consensus and a machine's suggestions), ``comparison_open``, and ``kappa``
    (pooled Cohen's kappa of the first two coders on paragraphs, for double-coded transcripts open for comparison;
    else NaN)."""
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
    people = set(individual_coders(codings))  # neither the consensus nor a machine's suggestions double-code
    coders_of = [sorted(c for c in p if c in people) for p in t["progress"]]
    t["double_coded"] = [len(c) >= 2 for c in coders_of]
    t["comparison_open"] = t["transcript_id"].isin(opened)
    t["kappa"] = np.nan
    for i, (tid, coders) in enumerate(zip(t["transcript_id"], coders_of)):
        if tid in opened and len(coders) >= 2:
            table = _agreement(project, sorted(coders)[:2], by=["pooled"], transcripts=[tid])
            t.loc[i, "kappa"] = float(table["cohen_kappa"].iloc[0]) if len(table) else np.nan
    return t


# -- retrieving coded passages --------------------------------------------------------------------------------------

RETRIEVE_COLUMNS = ["transcript_id", "segment_id", "start", "end", "speaker", "speaker_role", "text", "codes",
                    "coders", "coded", "hits", "attribution", "flagged"]
_ATTRIBUTION = ("site", "role", "method", "participant")


def retrieve(project: Project, *, codes: Sequence[str] = (), match: str = "any", exclude: Sequence[str] = (),
             coders: Sequence[str] | None = None, visible_to: str | None = None,
             attributes: Mapping[str, Sequence[str]] | None = None, text: str | None = None, scope: str = "all",
             unit: str = "paragraph", include_interviewer: bool = False, limit: int = 1000) -> pd.DataFrame:
    """Passages (segments at ``unit``) by a Boolean of codes, transcript attributes and a text search.

    A segment is kept when its codings (those of ``coders``, default every coder's but machine suggestions no
    coder accepted yet, and only those ``visible_to`` may see, see :func:`visible_codings`) hold ``any`` (or ``all``) of ``codes`` and none of ``exclude``; when its
    transcript's attributes take one of the given values for each attribute named; and when ``text`` occurs in it
    (case-insensitive; ``scope="coded"``: inside a coded span). Returns :data:`RETRIEVE_COLUMNS`, at most ``limit``
    rows in transcript order: ``codes`` and ``coders`` joined with ``"; "``, ``coded`` the (start, end, code_id,
    coder) spans in the segment, ``hits`` the (start, end) of the text matches, ``attribution`` site, role, method
    and participant, with :data:`~npt_coder.themes.FLAG_MARK` after it and ``flagged`` true when the transcript was
    added with findings of the anonymisation check accepted (as on every quote the themes show).
    """
    if match not in ("any", "all"):
        raise OptionError(f"match must be 'any' or 'all'; got {match!r}")
    if scope not in ("all", "coded"):
        raise OptionError(f"scope must be 'all' or 'coded'; got {scope!r}")
    cb = project.load_codebook()
    wanted = [cb.resolve(c) or c for c in codes if str(c).strip()]
    unwanted = [cb.resolve(c) or c for c in exclude if str(c).strip()]
    bad = [c for c in wanted + unwanted if c not in cb]
    if bad:
        raise ProjectError(f"unknown {noun(len(bad), 'code')} {', '.join(bad)}")
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
    codings = codings[codings["coder"].isin(list(coders))] if coders else codings[reviewed(codings)]
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
    flagged = flagged_transcripts(project)
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
                    "attribution": mark_attribution(attribution, seg["transcript_id"] in flagged),
                    "flagged": seg["transcript_id"] in flagged})
        if len(out) >= limit:
            break
    return pd.DataFrame(out, columns=RETRIEVE_COLUMNS)
