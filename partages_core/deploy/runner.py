"""One batch runner for every document-level step, with three backends built on existing engines.

The input is cut into shards (:mod:`formats`); each shard is processed where the backend puts it and
leaves two files in ``OUT/.partages-run/``: its rows (parquet) and a done marker holding its counts and
quarantined documents. The output is then assembled from the shards in order into a temporary folder
that replaces ``OUT`` whole. So:

* every backend writes the same bytes (same shards, same per-shard code, same assembly order);
* a run that stops (crash, Ctrl-C, lost machine) resumes: done shards are not redone;
* the multiprocess backend (EDS-NLP's) runs in a supervised child; if one of its workers dies, the
  child reports it and exits instead of hanging, and the missing shards are retried, then reported.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import secrets
import shutil
import signal
import sys
import time
import warnings
from dataclasses import asdict
from pathlib import Path
from typing import Any

from partages_core.errors import InputError, PartagesError
from partages_core.files import atomic_folder, write_atomic, write_json
from partages_core.deploy import formats
from partages_core.deploy.shard import (  # noqa: F401  (RunConfig, process_shard… are this module's API too)
    FAULT_FILE, RUN_DIR, RunConfig, edsnlp_stream, plan_file, process_shard, process_spark_row, run_dir,
)
from partages_core.deploy.steps import QUARANTINE_SCHEMA, STEPS, schema_of, warm_up

BACKENDS = ("local", "multiprocess", "spark")


class BatchFailed(PartagesError):
    """Some shards could not be processed after the retries; done shards are kept for a resume."""


def read_key(path: str | Path) -> str:
    """The run key written by :func:`write_key` (``--key-in``)."""
    from partages_core.files import read_text

    try:
        key = json.loads(read_text(path)).get("secret")
    except (json.JSONDecodeError, AttributeError):
        key = None
    if not isinstance(key, str) or len(key) < 16:
        raise InputError(f"{path}: expected the JSON written by --key-out (field 'secret')")
    return key


def write_key(path: str | Path, cfg: RunConfig) -> Path:
    """The run's key and seed, readable by the user only (``--key-out``)."""
    return write_atomic(path, json.dumps({"secret": cfg.secret, "seed": cfg.seed}) + "\n", mode=0o600)


def _input_signature(src: Path) -> str:
    """Size and mtime of the input's index files: a changed input does not resume an old run."""
    h = hashlib.sha256()
    paths = [src] if src.is_file() else sorted(p for p in src.iterdir() if p.is_file())
    for p in paths:
        st = p.stat()
        h.update(f"{p.name}\t{st.st_size}\t{st.st_mtime_ns}\n".encode())
    return h.hexdigest()[:16]


# --- the run ------------------------------------------------------------------------------------
def prepare(cfg: RunConfig) -> tuple[list[dict], list[int]]:
    """Plan the shards, (re)open the run folder, and list the shards still to do."""
    src, out = Path(cfg.src), Path(cfg.out)
    if not src.exists():
        raise InputError(f"--in {src}: not found")
    if out.resolve() == src.resolve() or src.resolve() in out.resolve().parents:
        raise InputError(f"--out {out}: must not be the input or inside it")
    if out.exists() and not out.is_dir():
        raise InputError(f"--out {out}: exists and is not a folder")
    if cfg.step not in STEPS:
        raise InputError(f"--step: expected one of {', '.join(STEPS)}, got {cfg.step!r}")
    if cfg.method not in STEPS[cfg.step].methods:
        raise InputError(f"--method: step {cfg.step} takes {' or '.join(STEPS[cfg.step].methods)}, got {cfg.method!r}")
    warm_up(cfg.step, cfg.method)  # a model that is not built fails here, once, rather than on every document
    if cfg.fmt_in == "auto":
        cfg.fmt_in = formats.detect_format(src)
    if cfg.fmt_out not in formats.FORMATS:
        raise InputError(f"--out-format: expected one of {', '.join(formats.FORMATS)}, got {cfg.fmt_out!r}")
    if cfg.fmt_out == "parhaf" and cfg.fmt_in != "parhaf":
        raise InputError("--out-format parhaf needs a PARHAF input (it keeps the input's file layout)")
    if cfg.shard_size < 1:
        raise InputError(f"--shard-size: expected a positive number, got {cfg.shard_size}")
    shards = formats.plan(src, cfg.fmt_in, cfg.shard_size, cfg.cols)
    rdir = run_dir(cfg)
    ident = {**cfg.identity(), "input": _input_signature(src), "shards": len(shards)}
    manifest = rdir / "run.json"
    if manifest.is_file():
        try:
            old = json.loads(manifest.read_text(encoding="utf-8"))
        except json.JSONDecodeError:
            old = {}
        stored = old.pop("secret", None)
        if old == ident and (cfg.secret is None or cfg.secret == stored):
            cfg.secret = stored  # a resumed run keeps its key: its patients keep their shifts
        else:
            shutil.rmtree(rdir)
    if not manifest.is_file():
        cfg.secret = cfg.secret or secrets.token_hex(16)
        # the key stays in the run folder only while the run is unfinished (OUT replaces it at the end)
        write_atomic(manifest, json.dumps({**ident, "secret": cfg.secret}, sort_keys=True) + "\n", mode=0o600)
    pending = [i for i in range(len(shards)) if not (rdir / "parts" / f"done-{i:06d}.json").is_file()]
    return shards, pending


