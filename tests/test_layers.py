"""The layering contract of ``pyproject.toml`` (``[tool.importlinter]``), checked with ``lint-imports``."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STAGES = ["corpus", "quality", "governance", "models", "usecases", "evaluation", "federated", "deploy", "portal"]


def _lint_imports() -> str:
    exe = shutil.which("lint-imports") or str(Path(sys.executable).with_name("lint-imports"))
    return exe


def test_stage_order_in_the_contract_is_the_data_flow():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    stages = next(c for c in config["contracts"] if c["id"] == "stages")["layers"]
    named = [layer.rsplit(".", 1)[-1] for layer in stages if layer.rsplit(".", 1)[-1] in STAGES]
    assert named == STAGES[::-1]  # import-linter lists the highest layer first
    assert {c["type"] for c in config["contracts"]} >= {"layers", "independence", "acyclic_siblings"}


def test_no_upward_import_and_no_cycle():
    """Fails on any import from a later stage into an earlier one, or any import cycle."""
    run = subprocess.run([_lint_imports(), "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
                         cwd=ROOT, capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])})
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "0 broken" in run.stdout
