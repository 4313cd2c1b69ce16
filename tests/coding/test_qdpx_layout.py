"""The REFI-QDA subpackage's modules import one way: each imports only modules before it in ``LAYERS``, never the
subpackage's ``__init__``, the ``coding`` package or the ``npt_coder`` root."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import npt_coder.coding._qdpx as qdpx

PACKAGE = Path(qdpx.__file__).parent
LAYERS = ["model", "offsets", "read", "match", "write", "validate", "project"]


def relative_imports(module: str) -> list[tuple[int, str]]:
    """(level, module) of every relative import in ``<module>.py``: ``from ..x import y`` gives (2, "x")."""
    tree = ast.parse((PACKAGE / f"{module}.py").read_text(encoding="utf-8"))
    return [(node.level, node.module or "") for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.level]


def test_layers_name_every_module():
    assert sorted(LAYERS) == sorted(p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__")


@pytest.mark.parametrize("module", LAYERS)
def test_module_imports_only_lower_layers(module):
    below = set(LAYERS[:LAYERS.index(module)])
    for level, name in relative_imports(module):
        if level == 1:
            assert name in below, f"{module} imports .{name}, which is not below it"
        else:
            assert name, f"{module} imports a package root ({'.' * level})"  # `from .. import x` or `from ... import x`


@pytest.mark.parametrize("module", LAYERS)
def test_module_is_short(module):
    assert len((PACKAGE / f"{module}.py").read_text(encoding="utf-8").splitlines()) <= 600
