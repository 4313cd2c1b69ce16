"""Reading a logic-model spec: YAML (or the mapping it holds) in, a validated :class:`LogicModel` out; and back.

The spec is described by :mod:`npt_coder._schema` models, one per kind of entry: the spec itself, a column, a group
of items, the harms box and an item (a theme and an item's evidence counts are checked inside their entry).
:func:`load_logic_model` checks the entries one by one, so that every problem is found and reported with its
location, and builds the model only when there are none.
"""

from __future__ import annotations

import difflib
import re
from functools import partial
from pathlib import Path
from typing import Annotated, Any, Mapping

import yaml
from pydantic import AfterValidator, BeforeValidator, Field, ValidationInfo, create_model

from .._schema import Schema, check, claim_unique, problem, read_yaml
from ..codebook import Codebook
from ..errors import LogicModelError
from .spec import (
    COLUMN_KINDS,
    EVIDENCE_KEYS,
    THEME_KEYS,
    LogicModel,
    LogicModelColumn,
    LogicModelGroup,
    LogicModelHarms,
    LogicModelItem,
)

__all__ = ["MAX_COLUMNS", "MAX_ITEM_CHARS", "load_logic_model", "logic_model_to_yaml"]

MAX_COLUMNS = 6
MAX_ITEM_CHARS = 240
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")
_COLOUR = re.compile(r"^#(?:[0-9A-Fa-f]{3}|[0-9A-Fa-f]{6})$")
_KIND_BY_NAME = {
    "context": "context", "contexts": "context", "activities": "activities", "activity": "activities",
    "inputs and activities": "activities", "mechanisms": "mechanism", "mechanism": "mechanism",
    "intended impact": "outcome", "impact": "outcome", "impacts": "outcome", "outcomes": "outcome",
    "outcome": "outcome", "intended outcomes": "outcome",
}


def _kind_from_name(name: str) -> str:
    return _KIND_BY_NAME.get(" ".join(name.split()).casefold(), "other")


# -- values ----------------------------------------------------------------------------------------------------------

def _text_value(value: Any, *, required: bool = True, limit: int | None = None) -> str:
    if value is None:
        if required:
            raise problem("missing; give a short text")
        return ""
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        raise problem(f"must be text; got {type(value).__name__}")
    text = " ".join(str(value).split())
    if required and not text:
        raise problem("is empty; give a short text")
    if limit and len(text) > limit:
        raise problem(f"{len(text)} characters is too long for a box (at most {limit}); shorten it and move the "
                      "detail to the item's 'note'")
    return text


def _text(*, required: bool = True, limit: int | None = None) -> Any:
    """A text field (a number is taken as its text; runs of white space become one space)."""
    return Annotated[str, BeforeValidator(partial(_text_value, required=required, limit=limit)),
                     Field(validate_default=True)]


