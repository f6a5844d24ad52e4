"""Real Flower deployment on loopback: SuperLink + 4 SuperNodes, one killed mid-run (no Ray)."""

from __future__ import annotations

import os
import time


import tomllib

from partages_core.federated.federation import build_federation
from partages_core.federated.node import SitePolicy
from partages_core.federated.flower import APP_DIR, LoopbackFederation, _descendants, write_enrolment

INFECTIO_TASK, INFECTIO_BASELINE = "infectiology/entity", "infectio-gazetteer"

DEADLINE_S = 25.0


def test_the_flower_app_is_committed_and_names_its_components():
    """The app a hospital deploys is files in the repository, not text written at run time."""
    app = tomllib.loads((APP_DIR / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["flwr"]["app"]
    assert app["components"] == {"serverapp": "partages_flower.server_app:app",
                                 "clientapp": "partages_flower.client_app:app"}
    assert {"task", "model", "digest", "deadline-s", "quorum", "enrolment", "out"} <= set(app["config"])
    for module in ("server_app", "client_app"):
        assert (APP_DIR / "partages_flower" / f"{module}.py").is_file()


def test_flower_loopback_round_with_a_killed_supernode(commons, tmp_path):
    # CU6 patients only are evaluated: k = 3 keeps some counts of the 60-patient fixture releasable
    fed = build_federation(commons.patients, seed=13, policy=SitePolicy(min_count=3))
    enrolment = write_enrolment(fed, tmp_path / "enrolment.json")
    facilities = {n: node.facility for n, node in fed.nodes.items()}
    victim = sorted(facilities)[0]
    lf = LoopbackFederation(tmp_path / "flower", commons.folder, facilities, seed=13, min_count=3)
    try:
        lf.start()
        assert os.environ.get("FLWR_TELEMETRY_ENABLED") == "0" == lf.env["FLWR_TELEMETRY_ENABLED"]
        t0 = time.monotonic()
        out = lf.run(INFECTIO_TASK, INFECTIO_BASELINE, enrolment, deadline_s=DEADLINE_S, quorum=3,
                     on_sent=lambda: lf.kill(victim))
        assert time.monotonic() - t0 < 30 + DEADLINE_S + 5  # startup budget + our deadline + margin
    finally:
        pids = [p.pid for p in lf.procs.values()]
        lf.stop()
    result = out["result"]
    assert result["missing"] == {victim: f"no reply within the {DEADLINE_S:g} s deadline (SuperNode lost or stalled)"}
    assert result["answered"] == sorted(set(facilities) - {victim}) and out["quorum_reached"]
    assert not result["flagged"]
    released = {label: row for label, row in result["pooled"].items() if row["nodes"]}
    # labels withheld everywhere pool nothing; every released row holds real counts. (Since issue 17 the
    # gold Bacteriemie runs over "à <organism>" as in the hand-written FORMAT.md, which the gazetteer
    # baseline's bare "bactériémie" never matches strictly: its tp there is a true 0.)
    assert released and any(row["tp"] > 0 for row in released.values())
    assert all(row["tp"] + row["fp"] + row["fn"] > 0 for row in released.values())
    # the same counts as the in-process round over the same three sites
    local = fed.coordinator.run({n: fed.nodes[n].handle for n in result["answered"]}, INFECTIO_TASK,
                                INFECTIO_BASELINE, result["digest"], quorum=3)
    assert local.to_dict()["pooled"] == result["pooled"] and local.to_dict()["metrics"] == result["metrics"]
    for pid in pids:  # every process we started is gone
        assert not _alive(pid) and not [c for c in _descendants(pid) if _alive(c)]


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False
