"""The workbench verbs: serve (the browser workbench) and users (team members for team mode)."""

from __future__ import annotations

import ipaddress
import logging
import socket
import sys
import threading
import webbrowser
from typing import Annotated, Optional

import typer

from ..errors import NptCoderError
from ..store import ROLES
from ._app import JsonOpt, OneOf, ProjectOpt, Verbs, app, echo_json, one_line_errors, project_at

users_app = Verbs(help="Team members of the workbench's team mode (name, role, password).\n\nExample:\n\n"
                       "  npt-coder users add AK --role lead", no_args_is_help=True, rich_markup_mode=None)
app.add_typer(users_app, name="users")


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on. Local mode listens on loopback only; another "
                                      "address needs team mode (npt-coder users add).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port (0: any free port).", min=0, max=65535)] = 8765,
    token: Annotated[Optional[str], typer.Option(help="Local mode: the sign-in token (default: a new random "
                                                 "one).")] = None,
    no_browser: Annotated[bool, typer.Option("--no-browser", help="Do not open a browser.")] = False,
    secure_cookies: Annotated[Optional[bool], typer.Option("--secure-cookies/--no-secure-cookies",
                                                           help="Mark cookies Secure (default: in team mode, which "
                                                           "should sit behind a TLS proxy).")] = None,
    project: ProjectOpt = None,
) -> None:
    """Serve the coding workbench: read, code, compare and settle in the browser, on this project.

    Local mode (no team members): listens on 127.0.0.1 only and prints, as its first line, the address with a
    sign-in token. Team mode (members added with 'npt-coder users add'): members sign in with their password;
    only then may --host be another address (put a TLS reverse proxy in front). Stop with Ctrl+C.

    Example:

      npt-coder serve -p reports/demo
    """
    import uvicorn

    from ..web import create_app, new_token

    with one_line_errors():
        p = project_at(project)
        team = p.has_users()
        if not _loopback(host) and not team:
            raise NptCoderError(f"--host {host} is not a loopback address: local mode listens on 127.0.0.1 only; "
                                "add team members first ('npt-coder users add NAME --role lead') to serve a team")
        if token is not None and len(token) < 8:
            raise NptCoderError("--token needs at least 8 characters")
        p.use_wal()
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
            # listening before the address is printed: a browser (or script) that connects at once waits in the
            # backlog until the server accepts, instead of being refused while the app is still being set up
            sock.listen(128)
        except OSError as err:
            sock.close()
            raise NptCoderError(f"cannot listen on {host}:{port} ({err.strerror or err})") from None
        bound = sock.getsockname()[1]
        token = token or new_token()
        webapp = create_app(p, token=token, team=team, secure_cookies=secure_cookies)
        shown = f"[{host}]" if ":" in host else host
        url = f"http://{shown}:{bound}/" + ("" if team else f"?token={token}")
        typer.echo(f"npt-coder workbench: {url}" + (" (team mode: members sign in)" if team else ""))
        sys.stdout.flush()
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stderr)
        config = uvicorn.Config(webapp, log_level="warning", access_log=False, timeout_graceful_shutdown=3)
        server = uvicorn.Server(config)
        if not no_browser:
            threading.Timer(1.0, lambda: webbrowser.open(url)).start()
        try:
            server.run(sockets=[sock])
        finally:
            sock.close()


RoleOpt = Annotated[str, typer.Option(help="lead (codes, opens comparisons, settles), coder (codes) or viewer "
                                      "(reads).", parser=OneOf("role", ROLES))]


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(help="The member's name or initials (their codings carry it).")],
    role: RoleOpt = "coder",
    replace: Annotated[bool, typer.Option("--replace", help="Give an existing member a new role and "
                                          "password.")] = False,
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the password from the first "
                                                 "line of standard input instead of prompting.")] = False,
    project: ProjectOpt = None,
) -> None:
    """Add a team member; the password is asked for twice (never on the command line) and stored hashed (scrypt).

    The first member turns the workbench into team mode: sign-in page, roles enforced by the server.

    Example:

      npt-coder users add AK --role lead
    """
    from ..services import add_user

    with one_line_errors():
        p = project_at(project)
        if password_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
        else:
            password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
        add_user(p, name, role, password, replace=replace)
        typer.echo(f"{'updated' if replace else 'added'} {name.strip()} as {role}; 'npt-coder serve' now runs in "
                   "team mode")


@users_app.command("list")
def users_list(project: ProjectOpt = None, as_json: JsonOpt = False) -> None:
    """List team members and their roles.

    Example:

      npt-coder users list
    """
    with one_line_errors():
        users = project_at(project).users
        if as_json:
            echo_json(users.to_dict("records"))
        elif users.empty:
            typer.echo("no team members: 'npt-coder serve' runs in local mode")
        else:
            typer.echo(users.to_string(index=False))


@users_app.command("remove")
def users_remove(name: Annotated[str, typer.Argument(help="The member to remove.")], project: ProjectOpt = None) -> None:
    """Remove a member: they can no longer sign in (their codings stay, with their name).

    Example:

      npt-coder users remove JT
    """
    with one_line_errors():
        project_at(project).remove_user(name)
        typer.echo(f"removed {name}")
