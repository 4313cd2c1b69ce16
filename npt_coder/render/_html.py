"""HTML pages from the Jinja2 templates in ``npt_coder/render/templates/``, with autoescaping on.

Every value a template shows is escaped unless the template marks it ``|safe``; only HTML this package made itself
is so marked (plotly's figure markup and script, and tables written by :meth:`pandas.DataFrame.to_html`, which
escapes their cells). Transcript text, codebook entries, titles and notes are therefore always shown as text.
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

__all__ = ["render_page"]

_env: Environment | None = None


def _environment() -> Environment:
    global _env
    if _env is None:
        _env = Environment(loader=PackageLoader("npt_coder.render", "templates"), autoescape=True,
                           undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    return _env


def render_page(template: str, **context: Any) -> str:
    """The template named ``template`` (a file in ``templates/``) filled from ``context``.

    >>> render_page("base.html", title="<Pilot>").splitlines()[4]
    '<title>&lt;Pilot&gt;</title>'
    """
    return _environment().get_template(template).render(**context)
