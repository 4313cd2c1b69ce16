"""Framework matrices (Gale et al. 2013): cases in rows, codes or constructs in columns, excerpts or counts in cells.

Gale, N. K., Heath, G., Cameron, E., Rashid, S., & Redwood, S. (2013). Using the framework method for the analysis
of qualitative data in multi-disciplinary health research. BMC Medical Research Methodology, 13, 117.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Mapping, Sequence

import pandas as pd

from .._consensus import CONSENSUS
from ..codebook import Codebook
from ._errors import ThemesError
from ._flagged import FLAG_NOTE, mark_attribution
from ._material import Material, check_attribute, material
from ._summary import _hierarchy_rows

__all__ = ["FrameworkMatrix", "framework_matrix"]

Cell = Literal["excerpts", "count"]
_EXCEL_CELL_LIMIT = 32_000  # Excel holds 32,767 characters in a cell


@dataclass(frozen=True, eq=False)
class FrameworkMatrix:
    """A framework matrix (what :func:`framework_matrix` returns) with what its columns are.

    Attributes
    ----------
    table : pandas.DataFrame
        Leading columns (``participant``, ``transcript_id``, attributes), then one column per code or construct,
        labelled ``"M3.3 Relational integration"``; one row per case.
    leading : tuple of str
        The leading (case) columns of ``table``.
    domains : mapping of str to str
        Code or construct column label -> CMO domain (``""`` for codes mapped to none).
    codes : mapping of str to tuple of str
        Code or construct column label -> the code ids it holds.
    row_kind, column_kind, cell, unit : str
        The ``rows``, ``columns``, ``cell`` and ``unit`` the matrix was made with.
    coded_rows : tuple of bool
        Per row of ``table``, whether any of the case's transcripts has been coded: a row that has not is empty
        because nobody has coded it yet, not because the codes are absent, and renderers show it as "not coded".
    notes : tuple of str
        What a reader must know about the cells: that † marks an excerpt from a transcript added with accepted
        anonymisation findings, when one is there.
    """

    table: pd.DataFrame
    leading: tuple[str, ...]
    domains: Mapping[str, str]
    codes: Mapping[str, tuple[str, ...]]
    row_kind: str
    column_kind: str
    cell: str
    unit: str
    coded_rows: tuple[bool, ...] = ()
    notes: tuple[str, ...] = ()


def matrix_columns(cb: Codebook, columns: str) -> list[tuple[str, str, list[str]]]:
    """``(label, domain, code ids)`` per matrix column in codebook order.

    ``columns="code"``: one column per code, inductive codes after their first target. ``"construct"``: one per
    construct (its deductive codes), inductive codes still a column each, after their first target's construct.
    """
    primary = [r for r in _hierarchy_rows(cb) if r["primary"]]
    if columns == "code":
        return [(r["label"], r["domain"], [r["code_id"]]) for r in primary]
    out: list[tuple[str, str, list[str]]] = []
    names = {c["id"]: c["name"] for c in cb.constructs}
    seen: set[str] = set()
    for r in primary:
        if r["kind"] == "inductive":
            out.append((r["label"], r["domain"], [r["code_id"]]))
        elif r["construct_id"] not in seen:
            seen.add(r["construct_id"])
            ids = [c.code_id for c in cb.codes if c.kind == "deductive" and c.construct_id == r["construct_id"]]
            out.append((f"{r['construct_id']} {names[r['construct_id']]}", r["domain"], ids))
    return out


def _join_unique(values) -> str:
    seen: list[str] = []
    for v in values:
        if pd.notna(v) and str(v) not in seen:
            seen.append(str(v))
    return "; ".join(seen)


def _cases(mat: Material, rows: str, attributes: list[str]) -> pd.DataFrame:
    """One row per case with the leading columns; index = case key."""
    if rows == "participant":
        p = mat.participants()
        cases = p.groupby("participant", sort=False).agg(
            {"transcript_id": _join_unique, **{a: _join_unique for a in attributes if a in p.columns}})
        cases.insert(0, "participant", cases.index)
        order = sorted(cases.index, key=lambda k: (cases.at[k, "transcript_id"], k))
        return cases.loc[order]
    if rows == "transcript":
        cases = mat.attributes[attributes].copy()
        cases.insert(0, "transcript_id", cases.index)
        return cases
    values = sorted(mat.attributes[rows].dropna().astype(str).unique())
    return pd.DataFrame({rows: values}, index=pd.Index(values))


def _key(df: pd.DataFrame, rows: str) -> pd.Series:
    if rows == "participant":
        return df["participant"].astype(str)
    if rows == "transcript":
        return df["transcript_id"].astype(str)
    return df[rows].astype(str)


def framework_matrix(project, *, rows: str = "participant", columns: Literal["code", "construct"] = "code",
                     cell: Cell = "excerpts", attributes: Sequence[str] | None = None,
                     include_interviewer: bool = False, unit: str = "paragraph", max_chars: int | None = 300,
                     coder: str | None = None, consensus: str = CONSENSUS) -> FrameworkMatrix:
    """A framework matrix: one row per case, one column per code (or construct), the coded material in the cells.

    Parameters
    ----------
    project : Project
    rows : str, default "participant"
        ``"participant"`` (interviewees, and each focus-group speaker), ``"transcript"``, or any transcript attribute
        (``"site"``, ``"role"``): the cases. Every case of the study gets a row, coded or not.
    columns : {"code", "construct"}, default "code"
        One column per code, or per NPT construct (C1..O4 and M1..M4; inductive codes keep a column each).
    cell : {"excerpts", "count"}, default "excerpts"
        The case's coded passages (whole sentences, each cut to ``max_chars`` with … and followed by its place,
        ``[S1_P01 t0012]``; in a construct column prefixed by the code id), or the number of coded segments.
    attributes : sequence of str, optional
        Leading attribute columns (default: every transcript attribute but ``participant``).
    include_interviewer, unit, coder, consensus
        As for :func:`theme_summary`.

    Returns
    -------
    FrameworkMatrix
        ``.table``: leading columns (``participant``, ``transcript_id``, attributes), then one column per code or
        construct, labelled ``"M3.3 Relational integration"``; ``.leading`` names the leading columns,
        ``.domains`` and ``.codes`` give each code column's CMO domain and code ids.
    """
    if columns not in ("code", "construct"):
        raise ThemesError(f"columns must be 'code' or 'construct'; got {columns!r}")
    if cell not in ("excerpts", "count"):
        raise ThemesError(f"cell must be 'excerpts' or 'count'; got {cell!r}")
    mat = material(project, unit=unit, include_interviewer=include_interviewer, coder=coder, consensus=consensus)
    if rows not in ("participant", "transcript"):
        check_attribute(mat, rows, what="rows")
    if attributes is None:
        attributes = [a for a in mat.attribute_names if a != "participant" and a != rows]
    for a in attributes:
        check_attribute(mat, a, what="attributes")
    attributes = list(attributes)
    cases = _cases(mat, rows, attributes)
    cols = matrix_columns(mat.codebook, columns)
    code_to_col = {cid: label for label, _, ids in cols for cid in ids}
    out = cases.copy()
    marked = False  # an excerpt from a transcript added with accepted anonymisation findings is in a cell
    if cell == "count":
        coded = mat.coded()
        coded = coded.assign(_key=_key(coded, rows), _col=coded["code_id"].map(code_to_col))
        coded = coded[coded["_key"].isin(out.index)]
        counts = coded.groupby(["_key", "_col"]).size().unstack(fill_value=0)
        for label, _, _ in cols:
            out[label] = (counts[label].reindex(out.index).fillna(0).astype(int) if label in counts.columns
                          else 0)
    else:
        cand = mat.candidates()
        cand = cand.assign(_key=_key(cand, rows), _col=cand["code_id"].map(code_to_col))
        cand = cand[cand["_key"].isin(out.index)].sort_values(["transcript_id", "start", "code_id"], kind="stable")
        texts: dict[tuple[str, str], list[str]] = {}
        flagged = mat.flagged()
        for r in cand.to_dict("records"):
            quote, _, _, _ = mat.quote_text(r, max_chars)
            prefix = f"{r['code_id']}: " if columns == "construct" and len(
                next(ids for lab, _, ids in cols if lab == r["_col"])) > 1 else ""
            where = mark_attribution(f"[{r['transcript_id']} {r['turn_id']}]", r["transcript_id"] in flagged)
            marked = marked or r["transcript_id"] in flagged
            texts.setdefault((r["_key"], r["_col"]), []).append(f"{prefix}{quote} {where}")
        for label, _, _ in cols:
            values = []
            for k in out.index:
                joined = "\n\n".join(texts.get((k, label), []))
                if len(joined) > _EXCEL_CELL_LIMIT:
                    joined = joined[:_EXCEL_CELL_LIMIT - 60].rsplit("\n\n", 1)[0] + (
                        "\n\n[… more excerpts left out: the cell is full; see the themed summary]")
                values.append(joined)
            out[label] = values
    coded_t = set(mat.basis.loc[mat.basis["basis"] != "not coded", "transcript_id"])
    if rows == "participant":
        coded_rows = [any(t in coded_t for t in str(v).split("; ")) for v in cases["transcript_id"]]
    elif rows == "transcript":
        coded_rows = [t in coded_t for t in cases.index]
    else:
        by_value = mat.attributes[rows].astype(str)
        coded_rows = [any(t in coded_t for t in by_value[by_value == v].index) for v in cases.index]
    return FrameworkMatrix(table=out.reset_index(drop=True), leading=tuple(cases.columns),
                           domains={label: d for label, d, _ in cols},
                           codes={label: tuple(ids) for label, _, ids in cols}, row_kind=rows, column_kind=columns,
                           cell=cell, unit=unit, coded_rows=tuple(coded_rows),
                           notes=(FLAG_NOTE,) if marked else ())
