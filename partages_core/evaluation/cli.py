"""``partages evaluate``: score systems on a task, with CIs, robustness and a reproducibility check."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Optional

import typer


def evaluate_cmd(
    task: str = typer.Argument(..., help="Task name (pseudonymisation, oncology-biomarkers, response, "
                                         "infectiology, generation, e3c-negation, <task>@handwritten, "
                                         "pseudonymisation@eds-pseudo), 'all', or 'realtext' (every system on "
                                         "text it did not generate, the commons second)."),
    system: list[str] = typer.Option([], "--system", "-s", help="System name (repeatable); default: every "
                                                                 "available system of the task."),
    split: str = typer.Option("test", "--split", help="Split to score: train, dev or test."),
    perturb: list[str] = typer.Option([], "--perturb", help="Perturbation(s) for robustness (repeatable, "
                                                             "comma-separated, or 'all')."),
    predictions: Optional[Path] = typer.Option(None, "--predictions", help="Score a prediction file "
                                               "(JSON {doc_id: output} or JSONL) instead of running a system; "
                                               "--system then names it."),
    seed: int = typer.Option(13, "--seed", help="Seed of the bootstrap and the perturbations."),
    n_boot: int = typer.Option(1000, "--n-boot", min=10, help="Bootstrap resamples."),
    paired: bool = typer.Option(False, "--paired", help="Paired bootstrap of the first system against each other."),
    out: Optional[Path] = typer.Option(None, "--out", help="Write the results JSON here."),
    check_reproducible: bool = typer.Option(False, "--check-reproducible",
                                            help="Run everything twice; exit 1 if any metric differs."),
    leaderboard: bool = typer.Option(True, "--leaderboard/--no-leaderboard",
                                     help="Merge results into <artefacts>/evaluation/leaderboard.{json,md}."),
    limit: Optional[int] = typer.Option(None, "--limit", min=1, help="realtext: first N documents of each "
                                        "source only (a quick check)."),
) -> None:
    """Evaluate systems on a task and write results with CIs and provenance."""
    if task == "realtext":
        _realtext(split, n_boot, seed, limit, system, out, leaderboard)
        return
    from partages_core.errors import InputError
    from partages_core.evaluation import runner
    from partages_core.evaluation.perturb import PERTURBATIONS
    from partages_core.evaluation.realdata import available
    from partages_core.evaluation.systems import get_spec, is_available, systems_for
    from partages_core.evaluation.tasks import TASKS, get_task

    kinds = [k for p in perturb for k in p.split(",") if k]
    kinds = sorted(PERTURBATIONS) if "all" in kinds else kinds
    for k in kinds:
        if k not in PERTURBATIONS:
            raise InputError(f"--perturb: unknown perturbation {k!r}; choose from {sorted(PERTURBATIONS)} or all")
    get_task("pseudonymisation")  # registers real-text tasks
    tasks = sorted(TASKS) if task == "all" else [get_task(task).name]
    preds = runner.read_predictions(predictions) if predictions else None
    if preds is not None and (len(tasks) != 1 or len(system) != 1):
        raise InputError("--predictions: give exactly one task and one --system name for the file")

    def plan() -> list[tuple[str, list[str]]]:
        jobs = []
        for t in tasks:
            if not available(get_task(t)):
                typer.echo(f"skipped {t}: its corpus is not found", err=True)
                continue
            names = list(system) or [n for n in systems_for(t) if is_available(n)]
            if preds is None:
                for n in names:
                    if n not in systems_for(t):
                        raise InputError(f"--system: {n!r} evaluates {get_spec(n).task!r}, not {t!r}")
                skipped = [n for n in systems_for(t) if n not in names]
                if skipped and not system:
                    typer.echo(f"skipped on {t} (model not trained; `partages models finetune`): {', '.join(skipped)}",
                               err=True)
            jobs.append((t, names))
        return jobs

    jobs = plan()

    def run_all() -> dict:
        from partages_core.corpus.commons import load_commons

        commons = load_commons() if any(getattr(get_task(t), "load", None) is None for t, _ in jobs) else None
        results, robust, comparisons = [], [], []
        for t, names in jobs:
            data = runner.load_split(get_task(t), split, commons)
            for n in names:
                tic = time.perf_counter()
                res = runner.evaluate(t, n, split, None, seed, n_boot, data=data, predictions=preds)
                results.append(res)
                typer.echo(f"{t:<20} {n:<26} {res['primary_metric']}={_fmt(res['metrics'].get(res['primary_metric']))}"
                           f"  ({res['n_documents']} docs, {time.perf_counter() - tic:.1f}s)", err=True)
                for k in kinds:
                    pres = runner.evaluate(t, n, split, k, seed, n_boot, data=data)
                    results.append(pres)
                if kinds:
                    robust.append(_drops(results[-len(kinds) - 1:]))
            if paired and len(names) > 1 and preds is None:
                comparisons += [runner.compare(t, names[0], other, split, seed, n_boot, data=data) for other in names[1:]]
        payload = {"results": results}
        if robust:
            payload["robustness"] = robust
        if comparisons:
            payload["comparisons"] = comparisons
        return payload

    payload = run_all()
    if check_reproducible:
        again = run_all()
        diffs = []
        for a, b in zip(payload["results"], again["results"]):
            diffs += [f"{a['task']}/{a['system']}/{a.get('perturbation') or 'clean'}: {d}"
                      for d in runner.differences(runner.comparable(a), runner.comparable(b))]
        if len(payload["results"]) != len(again["results"]):
            diffs.append("the two runs produced a different number of results")
        if diffs:
            typer.echo("partages: error: not reproducible: " + "; ".join(diffs[:20]), err=True)
            raise typer.Exit(1)
        typer.echo(f"reproducible: {len(payload['results'])} result(s) identical on re-run", err=True)
    text = json.dumps(payload, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    if out:
        from partages_core.files import write_atomic

        write_atomic(out, text)
        typer.echo(f"wrote {out}", err=True)
    else:
        typer.echo(text)
    if leaderboard and payload["results"] and preds is None:
        from partages_core.evaluation.leaderboard import update_leaderboard

        j, m = update_leaderboard(payload["results"])
        typer.echo(f"leaderboard: {j} and {m}", err=True)


def _realtext(split: str, n_boot: int, seed: int, limit: Optional[int], systems: list[str],
              out: Optional[Path], write: bool) -> None:
    """Print the real-text table (Markdown) and keep it under <artefacts>/evaluation/realtext.{json,md}."""
    from partages_core.errors import InputError
    from partages_core.evaluation import realtext
    from partages_core.evaluation.leaderboard import write_realtext
    from partages_core.files import write_atomic

    if split not in ("dev", "test"):
        raise InputError(f"--split: realtext reads the hand-written dev or test split, got {split!r}")
    tic = time.perf_counter()
    payload = realtext.run(split, n_boot, seed, limit, systems, log=lambda s: typer.echo(s, err=True))
    table = realtext.markdown(payload)
    typer.echo(table)
    typer.echo(f"realtext: {len(payload['rows'])} result(s) in {time.perf_counter() - tic:.0f}s", err=True)
    text = json.dumps(payload, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    if out:
        write_atomic(out, text)
    if write and not limit and not systems:
        j, m = write_realtext(payload, table)
        typer.echo(f"realtext: {j} and {m}", err=True)


def _fmt(v: Optional[dict]) -> str:
    return "n/a" if not v else f"{v['value']:.3f} [{v['ci_low']:.3f}, {v['ci_high']:.3f}]"


def _drops(rows: list[dict]) -> dict:
    clean, pert = rows[0], rows[1:]
    primary = clean["primary_metric"]
    base = (clean["metrics"].get(primary) or {}).get("value")
    return {"task": clean["task"], "system": clean["system"], "metric": primary, "clean": base,
            "drop": {r["perturbation"]: (round(base - r["metrics"][primary]["value"], 6)
                                         if base is not None and r["metrics"].get(primary) else None) for r in pert}}


def register(app: typer.Typer) -> None:
    app.command("evaluate")(evaluate_cmd)
