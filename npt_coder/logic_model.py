"""Logic models: a programme theory drawn as columns (Context, Activities, Mechanisms, Intended impact) and a harms box.

A logic model is written as a small YAML *spec* that a researcher edits by hand::

    title: "Children's Front Door: a risk-led model"
    model: Risk-led front door                # the name used when two models are compared
    summary: Screens every contact for risk of significant harm.
    theme: {harms: "#B71C1C"}                 # optional colour overrides (see THEME_KEYS)
    columns:
      - name: Context                         # names are free; `kind` (context, activities, mechanism,
        kind: context                         #   outcome, other) sets the colour; default: from the name
        items:
          - text: Contacts arrive in high volumes
            id: volume                        # optional: matches the same idea in another model
            codes: [C3]                       # optional evidence links to codes of the codebook
      - name: Intended impact
        groups:                               # optional groups within a column
          - name: For services and staff
            items: [Information is shared quickly]
    harms:
      title: Unintended harms
      items: [Parents come to distrust services]
    notes: Bold marks what differs from the other model.

:func:`load_logic_model` validates a spec and reports every problem with its location at once;
:func:`draft_logic_model` writes a starting spec from the coded data; :func:`evidence` counts the participants,
transcripts and sites behind each item's codes; :func:`compare` finds the items unique to one of two models;
:func:`describe` writes the plain-language text description (alt text) of a diagram. The drawings themselves (plotly
figure, Word table, HTML page) are in :mod:`npt_coder.render`.

Examples
--------
>>> lm = load_logic_model({"title": "Demo", "columns": [
...     {"name": "Context", "items": ["High demand"]},
...     {"name": "Mechanisms", "items": [{"text": "Trust", "codes": ["M3.3"]}]}]})
>>> [c.name for c in lm.columns], lm.columns[1].items[0].codes
(['Context', 'Mechanisms'], ('M3.3',))
"""

from __future__ import annotations

import datetime as _dt
import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, Mapping, Sequence

import pandas as pd
import yaml

from .codebook import DOMAINS, Codebook
from .errors import LogicModelError

if TYPE_CHECKING:  # pragma: no cover
    from .store import Project

