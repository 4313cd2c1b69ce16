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

:func:`load_codebook` validates the result and reports every problem with its location at once.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterator

import pandas as pd
import yaml

from ._resources import default_codebook_path
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

    def resolve(self, text: str) -> str | None:
        """The code id that ``text`` names: an id (``m3.3`` works) or a name (case and spacing ignored)."""
        key = " ".join(text.split()).casefold()
        for c in self.codes:
            if c.code_id.casefold() == key or " ".join(c.name.split()).casefold() == key:
                return c.code_id
        return None

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
        content = {k: v for k, v in self.to_dict().items() if k != "sources"}
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
                "sources": list(self.sources), "domains": self.domains, "constructs": self.constructs, "codes": codes}

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, source: str = "codebook") -> "Codebook":
        """Validate and build a codebook from a mapping (as :meth:`to_dict` writes or a YAML file holds)."""
        cb = _build([(source, data)])
        if data.get("sources"):
            cb.sources = [str(s) for s in data["sources"]]
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
        """The codebook as an indented text tree: domain > construct > code, inductive codes under their targets.

        >>> print(load_codebook().tree().splitlines()[1])
          C1 Strategic intentions
        """
        lines: list[str] = []
        for d, cons in self.hierarchy():
            lines.append(d["name"])
            lines += [f"    ↳ {c.label} (inductive)" for c in self.inductive_under(d["id"])]
            for con, codes in cons:
                single = len(codes) == 1 and codes[0].code_id == con["id"]
                lines.append(f"  {con['id']} {con['name']}")
                lines += [f"      ↳ {c.label} (inductive)" for c in self.inductive_under(con["id"]) if not single]
                for code in codes:
                    if not single:
                        lines.append(f"    {code.code_id} {code.name}")
                    lines += [f"      ↳ {c.label} (inductive)" for c in self.inductive_under(code.code_id)]
        unmapped = [c for c in self.codes if c.kind == "inductive" and not c.maps_to]
        if unmapped:
            lines.append("Inductive, not yet mapped")
            lines += [f"  {c.label}" for c in unmapped]
        return "\n".join(lines)


# -- loading and validation ---------------------------------------------------------------------------------------

