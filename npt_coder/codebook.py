"""The codebook: the 24 NPT subconstructs in a Context-Mechanism-Outcome frame, plus a team's inductive codes.

The default codebook ships inside the package as ``npt_coder/data/codebook/npt_cmo.yaml``. A team extends it with a file of its own::

    extends: default            # or a path to another codebook file
    name: My study - inductive codes
    version: "1.0.0"
    codes:
      - id: IND-CONSENT
        name: Consent
        kind: inductive
        maps_to: [M2.4, C2]     # code ids, construct ids (M3) or domain ids (context, mechanism, outcome)
        definition: ...

:func:`load_codebook` validates the result and reports every problem with its location at once. A key the file
does not know is one of them, with the key it probably stands for (``maps-to`` for ``maps_to``): a misspelt key would
otherwise be ignored without a word, and the code would lose what it says.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Annotated, Any, Iterator, Mapping

import pandas as pd
from pydantic import BeforeValidator, Field, ValidationInfo, model_validator

from ._resources import default_codebook_path
from ._schema import Schema, check, problem, read_yaml
from .errors import CodebookError

__all__ = [
    "CODEBOOK_COLUMNS",
    "DOMAINS",
    "Code",
    "Codebook",
    "default_codebook_path",
    "load_codebook",
]

DOMAINS = ("context", "mechanism", "outcome")
CODEBOOK_COLUMNS = [
    "code_id", "name", "domain", "construct_id", "construct", "definition", "questions", "kind", "maps_to",
    "keywords",
]
_ID = re.compile(r"^[A-Za-z][A-Za-z0-9._-]{0,39}$")
_KINDS = ("deductive", "inductive")


@dataclass(frozen=True)
class Code:
    """One code. For an inductive code, ``domain``/``construct_id`` are those of its first ``maps_to`` target."""

    code_id: str
    name: str
    domain: str
    construct_id: str
    construct: str
    definition: str = ""
    questions: tuple[str, ...] = ()
    kind: str = "deductive"
    maps_to: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """``id – name``, as drop-down lists and charts show a code."""
        return f"{self.code_id} – {self.name}"


@dataclass
class Codebook:
    """A validated codebook: domains, constructs and codes (deductive first, then inductive)."""

    name: str
    version: str
    domains: list[dict[str, str]]
    constructs: list[dict[str, str]]
    codes: list[Code]
    references: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)  # names of the files merged, default first
    parts: list[tuple[str, str]] = field(default_factory=list)  # (short name, version) of each file, default first

    # -- lookups -------------------------------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.codes)

    def __iter__(self) -> Iterator[Code]:
        return iter(self.codes)

    def __contains__(self, code_id: object) -> bool:
        return any(c.code_id == code_id for c in self.codes)

    def __getitem__(self, code_id: str) -> Code:
        for c in self.codes:
            if c.code_id == code_id:
                return c
        raise KeyError(code_id)

    @property
    def ids(self) -> list[str]:
        return [c.code_id for c in self.codes]

    @property
    def title(self) -> str:
        """How reports name the codebook: each file merged, with its version, default first, e.g.
        ``"NPT/CMO 1.0.0 + My study - inductive codes 1.0.0"`` (a file's ``short_name`` where it has one).

        >>> load_codebook().title
        'NPT/CMO 1.0.0'
        """
        parts = self.parts or [(self.name, self.version)]
        return " + ".join(f"{name} {version}" for name, version in parts)

    @property
    def composition(self) -> str:
        """What the codebook holds, in words: the NPT codes by kind, then the inductive codes.

        >>> load_codebook().composition
        '24 NPT codes (16 mechanism subconstructs plus 8 context and outcome constructs)'
        """
        deductive = [c for c in self.codes if c.kind == "deductive"]
        mechanism = sum(c.domain == "mechanism" for c in deductive)
        rest = len(deductive) - mechanism
        text = f"{len(deductive)} NPT code{'s' if len(deductive) != 1 else ''}"
        if mechanism and rest:
            text += (f" ({mechanism} mechanism subconstruct{'s' if mechanism != 1 else ''} plus {rest} context and "
                     f"outcome construct{'s' if rest != 1 else ''})")
        n_ind = len(self.codes) - len(deductive)
        if n_ind:
            text += f" and {n_ind} inductive code{'s' if n_ind != 1 else ''} mapped onto them"
        return text

    def home(self, code: Code | str) -> str | None:
        """Where an inductive code is shown once: the target it is listed under in manuals, workbooks and summaries
        (its other ``maps_to`` targets refer to it there). ``None`` for a deductive code or one mapped to nothing.

        Today the home is the first ``maps_to`` target; this is the single place that rule lives, so that the
        manual, the coding workbook's Codebook sheet, themed summaries and counts all place a code the same way.

        >>> cb = Codebook.from_dict({"name": "x", "version": "1", "domains": [{"id": "mechanism"}],
        ...     "constructs": [{"id": "M3", "name": "Action", "domain": "mechanism"}],
        ...     "codes": [{"id": "M3.3", "name": "Trust", "construct": "M3"},
        ...               {"id": "IND-A", "name": "A", "kind": "inductive", "maps_to": ["M3.3", "mechanism"]}]})
        >>> cb.home("IND-A"), cb.home("M3.3")
        ('M3.3', None)
        """
        c = self[code] if isinstance(code, str) else code
        if c.kind != "inductive" or not c.maps_to:
            return None
        return c.maps_to[0]

    def target_label(self, target: str) -> str:
        """A ``maps_to`` target with its name: ``"M2.4 Legitimation"``, ``"M3 Collective action"``, ``"Context"``."""
        if target in self:
            return f"{target} {self[target].name}"
        for con in self.constructs:
            if con["id"] == target:
                return f"{target} {con['name']}"
        for d in self.domains:
            if d["id"] == target:
                return d["name"]
        return target

    def resolve(self, text: str) -> str | None:
        """The code id that ``text`` names: an id (``m3.3`` works) or a name (case and spacing ignored)."""
        key = " ".join(text.split()).casefold()
        for c in self.codes:
            if c.code_id.casefold() == key or " ".join(c.name.split()).casefold() == key:
                return c.code_id
        return None

    def named_construct(self, text: str) -> tuple[dict[str, str], list[Code]] | None:
        """The construct that ``text`` names or nearly names (its id or name, ``M4`` or "Reflexive monitorng") with
        its codes, for a construct that is not itself a code (M4 has codes M4.1 to M4.4; C1 is one); else ``None``.

        >>> con, codes = load_codebook().named_construct("reflexive  monitoring")
        >>> con["id"], [c.code_id for c in codes], load_codebook().named_construct("C1")
        ('M4', ['M4.1', 'M4.2', 'M4.3', 'M4.4'], None)
        """
        def key(s: str) -> str:
            return " ".join(str(s).split()).casefold()

        by_key = {key(k): con for con in self.constructs for k in (con["name"], con["id"])}
        hit = difflib.get_close_matches(key(text), list(by_key), n=1, cutoff=0.85)
        con = by_key[hit[0]] if hit else None
        codes = [c for c in self.codes if con and c.kind == "deductive" and c.construct_id == con["id"]
                 and c.code_id != con["id"]]
        return (con, codes) if codes else None

    @property
    def frame(self) -> pd.DataFrame:
        """One row per code with :data:`CODEBOOK_COLUMNS`; list fields joined with ``"; "``."""
        rows = []
        for c in self.codes:
            row = asdict(c)
            for key in ("questions", "maps_to", "keywords"):
                row[key] = "; ".join(row[key])
            rows.append(row)
        return pd.DataFrame(rows, columns=CODEBOOK_COLUMNS)

    @property
    def sha256(self) -> str:
        """Hash of the codebook's content (not of the file names it came from), so a report can say exactly which
        codebook it used."""
        content = {k: v for k, v in self.to_dict().items() if k not in ("sources", "parts")}
        return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()

    def to_dict(self) -> dict[str, Any]:
        """A plain, self-contained representation (default and extension merged) that :meth:`from_dict` reads."""
        codes = []
        for c in self.codes:
            entry: dict[str, Any] = {"id": c.code_id, "name": c.name}
            if c.kind == "deductive":
                entry["construct"] = c.construct_id
            else:
                entry["kind"] = "inductive"
                entry["maps_to"] = list(c.maps_to)
            entry["definition"] = c.definition
            entry["questions"] = list(c.questions)
            if c.keywords:
                entry["keywords"] = list(c.keywords)
            codes.append(entry)
        return {"name": self.name, "version": self.version, "references": list(self.references),
                "sources": list(self.sources), "parts": [list(p) for p in self.parts], "domains": self.domains,
                "constructs": self.constructs, "codes": codes}

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, source: str = "codebook") -> "Codebook":
        """Validate and build a codebook from a mapping (as :meth:`to_dict` writes or a YAML file holds)."""
        cb = _build([(source, data)])
        if data.get("sources"):
            cb.sources = [str(s) for s in data["sources"]]
        if isinstance(data.get("parts"), list) and data["parts"]:
            cb.parts = [(str(p[0]), str(p[1])) for p in data["parts"] if isinstance(p, (list, tuple)) and len(p) == 2]
        return cb

    # -- structure -----------------------------------------------------------------------------------------------
    def inductive_under(self, target: str) -> list[Code]:
        """Inductive codes whose ``maps_to`` names ``target`` (a code, construct or domain id)."""
        return [c for c in self.codes if c.kind == "inductive" and target in c.maps_to]

    def hierarchy(self) -> list[tuple[dict, list[tuple[dict, list[Code]]]]]:
        """Domains in order, each with its constructs in order, each with its deductive codes."""
        out = []
        for d in self.domains:
            cons = []
            for con in self.constructs:
                if con["domain"] == d["id"]:
                    cons.append((con, [c for c in self.codes if c.kind == "deductive" and c.construct_id == con["id"]]))
            out.append((d, cons))
        return out

    def tree(self) -> str:
        """The codebook as an indented text tree: domain > construct > code, each inductive code once under its
        :meth:`home` with what it maps to, and a one-line pointer under its other targets.

        >>> print(load_codebook().tree().splitlines()[1])
          C1 Strategic intentions
        """
        lines: list[str] = []

        def under(target: str, indent: str) -> list[str]:
            out = []
            for c in self.inductive_under(target):
                if self.home(c) == target:
                    out.append(f"{indent}↳ {c.label} (inductive; maps to {', '.join(c.maps_to)})")
                else:
                    out.append(f"{indent}↳ see {c.code_id} under {self.home(c)}")
            return out

        for d, cons in self.hierarchy():
            lines.append(d["name"])
            lines += under(d["id"], "    ")
            for con, codes in cons:
                single = len(codes) == 1 and codes[0].code_id == con["id"]
                lines.append(f"  {con['id']} {con['name']}")
                if not single:
                    lines += under(con["id"], "      ")
                for code in codes:
                    if not single:
                        lines.append(f"    {code.code_id} {code.name}")
                    lines += under(code.code_id, "      ")
        unmapped = [c for c in self.codes if c.kind == "inductive" and not c.maps_to]
        if unmapped:
            lines.append("Inductive, not yet mapped")
            lines += [f"  {c.label}" for c in unmapped]
        return "\n".join(lines)


# -- loading and validation ---------------------------------------------------------------------------------------

def _as_list(value: Any) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


_Str = Annotated[str, BeforeValidator(str)]  # whatever the file holds, as text


def _domain(value: Any) -> str:
    if value not in DOMAINS:
        raise problem(f"unknown domain {value!r} (use {', '.join(DOMAINS)})")
    return value


def _code_id(value: Any, info: ValidationInfo) -> str:
    cid = str(value) if value is not None else None
    if not cid:
        raise problem("missing")
    if not _ID.match(cid):
        raise problem(f"{cid!r} is not a valid id (a letter, then letters, digits, '.', '_' or '-')")
    seen = (info.context or {}).get("seen")  # code id -> where it was first used, over every file merged
    if seen is not None:
        if cid in seen:
            raise problem(f"{cid!r} already used by {seen[cid]}")
        seen[cid] = info.context["where"]
    return cid


def _code_name(value: Any) -> str:
    name = str(value or "").strip()
    if not name:
        raise problem("missing")
    return name


def _kind(value: Any) -> str:
    if value not in _KINDS:
        raise problem(f"{value!r} is not one of {', '.join(_KINDS)}")
    return value


def _construct(value: Any, info: ValidationInfo) -> str | None:
    constructs = (info.context or {}).get("constructs")  # the constructs of every file merged, by id
    if info.data.get("kind") == "deductive" and constructs is not None \
            and not (isinstance(value, str) and value in constructs):
        raise problem(f"{value!r} is not a construct of this codebook (known: {', '.join(constructs) or 'none'})")
    return None if value is None else str(value)


def _text_list(value: Any) -> tuple[str, ...]:
    if value is not None and not isinstance(value, (list, str)):
        raise problem("must be a list of text")
    return tuple(str(v) for v in _as_list(value))


def _maps_to(value: Any, info: ValidationInfo) -> tuple[str, ...]:
    if info.data.get("kind") == "deductive" and value:
        raise problem("only inductive codes map onto others (add 'kind: inductive')")
    return _text_list(value)


class _File(Schema):
    """A codebook file (or :meth:`Codebook.to_dict`); its domains, constructs and codes are checked one by one."""

    NOT_A_MAPPING = "the file must hold a mapping with a 'codes' list"
    extends: Any = None
    name: Any = None
    version: Any = None
    references: Any = None
    sources: Any = None  # the files merged, as Codebook.to_dict writes them
    parts: Any = None  # (short name, version) of each file merged, as Codebook.to_dict writes them
    short_name: Any = None  # how reports name this file's part of the codebook (default: its name)
    domains: Any = None
    constructs: Any = None
    codes: Any = None

    @model_validator(mode="after")
    def _codes_are_a_list(self) -> "_File":
        if self.codes is not None and not isinstance(self.codes, list):
            raise problem("'codes' must be a list")
        return self


class _Domain(Schema):
    NOT_A_MAPPING = "needs an 'id'"
    REQUIRED = ("id",)
    OWNER = "domain"
    id: Annotated[str, BeforeValidator(_domain)]
    name: Annotated[str | None, BeforeValidator(str)] = None  # default: the id, capitalised
    description: _Str = ""
    question: _Str = ""


class _Construct(Schema):
    NOT_A_MAPPING = "needs 'id' and 'name'"
    REQUIRED = ("id", "name")
    OWNER = "construct"
    id: _Str
    name: _Str
    domain: Annotated[str, BeforeValidator(_domain)] = Field(None, validate_default=True)
    focus: _Str = ""
    description: _Str = ""


class _Code(Schema):
    NOT_A_MAPPING = "must be a mapping with 'id' and 'name'"
    OWNER = "code"
    id: Annotated[str, BeforeValidator(_code_id)] = Field(None, validate_default=True)
    name: Annotated[str, BeforeValidator(_code_name)] = Field(None, validate_default=True)
    kind: Annotated[str, BeforeValidator(_kind)] = "deductive"
    construct_id: Annotated[str | None, BeforeValidator(_construct)] = Field(None, alias="construct",
                                                                             validate_default=True)
    maps_to: Annotated[tuple[str, ...], BeforeValidator(_maps_to)] = ()
    questions: Annotated[tuple[str, ...], BeforeValidator(_text_list)] = ()
    keywords: Annotated[tuple[str, ...], BeforeValidator(_text_list)] = ()
    definition: Annotated[str, BeforeValidator(lambda v: str(v or "").strip())] = ""


def _check(source: str, model: type[Schema], raw: Any, where: str, problems: list[str], **context: Any) -> Any:
    """:func:`~npt_coder._schema.check`, with the file's name in front of each problem."""
    found: list[str] = []
    entry = check(model, raw, where, found, context={"where": f"{source}: {where}", **context})
    problems += [f"{source}: {p}" for p in found]
    return entry


def _build(parts: list[tuple[str, dict[str, Any]]]) -> Codebook:
    """Merge codebook parts (default first) and validate the whole, collecting every problem."""
    problems: list[str] = []
    domains: list[dict[str, str]] = []
    constructs: list[dict[str, str]] = []
    raw_codes: list[tuple[str, int, Any]] = []
    references: list[str] = []
    for source, data in parts:
        _check(source, _File, data, "", problems)
        for i, d in enumerate(_as_list(data.get("domains"))):
            dom = _check(source, _Domain, d, f"domains[{i}]", problems)
            if dom is not None:
                domains.append({"id": dom.id, "name": dom.id.title() if dom.name is None else dom.name,
                                "description": dom.description, "question": dom.question})
        for i, c in enumerate(_as_list(data.get("constructs"))):
            con = _check(source, _Construct, c, f"constructs[{i}]", problems)
            if con is None:
                continue
            if any(known["id"] == con.id for known in constructs):  # only a valid construct takes its id
                problems.append(f"{source}: constructs[{i}].id: {con.id!r} already used by another construct")
                continue
            constructs.append(con.model_dump())
        references += [str(r) for r in _as_list(data.get("references"))]
        if isinstance(data.get("codes"), list):
            raw_codes += [(source, i, c) for i, c in enumerate(data["codes"])]
    if not domains:
        domains = [{"id": d, "name": d.title(), "description": "", "question": ""} for d in DOMAINS]
    cons_by_id = {c["id"]: c for c in constructs}

    seen: dict[str, str] = {}
    entries: list[tuple[str, Mapping, _Code | None]] = []
    for source, i, c in raw_codes:
        code = _check(source, _Code, c, f"codes[{i}]", problems, seen=seen, constructs=cons_by_id)
        if isinstance(c, Mapping):
            entries.append((f"{source}: codes[{i}]", c, code))

    # Rules across codes, on the values as written, so they apply to codes with other problems too.
    code_ids = {str(c.get("id")) for _, c, _ in entries}
    deductive = {str(c.get("id")): cons_by_id[c["construct"]] for _, c, _ in entries
                 if c.get("kind", "deductive") == "deductive" and isinstance(c.get("construct"), str)
                 and c["construct"] in cons_by_id}
    placed: dict[str, tuple[str, str, str]] = {}  # where -> domain, construct id and name of the first target
    for where, c, _ in entries:
        if c.get("kind") != "inductive":
            continue
        for j, t in enumerate(str(t) for t in _as_list(c.get("maps_to"))):
            if t in deductive:
                first = (deductive[t]["domain"], deductive[t]["id"], deductive[t]["name"])
            elif t in cons_by_id:
                first = (cons_by_id[t]["domain"], t, cons_by_id[t]["name"])
            elif t in DOMAINS:
                first = (t, "", "")
            else:
                hint = " (an inductive code cannot map onto another inductive code)" if t in code_ids else ""
                problems.append(f"{where}.maps_to[{j}]: {t!r} names no code, construct or domain{hint}")
                continue
            placed.setdefault(where, first)
    used = {con["id"] for con in deductive.values()}
    problems += [f"constructs {con['id']!r}: has no codes" for con in constructs if con["id"] not in used]
    if problems:
        raise CodebookError(problems, " + ".join(s for s, _ in parts))

    codes: list[Code] = []  # deductive first, then inductive, each in file order
    for where, _, c in entries:
        if c.kind == "deductive":
            con = cons_by_id[c.construct_id]
            codes.append(Code(c.id, c.name, con["domain"], con["id"], con["name"], c.definition, c.questions,
                              "deductive", (), c.keywords))
    for where, _, c in entries:
        if c.kind == "inductive":
            codes.append(Code(c.id, c.name, *placed.get(where, ("", "", "")), c.definition, c.questions,
                              "inductive", c.maps_to, c.keywords))
    head = parts[-1][1]
    return Codebook(name=str(head.get("name") or parts[0][1].get("name") or "codebook"),
                    version=str(head.get("version") or parts[0][1].get("version") or "0"),
                    domains=domains, constructs=constructs, codes=codes, references=references,
                    sources=[s for s, _ in parts],
                    parts=[(str(d.get("short_name") or d.get("name") or s), str(d.get("version") or "0"))
                           for s, d in parts])


def load_codebook(path: str | Path | None = None) -> Codebook:
    """Load and validate a codebook file; with no path, the default NPT/CMO codebook.

    A file with ``extends: default`` (or ``extends: other.yaml``, relative to the file) adds its codes to that
    codebook. Every problem in the merged result is reported at once, each with its file and location, in a
    :class:`~npt_coder.errors.CodebookError`.

    Examples
    --------
    >>> cb = load_codebook()
    >>> len(cb), cb["M3.3"].name, cb["M3.3"].domain
    (24, 'Relational integration', 'mechanism')
    """
    path = Path(path) if path is not None else default_codebook_path()
    parts: list[tuple[str, dict]] = []
    seen: set[Path] = set()
    current: Path | None = path
    while current is not None:
        resolved = current.resolve()
        if resolved in seen:
            raise CodebookError([f"'extends' goes round in a circle at {current.name}"], path)
        seen.add(resolved)
        data = read_yaml(current, CodebookError, current)
        if not isinstance(data, dict):
            raise CodebookError([_File.NOT_A_MAPPING], current)
        parts.insert(0, (current.name, data))
        ext = data.get("extends")
        if ext is None:
            current = None
        elif str(ext) == "default":
            current = default_codebook_path()
        else:
            current = (current.parent / str(ext))
    return _build(parts)
