"""The layer rule: every module of ``src/s400lab`` has a layer and imports only downward.

Layers, lowest first (docs/architecture.md, "Layers"):

    base < data < model < analysis < plots < reporting < ui < app

``base`` is the package itself (``__init__``: the version), ``_files`` (atomic file writes) and
``_inputs`` (reading user files strictly),
which import nothing from s400lab; ``app`` holds the entry points (``__main__``, ``envcheck``).
A module may import its own layer and any lower one. Third-party rules: matplotlib only from
plots up, ipywidgets only from ui up. A new module (or sub-package) without a layer fails.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "src" / "s400lab"

LAYERS = ("base", "data", "model", "analysis", "plots", "reporting", "ui", "app")
RANK = {name: i for i, name in enumerate(LAYERS)}

#: Each sub-package is one layer.
SUBPACKAGES = {
    "data": "data",
    "model": "model",
    "analysis": "analysis",
    "plots": "plots",
    "reporting": "reporting",
    "ui": "ui",
}
#: Each top-level module, by file name.
TOP_LEVEL = {
    "__init__": "base",
    "_files": "base",
    "_inputs": "base",
    "__main__": "app",
    "envcheck": "app",
}
#: The lowest layer allowed to import each third-party package.
THIRD_PARTY_FLOOR = {"matplotlib": "plots", "ipywidgets": "ui"}


def module_name(path: Path, src_root: Path = PKG.parent) -> str:
    rel = path.relative_to(src_root).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__" and len(parts) > 2:
        parts = parts[:-1]
    return ".".join(parts)


def layer_of(module: str) -> str | None:
    """Layer of an ``s400lab`` module or imported name (``s400lab.model.Scenario`` -> model);
    None if no rule maps it."""
    parts = module.split(".")
    if parts[0] != "s400lab":
        return None
    if len(parts) == 1:
        return TOP_LEVEL["__init__"]
    head = parts[1]
    if head in SUBPACKAGES:
        return SUBPACKAGES[head]
    if head in TOP_LEVEL:
        return TOP_LEVEL[head]
    # A name taken from the package itself (``from s400lab import __version__``).
    return TOP_LEVEL["__init__"] if len(parts) == 2 and not (PKG / f"{head}.py").exists() else None


def imported_names(path: Path, src_root: Path = PKG.parent) -> set[str]:
    """Every module name imported by a Python file (absolute names; relative ones resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    rel = path.relative_to(src_root).with_suffix("")
    package_parts = list(rel.parts[:-1])
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package_parts[: len(package_parts) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            names.add(mod)
            names.update(f"{mod}.{alias.name}" for alias in node.names)
    return names


def problems(path: Path, src_root: Path = PKG.parent) -> list[str]:
    """Why ``path`` breaks the layer rule (empty when it keeps it)."""
    me = module_name(path, src_root)
    mine = layer_of(me)
    if mine is None:
        return [f"{me} has no layer: add it to TOP_LEVEL or SUBPACKAGES in tests/test_layers.py"]
    out = []
    for name in sorted(imported_names(path, src_root)):
        top = name.split(".")[0]
        if top == "s400lab":
            theirs = layer_of(name)
            if theirs is None:
                out.append(f"{me} ({mine}) imports {name}, which has no layer")
            elif RANK[theirs] > RANK[mine]:
                out.append(f"{me} ({mine}) imports {name} ({theirs})")
        elif top in THIRD_PARTY_FLOOR and RANK[mine] < RANK[THIRD_PARTY_FLOOR[top]]:
            out.append(f"{me} ({mine}) imports {name} (allowed from {THIRD_PARTY_FLOOR[top]} up)")
    return out


ALL_MODULES = sorted(PKG.rglob("*.py"))


def test_every_module_has_a_layer():
    assert ALL_MODULES, "no modules found"
    unmapped = [module_name(f) for f in ALL_MODULES if layer_of(module_name(f)) is None]
    assert not unmapped, "modules without a layer (tests/test_layers.py):\n" + "\n".join(unmapped)
    subdirs = {p.parent.relative_to(PKG).parts[0] for p in ALL_MODULES if p.parent != PKG}
    assert subdirs <= set(SUBPACKAGES), f"sub-packages without a layer: {subdirs - set(SUBPACKAGES)}"


@pytest.mark.parametrize("path", ALL_MODULES, ids=lambda p: str(p.relative_to(PKG)))
def test_module_imports_only_same_or_lower_layers(path):
    bad = problems(path)
    assert not bad, "layer rule broken:\n" + "\n".join(bad)


def test_checker_catches_a_violation(tmp_path):
    """The checker itself must be able to fail: a model module importing matplotlib and the UI,
    a reporting module importing ipywidgets, and a module no rule maps."""
    probe = tmp_path / "s400lab" / "model" / "probe.py"
    probe.parent.mkdir(parents=True)
    probe.write_text("import matplotlib.pyplot as plt\nfrom ..ui import explorer\n", encoding="utf-8")
    found = problems(probe, src_root=tmp_path)
    assert any("s400lab.ui.explorer (ui)" in p for p in found)
    assert any("matplotlib.pyplot" in p for p in found)

    report = tmp_path / "s400lab" / "reporting" / "probe.py"
    report.parent.mkdir(parents=True)
    report.write_text("import ipywidgets\nimport matplotlib\nimport numpy\n", encoding="utf-8")
    assert problems(report, src_root=tmp_path) == [
        "s400lab.reporting.probe (reporting) imports ipywidgets (allowed from ui up)"
    ]

    stray = tmp_path / "s400lab" / "newroom" / "thing.py"
    stray.parent.mkdir(parents=True)
    stray.write_text("import numpy\n", encoding="utf-8")
    assert "has no layer" in problems(stray, src_root=tmp_path)[0]

    fine = tmp_path / "s400lab" / "plots" / "probe.py"
    fine.parent.mkdir(parents=True)
    fine.write_text(
        "import matplotlib\nfrom s400lab.model import run\nfrom .. import _files\n", encoding="utf-8"
    )
    assert problems(fine, src_root=tmp_path) == []