__all__ = [
    "COLUMN_KINDS",
    "DEFAULT_COLUMNS",
    "GROUP_METHODS",
    "THEME_KEYS",
    "Comparison",
    "LogicModel",
    "LogicModelColumn",
    "LogicModelGroup",
    "LogicModelHarms",
    "LogicModelItem",
    "code_support",
    "compare",
    "describe",
    "draft_logic_model",
    "evidence",
    "evidence_labels",
    "load_logic_model",
    "logic_model_to_yaml",
    "normalise_text",
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
#: Transcript ``method`` values where each speaker is a participant (speaker labels, not the transcript's attribute).
GROUP_METHODS = ("focus group", "group interview", "workshop")

MAX_COLUMNS = 6
MAX_ITEM_CHARS = 240
EVIDENCE_KEYS = ("participants", "transcripts", "sites")
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


# -- loading and validation ------------------------------------------------------------------------------------------

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


# -- coded support ---------------------------------------------------------------------------------------------------

def _norm_method(value: Any) -> str:
    return " ".join(str(value).replace("_", " ").replace("-", " ").split()).casefold() if isinstance(value, str) else ""


def _select(project: "Project", coder: str | Sequence[str] | None,
            attribute_filter: Mapping[str, Any] | None) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    """Transcripts after the filter, the codings chosen on them, and a sentence saying which codings those are."""
    transcripts = project.transcripts.drop(columns=["text"])
    problems: list[str] = []
    for key, wanted in (attribute_filter or {}).items():
        if key not in transcripts.columns:
            attrs = [c for c in transcripts.columns if c not in ("source_path", "source_name", "format", "encoding",
                                                                 "sha256", "text_sha256", "n_words", "added_at",
                                                                 "n_turns", "layout")]
            problems.append(f"attribute_filter.{key}: the transcripts have no attribute {key!r} "
                            f"(they have: {', '.join(attrs)})")
            continue
        values = [str(v) for v in (wanted if isinstance(wanted, (list, tuple, set)) else [wanted])]
        transcripts = transcripts[transcripts[key].astype(str).isin(values)]
    codings = project.codings
    if coder is None:
        consensus = codings[codings["coder"] == "consensus"]
        settled = set(consensus["transcript_id"])
        others = codings[(codings["coder"] != "consensus") & ~codings["transcript_id"].isin(settled)]
        chosen = pd.concat([consensus, others], ignore_index=True)
    else:
        wanted_coders = [coder] if isinstance(coder, str) else list(coder)
        known = sorted(codings["coder"].unique())
        for c in wanted_coders:
            if c not in known:
                problems.append(f"coder: no codings by {c!r} in this project (coders: {', '.join(known) or 'none'})")
        chosen = codings[codings["coder"].isin(wanted_coders)]
    if problems:
        raise LogicModelError(problems, "the request")
    chosen = chosen[chosen["transcript_id"].isin(set(transcripts["transcript_id"]))]
    transcripts = transcripts[transcripts["transcript_id"].isin(set(chosen["transcript_id"]))]
    by_coder = chosen.groupby("coder")["transcript_id"].nunique().sort_index()
    if coder is None and "consensus" in by_coder.index:
        rest = ", ".join(f"{c} on {n}" for c, n in by_coder.items() if c != "consensus")
        text = (f"consensus coding on {by_coder['consensus']} transcript(s)"
                + (f", otherwise every coder's coding ({rest} transcript(s))" if rest else ""))
    else:
        text = ", ".join(f"{c} on {n} transcript(s)" for c, n in by_coder.items()) or "no codings"
    if attribute_filter:
        text += "; transcripts where " + ", ".join(
            f"{k} = {'/'.join(map(str, v)) if isinstance(v, (list, tuple, set)) else v}"
            for k, v in attribute_filter.items())
    return transcripts, chosen, text


def _support_rows(project: "Project", coder: str | Sequence[str] | None, attribute_filter: Mapping[str, Any] | None,
                  group_methods: Sequence[str]) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    """One row per (code, transcript, participant) supported by a coded span; ``participant`` is ``None`` when the
    span in a group transcript overlaps no participant's talk."""
    transcripts, chosen, text = _select(project, coder, attribute_filter)
    group_set = {_norm_method(m) for m in group_methods}
    meta = transcripts.set_index("transcript_id")
    is_group = {tid: _norm_method(meta.at[tid, "method"]) in group_set if "method" in meta.columns else False
                for tid in meta.index}
    rows: list[pd.DataFrame] = []
    in_group = chosen["transcript_id"].map(lambda t: bool(is_group.get(t, False))).astype(bool)
    single = chosen[~in_group]
    if not single.empty:
        if "participant" in meta.columns:
            who = meta["participant"].where(meta["participant"].notna() & (meta["participant"].astype(str) != ""))
            who = who.fillna(pd.Series(meta.index, index=meta.index))
        else:
            who = pd.Series(meta.index, index=meta.index)
        rows.append(pd.DataFrame({"code_id": single["code_id"].to_numpy(),
                                  "transcript_id": single["transcript_id"].to_numpy(),
                                  "participant": single["transcript_id"].map(who).astype(str).to_numpy()}))
    group = chosen[in_group]
    if not group.empty:
        seg = project.segments("turn", include_interviewer=False, transcripts=sorted(group["transcript_id"].unique()))
        seg = seg[seg["speaker"].notna() & (seg["speaker"].astype(str).str.strip() != "")]
        spans = group.reset_index(drop=True).reset_index(names="span")
        both = spans.merge(seg[["transcript_id", "start", "end", "speaker"]], on="transcript_id", suffixes=("", "_s"))
        both = both[(both["start_s"] < both["end"]) & (both["end_s"] > both["start"])]
        rows.append(pd.DataFrame({"code_id": both["code_id"], "transcript_id": both["transcript_id"],
                                  "participant": both["speaker"].astype(str)}))
        lonely = spans[~spans["span"].isin(set(both["span"]))]
        if not lonely.empty:  # facilitator talk only: counts for the transcript, not for a participant
            rows.append(pd.DataFrame({"code_id": lonely["code_id"], "transcript_id": lonely["transcript_id"],
                                      "participant": None}))
    out = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=["code_id", "transcript_id",
                                                                                "participant"])
    site = meta["site"] if "site" in meta.columns else pd.Series(dtype=object)
    out["site"] = out["transcript_id"].map(site) if len(site) else None
    out = out.drop_duplicates(ignore_index=True)
    return out, transcripts, text


