"""The workbench's pages: home, coding a transcript, comparing and settling, retrieval, agreement, sign-in.

Pages are Jinja2 templates with autoescaping on, so transcript text, memos and names always show as text. The
page scripts (``static/workbench.js``) draw highlights and coding stripes from the JSON the page carries and talk
to the JSON API (:mod:`._api`) for every change.
"""

from __future__ import annotations

import io
import json
import secrets
from pathlib import Path
from urllib.parse import quote

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from .. import services
from .._consensus import CONSENSUS, individual_coders
from ..agreement import AGREEMENT_UNITS
from ..errors import AccessError, NptCoderError
from ..ingest import UNITS as SEGMENT_UNITS
from ..render import agreement_figure
from ..review import DECISIONS
from ..themes import FLAG_NOTE
from ._auth import CODER_COOKIE, COOKIE, Identity, check_write, identify
from ._views import codebook_payload, coding_entries, plain, suggestion_entries, turns_payload

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
_PRE = "npt_signin"
_REPORT_SUFFIXES = {".html", ".docx", ".xlsx", ".md", ".csv", ".png", ".svg", ".txt", ".json"}


class NotSignedIn(Exception):
    """Raised by pages for a caller without a session; the app answers with the sign-in page or a 401."""


def _who(request: Request) -> Identity:
    who = identify(request)
    if who is None:
        raise NotSignedIn()
    return who


def _json(data) -> str:
    """JSON for a ``<script type="application/json">`` block (no ``</script>`` can end it early)."""
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def page(request: Request, name: str, who: Identity | None, status: int = 200, **context) -> HTMLResponse:
    app = request.app
    template = app.state.templates.get_template(name)
    project = app.state.project
    html = template.render(request=request, who=who, team=app.state.workbench.team, project_name=project.root.name,
                           reports=_reports(project), **context)
    return HTMLResponse(html, status_code=status)


def _reports(project) -> list[str]:
    folder = project.root / "reports"
    if not folder.is_dir():
        return []
    wanted = ("study.html", "themes.html", "agreement_AK_JT.html", "logic_model_compare.html", "study.docx",
              "framework_matrix.xlsx")
    found = sorted(p.name for p in folder.iterdir() if p.is_file() and p.suffix.lower() in _REPORT_SUFFIXES)
    return [n for n in wanted if n in found] + [n for n in found if n not in wanted]


@router.get("/", response_class=HTMLResponse)
def home(request: Request, site: str = "", role: str = "", method: str = ""):
    who = _who(request)
    project = request.app.state.project
    table = services.study_overview(project)
    choices = {c: sorted({str(v) for v in table[c].dropna()}) if c in table.columns else []
               for c in ("site", "role", "method")}
    for col, value in (("site", site), ("role", role), ("method", method)):
        if value and col in table.columns:
            table = table[table[col].astype(str) == value]
    coders = sorted({c for p in table["progress"] for c in p})
    rows = [{k: plain(v) if not isinstance(v, dict) else v for k, v in r.items()} for r in table.to_dict("records")]
    memo = project.memo("project")
    return page(request, "home.html", who, rows=rows, coders=coders, choices=choices,
                chosen={"site": site, "role": role, "method": method}, memo=memo,
                known_coders=individual_coders(project.codings))


