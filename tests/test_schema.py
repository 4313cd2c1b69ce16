"""The checks shared by the codebook, logic-model and research-question files: YAML errors, keys, pydantic errors."""

from __future__ import annotations

import re
from typing import Annotated, Any

import pytest
from pydantic import BeforeValidator, Field

from npt_coder._schema import Schema, check, problem, read_yaml
from npt_coder.errors import ProblemsError


class SpecError(ProblemsError):
    what = "spec"


def _size(value: Any) -> int:
    if not isinstance(value, int) or value < 1:
        raise problem(f"must be a whole number ≥ 1; got {value!r}")
    return value


class Inner(Schema):
    NOT_A_MAPPING = "must be a mapping of sizes"
    UNKNOWN_KEY = "unknown size (use small, large)"
    small: Annotated[int | None, BeforeValidator(_size)] = None
    large: Annotated[int | None, BeforeValidator(_size)] = None


class Entry(Schema):
    NOT_A_MAPPING = "needs an 'id'"
    REQUIRED = ("id",)
    OWNER = "entry"
    id: str
    size_of: Annotated[int, BeforeValidator(_size)] = Field(1, alias="size")
    count: int = 0  # pydantic checks this one itself
    inner: Inner | None = None


def test_yaml_syntax_error_gives_line_and_column_counted_from_one(tmp_path):
    path = tmp_path / "spec.yaml"
    path.write_text("a: 1\nb: [2\n", encoding="utf-8")
    with pytest.raises(SpecError) as info:
        read_yaml(path, SpecError, path.name)
    assert info.value.problems[0].startswith("line 3, column 1: not valid YAML (")
    assert str(info.value).startswith("1 problem in spec.yaml:")


def test_unreadable_files_name_the_reason(tmp_path):
    path = tmp_path / "spec.yaml"
    path.write_bytes("name: Zo\xeb\n".encode("latin-1"))
    with pytest.raises(SpecError, match="not UTF-8 text"):
        read_yaml(path, SpecError, path.name)
    with pytest.raises(SpecError, match="^no spec at .*missing.yaml$"):
        read_yaml(tmp_path / "missing.yaml", SpecError)
    path.write_text("\ufeffname: ok\n", encoding="utf-8")  # a byte-order mark, as Windows editors write it
    assert read_yaml(path, SpecError) == {"name": "ok"}


def test_entry_problems_in_the_projects_wording():
    problems: list[str] = []
    entry = check(Entry, {"id": "E1", "sise": 2, "size": 0, "count": "many", "inner": {"smal": 1, "large": -1}},
                  "entries[0]", problems)
    assert entry is None
    assert problems[:2] == [
        "entries[0].sise: unknown key in entry 'E1' (did you mean 'size'?)",
        "entries[0].size: must be a whole number ≥ 1; got 0",
    ]
    # pydantic's own message (its wording varies between versions), lower-cased and with the type found
    assert re.fullmatch(r"entries\[0\]\.count: input should be a valid integer.*; got str", problems[2])
    assert problems[3:] == [
        "entries[0].inner.smal: unknown size (use small, large)",  # a nested entry's unknown key comes first too
        "entries[0].inner.large: must be a whole number ≥ 1; got -1",
    ]


def test_unknown_key_does_not_hide_the_entry():
    problems: list[str] = []
    entry = check(Entry, {"id": "E1", "colour": "red", "size": 3}, "", problems)
    assert problems == ["colour: unknown key in entry 'E1' (allowed: id, size, count, inner)"]
    assert entry is not None and entry.size_of == 3


def test_not_a_mapping_or_missing_required_key():
    problems: list[str] = []
    assert check(Entry, ["E1"], "entries[0]", problems) is None
    assert check(Entry, {"size": 2}, "entries[1]", problems) is None
    assert check(Entry, {"id": "E3", "inner": 5}, "entries[2]", problems) is None
    assert problems == ["entries[0]: needs an 'id'", "entries[1]: needs an 'id'",
                        "entries[2].inner: must be a mapping of sizes"]


def test_a_default_is_named_by_its_key_in_the_file():
    class Required(Schema):
        size_of: Annotated[int, BeforeValidator(_size)] = Field(None, alias="size", validate_default=True)

    problems: list[str] = []
    check(Required, {}, "x", problems)
    assert problems == ["x.size: must be a whole number ≥ 1; got None"]  # pydantic would say 'size_of'
