"""Study-wide pseudonymisation: consistent placeholders for findings, and the key from placeholder to original."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

import pandas as pd

from ..errors import IdentifierCheckError
from ._check import check_batch, find_identifiers_many
from ._detect import resolve_nlp
from ._patterns import age_name_span
from ._terms import check_terms, fold
from ._types import PLACEHOLDER, TYPES

__all__ = ["KEY_COLUMNS", "Pseudonymiser", "Replacement"]

#: Columns of :meth:`Pseudonymiser.key`.
KEY_COLUMNS = ("placeholder", "type", "original", "occurrences")
_MAX_PASSES = 3
_KEY_TYPE = {"age_with_name": "person"}


@dataclass(frozen=True)
class Replacement:
    """Replace ``text[start:end]`` with ``placeholder`` (offsets into the text the plan was made for)."""

    start: int
    end: int
    placeholder: str
    type: str

    def __repr__(self) -> str:
        return f"Replacement({self.start}, {self.end}, {self.placeholder!r})"


def _identity_key(value: str, kind: str) -> str:
    """What makes two mentions the same entity: case- and accent-folded text, spaces normalised, a possessive
    and a leading "the" dropped."""
    key = fold(" ".join(value.split())).strip(" .,;:")
    for suffix in ("'s", "s'"):
        if key.endswith(suffix) and len(key) > 3:
            key = key[: -len(suffix)] if suffix == "'s" else key[:-1]
    if kind in ("school", "organisation", "place") and key.startswith("the "):
        key = key[4:]
    return key


@dataclass
class _Entry:
    placeholder: str
    type: str
    originals: dict[str, int] = field(default_factory=dict)  # original spelling -> occurrences


class Pseudonymiser:
    """Replace identifiers with placeholders that are consistent across a whole study.

    ``[PERSON 1]`` is the same person in every text this object sees (mentions are matched by their case- and
    accent-folded text), and likewise ``[SCHOOL 2]``, ``[ORGANISATION 1]``, ``[PLACE 3]`` and ``[REDACTED 1]``
    (a deny-list term); phones, emails, URLs, NHS numbers, postcodes, addresses and dates become ``[PHONE]``,
    ``[EMAIL]``, ``[URL]``, ``[NHS NUMBER]``, ``[POSTCODE]``, ``[ADDRESS]`` and ``[DATE]``. An age with a name
    keeps the age: ``Jamie, aged 7`` -> ``[PERSON 1], aged 7``. After replacing, the text is checked again (up to
    three passes) so that the output holds no finding of the replaced types.

    Parameters
    ----------
    nlp : None, "auto" or spacy.language.Language, default None
        As for :func:`~npt_coder.anon.find_identifiers`; ``"auto"`` is resolved once, here.
    deny, allow : iterable of str, default ()
        As for :func:`~npt_coder.anon.find_identifiers`.
    types : iterable of str, optional
        The types to replace (default: all); e.g. leave out ``"place"`` for a study that keeps towns.
    key : pandas.DataFrame, optional
        A key written earlier by :meth:`key` (columns ``placeholder``, ``type``, ``original``): the same
        originals get the same placeholders again and new ones continue the numbering, so a study can be
        pseudonymised in several sittings.
    batch_size : int, default 64
        ``nlp.pipe`` batch size.

    Examples
    --------
    >>> p = Pseudonymiser()
    >>> p.pseudonymise("Mrs Smith rang 07700 900123 about Jamie, aged 7.")
    '[PERSON 1] rang [PHONE] about [PERSON 2], aged 7.'
    >>> p.pseudonymise("Mrs  Smith's visit")  # the same person in another transcript
    "[PERSON 1]'s visit"
    >>> p.key()[["placeholder", "type", "occurrences"]]
        placeholder    type  occurrences
    0    [PERSON 1]  person            2
    1       [PHONE]   phone            1
    2    [PERSON 2]  person            1
    """

    def __init__(
        self,
        *,
        nlp: Any = None,
        deny: Iterable[str] = (),
        allow: Iterable[str] = (),
        types: Iterable[str] | None = None,
        key: pd.DataFrame | None = None,
        batch_size: int = 64,
    ):
        self._nlp, self.name_detection_note = resolve_nlp(nlp)
        self._deny = check_terms(deny, name="deny")
        self._allow = check_terms(allow, name="allow")
        if types is None:
            self.types = frozenset(TYPES)
        else:
            if isinstance(types, str):
                types = [types]
            types = list(types)
            bad = [t for t in types if t not in PLACEHOLDER]
            if bad:
                raise IdentifierCheckError(
                    f"types must be among {', '.join(map(repr, TYPES))}; got {', '.join(map(repr, bad))}"
                )
            self.types = frozenset(types)
        self._batch_size = check_batch(batch_size)
        self._entries: dict[tuple[str, str], _Entry] = {}  # (stem, identity key) -> entry
        self._counters: dict[str, int] = {}
        if key is not None:
            self._load_key(key)

    @property
    def name_detection(self) -> bool:
        """True if a trained pipeline finds names (not only patterns)."""
        return self._nlp is not None

    def __repr__(self) -> str:
        return (f"Pseudonymiser(name_detection={self.name_detection}, types={len(self.types)}, "
                f"placeholders={len({e.placeholder for e in self._entries.values()})})")

    # ---------------------------------------------------------------------------------------------------------
    def _load_key(self, key: pd.DataFrame) -> None:
        if not isinstance(key, pd.DataFrame) or not {"placeholder", "type", "original"} <= set(key.columns):
            raise IdentifierCheckError("key must be a DataFrame with columns 'placeholder', 'type' and 'original' "
                                       "(as written by Pseudonymiser.key())")
        rx = re.compile(r"\[([A-Z ]+?)(?: ([0-9]+))?\]\Z")
        for i, row in enumerate(key.itertuples(index=False)):
            kind = getattr(row, "type")
            placeholder = getattr(row, "placeholder")
            original = getattr(row, "original")
            m = rx.match(str(placeholder))
            if kind not in PLACEHOLDER or m is None or not isinstance(original, str):
                raise IdentifierCheckError(f"key row {i}: not a placeholder/type/original row written by "
                                           f"Pseudonymiser.key()")
            stem = m.group(1)
            kind = _KEY_TYPE.get(kind, kind)
            entry = self._entries.setdefault((stem, _identity_key(original, kind)), _Entry(placeholder, kind))
            entry.originals.setdefault(original, 0)
            if m.group(2):
                self._counters[stem] = max(self._counters.get(stem, 0), int(m.group(2)))

    def placeholder(self, value: str, type: str) -> str:  # noqa: A002 - the documented argument name
        """The placeholder for ``value`` found as ``type``, numbering a new entity if it was not seen before.

        >>> p = Pseudonymiser()
        >>> p.placeholder("Zoë Walker", "person"), p.placeholder("zoe walker", "person"), p.placeholder("Jo", "person")
        ('[PERSON 1]', '[PERSON 1]', '[PERSON 2]')
        """
        if type not in PLACEHOLDER:
            raise IdentifierCheckError(f"type must be one of {', '.join(map(repr, TYPES))}; got {type!r}")
        kind = _KEY_TYPE.get(type, type)
        pattern = PLACEHOLDER[kind]
        stem = pattern.rstrip(" #")
        ident = _identity_key(value, kind) if pattern.endswith("#") else ""
        entry = self._entries.get((stem, ident))
        if entry is None:
            if pattern.endswith("#"):
                self._counters[stem] = self._counters.get(stem, 0) + 1
                text = f"[{stem} {self._counters[stem]}]"
            else:
                text = f"[{stem}]"
            entry = self._entries[(stem, ident)] = _Entry(text, kind)
        original = " ".join(value.split())
        entry.originals[original] = entry.originals.get(original, 0) + 1
        return entry.placeholder

    def key(self) -> pd.DataFrame:
        """The table from placeholder to original, one row per distinct original spelling, in order of first use.

        Columns ``placeholder``, ``type``, ``original``, ``occurrences``. It holds the identifiers themselves:
        write it to a separate, protected place, never next to the pseudonymised data.
        """
        rows = [(e.placeholder, e.type, original, n) for e in self._entries.values()
                for original, n in e.originals.items()]
        return pd.DataFrame(rows, columns=list(KEY_COLUMNS)).astype({"occurrences": "int64"})

    # ---------------------------------------------------------------------------------------------------------
    def findings(self, text: str, *, skip_spans: Sequence[tuple[int, int]] = ()) -> pd.DataFrame:
        """:func:`~npt_coder.anon.find_identifiers` with this object's pipeline and lists."""
        return self.findings_many([text], skip_spans=[skip_spans])[0]

    def findings_many(self, texts: Sequence[str], *, skip_spans=None) -> list[pd.DataFrame]:
        """:func:`~npt_coder.anon.find_identifiers_many` with this object's pipeline and lists."""
        nlp = self._nlp if self._nlp is not None else None
        return find_identifiers_many(texts, nlp=nlp, deny=self._deny, allow=self._allow, skip_spans=skip_spans,
                                     batch_size=self._batch_size)

    def plan(self, text: str, findings: pd.DataFrame) -> list[Replacement]:
        """Turn findings on ``text`` into replacements (recording them in the key), in order of ``start``."""
        out: list[Replacement] = []
        for kind, s, e in zip(findings["type"], findings["start"], findings["end"]):
            if kind not in self.types:
                continue
            s, e = int(s), int(e)
            if kind == "age_with_name":
                span = age_name_span(text[s:e])
                if span is None:
                    continue
                s, e = s + span[0], s + span[1]
            out.append(Replacement(s, e, self.placeholder(text[s:e], kind), kind))
        return out

    def plan_many(self, texts: Sequence[str], *, skip_spans=None) -> list[list[Replacement]]:
        """Find identifiers in every text (NER in batches) and plan their replacements."""
        frames = self.findings_many(texts, skip_spans=skip_spans)
        return [self.plan(t, f) for t, f in zip(texts, frames)]

    def pseudonymise_many(self, texts: Sequence[str], *, skip_spans=None) -> list[str]:
        """Pseudonymise many texts (NER in batches); see :meth:`pseudonymise`."""
        texts = list(texts)
        skips = [list(s) for s in skip_spans] if skip_spans is not None else [[] for _ in texts]
        todo = list(range(len(texts)))
        for _ in range(_MAX_PASSES):
            if not todo:
                break
            plans = self.plan_many([texts[i] for i in todo], skip_spans=[skips[i] for i in todo])
            changed = []
            for i, plan in zip(todo, plans):
                if plan:
                    texts[i], skips[i] = apply_replacements(texts[i], plan, skips[i])
                    changed.append(i)
            todo = changed
        return texts

    def pseudonymise(self, text: str, *, skip_spans: Sequence[tuple[int, int]] = ()) -> str:
        """Return ``text`` with every finding of the chosen types replaced by its placeholder.

        ``skip_spans`` are ``(start, end)`` ranges that are not identifiers (speaker labels), as for
        :func:`~npt_coder.anon.find_identifiers`.
        """
        return self.pseudonymise_many([text], skip_spans=[skip_spans])[0]


def _shift(pos: int, plan: Sequence[Replacement]) -> int:
    delta = 0
    for r in plan:
        if r.end <= pos:
            delta += len(r.placeholder) - (r.end - r.start)
        elif r.start < pos:  # inside a replaced span: move to its end
            return r.start + delta + len(r.placeholder)
        else:
            break
    return pos + delta


def apply_replacements(text: str, plan: Sequence[Replacement], skip_spans: Sequence[tuple[int, int]] = ()
                       ) -> tuple[str, list[tuple[int, int]]]:
    """Apply non-overlapping replacements to ``text``; return the new text and ``skip_spans`` moved to match."""
    plan = sorted(plan, key=lambda r: r.start)
    parts, last = [], 0
    for r in plan:
        parts.append(text[last:r.start])
        parts.append(r.placeholder)
        last = r.end
    parts.append(text[last:])
    moved = [(_shift(s, plan), max(_shift(s, plan), _shift(e, plan))) for s, e in skip_spans]
    return "".join(parts), moved
