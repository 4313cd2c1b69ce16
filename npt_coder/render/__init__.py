"""Renderers: DataFrames and results in, ``str``/``Document``/``Workbook``/plotly ``Figure`` out; callers save
them, or call :func:`save`, which picks the renderer from the file's suffix.

Renderers never query the project store.
"""

from ..errors import RenderError

from ._agreement import (
    agreement_figure,
    agreement_to_docx,
    agreement_to_html,
    agreement_to_xlsx,
    methods_paragraph,
)
from ._review import disagreements_to_docx
from ._charts import (
    cmo_sankey_figure,
    code_frequency_figure,
    code_heatmap_figure,
    code_sunburst_figure,
    cooccurrence_figure,
)
from ._codebook import codebook_to_docx, codebook_to_markdown, codebook_to_xlsx, manual_entries
from ._images import figure_png, warm_up
from ._report_files import write_report
from ._logic_model import (
    DEFAULT_LOGIC_MODEL_THEME,
    logic_model_figure,
    logic_model_layout,
    logic_model_to_docx,
    logic_model_to_html,
)
from ._passages import passages_to_docx, passages_to_xlsx
from ._report import report_to_docx, report_to_html, report_to_xlsx
from ._save import check_format, save
from ._style import DOMAIN_COLOURS
from ._matrix import matrix_to_xlsx
from ._themes import themes_to_docx, themes_to_html, themes_to_markdown, themes_to_xlsx

__all__ = [
    "DEFAULT_LOGIC_MODEL_THEME",
    "DOMAIN_COLOURS",
    "RenderError",
    "agreement_figure",
    "agreement_to_docx",
    "agreement_to_html",
    "agreement_to_xlsx",
    "cmo_sankey_figure",
    "code_frequency_figure",
    "code_heatmap_figure",
    "code_sunburst_figure",
    "cooccurrence_figure",
    "codebook_to_docx",
    "codebook_to_markdown",
    "codebook_to_xlsx",
    "disagreements_to_docx",
    "figure_png",
    "logic_model_figure",
    "logic_model_layout",
    "logic_model_to_docx",
    "logic_model_to_html",
    "manual_entries",
    "matrix_to_xlsx",
    "passages_to_docx",
    "passages_to_xlsx",
    "methods_paragraph",
    "report_to_docx",
    "report_to_html",
    "report_to_xlsx",
    "save",
    "check_format",
    "themes_to_docx",
    "themes_to_html",
    "themes_to_markdown",
    "themes_to_xlsx",
    "warm_up",
    "write_report",
]