def run(cfg: RunConfig, backend: str = "local", workers: int = 2, retries: int = 1, timeout: float = 600.0,
        progress: bool | None = None, spark_master: str = "local[2]") -> dict[str, Any]:
    """Run ``cfg`` on ``backend``; returns the summary (documents, entities, quarantined, seconds)."""
    from tqdm import tqdm

    from partages_core.governance.batch import progress_enabled

    if backend not in BACKENDS:
        raise InputError(f"--backend: expected one of {', '.join(BACKENDS)}, got {backend!r}")
    if workers < 1 or retries < 0 or timeout <= 0:
        raise InputError(f"--workers must be ≥ 1, --retries ≥ 0 and --timeout > 0 "
                         f"(got {workers}, {retries}, {timeout:g})")
    t0 = time.perf_counter()
    shards, pending = prepare(cfg)
    resumed = len(shards) - len(pending)
    bar = tqdm(total=len(shards), initial=resumed, unit="shard",
               disable=not (progress_enabled() if progress is None else progress))
    failures: list[str] = []
    attempts = 0
    t1 = time.perf_counter()
    phases = {"prepare": t1 - t0}  # where the time went (not in summary.json: it differs run to run)
    if backend == "spark" and pending:
        spark_session(spark_master)  # the JVM's start-up, timed apart
        phases["engine_start"] = time.perf_counter() - t1
    try:
        for _ in range(retries + 1):
            if not pending:
                break
            attempts += 1
            failures = _dispatch(cfg, backend, shards, pending, workers, timeout, spark_master, bar)
            pending = [i for i in pending if not (run_dir(cfg) / "parts" / f"done-{i:06d}.json").is_file()]
    finally:
        bar.close()
    if pending:
        why = "; ".join(failures) or "no result"
        raise BatchFailed(f"{len(pending)} of {len(shards)} shards failed after {retries + 1} attempts "
                          f"(first: shard {pending[0]}; {why}); done shards are kept in "
                          f"{run_dir(cfg)}: rerun the same command to resume")
    t2 = time.perf_counter()
    phases["process"] = t2 - t1 - phases.get("engine_start", 0.0)
    summary = assemble(cfg, len(shards))
    phases["assemble"] = time.perf_counter() - t2
    return {**summary, "backend": backend, "resumed_shards": resumed, "attempts": attempts,
            "seconds": round(time.perf_counter() - t0, 2), "phases": {k: round(v, 2) for k, v in phases.items()}}


def _dispatch(cfg: RunConfig, backend: str, shards: list[dict], pending: list[int], workers: int,
              timeout: float, spark_master: str, bar: Any) -> list[str]:
    """Process the ``pending`` shards once; returns what went wrong (empty when nothing did)."""
    cfg_d = asdict(cfg)
    if backend == "local":
        for i in pending:
            process_shard((i, shards[i]), cfg_d)
            bar.update(1)
        return []
    if backend == "spark":
        return _run_spark(cfg_d, shards, pending, spark_master, bar)
    return _run_supervised(cfg, shards, pending, workers, timeout, bar)


SPARK_RESULT = "shard int, documents long, quarantined long, entities long"


