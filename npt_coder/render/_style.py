"""Shared visual identity: one colour per CMO domain, used by every chart, table and logic model."""

from __future__ import annotations

__all__ = ["DOMAIN_COLOURS"]

# Colour-blind-safe (Okabe-Ito): context blue, mechanism orange, outcome green; inductive codes take their
# target's domain colour.
DOMAIN_COLOURS: dict[str, str] = {
    "context": "#0072B2",
    "mechanism": "#E69F00",
    "outcome": "#009E73",
}