@router.get("/transcripts/{transcript_id}", response_class=HTMLResponse)
def transcript(request: Request, transcript_id: str):
    who = _who(request)
    project = request.app.state.project
    try:
        text = project.transcript_text(transcript_id)
    except NptCoderError as err:
        raise HTTPException(404, str(err)) from None
    turns = turns_payload(project.segments("turn", transcripts=[transcript_id]), text)
    codings = coding_entries(services.visible_codings(project, who.coder, transcript_id))
    cb = project.load_codebook()
    memos = {f"{r['target']}:{r['target_id']}": r["text"] for r in project.memos.to_dict("records")}
    info = project.transcripts.set_index("transcript_id").loc[transcript_id]
    attrs = {k: plain(info.get(k)) for k in ("site", "participant", "role", "method", "date") if k in info.index}
    opened = transcript_id in services.visible_transcripts(project)
    coders = sorted({c["coder"] for c in codings} - {who.coder or ""})
    data = {"transcript_id": transcript_id, "front": _front(project, transcript_id, text, turns), "turns": turns,
            "codings": codings, "codebook": codebook_payload(cb), "memos": memos, "me": who.coder,
            "can_code": who.can_code, "is_lead": who.is_lead, "comparison_open": opened}
    suggestions = suggestion_entries(services.suggestions_to_review(project, transcript_id, reviewer=who.coder,
                                                                    lead=who.is_lead), text, cb) if who.can_code else []
    return page(request, "transcript.html", who, tid=transcript_id, attrs=attrs, turns=turns, data=_json(data),
                opened=opened, other_coders=coders, n_words=int(info["n_words"]), suggestions=suggestions,
                suggestion_models=sorted({s["model"] for s in suggestions}))


@router.get("/transcripts/{transcript_id}/compare", response_class=HTMLResponse)
def compare(request: Request, transcript_id: str, coders: str = "", unit: str = "paragraph"):
    who = _who(request)
    project = request.app.state.project
    try:
        text = project.transcript_text(transcript_id)
    except NptCoderError as err:
        raise HTTPException(404, str(err)) from None
    names = [c.strip() for c in coders.split(",") if c.strip()]
    everyone = individual_coders(project.coding_table(transcript_id))
    if len(names) != 2:
        names = everyone[:2]
    if unit not in SEGMENT_UNITS:
        raise HTTPException(400, f"unit must be one of {', '.join(SEGMENT_UNITS)}")
    opened = transcript_id in services.visible_transcripts(project)
    if not opened:
        return page(request, "blind.html", who, status=403, tid=transcript_id, coders=names)
    if len(names) != 2:
        raise HTTPException(400, f"{transcript_id} needs two coders to compare (coders=A,B)")
    table = services.comparison(project, transcript_id, names[0], names[1], unit=unit)
    codings = project.coding_table(transcript_id)
    shown = codings[codings["coder"].isin([*names, CONSENSUS])]
    turns = turns_payload(project.segments("turn", transcripts=[transcript_id]), text)
    rows = [{k: plain(v) for k, v in r.items()} for r in table.to_dict("records")]
    cb = project.load_codebook()
    data = {"transcript_id": transcript_id, "front": _front(project, transcript_id, text, turns), "turns": turns,
            "codings": coding_entries(shown), "coders": names, "unit": unit, "codebook": codebook_payload(cb),
            "disagreements": rows, "me": who.coder, "is_lead": who.is_lead, "consensus": CONSENSUS}
    return page(request, "compare.html", who, tid=transcript_id, coders=names, everyone=everyone, unit=unit,
                rows=rows, decisions=DECISIONS, data=_json(data), units=SEGMENT_UNITS,
                names={c.code_id: c.name for c in cb.codes})


def _front(project, transcript_id: str, text: str, turns: list[dict]) -> str:
    """The text before the first turn and its speaker label (a transcript's heading lines)."""
    if not turns:
        return text
    labels = project.label_spans(transcript_id)
    return text[:min([turns[0]["start"], *(s for s, _ in labels[:1])])]


def _retrieve_args(codes: str, match: str, exclude: str, q: str, scope: str, site: str, role: str,
                   method: str, unit: str) -> dict:
    split = lambda v: [x.strip() for x in (v or "").split(",") if x.strip()]  # noqa: E731
    return dict(codes=split(codes), match=match if match in ("any", "all") else "any", exclude=split(exclude),
                text=q, scope=scope if scope in ("all", "coded") else "all",
                attributes={k: split(v) for k, v in (("site", site), ("role", role), ("method", method)) if v},
                unit=unit if unit in SEGMENT_UNITS else "paragraph")


