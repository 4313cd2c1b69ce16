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

import warnings
from itertools import combinations
from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from .._consensus import individual_coders
from .._words import noun
from ..errors import AgreementWarning, NptCoderError, UndefinedStatisticWarning
from ._ac import brennan_prediger, gwet_ac1, percent_agreement
from ._alpha import krippendorff_alpha
from ._bootstrap import bootstrap_ci
from ._counts import (
    brennan_prediger_from_counts,
    cohen_kappa_from_counts,
    gwet_ac1_from_counts,
    krippendorff_alpha_from_counts,
    percent_agreement_from_counts,
    unit_types,
)
from ._flags import FEW_CLUSTERS, RARE_BELOW, cluster_message, flag_rows
from ._kappa import conger_kappa, fleiss_kappa
from ._presence import COMPARISONS, AgreementData, coded_transcripts, presence_data, segment_presence
from ._result import interpret
from ._units import AgreementUnit, split_unit
from ._variance import analytic_se, counts_se

__all__ = ["COMPARISONS", "TABLE_COLUMNS", "AgreementData", "agreement_table", "multi_coder_table", "presence_data"]

TABLE_COLUMNS = [
    "level", "key", "label", "coder_a", "coder_b", "unit", "n_units", "both", "only_a", "only_b", "neither",
    "prevalence", "percent_agreement", "cohen_kappa", "kappa_ci_low", "kappa_ci_high", "kappa_se", "kappa_se_low",
    "kappa_se_high", "krippendorff_alpha", "alpha_ci_low", "alpha_ci_high", "alpha_se", "alpha_se_low",
    "alpha_se_high", "gwet_ac1", "ac1_se", "ac1_se_low", "ac1_se_high", "brennan_prediger", "kappa_label",
    "alpha_label", "caution", "note", "n_transcripts", "transcripts",
]
"""The columns of :func:`agreement_table`, in order (see its Returns section)."""
_SE = {"cohen_kappa": "kappa", "krippendorff_alpha": "alpha", "gwet_ac1": "ac1"}
MULTI_STATISTICS = {"percent_agreement": percent_agreement, "fleiss_kappa": fleiss_kappa, "conger_kappa": conger_kappa,
                    "gwet_ac1": gwet_ac1, "brennan_prediger": brennan_prediger,
                    "krippendorff_alpha": krippendorff_alpha}
_LEVELS = ("code", "transcript", "construct", "domain", "pooled")


