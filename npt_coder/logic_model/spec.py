"""The logic-model spec as objects: columns of items, optional groups, the harms box (the data model).

These are what :func:`~npt_coder.logic_model.load_logic_model` returns once a spec is valid; the YAML they are read
from is described in :mod:`npt_coder.logic_model`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator, Mapping

__all__ = [
    "COLUMN_KINDS",
    "DEFAULT_COLUMNS",
    "EVIDENCE_KEYS",
    "THEME_KEYS",
    "LogicModel",
    "LogicModelColumn",
    "LogicModelGroup",
    "LogicModelHarms",
    "LogicModelItem",
]

#: The default columns and, for the last one, its two groups (the pattern of realist logic models).
DEFAULT_COLUMNS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Context", "context", ()),
    ("Activities", "activities", ()),
    ("Mechanisms", "mechanism", ()),
    ("Intended impact", "outcome", ("For services and staff", "For children and families")),
)
#: What a column can be; it decides the column's colour (``theme``) and where drafted items go.
COLUMN_KINDS = ("context", "activities", "mechanism", "outcome", "other")
#: Colour keys a spec's ``theme`` may set: one per column kind, the harms box, and the text.
THEME_KEYS = ("context", "activities", "mechanism", "outcome", "other", "harms", "text")
#: The counts an item's ``evidence`` may record.
EVIDENCE_KEYS = ("participants", "transcripts", "sites")


# -- the spec as objects ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class LogicModelItem:
    """One box of a logic model. ``path`` is where it sits in the spec, e.g. ``columns[3].groups[0].items[2]``."""

    text: str
    id: str | None = None
    codes: tuple[str, ...] = ()
    evidence: Mapping[str, int] | None = None  # counts recorded in the spec (e.g. by the draft)
    note: str = ""
    path: str = ""


@dataclass(frozen=True)
class LogicModelGroup:
    """Items under a sub-heading of a column; ``name`` is ``None`` for a column's ungrouped items."""

    name: str | None
    items: tuple[LogicModelItem, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class LogicModelColumn:
    name: str
    kind: str = "other"
    colour: str | None = None  # explicit colour; otherwise the theme colour of ``kind``
    groups: tuple[LogicModelGroup, ...] = ()
    note: str = ""
    grouped: bool = False  # the spec used ``groups:`` (else ``items:``)

    @property
    def items(self) -> tuple[LogicModelItem, ...]:
        return tuple(i for g in self.groups for i in g.items)


@dataclass(frozen=True)
class LogicModelHarms:
    title: str = "Unintended harms"
    items: tuple[LogicModelItem, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class LogicModel:
    """A validated logic model (see the module docstring for the YAML it is read from)."""

    title: str
    model: str
    columns: tuple[LogicModelColumn, ...]
    harms: LogicModelHarms | None = None
    summary: str = ""
    theme: Mapping[str, str] = field(default_factory=dict)  # overrides only; renderers hold the defaults
    notes: tuple[str, ...] = ()
    source: Mapping[str, Any] | None = None
    path: str | None = None

    def iter_items(self) -> Iterator[tuple[str, str | None, LogicModelItem]]:
        """Every item with its column name (``harms`` title for the harms box) and group name, in reading order."""
        for col in self.columns:
            for g in col.groups:
                for item in g.items:
                    yield col.name, g.name, item
        if self.harms is not None:
            for item in self.harms.items:
                yield self.harms.title, None, item

    @property
    def items(self) -> list[LogicModelItem]:
        return [item for _, _, item in self.iter_items()]

    def item(self, path: str) -> LogicModelItem:
        for it in self.items:
            if it.path == path:
                return it
        raise KeyError(path)

    def to_dict(self) -> dict[str, Any]:
        """A plain mapping (as the YAML holds it) that :func:`load_logic_model` reads back unchanged."""
        def item_dict(it: LogicModelItem) -> dict[str, Any]:
            d: dict[str, Any] = {"text": it.text}
            if it.id:
                d["id"] = it.id
            if it.codes:
                d["codes"] = list(it.codes)
            if it.evidence:
                d["evidence"] = dict(it.evidence)
            if it.note:
                d["note"] = it.note
            return d

        out: dict[str, Any] = {"title": self.title, "model": self.model}
        if self.summary:
            out["summary"] = self.summary
        if self.theme:
            out["theme"] = dict(self.theme)
        if self.notes:
            out["notes"] = list(self.notes)
        if self.source:
            out["source"] = dict(self.source)
        cols = []
        for col in self.columns:
            c: dict[str, Any] = {"name": col.name, "kind": col.kind}
            if col.colour:
                c["colour"] = col.colour
            if col.note:
                c["note"] = col.note
            if col.grouped:
                c["groups"] = [{"name": g.name, **({"note": g.note} if g.note else {}),
                                "items": [item_dict(i) for i in g.items]} for g in col.groups]
            else:
                c["items"] = [item_dict(i) for i in col.items]
            cols.append(c)
        out["columns"] = cols
        if self.harms is not None:
            h: dict[str, Any] = {"title": self.harms.title, "items": [item_dict(i) for i in self.harms.items]}
            if self.harms.note:
                h["note"] = self.harms.note
            out["harms"] = h
        return out