@router.get("/retrieve", response_class=HTMLResponse)
def retrieve(request: Request, codes: str = "", match: str = "any", exclude: str = "", q: str = "",
             scope: str = "all", site: str = "", role: str = "", method: str = "", unit: str = "paragraph"):
    who = _who(request)
    project = request.app.state.project
    args = _retrieve_args(codes, match, exclude, q, scope, site, role, method, unit)
    table = services.retrieve(project, visible_to=who.coder, **args)
    cb = project.load_codebook()
    passages = []
    for r in table.to_dict("records"):
        passages.append({**{k: plain(v) for k, v in r.items() if k not in ("coded", "hits")},
                         "pieces": _pieces(r, cb)})
    overview = project.transcripts
    choices = {c: sorted({str(v) for v in overview[c].dropna()}) for c in ("site", "role", "method")
               if c in overview.columns}
    query = request.url.query
    return page(request, "retrieve.html", who, passages=passages, args=args, choices=choices, query=query,
                flag_note=FLAG_NOTE,
                form={"codes": codes, "match": match, "exclude": exclude, "q": q, "scope": scope, "site": site,
                      "role": role, "method": method, "unit": unit},
                codes=[(c.code_id, c.name) for c in cb.codes], units=SEGMENT_UNITS)


def _pieces(row: dict, cb) -> list[dict]:
    """A passage cut where coded spans and search hits begin and end, each piece marked with what covers it."""
    start, text = int(row["start"]), row["text"]
    cuts = {0, len(text)}
    for s, e, *_ in row["coded"]:
        cuts |= {s - start, e - start}
    for s, e in row["hits"]:
        cuts |= {s - start, e - start}
    cuts = sorted(c for c in cuts if 0 <= c <= len(text))
    out = []
    for a, b in zip(cuts, cuts[1:]):
        codes = sorted({c for s, e, c, _ in row["coded"] if s - start <= a and e - start >= b})
        hit = any(s - start <= a and e - start >= b for s, e in row["hits"])
        domain = cb[codes[-1]].domain if codes else ""
        out.append({"text": text[a:b], "codes": codes, "hit": hit, "domain": domain})
    return out


@router.get("/retrieve/export.{fmt}")
def retrieve_export(request: Request, fmt: str, codes: str = "", match: str = "any", exclude: str = "",
                    q: str = "", scope: str = "all", site: str = "", role: str = "", method: str = "",
                    unit: str = "paragraph"):
    who = _who(request)
    if fmt not in ("xlsx", "docx"):
        raise HTTPException(404, "export as .xlsx or .docx")
    from ..render import passages_to_docx, passages_to_xlsx

    args = _retrieve_args(codes, match, exclude, q, scope, site, role, method, unit)
    table = services.retrieve(request.app.state.project, visible_to=who.coder, **args)
    query = {"codes": ", ".join(args["codes"]), "match": args["match"], "exclude": ", ".join(args["exclude"]),
             "text": q, "scope": args["scope"], "unit": args["unit"],
             **{k: ", ".join(v) for k, v in args["attributes"].items()}}
    doc = (passages_to_xlsx if fmt == "xlsx" else passages_to_docx)(table, query={k: v for k, v in query.items() if v})
    buf = io.BytesIO()
    doc.save(buf)
    kind = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" if fmt == "xlsx" else
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    return Response(buf.getvalue(), media_type=kind,
                    headers={"Content-Disposition": f'attachment; filename="passages.{fmt}"'})


@router.get("/agreement", response_class=HTMLResponse)
def agreement(request: Request, coders: str = "", unit: str = "paragraph"):
    who = _who(request)
    project = request.app.state.project
    everyone = individual_coders(project.codings)
    names = [c.strip() for c in coders.split(",") if c.strip()] or everyone[:2]
    opened = sorted(services.visible_transcripts(project))
    unit = unit if unit in AGREEMENT_UNITS else "paragraph"
    table, chart, problem, cautions = None, "", None, ()
    try:
        found = services.visible_agreement(project, names, unit=unit)
        table, cautions = found.table, found.warnings
        codes = table[table["level"] == "code"]
        if len(codes):
            domains = project.codebook.set_index("code_id")["domain"]
            fig = agreement_figure(table.assign(domain=table["key"].map(domains)))
            chart = _json(json.loads(fig.to_json()))  # drawn by the page script: no inline script under the CSP
    except NptCoderError as err:
        problem = str(err)
    rows = [] if table is None else [{k: plain(v) for k, v in r.items()} for r in table.to_dict("records")]
    return page(request, "agreement.html", who, rows=rows, chart=chart, problem=problem, names=names,
                everyone=everyone, unit=unit, units=AGREEMENT_UNITS, opened=opened, cautions=cautions)


