"""The units agreement is computed on, named in the same words as everywhere else in the toolkit.

``unit`` says what one unit is. A segment unit (``"turn"``, ``"paragraph"``, ``"sentence"``: the words the project
store, the coding workbooks and the themes use) compares coders segment by segment; ``"character"``,
``"document"`` and ``"overlap"`` are the other comparisons (see :mod:`npt_coder.agreement._study`).

Before 0.2 the segment comparison was ``unit="segment"`` with the kind of segment in a second keyword,
``segment_unit=``; both are still accepted, with a :class:`DeprecationWarning`, until 0.3.
"""

from __future__ import annotations

import warnings
from typing import Literal

from ..errors import NptCoderError
from ..ingest import UNITS as SEGMENT_UNITS

__all__ = ["AGREEMENT_UNITS", "SEGMENT_UNITS", "AgreementUnit", "split_unit"]

AgreementUnit = Literal["turn", "paragraph", "sentence", "character", "document", "overlap"]
AGREEMENT_UNITS: tuple[str, ...] = (*SEGMENT_UNITS, "character", "document", "overlap")
"""Every ``unit=`` the agreement table takes: the segment units, then the character, document and overlap units."""


def split_unit(unit: str, segment_unit: str | None = None, *, allowed: tuple[str, ...] = AGREEMENT_UNITS,
               stacklevel: int = 3) -> tuple[str, str]:
    """``(comparison, segments)``: ``("segment", "sentence")`` for ``unit="sentence"``, ``("document", "paragraph")``
    for ``unit="document"`` (the segments are then unused).

    The old spellings ``unit="segment"`` and ``segment_unit=`` are mapped onto the new one with a
    :class:`DeprecationWarning` naming it; ``allowed`` lists the units the caller supports.

    >>> split_unit("sentence")
    ('segment', 'sentence')
    >>> split_unit("overlap")
    ('overlap', 'paragraph')
    """
    if segment_unit is not None or unit == "segment":
        segments = segment_unit if segment_unit is not None else "paragraph"
        new = segments if unit in (*SEGMENT_UNITS, "segment") else unit
        old = ", ".join(part for part in (f"unit={unit!r}" if unit == "segment" else "",
                                          f"segment_unit={segment_unit!r}" if segment_unit is not None else "") if part)
        warnings.warn(f"{old} is deprecated since npt-coder 0.2 and goes in 0.3: name the unit itself, "
                      f"unit={new!r}", DeprecationWarning, stacklevel=stacklevel)
        unit = new
    if unit not in allowed:
        raise NptCoderError(f"unit must be one of {', '.join(allowed)}; got {unit!r}")
    if unit in SEGMENT_UNITS:
        return "segment", unit
    return unit, "paragraph"
