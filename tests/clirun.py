"""Run the ``partages`` command in this process (fast enough for fuzzing), bytes in and out."""

from __future__ import annotations

import io
import os
import sys
from dataclasses import dataclass


@dataclass
class Result:
    code: int
    stdout: bytes
    stderr: bytes

    @property
    def out(self) -> str:
        return self.stdout.decode("utf-8", "replace")

    @property
    def err(self) -> str:
        return self.stderr.decode("utf-8", "replace")


def invoke(*args: str, stdin: bytes = b"", env: dict[str, str] | None = None) -> Result:
    """``partages ARGS`` through the console entry point (errors → one line, exit 2)."""
    from partages_core.cli import run

    saved = sys.argv, sys.stdin, sys.stdout, sys.stderr
    saved_env = {k: os.environ.get(k) for k in (env or {})}
    out, err = io.BytesIO(), io.BytesIO()
    sys.argv = ["partages", *map(str, args)]
    sys.stdin = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
    sys.stdout = io.TextIOWrapper(out, encoding="utf-8", write_through=True)
    sys.stderr = io.TextIOWrapper(err, encoding="utf-8", write_through=True)
    os.environ.update(env or {})
    code = 0
    try:
        run()
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    finally:
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
            stream.detach()  # keep the BytesIO open when the wrapper goes
        sys.argv, sys.stdin, sys.stdout, sys.stderr = saved
        for k, v in saved_env.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return Result(code, out.getvalue(), err.getvalue())
