"""Renderers: DataFrames and results in, ``str``/``Document``/``Workbook``/plotly ``Figure`` out; callers save.

Renderers never query the project store.
"""

from ._codebook import codebook_to_docx, codebook_to_markdown, codebook_to_xlsx, manual_entries
from ._style import DOMAIN_COLOURS

__all__ = ["DOMAIN_COLOURS", "codebook_to_docx", "codebook_to_markdown", "codebook_to_xlsx", "manual_entries"]