def _run_spark(cfg_d: dict, shards: list[dict], pending: list[int], master: str, bar: Any) -> list[str]:
    """EDS-NLP's Spark back-end over a DataFrame of shards, one partition per shard.

    The shards to do are ``spark.range(n)`` with ``n`` partitions (made in the JVM, so no Python worker
    feeds the tasks), read by ``edsnlp.data.from_spark`` and mapped by the same per-shard code, which
    reads the shard's plan from the run folder; the per-shard counts are written back as a small
    DataFrame (``edsnlp.data.to_spark``) that is collected. So every shard is a task of one Spark job,
    run on all the cores at once (iterating the stream instead goes through Spark's ``toLocalIterator``,
    which computes one partition after the other: one core busy). One shard per task lets the scheduler
    balance the cores to the last shard, and a failed task (retried by Spark) redoes one shard only.
    """
    import threading

    import edsnlp

    rc = RunConfig(**cfg_d)
    for i in pending:  # compact, written once: a PARHAF shard's index rows can be large
        write_json(plan_file(rc, i), shards[i], indent=None)
    spark = spark_session(master)
    tasks = spark.range(0, len(pending), 1, numPartitions=len(pending))
    stream = edsnlp.data.from_spark(tasks).map(
        functools.partial(process_spark_row, cfg=cfg_d, pending=tuple(pending)))
    result = edsnlp.data.to_spark(stream, schema=SPARK_RESULT, show_dtypes=False)
    stop = threading.Event()
    watcher = threading.Thread(target=_follow_markers, args=(run_dir(rc), pending, bar, stop), daemon=True)
    watcher.start()
    try:
        result.collect()
    except Exception as err:  # py4j wraps the worker's failure; keep the first line
        return [f"spark: {str(err).strip().splitlines()[0][:300]}"]
    finally:
        stop.set()
        watcher.join()
    return []


def _follow_markers(rdir: Path, pending: list[int], bar: Any, stop: Any, every: float = 0.5) -> None:
    """Advance the progress bar as done markers appear (Spark returns its counts only at the end)."""
    wanted = {f"done-{i:06d}.json" for i in pending}
    seen = 0
    while True:
        last = stop.wait(every)
        try:
            with os.scandir(rdir / "parts") as it:
                done = sum(e.name in wanted for e in it)
        except FileNotFoundError:
            done = 0
        if done > seen:
            bar.update(done - seen)
            seen = done
        if last:
            return


def spark_session(master: str = "local[2]") -> Any:
    """The active Spark session, or a local one bound to loopback with the UI off."""
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    # pyspark warns about pandas 3 when its pandas helpers load; no pandas goes through Spark here
    warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas", category=FutureWarning)
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    return (SparkSession.builder.master(master).appName("partages-batch")
            .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.ui.showConsoleProgress", "false")  # the runner shows its own bar
            .config("spark.python.worker.reuse", "true")  # a worker imports the steps once, not per task
            .config("spark.sql.shuffle.partitions", "4").getOrCreate())


def _run_supervised(cfg: RunConfig, shards: list[dict], pending: list[int], workers: int, timeout: float,
                    bar: Any) -> list[str]:
    """EDS-NLP's multiprocessing back-end in a forked child we watch: a dead worker or a stall ends it.

    The child is forked (not a fresh interpreter), so it and its workers start with this process's
    modules and loaded rules; it runs in its own process group, which is what we end on a stall.
    """
    import multiprocessing

    from partages_core.deploy import worker

    rdir = run_dir(cfg)
    (rdir / "parts").mkdir(parents=True, exist_ok=True)
    report = rdir / "worker-report.txt"
    report.unlink(missing_ok=True)
    proc = multiprocessing.get_context("fork").Process(
        target=worker.child, args=(asdict(cfg), shards, pending, workers, str(report)), daemon=False)
    proc.start()
    seen, last = 0, time.monotonic()
    problems: list[str] = []
    wanted = {f"done-{i:06d}.json" for i in pending}

    def finished() -> int:  # one directory listing, whatever the number of shards
        with os.scandir(rdir / "parts") as it:
            return sum(e.name in wanted for e in it)

    try:
        while proc.is_alive():
            proc.join(0.5)
            done = finished()
            if done > seen:
                bar.update(done - seen)
                seen, last = done, time.monotonic()
            elif time.monotonic() - last > timeout:
                problems.append(f"no shard finished for {timeout:g} s: workers stopped")
                _kill_group(proc.pid)
                break
    except BaseException:
        _kill_group(proc.pid)
        raise
    proc.join()
    bar.update(finished() - seen)
    if proc.exitcode != 0:
        lines = report.read_text(encoding="utf-8").splitlines() if report.is_file() else []
        problems.append(lines[-1] if lines else f"multiprocess runner exited with status {proc.exitcode}")
    return problems