def _count(rows: pd.DataFrame) -> dict[str, int]:
    return {"participants": int(rows["participant"].dropna().nunique()),
            "transcripts": int(rows["transcript_id"].nunique()),
            "sites": int(rows["site"].dropna().nunique()) if "site" in rows else 0}


def code_support(project: "Project", *, coder: str | Sequence[str] | None = None,
                 attribute_filter: Mapping[str, Any] | None = None,
                 group_methods: Sequence[str] = GROUP_METHODS) -> pd.DataFrame:
    """How many participants, transcripts and sites support each code of the project's codebook.

    Parameters
    ----------
    project : Project
    coder : str or list of str, optional
        Whose codings count. Default: the ``consensus`` coding on transcripts that have one, every coder's
        coding on the others.
    attribute_filter : mapping, optional
        Keep transcripts whose attributes match, e.g. ``{"site": "S1"}`` or ``{"role": ["police", "health"]}``.
    group_methods : sequence of str
        Transcript ``method`` values where each speaker counts as a participant (the speaker of the participant
        turns a coded span overlaps); elsewhere a transcript's ``participant`` attribute is the participant.

    Returns
    -------
    pandas.DataFrame
        One row per code in codebook order: code_id, name, domain, kind, maps_to, participants, transcripts,
        sites. ``attrs["coding"]`` says which codings were counted.
    """
    rows, _, text = _support_rows(project, coder, attribute_filter, group_methods)
    cb = project.load_codebook()
    records = []
    for code in cb:
        counts = _count(rows[rows["code_id"] == code.code_id])
        records.append({"code_id": code.code_id, "name": code.name, "domain": code.domain, "kind": code.kind,
                        "maps_to": "; ".join(code.maps_to), **counts})
    df = pd.DataFrame(records, columns=["code_id", "name", "domain", "kind", "maps_to", *EVIDENCE_KEYS])
    df.attrs["coding"] = text
    return df


def _label(counts: Mapping[str, int], *, with_sites: bool = True) -> str:
    p, t, s = (int(counts.get(k, 0)) for k in EVIDENCE_KEYS)
    if p == 0 and t == 0:
        return "no coded evidence"
    parts = [f"{p} participant{'s' if p != 1 else ''}", f"{t} transcript{'s' if t != 1 else ''}"]
    if with_sites and s:
        parts.append(f"{s} site{'s' if s != 1 else ''}")
    return ", ".join(parts)


def evidence(spec: LogicModel | Mapping[str, Any] | str | Path, project: "Project", *,
             coder: str | Sequence[str] | None = None, attribute_filter: Mapping[str, Any] | None = None,
             group_methods: Sequence[str] = GROUP_METHODS) -> pd.DataFrame:
    """The coded support of every item that links to codes: participants, transcripts and sites.

    An item's support is the union over its codes: a participant whose talk was coded with two of the item's codes
    counts once. Only the codes named count (an inductive code mapped to a named code is not added; name it too).
    Codings are chosen as in :func:`code_support`.

    Returns
    -------
    pandas.DataFrame
        One row per item with codes: model, path, column, group, item_id, text, codes, participants,
        transcripts, sites, label (e.g. ``"7 participants, 5 transcripts, 3 sites"``), in reading order.
        ``attrs["coding"]`` says which codings were counted. Renderers take it as ``evidence=``.
    """
    rows, transcripts, text = _support_rows(project, coder, attribute_filter, group_methods)
    model = load_logic_model(spec, codebook=project.load_codebook())
    with_sites = "site" in transcripts.columns and transcripts["site"].notna().any()
    records = []
    for column, group, item in model.iter_items():
        if not item.codes:
            continue
        counts = _count(rows[rows["code_id"].isin(item.codes)])
        records.append({"model": model.model, "path": item.path, "column": column, "group": group,
                        "item_id": item.id, "text": item.text, "codes": "; ".join(item.codes), **counts,
                        "label": _label(counts, with_sites=with_sites)})
    df = pd.DataFrame(records, columns=["model", "path", "column", "group", "item_id", "text", "codes",
                                        *EVIDENCE_KEYS, "label"])
    df.attrs["coding"] = text
    return df


