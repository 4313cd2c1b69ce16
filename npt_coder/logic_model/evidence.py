"""Coded support: how many participants, transcripts and sites back each code and each item of a model."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping, Sequence

import pandas as pd

from .._consensus import (CONSENSUS, consensus_first, is_group_method, not_recorded, participant_ids,
                          recorded_values, reviewed, suggestions_left_out)
from .._words import and_list, count
from ..errors import LogicModelError
from ..store import TRANSCRIPT_COLUMNS
from .load import load_logic_model
from .spec import EVIDENCE_KEYS, LogicModel

if TYPE_CHECKING:  # pragma: no cover
    from ..store import Project

__all__ = ["GROUP_METHODS", "code_support", "evidence", "evidence_labels"]

#: Examples of transcript ``method`` values where each speaker is a participant. By default (``group_methods=None``)
#: the project-wide rule decides (:func:`npt_coder._consensus.is_group_method`: any method naming a group or a
#: workshop); a list given as ``group_methods`` is matched exactly instead (case and ``_``/``-`` aside).
GROUP_METHODS = ("focus group", "group interview", "workshop")


def _norm_method(value: Any) -> str:
    return " ".join(str(value).replace("_", " ").replace("-", " ").split()).casefold() if isinstance(value, str) else ""


def _select(project: "Project", coder: str | Sequence[str] | None,
            attribute_filter: Mapping[str, Any] | None) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    """Transcripts after the filter, the codings chosen on them, and a sentence saying which codings those are."""
    transcripts = project.transcripts.drop(columns=["text"])
    problems: list[str] = []
    for key, wanted in (attribute_filter or {}).items():
        if key not in transcripts.columns:
            attrs = [c for c in transcripts.columns if c not in TRANSCRIPT_COLUMNS]
            problems.append(f"attribute_filter.{key}: the transcripts have no attribute {key!r} "
                            f"(they have: {', '.join(attrs)})")
            continue
        values = [str(v) for v in (wanted if isinstance(wanted, (list, tuple, set)) else [wanted])]
        transcripts = transcripts[transcripts[key].astype(str).isin(values)]
    codings = project.codings
    left_out = suggestions_left_out(codings[codings["transcript_id"].isin(set(transcripts["transcript_id"]))])
    if coder is None:
        chosen = codings[consensus_first(codings)].reset_index(drop=True)
    else:  # a machine suggestion counts once a person accepts it, whoever is asked for
        codings = codings[reviewed(codings)]
        wanted_coders = [coder] if isinstance(coder, str) else list(coder)
        known = sorted(codings["coder"].unique())
        for c in wanted_coders:
            if c not in known:
                problems.append(f"coder: no codings by {c!r} in this project (coders: {', '.join(known) or 'none'})")
        chosen = codings[codings["coder"].isin(wanted_coders)]
    if problems:
        raise LogicModelError(problems, "the request")
    chosen = chosen[chosen["transcript_id"].isin(set(transcripts["transcript_id"]))]
    transcripts = transcripts[transcripts["transcript_id"].isin(set(chosen["transcript_id"]))]
    by_coder = chosen.groupby("coder")["transcript_id"].nunique().sort_index()
    if coder is None and CONSENSUS in by_coder.index:
        rest = and_list(f"{c} on {count(n, 'transcript')}" for c, n in by_coder.items() if c != CONSENSUS)
        text = (f"consensus coding on {count(by_coder[CONSENSUS], 'transcript')}"
                + (f", otherwise every coder's coding: {rest}" if rest else ""))
    else:
        text = and_list(f"{c} on {count(n, 'transcript')}" for c, n in by_coder.items()) or "no codings"
    if left_out:
        text += "; " + left_out[:-1]
    if attribute_filter:
        text += "; transcripts where " + ", ".join(
            f"{k} = {'/'.join(map(str, v)) if isinstance(v, (list, tuple, set)) else v}"
            for k, v in attribute_filter.items())
    return transcripts, chosen, text


def _support_rows(project: "Project", coder: str | Sequence[str] | None, attribute_filter: Mapping[str, Any] | None,
                  group_methods: Sequence[str] | None) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    """One row per (code, transcript, participant) supported by a coded span; ``participant`` is ``None`` when the
    span in a group transcript overlaps no participant's talk. Participants are counted by the project-wide rule
    (:func:`npt_coder._consensus.participant_ids`)."""
    transcripts, chosen, text = _select(project, coder, attribute_filter)
    meta = transcripts.set_index("transcript_id")
    if group_methods is None:
        is_group = {tid: is_group_method(meta.at[tid, "method"]) if "method" in meta.columns else False
                    for tid in meta.index}
    else:
        group_set = {_norm_method(m) for m in group_methods}
        is_group = {tid: _norm_method(meta.at[tid, "method"]) in group_set if "method" in meta.columns else False
                    for tid in meta.index}
    rows: list[pd.DataFrame] = []
    in_group = chosen["transcript_id"].map(lambda t: bool(is_group.get(t, False))).astype(bool)
    single = chosen[~in_group]
    if not single.empty:
        case = meta.drop(columns=[c for c in ("method",) if c in meta.columns])  # the case attribute decides here
        who = participant_ids(single["transcript_id"], pd.Series([""] * len(single)),
                              pd.Series(["participant"] * len(single)), case)
        rows.append(pd.DataFrame({"code_id": single["code_id"].to_numpy(),
                                  "transcript_id": single["transcript_id"].to_numpy(),
                                  "participant": who.astype(str)}))
    group = chosen[in_group]
    if not group.empty:
        seg = project.segments("turn", include_interviewer=False, transcripts=sorted(group["transcript_id"].unique()))
        seg = seg[seg["speaker"].notna() & (seg["speaker"].astype(str).str.strip() != "")]
        spans = group.reset_index(drop=True).reset_index(names="span")
        both = spans.merge(seg[["transcript_id", "start", "end", "speaker"]], on="transcript_id", suffixes=("", "_s"))
        both = both[(both["start_s"] < both["end"]) & (both["end_s"] > both["start"])]
        rows.append(pd.DataFrame({"code_id": both["code_id"], "transcript_id": both["transcript_id"],
                                  "participant": both["speaker"].astype(str).str.strip()}))
        lonely = spans[~spans["span"].isin(set(both["span"]))]
        if not lonely.empty:  # facilitator talk only: counts for the transcript, not for a participant
            rows.append(pd.DataFrame({"code_id": lonely["code_id"], "transcript_id": lonely["transcript_id"],
                                      "participant": None}))
    out = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=["code_id", "transcript_id",
                                                                                "participant"])
    site = meta["site"] if "site" in meta.columns else pd.Series(dtype=object)
    out["site"] = out["transcript_id"].map(site) if len(site) else None
    out = out.drop_duplicates(ignore_index=True)
    return out, transcripts, text


def _count(rows: pd.DataFrame) -> dict[str, int]:
    return {"participants": int(rows["participant"].dropna().nunique()),
            "transcripts": int(rows["transcript_id"].nunique()),
            "sites": _n_sites(rows)}


def _n_sites(rows: pd.DataFrame) -> int:
    """Sites among the rows, counted where recorded (a transcript with none adds no site)."""
    if "site" not in rows:
        return 0
    sites = recorded_values(rows["site"], "site")
    return int(sites[sites != not_recorded("site")].nunique())


def code_support(project: "Project", *, coder: str | Sequence[str] | None = None,
                 attribute_filter: Mapping[str, Any] | None = None,
                 group_methods: Sequence[str] | None = None) -> pd.DataFrame:
    """How many participants, transcripts and sites support each code of the project's codebook.

    Parameters
    ----------
    project : Project
    coder : str or list of str, optional
        Whose codings count. Default: the ``consensus`` coding on transcripts that have one, every coder's
        coding on the others.
    attribute_filter : mapping, optional
        Keep transcripts whose attributes match, e.g. ``{"site": "S1"}`` or ``{"role": ["police", "health"]}``.
    group_methods : sequence of str, optional
        Transcript ``method`` values where each speaker counts as a participant (the speaker of the participant
        turns a coded span overlaps); elsewhere a transcript's ``participant`` attribute is the participant.
        Default: the project-wide rule (any method naming a group or a workshop), the one themes and reports use.

    Returns
    -------
    pandas.DataFrame
        One row per code in codebook order: code_id, name, domain, kind, maps_to, participants, transcripts,
        sites, coding (the same on every row: which codings were counted).
    """
    rows, _, text = _support_rows(project, coder, attribute_filter, group_methods)
    cb = project.load_codebook()
    records = []
    for code in cb:
        counts = _count(rows[rows["code_id"] == code.code_id])
        records.append({"code_id": code.code_id, "name": code.name, "domain": code.domain, "kind": code.kind,
                        "maps_to": "; ".join(code.maps_to), **counts})
    return pd.DataFrame(records, columns=["code_id", "name", "domain", "kind", "maps_to", *EVIDENCE_KEYS]).assign(
        coding=text)


def _label(counts: Mapping[str, int], *, with_sites: bool = True) -> str:
    p, t, s = (int(counts.get(k, 0)) for k in EVIDENCE_KEYS)
    if p == 0 and t == 0:
        return "no coded evidence"
    parts = [f"{p} participant{'s' if p != 1 else ''}", f"{t} transcript{'s' if t != 1 else ''}"]
    if with_sites and s:
        parts.append(f"{s} site{'s' if s != 1 else ''}")
    return ", ".join(parts)


def evidence(spec: LogicModel | Mapping[str, Any] | str | Path, project: "Project", *,
             coder: str | Sequence[str] | None = None, attribute_filter: Mapping[str, Any] | None = None,
             group_methods: Sequence[str] | None = None) -> pd.DataFrame:
    """The coded support of every item that links to codes: participants, transcripts and sites.

    An item's support is the union over its codes: a participant whose talk was coded with two of the item's codes
    counts once. Only the codes named count (an inductive code mapped to a named code is not added; name it too).
    Codings are chosen as in :func:`code_support`.

    Returns
    -------
    pandas.DataFrame
        One row per item with codes: model, path, column, group, item_id, text, codes, participants,
        transcripts, sites, label (e.g. ``"7 participants, 5 transcripts, 3 sites"``), in reading order.
        coding (the same on every row: which codings were counted). Renderers take it as ``evidence=``.
    """
    rows, transcripts, text = _support_rows(project, coder, attribute_filter, group_methods)
    model = load_logic_model(spec, codebook=project.load_codebook())
    with_sites = "site" in transcripts.columns and transcripts["site"].notna().any()
    records = []
    for column, group, item in model.iter_items():
        if not item.codes:
            continue
        counts = _count(rows[rows["code_id"].isin(item.codes)])
        records.append({"model": model.model, "path": item.path, "column": column, "group": group,
                        "item_id": item.id, "text": item.text, "codes": "; ".join(item.codes), **counts,
                        "label": _label(counts, with_sites=with_sites)})
    return pd.DataFrame(records, columns=["model", "path", "column", "group", "item_id", "text", "codes",
                                          *EVIDENCE_KEYS, "label"]).assign(coding=text)


def evidence_labels(spec: LogicModel, evidence: pd.DataFrame | Mapping[str, str] | bool | None) -> dict[str, str]:
    """Item path -> evidence text to show under the item.

    ``evidence`` is what :func:`evidence` returns, a mapping of item path to text, ``True`` for the counts recorded
    in the spec itself (``evidence:`` on each item, as the draft writes them), or ``None``/``False`` for none.

    >>> lm = load_logic_model({"title": "T", "columns": [{"name": "Context", "items": [
    ...     {"text": "Demand is high", "evidence": {"participants": 4, "transcripts": 3, "sites": 2}}]}]})
    >>> evidence_labels(lm, True)
    {'columns[0].items[0]': '4 participants, 3 transcripts, 2 sites'}
    """
    if evidence is None or evidence is False:
        return {}
    if evidence is True:
        return {it.path: _label(it.evidence) for it in spec.items if it.evidence}
    if isinstance(evidence, pd.DataFrame):
        missing = {"path", "label"} - set(evidence.columns)
        if missing:
            raise LogicModelError([f"evidence: the table needs columns 'path' and 'label' (as evidence() returns); "
                                   f"missing {', '.join(sorted(missing))}"], "the request")
        return {str(p): str(lab) for p, lab in zip(evidence["path"], evidence["label"])}
    if isinstance(evidence, Mapping):
        return {str(k): str(v) for k, v in evidence.items()}
    raise LogicModelError([f"evidence: give the table evidence() returns, a mapping, True or None; got "
                           f"{type(evidence).__name__}"], "the request")