def _kill_group(pid: int) -> None:
    """End the runner we started and its workers (the process group it made at start)."""
    for kill in (lambda: os.killpg(pid, signal.SIGKILL), lambda: os.kill(pid, signal.SIGKILL)):
        try:
            kill()
        except (ProcessLookupError, PermissionError):
            pass


# --- assembly -----------------------------------------------------------------------------------
def _done(rdir: Path, i: int) -> dict:
    return json.loads((rdir / "parts" / f"done-{i:06d}.json").read_text(encoding="utf-8"))


def assemble(cfg: RunConfig, n_shards: int) -> dict[str, Any]:
    """Write the output from the shards, in shard order, into a folder that replaces ``OUT`` whole."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rdir = run_dir(cfg)
    step = STEPS[cfg.step]
    parts = [rdir / "parts" / f"part-{i:06d}.parquet" for i in range(n_shards)]
    counts = {"documents": 0, "entities": 0, "quarantined": 0}
    quarantine: list[dict] = []
    index: list[dict] = []
    for i in range(n_shards):
        d = _done(rdir, i)
        counts["documents"] += d["documents"]
        counts["entities"] += d["entities"]
        quarantine += d["quarantine"]
        index += d.get("index", [])
    counts["quarantined"] = len(quarantine)
    summary = {"step": cfg.step, "method": cfg.method, "seed": cfg.seed, "shards": n_shards,
               "in_format": cfg.fmt_in, "out_format": cfg.fmt_out, **counts}
    with atomic_folder(cfg.out) as tmp:
        if cfg.fmt_out == "parquet":
            with pq.ParquetWriter(tmp / "documents.parquet", schema_of(step)) as w:
                for p in parts:
                    w.write_table(pq.read_table(p, schema=schema_of(step)))
        elif cfg.fmt_out == "hf":
            _write_hf(tmp / "dataset", parts, schema_of(step), rdir, summary)
        else:
            _write_parhaf(tmp, parts, step, index, Path(cfg.src))
        pq.write_table(pa.Table.from_pylist(quarantine, schema=QUARANTINE_SCHEMA), tmp / "quarantine.parquet")
        write_json(tmp / "summary.json", summary)
    return summary


def _write_hf(dest: Path, parts: list[Path], schema: Any, rdir: Path, summary: dict) -> None:
    """A ``save_to_disk`` folder, streamed through one Arrow file (memory-mapped, never all in RAM)."""
    import datasets
    import pyarrow as pa
    import pyarrow.parquet as pq
    from datasets.table import MemoryMappedTable

    arrow = rdir / "all.arrow"
    with pa.OSFile(str(arrow), "wb") as sink, pa.ipc.new_stream(sink, schema) as w:
        for p in parts:
            w.write_table(pq.read_table(p, schema=schema))
    fingerprint = hashlib.sha256(json.dumps(summary, sort_keys=True).encode()).hexdigest()[:16]
    ds = datasets.Dataset(MemoryMappedTable.from_file(str(arrow)), fingerprint=fingerprint)
    ds.save_to_disk(str(dest))
    del ds


def _write_parhaf(tmp: Path, parts: list[Path], step: Any, index: list[dict], src: Path) -> None:
    """The input's layout: one file per document (text, or ``<file>.json`` for extractions) + index."""
    import pyarrow.parquet as pq

    for p in parts:
        t = pq.read_table(p)
        col = "text" if step.writes_text else "result"
        for rel, value in zip(t.column("source").to_pylist(), t.column(col).to_pylist()):
            dest = tmp / (rel if step.writes_text else rel + ".json")
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_text(value if step.writes_text else value + "\n", encoding="utf-8")
    write_json(tmp / formats.INDEX, index)
