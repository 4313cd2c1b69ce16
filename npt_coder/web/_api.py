"""The JSON API under ``/api``: what the workbench pages use, and what scripts can use (schema at
``/api/openapi.json``). Every route calls the store or :mod:`npt_coder.services`; none holds a rule of its own
beyond who may ask (see :mod:`._auth`)."""

from __future__ import annotations

from typing import Literal, Optional

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from pydantic import BaseModel, Field

from .. import services
from ..agreement import AGREEMENT_UNITS
from ..errors import AccessError, ProjectError
from ..review import DECISIONS, Decision
from ..store import MEMO_TARGETS
from ._auth import Identity, coder_for, require, require_coder, require_lead
from ._views import codebook_payload, coding_entries, coding_entry, plain, turns_payload

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["workbench"])


def _project(request: Request):
    return request.app.state.project


def _transcript_or_404(project, transcript_id: str) -> str:
    try:
        return project.transcript_text(transcript_id)
    except ProjectError as err:
        raise HTTPException(404, str(err)) from None


class NewCoding(BaseModel):
    transcript_id: str
    code_id: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    coder: Optional[str] = Field(None, description="local mode: the coder (default: the name picked in the page); "
                                 "team mode: must be the signed-in member, or left out")
    memo: Optional[str] = None


class CodingChange(BaseModel):
    code_id: Optional[str] = None
    start: Optional[int] = Field(None, ge=0)
    end: Optional[int] = Field(None, ge=0)
    memo: Optional[str] = Field(None, description="'' clears the memo")


class MemoText(BaseModel):
    target: Literal["transcript", "code", "project"]
    target_id: str = ""
    text: str


class DecisionIn(BaseModel):
    segment_id: str
    code_id: str = Field("", description="the code in dispute the decision is on, with that code's key; '' (the "
                         "default) decides every code in dispute on the segment, with the segment's key")
    decision: Literal["A", "B", "both", "neither", "other code"]
    key: str
    other_codes: list[str] = []
    note: str = ""


class Settlement(BaseModel):
    transcript_id: str
    coders: list[str] = Field(min_length=2, max_length=2)
    unit: Literal["turn", "paragraph", "sentence"] = "paragraph"
    decisions: list[DecisionIn] = Field(min_length=1)


class SignIn(BaseModel):
    name: str
    password: str


@router.get("/me")
def me(who: Identity = Depends(require)) -> dict:
    """Who the workbench takes the caller for."""
    return {"coder": who.coder, "role": who.role, "team": who.member}


@router.get("/transcripts")
def list_transcripts(request: Request, who: Identity = Depends(require)) -> list[dict]:
    """Every transcript with its attributes, words, coding progress per coder and comparison state."""
    table = services.study_overview(_project(request))
    return [{k: plain(v) if not isinstance(v, dict) else v for k, v in row.items()}
            for row in table.to_dict("records")]


@router.get("/transcripts/{transcript_id}")
def get_transcript(transcript_id: str, request: Request, who: Identity = Depends(require)) -> dict:
    """A transcript's text, turns (segment_id, start, end, speaker, speaker_role) and the codings the caller may
    see: their own, and everyone's once a lead opened comparison."""
    project = _project(request)
    text = _transcript_or_404(project, transcript_id)
    turns = project.segments("turn", transcripts=[transcript_id])
    codings = services.visible_codings(project, who.coder, transcript_id)
    return {"transcript_id": transcript_id, "text": text,
            "comparison_open": transcript_id in services.visible_transcripts(project),
            "memo": project.memo("transcript", transcript_id),
            "turns": [{k: v for k, v in t.items() if k != "text"} for t in turns_payload(turns, text)],
            "codings": coding_entries(codings)}


@router.get("/codebook")
def get_codebook(request: Request, who: Identity = Depends(require)) -> dict:
    """The project's codebook: a tree (domain → construct → code, inductive codes under their targets) and
    every code's definition, questions and colour."""
    return codebook_payload(_project(request).load_codebook())


@router.post("/codings", status_code=201)
def post_coding(body: NewCoding, request: Request, who: Identity = Depends(require_coder)) -> dict:
    """Code a span; 201 and the stored coding with its coding_id."""
    project = _project(request)
    coder = coder_for(who, body.coder)
    row = services.code(project, body.transcript_id, body.code_id, body.start, body.end, coder=coder,
                        memo=body.memo, who=coder)
    return coding_entry(row)


def _own_coding(project, coding_id: int, who: Identity) -> dict:
    try:
        row = project.coding(coding_id)
    except ProjectError as err:
        raise HTTPException(404, str(err)) from None
    if row["coder"] != who.coder and not who.is_lead:
        raise HTTPException(403, f"coding {coding_id} is {row['coder']}'s: only they or a lead may change it")
    if row["coder"] != who.coder and row["transcript_id"] not in services.visible_transcripts(project):
        raise HTTPException(404, f"no coding {coding_id} in this project")
    return row


