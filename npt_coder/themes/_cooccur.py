"""Co-occurrence: codes applied to the same segment, and Context -> Mechanism -> Outcome links.

A link C -> M says that a context and a mechanism were both coded within the same unit (a transcript by default:
the participant talked about both); M -> O likewise for a mechanism and an outcome. This is co-presence, the
raw material for realist reasoning about configurations, not evidence that one caused the other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from .._consensus import CONSENSUS
from ._errors import ThemesError
from ._material import material
from ._summary import _hierarchy_rows

__all__ = ["CMO_LINK_COLUMNS", "COOCCURRENCE_COLUMNS", "CmoLinks", "Cooccurrence", "cmo_links", "cooccurrence"]

COOCCURRENCE_COLUMNS = ["code_a", "code_b", "label_a", "label_b", "domain_a", "domain_b", "n_segments", "n_a", "n_b",
                        "jaccard"]
CMO_LINK_COLUMNS = ["stage", "source", "target", "source_label", "target_label", "source_domain", "target_domain",
                    "n", "units"]
Within = Literal["transcript", "participant", "turn", "segment"]


@dataclass(frozen=True, eq=False)
class Cooccurrence:
    """Codes applied to the same segment (what :func:`cooccurrence` returns).

    Attributes
    ----------
    table : pandas.DataFrame
        :data:`COOCCURRENCE_COLUMNS`, one row per ordered pair of codes with coded material.
    unit : str
        The segment counted: ``"paragraph"``, ``"turn"`` or ``"sentence"``.
    n_segments : int
        Coded segments (those with at least one code).
    n_codes : int
        Codes with coded material (the rows and columns of the square matrix).
    """

    table: pd.DataFrame
    unit: str
    n_segments: int
    n_codes: int


@dataclass(frozen=True, eq=False)
class CmoLinks:
    """Context -> Mechanism -> Outcome co-presence (what :func:`cmo_links` returns).

    Attributes
    ----------
    table : pandas.DataFrame
        :data:`CMO_LINK_COLUMNS`, one row per link that occurs.
    level : str
        ``"construct"`` or ``"code"``: what the nodes are.
    within : str
        The unit both ends were coded in: ``"transcript"``, ``"participant"``, ``"turn"`` or ``"segment"``.
    unit : str
        The segment unit the coded material was read at.
    n_units : int
        Units (of ``within``) with coded material at any node.
    nodes : tuple of str
        Every possible node, in codebook order (also those without a link).
    """

    table: pd.DataFrame
    level: str
    within: str
    unit: str
    n_units: int
    nodes: tuple[str, ...]


def _presence(keys: pd.Series, items: pd.Series, order: list[str]) -> tuple[np.ndarray, list[str]]:
    """Boolean (unit x item) presence matrix, items in ``order``; returns it with the unit keys."""
    units = list(pd.unique(keys))
    u = pd.Index(units).get_indexer(keys)
    i = pd.Index(order).get_indexer(items)
    ok = i >= 0
    x = np.zeros((len(units), len(order)), dtype=bool)
    x[u[ok], i[ok]] = True
    return x, units


def cooccurrence(project, *, unit: str = "paragraph", include_interviewer: bool = False, coder: str | None = None,
                 consensus: str = CONSENSUS) -> Cooccurrence:
    """How often two codes were applied to the same segment.

    Parameters
    ----------
    project : Project
    unit : {"paragraph", "turn", "sentence"}, default "paragraph"
    include_interviewer, coder, consensus
        As for :func:`theme_summary`.

    Returns
    -------
    Cooccurrence
        ``.table`` has :data:`COOCCURRENCE_COLUMNS`, one row per ordered pair of codes that have coded material (so
        the table is symmetric and holds the diagonal, where ``n_segments`` is the code's own count), in codebook
        order. ``jaccard`` = n_ab / (n_a + n_b - n_ab). ``.table.pivot(index="label_a", columns="label_b",
        values="n_segments")`` gives the square matrix. ``.n_segments`` counts the coded segments.
    """
    mat = material(project, unit=unit, include_interviewer=include_interviewer, coder=coder, consensus=consensus)
    rows = [r for r in _hierarchy_rows(mat.codebook) if r["primary"]]
    coded = mat.coded()
    present = [r for r in rows if r["code_id"] in set(coded["code_id"])]
    order = [r["code_id"] for r in present]
    if not order:
        return Cooccurrence(table=pd.DataFrame(columns=COOCCURRENCE_COLUMNS), unit=unit, n_segments=0, n_codes=0)
    x, _ = _presence(coded["transcript_id"] + "\x1f" + coded["segment_id"], coded["code_id"], order)
    xi = x.astype(np.int64)
    co = xi.T @ xi
    n = np.diag(co)
    a_idx, b_idx = np.meshgrid(np.arange(len(order)), np.arange(len(order)), indexing="ij")
    a_idx, b_idx = a_idx.ravel(), b_idx.ravel()
    union = n[a_idx] + n[b_idx] - co[a_idx, b_idx]
    out = pd.DataFrame({
        "code_a": [order[i] for i in a_idx], "code_b": [order[j] for j in b_idx],
        "label_a": [present[i]["label"] for i in a_idx], "label_b": [present[j]["label"] for j in b_idx],
        "domain_a": [present[i]["domain"] for i in a_idx], "domain_b": [present[j]["domain"] for j in b_idx],
        "n_segments": co[a_idx, b_idx], "n_a": n[a_idx], "n_b": n[b_idx],
        "jaccard": np.where(union > 0, co[a_idx, b_idx] / np.maximum(union, 1), 0.0),
    }, columns=COOCCURRENCE_COLUMNS)
    return Cooccurrence(table=out, unit=unit, n_segments=int(len(x)), n_codes=len(order))


def cmo_links(project, *, level: Literal["construct", "code"] = "construct", within: Within = "transcript",
              include_inductive: bool = False, unit: str = "paragraph", include_interviewer: bool = False,
              coder: str | None = None, consensus: str = CONSENSUS) -> CmoLinks:
    """Context -> Mechanism and Mechanism -> Outcome co-occurrence within transcripts, participants or segments.

    Parameters
    ----------
    project : Project
    level : {"construct", "code"}, default "construct"
        Link constructs (C1..C4, M1..M4, O1..O4: twelve nodes) or codes.
    within : {"transcript", "participant", "turn", "segment"}, default "transcript"
        The unit both ends must be coded in: a transcript (the participant spoke of both somewhere), a participant
        (across transcripts; each focus-group speaker separately), a turn (in the same answer) or a segment.
    include_inductive : bool, default False
        Count inductive codes too, under their first ``maps_to`` target's construct (level "construct") or as nodes
        in their first target's domain (level "code").
    unit, include_interviewer, coder, consensus
        As for :func:`theme_summary` (``unit`` matters for ``within="segment"``).

    Returns
    -------
    CmoLinks
        ``.table`` has :data:`CMO_LINK_COLUMNS`: ``stage`` ``"C→M"`` or ``"M→O"``, the two ends with labels and
        domains, ``n`` (units in which both are coded, > 0) and ``units`` (those units, ``"; "``-joined, for
        tracing); ``.n_units`` counts the units with coded material.
    """
    if level not in ("construct", "code"):
        raise ThemesError(f"level must be 'construct' or 'code'; got {level!r}")
    if within not in ("transcript", "participant", "turn", "segment"):
        raise ThemesError(f"within must be 'transcript', 'participant', 'turn' or 'segment'; got {within!r}")
    mat = material(project, unit=unit, include_interviewer=include_interviewer, coder=coder, consensus=consensus)
    cb = mat.codebook
    rows = [r for r in _hierarchy_rows(cb) if r["primary"] and (include_inductive or r["kind"] == "deductive")]
    cons = {c["id"]: c["name"] for c in cb.constructs}
    if level == "construct":
        node_of = {r["code_id"]: r["construct_id"] for r in rows if r["construct_id"]}
        nodes: dict[str, tuple[str, str]] = {}
        for r in rows:
            if r["construct_id"] and r["construct_id"] not in nodes:
                nodes[r["construct_id"]] = (f"{r['construct_id']} {cons[r['construct_id']]}", r["domain"])
    else:
        node_of = {r["code_id"]: r["code_id"] for r in rows if r["domain"]}
        nodes = {r["code_id"]: (r["label"], r["domain"]) for r in rows if r["domain"]}
    coded = mat.coded()
    coded = coded[coded["code_id"].isin(node_of)]
    if within == "transcript":
        keys = coded["transcript_id"]
    elif within == "participant":
        keys = coded["participant"].astype(str)
    elif within == "turn":
        keys = coded["transcript_id"] + " " + coded["turn_id"]
    else:
        keys = coded["transcript_id"] + " " + coded["segment_id"]
    order = list(nodes)
    x, units = _presence(keys, coded["code_id"].map(node_of), order)
    xi = x.astype(np.int64)
    co = xi.T @ xi
    out = []
    for stage, src_dom, tgt_dom in (("C→M", "context", "mechanism"), ("M→O", "mechanism", "outcome")):
        for i, s in enumerate(order):
            if nodes[s][1] != src_dom:
                continue
            for j, t in enumerate(order):
                if nodes[t][1] != tgt_dom or co[i, j] == 0:
                    continue
                both = np.flatnonzero(x[:, i] & x[:, j])
                out.append((stage, s, t, nodes[s][0], nodes[t][0], src_dom, tgt_dom, int(co[i, j]),
                            "; ".join(units[k] for k in both)))
    return CmoLinks(table=pd.DataFrame(out, columns=CMO_LINK_COLUMNS), level=level, within=within, unit=unit,
                    n_units=len(units), nodes=tuple(order))
