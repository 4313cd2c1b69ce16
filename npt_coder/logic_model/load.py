"""Reading a logic-model spec: YAML (or the mapping it holds) in, a validated :class:`LogicModel` out; and back."""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any, Mapping, Sequence

import yaml

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
_TOP_KEYS = ("title", "model", "summary", "theme", "columns", "harms", "notes", "source")
_COLUMN_KEYS = ("name", "kind", "colour", "items", "groups", "note")
_GROUP_KEYS = ("name", "items", "note")
_ITEM_KEYS = ("text", "id", "codes", "evidence", "note")
_HARMS_KEYS = ("title", "items", "note")
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


def _unknown_keys(data: Mapping, allowed: Sequence[str], where: str, problems: list[str]) -> None:
    for key in data:
        if key not in allowed:
            close = difflib.get_close_matches(str(key), allowed, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else f" (allowed: {', '.join(allowed)})"
            problems.append(f"{where}{'.' if where else ''}{key}: unknown key{hint}")


def _text(value: Any, where: str, problems: list[str], *, required: bool = True, limit: int | None = None) -> str:
    if value is None:
        if required:
            problems.append(f"{where}: missing; give a short text")
        return ""
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        problems.append(f"{where}: must be text; got {type(value).__name__}")
        return ""
    text = " ".join(str(value).split())
    if required and not text:
        problems.append(f"{where}: is empty; give a short text")
    if limit and len(text) > limit:
        problems.append(f"{where}: {len(text)} characters is too long for a box (at most {limit}); shorten it and "
                        "move the detail to the item's 'note'")
    return text


def _resolve_code(cb: Codebook, value: str) -> str | None:
    return cb.resolve(value)


def _load_item(raw: Any, where: str, problems: list[str], ids: dict[str, str], cb: Codebook | None) -> LogicModelItem:
    if isinstance(raw, (str, int, float)) and not isinstance(raw, bool):
        raw = {"text": raw}
    if not isinstance(raw, Mapping):
        problems.append(f"{where}: an item is a text or a mapping with 'text' (and optional id, codes, evidence, "
                        "note); "
                        f"got {type(raw).__name__}")
        return LogicModelItem(text="", path=where)
    _unknown_keys(raw, _ITEM_KEYS, where, problems)
    text = _text(raw.get("text"), f"{where}.text", problems, limit=MAX_ITEM_CHARS)
    item_id = None
    if raw.get("id") is not None:
        item_id = str(raw["id"]).strip()
        if not _ID.match(item_id):
            problems.append(f"{where}.id: {item_id!r} is not a usable id (letters, digits, '.', '_' or '-', "
                            "starting with a letter or digit, at most 40 characters)")
        elif item_id in ids:
            problems.append(f"{where}.id: {item_id!r} is already used by {ids[item_id]}; ids must be unique in a model")
        else:
            ids[item_id] = where
    codes: list[str] = []
    raw_codes = raw.get("codes")
    if raw_codes is not None:
        if isinstance(raw_codes, str):  # "M3.3, O2" as well as [M3.3, O2]
            raw_codes = [c for c in re.split(r"[,;]", raw_codes) if c.strip()]
        if not isinstance(raw_codes, (list, tuple)):
            problems.append(f"{where}.codes: must be a list of code ids, e.g. [M3.3, O2]; "
                            f"got {type(raw_codes).__name__}")
            raw_codes = []
        for k, code in enumerate(raw_codes):
            spot = f"{where}.codes[{k}]"
            if not isinstance(code, str) or not code.strip():
                problems.append(f"{spot}: must be a code id such as 'M3.3'; got {code!r}")
                continue
            code = code.strip()
            if cb is not None:
                resolved = _resolve_code(cb, code)
                if resolved is None:
                    under = [c.code_id for c in cb.codes if c.kind == "deductive" and c.construct_id == code]
                    close = difflib.get_close_matches(code, cb.ids, n=2, cutoff=0.6)
                    if under:
                        hint = f" ({code} is a construct; name its codes: {', '.join(under)})"
                    elif close:
                        hint = f" (did you mean {' or '.join(map(repr, close))}?)"
                    else:
                        hint = " (see 'npt-coder codebook show')"
                    problems.append(f"{spot}: {code!r} is not a code of the codebook{hint}")
                    continue
                code = resolved
            elif not _ID.match(code):
                problems.append(f"{spot}: {code!r} is not a code id (letters, digits, '.', '_' or '-')")
                continue
            if code in codes:
                problems.append(f"{spot}: {code!r} is listed twice")
                continue
            codes.append(code)
    ev = raw.get("evidence")
    ev_out: dict[str, int] | None = None
    if ev is not None:
        if not isinstance(ev, Mapping):
            problems.append(f"{where}.evidence: must be a mapping such as "
                            "{participants: 7, transcripts: 5, sites: 3}")
        else:
            ev_out = {}
            for key, value in ev.items():
                if key not in EVIDENCE_KEYS:
                    problems.append(f"{where}.evidence.{key}: unknown count (use {', '.join(EVIDENCE_KEYS)})")
                elif isinstance(value, bool) or not isinstance(value, int) or value < 0:
                    problems.append(f"{where}.evidence.{key}: must be a whole number ≥ 0; got {value!r}")
                else:
                    ev_out[key] = value
    note = _text(raw.get("note"), f"{where}.note", problems, required=False)
    return LogicModelItem(text=text, id=item_id, codes=tuple(codes), evidence=ev_out or None, note=note, path=where)


def _load_items(raw: Any, where: str, problems: list[str], ids: dict[str, str],
                cb: Codebook | None) -> tuple[LogicModelItem, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, (list, tuple)):
        problems.append(f"{where}: must be a list of items; got {type(raw).__name__}")
        return ()
    return tuple(_load_item(r, f"{where}[{j}]", problems, ids, cb) for j, r in enumerate(raw))


def _colour(value: Any, where: str, problems: list[str]) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not _COLOUR.match(value.strip()):
        problems.append(f"{where}: {value!r} is not a colour; use a hex colour such as '#0072B2'")
        return None
    return value.strip()


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
        ``columns[2].items[4].codes[0]: 'M9' is not a code of the codebook``.

    Examples
    --------
    >>> import npt_coder as nc
    >>> spec = {"title": "T", "columns": [{"name": "Context", "items": [{"text": "", "codes": ["M9", "M3"]}]}]}
    >>> load_logic_model(spec, codebook=nc.load_codebook())
    Traceback (most recent call last):
    ...
    npt_coder.errors.LogicModelError: 3 problem(s) in logic model:
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
        if not p.is_file():
            raise LogicModelError([f"file not found: {p}"], p.name)
        try:
            data = yaml.safe_load(p.read_text(encoding="utf-8-sig"))
        except yaml.YAMLError as err:
            mark = getattr(err, "problem_mark", None)
            where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
            raise LogicModelError([f"{where}not valid YAML ({getattr(err, 'problem', None) or err})"], p.name) from None
        except UnicodeDecodeError:
            raise LogicModelError(["not UTF-8 text"], p.name) from None
    label = Path(path).name if path else None
    if not isinstance(data, Mapping):
        raise LogicModelError(["a logic-model spec is a mapping with at least 'title' and 'columns'"], label)
    problems: list[str] = []
    _unknown_keys(data, _TOP_KEYS, "", problems)
    title = _text(data.get("title"), "title", problems)
    model = _text(data.get("model"), "model", problems, required=False) or title
    summary = _text(data.get("summary"), "summary", problems, required=False)
    theme: dict[str, str] = {}
    raw_theme = data.get("theme")
    if raw_theme is not None:
        if not isinstance(raw_theme, Mapping):
            problems.append("theme: must be a mapping of colours, e.g. {context: '#0072B2'} "
                            f"(keys: {', '.join(THEME_KEYS)})")
        else:
            _unknown_keys(raw_theme, THEME_KEYS, "theme", problems)
            for key in THEME_KEYS:
                if key in raw_theme:
                    colour = _colour(raw_theme[key], f"theme.{key}", problems)
                    if colour:
                        theme[key] = colour
    raw_notes = data.get("notes")
    notes: list[str] = []
    if raw_notes is not None:
        for k, n in enumerate(raw_notes if isinstance(raw_notes, (list, tuple)) else [raw_notes]):
            text = _text(n, f"notes[{k}]" if isinstance(raw_notes, (list, tuple)) else "notes", problems)
            if text:
                notes.append(text)
    source_meta = data.get("source")
    if source_meta is not None and not isinstance(source_meta, Mapping):
        problems.append("source: must be a mapping (where a drafted model came from)")
        source_meta = None

    ids: dict[str, str] = {}
    columns: list[LogicModelColumn] = []
    raw_cols = data.get("columns")
    if raw_cols is None:
        problems.append("columns: missing; give a list of columns, e.g. Context, Activities, Mechanisms, "
                        "Intended impact")
        raw_cols = []
    elif not isinstance(raw_cols, (list, tuple)) or not raw_cols:
        problems.append("columns: must be a non-empty list of columns")
        raw_cols = []
    elif len(raw_cols) > MAX_COLUMNS:
        problems.append(f"columns: {len(raw_cols)} columns do not fit a page legibly (at most {MAX_COLUMNS}); "
                        "merge some")
    names: dict[str, str] = {}
    for i, raw in enumerate(raw_cols):
        where = f"columns[{i}]"
        if not isinstance(raw, Mapping):
            problems.append(f"{where}: a column is a mapping with 'name' and 'items' or 'groups'")
            continue
        _unknown_keys(raw, _COLUMN_KEYS, where, problems)
        name = _text(raw.get("name"), f"{where}.name", problems, limit=60)
        key = name.casefold()
        if name and key in names:
            problems.append(f"{where}.name: {name!r} is already the name of {names[key]}")
        names.setdefault(key, where)
        kind = raw.get("kind")
        if kind is None:
            kind = _kind_from_name(name)
        elif kind not in COLUMN_KINDS:
            problems.append(f"{where}.kind: must be one of {', '.join(map(repr, COLUMN_KINDS))}; got {kind!r}")
            kind = "other"
        colour = _colour(raw.get("colour"), f"{where}.colour", problems)
        note = _text(raw.get("note"), f"{where}.note", problems, required=False)
        if "items" in raw and "groups" in raw:
            problems.append(f"{where}: give either 'items' or 'groups', not both (put loose items in a group)")
        groups: list[LogicModelGroup] = []
        grouped = "groups" in raw
        if grouped:
            raw_groups = raw.get("groups") or []
            if not isinstance(raw_groups, (list, tuple)):
                problems.append(f"{where}.groups: must be a list of groups, each with 'name' and 'items'")
                raw_groups = []
            for g, rg in enumerate(raw_groups):
                gwhere = f"{where}.groups[{g}]"
                if not isinstance(rg, Mapping):
                    problems.append(f"{gwhere}: a group is a mapping with 'name' and 'items'")
                    continue
                _unknown_keys(rg, _GROUP_KEYS, gwhere, problems)
                gname = _text(rg.get("name"), f"{gwhere}.name", problems, limit=80)
                gnote = _text(rg.get("note"), f"{gwhere}.note", problems, required=False)
                groups.append(LogicModelGroup(gname, _load_items(rg.get("items"), f"{gwhere}.items", problems, ids,
                                                                 codebook), gnote))
        else:
            groups.append(LogicModelGroup(None, _load_items(raw.get("items"), f"{where}.items", problems, ids,
                                                            codebook)))
        columns.append(LogicModelColumn(name=name, kind=kind, colour=colour, groups=tuple(groups), note=note,
                                        grouped=grouped))

    harms = None
    raw_harms = data.get("harms")
    if raw_harms is not None:
        if isinstance(raw_harms, (list, tuple)):
            raw_harms = {"items": raw_harms}
        if not isinstance(raw_harms, Mapping):
            problems.append("harms: must be a mapping with 'title' and 'items' (or a list of items)")
        else:
            _unknown_keys(raw_harms, _HARMS_KEYS, "harms", problems)
            htitle = _text(raw_harms.get("title"), "harms.title", problems, required=False, limit=60)
            hnote = _text(raw_harms.get("note"), "harms.note", problems, required=False)
            harms = LogicModelHarms(htitle or "Unintended harms",
                                    _load_items(raw_harms.get("items"), "harms.items", problems, ids, codebook), hnote)
    if problems:
        raise LogicModelError(problems, label)
    return LogicModel(title=title, model=model, columns=tuple(columns), harms=harms, summary=summary, theme=theme,
                      notes=tuple(notes), source=dict(source_meta) if source_meta else None, path=path)


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

