"""Research questions: a small YAML file mapping each of a study's questions to the codes that answer it.

::

    name: Children's Front Door evaluation - research questions
    version: "1.0"                  # optional
    questions:
      - id: RQ1
        question: What is the front door for, and do the agencies agree on it?
        short: Purpose              # optional heading for tables and charts
        codes: [C1, C4, M1, IND-EARLYHELP]

``codes`` may name codes (``M3.3``), constructs (``M3``: its four codes and the inductive codes mapped onto it) or
domains (``outcome``: every code whose domain it is). :func:`load_research_questions` reports every problem at once,
each with its location; a key it does not know (``cods:``) is one of them, with the key it probably stands for.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Mapping

from pydantic import BeforeValidator, Field, ValidationInfo

from .._schema import Schema, check, claim_unique, problem, read_yaml
from ..codebook import DOMAINS, Codebook
from ._errors import ResearchQuestionsError

__all__ = ["ResearchQuestion", "ResearchQuestions", "load_research_questions"]


@dataclass(frozen=True)
class ResearchQuestion:
    """One research question and the codes, constructs or domains mapped to it."""

    rq_id: str
    question: str
    targets: tuple[str, ...]
    short: str = ""

    @property
    def heading(self) -> str:
        """``RQ1: What is ...?``"""
        return f"{self.rq_id}: {self.question}"


@dataclass(frozen=True)
class ResearchQuestions:
    """A study's research questions in order."""

    name: str
    questions: tuple[ResearchQuestion, ...]
    source: str = ""

    def __len__(self) -> int:
        return len(self.questions)

    def __iter__(self):
        return iter(self.questions)

    def codes(self, codebook: Codebook) -> dict[str, list[str]]:
        """Each question's code ids, in codebook order, its construct and domain targets expanded."""
        order = {c.code_id: i for i, c in enumerate(codebook.codes)}
        out: dict[str, list[str]] = {}
        for q in self.questions:
            ids: set[str] = set()
            for t in q.targets:
                ids |= set(_expand(codebook, t))
            out[q.rq_id] = sorted(ids, key=order.__getitem__)
        return out


def _expand(cb: Codebook, target: str) -> list[str]:
    if target in cb:
        return [target]
    if target in {c["id"] for c in cb.constructs}:
        return [c.code_id for c in cb.codes if (c.kind == "deductive" and c.construct_id == target)
                or (c.kind == "inductive" and target in c.maps_to)]
    if target in DOMAINS:
        return [c.code_id for c in cb.codes if c.domain == target or (c.kind == "inductive" and target in c.maps_to)]
    return []


def _rq_id(value: Any, info: ValidationInfo) -> str:
    rq_id = str(value or "").strip()
    if not rq_id:
        raise problem("missing")
    # "seen": question id -> index of the question that has it
    return claim_unique(rq_id, info, "seen", "index", "{value!r} already used by questions[{other}]")


def _question(value: Any) -> str:
    text = str(value or "").strip()
    if not text:
        raise problem("missing")
    return text


def _targets(value: Any) -> Any:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value:
        raise problem("must be a non-empty list of codes, constructs or domains")
    return value


def _target(value: Any, info: ValidationInfo) -> str:
    known = (info.context or {}).get("known")  # the codebook's code, construct and domain ids, if one is given
    if known is not None and str(value) not in known:
        raise problem(f"{str(value)!r} is not a code, construct or domain of the codebook")
    return str(value)


class _File(Schema):
    NOT_A_MAPPING = "the file must hold a mapping with a 'questions' list"
    name: Any = None
    version: Any = None
    questions: Any = None  # checked one by one


class _Question(Schema):
    NOT_A_MAPPING = "must be a mapping with 'id', 'question' and 'codes'"
    OWNER = "question"
    id: Annotated[str, BeforeValidator(_rq_id)] = Field(None, validate_default=True)
    question: Annotated[str, BeforeValidator(_question)] = Field(None, validate_default=True)
    short: Annotated[str, BeforeValidator(lambda v: str(v or ""))] = ""
    codes: Annotated[tuple[Annotated[str, BeforeValidator(_target)], ...],
                     BeforeValidator(_targets)] = Field(None, validate_default=True)


def load_research_questions(source: str | Path | Mapping[str, Any], *,
                            codebook: Codebook | None = None) -> ResearchQuestions:
    """Read and validate a research-questions file (or an already-parsed mapping).

    Parameters
    ----------
    source : path or mapping
        A YAML file as in the module notes, or its content as a dict.
    codebook : Codebook, optional
        Check that every target is a code, construct or domain of this codebook.

    Raises
    ------
    ResearchQuestionsError
        Listing every problem with its location, e.g. ``questions[2].codes[1]: 'M9' is not a code, construct or
        domain of the codebook``.

    Examples
    --------
    >>> from npt_coder import load_codebook
    >>> rqs = load_research_questions({"questions": [{"id": "RQ1", "question": "Why?", "codes": ["C1", "M3"]}]})
    >>> rqs.codes(load_codebook())["RQ1"]
    ['C1', 'M3.1', 'M3.2', 'M3.3', 'M3.4']
    """
    where = "research questions"
    if isinstance(source, Mapping):
        data: Any = dict(source)
    else:
        path = Path(source)
        where = path.name
        data = read_yaml(path, ResearchQuestionsError, where)
    if not isinstance(data, dict) or not isinstance(data.get("questions"), list):
        raise ResearchQuestionsError([_File.NOT_A_MAPPING], where)
    problems: list[str] = []
    check(_File, data, "", problems)
    known: set[str] | None = None
    if codebook is not None:
        known = set(codebook.ids) | {c["id"] for c in codebook.constructs} | set(DOMAINS)
    questions: list[ResearchQuestion] = []
    seen: dict[str, int] = {}
    for i, raw in enumerate(data["questions"]):
        q = check(_Question, raw, f"questions[{i}]", problems, context={"seen": seen, "index": i, "known": known})
        if q is not None:
            questions.append(ResearchQuestion(q.id, q.question, q.codes, q.short))
    if problems:
        raise ResearchQuestionsError(problems, where)
    return ResearchQuestions(str(data.get("name") or "Research questions"), tuple(questions), where)
