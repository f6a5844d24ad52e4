"""``partages federated``: run an evaluation round across the nodes, print a model digest."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

federated_app = typer.Typer(help="WP7 federated validation: nodes = facilities, only counts leave them.",
                            no_args_is_help=True)


@federated_app.command("run")
def run_cmd(
    task: str = typer.Option(..., "--task", help="Evaluation task, optionally /view: infectiology, infectiology/entity, pseudonymisation/leak."),
    model: str = typer.Option(..., "--model", help="System of the evaluation registry, e.g. infectio-rules or infectio-gazetteer."),
    nodes: Optional[Path] = typer.Option(None, "--nodes", help="Node config YAML (default: one node per facility of the commons)."),
    deadline: Optional[float] = typer.Option(None, "--deadline", min=0.1, help="Seconds to wait for the nodes."),
    quorum: Optional[int] = typer.Option(None, "--quorum", min=1, help="Valid replies required."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Send the task to every node; print pooled and per-node metrics, missing and flagged nodes."""
    from partages_core.corpus.commons import load_commons
    from partages_core.errors import InputError
    from partages_core.federated.federation import build_federation, load_federation

    fed = load_federation(nodes) if nodes else build_federation(load_commons().patients)
    if deadline is not None:
        fed.deadline_s = deadline
    if quorum is not None:
        if quorum > len(fed.nodes):
            raise InputError(f"--quorum: {quorum} exceeds the {len(fed.nodes)} nodes")
        fed.quorum = quorum
    result = fed.run(task, model)
    if as_json:
        typer.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=1))
        return
    m = result.micro
    typer.echo(f"{task} / {model}: {len(result.answered)}/{len(result.nodes)} nodes answered "
               f"in {result.elapsed_s:.2f} s; micro P={m.precision:.3f} R={m.recall:.3f} F1={m.f1:.3f}")
    typer.echo("  " + "  ".join(f"{k}={'n/a' if v is None else f'{v:.4f}'}" for k, v in result.metrics.items()))
    for label, row in result.pooled.items():
        note = f"  (withheld at {', '.join(row['withheld_at'])})" if row["withheld_at"] else ""
        typer.echo(f"  {label:<12} tp={row['tp']:<5} fp={row['fp']:<5} fn={row['fn']:<5} F1={row['f1']:.3f}{note}")
    for name, why in {**result.missing, **result.flagged}.items():
        typer.echo(f"  {name}: {why}")


@federated_app.command("digest")
def digest_cmd(model: str = typer.Option(..., "--model", help="System name (evaluation registry).")) -> None:
    """Print the digest a site policy lists to allow this system (its code, data and model)."""
    from partages_core.evaluation.systems import digest

    typer.echo(digest(model))


def register(app: typer.Typer) -> None:
    app.add_typer(federated_app, name="federated")
