"""Drafting: a starting logic-model spec written from the coded data, for the researcher to rewrite."""

from __future__ import annotations

import datetime as _dt
import re
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from .._consensus import reporting_domain
from ..codebook import Codebook
from ..errors import LogicModelError
from .evidence import _count, _support_rows
from .load import load_logic_model

if TYPE_CHECKING:  # pragma: no cover
    from ..store import Project

__all__ = ["draft_logic_model"]


def _cue(cb: Codebook, code_id: str, limit: int = 110) -> str:
    """A short prompt for the researcher: the construct's focus for one-code constructs, else the first question."""
    code = cb[code_id]
    cue = ""
    construct = next((c for c in cb.constructs if c["id"] == code.construct_id), None)
    siblings = [c for c in cb.codes if c.kind == "deductive" and c.construct_id == code.construct_id]
    if code.kind == "deductive" and len(siblings) == 1 and construct and construct.get("focus"):
        cue = construct["focus"].split(":", 1)[-1].strip()
    elif code.questions:
        cue = code.questions[0]
    elif code.definition:
        cue = re.split(r"(?<=[.!?])\s", code.definition, maxsplit=1)[0]
    cue = " ".join(cue.split())
    if len(cue) > limit:
        cue = cue[: limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    if cue and not (len(cue) > 1 and cue[1].isupper()):
        cue = cue[0].lower() + cue[1:]
    return f"{code.name}: {cue}" if cue else code.name


def draft_logic_model(project: "Project", *, coder: str | Sequence[str] | None = None,
                      attribute_filter: Mapping[str, Any] | None = None, top: int | None = 6,
                      title: str | None = None, model: str | None = None,
                      group_methods: Sequence[str] | None = None) -> dict[str, Any]:
    """A starting logic-model spec drafted from the coded data, for the researcher to rewrite.

    Context items come from the context codes (C1–C4), Mechanism items from the mechanism codes (M1.1–M4.4),
    Intended-impact items ("For services and staff") from the outcome codes (O1–O4); an inductive code joins the
    column of the CMO domain it is reported under everywhere (:func:`npt_coder._consensus.reporting_domain`: the
    domain of its first ``maps_to`` target, as in the themed summaries; IND-EARLYHELP, mapped first to C4, is a
    Context item), so no coded theme is left out and none is placed differently from the themes. Each column lists
    the codes with any support, ranked by participants, then transcripts, then codebook order, at most ``top`` of
    them. Each item's text is the code's name and a short cue from the codebook, its ``id`` and ``codes`` are the
    code, and ``evidence`` records the counts. Activities and "For children and families" are left empty: no NPT
    code describes them.

    Parameters
    ----------
    project : Project
    coder, attribute_filter, group_methods
        Which codings count, as in :func:`code_support`.
    top : int or None
        Most items per column (None: every supported code).
    title, model : str, optional
        Title and model name of the draft.

    Returns
    -------
    dict
        The spec (valid for :func:`load_logic_model`); write it with :func:`logic_model_to_yaml`. Its ``source``
        records the project, the codings counted, the transcripts and the codebook.
    """
    if top is not None and (isinstance(top, bool) or not isinstance(top, int) or top < 1):
        raise LogicModelError([f"top: must be a whole number ≥ 1 or None; got {top!r}"], "the request")
    rows, transcripts, coding_text = _support_rows(project, coder, attribute_filter, group_methods)
    cb = project.load_codebook()
    with_sites = "site" in transcripts.columns and transcripts["site"].notna().any()
    order = {c.code_id: k for k, c in enumerate(cb.codes)}
    buckets: dict[str, list[tuple[str, dict[str, int]]]] = {"context": [], "mechanism": [], "outcome": []}
    for code in cb:
        target = reporting_domain(code)  # an inductive code: the domain of its first maps_to target, as in themes
        if target not in buckets:
            continue
        counts = _count(rows[rows["code_id"] == code.code_id])
        if not with_sites:
            counts["sites"] = 0
        if counts["transcripts"] == 0:
            continue
        buckets[target].append((code.code_id, counts))

    def items(kind: str) -> list[dict[str, Any]]:
        ranked = sorted(buckets[kind], key=lambda r: (-r[1]["participants"], -r[1]["transcripts"], order[r[0]]))
        if top is not None:
            ranked = ranked[:top]
        return [{"text": _cue(cb, cid), "id": cid, "codes": [cid],
                 "evidence": {k: v for k, v in counts.items() if k != "sites" or with_sites},
                 "note": f"Drafted from {cb[cid].label}; rewrite as a claim about your service."}
                for cid, counts in ranked]

    when = _dt.date.today().isoformat()
    filt = ", ".join(f"{k}={v}" for k, v in (attribute_filter or {}).items())
    spec: dict[str, Any] = {
        "title": title or ("Draft logic model" + (f" ({filt})" if filt else "")),
        "model": model or ("Draft" + (f" {filt}" if filt else "")),
        "notes": [f"Drafted from the coded data ({coding_text}). Evidence counts the participants, transcripts and "
                  "sites whose coded talk used each item's code. Rewrite every item as a claim about your service, "
                  "add the activities and the impact for children and families, and keep the codes as evidence "
                  "links."],
        "source": {"drafted_at": when, "project_id": project.project_id, "coding": coding_text,
                   "attribute_filter": {str(k): v for k, v in (attribute_filter or {}).items()},
                   "transcripts": sorted(transcripts["transcript_id"].tolist()),
                   "codebook": f"{cb.name} {cb.version} ({cb.sha256[:12]})"},
        "columns": [
            {"name": "Context", "kind": "context", "items": items("context")},
            {"name": "Activities", "kind": "activities", "items": [],
             "note": "Not drafted from the coding: write what staff do, day to day and together."},
            {"name": "Mechanisms", "kind": "mechanism", "items": items("mechanism")},
            {"name": "Intended impact", "kind": "outcome", "groups": [
                {"name": "For services and staff", "items": items("outcome")},
                {"name": "For children and families", "items": [],
                 "note": "Not drafted from the coding: write what should change for children and families."},
            ]},
        ],
        "harms": {"title": "Unintended harms", "items": [],
                  "note": "Add harms the evidence points to (e.g. from memos and disconfirming cases)."},
    }
    load_logic_model(spec, codebook=cb)  # the draft must always be a valid spec
    return spec
