"""Research questions: a small YAML file mapping each of a study's questions to the codes that answer it.

::

    name: Children's Front Door evaluation - research questions
    questions:
      - id: RQ1
        question: What is the front door for, and do the agencies agree on it?
        short: Purpose              # optional heading for tables and charts
        codes: [C1, C4, M1, IND-EARLYHELP]

``codes`` may name codes (``M3.3``), constructs (``M3``: its four codes and the inductive codes mapped onto it) or
domains (``outcome``: every code whose domain it is). :func:`load_research_questions` reports every problem at once,
each with its location.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

import yaml

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
        if not path.is_file():
            raise ResearchQuestionsError([f"file not found: {path}"], where)
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
        except yaml.YAMLError as err:
            mark = getattr(err, "problem_mark", None)
            at = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
            raise ResearchQuestionsError([f"{at}not valid YAML ({getattr(err, 'problem', None) or err})"],
                                         where) from None
    if not isinstance(data, dict) or not isinstance(data.get("questions"), list):
        raise ResearchQuestionsError(["the file must hold a mapping with a 'questions' list"], where)
    problems: list[str] = []
    known: set[str] | None = None
    if codebook is not None:
        known = set(codebook.ids) | {c["id"] for c in codebook.constructs} | set(DOMAINS)
    questions: list[ResearchQuestion] = []
    seen: dict[str, int] = {}
    for i, q in enumerate(data["questions"]):
        at = f"questions[{i}]"
        if not isinstance(q, dict):
            problems.append(f"{at}: must be a mapping with 'id', 'question' and 'codes'")
            continue
        rq_id = str(q.get("id") or "").strip()
        if not rq_id:
            problems.append(f"{at}.id: missing")
        elif rq_id in seen:
            problems.append(f"{at}.id: {rq_id!r} already used by questions[{seen[rq_id]}]")
        else:
            seen[rq_id] = i
        text = str(q.get("question") or "").strip()
        if not text:
            problems.append(f"{at}.question: missing")
        targets = q.get("codes")
        if isinstance(targets, str):
            targets = [targets]
        if not isinstance(targets, list) or not targets:
            problems.append(f"{at}.codes: must be a non-empty list of codes, constructs or domains")
            targets = []
        for j, t in enumerate(targets):
            if known is not None and str(t) not in known:
                problems.append(f"{at}.codes[{j}]: {str(t)!r} is not a code, construct or domain of the codebook")
        questions.append(ResearchQuestion(rq_id, text, tuple(str(t) for t in targets), str(q.get("short") or "")))
    if problems:
        raise ResearchQuestionsError(problems, where)
    return ResearchQuestions(str(data.get("name") or "Research questions"), tuple(questions), where)
