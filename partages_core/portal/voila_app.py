"""How the demos are served: Voila with a local template, kernel culling and a cap on live kernels.

Closed tabs: Voila's page sends a shutdown beacon carrying the ``_xsrf`` cookie, which the prelaunch
hook makes sure exists (without it the server refuses the shutdown with 403). Tabs that vanish
without the beacon are culled once idle and disconnected. A crowd cannot start more than
``PARTAGES_DEMO_MAX_KERNELS`` kernels: the next visitor gets a 503 asking to retry.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
MAX_KERNELS_ENV = "PARTAGES_DEMO_MAX_KERNELS"
CULL_IDLE_ENV = "PARTAGES_DEMO_CULL_IDLE_S"
DEFAULT_MAX_KERNELS = 6          # 150-420 MB each: about 2.5 GB at most
CULL_IDLE_S = int(os.environ.get(CULL_IDLE_ENV, "300"))
CULL_INTERVAL_S = max(1, min(60, CULL_IDLE_S // 2))
# Lab extensions a demo page does not need (the JupyterLab preview button, the Pygments theme).
DENIED_EXTENSIONS = ["@voila-dashboards/jupyterlab-preview", "jupyterlab_pygments"]


def max_kernels() -> int:
    return int(os.environ.get(MAX_KERNELS_ENV, DEFAULT_MAX_KERNELS))


def prelaunch(req, notebook, cwd) -> None:
    """Before a visitor's kernel starts: set the ``_xsrf`` cookie, refuse past the kernel cap."""
    import tornado.web

    req.xsrf_token  # noqa: B018  (reading it sets the cookie the page's shutdown beacon sends back)
    live = len(req.kernel_manager.list_kernel_ids())
    if live >= max_kernels():
        raise tornado.web.HTTPError(503, reason=f"All {live} demo sessions are in use; retry in a minute")


def voila_command(target: Path, port: int, max_live: int | None = None, cull_idle_s: int | None = None
                  ) -> tuple[list[str], dict[str, str]]:
    """argv and environment to serve ``target`` (a notebook or a folder) on 127.0.0.1:``port``."""
    env = dict(os.environ)
    env["JUPYTER_PATH"] = os.pathsep.join(p for p in (str(HERE), env.get("JUPYTER_PATH", "")) if p)
    if max_live is not None:
        env[MAX_KERNELS_ENV] = str(max_live)
    if cull_idle_s is not None:
        env[CULL_IDLE_ENV] = str(cull_idle_s)
    voila = Path(sys.executable).parent / "voila"
    argv = [str(voila), str(target), "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1",
            f"--Voila.config_file_paths={HERE / 'voila'}"]
    return argv, env
