"""The toolkit's colours: one per CMO domain, and the grey of codes mapped to no domain.

A leaf module (it imports nothing), so every layer can use it: the renderers draw charts, tables and logic models
with it, and an export that gives codes a colour can take the same one.
"""

from __future__ import annotations

__all__ = ["DOMAIN_COLOURS", "UNMAPPED_COLOUR"]

#: Colour-blind-safe (Okabe-Ito): context blue, mechanism orange, outcome green. Inductive codes take the colour of
#: the domain they map to.
DOMAIN_COLOURS: dict[str, str] = {
    "context": "#0072B2",
    "mechanism": "#E69F00",
    "outcome": "#009E73",
}

#: A code that maps to no CMO domain.
UNMAPPED_COLOUR = "#777777"
