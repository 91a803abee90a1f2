"""The layer rule: data -> model -> analysis -> plots -> ui; imports only go downward."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "src" / "s400lab"

# What each layer may NOT import (top-level module names or s400lab sub-packages).
FORBIDDEN = {
    "data": {"matplotlib", "ipywidgets", "s400lab.model", "s400lab.analysis", "s400lab.plots", "s400lab.ui"},
    "model": {"matplotlib", "ipywidgets", "s400lab.analysis", "s400lab.plots", "s400lab.ui"},
    "analysis": {"matplotlib", "ipywidgets", "s400lab.plots", "s400lab.ui"},
    "plots": {"ipywidgets", "s400lab.ui"},
}


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


def violates(name: str, forbidden: set[str]) -> bool:
    return any(name == f or name.startswith(f + ".") for f in forbidden)


@pytest.mark.parametrize("layer", sorted(l for l in FORBIDDEN if (PKG / l).is_dir()))
def test_layer_imports_only_downward(layer):
    files = sorted((PKG / layer).rglob("*.py"))
    assert files, f"layer {layer} has no modules"
    bad = [
        f"{f.relative_to(PKG)} imports {name}"
        for f in files
        for name in sorted(imported_names(f))
        if violates(name, FORBIDDEN[layer])
    ]
    assert not bad, "layer rule broken:\n" + "\n".join(bad)


def test_checker_catches_a_violation(tmp_path):
    """The checker itself must be able to fail: a model module importing matplotlib and the UI."""
    probe = tmp_path / "s400lab" / "model" / "probe.py"
    probe.parent.mkdir(parents=True)
    probe.write_text("import matplotlib.pyplot as plt\nfrom ..ui import explorer\n", encoding="utf-8")
    names = imported_names(probe, src_root=tmp_path)
    assert "s400lab.ui.explorer" in names
    assert [n for n in names if violates(n, FORBIDDEN["model"])]
    assert not violates("numpy", FORBIDDEN["model"])
