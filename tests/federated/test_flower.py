"""Real Flower deployment on loopback: SuperLink + 4 SuperNodes, one killed mid-run (no Ray)."""

from __future__ import annotations

import os
import time


from partages_core.federated.config import build_federation
from partages_core.federated.evaluators import INFECTIO_BASELINE, INFECTIO_TASK
from partages_core.federated.flower import LoopbackFederation, _descendants, write_enrolment

DEADLINE_S = 25.0


def test_flower_loopback_round_with_a_killed_supernode(commons, tmp_path):
    fed = build_federation(commons.patients, seed=13)
    enrolment = write_enrolment(fed, tmp_path / "enrolment.json")
    facilities = {n: node.facility for n, node in fed.nodes.items()}
    victim = sorted(facilities)[0]
    lf = LoopbackFederation(tmp_path / "flower", commons.folder, facilities, seed=13)
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
    assert released and all(row["tp"] > 0 for row in released.values())  # labels withheld everywhere pool nothing
    # the same counts as the in-process round over the same three sites
    local = fed.coordinator.run({n: fed.nodes[n].handle for n in result["answered"]}, INFECTIO_TASK,
                                INFECTIO_BASELINE, result["digest"], quorum=3)
    assert local.to_dict()["pooled"] == result["pooled"]
    for pid in pids:  # every process we started is gone
        assert not _alive(pid) and not [c for c in _descendants(pid) if _alive(c)]


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False
