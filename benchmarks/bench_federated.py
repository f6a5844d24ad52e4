"""Federated benchmark: a 4-node in-process round on the small profile (target <= 5 s) vs the same
evaluation run centrally in the same process (baseline); optionally a Flower loopback round
(target <= 60 s from submission to result). Usage: python benchmarks/bench_federated.py [--flower]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from partages_core.corpus.commons import load_commons
from partages_core.evaluation.runner import site_counts
from partages_core.federated.federation import build_federation

# an evaluation task's view and a registered system: the same names as the leaderboard
INFECTIO_TASK, INFECTIO_SYSTEM = "infectiology/entity", "infectio-rules"


def main() -> None:
    commons = load_commons("small")
    docs = [d for _, d in commons.documents()]
    site_counts(INFECTIO_TASK, INFECTIO_SYSTEM, commons.patients)  # warm-up (lexicons compiled once)
    t0 = time.perf_counter()
    site_counts(INFECTIO_TASK, INFECTIO_SYSTEM, commons.patients)
    central = time.perf_counter() - t0
    fed = build_federation(commons.patients, seed=13)
    rounds = []
    for _ in range(3):
        t0 = time.perf_counter()
        result = fed.run(INFECTIO_TASK, INFECTIO_SYSTEM)
        rounds.append(time.perf_counter() - t0)
    best = min(rounds)
    print(f"small profile: {len(commons.patients)} patients, {len(docs)} documents, {len(fed.nodes)} nodes")
    print(f"centralised evaluation (baseline): {central:.3f} s")
    print(f"4-node in-process round: best {best:.3f} s of {[round(r, 3) for r in rounds]} "
          f"(x{best / central:.2f} the baseline; target <= 5 s: {'OK' if best <= 5 else 'MISSED'})")
    print(f"  answered {len(result.answered)}/{len(result.nodes)}, {INFECTIO_TASK} / {INFECTIO_SYSTEM}: {result.metrics}")
    if "--flower" in sys.argv:
        from partages_core.federated.flower import LoopbackFederation, write_enrolment

        work = Path(tempfile.mkdtemp(prefix="bench-flower-"))
        facilities = {n: node.facility for n, node in fed.nodes.items()}
        t0 = time.perf_counter()
        with LoopbackFederation(work, commons.folder, facilities, seed=13) as lf:
            started = time.perf_counter() - t0
            out = lf.run(INFECTIO_TASK, INFECTIO_SYSTEM, write_enrolment(fed, work / "enrolment.json"),
                         deadline_s=30, quorum=4)
        total = time.perf_counter() - t0
        print(f"Flower loopback (SuperLink + 4 SuperNodes): start {started:.1f} s, round {out['wall_s']:.1f} s "
              f"(ServerApp {out['elapsed_s']:.1f} s), total {total:.1f} s; answered "
              f"{len(out['result']['answered'])}/4; target <= 60 s: {'OK' if out['wall_s'] <= 60 else 'MISSED'}")


if __name__ == "__main__":
    main()
