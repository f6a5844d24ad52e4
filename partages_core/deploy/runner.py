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

import hashlib
import io
import json
import os
import secrets
import shutil
import signal
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from partages_core.errors import InputError, PartagesError
from partages_core.files import atomic_folder, write_atomic, write_json
from partages_core.deploy import formats
from partages_core.deploy.steps import (
    QUARANTINE_SCHEMA, STEPS, BadDocument, ShardState, schema_of,
)

BACKENDS = ("local", "multiprocess", "spark")
RUN_DIR = ".partages-run"
FAULT_FILE = "inject-fault"  # test hook in the run folder: "once|always <document id>"


class BatchFailed(PartagesError):
    """Some shards could not be processed after the retries; done shards are kept for a resume."""


@dataclass
class RunConfig:
    """Everything that decides the output bytes (the backend and worker count do not)."""

    step: str
    src: str
    out: str
    fmt_in: str = "auto"
    fmt_out: str = "parquet"
    seed: int = 0
    method: str = "rules"
    shard_size: int = 1000
    use_context: bool = True
    cols: dict[str, str | None] = field(default_factory=dict)
    secret: str | None = field(default=None, repr=False)  # the run's key; drawn once, given to every worker

    def identity(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if k not in ("out", "secret")}


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


def run_dir(cfg: RunConfig) -> Path:
    return Path(cfg.out) / RUN_DIR


def _input_signature(src: Path) -> str:
    """Size and mtime of the input's index files: a changed input does not resume an old run."""
    h = hashlib.sha256()
    paths = [src] if src.is_file() else sorted(p for p in src.iterdir() if p.is_file())
    for p in paths:
        st = p.stat()
        h.update(f"{p.name}\t{st.st_size}\t{st.st_mtime_ns}\n".encode())
    return h.hexdigest()[:16]


# --- one shard ----------------------------------------------------------------------------------
def _fault(path: Path, doc_id: str) -> None:
    """Test hook: kill this worker on the named document (``once`` removes the file first).

    The file (``once|always DOC_ID [WITNESS]``) lives in the run folder, so every backend's workers
    see it without passing anything; WITNESS, if given, is created just before the kill.
    """
    if not path.is_file():
        return
    try:
        mode, target, *witness = path.read_text(encoding="utf-8").split()
    except (OSError, ValueError):
        return
    if target != doc_id:
        return
    if mode == "once":
        try:
            os.unlink(path)
        except FileNotFoundError:
            return  # another worker took it
    if witness:
        Path(witness[0]).touch()
    os.kill(os.getpid(), signal.SIGKILL)


def process_shard(task: tuple[int, dict], cfg: dict[str, Any]) -> dict[str, Any]:
    """Process shard ``i`` and write its rows and done marker; returns the marker's content."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    i, shard = task
    rc = RunConfig(**cfg)
    marker = run_dir(rc) / "parts" / f"done-{i:06d}.json"
    if marker.is_file():  # a retried Spark task redoes only the shards its first attempt did not finish
        done = json.loads(marker.read_text(encoding="utf-8"))
        return {"shard": i, "documents": done["documents"], "quarantined": len(done["quarantine"]),
                "entities": done["entities"]}
    step = STEPS[rc.step]
    state = ShardState(seed=rc.seed, method=rc.method, secret=rc.secret)
    names = schema_of(step).names
    rows: dict[str, list] = {n: [] for n in names}
    quarantine, entities = [], 0
    rdir = run_dir(rc)
    fault = rdir / FAULT_FILE
    for doc in formats.read_shard(shard, rc.use_context):
        _fault(fault, doc["id"])
        try:
            if doc["error"]:
                raise BadDocument(doc["error"])
            out = step.run(doc, state)
        except (BadDocument, InputError) as err:
            quarantine.append({"id": doc["id"], "patient": doc["patient"], "source": doc["source"],
                               "reason": str(err)})
            continue
        except Exception as err:  # a step's bug on one document must not stop a million-document run
            quarantine.append({"id": doc["id"], "patient": doc["patient"], "source": doc["source"],
                               "reason": f"{rc.step} failed: {type(err).__name__}: {err}"[:500]})
            continue
        entities += out["entities"]
        for n in names:
            rows[n].append(doc[n] if n in ("id", "patient", "source") else out[n])
    buf = io.BytesIO()
    pq.write_table(pa.table(rows, schema=schema_of(step)), buf)
    write_atomic(rdir / "parts" / f"part-{i:06d}.parquet", buf.getvalue())
    done = {"shard": i, "documents": len(rows["id"]), "entities": entities, "quarantine": quarantine}
    if shard["kind"] == "parhaf":
        done["index"] = _index_rows(shard["rows"], set(rows["id"]), state, rc.step)
    write_json(marker, done)
    return {"shard": i, "documents": done["documents"], "quarantined": len(quarantine), "entities": entities}


def _index_rows(rows: list[dict], kept: set[str], state: ShardState, step: str) -> list[dict]:
    """The PARHAF index rows of the shard, with only the kept documents (dates shifted if pseudonymised)."""
    out = []
    for row in rows:
        docs = [d for d in row.get("documents") or [] if str(d.get("id")) in kept]
        if step == "pseudonymize":
            from partages_core.governance.batch import pseudonymize_index_row
            from partages_core.deploy.steps import mapping_for

            out.append(pseudonymize_index_row(row, docs, mapping_for(state, str(row.get("id", "?")))))
        else:
            out.append({**row, "documents": docs})
    return out


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
    t0 = time.perf_counter()
    shards, pending = prepare(cfg)
    resumed = len(shards) - len(pending)
    bar = tqdm(total=len(shards), initial=resumed, unit="shard",
               disable=not (progress_enabled() if progress is None else progress))
    failures: list[str] = []
    attempts = 0
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
    summary = assemble(cfg, len(shards))
    return {**summary, "backend": backend, "resumed_shards": resumed, "attempts": attempts,
            "seconds": round(time.perf_counter() - t0, 2)}


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


def edsnlp_stream(cfg_d: dict, shards: list[dict], pending: list[int]) -> Any:
    """The shards as an EDS-NLP stream mapped by :func:`process_shard` (backend set by the caller)."""
    import functools

    import edsnlp

    items = [(i, shards[i]) for i in pending]
    return edsnlp.data.from_iterable(items).map(functools.partial(process_shard, cfg=cfg_d))


def _run_spark(cfg_d: dict, shards: list[dict], pending: list[int], master: str, bar: Any) -> list[str]:
    """EDS-NLP's Spark back-end: one shard per Spark row; Spark retries a failed task itself."""
    session = spark_session(master)
    stream = edsnlp_stream(cfg_d, shards, pending).set_processing(backend="spark", batch_size=1)
    try:
        for _ in stream:
            bar.update(1)
    except Exception as err:  # py4j wraps the worker's failure; keep the first line
        return [f"spark: {str(err).strip().splitlines()[0][:300]}"]
    finally:
        del session
    return []


def spark_session(master: str = "local[2]") -> Any:
    """The active Spark session, or a local one bound to loopback with the UI off."""
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    return (SparkSession.builder.master(master).appName("partages-batch")
            .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
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
