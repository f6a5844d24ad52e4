"""The multiprocess backend's child: EDS-NLP's multiprocessing back-end over the pending shards.

Run as ``python -m partages_core.deploy.worker JOB.json`` by :func:`runner._run_supervised`. A watchdog
thread holds every worker process EDS-NLP starts; if one dies (killed, out of memory, segfault), EDS-NLP
would wait for it forever, so the watchdog prints ``partages-worker: <what happened>``, ends the other
workers by their ids and exits 3. The supervisor then retries the shards that have no done marker.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import sys
import threading
import time
from pathlib import Path


def _watch(stop: threading.Event) -> None:
    held: dict[int, multiprocessing.Process] = {}
    while not stop.is_set():
        for p in multiprocessing.active_children():
            held.setdefault(p.pid, p)
        for pid, p in held.items():
            code = p.exitcode
            if code is not None and code != 0 and not stop.is_set():
                what = f"signal {-code}" if code < 0 else f"status {code}"
                print(f"partages-worker: worker process {pid} died ({what}); its shards are retried",
                      file=sys.stderr, flush=True)
                for other in held.values():
                    if other.exitcode is None:
                        try:
                            os.kill(other.pid, signal.SIGKILL)
                        except ProcessLookupError:
                            pass
                os._exit(3)
        time.sleep(0.1)


def main(job_path: str) -> int:
    from partages_core.deploy import runner
    from partages_core.deploy.formats import plan
    from partages_core.deploy.steps import warm_up

    job = json.loads(Path(job_path).read_text(encoding="utf-8"))
    cfg = runner.RunConfig(**job["config"])
    shards = plan(Path(cfg.src), cfg.fmt_in, cfg.shard_size, cfg.cols)
    warm_up(cfg.step, cfg.method)  # forked workers inherit the loaded rules instead of each loading them
    stream = runner.edsnlp_stream(job["config"], shards, job["pending"]).set_processing(
        backend="multiprocessing", num_cpu_workers=job["workers"], batch_size=1,
        process_start_method="fork", show_progress=False)
    stop = threading.Event()
    threading.Thread(target=_watch, args=(stop,), daemon=True).start()
    try:
        for _ in stream:
            pass
    except Exception as err:  # a failure inside a step: report it in one line
        print(f"partages-worker: {type(err).__name__}: {str(err).splitlines()[0] if str(err) else ''}",
              file=sys.stderr, flush=True)
        stop.set()
        return 4
    stop.set()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