def evidence_labels(spec: LogicModel, evidence: pd.DataFrame | Mapping[str, str] | bool | None) -> dict[str, str]:
    """Item path -> evidence text to show under the item.

    ``evidence`` is what :func:`evidence` returns, a mapping of item path to text, ``True`` for the counts recorded
    in the spec itself (``evidence:`` on each item, as the draft writes them), or ``None``/``False`` for none.

    >>> lm = load_logic_model({"title": "T", "columns": [{"name": "Context", "items": [
    ...     {"text": "Demand is high", "evidence": {"participants": 4, "transcripts": 3, "sites": 2}}]}]})
    >>> evidence_labels(lm, True)
    {'columns[0].items[0]': '4 participants, 3 transcripts, 2 sites'}
    """
    if evidence is None or evidence is False:
        return {}
    if evidence is True:
        return {it.path: _label(it.evidence) for it in spec.items if it.evidence}
    if isinstance(evidence, pd.DataFrame):
        missing = {"path", "label"} - set(evidence.columns)
        if missing:
            raise LogicModelError([f"evidence: the table needs columns 'path' and 'label' (as evidence() returns); "
                                   f"missing {', '.join(sorted(missing))}"], "the request")
        return {str(p): str(lab) for p, lab in zip(evidence["path"], evidence["label"])}
    if isinstance(evidence, Mapping):
        return {str(k): str(v) for k, v in evidence.items()}
    raise LogicModelError([f"evidence: give the table evidence() returns, a mapping, True or None; got "
                           f"{type(evidence).__name__}"], "the request")


# -- drafting --------------------------------------------------------------------------------------------------------

def _domain_of(cb: Codebook, target: str) -> str | None:
    if target in DOMAINS:
        return target
    if target in cb:
        return cb[target].domain
    for con in cb.constructs:
        if con["id"] == target:
            return con["domain"]
    return None


