"""What the hand-edited YAML files (codebook, logic model, research questions) share when they are checked.

Each file kind describes its entries as :class:`Schema` models (pydantic v2) whose validators raise
:func:`problem` with the project's own wording. A loader reads the file with :func:`read_yaml`, walks it and checks
each entry with :func:`check`, which adds every problem to a list as ``location: message``; the loader then raises
one :class:`~npt_coder.errors.ProblemsError` that lists them all.

- A key an entry's model does not declare is reported first, with the closest declared key as a suggestion
  (:func:`unknown_keys`), and does not stop the entry's other values from being checked and used: a misspelt key
  in one construct does not also make every code under it "not a construct".
- Errors pydantic raises itself (an undeclared key in a nested model, a value of the wrong type) are reworded by
  :func:`to_problems`; pydantic's own messages never reach the user.
- A validator that needs more than its value (the codebook a code must belong to, the ids already used in the
  file, the entry's own location) finds it in the validation ``context`` the loader passes to :func:`check`.

Examples
--------
>>> from pydantic import field_validator
>>> class Box(Schema):
...     OWNER = "box"
...     id: str = ""
...     colour: str = "#000"
...
...     @field_validator("colour")
...     @classmethod
...     def _colour(cls, value):
...         if not value.startswith("#"):
...             raise problem(f"{value!r} is not a colour")
...         return value
>>> problems = []
>>> check(Box, {"id": "b1", "color": "#fff", "colour": "red"}, "boxes[0]", problems)
>>> problems
["boxes[0].color: unknown key in box 'b1' (did you mean 'colour'?)", "boxes[0].colour: 'red' is not a colour"]
"""

from __future__ import annotations

import difflib
import typing
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, ClassVar, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from ._io import file_problem
from .errors import ProblemsError

__all__ = ["Schema", "check", "problem", "read_yaml", "to_problems", "unknown_keys"]

S = TypeVar("S", bound="Schema")
_PROBLEM = "npt_problem"


def read_yaml(path: Path, error: type[ProblemsError], label: Path | str | None = None) -> Any:
    """The content of a YAML file; ``error`` (with ``label`` as the file's name) if it cannot be read.

    A syntax error is reported with its line and column (counted from 1), e.g.
    ``line 3, column 11: not valid YAML (expected ',' or ']', but got '<stream end>')``.
    """
    reason = file_problem(path)
    if reason is not None:
        raise error.unreadable(path, reason)
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise error([f"{where}not valid YAML ({getattr(err, 'problem', None) or err})"], label) from None
    except UnicodeDecodeError:
        raise error(["not UTF-8 text"], label) from None


def problem(message: str) -> PydanticCustomError:
    """The error a validator raises; ``message`` is shown as it is, after the value's location."""
    return PydanticCustomError(_PROBLEM, "{problem}", {"problem": message})


def claim_unique(value: str, info: Any, registry: str, holder: str, message: str) -> str:
    """``value``, recorded in the validation context's ``registry`` (a dict shared over one file) as held by the
    context's ``holder``; a value already held raises :func:`problem` with ``message`` formatted with ``value`` and
    ``other`` (the earlier holder). Without a registry in the context nothing is checked."""
    ctx = info.context or {}
    seen = ctx.get(registry)
    if seen is not None:
        if value in seen:
            raise problem(message.format(value=value, other=seen[value]))
        seen[value] = ctx[holder]
    return value


def _location(where: str, loc: Sequence[str | int]) -> str:
    """``where`` extended by a pydantic location: ``columns[0]`` and ``("items", 2)`` make ``columns[0].items[2]``."""
    out = where
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else f"{'.' if out else ''}{part}"
    return out


def _at(where: str, message: str) -> str:
    return f"{where}: {message}" if where else message


