"""Text description: the plain-language account of a logic-model diagram that screen readers get as alt text."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping, Sequence

import pandas as pd

from .compare import compare
from .evidence import evidence_labels
from .load import load_logic_model
from .spec import LogicModel, LogicModelItem

__all__ = ["describe"]


def _number_word(n: int) -> str:
    words = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
    return words[n] if 0 <= n < len(words) else str(n)


def _join(names: Sequence[str]) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _describe_one(model: LogicModel, unique: frozenset[str] | None, other: LogicModel | None,
                  labels: Mapping[str, str]) -> list[str]:
    def line(item: LogicModelItem, indent: str) -> str:
        text = f"{indent}- {item.text}"
        if unique is not None and item.path in unique:
            text += f" [differs: not in {other.model}]" if other is not None else " [differs]"
        if item.path in labels:
            text += f" (evidence: {labels[item.path]})"
        return text

    out = [f"{model.title}" + (f" ({model.model})" if model.model != model.title else "") + "."]
    if model.summary:
        out.append(model.summary)
    cols = [c.name for c in model.columns]
    arrows = ", with an arrow from each column to the next" if len(cols) > 1 else ""
    out.append(f"The diagram has {_number_word(len(cols))} column{'s' if len(cols) != 1 else ''}, read from left to "
               f"right{arrows}: {_join(cols)}.")
    if model.harms is not None and model.harms.items:
        colour = "" if "harms" in model.theme else "red "
        mech = next((c.name for c in model.columns if c.kind == "mechanism"), None)
        where = (f"below the {mech} column, with an arrow into it from that column" if mech
                 else "below the columns")
        out.append(f"A separate {colour}box headed \"{model.harms.title}\" sits {where}.")
    if unique is not None and other is not None:
        n = len(unique)
        out.append(f"{n} item{'s' if n != 1 else ''} marked [differs] {'are' if n != 1 else 'is'} not in the model "
                   f"\"{other.model}\"; the diagram shows {'them' if n != 1 else 'it'} in bold.")
    if labels:
        out.append("The evidence after an item counts the participants, transcripts and sites whose coded talk "
                   "supports it.")
    for k, col in enumerate(model.columns, 1):
        n = len(col.items)
        out.append("")
        out.append(f"Column {k} of {len(cols)}: {col.name} ({n} item{'s' if n != 1 else ''})")
        if n == 0:
            out.append("- (no items)")
        for g in col.groups:
            indent = ""
            if g.name:
                out.append(f"{g.name}:")
                indent = "  "
                if not g.items:
                    out.append(f"{indent}- (no items)")
            out += [line(item, indent) for item in g.items]
    if model.harms is not None and model.harms.items:
        out.append("")
        n = len(model.harms.items)
        out.append(f"Box: {model.harms.title} ({n} item{'s' if n != 1 else ''})")
        out += [line(item, "") for item in model.harms.items]
    if model.notes:
        out.append("")
        out += [f"Note: {n}" for n in model.notes]
    return out


def describe(spec: LogicModel | Mapping[str, Any] | str | Path, *,
             compare_with: LogicModel | Mapping[str, Any] | str | Path | None = None,
             evidence: pd.DataFrame | Mapping[str, str] | bool | None = None,
             compare_evidence: pd.DataFrame | Mapping[str, str] | bool | None = None) -> str:
    """A plain-language description of the diagram that lists every item: alt text for screen readers.

    Parameters
    ----------
    spec : LogicModel, mapping or path
    compare_with : LogicModel, mapping or path, optional
        A second model: both are described, and items unique to one are marked ``[differs: not in <other>]`` (the
        diagram shows them in bold, which a screen reader does not announce).
    evidence, compare_evidence : optional
        Evidence for ``spec`` and for ``compare_with`` (see :func:`evidence_labels`), written after each item.

    Examples
    --------
    >>> print(describe({"title": "Risk-led", "columns": [{"name": "Context", "items": ["High demand"]},
    ...                 {"name": "Mechanisms", "items": ["Trust"]}], "harms": ["Parents feel judged"]}))
    Risk-led.
    The diagram has two columns, read from left to right, with an arrow from each column to the next: Context and
    Mechanisms.
    A separate red box headed "Unintended harms" sits below the Mechanisms column, with an arrow into it from that
    column.
    <BLANKLINE>
    Column 1 of 2: Context (1 item)
    - High demand
    <BLANKLINE>
    Column 2 of 2: Mechanisms (1 item)
    - Trust
    <BLANKLINE>
    Box: Unintended harms (1 item)
    - Parents feel judged
    """
    model = load_logic_model(spec)
    if compare_with is None:
        return "\n".join(_describe_one(model, None, None, evidence_labels(model, evidence)))
    other = load_logic_model(compare_with)
    comp = compare(model, other)
    head = (f"Two logic models are compared: \"{model.model}\" first, then \"{other.model}\". Items that appear in "
            "only one of them are marked [differs] and drawn in bold.")
    first = _describe_one(model, comp.only_a, other, evidence_labels(model, evidence))
    second = _describe_one(other, comp.only_b, model, evidence_labels(other, compare_evidence))
    return "\n".join([head, "", f"Model 1 of 2: {first[0]}", *first[1:], "", f"Model 2 of 2: {second[0]}", *second[1:]])
