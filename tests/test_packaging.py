"""Packaging and repository hygiene: one dependency list, stripped notebooks, CI = README command."""

from __future__ import annotations

import json
import os
import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _split(req: str) -> tuple[str, str]:
    m = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", req)
    assert m, req
    return _norm(m.group(1)), m.group(2).replace(" ", "")


def pyproject_deps() -> dict[str, str]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return dict(_split(r) for r in data["project"]["dependencies"])


#: conda-forge names that differ from the PyPI name.
CONDA_TO_PYPI = {"python-isal": "isal"}


def environment_deps() -> dict[str, str]:
    """Conda dependencies of environment.yml (a simple, fixed layout: '  - name>=x' lines), by
    their PyPI names."""
    deps: dict[str, str] = {}
    in_pip = False
    in_deps = False
    for line in (ROOT / "environment.yml").read_text(encoding="utf-8").splitlines():
        if re.match(r"^\S", line):
            in_deps = line.startswith("dependencies:")
            continue
        if not in_deps:
            continue
        if re.match(r"^\s+- pip:\s*$", line):
            in_pip = True
            continue
        m = re.match(r"^  - (\S+)\s*$", line)
        if m and not in_pip:
            name, spec = _split(m.group(1))
            if name not in {"python", "pip"}:
                deps[CONDA_TO_PYPI.get(name, name)] = spec
    return deps


def test_environment_yml_mirrors_pyproject():
    assert environment_deps() == pyproject_deps()


def test_environment_parser_sees_a_difference():
    deps = pyproject_deps()
    assert deps, "pyproject has no dependencies?"
    changed = dict(deps)
    changed[next(iter(changed))] = ">=0"
    assert changed != environment_deps()


@pytest.mark.parametrize("nb", sorted((ROOT / "notebooks").rglob("*.ipynb")), ids=lambda p: p.name)
def test_notebooks_are_committed_without_outputs(nb):
    data = json.loads(nb.read_text(encoding="utf-8"))
    dirty = [
        i
        for i, c in enumerate(data["cells"])
        if c.get("cell_type") == "code" and (c.get("outputs") or c.get("execution_count"))
    ]
    assert not dirty, f"{nb.name}: cells {dirty} have outputs or execution counts; clear them"


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in readme
    commands = [ln.strip() for ln in ci.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    assert commands[-1] == "make test"


def test_lab_keeps_token_authentication():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    lab = makefile.split("\nlab:", 1)[1].split("\n\n", 1)[0]
    assert "jupyter lab" in lab
    for weakening in ("token=''", 'token=""', "--NotebookApp.token=", "disable_check_xsrf", "password=''"):
        assert weakening not in lab
    assert "--ServerApp.ip=127.0.0.1" in lab


def test_package_holds_no_test_tooling():
    """Test and benchmark tooling (Playwright, server starters, benchmarks) lives outside src/."""
    src = ROOT / "src"
    hits = [
        str(p.relative_to(ROOT))
        for p in src.rglob("*")
        if p.is_file()
        and p.suffix in {".py", ".j2", ".txt", ".toml", ".cfg"}
        and "playwright" in p.read_text(encoding="utf-8", errors="replace").lower()
    ]
    assert not hits, f"test tooling inside the package: {hits}"
    assert not list((src / "s400lab").rglob("bench*.py")), "benchmarks belong in benchmarks/"


def test_make_dashboard_uses_the_dashboard_flags():
    """`make dashboard` runs `python -m s400lab dashboard` with the viewers it is given: the one
    place the dashboard is configured (s400lab.ui.dashboard), whose command carries every flag of
    VOILA_ARGS (kernel released on close, culling, the preheated pool, the plain waiting page),
    binds to 127.0.0.1 and keeps a token."""
    from s400lab.ui.dashboard import TEMPLATE, VOILA_ARGS, dashboard_command, voila_env

    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    target = makefile.split("\ndashboard:", 1)[1].split("\n\n", 1)[0]
    assert "-m s400lab dashboard --viewers $(VIEWERS)" in target
    assert "voila" not in target.split("##", 1)[1]  # no second copy of Voila's flags
    assert re.search(r"^VIEWERS \?= \d+$", makefile, flags=re.M)
    flags = dashboard_command(viewers=30)
    assert "--pool_size=30" in flags and "--preheat_kernel=True" in flags
    # a class: refills wait until its pages have loaded (one presenter: 10 s)
    assert "--VoilaKernelManager.fill_delay=60" in flags
    assert "--VoilaKernelManager.fill_delay=10" in dashboard_command(viewers=1)
    pool = ("--pool_size=", "--VoilaKernelManager.fill_delay=")
    missing = [a for a in VOILA_ARGS if a not in flags and not a.startswith(pool)]
    assert not missing, f"the dashboard command lacks {missing}"
    assert "--Voila.ip=127.0.0.1" in flags and "--token" in flags and "--show_tracebacks=False" in flags
    assert not any("token=" in f and f.endswith("=") for f in flags)
    # Voila finds the plain waiting page's template through JUPYTER_PATH
    share = voila_env({})["JUPYTER_PATH"].split(os.pathsep)[0]
    template = Path(share) / "voila" / "templates" / TEMPLATE
    assert (template / "index.html.j2").is_file() and "lab" in (template / "conf.json").read_text()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--viewers", "0"], "out of range; use 1..60"),
        (["--viewers", "61"], "out of range; use 1..60"),
        (["--viewers", "ten"], "is not a whole number"),
        (["--notebook", "no/such.ipynb"], "no such notebook"),
    ],
)
def test_dashboard_command_refuses_bad_options_in_one_line(args, message, capsys):
    from s400lab.__main__ import main

    try:
        rc = main(["dashboard", *args])
    except SystemExit as exc:  # argparse's usage error
        rc = exc.code
    err = capsys.readouterr().err
    assert rc == 2 and message in err and "Traceback" not in err