def _read_yaml(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise CodebookError([f"file not found: {path}"], path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise CodebookError([f"{where}not valid YAML ({getattr(err, 'problem', None) or err})"], path) from None
    except UnicodeDecodeError:
        raise CodebookError(["not UTF-8 text"], path) from None
    if not isinstance(data, dict):
        raise CodebookError(["the file must hold a mapping with a 'codes' list"], path)
    return data


def _as_list(value: Any) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _build(parts: list[tuple[str, dict[str, Any]]]) -> Codebook:
    """Merge codebook parts (default first) and validate the whole, collecting every problem."""
    problems: list[str] = []
    domains: list[dict[str, str]] = []
    constructs: list[dict[str, str]] = []
    raw_codes: list[tuple[str, int, dict]] = []
    references: list[str] = []
    for source, data in parts:
        for i, d in enumerate(_as_list(data.get("domains"))):
            where = f"{source}: domains[{i}]"
            if not isinstance(d, dict) or "id" not in d:
                problems.append(f"{where}: needs an 'id'")
                continue
            if d["id"] not in DOMAINS:
                problems.append(f"{where}.id: unknown domain {d['id']!r} (use {', '.join(DOMAINS)})")
                continue
            domains.append({"id": d["id"], "name": str(d.get("name", d["id"].title())),
                            "description": str(d.get("description", "")), "question": str(d.get("question", ""))})
        for i, con in enumerate(_as_list(data.get("constructs"))):
            where = f"{source}: constructs[{i}]"
            if not isinstance(con, dict) or "id" not in con or "name" not in con:
                problems.append(f"{where}: needs 'id' and 'name'")
                continue
            if con.get("domain") not in DOMAINS:
                problems.append(f"{where}.domain: unknown domain {con.get('domain')!r} (use {', '.join(DOMAINS)})")
                continue
            if any(c["id"] == con["id"] for c in constructs):
                problems.append(f"{where}.id: {con['id']!r} already used by another construct")
                continue
            constructs.append({"id": str(con["id"]), "name": str(con["name"]), "domain": con["domain"],
                               "focus": str(con.get("focus", "")), "description": str(con.get("description", ""))})
        references += [str(r) for r in _as_list(data.get("references"))]
        codes = data.get("codes")
        if codes is not None and not isinstance(codes, list):
            problems.append(f"{source}: 'codes' must be a list")
            continue
        for i, c in enumerate(codes or []):
            raw_codes.append((source, i, c))
    if not domains:
        domains = [{"id": d, "name": d.title(), "description": "", "question": ""} for d in DOMAINS]
    cons_by_id = {c["id"]: c for c in constructs}

    seen: dict[str, str] = {}
    entries = []
    for source, i, c in raw_codes:
        where = f"{source}: codes[{i}]"
        if not isinstance(c, dict):
            problems.append(f"{where}: must be a mapping with 'id' and 'name'")
            continue
        cid = c.get("id")
        cid = str(cid) if cid is not None else None
        if not cid:
            problems.append(f"{where}.id: missing")
        elif not _ID.match(cid):
            problems.append(f"{where}.id: {cid!r} is not a valid id (a letter, then letters, digits, '.', '_' or '-')")
        elif cid in seen:
            problems.append(f"{where}.id: {cid!r} already used by {seen[cid]}")
        else:
            seen[cid] = where
        if not str(c.get("name") or "").strip():
            problems.append(f"{where}.name: missing")
        kind = c.get("kind", "deductive")
        if kind not in _KINDS:
            problems.append(f"{where}.kind: {kind!r} is not one of {', '.join(_KINDS)}")
        if kind == "deductive" and c.get("construct") not in cons_by_id:
            problems.append(f"{where}.construct: {c.get('construct')!r} is not a construct of this codebook"
                            f" (known: {', '.join(cons_by_id) or 'none'})")
        if kind == "deductive" and c.get("maps_to"):
            problems.append(f"{where}.maps_to: only inductive codes map onto others (add 'kind: inductive')")
        for key in ("questions", "keywords", "maps_to"):
            value = c.get(key)
            if value is not None and not isinstance(value, (list, str)):
                problems.append(f"{where}.{key}: must be a list of text")
        entries.append((where, c))

    code_ids = {str(c.get("id")) for _, c in entries}
    codes: list[Code] = []
    by_id: dict[str, Code] = {}
    for where, c in entries:  # deductive first so inductive codes can take their targets' domain
        if c.get("kind", "deductive") != "deductive" or c.get("construct") not in cons_by_id:
            continue
        con = cons_by_id[c["construct"]]
        code = Code(str(c["id"]), str(c.get("name", "")).strip(), con["domain"], con["id"], con["name"],
                    str(c.get("definition") or "").strip(), tuple(str(q) for q in _as_list(c.get("questions"))),
                    "deductive", (), tuple(str(k) for k in _as_list(c.get("keywords"))))
        codes.append(code)
        by_id[code.code_id] = code
    for where, c in entries:
        if c.get("kind") != "inductive":
            continue
        targets = [str(t) for t in _as_list(c.get("maps_to"))]
        domain = construct_id = construct = ""
        for j, t in enumerate(targets):
            if t in by_id:
                first = (by_id[t].domain, by_id[t].construct_id, by_id[t].construct)
            elif t in cons_by_id:
                first = (cons_by_id[t]["domain"], t, cons_by_id[t]["name"])
            elif t in DOMAINS:
                first = (t, "", "")
            else:
                hint = " (an inductive code cannot map onto another inductive code)" if t in code_ids else ""
                problems.append(f"{where}.maps_to[{j}]: {t!r} names no code, construct or domain{hint}")
                continue
            if not domain:
                domain, construct_id, construct = first
        codes.append(Code(str(c.get("id")), str(c.get("name", "")).strip(), domain, construct_id, construct,
                          str(c.get("definition") or "").strip(), tuple(str(q) for q in _as_list(c.get("questions"))),
                          "inductive", tuple(targets), tuple(str(k) for k in _as_list(c.get("keywords")))))
    for con in constructs:
        if not any(code.construct_id == con["id"] and code.kind == "deductive" for code in codes):
            problems.append(f"constructs {con['id']!r}: has no codes")
    if problems:
        raise CodebookError(problems, " + ".join(s for s, _ in parts))
    head = parts[-1][1]
    return Codebook(name=str(head.get("name") or parts[0][1].get("name") or "codebook"),
                    version=str(head.get("version") or parts[0][1].get("version") or "0"),
                    domains=domains, constructs=constructs, codes=codes, references=references,
                    sources=[s for s, _ in parts])


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
        data = _read_yaml(current)
        parts.insert(0, (current.name, data))
        ext = data.get("extends")
        if ext is None:
            current = None
        elif str(ext) == "default":
            current = default_codebook_path()
        else:
            current = (current.parent / str(ext))
    return _build(parts)
