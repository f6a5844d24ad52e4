"""Single-threaded training jobs (spaCy) run in their own Python processes, so that two of them use both cores.

A plain ``python -c`` process, not a ``multiprocessing`` one: it imports this package only, never the caller's
script (a spawned worker re-runs a script that has no ``if __name__ == "__main__"`` guard), and it inherits no
thread of the caller (a forked child can hang on torch's OpenMP threads after the build's transformer stages).
Each job is seeded by its own arguments, so its result does not depend on where it ran."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any

_CHILD = ("import importlib, pickle, sys; target, args = pickle.load(sys.stdin.buffer); "
          "module, name = target.split(':'); result = getattr(importlib.import_module(module), name)(*args); "
          "sys.stdout.flush(); sys.stdout = sys.__stdout__; sys.stdout.buffer.write(b'\\0RESULT\\0' + pickle.dumps(result))")


def run_in_process(target: str, *args: Any) -> Any:
    """``module:function`` called with ``args`` in a fresh Python process of this interpreter and checkout; returns
    what it returns (arguments and result travel pickled). A failure raises ``RuntimeError`` with the child's last
    error line."""
    import partages_core

    root = str(Path(partages_core.__file__).resolve().parent.parent)   # the checkout this process runs
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))}
    run = subprocess.run([sys.executable, "-c", _CHILD], input=pickle.dumps((target, args)), capture_output=True,
                         env=env)
    marker = run.stdout.rfind(b"\0RESULT\0")
    if run.returncode or marker < 0:
        last = (run.stderr.decode("utf-8", "replace").strip().splitlines() or ["no message"])[-1]
        raise RuntimeError(f"{target} failed in its own process: {last}")
    return pickle.loads(run.stdout[marker + len(b"\0RESULT\0"):])
