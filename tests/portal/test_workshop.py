"""The workshop kit: an exercise with a check cell per notebook, solutions removed for students,
run times measured by executing the kit, agendas and instructions."""

import json
import subprocess
import sys

import nbformat
import pytest
import yaml

from partages_core.config import project_root
from partages_core.portal.workshop import (CHECK_TAG, EXERCISES, SOLUTION_TAG, STUDENT_PLACEHOLDER, build_wheelhouse,
                                           build_workshop, check_source, student_version)

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
