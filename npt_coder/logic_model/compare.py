"""Comparison: which items two logic models share and which are unique to one (those are drawn bold)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

import pandas as pd

from ..errors import OptionError
from .load import load_logic_model
from .spec import LogicModel, LogicModelItem

__all__ = ["Comparison", "compare", "normalise_text"]


def normalise_text(text: str) -> str:
    """Text as items are matched between models: case, spacing and punctuation ignored.

    >>> normalise_text("  Parents are asked -- for CONSENT!") == normalise_text("parents are asked for consent")
    True
    """
    text = unicodedata.normalize("NFKC", text).casefold()
    text = "".join("" if ch in "'’‘`" else (" " if unicodedata.category(ch)[0] in "PS" else ch) for ch in text)
    return " ".join(text.split())


@dataclass(frozen=True)
class Comparison:
    """Which items of two models match and which are unique to one (those are drawn bold).

    ``pairs`` holds ``(path in a, path in b, "id" or "text")``; ``only_a``/``only_b`` the paths of unmatched items.
    """

    a: LogicModel
    b: LogicModel
    pairs: tuple[tuple[str, str, str], ...]
    only_a: frozenset[str]
    only_b: frozenset[str]

    def unique(self, side: str) -> frozenset[str]:
        """Paths of the items unique to side ``"a"`` or ``"b"``."""
        if side not in ("a", "b"):
            raise OptionError(f"side must be 'a' or 'b'; got {side!r}")
        return self.only_a if side == "a" else self.only_b

    def to_frame(self) -> pd.DataFrame:
        """One row per item of both models: side, model, path, column, group, text, unique, matched_path,
        matched_by."""
        match_a = {pa: (pb, how) for pa, pb, how in self.pairs}
        match_b = {pb: (pa, how) for pa, pb, how in self.pairs}
        records = []
        for side, model, match, only in (("a", self.a, match_a, self.only_a), ("b", self.b, match_b, self.only_b)):
            for column, group, item in model.iter_items():
                other, how = match.get(item.path, (None, None))
                records.append({"side": side, "model": model.model, "path": item.path, "column": column,
                                "group": group, "text": item.text, "unique": item.path in only,
                                "matched_path": other, "matched_by": how})
        return pd.DataFrame(records, columns=["side", "model", "path", "column", "group", "text", "unique",
                                              "matched_path", "matched_by"])


def _sections(model: LogicModel) -> list[list[LogicModelItem]]:
    """Items per column (in order), then the harms box: the units matched between two models."""
    out = [list(col.items) for col in model.columns]
    out.append(list(model.harms.items) if model.harms else [])
    return out


def compare(a: LogicModel | Mapping[str, Any] | str | Path,
            b: LogicModel | Mapping[str, Any] | str | Path) -> Comparison:
    """Match the items of two models and mark those unique to one.

    Items are compared column by column (the *i*-th column of each model, and harms box with harms box). Two items
    match when they carry the same explicit ``id``; items without an id (or whose id has no partner) match when
    their text is the same once case, spacing and punctuation are ignored. Two items that both carry ids but
    different ones never match on text. Matching is one-to-one.

    Examples
    --------
    >>> a = {"title": "A", "columns": [{"name": "Mechanisms", "items": ["Trust between agencies", "Shared office"]}]}
    >>> b = {"title": "B", "columns": [{"name": "Mechanisms", "items": ["trust between agencies.", "Online meetings"]}]}
    >>> c = compare(a, b)
    >>> sorted(c.only_a), sorted(c.only_b)
    (['columns[0].items[1]'], ['columns[0].items[1]'])
    """
    ma, mb = load_logic_model(a), load_logic_model(b)
    sa, sb = _sections(ma), _sections(mb)
    # columns beyond the shorter model's count have no partner; the harms box (last) always pairs with harms
    n_cols = min(len(ma.columns), len(mb.columns))
    section_pairs = [(sa[i], sb[i]) for i in range(n_cols)] + [(sa[-1], sb[-1])]
    pairs: list[tuple[str, str, str]] = []
    for items_a, items_b in section_pairs:
        free_b = list(items_b)
        left: list[LogicModelItem] = []
        for it in items_a:
            partner = next((x for x in free_b if it.id and x.id == it.id), None)
            if partner is not None:
                pairs.append((it.path, partner.path, "id"))
                free_b.remove(partner)
            else:
                left.append(it)
        for it in left:
            key = normalise_text(it.text)
            partner = next((x for x in free_b if not (it.id and x.id) and normalise_text(x.text) == key), None)
            if partner is not None:
                pairs.append((it.path, partner.path, "text"))
                free_b.remove(partner)
    matched_a = {p[0] for p in pairs}
    matched_b = {p[1] for p in pairs}
    return Comparison(ma, mb, tuple(pairs), frozenset(i.path for i in ma.items if i.path not in matched_a),
                      frozenset(i.path for i in mb.items if i.path not in matched_b))
