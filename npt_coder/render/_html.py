"""HTML pages from the Jinja2 templates in ``npt_coder/render/templates/``, with autoescaping on.

Every value a template shows is escaped unless the template marks it ``|safe``; only HTML this package made itself
is so marked (plotly's figure markup and script, and tables written by :meth:`pandas.DataFrame.to_html`, which
escapes their cells). Transcript text, codebook entries, titles and notes are therefore always shown as text.
"""

from __future__ import annotations

import html
import re
from typing import Any

import pandas as pd
from jinja2 import Environment, PackageLoader, StrictUndefined

__all__ = ["html_table", "render_page"]

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


def html_table(frame: pd.DataFrame, caption: str | None = None, *, number: int | None = None, index: bool = False,
               na: str = "–", float_format=None) -> str:
    """``frame`` as an HTML table (cells escaped by pandas), with a numbered ``<caption>`` ("Table 2. ...").

    >>> print(html_table(pd.DataFrame({"Code": ["<b>"]}), "Codes.", number=2).splitlines()[0])
    <table class="dataframe"><caption><strong>Table 2.</strong> Codes.</caption>
    """
    markup = frame.to_html(index=index, escape=True, border=0, na_rep=na, float_format=float_format)
    if caption:
        label = f"<strong>Table {number}.</strong> " if number is not None else ""
        markup = re.sub(r"(<table[^>]*>)", lambda m: f"{m.group(1)}<caption>{label}{html.escape(caption)}</caption>",
                        markup, count=1)
    return markup
