"""Flower adapter: the same ``Node`` and ``Coordinator`` behind a Flower ServerApp and ClientApp.

The ServerApp signs one request per enrolled site (``Coordinator.requests``), sends the bundle to
every connected SuperNode, waits with *our* deadline (Flower's ``send_and_receive`` waits forever by
default), then verifies and pools the replies (``Coordinator.collect``) and writes the result as
JSON. The ClientApp builds the site's ``Node`` from its node config and answers with the node's
signed, disclosure-controlled counts. The app itself is committed in ``federated_app/``
(``pyproject.toml`` with ``[tool.flwr.app.components]`` and the two app modules), deployed unchanged;
a round's task, system and deadline are its run config. ``LoopbackFederation`` starts a real
SuperLink and SuperNodes on 127.0.0.1 (no Ray, telemetry off), runs that app, and stops every
process it started by PID.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from partages_core.errors import PartagesError
from partages_core.files import write_atomic
from partages_core.governance.disclosure import CASD_K

APP_DIR = Path(__file__).resolve().parents[2] / "federated_app"
MARGIN_S = 5.0
STARTUP_S = 30.0  # budget for Flower to build the FAB and spawn the ServerApp process


def _server_main(grid, context) -> None:
    from partages_core.federated.coordinator import Coordinator, Enrolment
    from partages_core.federated.messages import derive_key
    from partages_core.keys import canonical, public_from_b64
    from partages_core.federated.node import COORDINATOR

    from partages_core.evaluation.systems import digest as system_digest

    cfg = dict(context.run_config)
    cfg["digest"] = cfg.get("digest") or system_digest(str(cfg["model"]))
    start, deadline = time.monotonic(), float(cfg["deadline-s"])
    enrol = json.loads(Path(cfg["enrolment"]).read_text(encoding="utf-8"))
    coordinator = Coordinator(derive_key(int(cfg["seed"]), COORDINATOR), {
        e["name"]: Enrolment(e["name"], public_from_b64(e["public_key"]), e["n_documents"], e["facility"])
        for e in enrol})
    while len(list(grid.get_node_ids())) < len(enrol) and time.monotonic() - start < deadline / 2:
        time.sleep(0.2)
    from flwr.app import ConfigRecord, Message, RecordDict

    requests = coordinator.requests(cfg["task"], cfg["model"], cfg["digest"])
    bundle = canonical({n: r.decode("utf-8") for n, r in requests.items()})
    ids = list(grid.get_node_ids())
    msgs = [Message(RecordDict({"task": ConfigRecord({"requests": bundle})}), dst_node_id=i,
                    message_type="query") for i in ids]
    Path(str(cfg["out"]) + ".sent").write_text(json.dumps(len(ids)))
    left = max(0.1, deadline - (time.monotonic() - start))
    responses, errors = {}, {}
    for reply in grid.send_and_receive(msgs, timeout=left):
        if reply.has_content():
            rec = reply.content["reply"]
            responses[str(rec["node"])] = bytes(rec["response"])
    for name in requests:
        if name not in responses:
            errors[name] = (f"no reply within the {deadline:g} s deadline (SuperNode lost or stalled)"
                            if len(ids) >= len(enrol) else
                            f"no reply within the {deadline:g} s deadline ({len(ids)} of {len(enrol)} SuperNodes connected)")
    result = coordinator.collect(responses, errors, cfg["task"], cfg["model"], cfg["digest"],
                                 int(cfg["quorum"]), list(requests))
    out = {"result": result.to_dict(), "elapsed_s": round(time.monotonic() - start, 3),
           "quorum_reached": len(result.answered) >= result.quorum}
    write_atomic(str(cfg["out"]), canonical(out))


def _client_query(msg, context):
    from flwr.app import ConfigRecord, Message, RecordDict

    from partages_core.corpus.io.parhaf import read_parhaf
    from partages_core.federated.messages import derive_key
    from partages_core.federated.node import COORDINATOR, AuditLog, Node, SitePolicy

    nc = context.node_config
    name, seed = str(nc["name"]), int(nc["seed"])
    patients = [p for p in read_parhaf(str(nc["data"])) if p.facility == nc["facility"]]
    node = Node(name, patients, SitePolicy(min_count=int(nc.get("min-count", CASD_K))), derive_key(seed, name),
                derive_key(seed, COORDINATOR).public_key(), audit=AuditLog(Path(str(nc["audit"]))),
                facility=str(nc["facility"]))
    bundle = json.loads(msg.content["task"]["requests"])
    response = node.handle(bundle[name].encode("utf-8"))
    return Message(RecordDict({"reply": ConfigRecord({"node": name, "response": response})}), reply_to=msg)


def server_app():
    """The ServerApp: one federated evaluation round (see ``_server_main``)."""
    from flwr.serverapp import ServerApp

    server = ServerApp()
    server.main()(_server_main)
    return server


def client_app():
    """The ClientApp: the site's ``Node`` answering one signed request."""
    from flwr.clientapp import ClientApp

    client = ClientApp()
    client.query()(_client_query)
    return client


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class FlowerRunError(PartagesError):
    """The Flower deployment did not start or did not produce a result within our deadline."""


