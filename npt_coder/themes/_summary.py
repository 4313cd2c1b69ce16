"""Themed summaries: per CMO domain -> construct -> code (or per research question), counts, spread and quotes."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd

from .._consensus import CONSENSUS, not_recorded, recorded_values
from .._words import and_list, count, noun
from ..codebook import Code, Codebook
from ._errors import ThemesError
from ._flagged import FLAG_NOTE, mark_attribution
from ._material import (
    QUOTE_COLUMNS,
    Material,
    attribution_fields,
    check_attribute,
    format_attribution,
    material,
)
from ._rq import ResearchQuestions, load_research_questions

__all__ = ["BY_LEVELS", "SUMMARY_COLUMNS", "ThemeTotals", "Themes", "theme_summary"]

BY_LEVELS = ("domain", "construct", "code")
SUMMARY_COLUMNS = [
    "group_id", "group", "domain", "construct_id", "construct", "code_id", "name", "label", "kind", "parent",
    "maps_to", "primary", "rq_ids", "n_segments", "n_transcripts", "n_participants", "n_attribute_values", "absent",
]
UNMAPPED = "unmapped"
UNLINKED = "unlinked"


def code_label(code: Code) -> str:
    """``M3.3 Relational integration``: how tables and charts name a code."""
    return f"{code.code_id} {code.name}"


@dataclass(frozen=True)
class ThemeTotals:
    """The study totals a themed summary rests on.

    Attributes
    ----------
    n_segments : int
        Coded segments (of the summary's unit), each counted once whatever its codes.
    n_transcripts : int
        Transcripts with coded material.
    n_participants : int
        Participants whose talk was coded (each focus-group speaker counts as one).
    n_transcripts_coded, n_transcripts_total : int
        Transcripts with any codings used, and all transcripts of the project.
    n_codes, n_codes_present : int
        Codes listed, and codes with coded material.
    """

    n_segments: int = 0
    n_transcripts: int = 0
    n_participants: int = 0
    n_transcripts_coded: int = 0
    n_transcripts_total: int = 0
    n_codes: int = 0
    n_codes_present: int = 0


@dataclass(frozen=True, eq=False)
class Themes:
    """A themed summary: one table row per code under each heading, the exemplar quotes, and how they were made.

    Attributes
    ----------
    table : pandas.DataFrame
        :data:`SUMMARY_COLUMNS` then one count column per value of ``attribute`` (named ``"site=S1"``; listed in
        ``spread_columns``), and last ``"site=no site recorded"`` where some transcripts have none, so that the
        columns add up to ``n_segments`` (``n_attribute_values`` counts recorded values only); ``maps_to`` names an inductive code's targets (``"M2.4 Legitimation; C2 Adaptive
        execution"``). One row per code in domain -> construct -> code order, inductive codes after what they
        map to (one row under each target; ``primary`` marks the row under its home,
        :meth:`~npt_coder.codebook.Codebook.home`, where its material and quotes are shown), or,
        ``by="rq"``, one row per (question, code), ``primary`` under the first question the code serves. Absent codes have zero counts and ``absent``.
    quotes : pandas.DataFrame
        :data:`~npt_coder.themes._material.QUOTE_COLUMNS` plus the transcript attributes: ``n_quotes`` per code at
        most, ``rank`` 1 first; ``start``/``end`` are the quoted text's offsets in the transcript.
    basis : pandas.DataFrame
        Per transcript, which codings were used (see :func:`coding_basis`).
    spread_columns : tuple of str
        The count columns of ``table``, one per value of ``attribute``, in value order.
    totals : ThemeTotals
        The study totals (coded segments, transcripts, participants, codes present, ...).
    left_out : str
        The sentence saying how many machine suggestions no coder has accepted yet, and so are left out (``""``
        when none are).
    """

    table: pd.DataFrame
    quotes: pd.DataFrame
    basis: pd.DataFrame
    attribute: str
    by: tuple[str, ...]
    unit: str
    include_interviewer: bool
    codebook: str
    research_questions: ResearchQuestions | None = None
    options: dict = field(default_factory=dict)
    spread_columns: tuple[str, ...] = ()
    totals: ThemeTotals = ThemeTotals()
    left_out: str = ""

    def quotes_for(self, code_id: str) -> pd.DataFrame:
        """The exemplar quotes of one code, best first."""
        return self.quotes[self.quotes["code_id"] == code_id].sort_values("rank")

    def to_frame(self) -> pd.DataFrame:
        """The table with a ``quotes`` column: each code's quotes as ``"text (S1, P01)"`` strings."""
        joined = {cid: [f"{q.text} {q.attribution}" for q in g.sort_values("rank").itertuples()]
                  for cid, g in self.quotes.groupby("code_id")}
        out = self.table.copy()
        out["quotes"] = [joined.get(cid, []) for cid in out["code_id"]]
        return out

    def methods_text(self, *, codebook: bool = True) -> str:
        """A paragraph saying which material the summary rests on, written from the data; ``codebook=False`` leaves
        out the closing sentence naming the codebook (for a report that names it once, in its methods)."""
        a = self.totals
        b = self.basis
        parts = []
        cons = b[b["basis"] == CONSENSUS]["transcript_id"].tolist()
        allc = b[b["basis"] == "all coders"]
        one = b[b["basis"] == "coder"]
        none = b[b["basis"] == "not coded"]["transcript_id"].tolist()
        if cons:
            parts.append(f"the consensus coding for {len(cons)} ({', '.join(cons)})")
        if len(allc):
            by_coders = allc.groupby("coders", sort=False)["transcript_id"].apply(list)  # coders: "AK, JT"
            listed = "; ".join(f"{and_list(ts)} by {and_list(c.split(', '))}" for c, ts in by_coders.items())
            parts.append(f"every coder's coding, overlapping spans of a code merged, for {len(allc)} ({listed})")
        if len(one):
            parts.append(f"{one['coders'].iloc[0]}'s coding for {len(one)}")
        text = (f"The summary rests on {a.n_transcripts_coded} of {a.n_transcripts_total} "
                f"transcripts: {'; '.join(parts) or 'no codings'}")
        if none:
            text += (f"; {count(len(none), 'transcript')} {noun(len(none), 'is')} not coded yet "
                     f"({', '.join(none)})")
        if self.left_out:
            text += f". {self.left_out[:-1]}"
        who = "participant talk, interviewer turns left out" if not self.include_interviewer else "all talk"
        text += (f". Counts are {self.unit}s of {who}, that a coded span overlaps: "
                 f"{count(a.n_segments, f'coded {self.unit}')} from {count(a.n_participants, 'participant')} (each "
                 f"focus-group speaker counts as a participant). ")
        o = self.options
        text += (f"Up to {o.get('n_quotes', 3)} quotes per code are chosen to cover different {self.attribute} "
                 f"values and participants first, never quoting a passage twice; each is the run of whole sentences "
                 f"around its coded span that fits in {o.get('max_chars', 400)} characters (… marks a cut).")
        if codebook:
            text += f" Codebook: {self.codebook}."
        if "flagged" in self.quotes and self.quotes["flagged"].any():
            text += f" {FLAG_NOTE}"
        return text


# -- layout -----------------------------------------------------------------------------------------------------------

def _row(code: Code, *, group_id: str, group: str, domain: str, construct_id: str, construct: str, parent: str,
         primary: bool) -> dict[str, Any]:
    return {"group_id": group_id, "group": group, "domain": domain, "construct_id": construct_id,
            "construct": construct, "code_id": code.code_id, "name": code.name, "label": code_label(code),
            "kind": code.kind, "parent": parent, "primary": primary}


def _hierarchy_rows(cb: Codebook) -> list[dict[str, Any]]:
    """Rows in domain -> construct -> code order, each inductive code after every target it maps to."""
    rows: list[dict[str, Any]] = []

    def ind(code: Code, target: str, **kw) -> None:
        rows.append(_row(code, parent=target, primary=cb.home(code) == target, **kw))

    for d, cons in cb.hierarchy():
        base = {"group_id": d["id"], "group": d["name"], "domain": d["id"]}
        for code in cb.inductive_under(d["id"]):
            ind(code, d["id"], construct_id="", construct="", **base)
        for con, codes in cons:
            ckw = {"construct_id": con["id"], "construct": con["name"], **base}
            single = len(codes) == 1 and codes[0].code_id == con["id"]  # C1..C4, O1..O4: construct = code
            for code in ([] if single else cb.inductive_under(con["id"])):
                ind(code, con["id"], **ckw)
            for code in codes:
                rows.append(_row(code, parent=con["id"], primary=True, **ckw))
                for child in cb.inductive_under(code.code_id):
                    ind(child, code.code_id, **ckw)
    for code in cb.codes:
        if code.kind == "inductive" and not code.maps_to:
            rows.append(_row(code, group_id=UNMAPPED, group="Inductive codes not yet mapped", domain="",
                             construct_id="", construct="", parent="", primary=True))
    return rows


def _rq_rows(cb: Codebook, rqs: ResearchQuestions) -> list[dict[str, Any]]:
    """One row per (question, code), codes in codebook order; codes no question names come last."""
    primary = [r for r in _hierarchy_rows(cb) if r["primary"]]
    by_code = {r["code_id"]: r for r in primary}
    order = [r["code_id"] for r in primary]
    rows: list[dict[str, Any]] = []
    linked: set[str] = set()
    mapping = rqs.codes(cb)
    for q in rqs:
        ids = set(mapping[q.rq_id])
        # the question's NPT codes in codebook order, then its inductive codes; a code's material is summarised
        # under the first question it serves (primary), the later ones point to it
        for cid in sorted((c for c in order if c in ids), key=lambda c: (by_code[c]["kind"] == "inductive",
                                                                       order.index(c))):
            rows.append({**by_code[cid], "group_id": q.rq_id, "group": q.question, "primary": cid not in linked})
        linked |= ids
    for cid in order:
        if cid not in linked:
            rows.append({**by_code[cid], "group_id": UNLINKED, "group": "Codes not linked to a research question",
                         "primary": True})
    return rows


def _check_by(by) -> tuple[str, ...]:
    if isinstance(by, str):
        by = (by,)
    by = tuple(by)
    if by == ("rq",):
        return by
    if not by or by[-1] != "code" or any(b not in BY_LEVELS for b in by) or list(by) != sorted(
            by, key=BY_LEVELS.index) or len(set(by)) != len(by):
        raise ThemesError(f"by must be 'rq' or levels of {BY_LEVELS} in that order ending with 'code'; got {by!r} "
                          "(e.g. by=('domain', 'construct', 'code') or by='rq')")
    return by


def _research_questions(rq, project, cb: Codebook, required: bool) -> ResearchQuestions | None:
    if isinstance(rq, ResearchQuestions):
        return rq
    if rq is None:
        default = Path(getattr(project, "root", ".")) / "research_questions.yaml"
        if default.is_file():
            return load_research_questions(default, codebook=cb)
        if required:
            raise ThemesError("by='rq' needs research questions: give rq=FILE (e.g. "
                              "data/demo/research_questions.yaml) or put research_questions.yaml in the project folder")
        return None
    if isinstance(rq, (str, Path, Mapping)):
        return load_research_questions(rq, codebook=cb)
    raise ThemesError(f"rq must be a file path, a mapping or ResearchQuestions; got {type(rq).__name__}")


# -- quotes -----------------------------------------------------------------------------------------------------------

def select_quotes(cand: pd.DataFrame, *, attribute: str, n_quotes: int, min_chars: int,
                  max_chars: int | None) -> pd.DataFrame:
    """Choose up to ``n_quotes`` candidates per code for coverage, returning them with a ``rank`` column.

    Greedy, one quote at a time: a candidate scores first for not repeating a passage already quoted for another
    code (a passage quoted twice is used only when a code has nothing else), then for not being the transcript's
    first participant turn (``opening``, where an interviewee introduces their role), then for an ``attribute``
    value not yet quoted for the code, then for a new participant, then a new transcript, then for length
    (``min_chars`` to ``max_chars`` best, longer ones next as they will be trimmed, shorter last), then for more
    text up to ``max_chars``; ties go to the earlier passage (transcript order, then position), so the choice is
    reproducible. Codes with fewer candidates choose first, so a code with little material keeps its passages.
    """
    if cand.empty or n_quotes <= 0:
        return cand.iloc[0:0].assign(rank=pd.Series(dtype=np.int64))
    cand = cand.sort_values(["code_id", "transcript_id", "start"], kind="stable").reset_index(drop=True)
    length = (cand["end"] - cand["start"]).to_numpy(dtype=np.int64)
    cap = max_chars if max_chars is not None else int(length.max()) + 1
    quality = np.where(length < min_chars, 0, np.where(length <= cap, 2, 1))
    base = quality * 10**7 + np.minimum(length, cap)
    values = cand[attribute].astype(str).to_numpy() if attribute in cand else np.full(len(cand), "")
    parts = cand["participant"].astype(str).to_numpy()
    trans = cand["transcript_id"].astype(str).to_numpy()
    later = ~cand["opening"].to_numpy(dtype=bool) if "opening" in cand else np.ones(len(cand), dtype=bool)
    starts = cand["start"].to_numpy(dtype=np.int64)
    ends = cand["end"].to_numpy(dtype=np.int64)
    quoted: dict[str, list[tuple[int, int]]] = {}  # passages already quoted, per transcript

    def repeats(i: int) -> bool:
        return any(s < ends[i] and starts[i] < e for s, e in quoted.get(trans[i], ()))

    chosen: list[int] = []
    ranks: list[int] = []
    groups = sorted(cand.groupby("code_id", sort=False).indices.items(), key=lambda kv: (len(kv[1]), kv[0]))
    for _, idx in groups:
        idx = np.asarray(idx)
        used_v: set[str] = set()
        used_p: set[str] = set()
        used_t: set[str] = set()
        taken = np.zeros(len(idx), dtype=bool)
        for rank in range(1, min(n_quotes, len(idx)) + 1):
            fresh = np.fromiter((not repeats(int(i)) for i in idx), bool, len(idx))
            new_v = np.fromiter((v not in used_v for v in values[idx]), bool, len(idx))
            new_p = np.fromiter((p not in used_p for p in parts[idx]), bool, len(idx))
            new_t = np.fromiter((t not in used_t for t in trans[idx]), bool, len(idx))
            score = (fresh * 16 + later[idx] * 8 + new_v * 4 + new_p * 2 + new_t).astype(np.int64) * 10**9 + base[idx]
            score[taken] = -1
            k = int(np.argmax(score))
            if not fresh[k] and rank > 1:
                break  # the code's other passages are all quoted elsewhere already: fewer quotes, none repeated
            taken[k] = True
            i = int(idx[k])
            chosen.append(i)
            ranks.append(rank)
            used_v.add(values[i])
            used_p.add(parts[i])
            used_t.add(trans[i])
            quoted.setdefault(trans[i], []).append((int(starts[i]), int(ends[i])))
    if not chosen:
        return cand.iloc[0:0].assign(rank=pd.Series(dtype=np.int64))
    out = cand.iloc[chosen].assign(rank=ranks)
    order = {c: k for k, c in enumerate(pd.unique(cand["code_id"]))}
    out = out.assign(_o=out["code_id"].map(order)).sort_values(["_o", "rank"], kind="stable").drop(columns="_o")
    return out.reset_index(drop=True)


def _quotes(mat: Material, *, attribute: str, n_quotes: int, attribution: str, min_chars: int,
            max_chars: int | None) -> pd.DataFrame:
    attr_cols = list(mat.attributes.columns)
    cand = mat.candidates() if n_quotes > 0 else pd.DataFrame()
    picked = select_quotes(cand, attribute=attribute, n_quotes=n_quotes, min_chars=min_chars, max_chars=max_chars)
    extra = [c for c in attr_cols if c != "participant"]
    if picked.empty:
        return pd.DataFrame(columns=QUOTE_COLUMNS + extra)
    rows = []
    flagged = mat.flagged()
    for r in picked.to_dict("records"):
        text, start, end, trimmed = mat.quote_text(r, max_chars)
        fields = {c: r.get(c) for c in extra}
        fields.update(participant=r["participant"], speaker=r["speaker"], transcript_id=r["transcript_id"],
                      turn_id=r["turn_id"])
        is_flagged = r["transcript_id"] in flagged
        rows.append({"code_id": r["code_id"], "rank": r["rank"], "text": text,
                     "attribution": mark_attribution(format_attribution(attribution, fields), is_flagged),
                     "transcript_id": r["transcript_id"], "turn_id": r["turn_id"], "speaker": r["speaker"],
                     "participant": r["participant"], "start": start, "end": end, "trimmed": trimmed,
                     "coders": r["coders"], "basis": r["basis"], "flagged": is_flagged,
                     **{c: r.get(c) for c in extra}})
    return pd.DataFrame(rows, columns=QUOTE_COLUMNS + extra)


# -- the summary ------------------------------------------------------------------------------------------------------

def theme_summary(project, *, by: str | Sequence[str] = ("domain", "construct", "code"), attribute: str = "site",
           n_quotes: int = 3, include_interviewer: bool = False, attribution: str = "({site}, {participant})",
           rq=None, unit: str = "paragraph", max_chars: int | None = 400, min_chars: int = 60,
           coder: str | None = None, consensus: str = CONSENSUS) -> Themes:
    """Coded material organised by CMO domain -> construct -> code (or by research question), with quotes.

    Parameters
    ----------
    project : Project
    by : tuple of str or "rq", default ("domain", "construct", "code")
        Heading levels, ending with ``"code"`` (``("domain", "code")`` drops construct headings), or ``"rq"``: one
        section per research question, each listing the codes mapped to it, then the codes no question names.
    attribute : str, default "site"
        Transcript attribute whose spread is counted (site, role, method, ...) and that quotes should cover.
    n_quotes : int, default 3
        Quotes per code (0: none).
    include_interviewer : bool, default False
        Count, and quote, interviewer and facilitator talk too.
    attribution : str, default "({site}, {participant})"
        Format of a quote's attribution: any transcript attribute, ``participant`` (the speaker label in focus
        groups), ``speaker``, ``transcript_id``, ``turn_id``.
    rq : path, mapping or ResearchQuestions, optional
        Research questions (see :func:`load_research_questions`); default: ``research_questions.yaml`` in the
        project folder when there is one. With a hierarchical ``by`` they fill the ``rq_ids`` column.
    unit : {"paragraph", "turn", "sentence"}, default "paragraph"
        The segment counted as one coded segment.
    max_chars, min_chars : int
        Longest quote (ellipsis included; ``None``: whole passages) and the length below which a passage is used
        only when nothing longer is left.
    coder, consensus
        Which codings: see :func:`analysis_codings` (default: consensus where it exists, else all coders').

    Returns
    -------
    Themes
        ``.table`` (one row per code under each heading, counts and spread), ``.quotes``, ``.basis``, and the
        study totals in ``.totals``.

    Examples
    --------
    >>> import pathlib, tempfile, npt_coder as nc
    >>> from npt_coder.coding import import_codings
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (root / "S1_P01.txt").write_text("Interviewer: Why?\\n\\nP01: We trust each other now. It took a year.\\n")
    >>> p = nc.init_project(root / "study")
    >>> from npt_coder.services import add_transcripts
    >>> _ = add_transcripts(p, [root / "S1_P01.txt"], attributes={"site": "S1", "participant": "P01", "method": "interview"})
    >>> text = p.transcript_text("S1_P01")
    >>> span = pd.DataFrame({"transcript_id": ["S1_P01"], "coder": ["AK"], "code_id": ["M3.3"],
    ...                      "start": [text.index("We trust")], "end": [text.index("a year.") + 7]})
    >>> _ = import_codings(p, span, source="csv")
    >>> t = theme_summary(p)
    >>> t.table.set_index("code_id").loc["M3.3", ["n_segments", "n_transcripts", "n_participants"]].tolist()
    [1, 1, 1]
    >>> t.quotes_for("M3.3")[["text", "attribution"]].values.tolist()
    [['We trust each other now. It took a year.', '(S1, P01)']]
    """
    by = _check_by(by)
    if not isinstance(n_quotes, (int, np.integer)) or n_quotes < 0:
        raise ThemesError(f"n_quotes must be a whole number >= 0; got {n_quotes!r}")
    mat = material(project, unit=unit, include_interviewer=include_interviewer, coder=coder, consensus=consensus)
    check_attribute(mat, attribute)
    fields = sorted(set(mat.attribute_names) | {"participant", "speaker", "transcript_id", "turn_id"})
    attribution_fields(attribution, fields)
    cb = mat.codebook
    rqs = _research_questions(rq, project, cb, required=by == ("rq",))
    rows = _rq_rows(cb, rqs) if by == ("rq",) else _hierarchy_rows(cb)
    table = pd.DataFrame(rows)
    table["maps_to"] = table["code_id"].map({c.code_id: "; ".join(cb.target_label(t) for t in c.maps_to)
                                             for c in cb.codes}).fillna("")
    if rqs is not None:
        mapping = rqs.codes(cb)
        table["rq_ids"] = [", ".join(q for q in mapping if cid in mapping[q]) for cid in table["code_id"]]
    else:
        table["rq_ids"] = ""

    coded = mat.coded()
    g = coded.groupby("code_id")
    table["n_segments"] = table["code_id"].map(g.size()).fillna(0).astype(int)
    table["n_transcripts"] = table["code_id"].map(g["transcript_id"].nunique()).fillna(0).astype(int)
    talk = coded[coded["speaker_role"] == "participant"]
    table["n_participants"] = table["code_id"].map(talk.groupby("code_id")["participant"].nunique()).fillna(0).astype(
        int)
    # one column per recorded value, then one for transcripts with none recorded (where any are): columns add up
    missing = not_recorded(attribute)
    labels = recorded_values(mat.attributes[attribute], attribute)
    values = sorted(set(labels) - {missing}) + ([missing] if (labels == missing).any() else [])
    spread = (coded.assign(_v=recorded_values(coded[attribute], attribute)).groupby(["code_id", "_v"]).size()
              .unstack(fill_value=0) if not coded.empty else pd.DataFrame())
    spread_cols = []
    for v in values:
        col = f"{attribute}={v}"
        spread_cols.append(col)
        table[col] = table["code_id"].map(spread[v] if v in spread.columns else pd.Series(dtype=int)).fillna(0).astype(
            int)
    known = [c for c in spread_cols if c != f"{attribute}={missing}"]
    table["n_attribute_values"] = (table[known] > 0).sum(axis=1).astype(int) if known else 0
    table["absent"] = table["n_segments"] == 0
    table = table[SUMMARY_COLUMNS + spread_cols]
    seg_keys = coded[["transcript_id", "segment_id"]].drop_duplicates()
    totals = ThemeTotals(
        n_segments=int(len(seg_keys)), n_transcripts=int(coded["transcript_id"].nunique()),
        n_participants=int(talk["participant"].nunique()),
        n_transcripts_coded=int((mat.basis["basis"] != "not coded").sum()),
        n_transcripts_total=int(len(mat.attributes)), n_codes=int(table["code_id"].nunique()),
        n_codes_present=int(table.loc[~table["absent"], "code_id"].nunique()))
    quotes = _quotes(mat, attribute=attribute, n_quotes=int(n_quotes), attribution=attribution, min_chars=min_chars,
                     max_chars=max_chars)
    cb_text = f"{cb.title} ({cb.sha256[:12]})"
    return Themes(table=table, quotes=quotes, basis=mat.basis, attribute=attribute, by=by, unit=unit,
                  include_interviewer=include_interviewer, codebook=cb_text, research_questions=rqs,
                  options={"n_quotes": int(n_quotes), "max_chars": max_chars, "min_chars": min_chars,
                           "attribution": attribution, "coder": coder},
                  spread_columns=tuple(spread_cols), totals=totals, left_out=mat.left_out)
