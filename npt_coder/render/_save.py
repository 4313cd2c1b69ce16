"""``save(obj, path)``: write a result, or a document already rendered, in the format the file's suffix names.

One place decides which renderer makes which file, so every front end accepts the same suffixes and refuses the
rest with the same message (a workbook is never written under a ``.csv`` name).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go
from docx.document import Document as WordDocument
from openpyxl import Workbook

from .._io import write_atomically
from .._words import noun
from ..codebook import Codebook
from ..errors import RenderError
from ..logic_model import LogicModel, describe
from ..themes import Themes
from ._agreement import (
    agreement_to_docx,
    agreement_to_html,
    agreement_to_xlsx,
    methods_paragraph,
)
from ._review import disagreements_to_docx
from ._codebook import codebook_to_docx, codebook_to_markdown, codebook_to_xlsx
from ._images import figure_image
from ._logic_model import logic_model_figure, logic_model_to_docx, logic_model_to_html
from ._passages import passages_to_docx, passages_to_xlsx
from ._report import report_to_docx, report_to_html, report_to_xlsx
from ._matrix import matrix_to_xlsx
from ._themes import themes_to_docx, themes_to_html, themes_to_markdown, themes_to_xlsx
from .._xlsx import write_sheet

__all__ = ["check_format", "save"]

Writer = Callable[[Any, Path, Mapping[str, Any]], None]
_ALIASES = {".htm": ".html"}
_REPORT_FIELDS = ("title", "methods", "design", "coders", "codebook", "themes", "matrix", "logic_models")


def _text(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def _pick(options: Mapping[str, Any], *names: str) -> dict[str, Any]:
    return {k: options[k] for k in names if k in options}


# -- writers per kind -------------------------------------------------------------------------------------------------

def _frame_writers(sheet_name: str) -> dict[str, Writer]:
    return {
        ".csv": lambda df, path, o: df.to_csv(path, index=False),
        ".json": lambda df, path, o: df.to_json(path, orient="records", force_ascii=False, indent=2),
        ".xlsx": lambda df, path, o: _one_sheet(df, o.get("sheet_name", sheet_name)).save(path),
    }


def _one_sheet(frame: pd.DataFrame, name: str) -> Workbook:
    wb = Workbook()
    write_sheet(wb.active, name, frame, default_width=14)
    return wb


def _agreement_methods(table: pd.DataFrame, options: Mapping[str, Any]) -> str:
    return options["methods"] if options.get("methods") is not None else methods_paragraph(table)


def _image(fig: go.Figure, path: Path, options: Mapping[str, Any]) -> None:
    fmt = path.suffix.lower().lstrip(".")
    width = options.get("width") or fig.layout.width or 1100
    height = options.get("height") or fig.layout.height or 600
    scale = options.get("scale") or (2 if fmt == "png" else 1)
    data, reason = figure_image(fig, format=fmt, width=width, height=height, scale=scale)
    if data is None:
        raise RenderError(f"no image could be made ({reason}); write .html instead")
    path.write_bytes(data)



def _logic_model_figure(model: LogicModel, options: Mapping[str, Any]) -> go.Figure:
    return logic_model_figure(model, **_pick(options, "compare_with", "evidence", "compare_evidence", "layout",
                                             "width", "font_size"))


def _logic_model_text(model: LogicModel, path: Path, options: Mapping[str, Any]) -> None:
    _text(path, describe(model, **_pick(options, "compare_with", "evidence", "compare_evidence")) + "\n")


def _logic_model_image(model: LogicModel, path: Path, options: Mapping[str, Any]) -> None:
    _image(_logic_model_figure(model, options), path, _pick(options, "scale"))


@dataclass(frozen=True)
class _Kind:
    name: str
    accepts: Callable[[Any], bool]
    writers: Mapping[str, Writer]
    options: tuple[str, ...] = ()
    hint: str = ""


def _is_report(obj: Any) -> bool:
    return all(hasattr(obj, f) for f in _REPORT_FIELDS)


def _has_columns(*names: str) -> Callable[[Any], bool]:
    return lambda obj: isinstance(obj, pd.DataFrame) and set(names) <= set(obj.columns)


def _result_with(*fields: str) -> Callable[[Any], bool]:
    """A frozen result object (a ``table`` frame plus named fields), recognised by its fields: render cannot import
    the layers that define them."""
    return lambda obj: isinstance(getattr(obj, "table", None), pd.DataFrame) and all(hasattr(obj, f) for f in fields)


def _of_table(writer: Writer) -> Writer:
    return lambda result, path, options: writer(result.table, path, options)


_KINDS: tuple[_Kind, ...] = (
    _Kind("Word document", lambda o: isinstance(o, WordDocument), {".docx": lambda d, p, o: d.save(p)}),
    _Kind("workbook", lambda o: isinstance(o, Workbook), {".xlsx": lambda wb, p, o: wb.save(p)}),
    _Kind("plotly figure", lambda o: isinstance(o, go.Figure), {
        ".html": lambda f, p, o: f.write_html(p, include_plotlyjs=True, full_html=True),
        ".png": _image, ".svg": _image, ".pdf": _image,
        ".json": lambda f, p, o: _text(p, f.to_json()),
    }, ("width", "height", "scale")),
    _Kind("codebook", lambda o: isinstance(o, Codebook), {
        ".docx": lambda cb, p, o: codebook_to_docx(cb).save(p),
        ".xlsx": lambda cb, p, o: codebook_to_xlsx(cb).save(p),
        ".md": lambda cb, p, o: _text(p, codebook_to_markdown(cb)),
        ".csv": lambda cb, p, o: cb.frame.to_csv(p, index=False),
    }, hint="REFI-QDA .qdc is written by the coding layer's export"),
    _Kind("themed summary", lambda o: isinstance(o, Themes), {
        ".docx": lambda t, p, o: themes_to_docx(t, **_pick(o, "figures", "title")).save(p),
        ".xlsx": lambda t, p, o: themes_to_xlsx(t).save(p),
        ".html": lambda t, p, o: _text(p, themes_to_html(t, **_pick(o, "figures", "title"))),
        ".md": lambda t, p, o: _text(p, themes_to_markdown(t, **_pick(o, "title"))),
    }, ("figures", "title")),
    _Kind("logic model", lambda o: isinstance(o, LogicModel), {
        ".html": lambda m, p, o: _text(p, logic_model_to_html(m, **_pick(
            o, "compare_with", "evidence", "compare_evidence", "layout", "width", "font_size"))),
        ".docx": lambda m, p, o: logic_model_to_docx(m, **_pick(o, "compare_with", "evidence",
                                                                 "compare_evidence")).save(p),
        ".png": _logic_model_image, ".svg": _logic_model_image, ".pdf": _logic_model_image,
        ".txt": _logic_model_text, ".md": _logic_model_text,
    }, ("compare_with", "evidence", "compare_evidence", "layout", "width", "font_size", "scale")),
    _Kind("study report", _is_report, {
        ".docx": lambda r, p, o: report_to_docx(r).save(p),
        ".xlsx": lambda r, p, o: report_to_xlsx(r).save(p),
        ".html": lambda r, p, o: _text(p, report_to_html(r)),
    }),
    _Kind("agreement table", _has_columns("level", "label", "coder_a", "coder_b", "unit", "cohen_kappa"), {
        ".docx": lambda t, p, o: agreement_to_docx(t, _agreement_methods(t, o), **_pick(o, "figure")).save(p),
        ".xlsx": lambda t, p, o: agreement_to_xlsx(t, _agreement_methods(t, o)).save(p),
        ".html": lambda t, p, o: _text(p, agreement_to_html(t, _agreement_methods(t, o), **_pick(o, "figure"))),
        ".csv": _frame_writers("Agreement")[".csv"], ".json": _frame_writers("Agreement")[".json"],
    }, ("methods", "figure")),
    _Kind("disagreements", _result_with("coder_a", "coder_b", "transcripts"), {
        ".docx": lambda d, p, o: disagreements_to_docx(d).save(p),
        ".csv": _of_table(_frame_writers("Disagreements")[".csv"]),
        ".json": _of_table(_frame_writers("Disagreements")[".json"]),
    }, hint="the .xlsx review workbook, to settle them in, is made by review_workbook"),
    _Kind("framework matrix", _result_with("leading", "domains"), {
        ".xlsx": lambda m, p, o: matrix_to_xlsx(m, **_pick(o, "title")).save(p),
        ".csv": _of_table(_frame_writers("Matrix")[".csv"]), ".json": _of_table(_frame_writers("Matrix")[".json"]),
    }, ("title",)),
    _Kind("passages table", _has_columns("transcript_id", "segment_id", "text", "codes", "coders", "attribution"), {
        ".docx": lambda t, p, o: passages_to_docx(t, **_pick(o, "query")).save(p),
        ".xlsx": lambda t, p, o: passages_to_xlsx(t, **_pick(o, "query")).save(p),
        ".csv": _frame_writers("Passages")[".csv"], ".json": _frame_writers("Passages")[".json"],
    }, ("query",)),
    _Kind("table", lambda o: isinstance(o, pd.DataFrame), _frame_writers("Table"), ("sheet_name",)),
)


def _listed(suffixes: Sequence[str]) -> str:
    return ", ".join(suffixes[:-1]) + " or " + suffixes[-1] if len(suffixes) > 1 else suffixes[0]


def check_format(path: str | os.PathLike, formats: Sequence[str], what: str = "output") -> str:
    """The lower-case suffix of ``path`` if it is one of ``formats`` (``.htm`` counts as ``.html``), else a
    one-line :class:`RenderError` ``WHAT must be .a, .b or .c; got '.x'``. A verb checks every output this way
    before any work starts, so a typo in the last ``-o`` does not waste the computation.

    >>> check_format("study.docx", (".docx", ".html"), "report files")
    '.docx'
    >>> check_format("study.pdf", (".docx", ".html"), "report files")
    Traceback (most recent call last):
    ...
    npt_coder.errors.RenderError: report files must be .docx or .html; got '.pdf'
    """
    suffix = Path(path).suffix.lower()
    if _ALIASES.get(suffix, suffix) not in formats:
        raise RenderError(f"{what} must be {_listed(list(formats))}; got {suffix or 'none'!r}")
    return _ALIASES.get(suffix, suffix)


def save(obj: Any, path: str | os.PathLike, *, formats: Sequence[str] | None = None, what: str = "output",
         **options: Any) -> Path:
    """Write ``obj`` to ``path`` in the format its suffix names; returns the path written.

    The suffix (any case; ``.htm`` counts as ``.html``) chooses the renderer. Missing parent folders are made.
    Word and Excel files, and HTML pages, are those the ``*_to_docx``, ``*_to_xlsx`` and ``*_to_html``
    renderers make; HTML pages work offline (plotly.js is inlined).

    ======================  ====  ====  ====  ===  ===  ===  ====  ===  ===  ===
    object                  docx  xlsx  html  md   txt  csv  json  png  svg  pdf
    ======================  ====  ====  ====  ===  ===  ===  ====  ===  ===  ===
    ``Codebook``            x     x           x         x
    ``Themes``              x     x     x     x
    ``LogicModel``          x           x     x    x              x    x    x
    study report            x     x     x
    agreement table         x     x     x               x    x
    disagreements table     x                           x    x
    framework matrix              x                     x    x
    passages table          x     x                     x    x
    other ``DataFrame``           x                     x    x
    plotly ``Figure``                   x                    x     x    x    x
    python-docx document    x
    openpyxl ``Workbook``         x
    ======================  ====  ====  ====  ===  ===  ===  ====  ===  ===  ===

    What each is: a study report is what :func:`npt_coder.report.build_report` returns; an agreement table is
    what :func:`npt_coder.agreement.agreement_table` returns (told apart by its columns), disagreements what
    :func:`npt_coder.review.disagreements` returns, and a framework matrix what
    :func:`npt_coder.themes.framework_matrix` returns (result objects, told apart by their fields), and a passages
    table what :func:`npt_coder.services.retrieve` returns (told apart by its columns). A logic
    model's ``.md`` and ``.txt`` are its text description; a codebook's ``.md`` is
    the coder's manual. CSV and JSON (one record per row) write a table's rows as they are.

    Parameters
    ----------
    obj
        One of the objects in the table.
    path : str or path-like
        The file to write.
    formats, what : optional
        The suffixes a caller offers (a verb may offer fewer than the object has) and what to call the file in the
        error for another suffix (see :func:`check_format`).
    **options
        Passed to the renderer where the chosen format uses them (others are ignored):

        - ``Themes``: ``figures`` (.docx, .html), ``title``.
        - ``LogicModel``: ``compare_with``, ``evidence``, ``compare_evidence``; ``layout``, ``width``,
          ``font_size`` (the drawing: .html and images); ``scale`` (images).
        - agreement table: ``methods`` (default: :func:`~npt_coder.render.methods_paragraph` with its
          defaults), ``figure`` (.docx, .html).
        - framework matrix: ``title`` (.xlsx). Other ``DataFrame``: ``sheet_name`` (.xlsx).
        - passages table: ``query`` (a mapping of what was asked, shown above the passages; .docx, .xlsx).
        - plotly ``Figure``: ``width``, ``height`` (default: the figure's own), ``scale`` (images).

    Raises
    ------
    RenderError
        For a suffix the object has no format for (the message lists those it has), an object of none of these
        kinds, or an image that cannot be made on this machine (no Chromium for kaleido).
    TypeError
        For an option the object's kind does not take.

    Examples
    --------
    >>> import tempfile, pandas as pd
    >>> folder = Path(tempfile.mkdtemp())
    >>> save(pd.DataFrame({"code_id": ["M3.3"], "n": [2]}), folder / "counts.csv").read_text()
    'code_id,n\\nM3.3,2\\n'
    >>> save(pd.DataFrame({"n": [2]}), folder / "counts.pdf")
    Traceback (most recent call last):
    ...
    npt_coder.errors.RenderError: counts.pdf: a table can be saved as .csv, .json or .xlsx; got '.pdf'
    """
    path = Path(path)
    if formats is not None:
        check_format(path, formats, what)
    kind = next((k for k in _KINDS if k.accepts(obj)), None)
    if kind is None:
        names = ", ".join(k.name for k in _KINDS)
        raise RenderError(f"{path.name}: cannot save a {type(obj).__name__}; save takes a {names}")
    unknown = sorted(set(options) - set(kind.options))
    if unknown:
        raise TypeError(f"save() got {noun(len(unknown), 'an option', 'options')} a {kind.name} does not take: "
                        f"{', '.join(unknown)} "
                        f"(it takes: {', '.join(kind.options) or 'none'})")
    suffix = path.suffix.lower()
    writer = kind.writers.get(_ALIASES.get(suffix, suffix))
    if writer is None:
        listed = _listed(sorted(kind.writers))
        hint = f" ({kind.hint})" if kind.hint else ""
        raise RenderError(f"{path.name}: a {kind.name} can be saved as {listed}; got {suffix or 'no suffix'!r}"
                          f"{hint}")
    # whole or not at all: a failure (a full disk, no browser for an image) leaves no partial file behind
    try:
        return write_atomically(path, lambda tmp: writer(obj, tmp, options))
    except RenderError as err:  # a writer's reason, said of the file asked for (not of the temporary one)
        raise RenderError(f"{path.name}: {err}") from None
