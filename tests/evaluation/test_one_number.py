"""One number per (task, system, documents): the leaderboard, the notebook, the benchmark and a
federated round over the same documents all give it, because they all score through the task.

Each figure is produced by the code that produces it for users: the leaderboard file written by
``update_leaderboard``; the cell of notebooks 04/05 that shows the quality table, executed as the
notebook runs it; the benchmark's own function; a federated round (k = 1, every count released)
whose nodes hold the same patients split by facility.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from partages_core.evaluation import runner
from partages_core.evaluation.leaderboard import load_leaderboard, update_leaderboard
from partages_core.evaluation.tasks import get_task
from partages_core.federated.federation import build_federation
from partages_core.federated.node import SitePolicy

ROOT = Path(__file__).resolve().parents[2]
N_BOOT = 50
# (task, system, the notebook whose quality cell shows it); every commons task with a rules system
CASES = [("infectiology", "infectio-rules", "05_infectious_diseases.ipynb"),
         ("infectiology", "infectio-gazetteer", None),
         ("oncology-biomarkers", "oncology-rules", "04_oncology_biomarkers.ipynb"),
         ("response", "response-rules", "04_oncology_biomarkers.ipynb"),
         ("pseudonymisation", "pseudo-rules", None),
         ("pseudonymisation", "pseudo-contact-regex", None)]


@pytest.fixture(scope="module")
def patched_commons(tmp_path_factory):
    """A commons the size of the small profile (its test split holds follow-up documents), returned
    by ``load_commons()`` so notebook and benchmark code that calls it read the same documents."""
    import partages_core.corpus.commons as module
    from partages_core.corpus.io.parhaf import read_parhaf

    folder = module.build_commons(240, 13, tmp_path_factory.mktemp("commons240") / "commons")
    commons = module.Commons(folder, read_parhaf(folder))
    mp = pytest.MonkeyPatch()
    mp.setattr(module, "load_commons", lambda *a, **k: commons)
    yield commons
    mp.undo()


@pytest.fixture(scope="module")
def leaderboard(patched_commons, tmp_path_factory):
    """The leaderboard file as ``partages evaluate`` writes it, read back."""
    folder = tmp_path_factory.mktemp("evaluation")
    update_leaderboard([runner.evaluate(t, s, n_boot=N_BOOT) for t, s, _ in CASES], folder)
    rows = load_leaderboard(folder)
    return {(r["task"], r["system"]): r for r in rows}


def _test_patients(commons):
    from partages_core.config import get_profile
    from partages_core.quality.splits import split_patients

    return split_patients(commons.patients, seed=get_profile().seed)["test"]


def _notebook_frame(name: str, task: str, system: str, namespace: dict):
    """Run the notebook's cell calling ``runner.evaluate("task", "system")`` (after the imports of
    the cells before it) and return the value that cell displays."""
    cells = json.loads((ROOT / "notebooks" / name).read_text(encoding="utf-8"))["cells"]
    call = f'runner.evaluate("{task}", "{system}")'
    code = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
    target = next(i for i, src in enumerate(code) if call in src)
    for src in code[:target]:
        exec(compile(_imports_only(src), name, "exec"), namespace)
    tree = ast.parse(code[target])
    *body, last = tree.body
    exec(compile(ast.Module(body=body, type_ignores=[]), name, "exec"), namespace)
    return eval(compile(ast.Expression(last.value), name, "eval"), namespace)


def _imports_only(src: str) -> str:
    """The import statements of an earlier cell (what the quality cell relies on)."""
    tree = ast.parse(src)
    return ast.unparse([n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))])


@pytest.mark.parametrize("task, system, notebook", CASES)
def test_leaderboard_notebook_benchmark_and_federated_round_agree(leaderboard, patched_commons, load_benchmark, task,
                                                                system, notebook):
    board = leaderboard[(task, system)]
    values = {m: v["value"] for m, v in board["metrics"].items() if v}
    assert values, f"{task}/{system}: no metric on the leaderboard"

    # the notebook: the quality cell, run as the notebook runs it
    if notebook:
        frame = _notebook_frame(notebook, task, system, {"__name__": "notebook"})
        shown = frame.loc[system]["value"].dropna().to_dict()
        assert shown == values, f"notebook {notebook} shows {shown}, leaderboard {values}"

    # the benchmark's own figure function
    bench = load_benchmark("bench_infectiology").commons_figures(task, system, n_boot=N_BOOT)
    assert {m: v["value"] for m, v in bench["metrics"].items() if v} == values

    # a federated round over the same test patients, split by facility; every counts view
    fed = build_federation(_test_patients(patched_commons), seed=3, policy=SitePolicy(min_count=1), deadline_s=30)
    t = get_task(task)
    federated = {}
    for view in {m.view for m in t.metrics}:
        result = fed.run(f"{task}/{view}", system)
        assert not result.partial
        federated.update({m: v for m, v in result.metrics.items() if v is not None})
    assert federated == values, f"federated {federated}, leaderboard {values}"