def _cue(cb: Codebook, code_id: str, limit: int = 110) -> str:
    """A short prompt for the researcher: the construct's focus for one-code constructs, else the first question."""
    code = cb[code_id]
    cue = ""
    construct = next((c for c in cb.constructs if c["id"] == code.construct_id), None)
    siblings = [c for c in cb.codes if c.kind == "deductive" and c.construct_id == code.construct_id]
    if code.kind == "deductive" and len(siblings) == 1 and construct and construct.get("focus"):
        cue = construct["focus"].split(":", 1)[-1].strip()
    elif code.questions:
        cue = code.questions[0]
    elif code.definition:
        cue = re.split(r"(?<=[.!?])\s", code.definition, maxsplit=1)[0]
    cue = " ".join(cue.split())
    if len(cue) > limit:
        cue = cue[: limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    if cue and not (len(cue) > 1 and cue[1].isupper()):
        cue = cue[0].lower() + cue[1:]
    return f"{code.name}: {cue}" if cue else code.name


def draft_logic_model(project: "Project", *, coder: str | Sequence[str] | None = None,
                      attribute_filter: Mapping[str, Any] | None = None, top: int | None = 6,
                      title: str | None = None, model: str | None = None,
                      group_methods: Sequence[str] = GROUP_METHODS) -> dict[str, Any]:
    """A starting logic-model spec drafted from the coded data, for the researcher to rewrite.

    Context items come from the context codes (C1–C4), Mechanism items from the mechanism codes (M1.1–M4.4),
    Intended-impact items ("For services and staff") from the outcome codes (O1–O4) and from the inductive codes
    mapped to an outcome; other inductive codes join the column of their own domain (e.g. IT systems under
    Context), so no coded theme is left out. Each column lists the codes with any support, ranked by
    participants, then transcripts, then codebook order, at most ``top`` of them. Each item's text is the code's
    name and a short cue from the codebook, its ``id`` and ``codes`` are the code, and ``evidence`` records the
    counts. Activities and "For children and families" are left empty: no NPT code describes them.

    Parameters
    ----------
    project : Project
    coder, attribute_filter, group_methods
        Which codings count, as in :func:`code_support`.
    top : int or None
        Most items per column (None: every supported code).
    title, model : str, optional
        Title and model name of the draft.

    Returns
    -------
    dict
        The spec (valid for :func:`load_logic_model`); write it with :func:`logic_model_to_yaml`. Its ``source``
        records the project, the codings counted, the transcripts and the codebook.
    """
    if top is not None and (isinstance(top, bool) or not isinstance(top, int) or top < 1):
        raise LogicModelError([f"top: must be a whole number ≥ 1 or None; got {top!r}"], "the request")
    rows, transcripts, coding_text = _support_rows(project, coder, attribute_filter, group_methods)
    cb = project.load_codebook()
    with_sites = "site" in transcripts.columns and transcripts["site"].notna().any()
    order = {c.code_id: k for k, c in enumerate(cb.codes)}
    buckets: dict[str, list[tuple[str, dict[str, int]]]] = {"context": [], "mechanism": [], "outcome": []}
    for code in cb:
        if code.kind == "deductive":
            target = code.domain
        else:
            domains = {_domain_of(cb, t) for t in code.maps_to}
            target = "outcome" if "outcome" in domains else code.domain
        if target not in buckets:
            continue
        counts = _count(rows[rows["code_id"] == code.code_id])
        if not with_sites:
            counts["sites"] = 0
        if counts["transcripts"] == 0:
            continue
        buckets[target].append((code.code_id, counts))

    def items(kind: str) -> list[dict[str, Any]]:
        ranked = sorted(buckets[kind], key=lambda r: (-r[1]["participants"], -r[1]["transcripts"], order[r[0]]))
        if top is not None:
            ranked = ranked[:top]
        return [{"text": _cue(cb, cid), "id": cid, "codes": [cid],
                 "evidence": {k: v for k, v in counts.items() if k != "sites" or with_sites},
                 "note": f"Drafted from {cb[cid].label}; rewrite as a claim about your service."}
                for cid, counts in ranked]

    when = _dt.date.today().isoformat()
    filt = ", ".join(f"{k}={v}" for k, v in (attribute_filter or {}).items())
    spec: dict[str, Any] = {
        "title": title or ("Draft logic model" + (f" ({filt})" if filt else "")),
        "model": model or ("Draft" + (f" {filt}" if filt else "")),
        "notes": [f"Drafted from the coded data ({coding_text}). Evidence counts the participants, transcripts and "
                  "sites whose coded talk used each item's code. Rewrite every item as a claim about your service, "
                  "add the activities and the impact for children and families, and keep the codes as evidence "
                  "links."],
        "source": {"drafted_at": when, "project_id": project.project_id, "coding": coding_text,
                   "attribute_filter": {str(k): v for k, v in (attribute_filter or {}).items()},
                   "transcripts": sorted(transcripts["transcript_id"].tolist()),
                   "codebook": f"{cb.name} {cb.version} ({cb.sha256[:12]})"},
        "columns": [
            {"name": "Context", "kind": "context", "items": items("context")},
            {"name": "Activities", "kind": "activities", "items": [],
             "note": "Not drafted from the coding: write what staff do, day to day and together."},
            {"name": "Mechanisms", "kind": "mechanism", "items": items("mechanism")},
            {"name": "Intended impact", "kind": "outcome", "groups": [
                {"name": "For services and staff", "items": items("outcome")},
                {"name": "For children and families", "items": [],
                 "note": "Not drafted from the coding: write what should change for children and families."},
            ]},
        ],
        "harms": {"title": "Unintended harms", "items": [],
                  "note": "Add harms the evidence points to (e.g. from memos and disconfirming cases)."},
    }
    load_logic_model(spec, codebook=cb)  # the draft must always be a valid spec
    return spec


# -- comparison ------------------------------------------------------------------------------------------------------

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
            raise ValueError(f"side must be 'a' or 'b'; got {side!r}")
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


# -- text description ------------------------------------------------------------------------------------------------

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
