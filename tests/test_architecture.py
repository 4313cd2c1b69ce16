"""The layering rules of ARCHITECTURE.md, checked from the code's own import graph.

Every module of ``npt_coder`` belongs to one component (a top-level module or subpackage); components sit in
layers, lowest first, and a module may import only its own layer and the layers below. Lazy imports inside
functions count too. The few upward imports that exist are deprecated shims, listed here with the release that
removes them; a new one fails this test.
"""

from __future__ import annotations

import ast
from pathlib import Path

import npt_coder

PACKAGE = Path(npt_coder.__file__).resolve().parent

LAYERS: list[set[str]] = [
    {"errors", "_version"},
    {"_io", "_resources", "_schema", "_consensus", "_xlsx", "palette", "_passwords"},
    {"ingest"},
    {"codebook"},
    {"store"},
    {"anon"},
    {"coding"},
    {"agreement"},
    {"review"},
    {"themes"},
    {"logic_model"},
    {"assist"},
    {"render"},
    {"report"},
    {"services"},
    {"cli", "web", "demo", "__main__", "__init__"},
]
LAYER = {component: i for i, layer in enumerate(LAYERS) for component in layer}

#: (importing module, imported component): why it is allowed, and until when.
UPWARD_SHIMS = {
    ("npt_coder.store._project", "services"): "Project.add / add_transcripts, deprecated in 0.2, removed in 0.3",
    ("npt_coder.agreement", "review"): "old nc.agreement.disagreements/reconcile names, removed in 0.3",
}

#: the modules allowed to import the package root (``import npt_coder``): the entry points
ROOT_IMPORTERS = {"npt_coder.__main__", "npt_coder.cli", "npt_coder.demo"}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _component(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _is_module(dotted: str) -> bool:
    rel = PACKAGE.parent.joinpath(*dotted.split("."))
    return rel.with_suffix(".py").is_file() or (rel / "__init__.py").is_file()


def _imports(path: Path) -> list[tuple[str, int]]:
    """(absolute module imported, line) for every import in the file, lazy ones included."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(a.name, node.lineno) for a in node.names if a.name.split(".")[0] == "npt_coder"]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            elif node.module and node.module.split(".")[0] == "npt_coder":
                target = node.module
            else:
                continue
            for alias in node.names:  # "from .. import errors" imports a module, not the root
                candidate = f"{target}.{alias.name}"
                out.append((candidate if _is_module(candidate) else target, node.lineno))
    return out


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def test_every_component_has_a_layer():
    missing = sorted({_component(_module_name(p)) for p in _modules()} - set(LAYER))
    assert not missing, f"give these a layer in LAYERS (and ARCHITECTURE.md): {missing}"


def test_imports_flow_one_way():
    upward, shims_seen = [], set()
    for path in _modules():
        importer = _module_name(path)
        mine = LAYER.get(_component(importer))
        for target, line in _imports(path):
            theirs = _component(target)
            if target == "npt_coder" or theirs not in LAYER or mine is None or LAYER[theirs] <= mine:
                continue
            key = (importer, theirs)
            if key in UPWARD_SHIMS:
                shims_seen.add(key)
                continue
            upward.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {importer} imports {target} (layer "
                          f"{LAYER[theirs]} above {mine})")
    assert not upward, "imports that flow upwards:\n" + "\n".join(upward)
    assert shims_seen == set(UPWARD_SHIMS), f"shims gone, drop them from UPWARD_SHIMS: {set(UPWARD_SHIMS) - shims_seen}"


def test_only_entry_points_import_the_package_root():
    offenders = []
    for path in _modules():
        importer = _module_name(path)
        if importer == "npt_coder" or any(importer == r or importer.startswith(r + ".") for r in ROOT_IMPORTERS):
            continue
        offenders += [f"{importer}:{line}" for target, line in _imports(path) if target == "npt_coder"]
    assert not offenders, f"submodules importing the package root: {offenders}"


def test_no_module_is_over_600_lines():
    long = {str(p.relative_to(PACKAGE.parent)): n for p in _modules()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 600}
    assert not long, long


def test_the_graph_reader_sees_relative_and_lazy_imports(tmp_path):
    # the reader itself: a lazy relative import two levels up is found and resolved
    imports = dict(_imports(PACKAGE / "store" / "_project.py"))
    assert "npt_coder.services" in imports
    assert any(t.startswith("npt_coder.errors") for t in imports)