def _colour(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not _COLOUR.match(value.strip()):
        raise problem(f"{value!r} is not a colour; use a hex colour such as '#0072B2'")
    return value.strip()


def _kind(value: Any) -> str | None:
    if value is not None and value not in COLUMN_KINDS:
        raise problem(f"must be one of {', '.join(map(repr, COLUMN_KINDS))}; got {value!r}")
    return value


def _column_name(name: str, info: ValidationInfo) -> str:
    ctx = info.context or {}
    names = ctx.get("names")  # column name, case ignored -> the column that has it
    if names is not None:
        key = name.casefold()
        if name and key in names:
            raise problem(f"{name!r} is already the name of {names[key]}")
        names.setdefault(key, ctx["where"])
    return name


def _item_id(value: Any, info: ValidationInfo) -> str | None:
    if value is None:
        return None
    item_id = str(value).strip()
    if not _ID.match(item_id):
        raise problem(f"{item_id!r} is not a usable id (letters, digits, '.', '_' or '-', starting with a letter or "
                      "digit, at most 40 characters)")
    # "ids": item id -> the item that has it, over the whole model
    return claim_unique(item_id, info, "ids", "where",
                        "{value!r} is already used by {other}; ids must be unique in a model")


def _code_list(value: Any) -> Any:
    if value is None:
        return ()
    if isinstance(value, str):  # "M3.3, O2" as well as [M3.3, O2]
        value = [c for c in re.split(r"[,;]", value) if c.strip()]
    if not isinstance(value, (list, tuple)):
        raise problem(f"must be a list of code ids, e.g. [M3.3, O2]; got {type(value).__name__}")
    return value


def _code(value: Any, info: ValidationInfo) -> str:
    if not isinstance(value, str) or not value.strip():
        raise problem(f"must be a code id such as 'M3.3'; got {value!r}")
    code = value.strip()
    ctx = info.context or {}
    cb: Codebook | None = ctx.get("codebook")
    if cb is not None:
        resolved = cb.resolve(code)
        if resolved is None:
            construct = cb.named_construct(code)
            close = difflib.get_close_matches(code, cb.ids, n=2, cutoff=0.6)
            if construct is not None:
                con, under = construct
                hint = f" ({con['id']} is a construct; name its codes: {', '.join(c.code_id for c in under)})"
            elif close:
                hint = f" (did you mean {' or '.join(map(repr, close))}?)"
            else:
                hint = " (see 'npt-coder codebook show')"
            raise problem(f"{code!r} is not a code of the codebook{hint}")
        code = resolved
    elif not _ID.match(code):
        raise problem(f"{code!r} is not a code id (letters, digits, '.', '_' or '-')")
    listed = ctx.setdefault("codes", [])  # the item's codes so far
    if code in listed:
        raise problem(f"{code!r} is listed twice")
    listed.append(code)
    return code


def _count(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise problem(f"must be a whole number ≥ 0; got {value!r}")
    return value


def _items_list(value: Any) -> Any:
    if value is not None and not isinstance(value, (list, tuple)):
        raise problem(f"must be a list of items; got {type(value).__name__}")
    return value


def _groups_list(value: Any) -> Any:
    if value and not isinstance(value, (list, tuple)):  # an empty value is no groups
        raise problem("must be a list of groups, each with 'name' and 'items'")
    return value


def _notes(value: Any) -> Any:
    if value is None:
        return ()
    if isinstance(value, (list, tuple)):
        return value
    return (_text_value(value),)  # one note given as a text


def _source(value: Any) -> dict | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise problem("must be a mapping (where a drafted model came from)")
    return dict(value)


def _columns(value: Any) -> Any:
    if value is None:
        raise problem("missing; give a list of columns, e.g. Context, Activities, Mechanisms, Intended impact")
    if not isinstance(value, (list, tuple)) or not value:
        raise problem("must be a non-empty list of columns")
    if len(value) > MAX_COLUMNS:
        raise problem(f"{len(value)} columns do not fit a page legibly (at most {MAX_COLUMNS}); merge some")
    return value


# -- entries ---------------------------------------------------------------------------------------------------------
# A misspelt key with no close match is answered with the entry's keys in the order its fields are declared. The
# fields of a theme and of an item's evidence are made from the keys in spec.py, so that the two cannot drift apart.

class _ThemeEntry(Schema):
    NOT_A_MAPPING = f"must be a mapping of colours, e.g. {{context: '#0072B2'}} (keys: {', '.join(THEME_KEYS)})"


class _EvidenceEntry(Schema):
    NOT_A_MAPPING = "must be a mapping such as {participants: 7, transcripts: 5, sites: 3}"
    UNKNOWN_KEY = f"unknown count (use {', '.join(EVIDENCE_KEYS)})"


_Theme = create_model("_Theme", __base__=_ThemeEntry,
                      **{key: (Annotated[str | None, BeforeValidator(_colour)], None) for key in THEME_KEYS})
_Evidence = create_model("_Evidence", __base__=_EvidenceEntry,
                         **{key: (Annotated[int | None, BeforeValidator(_count)], None) for key in EVIDENCE_KEYS})


class _Item(Schema):
    OWNER = "item"
    text: _text(limit=MAX_ITEM_CHARS) = None
    id: Annotated[str | None, BeforeValidator(_item_id)] = None
    codes: Annotated[tuple[Annotated[str, BeforeValidator(_code)], ...], BeforeValidator(_code_list)] = ()
    evidence: _Evidence | None = None
    note: _text(required=False) = None

    @classmethod
    def as_mapping(cls, raw: Any) -> dict[str, Any]:
        if isinstance(raw, (str, int, float)) and not isinstance(raw, bool):
            raw = {"text": raw}
        if not isinstance(raw, Mapping):
            raise problem("an item is a text or a mapping with 'text' (and optional id, codes, evidence, note); "
                          f"got {type(raw).__name__}")
        return super().as_mapping(raw)


class _Group(Schema):
    NOT_A_MAPPING = "a group is a mapping with 'name' and 'items'"
    name: _text(limit=80) = None
    items: Annotated[Any, BeforeValidator(_items_list)] = None  # each checked as an _Item
    note: _text(required=False) = None


class _Column(Schema):
    NOT_A_MAPPING = "a column is a mapping with 'name' and 'items' or 'groups'"
    name: Annotated[_text(limit=60), AfterValidator(_column_name)] = None
    kind: Annotated[str | None, BeforeValidator(_kind)] = None  # default: from the name
    colour: Annotated[str | None, BeforeValidator(_colour)] = None
    items: Annotated[Any, BeforeValidator(_items_list)] = None
    groups: Annotated[Any, BeforeValidator(_groups_list)] = None  # each checked as a _Group
    note: _text(required=False) = None


class _Harms(Schema):
    NOT_A_MAPPING = "must be a mapping with 'title' and 'items' (or a list of items)"
    title: _text(required=False, limit=60) = None
    items: Annotated[Any, BeforeValidator(_items_list)] = None
    note: _text(required=False) = None


class _Spec(Schema):
    NOT_A_MAPPING = "a logic-model spec is a mapping with at least 'title' and 'columns'"
    title: _text() = None
    model: _text(required=False) = None
    summary: _text(required=False) = None
    theme: _Theme | None = None
    columns: Annotated[Any, BeforeValidator(_columns), Field(validate_default=True)] = None  # each a _Column
    harms: Any = None  # checked as _Harms
    notes: Annotated[tuple[Annotated[str, BeforeValidator(_text_value)], ...], BeforeValidator(_notes)] = ()
    source: Annotated[dict | None, BeforeValidator(_source)] = None


# -- loading ---------------------------------------------------------------------------------------------------------

def _load_items(raw: Any, where: str, problems: list[str], ids: dict[str, str],
                cb: Codebook | None) -> tuple[LogicModelItem, ...]:
    out = []
    for j, r in enumerate(raw if isinstance(raw, (list, tuple)) else ()):
        at = f"{where}[{j}]"
        item = check(_Item, r, at, problems, context={"codebook": cb, "ids": ids, "where": at})
        if item is not None:
            counts = item.evidence.model_dump(exclude_unset=True) if item.evidence is not None else None
            out.append(LogicModelItem(text=item.text, id=item.id, codes=item.codes, evidence=counts or None,
                                      note=item.note, path=at))
    return tuple(out)


def _load_column(raw: Any, where: str, problems: list[str], ids: dict[str, str], names: dict[str, str],
                 cb: Codebook | None) -> LogicModelColumn | None:
    col = check(_Column, raw, where, problems, context={"names": names, "where": where})
    if not isinstance(raw, Mapping):
        return None
    if "items" in raw and "groups" in raw:
        problems.append(f"{where}: give either 'items' or 'groups', not both (put loose items in a group)")
    grouped = "groups" in raw
    groups: list[LogicModelGroup] = []
    if grouped:
        raw_groups = raw.get("groups") or []
        for g, rg in enumerate(raw_groups if isinstance(raw_groups, (list, tuple)) else ()):
            gwhere = f"{where}.groups[{g}]"
            group = check(_Group, rg, gwhere, problems)
            items = _load_items(rg.get("items"), f"{gwhere}.items", problems, ids, cb) if isinstance(rg, Mapping) \
                else ()
            if group is not None:
                groups.append(LogicModelGroup(group.name, items, group.note))
    else:
        groups.append(LogicModelGroup(None, _load_items(raw.get("items"), f"{where}.items", problems, ids, cb)))
    if col is None:
        return None
    return LogicModelColumn(name=col.name, kind=col.kind or _kind_from_name(col.name), colour=col.colour,
                            groups=tuple(groups), note=col.note, grouped=grouped)


def load_logic_model(source: str | Path | Mapping[str, Any] | LogicModel, *,
                     codebook: Codebook | None = None) -> LogicModel:
    """Read and validate a logic-model spec, reporting every problem with its location at once.

    Parameters
    ----------
    source : str, Path, mapping or LogicModel
        A YAML file, the mapping it holds, or an already loaded model (checked again against ``codebook``).
    codebook : Codebook, optional
        Check every ``codes`` entry against it (ids or names; names become ids). Without it, code ids are only
        checked for their form.

    Returns
    -------
    LogicModel

    Raises
    ------
    LogicModelError
        Listing each problem as ``location: rule (fix)``, e.g.
        ``columns[2].items[4].codes[0]: 'M9' is not a code of the codebook``; a key the spec does not know is one
        of them, with the key it probably stands for (``titel: unknown key (did you mean 'title'?)``).

    Examples
    --------
    >>> import npt_coder as nc
    >>> spec = {"title": "T", "columns": [{"name": "Context", "items": [{"text": "", "codes": ["M9", "M3"]}]}]}
    >>> load_logic_model(spec, codebook=nc.load_codebook())
    Traceback (most recent call last):
    ...
    npt_coder.errors.LogicModelError: 3 problems in logic model:
      - columns[0].items[0].text: is empty; give a short text
      - columns[0].items[0].codes[0]: 'M9' is not a code of the codebook (see 'npt-coder codebook show')
      - columns[0].items[0].codes[1]: 'M3' is not a code of the codebook (M3 is a construct; name its codes:
        M3.1, M3.2, M3.3, M3.4)
    """
    path: str | None = None
    if isinstance(source, LogicModel):
        if codebook is None:
            return source
        path = source.path
        data: Any = source.to_dict()
    elif isinstance(source, Mapping):
        data = source
    else:
        p = Path(source)
        path = str(p)
        data = read_yaml(p, LogicModelError, p.name)
    label = Path(path).name if path else None
    if not isinstance(data, Mapping):
        raise LogicModelError([_Spec.NOT_A_MAPPING], label)
    problems: list[str] = []
    spec = check(_Spec, data, "", problems)
    ids: dict[str, str] = {}
    names: dict[str, str] = {}
    raw_cols = data.get("columns")
    columns = [_load_column(raw, f"columns[{i}]", problems, ids, names, codebook)
               for i, raw in enumerate(raw_cols if isinstance(raw_cols, (list, tuple)) else ())]

    harms = None
    raw_harms = data.get("harms")
    if isinstance(raw_harms, (list, tuple)):  # the harms box given as its list of items
        raw_harms = {"items": raw_harms}
    if raw_harms is not None:
        box = check(_Harms, raw_harms, "harms", problems)
        items = _load_items(raw_harms.get("items"), "harms.items", problems, ids, codebook) \
            if isinstance(raw_harms, Mapping) else ()
        if box is not None:
            harms = LogicModelHarms(box.title or "Unintended harms", items, box.note)
    if problems or spec is None:
        raise LogicModelError(problems, label)
    return LogicModel(title=spec.title, model=spec.model or spec.title, columns=tuple(c for c in columns if c),
                      harms=harms, summary=spec.summary,
                      theme=spec.theme.model_dump(exclude_none=True) if spec.theme is not None else {},
                      notes=spec.notes, source=spec.source or None, path=path)


# -- writing ---------------------------------------------------------------------------------------------------------

class _FlowDumper(yaml.SafeDumper):
    """Lists of plain values and small mappings of numbers in flow style: ``codes: [M3.3, O2]``."""


def _represent_list(dumper: yaml.SafeDumper, data: list) -> yaml.Node:
    flow = bool(data) and all(isinstance(v, (str, int, float)) and len(str(v)) < 20 for v in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


def _represent_dict(dumper: yaml.SafeDumper, data: dict) -> yaml.Node:
    flow = bool(data) and all(isinstance(v, int) for v in data.values())
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=flow)


_FlowDumper.add_representer(list, _represent_list)
_FlowDumper.add_representer(dict, _represent_dict)


def logic_model_to_yaml(spec: LogicModel | Mapping[str, Any]) -> str:
    """The spec as YAML for a person to edit (codes and evidence counts on one line each).

    >>> print(logic_model_to_yaml({"title": "T", "columns": [{"name": "Context", "items": [
    ...     {"text": "Demand is high", "codes": ["C3"], "evidence": {"participants": 4}}]}]}))
    title: T
    columns:
    - name: Context
      items:
      - text: Demand is high
        codes: [C3]
        evidence: {participants: 4}
    <BLANKLINE>
    """
    data = spec.to_dict() if isinstance(spec, LogicModel) else _plain(spec)
    return yaml.dump(data, Dumper=_FlowDumper, sort_keys=False, allow_unicode=True, width=110)


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value
