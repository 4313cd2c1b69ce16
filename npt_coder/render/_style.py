"""Shared visual identity of the renderers: the domain colours (from :mod:`npt_coder.palette`) and names."""

from __future__ import annotations

from ..palette import DOMAIN_COLOURS, UNMAPPED_COLOUR

__all__ = ["DOMAIN_COLOURS", "DOMAIN_NAMES", "UNMAPPED_COLOUR"]

#: How each CMO domain is named in headings, legends and sheet names.
DOMAIN_NAMES: dict[str, str] = {"context": "Context", "mechanism": "Mechanism", "outcome": "Outcome"}
