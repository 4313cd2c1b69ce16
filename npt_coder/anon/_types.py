"""Identifier types, their severities and placeholders, and the masked preview."""

from __future__ import annotations

import builtins
import re
from dataclasses import dataclass

from ..errors import IdentifierCheckError

__all__ = ["FINDING_COLUMNS", "LOW_SEVERITY", "NAME_LIKE", "PLACEHOLDER", "TYPES", "Candidate", "mask", "severity_of"]

#: Every type the check reports, most specific first.
TYPES: tuple[str, ...] = (
    "url", "email", "nhs_number", "phone", "postcode", "address", "date", "age_with_name", "person",
    "deny_list", "school", "organisation", "place",
)
#: Types that identify a site or region rather than a person: reported with severity "low".
LOW_SEVERITY = frozenset({"school", "organisation", "place"})
#: Types found from capitalised words (patterns or NER), which speaker labels and participant ids can look like.
NAME_LIKE = frozenset({"person", "age_with_name", "school", "organisation", "place"})
#: Placeholder stem per type; a trailing ``#`` means the placeholder is numbered (``[PERSON 1]``).
PLACEHOLDER: dict[str, str] = {
    "person": "PERSON #", "age_with_name": "PERSON #", "deny_list": "REDACTED #", "school": "SCHOOL #",
    "organisation": "ORGANISATION #", "place": "PLACE #", "phone": "PHONE", "email": "EMAIL", "url": "URL",
    "nhs_number": "NHS NUMBER", "postcode": "POSTCODE", "address": "ADDRESS", "date": "DATE",
}
FINDING_COLUMNS: tuple[str, ...] = ("type", "severity", "start", "end", "preview", "detector")


def severity_of(kind: str) -> str:
    """``"low"`` for school, organisation and place; ``"high"`` for everything else."""
    return "low" if kind in LOW_SEVERITY else "high"


@dataclass(slots=True)
class Candidate:
    """One possible finding before overlaps are resolved."""

    start: int
    end: int
    type: str
    detector: str
    priority: int
    raised: bool = False  # a deny-list term inside it raised it to severity "high"

    def overlaps(self, start: int, end: int) -> bool:
        return self.start < end and start < self.end

    def __repr__(self) -> str:  # never the text itself
        return f"Candidate({self.type!r}, {self.start}, {self.end}, {self.detector!r})"


_TOKEN = re.compile(r"\w+")


def _mask_words(value: str) -> str:
    out: list[str] = []
    last = 0
    first = True
    for m in _TOKEN.finditer(value):
        out.append(value[last : m.start()])
        tok = m.group()
        if tok[0].isdigit():
            keep = 2 if first and len(tok) > 2 and tok[1].isdigit() else (1 if first and len(tok) > 1 else 0)
        else:
            keep = 1 if len(tok) > 1 else 0
        out.append(tok[:keep] + "*" * (len(tok) - keep))
        first = False
        last = m.end()
    out.append(value[last:])
    return "".join(out)


def mask(value: str, type: str) -> str:  # noqa: A002 - the documented argument name
    """A masked preview of an identifier: the first character of each word, the first two digits of the first
    group of digits, every other letter or digit replaced by ``*``; separators are kept.

    Parameters
    ----------
    value : str
        The identifier as found in the text.
    type : str
        One of :data:`TYPES`; an email keeps the first character of its local part and of its domain only.

    Returns
    -------
    str
        The preview, which never equals ``value`` for a value of two characters or more.

    Examples
    --------
    >>> mask("Sarah Walker", "person")
    'S**** W*****'
    >>> mask("07700 900123", "phone")
    '07*** ******'
    >>> mask("jane@example.com", "email")
    'j***@e******.***'
    >>> mask("LS6 2AB", "postcode")
    'L** ***'
    """
    if not isinstance(value, str):
        raise IdentifierCheckError(f"value must be a str; got {builtins.type(value).__name__}")
    if type not in PLACEHOLDER:
        raise IdentifierCheckError(f"type must be one of {', '.join(map(repr, TYPES))}; got {type!r}")
    if type == "email" and "@" in value:
        local, _, domain = value.partition("@")
        labels = domain.split(".")
        masked_domain = ".".join(
            (lab[:1] + "*" * (len(lab) - 1)) if i == 0 else "*" * len(lab) for i, lab in enumerate(labels)
        )
        return (local[:1] + "*" * (len(local) - 1)) + "@" + masked_domain
    masked = _mask_words(value)
    if masked == value and len(value) > 1:  # e.g. "J A": hide the last character so the value never shows
        masked = value[:-1] + "*"
    return masked
