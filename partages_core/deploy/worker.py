"""The multiprocess backend's child: EDS-NLP's multiprocessing back-end over the pending shards.

Forked by ``runner._run_supervised``. A watchdog thread holds every worker process EDS-NLP starts;
if one dies (killed, out of memory, segfault), EDS-NLP would wait for it forever, so the watchdog writes
what happened to the report file, ends the other workers by their ids and exits 3. The supervisor then
retries the shards that have no done marker.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from pathlib import Path
from typing import Any


def _say(report: str, line: str) -> None:
    with open(report, "a", encoding="utf-8") as fh:
        fh.write(line + "\n")


def _watch(stop: threading.Event, report: str) -> None:
    held: dict[int, multiprocessing.Process] = {}
    while not stop.is_set():
        for p in multiprocessing.active_children():
            held.setdefault(p.pid, p)
        for pid, p in held.items():
            code = p.exitcode
            if code is not None and code != 0 and not stop.is_set():
                what = f"signal {-code}" if code < 0 else f"status {code}"
                _say(report, f"worker process {pid} died ({what}); its shards are retried")
                for other in held.values():
                    if other.exitcode is None:
                        try:
                            os.kill(other.pid, signal.SIGKILL)
                        except ProcessLookupError:
                            pass
                os._exit(3)
        time.sleep(0.1)


def child(cfg: dict[str, Any], shards: list[dict], pending: list[int], workers: int, report: str) -> None:
    """Run the pending shards on ``workers`` processes; exit 0, or 3 (a worker died) / 4 (an error)."""
    from partages_core.deploy.shard import edsnlp_stream
    from partages_core.deploy.steps import warm_up

    os.setsid()  # our own process group: the supervisor ends it whole on a stall
    warm_up(cfg["step"], cfg["method"])  # forked workers inherit the loaded rules
    stream = edsnlp_stream(cfg, shards, pending).set_processing(
        backend="multiprocessing", num_cpu_workers=workers, batch_size=1, process_start_method="fork",
        show_progress=False)
    stop = threading.Event()
    threading.Thread(target=_watch, args=(stop, report), daemon=True).start()
    try:
        for _ in stream:
            pass
    except Exception as err:  # a failure outside the per-document guard: one line for the supervisor
        stop.set()
        _say(report, f"{type(err).__name__}: {str(err).splitlines()[0] if str(err) else ''}")
        os._exit(4)
    stop.set()
    Path(report).unlink(missing_ok=True)