class LoopbackFederation:
    """A real SuperLink and one SuperNode per site on loopback; use as a context manager."""

    def __init__(self, workdir: str | Path, data: str | Path, facilities: dict[str, str], seed: int = 13,
                 min_count: int = CASD_K) -> None:
        self.workdir, self.data = Path(workdir), Path(data).resolve()
        self.facilities, self.seed, self.min_count = facilities, seed, min_count
        self.procs: dict[str, subprocess.Popen] = {}
        self.port = free_port()
        self.env = {**os.environ, "FLWR_TELEMETRY_ENABLED": "0", "FLWR_HOME": str(self.workdir / "flwr-home"),
                    "PYTHONPATH": os.pathsep.join(p for p in [str(Path(__file__).resolve().parents[2]),
                                                             os.environ.get("PYTHONPATH", "")] if p)}
        self.bin = Path(sys.executable).parent
        self.env["PATH"] = os.pathsep.join([str(self.bin), os.environ.get("PATH", "")])

    def __enter__(self) -> "LoopbackFederation":
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def _spawn(self, key: str, args: list[str]) -> None:
        log = (self.workdir / f"{key}.log").open("wb")
        self.procs[key] = subprocess.Popen(args, env=self.env, cwd=self.workdir, stdout=log,
                                           stderr=subprocess.STDOUT, start_new_session=True)

    def start(self) -> None:
        """Start the SuperLink, wait for its port, then one SuperNode per site."""
        home = Path(self.env["FLWR_HOME"])
        home.mkdir(parents=True, exist_ok=True)
        (home / "config.toml").write_text(f'[superlink]\ndefault = "local"\n\n[superlink.local]\n'
                                          f'address = "127.0.0.1:{self.port}"\ninsecure = true\n')
        self._spawn("superlink", [str(self.bin / "flower-superlink"), "--insecure", "--port", str(self.port),
                                  "--disable-runtime-dependency-installation"])
        _wait_port(self.port, 30, self.procs["superlink"])
        for name, facility in self.facilities.items():
            cfg = (f'name="{name}" facility="{facility}" data="{self.data}" seed={self.seed} '
                   f'min-count={self.min_count} audit="{self.workdir / ("audit-" + name + ".jsonl")}"')
            self._spawn(name, [str(self.bin / "flower-supernode"), "--insecure", "--superlink",
                               f"127.0.0.1:{self.port}", "--port", str(free_port()), "--node-config", cfg])

    def kill(self, name: str) -> None:
        """Kill one SuperNode (and its children) abruptly: a site lost mid-run."""
        proc = self.procs.get(name)
        if proc and proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)

    def stop(self) -> None:
        """Stop every process this object started and their descendants (Flower detaches its
        SuperExec and app processes into new sessions), by PID."""
        spawned = [pid for proc in self.procs.values() for pid in _descendants(proc.pid)]
        for proc in self.procs.values():
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        for proc in self.procs.values():
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(5)
            try:  # children left in the group
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        for pid in spawned:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def run(self, task: str, model: str, enrolment: Path, deadline_s: float = 20.0, quorum: int = 1,
            digest: str | None = None, on_sent=None) -> dict[str, Any]:
        """Submit one round with ``flwr run`` and wait for its result, never past deadline + margin."""
        from partages_core.evaluation.systems import digest as system_digest

        stamp = time.monotonic_ns()
        out = self.workdir / f"result-{stamp}.json"
        run_config = {"task": task, "model": model, "digest": digest or system_digest(model),
                      "deadline-s": float(deadline_s), "quorum": quorum, "seed": self.seed,
                      "enrolment": str(Path(enrolment).resolve()), "out": str(out)}
        config_file = self.workdir / f"run-{stamp}.toml"
        write_atomic(config_file, "".join(f"{k} = {json.dumps(v)}\n" for k, v in run_config.items()))
        start = time.monotonic()
        sub = subprocess.run([str(self.bin / "flwr"), "run", str(APP_DIR), "local", "--run-config", str(config_file)],
                             env=self.env, cwd=self.workdir, capture_output=True, text=True,
                             timeout=deadline_s + MARGIN_S)
        if sub.returncode != 0:
            raise FlowerRunError(f"flwr run failed ({sub.returncode}): {sub.stdout[-500:]} {sub.stderr[-500:]}")
        sent = Path(str(out) + ".sent")
        limit = start + STARTUP_S + deadline_s + MARGIN_S
        while time.monotonic() < limit and not out.is_file():
            if on_sent and sent.is_file():
                on_sent()
                on_sent = None
            time.sleep(0.1)
        if not out.is_file():
            raise FlowerRunError(f"no result from the ServerApp within {limit - start:.0f} s; see {self.workdir}")
        res = json.loads(out.read_text(encoding="utf-8"))
        res["wall_s"] = round(time.monotonic() - start, 3)
        return res


def write_enrolment(federation, path: str | Path) -> Path:
    """What the coordinator registers per site (public key, enrolled document count), as JSON."""
    from partages_core.keys import canonical, public_b64

    rows = [{"name": e.name, "facility": e.facility, "public_key": public_b64(e.public_key),
             "n_documents": e.n_documents} for e in federation.coordinator.enrolments.values()]
    return write_atomic(path, canonical(rows))


def _descendants(pid: int) -> list[int]:
    """PIDs of all live descendants of ``pid`` (Linux ``/proc``; empty elsewhere)."""
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    out, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def _wait_port(port: int, timeout: float, proc: subprocess.Popen) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise FlowerRunError(f"SuperLink exited with status {proc.returncode}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise FlowerRunError(f"SuperLink did not open port {port} within {timeout:g} s")
