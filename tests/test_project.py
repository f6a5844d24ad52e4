"""Project hygiene: conda and pip install the same thing, notebooks carry no outputs, cards parse."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def test_environment_yml_installs_this_project_with_the_pyproject_python():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    deps = env["dependencies"]
    python = next(d for d in deps if isinstance(d, str) and d.startswith("python="))
    major_minor = python.split("=")[1]
    assert f">={major_minor}" in project["requires-python"] or major_minor in project["requires-python"]
    pip = next(d["pip"] for d in deps if isinstance(d, dict))
    assert pip == ['-e ".[test]"'] or pip == ["-e .[test]"], "conda must install the same package and extras as make"
    assert "conda-forge" in env["channels"]
    assert "test" in project["optional-dependencies"]  # `bench` (Presidio, for benchmarks only) is optional


def test_torch_is_pinned_to_the_cpu_wheel_version():
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert "torch==2.13.0" in deps
    assert all(any(op in d for op in ("==", ">=", "<")) for d in deps), "every dependency has a known-good range"


def test_committed_notebooks_carry_no_outputs():
    notebooks = sorted((ROOT / "notebooks").rglob("*.ipynb"))
    assert notebooks
    dirty = []
    for path in notebooks:
        nb = json.loads(path.read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            if cell["cell_type"] == "code" and (cell.get("outputs") or cell.get("execution_count")):
                dirty.append(path.name)
                break
    assert dirty == [], f"strip outputs (nbstripout) from: {dirty}"


def test_notebooks_follow_the_skeleton():
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        markdown = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
        assert markdown.lstrip().startswith("# "), f"{path.name}: first cell must be the title"
        for section in ("## Overview", "## Prerequisites", "## Summary", "## What next"):
            assert section in markdown, f"{path.name}: missing {section!r}"
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                src = "".join(cell["source"])
                assert src.count("\n") < 25, f"{path.name}: a code cell is too long to be narrative"


def test_architecture_doc_is_in_the_repo_and_names_what_the_code_has():
    """docs/ARCHITECTURE.md is linked from the README and names every layering contract, every layer
    of the stages contract, every commons task and registered system (so it cannot fall behind)."""
    import tomllib

    from partages_core.evaluation.systems import SYSTEMS
    from partages_core.evaluation.tasks import TASKS

    doc = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    assert "](docs/ARCHITECTURE.md)" in (ROOT / "README.md").read_text(encoding="utf-8")
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]["contracts"]
    missing = [c["id"] for c in contracts if f"`{c['id']}`" not in doc]
    stages = next(c for c in contracts if c["id"] == "stages")["layers"]
    modules = [m.strip().rsplit(".", 1)[-1] for layer in stages for m in layer.split("|")]
    missing += [m for m in modules if f"`{m}`" not in doc]
    missing += [] if "tests/test_layers.py" in doc else ["tests/test_layers.py"]
    missing += [t for t in TASKS if "@" not in t and t != "e3c-negation" and f"`{t}`" not in doc]
    missing += [s for s in SYSTEMS if f"`{s}`" not in doc]
    assert not missing, f"docs/ARCHITECTURE.md does not name: {missing}"
