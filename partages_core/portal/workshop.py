"""Workshop kit for trainers: student and instructor notebooks with exercises, a measured timing
plan, half-day and full-day agendas, instructions, the demos and an offline wheelhouse."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import yaml

from partages_core.config import project_root
from partages_core.files import write_atomic

SOLUTION_TAG = "solution"
CHECK_TAG = "check"
STUDENT_PLACEHOLDER = "# Your turn: write this cell (the instructor notebook has a solution).\n"
READING_WPM = 180
EXERCISE_MIN = 10
EXERCISES = Path(__file__).resolve().parent / "exercises" / "exercises.yaml"
# A half day keeps the story from data to use cases; a full day runs every notebook.
HALF_DAY = ("00_corpus_and_annotation", "01_data_governance", "04_oncology_biomarkers",
            "05_infectious_diseases", "08_reuse_the_commons")


def check_source(expression: str, hint: str) -> str:
    """A check cell: tells the learner whether the exercise is solved, never raises."""
    return (f"# Check your answer (run this cell)\ntry:\n    solved = bool({expression})\n"
            f"except (NameError, KeyError, TypeError, AttributeError, ValueError):\n    solved = False\n"
            f"print('Correct, well done.' if solved else {('Not yet. Hint: ' + hint)!r})\n")


def exercise_cells(name: str, source: Path = EXERCISES) -> list:
    """The exercise cells (prompt, tagged solution, check) appended to notebook ``name`` in the kit."""
    spec = yaml.safe_load(source.read_text(encoding="utf-8")) or {}
    cells = []
    for i, ex in enumerate(spec.get(name, []), 1):
        cells += [nbformat.v4.new_markdown_cell(f"## Exercise {i}\n\n{ex['prompt'].strip()}"),
                  nbformat.v4.new_code_cell(ex["solution"].strip(), metadata={"tags": [SOLUTION_TAG]}),
                  nbformat.v4.new_code_cell(check_source(ex["check"], ex["hint"]).strip(),
                                            metadata={"tags": [CHECK_TAG]})]
    return cells


def student_version(nb: nbformat.NotebookNode) -> tuple[nbformat.NotebookNode, int]:
    """A copy with every cell tagged ``solution`` emptied; returns it and how many were removed."""
    out = nbformat.from_dict(json.loads(json.dumps(nb)))
    removed = 0
    for cell in out.cells:
        if SOLUTION_TAG in cell.get("metadata", {}).get("tags", []):
            cell.source = STUDENT_PLACEHOLDER
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = [], None
            removed += 1
    return out, removed


def _seconds(cell: dict) -> float:
    """Execution time that nbclient recorded in a cell's metadata, if any."""
    timing = cell.get("metadata", {}).get("execution", {})
    start, end = timing.get("iopub.execute_input"), timing.get("shell.execute_reply")
    if not start or not end:
        return 0.0
    parse = lambda s: dt.datetime.fromisoformat(s.replace("Z", "+00:00"))  # noqa: E731
    return max(0.0, (parse(end) - parse(start)).total_seconds())


def timing_plan(name: str, nb: nbformat.NotebookNode, run_s: float | None) -> dict:
    """Minutes to read, to run (measured by executing the kit's copy) and for the exercises."""
    words = sum(len(c.source.split()) for c in nb.cells if c.cell_type == "markdown")
    exercises = sum(SOLUTION_TAG in c.get("metadata", {}).get("tags", []) for c in nb.cells)
    read_min = words / READING_WPM
    total = read_min + (run_s or 0) / 60 + EXERCISE_MIN * exercises + 5
    return {"notebook": name, "reading_min": round(read_min, 1),
            "run_min": round(run_s / 60, 1) if run_s is not None else None,
            "exercises": exercises, "slot_min": int(5 * round(total / 5 + 0.49))}


