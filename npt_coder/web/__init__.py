"""The coding workbench (``npt-coder serve``): read, code, compare and settle in the browser, alone or as a team.

A FastAPI application over one project, with Jinja2 pages (autoescaped), vendored static script and style, and a
JSON API under ``/api``. It holds no coding logic of its own: every change goes through the store and
:mod:`npt_coder.services`, the same functions the command line uses. See :func:`create_app`.
"""

from ._app import create_app, new_token

__all__ = ["create_app", "new_token"]
