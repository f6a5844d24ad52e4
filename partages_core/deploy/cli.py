"""``partages batch run``: one step over a whole warehouse, on one machine or on Spark."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

batch_app = typer.Typer(help="WP7 deployment: run a step over a whole warehouse (local, multiprocess, Spark).",
                        no_args_is_help=True)


@batch_app.command("run")
def run_cmd(
    step: str = typer.Option(..., "--step", help="pseudonymize, oncology, infectiology or quality."),
    src: Path = typer.Option(..., "--in", help="PARHAF folder, parquet file/folder, or HF dataset (save_to_disk)."),
    out: Path = typer.Option(..., "--out", help="Output folder (replaced whole at the end; resume state inside)."),
    backend: str = typer.Option("local", "--backend", help="local, multiprocess or spark."),
    workers: int = typer.Option(2, "--workers", help="Processes for the multiprocess backend."),
    in_format: str = typer.Option("auto", "--in-format", help="auto, parhaf, parquet or hf."),
    out_format: str = typer.Option("parquet", "--out-format", help="parquet, hf or parhaf (PARHAF input only)."),
    seed: int = typer.Option(0, "--seed", help="Surrogate seed: same seed, same output."),
    method: str = typer.Option("rules", "--method", help="pseudonymize: rules or hybrid (rules + the built NER); "
                               "oncology/infectiology: rules or model (the CU5b hybrid is `partages extract oncology "
                               "--response --method hybrid`: this step extracts no response)."),
    shard_size: int = typer.Option(1000, "--shard-size", help="Documents per shard (the unit of work and resume)."),
    id_col: Optional[str] = typer.Option(None, "--id-col", help="Document id column (table inputs)."),
    patient_col: Optional[str] = typer.Option(None, "--patient-col", help="Patient column (table inputs)."),
    text_col: Optional[str] = typer.Option(None, "--text-col", help="Text column (table inputs)."),
    no_context: bool = typer.Option(False, "--no-context", help="PARHAF: ignore identities.json."),
    retries: int = typer.Option(1, "--retries", help="Reruns of shards whose worker died."),
    timeout: float = typer.Option(600.0, "--timeout", help="Seconds without a finished shard before workers are stopped."),
    spark_master: str = typer.Option("local[2]", "--spark-master", help="Spark master when no session is active."),
    key_in: Optional[Path] = typer.Option(None, "--key-in", help="Reuse the run key written by --key-out "
                                          "(same key and seed: same surrogates and date shifts)."),
    key_out: Optional[Path] = typer.Option(None, "--key-out", help="Write the run's secret key here (store it "
                                           "securely; it is never written to --out)."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
) -> None:
    """Run one document-level step over a warehouse; print documents, entities, quarantined, seconds."""
    from partages_core.deploy.runner import RunConfig, read_key, run, write_key
    from partages_core.errors import InputError

    if key_out and out.resolve() in key_out.resolve().parents:
        raise InputError(f"--key-out {key_out}: must be outside --out (the output is released without its key)")
    cfg = RunConfig(step=step, src=str(src), out=str(out), fmt_in=in_format, fmt_out=out_format, seed=seed,
                    method=method, shard_size=shard_size, use_context=not no_context,
                    cols={"id": id_col, "patient": patient_col, "text": text_col},
                    secret=read_key(key_in) if key_in else None)
    summary = run(cfg, backend=backend, workers=workers, retries=retries, timeout=timeout,
                  spark_master=spark_master)
    if key_out:
        write_key(key_out, cfg)
    typer.echo(json.dumps(summary, sort_keys=True) if as_json else
               f"{summary['step']}: {summary['documents']} documents, {summary['entities']} entities, "
               f"{summary['quarantined']} quarantined, {summary['seconds']} s ({summary['backend']}) → {out}")


def register(app: typer.Typer) -> None:
    app.add_typer(batch_app, name="batch")