def execute_kit_notebook(path: Path, timeout_s: int = 1800) -> float:
    """Execute a kit notebook in its own folder (as a learner would); returns the wall seconds."""
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    tic = time.perf_counter()
    NotebookClient(nb, timeout=timeout_s, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    seconds = time.perf_counter() - tic
    nbformat.write(nb, str(path.with_suffix(".executed.ipynb")))
    return seconds


def notebooks_source() -> Path:
    """The notebooks of the repository, or (from an installed wheel) the current folder's."""
    repo = project_root() / "notebooks"
    return repo if repo.is_dir() else Path.cwd()


def build_workshop(out: str | Path, wheelhouse: bool = True, measure: bool = False, only: tuple[str, ...] = (),
                   source: Path | None = None, log=print) -> Path:
    """Write ``out/{student,instructor,demos}/``, ``timing.md``, ``agenda.md``, ``README.md`` (and a wheelhouse).

    With ``measure`` every instructor notebook is executed from the kit and its run time goes into
    the timing plan; otherwise run times come from the last measured plan (``timing.json``) if any.
    """
    src_dir, out = Path(source) if source else notebooks_source(), Path(out)
    previous = _previous_times(out)
    shutil.rmtree(out, ignore_errors=True)
    plans = []
    for src in sorted(src_dir.glob("[0-9][0-9]_*.ipynb")):
        if only and src.stem not in only:
            continue
        nb = nbformat.read(src, as_version=4)
        nb.cells += exercise_cells(src.stem)
        for i, cell in enumerate(nb.cells):  # nbformat 4.5 wants an id on every cell; deterministic ones
            cell.setdefault("id", f"kit-{i:03d}")
        student, removed = student_version(nb)
        for kind, book in (("student", student), ("instructor", nb)):
            (out / kind).mkdir(parents=True, exist_ok=True)
            nbformat.write(book, str(out / kind / src.name))
        run_s = execute_kit_notebook(out / "instructor" / src.name) if measure else previous.get(src.stem)
        plans.append(timing_plan(src.stem, nb, run_s))
        log(f"{src.name}: {removed} solution cell(s) removed for students"
            + (f", ran in {run_s:.0f}s" if run_s is not None else ""))
    demos = src_dir / "demos"
    if demos.is_dir():
        shutil.copytree(demos, out / "demos", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    write_atomic(out / "timing.json", json.dumps({p["notebook"]: p for p in plans}, indent=1, sort_keys=True) + "\n")
    write_atomic(out / "timing.md", timing_markdown(plans, measure))
    write_atomic(out / "agenda.md", agenda_markdown(plans))
    write_atomic(out / "README.md", _readme(wheelhouse))
    if wheelhouse:
        build_wheelhouse(out / "wheelhouse", log=log)
    return out


def _previous_times(out: Path) -> dict[str, float]:
    path = out / "timing.json"
    if not path.is_file():
        return {}
    plans = json.loads(path.read_text(encoding="utf-8"))
    return {k: v["run_min"] * 60 for k, v in plans.items() if v.get("run_min") is not None}


def timing_markdown(plans: list[dict], measured: bool) -> str:
    rows = "\n".join(f"| {p['notebook']} | {p['reading_min']} | "
                     f"{p['run_min'] if p['run_min'] is not None else 'not measured'} | {p['exercises']} | "
                     f"{p['slot_min']} |" for p in plans)
    how = ("Run times were measured by executing each instructor notebook from this kit"
           if measured else "Run times come from the last measured kit (`partages portal workshop --measure`)")
    return (f"# Timing plan\n\n{how}; reading at {READING_WPM} words a minute, {EXERCISE_MIN} minutes per "
            "exercise, 5 minutes of questions per notebook.\n\n"
            "| notebook | reading (min) | run (min) | exercises | slot (min) |\n|---|---|---|---|---|\n" + rows + "\n")


def _schedule(plans: list[dict], start: dt.datetime, breaks: dict[int, tuple[str, int]]) -> list[str]:
    lines, t = [], start
    for i, p in enumerate(plans):
        end = t + dt.timedelta(minutes=p["slot_min"])
        lines.append(f"| {t:%H:%M}–{end:%H:%M} | {p['notebook']} ({p['exercises']} exercise(s)) |")
        t = end
        if i in breaks:
            label, minutes = breaks[i]
            end = t + dt.timedelta(minutes=minutes)
            lines.append(f"| {t:%H:%M}–{end:%H:%M} | {label} |")
            t = end
    end = t + dt.timedelta(minutes=20)
    lines.append(f"| {t:%H:%M}–{end:%H:%M} | demos (pseudonymisation, oncology, infectiology) and wrap-up |")
    return lines


def agenda_markdown(plans: list[dict]) -> str:
    """A half-day and a full-day agenda built from the slots of the timing plan."""
    day0 = dt.datetime(2025, 1, 1, 9, 0)
    half = [p for p in plans if p["notebook"] in HALF_DAY]
    head = "| time | session |\n|---|---|"
    half_rows = _schedule(half, day0, {len(half) // 2 - 1: ("break", 15)} if len(half) > 1 else {})
    full_rows = _schedule(plans, day0, {len(plans) // 3 - 1: ("break", 15), len(plans) // 2: ("lunch", 60),
                                        (2 * len(plans)) // 3 + 1: ("break", 15)} if len(plans) > 3 else {})
    return ("# Agendas\n\nBuilt from `timing.md` (slots include reading, running and exercises).\n\n"
            f"## Half day ({', '.join(p['notebook'][:2] for p in half)})\n\n{head}\n" + "\n".join(half_rows)
            + f"\n\n## Full day (every notebook)\n\n{head}\n" + "\n".join(full_rows) + "\n")


def build_wheelhouse(dest: Path, deps: bool = True, log=print) -> Path:
    """The project's wheel and (with ``deps``) a wheel of every dependency, for ``pip install --no-index``.

    The dependencies are pinned to the versions installed here (the closure of partages-core's own
    requirements, extras left out), so the room installs what this environment tested.
    """
    dest.mkdir(parents=True, exist_ok=True)
    pip = [sys.executable, "-m", "pip", "wheel", "-qq", "--no-deps", "-w", str(dest)]
    log(f"wheelhouse: partages-core{' and its dependencies' if deps else ''} -> {dest}")
    subprocess.run([*pip, str(project_root())], check=True)
    if deps:
        pins = dest / "requirements.txt"
        write_atomic(pins, "".join(f"{name}=={version}\n" for name, version in dependency_pins()))
        subprocess.run([*pip, "-r", str(pins)], check=True)  # wheels as published; sdists built once here
    return dest


def dependency_pins(root: str = "partages-core") -> list[tuple[str, str]]:
    """(name, installed version) of every distribution ``root`` needs here, recursively, sorted.

    Extras a dependency asks of another (``sqlalchemy[asyncio]``) are followed; the root's own
    extras (test, bench) are not.
    """
    from importlib.metadata import distribution

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    pins: dict[str, str] = {}
    expanded: set[tuple[str, str]] = set()
    todo = [(root, "")]
    while todo:
        name, extra = todo.pop()
        if (name, extra) in expanded:
            continue
        expanded.add((name, extra))
        for line in distribution(name).requires or []:
            req = Requirement(line)
            if req.marker and not req.marker.evaluate({"extra": extra}):
                continue
            if extra and not (req.marker and "extra" in str(req.marker)):
                continue  # a base requirement, already followed with extra ""
            dep = canonicalize_name(req.name)
            pins[dep] = distribution(req.name).version  # a needed one missing here: the install is broken
            todo += [(dep, "")] + [(dep, canonicalize_name(e)) for e in req.extras]
    return sorted(pins.items())


def _readme(wheelhouse: bool) -> str:
    install = ("python3 -m venv .venv\n.venv/bin/pip install --no-index --find-links wheelhouse partages-core\n"
               if wheelhouse else "make install   # in the repository (needs the package registry)\n")
    return f"""# PARTAGES workshop kit

- `student/`: the notebooks with exercises; solution cells are empty, check cells say whether an answer is right.
- `instructor/`: the same notebooks with the solutions.
- `demos/`: the three Voila demos (pseudonymisation, oncology, infectiology).
- `timing.md`: minutes per notebook (reading, measured run time, exercises); `agenda.md`: a half day and a full day.
{"- `wheelhouse/`: every wheel needed, for a room without internet." + chr(10) if wheelhouse else ""}
## 1. Install (once per machine, offline)

```bash
cd this-kit-folder
{install}```

## 2. Start JupyterLab for the learners

```bash
.venv/bin/jupyter lab student/ --ServerApp.ip=127.0.0.1
```

Open the notebooks in order; each ends with its exercises. The trainer keeps `instructor/` open.

## 3. Start the demos

```bash
.venv/bin/partages portal demos demos/
```

The demos open on http://127.0.0.1:8866/ and load nothing from outside the machine. Idle sessions
are closed after 5 minutes, closed tabs at once, and at most 6 run together.

## Everything is fictional

The commons and the hand-written documents are fictional; no real patient appears anywhere.
"""
