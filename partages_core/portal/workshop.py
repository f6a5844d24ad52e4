"""Workshop kit for trainers: student and instructor notebooks, a timing plan, an offline wheelhouse."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

from partages_core.config import project_root
from partages_core.files import write_atomic

SOLUTION_TAG = "solution"
STUDENT_PLACEHOLDER = "# Your turn: write this cell (the instructor notebook has a solution).\n"
READING_WPM = 180


def student_version(nb: nbformat.NotebookNode) -> tuple[nbformat.NotebookNode, int]:
    """A copy with every cell tagged ``solution`` emptied; returns it and how many were removed."""
    out = nbformat.from_dict(json.loads(json.dumps(nb)))
    removed = 0
    for cell in out.cells:
        if SOLUTION_TAG in cell.get("metadata", {}).get("tags", []):
            cell.source = STUDENT_PLACEHOLDER
            cell.outputs = [] if cell.cell_type == "code" else cell.get("outputs")
            removed += 1
    return out, removed


def _seconds(cell: dict) -> float:
    """Execution time that nbclient recorded in a cell's metadata, if any."""
    timing = cell.get("metadata", {}).get("execution", {})
    start, end = timing.get("iopub.execute_input"), timing.get("shell.execute_reply")
    if not start or not end:
        return 0.0
    parse = lambda s: dt.datetime.fromisoformat(s.replace("Z", "+00:00"))
    return max(0.0, (parse(end) - parse(start)).total_seconds())


def timing_plan(name: str, nb: nbformat.NotebookNode, executed: nbformat.NotebookNode | None) -> dict:
    """Minutes to read, to run (measured when an executed copy exists) and for exercises."""
    words = sum(len(c.source.split()) for c in nb.cells if c.cell_type == "markdown")
    run_s = sum(_seconds(c) for c in executed.cells) if executed else None
    exercises = sum(SOLUTION_TAG in c.get("metadata", {}).get("tags", []) for c in nb.cells)
    read_min = words / READING_WPM
    total = read_min + (run_s or 0) / 60 + 10 * exercises + 5
    return {"notebook": name, "reading_min": round(read_min, 1),
            "run_min": round(run_s / 60, 1) if run_s is not None else None,
            "exercises": exercises, "suggested_slot_min": int(5 * round(total / 5 + 0.49))}


def build_workshop(out: str | Path, wheelhouse: bool = True, log=print) -> Path:
    """Write ``out/{student,instructor}/``, ``out/timing.md`` and (optionally) ``out/wheelhouse``."""
    root, out = project_root(), Path(out)
    shutil.rmtree(out, ignore_errors=True)
    plans = []
    for src in sorted((root / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        nb = nbformat.read(src, as_version=4)
        student, removed = student_version(nb)
        for kind, book in (("student", student), ("instructor", nb)):
            (out / kind).mkdir(parents=True, exist_ok=True)
            nbformat.write(book, str(out / kind / src.name))
        executed_path = root / "site" / "notebooks" / src.name
        executed = nbformat.read(executed_path, as_version=4) if executed_path.is_file() else None
        plans.append(timing_plan(src.stem, nb, executed))
        log(f"{src.name}: {removed} solution cell(s) removed for students")
    rows = "\n".join(f"| {p['notebook']} | {p['reading_min']} | {p['run_min'] if p['run_min'] is not None else 'not measured'} "
                     f"| {p['exercises']} | {p['suggested_slot_min']} |" for p in plans)
    write_atomic(
        out / "timing.md", "# Timing plan\n\nRun times are measured from the last `make site` (executed notebooks).\n\n"
        "| notebook | reading (min) | run (min) | exercises | slot (min) |\n|---|---|---|---|---|\n" + rows + "\n")
    write_atomic(out / "README.md", _readme(wheelhouse))
    if wheelhouse:
        build_wheelhouse(out / "wheelhouse", log=log)
    return out


def build_wheelhouse(dest: Path, deps: bool = True, log=print) -> Path:
    """The project's wheel and (with ``deps``) every dependency's, for ``pip install --no-index``."""
    dest.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "pip", "wheel", "-q", "-w", str(dest), str(project_root())]
    if not deps:
        cmd.insert(4, "--no-deps")
    log(" ".join(cmd))
    subprocess.run(cmd, check=True)
    return dest


def _readme(wheelhouse: bool) -> str:
    install = ("python3 -m venv .venv && .venv/bin/pip install --no-index --find-links wheelhouse partages-core\n"
               if wheelhouse else "make install   # from the repository (needs the package registry)\n")
    return ("# PARTAGES workshop kit\n\n- `student/`: notebooks with the exercise solutions removed.\n"
            "- `instructor/`: the same notebooks with solutions.\n- `timing.md`: a timing plan per notebook.\n"
            + ("- `wheelhouse/`: every wheel needed, for a room without internet.\n" if wheelhouse else "")
            + f"\n## Install offline\n\n```bash\n{install}```\n")
