"""Statistics do no I/O: the agreement package imports no file format library and none of the layers above it."""

import ast
from pathlib import Path

import npt_coder.agreement

PACKAGE = Path(npt_coder.agreement.__file__).parent
ALLOWED_SIBLINGS = {"_consensus", "_words", "errors", "ingest"}  # layers below agreement that it uses
FORBIDDEN_LIBRARIES = {"openpyxl", "docx", "sqlite3", "plotly", "jinja2"}


def _imports(path: Path):
    """(enclosing function or None, level, module, names) for every import statement of a module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    owner = {}
    for func in (n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))):
        for node in ast.walk(func):
            owner.setdefault(node, func.name)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            yield owner.get(node), node.level, node.module, [a.name for a in node.names]
        elif isinstance(node, ast.Import):
            yield owner.get(node), 0, None, [a.name for a in node.names]


def test_agreement_imports_only_lower_layers_and_no_file_formats():
    seen = set()
    for path in sorted(PACKAGE.glob("*.py")):
        for func, level, module, names in _imports(path):
            if level == 2:  # from ..x import ...  /  from .. import x
                targets = [module.split(".")[0]] if module else names
                if path.name == "__init__.py" and func == "__getattr__" and targets == ["review"]:
                    continue  # the old review names, served from the layer above until 0.3
                seen |= set(targets)
                assert set(targets) <= ALLOWED_SIBLINGS, (path.name, targets)
            elif level == 0:
                roots = {(module or n).split(".")[0] for n in names}
                assert not roots & FORBIDDEN_LIBRARIES, (path.name, roots)
    assert "store" not in seen and "coding" not in seen
