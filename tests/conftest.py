"""Shared fixtures: a small commons generated once per test session (offline, seeded)."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("FLWR_TELEMETRY_ENABLED", "0")


BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


@pytest.fixture(scope="session")
def load_benchmark():
    """Import a script of benchmarks/ by name (they are scripts, not a package), once per session."""
    loaded = {}

    def load(name: str):
        if name not in loaded:
            spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
            module = importlib.util.module_from_spec(spec)
            sys.modules[name] = module   # a dataclass of the script looks its module up there
            spec.loader.exec_module(module)
            loaded[name] = module
        return loaded[name]

    return load


@pytest.fixture(scope="session")
def commons(tmp_path_factory):
    """A 60-patient commons written in the PARHAF layout and read back."""
    from partages_core.corpus.commons import Commons, build_commons
    from partages_core.corpus.io.parhaf import read_parhaf

    folder = build_commons(60, 7, tmp_path_factory.mktemp("commons") / "commons")
    return Commons(folder, read_parhaf(folder))


@pytest.fixture
def empty_home(monkeypatch, tmp_path):
    """Artefacts in a fresh folder: nothing trained, whatever the user's build/ holds."""
    monkeypatch.setenv("PARTAGES_HOME", str(tmp_path / "home"))
    return tmp_path / "home"