def _stats(counts: np.ndarray, unit: str, n_codes_for_bp: int | None = None,
           confidence: float = 0.95) -> dict[str, np.ndarray]:
    """Point estimates and Gwet's analytic se and interval for counts of shape (..., 4); never warns (undefined ->
    nan, explained in the flags)."""
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
        for short in _SE.values():
            out.update({f"{short}_se": nan, f"{short}_se_low": nan, f"{short}_se_high": nan})
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
    for statistic, short in _SE.items():
        _, se, low, high = counts_se(counts, statistic, confidence=confidence)
        out.update({f"{short}_se": se, f"{short}_se_low": low, f"{short}_se_high": high})
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
        percentile bootstrap CIs (``*_ci_low``/``*_ci_high``) and, beside them, Gwet's (2014) analytic standard
        error with its t-based interval (``kappa_se``, ``kappa_se_low``, ``kappa_se_high``; the same for
        ``alpha`` and for Gwet's AC1, ``ac1_*``), Brennan-Prediger, ``kappa_label`` on the Landis & Koch
        (1977) scale and ``alpha_label`` on Krippendorff's (2004) 0.667/0.800 scale, ``caution`` and ``note``
        (see :mod:`npt_coder.agreement._flags` and :func:`agreement_warnings`), and the transcripts compared.
        Statistics that are undefined for a row (e.g. a code neither coder used: no variation) are ``nan``.

    Warns
    -----
    AgreementWarning
        With ``cluster=True`` and fewer than 10 transcripts: a bootstrap of :math:`k` clusters has only
        :math:`\binom{2k-1}{k}` distinct resamples (10 for 3 transcripts), so its interval is too narrow to trust.
        The rows are flagged ``few_clusters`` too. Per-transcript rows always resample that transcript's units
        (one transcript is one cluster).

    Notes
    -----
    Each unit is rated present or absent for each code by both coders, so every statistic has the two declared
    categories {present, absent} (a code nobody applied has AC1 = Brennan-Prediger = 1, kappa and alpha
    undefined) and there are no missing ratings at this level. The analytic standard error treats the units
    (unit x code decisions in group rows) as a sample from a larger population of units, the coders as fixed
    (Gwet's variance conditional on the units, as irrCAC's raw-data functions compute it); it does not know
    that segments of one transcript hang together, which the cluster bootstrap does.
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
    overlap_notes: dict[tuple[str, str], str] = {}
    rng_seed = seed
    for coder_a, coder_b in combinations(coders, 2):
        data = presence_data(codings, coder_a, coder_b, unit=unit, codes=codes, segments=segments, lengths=lengths,
                             min_overlap=min_overlap, overlap_threshold=overlap_threshold, transcripts=transcripts)
        if not data.transcripts:
            continue
        rows += _pair_rows(data, meta, by, ci, n_resamples, cluster, rng_seed)
        rng_seed += 1
        if unit == "overlap":
            overlap_notes[(coder_a, coder_b)] = _overlap_note(codings, coder_a, coder_b, data.transcripts,
                                                              overlap_threshold)
    if not rows:
        raise NptCoderError(f"no transcript was coded by two of {', '.join(coders)}; agreement needs double-coding")
    table = pd.DataFrame(rows)
    if len(list(combinations(coders, 2))) > 1 and "pooled" in by:
        pooled = table[table["level"] == "pooled"]
        counts = pooled[["both", "only_a", "only_b", "neither"]].to_numpy().sum(axis=0)
        st = _stats(counts, unit, len(codes) if unit == "overlap" else None, confidence=ci or 0.95)
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
    resampled_clusters = cluster and ci is not None and unit in ("segment", "document")
    table["caution"], table["note"] = flag_rows(table, cluster=resampled_clusters, overlap_notes=overlap_notes)
    if resampled_clusters:
        k = int(table.loc[table["level"] == "pooled", "n_transcripts"].max())
        if k < FEW_CLUSTERS:
            warnings.warn(cluster_message(k), AgreementWarning, stacklevel=2)
    return table[TABLE_COLUMNS]


def _overlap_note(codings: pd.DataFrame, a: str, b: str, transcripts: list[str], threshold: float) -> str:
    """Why no span matched at the overlap unit: the two coders' span lengths, and what to do instead."""
    sub = codings[codings["transcript_id"].isin(transcripts)]
    length = {c: float(np.median((sub.loc[sub["coder"] == c, "end"] - sub.loc[sub["coder"] == c, "start"])))
              for c in (a, b)}
    head = (f"no span of {a} matched a span of {b} at {threshold:.0%} overlap of their union: {a}'s spans have a "
            f"median of {length[a]:,.0f} characters, {b}'s {length[b]:,.0f}")
    short, long_ = sorted(length.values())
    if long_ >= 2 * max(short, 1.0):
        return (head + " (as when one coder codes whole paragraphs and the other phrases); compare on a segment "
                "unit instead (--unit segment, unit='paragraph' in Python), where a code counts on every segment "
                "a span touches")
    return (head + ", similar lengths that never line up; lower the threshold (--threshold) or compare on a segment "
            "unit (--unit segment)")


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
        st = _stats(code_counts, data.unit, confidence=ci or 0.95)
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
        st = _stats(counts, data.unit, bp_q if level == "pooled" else None, confidence=ci or 0.95)
        row = {"level": level, "key": key, "label": label, **base, **_row_values(counts, st)}
        if want_ci:
            if per_unit and cluster and level != "transcript":  # whole transcripts resampled, codes together
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
    """Agreement of three or more coders at once, per code and pooled: every multi-coder coefficient.

    Units are the segments ``unit`` names (turns, paragraphs or sentences), or transcripts for
    ``unit="document"``, of the transcripts coded by at least two of the coders; a coder who did not code a
    transcript is *missing* on its units (not "absent"). Missing ratings follow Gwet (2014), as irrCAC: percent
    agreement over the units rated by two or more coders, the chance agreement (category propensities, each
    coder's distribution for Conger's kappa) over every unit rated by at least one; Krippendorff's alpha uses the
    pairable values. The categories are {present, absent} for every code. Columns: code_id, n_units (units with
    two or more ratings), n_coders, percent_agreement, fleiss_kappa, conger_kappa, gwet_ac1, brennan_prediger,
    krippendorff_alpha, Gwet's analytic se of AC1 with its interval (ac1_se, ac1_se_low, ac1_se_high), caution
    ("rare" when a coder applied the code on fewer than 5 units) and note, transcripts. ``project`` is anything with
    ``codings``, ``codebook`` and ``segments()``, as :class:`npt_coder.Project`. ``segment_unit`` is deprecated
    as in :func:`agreement_table`.
    """
    unit, kind = split_unit(unit, segment_unit)  # kind: the segments compared
    if unit not in ("segment", "document"):
        raise NptCoderError("the all-coders table works at the segment or document unit")
    codings = project.codings
    codes = project.codebook["code_id"].tolist()
    coded_by = {c: coded_transcripts(codings, c) for c in coders}
    shared = sorted(t for t in set().union(*coded_by.values()) if sum(t in s for s in coded_by.values()) >= 2)
    if not shared:
        raise NptCoderError("no transcript was coded by two or more of the coders")
    if unit == "segment":
        seg = project.segments(kind, include_interviewer=include_interviewer)
        seg = seg[seg["transcript_id"].isin(shared)].sort_values(["transcript_id", "start"]).reset_index(drop=True)
        presence = {c: segment_presence(codings, seg, codes, c, 1) for c in coders}
        unit_t = seg["transcript_id"].to_numpy()
    else:
        pos = {t: i for i, t in enumerate(shared)}
        presence = {}
        for c in coders:
            m = np.zeros((len(shared), len(codes)), dtype=bool)
            mine = codings[(codings["coder"] == c) & codings["transcript_id"].isin(pos)
                           & codings["code_id"].isin(codes)]
            col = {k: i for i, k in enumerate(codes)}
            m[mine["transcript_id"].map(pos).to_numpy(), mine["code_id"].map(col).to_numpy()] = True
            presence[c] = m
        unit_t = np.array(shared)
    rated = {c: np.isin(unit_t, list(coded_by[c])) for c in coders}
    rows = []
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
            row = {"code_id": code, "n_units": int((np.sum(~np.isnan(matrix), axis=1) >= 2).sum()),
                   "n_coders": len(coders)}
            for name, f in MULTI_STATISTICS.items():
                row[name] = f(matrix, categories=(0.0, 1.0))
            ac1 = analytic_se(matrix, "gwet_ac1", categories=(0.0, 1.0))
            row.update(ac1_se=ac1.se, ac1_se_low=ac1.ci_low, ac1_se_high=ac1.ci_high)
        positives = np.nansum(matrix, axis=0)
        row["caution"] = "rare" if positives.min() < RARE_BELOW else ""
        row["note"] = (f"too rare to judge: the coders applied it on {', '.join(str(int(p)) for p in positives)} "
                       f"{noun(int(positives.max()), 'unit')} (fewer than {RARE_BELOW} from a "
                       f"coder)") if row["caution"] else ""
        rows.append(row)
    return pd.DataFrame(rows).assign(transcripts=", ".join(shared))