@router.patch("/codings/{coding_id}")
def patch_coding(coding_id: int, body: CodingChange, request: Request,
                 who: Identity = Depends(require_coder)) -> dict:
    """Change a coding's code, span or memo. The old coding is kept, superseded (undo restores it); the answer is
    the new coding, with a new coding_id. A coding that is no longer current is refused (409)."""
    project = _project(request)
    _own_coding(project, coding_id, who)
    new_id = project.edit_coding(coding_id, code_id=body.code_id, start=body.start, end=body.end, memo=body.memo,
                                 who=who.coder)
    return coding_entry(project.coding(new_id))


@router.delete("/codings/{coding_id}")
def delete_coding(coding_id: int, request: Request, who: Identity = Depends(require_coder)) -> dict:
    """Remove a coding: it is superseded, never deleted; the answer names the batch that undoes it."""
    project = _project(request)
    _own_coding(project, coding_id, who)
    return {"coding_id": coding_id, "batch_id": project.remove_coding(coding_id, who=who.coder)}


@router.post("/batches/{batch_id}/undo")
def undo_batch(batch_id: int, request: Request, who: Identity = Depends(require_coder)) -> dict:
    """Undo one of your own coding changes (a lead: anyone's), as ``npt-coder undo`` does."""
    project = _project(request)
    batches = project.batches
    row = batches[batches["batch_id"] == batch_id]
    if row.empty:
        raise HTTPException(404, f"no batch {batch_id}")
    if row["created_by"].iloc[0] != who.coder and not who.is_lead:
        raise HTTPException(403, f"batch {batch_id} is not yours to undo")
    return {"batch_id": batch_id, "n_removed": project.undo_batch(batch_id, who=who.coder,
                                                                  kinds=("code", "edit", "remove"))}


class Review(BaseModel):
    coder: Optional[str] = Field(None, description="local mode: the reviewing coder (default: the name picked in the "
                                 "page); team mode: must be the signed-in member, or left out")


@router.get("/transcripts/{transcript_id}/suggestions")
def get_suggestions(transcript_id: str, request: Request, who: Identity = Depends(require)) -> dict:
    """The current suggested codes on a transcript for the caller to review, in text order: coding_id, coder, code,
    span, score, model and its version, reason (one naming colleagues' coded units for a lead only), and whether the
    caller has accepted it."""
    project = _project(request)
    _transcript_or_404(project, transcript_id)
    table = services.suggestions_to_review(project, transcript_id, reviewer=who.coder, lead=who.is_lead)
    return {"transcript_id": transcript_id,
            "suggestions": [{k: plain(v) for k, v in r.items()} for r in table.to_dict("records")]}


@router.post("/suggestions/{coding_id}/accept")
def accept_suggestion(coding_id: int, request: Request, body: Optional[Review] = None,
                      who: Identity = Depends(require_coder)) -> dict:
    """Accept a suggestion: the caller codes its span with its code (source ``accepted``); the answer is that
    coding (the same one again if the caller had accepted it already). The suggestion stays, as the model's."""
    project = _project(request)
    coder = coder_for(who, body.coder if body else None)
    new_id = services.accept_suggestion(project, coding_id, coder=coder, who=coder)
    return coding_entry(project.coding(new_id))


@router.post("/suggestions/{coding_id}/reject")
def reject_suggestion(coding_id: int, request: Request, body: Optional[Review] = None,
                      who: Identity = Depends(require_coder)) -> dict:
    """Reject a suggestion: it is retired for everyone and kept in the history; the answer names the batch that
    undoes it. 409 when it is no longer current."""
    project = _project(request)
    coder = coder_for(who, body.coder if body else None)
    return {"coding_id": coding_id, "batch_id": services.reject_suggestion(project, coding_id, who=coder)}


@router.get("/memos")
def get_memos(request: Request, who: Identity = Depends(require)) -> list[dict]:
    """Current memos on transcripts, codes and the project."""
    return [{k: plain(v) for k, v in r.items()} for r in _project(request).memos.to_dict("records")]


@router.put("/memos")
def put_memo(body: MemoText, request: Request, who: Identity = Depends(require_coder)) -> dict:
    """Write (or, with empty text, retire) the memo on a transcript, a code or the project."""
    project = _project(request)
    if body.target not in MEMO_TARGETS:  # pragma: no cover - the model allows only these
        raise HTTPException(422, "bad memo target")
    memo_id = project.set_memo(body.target, body.target_id, body.text, who=who.coder or who.role)
    return {"memo_id": memo_id, "target": body.target, "target_id": body.target_id,
            "text": project.memo(body.target, body.target_id)}