@router.get("/reports/{name}")
def report_file(request: Request, name: str):
    _who(request)
    folder = (request.app.state.project.root / "reports").resolve()
    path = (folder / name).resolve()
    if path.parent != folder or not path.is_file() or path.suffix.lower() not in _REPORT_SUFFIXES:
        raise HTTPException(404, "no such report")
    return FileResponse(path, headers={"Content-Security-Policy": "sandbox allow-scripts allow-popups; default-src 'self' "
                                                     "'unsafe-inline' data: blob:"})


# -- signing in -------------------------------------------------------------------------------------------------

@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/"):
    state = request.app.state.workbench
    if not state.team:
        return page(request, "token.html", None, status=401)
    pre = secrets.token_urlsafe(24)
    response = page(request, "login.html", None, pre=pre, next=_local_path(next), problem=None)
    _cookie(response, request, _PRE, pre, max_age=900)
    return response


@router.post("/login", response_class=HTMLResponse)
def login(request: Request, name: str = Form(""), password: str = Form(""), csrf: str = Form(""),
          next: str = Form("/")):
    state = request.app.state.workbench
    if not state.team:
        return page(request, "token.html", None, status=401)
    pre = request.cookies.get(_PRE)
    if not pre or not secrets.compare_digest(pre, csrf):
        raise HTTPException(403, "the sign-in form expired; load it again")
    try:
        found = services.sign_in(request.app.state.project, name, password)
    except AccessError as err:
        fresh = secrets.token_urlsafe(24)
        response = page(request, "login.html", None, status=401, pre=fresh, next=_local_path(next), problem=str(err))
        _cookie(response, request, _PRE, fresh, max_age=900)
        return response
    response = RedirectResponse(_local_path(next), status_code=303)
    _cookie(response, request, COOKIE, found.token, max_age=services.SESSION_HOURS * 3600)
    response.delete_cookie(_PRE, path="/")
    return response


@router.post("/logout")
def logout(request: Request, csrf: str = Form("")):
    who = _who(request)
    check_write(request, who, csrf)
    if who.member and who.session:
        services.sign_out(request.app.state.project, who.session)
    else:
        request.app.state.workbench.local_sessions.pop(who.session or "", None)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response


@router.post("/coder")
def pick_coder(request: Request, coder: str = Form(""), csrf: str = Form(""), next: str = Form("/")):
    """Local mode: the name this browser codes as (a cookie)."""
    who = _who(request)
    check_write(request, who, csrf)
    if who.member:
        raise HTTPException(400, "team mode: you code as the member you signed in as")
    try:
        name = services.check_coder_name(coder)
    except NptCoderError as err:
        raise HTTPException(400, str(err)) from None
    response = RedirectResponse(_local_path(next), status_code=303)
    _cookie(response, request, CODER_COOKIE, quote(name, safe=""), max_age=365 * 86400)
    return response


def _local_path(path: str) -> str:
    """Only a path on this server (never another site) to go back to."""
    return path if path.startswith("/") and not path.startswith("//") and "\\" not in path else "/"


def _cookie(response: Response, request: Request, name: str, value: str, *, max_age: int) -> None:
    response.set_cookie(name, value, max_age=max_age, path="/", httponly=True, samesite="strict",
                        secure=request.app.state.workbench.secure_cookies)


def static_root() -> Path:
    return Path(__file__).with_name("static")