class Schema(BaseModel):
    """Base of the entry models: keys are checked, values validated, problems worded for the user.

    Subclasses set ``NOT_A_MAPPING`` (what to say when the entry is not a mapping or lacks a ``REQUIRED`` key),
    ``UNKNOWN_KEY`` (a fixed message for undeclared keys instead of the did-you-mean) and ``OWNER`` (what the entry
    is, so that an unknown key names it: ``unknown key in code 'IND-A'``). Keys are the fields' aliases.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    NOT_A_MAPPING: ClassVar[str] = "must be a mapping"
    REQUIRED: ClassVar[tuple[str, ...]] = ()
    UNKNOWN_KEY: ClassVar[str | None] = None
    OWNER: ClassVar[str | None] = None

    @classmethod
    def allowed_keys(cls) -> list[str]:
        """The keys an entry may have, in the order the fields are declared."""
        return [field.alias or name for name, field in cls.model_fields.items()]

    @classmethod
    def as_mapping(cls, raw: Any) -> dict[str, Any]:
        """``raw`` as a mapping with text keys; subclasses may accept a shorthand (an item given as its text)."""
        if not isinstance(raw, Mapping):
            raise problem(cls.NOT_A_MAPPING)
        return {str(key): value for key, value in raw.items()}

    @classmethod
    def check_required(cls, data: Mapping[str, Any]) -> None:
        if any(key not in data for key in cls.REQUIRED):
            raise problem(cls.NOT_A_MAPPING)

    @model_validator(mode="before")
    @classmethod
    def _entry(cls, data: Any) -> dict[str, Any]:
        # when a model is validated inside another (a logic model's theme) rather than by check()
        data = cls.as_mapping(data)
        cls.check_required(data)
        return data


def unknown_keys(data: Mapping, allowed: Sequence[str], where: str = "", *, message: str | None = None,
                 owner: str | None = None) -> list[str]:
    """A problem for each key of ``data`` that is not in ``allowed``, suggesting the closest allowed key.

    >>> unknown_keys({"maps-to": ["M2.4"], "name": "Consent"}, ["id", "name", "maps_to"], "codes[0]")
    ["codes[0].maps-to: unknown key (did you mean 'maps_to'?)"]
    >>> unknown_keys({"colour": "red"}, ["title", "items"], "harms")
    ['harms.colour: unknown key (allowed: title, items)']
    """
    out = []
    for key in data:
        if key in allowed:
            continue
        text = message
        if text is None:
            close = difflib.get_close_matches(str(key), allowed, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else f" (allowed: {', '.join(allowed)})"
            text = f"unknown key{f' in {owner}' if owner else ''}{hint}"
        out.append(_at(_location(where, (str(key),)), text))
    return out


def _model_in(annotation: Any) -> type[Schema] | None:
    """The Schema model a field's annotation holds (``Evidence | None``, ``list[Item]``), if any."""
    if isinstance(annotation, type) and issubclass(annotation, Schema):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _walk(model: type[Schema], loc: Sequence[str | int]) -> tuple[type[Schema], tuple[str | int, ...]]:
    """The model found at ``loc`` (``model`` if ``loc`` leads out of the models), and ``loc`` with every field named
    by its key in the file: pydantic names a field by its alias when the value was given, by its name when it is a
    default."""
    keys: list[str | int] = []
    current: type[Schema] | None = model
    for part in loc:
        field = None
        if isinstance(part, str) and current is not None:
            field = current.model_fields.get(part) or next(
                (f for f in current.model_fields.values() if f.alias == part), None)
        if field is not None:
            part = field.alias or part
            current = _model_in(field.annotation)
        elif not isinstance(part, int):  # an int is an element of a list field, whose model is the field's
            current = None
        keys.append(part)
    return current or model, tuple(keys)


def to_problems(err: ValidationError, model: type[Schema], where: str = "") -> list[str]:
    """The errors of ``model.model_validate`` as ``location: message`` problems in the project's wording."""
    errors = err.errors(include_url=False)

    def order(i: int) -> tuple[int, int]:  # an unknown key goes before the other problems of its entry
        loc = errors[i]["loc"]
        if errors[i]["type"] != "extra_forbidden":
            return i, 1
        return next(j for j, e in enumerate(errors) if e["loc"][:len(loc) - 1] == loc[:-1]), 0

    out = []
    for e in (errors[i] for i in sorted(range(len(errors)), key=order)):
        _, loc = _walk(model, e["loc"])
        if e["type"] == "extra_forbidden" and loc:
            owner, _ = _walk(model, loc[:-1])
            out += unknown_keys({loc[-1]: None}, owner.allowed_keys(), _location(where, loc[:-1]),
                                message=owner.UNKNOWN_KEY)
        elif e["type"] == _PROBLEM:
            out.append(_at(_location(where, loc), e["msg"]))
        else:  # a type pydantic checked itself: say what was expected and what was found
            msg = e["msg"][:1].lower() + e["msg"][1:]
            out.append(_at(_location(where, loc), f"{msg}; got {type(e['input']).__name__}"))
    return out


def check(model: type[S], raw: Any, where: str, problems: list[str], *,
          context: dict[str, Any] | None = None) -> S | None:
    """Check one entry against ``model``, adding its problems to ``problems``; the validated entry, or ``None``.

    The entry's unknown keys come first; the entry is still validated (without them) and returned if its values
    are good, so that checks across entries can use it.
    """
    try:
        data = model.as_mapping(raw)
        allowed = model.allowed_keys()
        owner = f"{model.OWNER} {data['id']!r}" if model.OWNER and isinstance(data.get("id"), (str, int)) else None
        problems += unknown_keys(data, allowed, where, message=model.UNKNOWN_KEY, owner=owner)
        model.check_required(data)
    except PydanticCustomError as err:
        problems.append(_at(where, err.message()))
        return None
    try:
        return model.model_validate({k: v for k, v in data.items() if k in allowed}, context=context)
    except ValidationError as err:
        problems += to_problems(err, model, where)
        return None