@router.get("/agreement")
def get_agreement(request: Request, coders: str = Query(..., description="two or more coders, comma-separated"),
                  unit: str = Query("paragraph", description="one of " + ", ".join(AGREEMENT_UNITS)),
                  who: Identity = Depends(require)) -> dict:
    """The per-code agreement table of ``npt-coder agree`` on the transcripts opened for comparison."""
    names = [c.strip() for c in coders.split(",") if c.strip()]
    if len(names) < 2:
        raise HTTPException(400, "coders: name two coders or more, comma-separated")
    if unit not in AGREEMENT_UNITS:
        raise HTTPException(400, f"unit must be one of {', '.join(AGREEMENT_UNITS)}")
    try:
        found = services.visible_agreement(_project(request), names, unit=unit)
    except AccessError as err:
        raise HTTPException(409, str(err)) from None
    return {"coders": names, "unit": unit, "transcripts": list(found.transcripts), "warnings": list(found.warnings),
            "rows": [{k: plain(v) for k, v in r.items()} for r in found.table.to_dict("records")]}


@router.post("/comparisons/{transcript_id}")
def open_comparison(transcript_id: str, request: Request, who: Identity = Depends(require_lead)) -> dict:
    """End blind coding on a transcript (a lead only)."""
    project = _project(request)
    _transcript_or_404(project, transcript_id)
    opened = services.open_comparison(project, transcript_id, who=who.coder or "lead")
    return {"transcript_id": transcript_id, "opened": opened}


@router.get("/comparisons/{transcript_id}")
def get_comparison(transcript_id: str, request: Request, coders: str, unit: str = "paragraph",
                   who: Identity = Depends(require)) -> dict:
    """Two coders' disagreements on a transcript opened for comparison: each segment with its key and any decision
    on the whole of it, and under ``disputed`` each code in dispute there with its own key and any decision on it."""
    names = [c.strip() for c in coders.split(",") if c.strip()]
    if len(names) != 2:
        raise HTTPException(400, "coders: name exactly two coders, e.g. coders=AK,JT")
    project = _project(request)
    _transcript_or_404(project, transcript_id)
    table = services.comparison(project, transcript_id, names[0], names[1], unit=unit)
    return {"transcript_id": transcript_id, "coders": names, "unit": unit, "decisions": list(DECISIONS),
            "disagreements": [{k: plain(v) for k, v in r.items() if k != "text"}
                              for r in table.to_dict("records")]}


@router.post("/settle")
def settle(body: Settlement, request: Request, who: Identity = Depends(require_lead)) -> dict:
    """Settle disagreements (a lead only), each decision on one code in dispute or on a whole segment: writes the
    transcript's consensus coding through the reconcile rules; 409 when the codings changed since the comparison
    was loaded, 400 for a code not in dispute on its segment."""
    project = _project(request)
    _transcript_or_404(project, body.transcript_id)
    decisions = [Decision(body.transcript_id, d.segment_id, d.decision, tuple(d.other_codes), d.note, d.key,
                          d.code_id) for d in body.decisions]
    result = services.settle(project, body.transcript_id, body.coders[0], body.coders[1], decisions,
                             unit=body.unit, who=who.coder or "lead")
    return {"batch_id": result.batch_id, "n_codings": result.n_codings, "n_superseded": result.n_superseded,
            "summary": result.summary()}


@router.get("/retrieve")
def get_retrieve(request: Request, codes: str = "", match: Literal["any", "all"] = "any", exclude: str = "",
                 q: str = "", scope: Literal["all", "coded"] = "all", unit: str = "paragraph",
                 site: str = "", role: str = "", method: str = "", who: Identity = Depends(require)) -> dict:
    """Passages by a Boolean of codes (any/all of ``codes``, none of ``exclude``), attributes and text search."""
    project = _project(request)
    table = services.retrieve(project, codes=_split(codes), match=match, exclude=_split(exclude),
                              visible_to=who.coder, attributes=_attribute_filter(site, role, method), text=q,
                              scope=scope, unit=unit)
    return {"n": len(table), "passages": [{k: plain(v) if not isinstance(v, list) else v for k, v in r.items()}
                                          for r in table.to_dict("records")]}


def _split(value: str) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


def _attribute_filter(site: str, role: str, method: str) -> dict[str, list[str]]:
    return {k: _split(v) for k, v in (("site", site), ("role", role), ("method", method)) if _split(v)}


@router.post("/sessions", status_code=201)
def post_session(body: SignIn, request: Request, response: Response) -> dict:
    """Team mode: sign in with name and password; the token is for ``Authorization: Bearer``."""
    if not request.app.state.workbench.team:
        raise HTTPException(400, "local mode: use the token 'npt-coder serve' printed")
    found = services.sign_in(_project(request), body.name, body.password)
    return {"token": found.token, "name": found.name, "role": found.role}


@router.delete("/sessions")
def delete_session(request: Request, who: Identity = Depends(require)) -> dict:
    """Sign out (end this session)."""
    if who.member and who.session:
        services.sign_out(_project(request), who.session)
    return {"signed_out": True}
