"""The workbench application: one FastAPI app over one open project.

Nothing here decides anything about codings: pages and API routes call the store and :mod:`npt_coder.services`.
The app adds what a local web server needs: the sign-in token in the address (``?token=``), one-line errors,
security headers (a content security policy that allows nothing from another origin), and an access log that
records method, route and status only, never a query string or a body, which could hold transcript text or the
token.
"""

from __future__ import annotations

import logging
import secrets
import time
from importlib import resources
from urllib.parse import urlencode

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, PackageLoader
from starlette.exceptions import HTTPException as StarletteHTTPException

from .._version import __version__
from .._words import count
from ..errors import AccessError, NptCoderError, ProjectError, StaleWorkError
from ..store import Project
from . import _api, _pages
from ._auth import COOKIE, WorkbenchState, identify

__all__ = ["create_app", "new_token"]

log = logging.getLogger("npt_coder.web")
_CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        "connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")


def new_token() -> str:
    """A random sign-in token for local mode (as Jupyter makes one)."""
    return secrets.token_urlsafe(24)


def _status(err: Exception) -> int:
    if isinstance(err, StaleWorkError):
        return 409
    if isinstance(err, AccessError):
        return 403
    if isinstance(err, ProjectError) and str(err).startswith(("no transcript", "no coding")):
        return 404
    if isinstance(err, ProjectError) and "no longer current" in str(err):
        return 409
    return 400


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def create_app(project: Project, *, token: str | None = None, team: bool | None = None,
               secure_cookies: bool | None = None) -> FastAPI:
    """The workbench for ``project``.

    ``team`` defaults to whether the project has members (``npt-coder users add``); ``token`` is the local-mode
    sign-in token (default: a new random one, in ``app.state.workbench.token``); cookies are Secure in team mode
    unless ``secure_cookies=False`` (plain HTTP on loopback, no TLS proxy in front).
    """
    team = project.has_users() if team is None else team
    state = WorkbenchState(token=token or new_token(), team=team,
                           secure_cookies=team if secure_cookies is None else secure_cookies)
    app = FastAPI(title="npt-coder workbench", version=__version__, docs_url=None, redoc_url=None,
                  openapi_url=None, description="The JSON API of `npt-coder serve`. Authenticate with the session "
                  "cookie or `Authorization: Bearer TOKEN` (local mode: the printed token; team mode: the token "
                  "`POST /api/sessions` gives).")
    app.state.project = project
    app.state.workbench = state
    app.state.templates = Environment(loader=PackageLoader("npt_coder.web", "templates"), autoescape=True,
                                      trim_blocks=True, lstrip_blocks=True)
    app.state.templates.filters["counted"] = count  # {{ n|counted("passage") }}: "1 passage", "3 passages"
    app.include_router(_api.router)
    app.include_router(_pages.router)
    app.mount("/static", StaticFiles(directory=str(_pages.static_root())), name="static")

    @app.get("/api/openapi.json", include_in_schema=False)
    def openapi(request: Request):
        if identify(request) is None:
            raise HTTPException(401, "sign in first")
        return app.openapi()

    @app.get("/vendor/plotly.min.js", include_in_schema=False)
    def plotly_js():  # the copy inside the installed plotly package: charts draw offline, nothing from a CDN
        path = resources.files("plotly") / "package_data" / "plotly.min.js"
        return FileResponse(str(path), media_type="text/javascript",
                            headers={"Cache-Control": "max-age=86400"})

    app.add_middleware(_Guard, state=state)

    @app.exception_handler(NptCoderError)
    async def toolkit_error(request: Request, err: NptCoderError):
        return _error(request, _status(err), _one_line(str(err)))

    @app.exception_handler(StarletteHTTPException)  # FastAPI's and the router's own (an address with no page)
    async def http_error(request: Request, err: StarletteHTTPException):
        return _error(request, err.status_code, _one_line(str(err.detail)))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, err: RequestValidationError):
        # the field and the rule, never the value sent (it may be transcript text)
        first = err.errors()[0] if err.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p != "body") or "request"
        return _error(request, 422, f"{where}: {first.get('msg', 'invalid')}")

    @app.exception_handler(_pages.NotSignedIn)
    async def not_signed_in(request: Request, err: Exception):
        if state.team:
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse("/login?" + urlencode({"next": target}), status_code=303)
        return _pages.page(request, "token.html", None, status=401)

    return app


_HEADERS = [(b"content-security-policy", _CSP.encode()), (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"no-referrer"), (b"x-frame-options", b"DENY")]


class _Guard:
    """Plain ASGI middleware (cheaper than Starlette's BaseHTTPMiddleware on every write): ``?token=`` sign-in,
    security headers, ``Server-Timing`` and the access log (method, route, status, time; never a query or body)."""

    def __init__(self, app, state: WorkbenchState):
        self.app, self.state = app, state

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        began = time.perf_counter()
        request = Request(scope)
        status = [0]
        is_api = scope["path"].startswith("/api/")

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                status[0] = message["status"]
                headers = [(k, v) for k, v in message.get("headers", [])]
                names = {k.lower() for k, _ in headers}
                headers += [(k, v) for k, v in _HEADERS if k not in names]
                kind = dict(headers).get(b"content-type", b"")
                if is_api or b"text/html" in kind:
                    headers.append((b"cache-control", b"no-store"))
                took = (time.perf_counter() - began) * 1000
                headers.append((b"server-timing", f"app;dur={took:.1f}".encode()))
                message = {**message, "headers": headers}
            await send(message)

        given = request.query_params.get("token")
        if given is not None and scope["method"] == "GET" and not is_api:
            await _token_signin(request, self.state, given)(scope, receive, send_with_headers)
        else:
            await self.app(scope, receive, send_with_headers)
        route = scope.get("route")
        log.info("%s %s %s %.1fms", scope["method"], getattr(route, "path", "-"), status[0],
                 (time.perf_counter() - began) * 1000)


def _token_signin(request: Request, state: WorkbenchState, given: str) -> Response:
    """``?token=`` on a page: sign this browser in (local mode) and send it to the same address without the token."""
    if state.team or not secrets.compare_digest(given, state.token):
        return _pages.page(request, "token.html", None, status=401)
    sid, _ = state.new_local_session()
    rest = [(k, v) for k, v in request.query_params.multi_items() if k != "token"]
    target = request.url.path + (f"?{urlencode(rest)}" if rest else "")
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(COOKIE, sid, path="/", httponly=True, samesite="strict", secure=state.secure_cookies)
    return response


def _error(request: Request, status: int, message: str) -> Response:
    if request.url.path.startswith("/api/") or "text/html" not in request.headers.get("accept", ""):
        return JSONResponse({"detail": message}, status_code=status)
    who = identify(request)
    return _pages.page(request, "error.html", who, status=status, status_code=status, message=message)
