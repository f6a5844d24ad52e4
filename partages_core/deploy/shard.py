"""One shard's work, the same on every backend: read its documents, run the step, write rows + marker.

Kept apart from the runner so that the multiprocess child (``worker``) and the Spark executors import
only this, never the driver's code.
"""

from __future__ import annotations

import io
import json
import os
import signal
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from partages_core.deploy import formats
from partages_core.deploy.steps import STEPS, BadDocument, ShardState, schema_of
from partages_core.errors import InputError
from partages_core.files import write_atomic, write_json

RUN_DIR = ".partages-run"
FAULT_FILE = "inject-fault"  # test hook in the run folder: "once|always <document id> [witness]"


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


def run_dir(cfg: RunConfig) -> Path:
    return Path(cfg.out) / RUN_DIR


# --- one shard ----------------------------------------------------------------------------------
def _fault(path: Path, doc_id: str) -> None:
    """Test hook: kill this worker on the named document (``once`` removes the file first; ``hang``
    blocks it instead). The file (``once|always|hang DOC_ID [WITNESS]``) lives in the run folder, so every backend's workers
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
    if mode == "hang":
        time.sleep(3600)  # a worker stuck in a native call: only the supervisor's timeout ends it
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


def plan_file(cfg: RunConfig, i: int) -> Path:
    """Where the Spark backend leaves shard ``i``'s plan for the executor that takes it."""
    return run_dir(cfg) / "plan" / f"shard-{i:06d}.json"


def process_spark_row(row: dict, cfg: dict[str, Any], pending: tuple[int, ...]) -> dict[str, Any]:
    """Spark row ``{id: k}`` (``spark.range``) → the ``k``-th pending shard, read from its plan file."""
    i = pending[row["id"]]
    shard = json.loads(plan_file(RunConfig(**cfg), i).read_text(encoding="utf-8"))
    return process_shard((i, shard), cfg)


def edsnlp_stream(cfg_d: dict, shards: list[dict], pending: list[int]) -> Any:
    """The shards as an EDS-NLP stream mapped by :func:`process_shard` (backend set by the caller)."""
    import functools

    import edsnlp

    items = [(i, shards[i]) for i in pending]
    return edsnlp.data.from_iterable(items).map(functools.partial(process_shard, cfg=cfg_d))


