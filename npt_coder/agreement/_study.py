"""Study-level agreement: from coded spans to per-code, per-transcript, per-domain and pooled tables.

Two coders' spans are turned into presence/absence of each code on each *unit*, and the unit-type counts
(both / only A / only B / neither) feed the vectorised statistics of :mod:`npt_coder.agreement._counts`.

Units
-----
``turn``, ``paragraph``, ``sentence`` (the segment units)
    Each segment of that kind (participant talk only unless ``include_interviewer``) x code: present for a coder
    when one of that coder's spans of the code overlaps the segment by at least ``min_overlap`` characters
    (default 1). The table's ``unit`` column says ``segment`` for all three.
``character``
    Each character of the transcript x code, as NVivo's coding comparison does (all characters, labels included).
``document``
    Each transcript x code: present when the coder used the code anywhere in it, as MAXQDA's code-existence mode.
``overlap``
    MAXQDA-style span matching: a span of one coder is *agreed* when the other coder has the same code on a span
    whose overlap with it is at least ``overlap_threshold`` (default 0.9) of their union. Every span of both
    coders is one unit: agreed spans count as ``both``, the others as ``only_a``/``only_b``; there is no
    ``neither`` cell, so percent agreement is agreed / all spans and kappa-type statistics are left empty except
    Brennan-Prediger in the pooled row, which MAXQDA computes with chance agreement 1 / (number of codes).

Only transcripts that *both* coders coded (at least one coding each) count; every row lists them.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from .._consensus import individual_coders
from ..errors import NptCoderError
from ._bootstrap import bootstrap_ci
from ._counts import (
    brennan_prediger_from_counts,
    cohen_kappa_from_counts,
    gwet_ac1_from_counts,
    krippendorff_alpha_from_counts,
    percent_agreement_from_counts,
    unit_types,
)
from ._result import interpret
from ._units import AgreementUnit, split_unit

__all__ = ["COMPARISONS", "TABLE_COLUMNS", "AgreementData", "agreement_table", "multi_coder_table", "presence_data"]

COMPARISONS = ("segment", "character", "document", "overlap")
"""What :func:`presence_data` compares: the segments it is given, characters, documents or matched spans."""
TABLE_COLUMNS = [
    "level", "key", "label", "coder_a", "coder_b", "unit", "n_units", "both", "only_a", "only_b", "neither",
    "prevalence", "percent_agreement", "cohen_kappa", "kappa_ci_low", "kappa_ci_high", "krippendorff_alpha",
    "alpha_ci_low", "alpha_ci_high", "gwet_ac1", "brennan_prediger", "kappa_label", "alpha_label",
    "n_transcripts", "transcripts",
]
_LEVELS = ("code", "transcript", "construct", "domain", "pooled")


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


def _coded_transcripts(codings: pd.DataFrame, coder: str) -> set[str]:
    return set(pd.unique(codings["transcript_id"].to_numpy()[codings["coder"].to_numpy() == coder]))


def _segment_presence(codings: pd.DataFrame, segments: pd.DataFrame, codes: list[str], coder: str,
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
    both = sorted(_coded_transcripts(codings, coder_a) & _coded_transcripts(codings, coder_b))
    if transcripts is not None:
        both = [t for t in both if t in set(transcripts)]
    codes = list(codes)
    sub = codings[codings["transcript_id"].isin(both) & codings["coder"].isin([coder_a, coder_b])]
    if unit == "segment":
        if segments is None:
            raise NptCoderError("the segment unit needs the project's segments (pass a project, or segments=)")
        seg = segments[segments["transcript_id"].isin(both)].sort_values(["transcript_id", "start"], kind="stable")
        seg = seg.reset_index(drop=True)
        a = _segment_presence(sub, seg, codes, coder_a, min_overlap)
        b = _segment_presence(sub, seg, codes, coder_b, min_overlap)
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


def _stats(counts: np.ndarray, unit: str, n_codes_for_bp: int | None = None) -> dict[str, np.ndarray]:
    """Point estimates for counts of shape (..., 4); never warns (undefined -> nan, explained in the docs)."""
    counts = np.asarray(counts, dtype=np.int64)
    n = counts.sum(axis=-1)
    total_ratings = np.maximum(2 * n, 1)
    out = {
        "n_units": n,
        "prevalence": np.where(n > 0, (2 * counts[..., 0] + counts[..., 1] + counts[..., 2]) / total_ratings, np.nan),
        "percent_agreement": percent_agreement_from_counts(counts, warn=False),
    }
    if unit == "overlap":
        nan = np.full(n.shape, np.nan)
        out.update(cohen_kappa=nan, krippendorff_alpha=nan, gwet_ac1=nan, brennan_prediger=nan)
        if n_codes_for_bp:
            q = n_codes_for_bp
            p_o = out["percent_agreement"]
            out["brennan_prediger"] = np.where(np.isnan(p_o), np.nan, (p_o - 1 / q) / (1 - 1 / q))
        return out
    out.update(
        cohen_kappa=cohen_kappa_from_counts(counts, warn=False),
        krippendorff_alpha=krippendorff_alpha_from_counts(counts, warn=False),
        gwet_ac1=gwet_ac1_from_counts(counts, warn=False),
        brennan_prediger=brennan_prediger_from_counts(counts, warn=False),
    )
    return out


def _pooled(stat):
    return lambda c: stat(np.asarray(c).sum(axis=-2), warn=False)


def agreement_table(
    source,
    *,
    coders: Sequence[str] | None = None,
    unit: AgreementUnit = "paragraph",
    by: Sequence[str] = _LEVELS,
    min_overlap: int = 1,
    overlap_threshold: float = 0.9,
    include_interviewer: bool = False,
    ci: float | None = 0.95,
    n_resamples: int = 1000,
    cluster: bool = False,
    transcripts: Iterable[str] | None = None,
    segments: pd.DataFrame | None = None,
    codebook: pd.DataFrame | None = None,
    seed: int = 0,
    segment_unit: str | None = None,
) -> pd.DataFrame:
    """Agreement between every pair of ``coders`` per code, transcript, construct, domain and pooled.

    Parameters
    ----------
    source : Project or pandas.DataFrame
        A project (anything with ``codings``, ``codebook``, ``transcripts`` and ``segments()`` as
        :class:`npt_coder.Project` has; codings, segments, transcript lengths and codebook come from it), or a
        codings table with columns transcript_id, coder, code_id, start, end; then ``segments`` (transcript_id,
        segment_id, start, end, of the kind ``unit`` names) enables the segment units, ``codebook`` (code_id, name,
        domain, construct_id, construct) gives the codes (default: those coded), and characters are counted up
        to the last coded one.
    coders : sequence of str, optional
        Coders to compare pairwise (default: every coder with codings, except ``consensus``).
    unit : {"paragraph", "turn", "sentence", "character", "document", "overlap"}, default "paragraph"
        One of :data:`AGREEMENT_UNITS`; see the module docstring.
    by : sequence of str
        Which levels of rows to give: "code", "transcript", "construct", "domain", "pooled".
    ci : float or None
        Confidence level of the percentile bootstrap intervals for kappa and alpha (None: no intervals).
    n_resamples : int
        Bootstrap resamples (units resampled within each row; see ``cluster``).
    cluster : bool
        For a segment unit, resample whole transcripts (clusters) rather than segments.
    transcripts : iterable of str, optional
        Restrict to these transcripts.
    seed : int
        Seed of the bootstrap, so intervals are reproducible.
    segment_unit : str, optional
        Deprecated since 0.2 (goes in 0.3): give the segment as ``unit`` (``unit="sentence"`` for
        ``unit="segment", segment_unit="sentence"``).

    Returns
    -------
    pandas.DataFrame
        One row per level x key x coder pair with :data:`TABLE_COLUMNS`: counts of the four unit types,
        prevalence (share of "present" ratings), percent agreement, Cohen's kappa and Krippendorff's alpha with
        bootstrap CIs, Gwet's AC1, Brennan-Prediger, ``kappa_label`` on the Landis & Koch (1977) scale and
        ``alpha_label`` on Krippendorff's (2004) 0.667/0.800 scale, and the transcripts compared. Statistics
        that are undefined for a row (e.g. a code neither coder used: no variation) are ``nan``.
    """
    unit, kind = split_unit(unit, segment_unit)  # kind: the segments compared
    if not isinstance(source, pd.DataFrame) and hasattr(source, "codings"):  # a project
        codings = source.codings
        codebook = source.codebook
        segments = source.segments(kind, include_interviewer=include_interviewer) if unit == "segment" \
            else None
        lengths = {t: len(x) for t, x in source.transcripts[["transcript_id", "text"]].itertuples(index=False)}
        code_frame = codebook[["code_id", "name", "domain", "construct_id", "construct"]]
    else:
        codings = pd.DataFrame(source)
        lengths = None
        if codebook is not None:
            code_frame = codebook[["code_id", "name", "domain", "construct_id", "construct"]]
        else:
            ids = sorted(codings["code_id"].unique())
            code_frame = pd.DataFrame({"code_id": ids, "name": ids, "domain": "", "construct_id": "",
                                       "construct": ""})
    unknown_levels = sorted(set(by) - set(_LEVELS))
    if unknown_levels:
        raise NptCoderError(f"by must name levels among {', '.join(_LEVELS)}; got {', '.join(unknown_levels)}")
    present = set(pd.unique(codings["coder"]))
    available = individual_coders(codings)
    coders = list(coders) if coders is not None else available
    missing = [c for c in coders if c not in present]
    if missing:
        raise NptCoderError(f"no codings by {', '.join(missing)} (coders with codings: {', '.join(available)})")
    if len(coders) < 2:
        raise NptCoderError("agreement needs at least two coders; give --coders A,B")
    codes = code_frame["code_id"].tolist()
    meta = code_frame.set_index("code_id")
    rows: list[dict] = []
    rng_seed = seed
    for coder_a, coder_b in combinations(coders, 2):
        data = presence_data(codings, coder_a, coder_b, unit=unit, codes=codes, segments=segments, lengths=lengths,
                             min_overlap=min_overlap, overlap_threshold=overlap_threshold, transcripts=transcripts)
        if not data.transcripts:
            continue
        rows += _pair_rows(data, meta, by, ci, n_resamples, cluster, rng_seed)
        rng_seed += 1
    if not rows:
        raise NptCoderError(f"no transcript was coded by two of {', '.join(coders)}; agreement needs double-coding")
    table = pd.DataFrame(rows)
    if len(list(combinations(coders, 2))) > 1 and "pooled" in by:
        pooled = table[table["level"] == "pooled"]
        counts = pooled[["both", "only_a", "only_b", "neither"]].to_numpy().sum(axis=0)
        st = _stats(counts, unit, len(codes) if unit == "overlap" else None)
        rows_all = {"level": "pooled", "key": "all pairs", "label": "All coder pairs", "coder_a": "*", "coder_b": "*",
                    "unit": pooled["unit"].iloc[0], **_row_values(counts, st),
                    "transcripts": ", ".join(sorted({t for ts in pooled["transcripts"] for t in ts.split(", ")}))}
        rows_all["n_transcripts"] = len(rows_all["transcripts"].split(", "))
        table = pd.concat([table, pd.DataFrame([rows_all])], ignore_index=True)
    for col in TABLE_COLUMNS:
        if col not in table.columns:
            table[col] = np.nan
    table["kappa_label"] = interpret(table["cohen_kappa"].to_numpy(), scale="landis_koch")
    table["alpha_label"] = interpret(table["krippendorff_alpha"].to_numpy(), scale="krippendorff")
    return table[TABLE_COLUMNS]


def _row_values(counts, st) -> dict:
    counts = np.asarray(counts)
    return {"n_units": int(counts.sum()), "both": int(counts[0]), "only_a": int(counts[1]),
            "only_b": int(counts[2]), "neither": int(counts[3]),
            **{k: float(np.asarray(v)) for k, v in st.items() if k != "n_units"}}


def _pair_rows(data: AgreementData, meta: pd.DataFrame, by, ci, n_resamples, cluster, seed) -> list[dict]:
    unit_name = data.unit if data.unit != "segment" else "segment"
    per_unit = data.counts is None
    if per_unit:
        types = unit_types(data.a, data.b)  # (n_units, n_codes)
        code_counts = np.stack([(types == k).sum(axis=0) for k in range(4)], axis=-1)  # (n_codes, 4)
        tids = data.units["transcript_id"].to_numpy()
    else:
        types = None
        code_counts = data.counts
    bp_q = len(data.codes) if data.unit == "overlap" else None
    base = {"coder_a": data.coder_a, "coder_b": data.coder_b, "unit": unit_name}
    all_t = ", ".join(data.transcripts)
    rows: list[dict] = []
    want_ci = ci is not None and data.unit != "overlap"

    def cis(counts, stat_name, pooled_axis=False, group_types=None, group_clusters=None):
        if not want_ci:
            return np.nan, np.nan
        fn = {"kappa": cohen_kappa_from_counts, "alpha": krippendorff_alpha_from_counts}[stat_name]
        if group_types is not None:
            f = _pooled(fn) if pooled_axis else (lambda c: fn(c, warn=False))
            lo, hi = bootstrap_ci(group_types, f, kind="types", clusters=group_clusters, n_resamples=n_resamples,
                                  confidence=ci, seed=seed, warn=False)
        else:
            lo, hi = bootstrap_ci(counts, lambda c: fn(c, warn=False), kind="counts", n_resamples=n_resamples,
                                  confidence=ci, seed=seed, warn=False)
        return lo, hi

    if "code" in by:
        st = _stats(code_counts, data.unit)
        if want_ci and cluster and per_unit:
            k_lo, k_hi = cis(None, "kappa", group_types=types, group_clusters=tids)
            a_lo, a_hi = cis(None, "alpha", group_types=types, group_clusters=tids)
        else:
            k_lo, k_hi = cis(code_counts, "kappa")
            a_lo, a_hi = cis(code_counts, "alpha")
        for j, code in enumerate(data.codes):
            m = meta.loc[code]
            row = {"level": "code", "key": code, "label": f"{code} {m['name']}", **base,
                   **_row_values(code_counts[j], {k: np.asarray(v)[j] for k, v in st.items()})}
            if want_ci:
                row.update(kappa_ci_low=float(np.asarray(k_lo)[j]), kappa_ci_high=float(np.asarray(k_hi)[j]),
                           alpha_ci_low=float(np.asarray(a_lo)[j]), alpha_ci_high=float(np.asarray(a_hi)[j]))
            row.update(n_transcripts=len(data.transcripts), transcripts=all_t)
            rows.append(row)

    def group_row(level, key, label, mask_codes, tmask=None, t_list=None):
        if per_unit:
            sel_units = np.ones(len(types), bool) if tmask is None else tmask
            sub_types = types[sel_units][:, mask_codes]
            counts = np.stack([(sub_types == k).sum() for k in range(4)])
            clusters = tids[sel_units]
        else:
            if t_list is None:
                counts = data.counts[mask_codes].sum(axis=0)
            else:
                counts = sum(data.counts_by_transcript[t][mask_codes].sum(axis=0) for t in t_list)
            sub_types, clusters = None, None
        st = _stats(counts, data.unit, bp_q if level == "pooled" else None)
        row = {"level": level, "key": key, "label": label, **base, **_row_values(counts, st)}
        if want_ci:
            if per_unit and cluster:  # whole transcripts resampled, all codes of the group together
                k = cis(None, "kappa", pooled_axis=True, group_types=sub_types, group_clusters=clusters)
                a = cis(None, "alpha", pooled_axis=True, group_types=sub_types, group_clusters=clusters)
            else:  # unit x code pairs resampled (multinomial on the four type counts)
                k, a = cis(counts, "kappa"), cis(counts, "alpha")
            row.update(kappa_ci_low=float(k[0]), kappa_ci_high=float(k[1]), alpha_ci_low=float(a[0]),
                       alpha_ci_high=float(a[1]))
        ts = t_list if t_list is not None else data.transcripts
        row.update(n_transcripts=len(ts), transcripts=", ".join(ts))
        return row

    all_codes = np.ones(len(data.codes), dtype=bool)
    if "transcript" in by:
        for tid in data.transcripts:
            tmask = (tids == tid) if per_unit else None
            rows.append(group_row("transcript", tid, tid, all_codes, tmask=tmask, t_list=[tid]))
    if "construct" in by:
        cons = meta["construct_id"].reindex(data.codes).fillna("")
        for cid in pd.unique(cons):
            if not cid:
                continue
            mask = (cons == cid).to_numpy()
            name = meta.loc[cons.index[mask][0], "construct"]
            rows.append(group_row("construct", cid, f"{cid} {name}", mask))
    if "domain" in by:
        doms = meta["domain"].reindex(data.codes).fillna("")
        for dom in pd.unique(doms):
            if not dom:
                continue
            rows.append(group_row("domain", dom, dom.title(), (doms == dom).to_numpy()))
    if "pooled" in by:
        rows.append(group_row("pooled", "all codes", "All codes", all_codes))
    return rows


def multi_coder_table(project, *, coders: Sequence[str], unit: str = "paragraph", include_interviewer: bool = False,
                      segment_unit: str | None = None) -> pd.DataFrame:
    """Fleiss' kappa and Krippendorff's alpha per code (and pooled) across three or more coders.

    Units are the segments ``unit`` names (turns, paragraphs or sentences), or transcripts for
    ``unit="document"``, of the transcripts coded by at least two of the coders; a coder who did not code a
    transcript is *missing* on its units (not "absent"), which alpha handles directly and Fleiss' kappa handles as
    documented in :func:`fleiss_kappa` (units with two or more ratings). ``project`` is anything with
    ``codings``, ``codebook`` and ``segments()``, as :class:`npt_coder.Project`. ``segment_unit`` is deprecated
    as in :func:`agreement_table`.
    """
    from ._alpha import krippendorff_alpha
    from ._kappa import fleiss_kappa

    unit, kind = split_unit(unit, segment_unit)  # kind: the segments compared
    if unit not in ("segment", "document"):
        raise NptCoderError("the all-coders table works at the segment or document unit")
    codings = project.codings
    codes = project.codebook["code_id"].tolist()
    coded_by = {c: _coded_transcripts(codings, c) for c in coders}
    shared = sorted(t for t in set().union(*coded_by.values()) if sum(t in s for s in coded_by.values()) >= 2)
    if not shared:
        raise NptCoderError("no transcript was coded by two or more of the coders")
    if unit == "segment":
        seg = project.segments(kind, include_interviewer=include_interviewer)
        seg = seg[seg["transcript_id"].isin(shared)].sort_values(["transcript_id", "start"]).reset_index(drop=True)
        presence = {c: _segment_presence(codings, seg, codes, c, 1) for c in coders}
        unit_t = seg["transcript_id"].to_numpy()
    else:
        pos = {t: i for i, t in enumerate(shared)}
        presence = {}
        for c in coders:
            m = np.zeros((len(shared), len(codes)), dtype=bool)
            mine = codings[(codings["coder"] == c) & codings["transcript_id"].isin(pos) & codings["code_id"].isin(codes)]
            m[mine["transcript_id"].map(pos).to_numpy(), mine["code_id"].map({k: i for i, k in enumerate(codes)})] = True
            presence[c] = m
        unit_t = np.array(shared)
    rated = {c: np.isin(unit_t, list(coded_by[c])) for c in coders}
    rows = []
    import warnings

    from ..errors import UndefinedStatisticWarning

    for j, code in enumerate(codes + ["all codes"]):
        cols = []
        for c in coders:
            if code == "all codes":
                vals = presence[c].astype(float).T.reshape(-1)
                mask = np.tile(rated[c], len(codes))
            else:
                vals = presence[c][:, j].astype(float)
                mask = rated[c]
            cols.append(np.where(mask, vals, np.nan))
        matrix = np.column_stack(cols)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UndefinedStatisticWarning)
            rows.append({"code_id": code, "n_units": int((np.sum(~np.isnan(matrix), axis=1) >= 2).sum()),
                         "n_coders": len(coders), "fleiss_kappa": fleiss_kappa(matrix, categories=(0.0, 1.0)),
                         "krippendorff_alpha": krippendorff_alpha(matrix, level="nominal")})
    return pd.DataFrame(rows).assign(transcripts=", ".join(shared))
